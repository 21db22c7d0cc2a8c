//! End-to-end: the everyday log of issue 13 through the binary: zones and
//! time in zones, corrections (delete and undo, rename and note, a manual
//! activity), goals, and the conventions every command keeps.

mod common;

use cairn_core::model::Sport;
use cairn_core::sim::history::Terrain;
use common::{json, refused, run, s, session_on, write};
use serde_json::Value;
use std::path::Path;

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

fn ok(data: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(data, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// An archive with a run and a ride, FIT files written by cairn's encoder.
fn run_and_ride(data: &Path, work: &Path) {
    let day = 20_600;
    let run_file = write(
        work,
        "run.fit",
        cairn_core::encode::fit::encode(&session_on(day, Sport::Run, Terrain::Rolling, 45.0, 1)),
    );
    let ride_file = write(
        work,
        "ride.fit",
        cairn_core::encode::fit::encode(&session_on(
            day + 1,
            Sport::Ride,
            Terrain::Rolling,
            60.0,
            2,
        )),
    );
    for (k, v) in [
        ("max_hr", "190"),
        ("resting_hr", "50"),
        ("lthr_run", "170"),
        ("lthr_ride", "165"),
        ("ftp", "240"),
        ("threshold_pace", "4:30/km"),
    ] {
        ok(data, &["profile", "set", k, v]);
    }
    json(data, &["import", "--json", s(&run_file), s(&ride_file)]);
}

fn zones_of<'a>(v: &'a Value, signal: &str) -> Option<&'a Value> {
    v["time_in_zones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["scheme"]["signal"] == signal)
}

fn seconds(z: &Value) -> Vec<f64> {
    z["seconds"].as_array().unwrap().iter().map(f).collect()
}

/// Time in zones adds up to the seconds with a reading (heart rate, power)
/// or the moving seconds (pace); a run has no power zones and a ride no
/// pace zones; the summary's zones are the sum of the activities'; the
/// athlete's own edges replace Friel's from their day on and say so.
#[test]
fn time_in_zones_adds_up_and_follows_the_zones_in_force() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    run_and_ride(data.path(), work.path());
    let run_detail = json(data.path(), &["show", "1", "--json"]);
    let ride_detail = json(data.path(), &["show", "2", "--json"]);
    let hr = zones_of(&run_detail, "heart_rate").expect("heart-rate zones of the run");
    assert_eq!(seconds(hr).len(), 5);
    assert!(hr["scheme"]["source"]
        .as_str()
        .unwrap()
        .contains("LTHR 170"));
    let timer = f(&run_detail["timer_s"]);
    let hr_total: f64 = seconds(hr).iter().sum();
    assert!(
        hr_total <= timer + 1.0 && hr_total > 0.9 * timer,
        "{hr_total} s in heart-rate zones of a {timer} s run"
    );
    let pace: f64 = seconds(zones_of(&run_detail, "pace").expect("pace zones"))
        .iter()
        .sum();
    let moving = f(&run_detail["moving_s"]);
    assert!(
        (pace - moving).abs() <= 2.0,
        "{pace} s in pace zones, {moving} s moving"
    );
    assert!(zones_of(&run_detail, "power").is_none());
    let power = zones_of(&ride_detail, "power").expect("power zones of the ride");
    assert_eq!(seconds(power).len(), 7, "Coggan's seven zones");
    assert!(zones_of(&ride_detail, "pace").is_none());
    assert!(
        zones_of(&ride_detail, "heart_rate").unwrap()["scheme"]["source"]
            .as_str()
            .unwrap()
            .contains("bike table on LTHR 165")
    );

    let summary = json(
        data.path(),
        &[
            "summary",
            "--by",
            "year",
            "--zones",
            "--json",
            "--to",
            "2026-12-31",
        ],
    );
    let total_hr: Vec<f64> = summary["total"]["time_in_zones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["signal"] == "heart_rate")
        .map(seconds)
        .unwrap();
    let by_activity: Vec<f64> = (0..5)
        .map(|i| seconds(hr)[i] + seconds(zones_of(&ride_detail, "heart_rate").unwrap())[i])
        .collect();
    assert_eq!(total_hr, by_activity);

    // Own edges on foot from the run's day: the run now uses them, the ride
    // keeps Friel's bike table.
    refused(
        data.path(),
        &["profile", "zones", "150,140"],
        "must increase",
    );
    refused(data.path(), &["profile", "zones", "150"], "at least two");
    ok(
        data.path(),
        &["profile", "zones", "130,150,160", "--from", "2026-05-01"],
    );
    let run_detail = json(data.path(), &["show", "1", "--json"]);
    let own = zones_of(&run_detail, "heart_rate").unwrap();
    assert_eq!(seconds(own).len(), 4);
    assert!(own["scheme"]["source"]
        .as_str()
        .unwrap()
        .contains("own boundaries from 2026-05-01"));
    let profile = json(data.path(), &["profile", "show", "--json"]);
    let foot = &profile["zones"][0];
    assert_eq!(foot["for"], "on foot");
    assert_eq!(
        foot["schemes"][0]["upper_edges"],
        serde_json::json!([130.0, 150.0, 160.0])
    );
    let text = ok(data.path(), &["profile", "show"]);
    assert!(text.contains("Zones in force today"), "{text}");
    assert!(text.contains("Coggan, on FTP 240 W"), "{text}");
    // "friel" goes back.
    ok(
        data.path(),
        &["profile", "zones", "friel", "--from", "2026-05-01"],
    );
    let run_detail = json(data.path(), &["show", "1", "--json"]);
    assert_eq!(
        seconds(zones_of(&run_detail, "heart_rate").unwrap()),
        seconds(hr)
    );
}
