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

/// A hike logged by hand under imperial units: bare numbers are mi, ft, lb.
const LOGGED_HIKE: &[&str] = &[
    "--units",
    "imperial",
    "add",
    "hike",
    "--duration",
    "5h",
    "--distance",
    "8.7",
    "--ascent",
    "3600",
    "--descent",
    "1100m",
    "--pack",
    "20",
    "--rpe",
    "5",
    "--date",
    "2026-11-29",
    "--start",
    "08:30",
    "--name",
    "Col",
    "--json",
];

fn ids(data: &Path, extra: &[&str]) -> Vec<i64> {
    let mut args = vec!["activities", "--json"];
    args.extend_from_slice(extra);
    json(data, &args)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_deleted_activity_leaves_every_total_and_comes_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (data, work) = (dir.path().join("data"), dir.path().join("work"));
    std::fs::create_dir_all(&work).unwrap();
    run_and_ride(&data, &work);
    let all = ids(&data, &[]);
    let run_id = all[0].to_string();
    ok(&data, &["rate", &run_id, "--rpe", "6"]);
    ok(
        &data,
        &[
            "edit",
            &run_id,
            "--name",
            "Hill reps",
            "--note",
            "legs heavy",
        ],
    );
    let before = json(&data, &["summary", "--by", "year", "--json"]);
    let original = std::fs::read(work.join("run.fit")).unwrap();

    let out = ok(&data, &["delete", &run_id]);
    assert!(out.contains("cairn restore"), "{out}");
    assert_eq!(ids(&data, &[]), vec![all[1]]);
    assert_eq!(ids(&data, &["--deleted"]), vec![all[0]]);
    let after = json(&data, &["summary", "--by", "year", "--json"]);
    assert_eq!(
        f(&after["total"]["sessions"]),
        f(&before["total"]["sessions"]) - 1.0
    );
    // The original stays byte for byte; a second import adds nothing back.
    let report = json(&data, &["import", "--json", s(&work.join("run.fit"))]);
    assert_eq!(report["activities_imported"], 0);
    refused(&data, &["delete", &run_id], "already deleted");
    // A rebuild from the originals keeps the deletion, the name and the note.
    ok(&data, &["rebuild"]);
    assert_eq!(ids(&data, &["--deleted"]), vec![all[0]]);

    ok(&data, &["restore", &run_id]);
    let shown = json(&data, &["show", &run_id, "--json"]);
    assert_eq!(shown["name"], "Hill reps");
    assert_eq!(shown["note"], "legs heavy");
    // The list names it too.
    let listed = ok(&data, &["activities"]);
    assert!(
        listed.contains("name") && listed.contains("Hill reps"),
        "{listed}"
    );
    assert!(shown["deleted_time"].is_null());
    assert_eq!(json(&data, &["summary", "--by", "year", "--json"]), before);
    let loads = json(&data, &["load", "--json"]);
    let rated = loads.as_array().unwrap().iter().find(|l| l["id"] == all[0]);
    assert_eq!(rated.unwrap()["aerobic_source"], "heart_rate");
    refused(&data, &["restore", &run_id], "not deleted");
    assert_eq!(
        std::fs::read(work.join("run.fit")).unwrap(),
        original,
        "the athlete's file is never touched"
    );
    // An empty name goes back to the file's own; control characters are refused.
    ok(&data, &["edit", &run_id, "--name", ""]);
    assert!(json(&data, &["show", &run_id, "--json"])["name"].is_null());
    refused(
        &data,
        &["edit", &run_id, "--name", "a\u{7}b"],
        "control character",
    );
}

#[test]
fn a_session_logged_by_hand_counts_like_a_recorded_one_and_survives_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = ok(
        &data,
        &[
            "add",
            "strength",
            "--duration",
            "40min",
            "--rpe",
            "6",
            "--date",
            "2026-11-30",
            "--start",
            "18:00",
        ],
    );
    assert!(out.contains("logged activity"), "{out}");
    let hike = json(&data, LOGGED_HIKE);
    let hike_id = hike["activity_id"].as_i64().unwrap();
    let shown = json(&data, &["show", &hike_id.to_string(), "--json"]);
    // Bare numbers were read in the display units: miles, feet, pounds.
    assert!((f(&shown["distance_m"]) - 8.7 * 1609.344).abs() < 0.01);
    assert!((f(&shown["ascent_m"]) - 1097.3).abs() < 0.1);
    assert_eq!(f(&shown["descent_m"]), 1100.0);
    assert_eq!(f(&shown["moving_s"]), 18_000.0);
    assert_eq!(shown["format"], "manual");
    let loads = json(&data, &["load", "--json"]);
    let hike_load = loads
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == hike_id)
        .unwrap();
    // sRPE: 5 × 300 min × 100 / 480 (Foster 2001, calibrated as cairn states).
    assert!(
        (f(&hike_load["aerobic"]) - 312.5).abs() < 0.6,
        "{hike_load}"
    );
    assert!(
        f(&hike_load["mechanical"]) > 100.0,
        "a 5 h hike with a pack loads the legs"
    );
    // The same entry again is the same original: nothing is added.
    let again = json(&data, LOGGED_HIKE);
    assert_eq!(again["already_logged"], true);
    assert_eq!(ids(&data, &[]).len(), 2);
    refused(
        &data,
        &["add", "run", "--duration", "40min", "--date", "2099-01-01"],
        "in the future",
    );
    refused(&data, &["add", "swim", "--duration", "1h"], "pool_swim");
    refused(
        &data,
        &["add", "run", "--duration", "40min", "--rpe", "11"],
        "effort rating 11",
    );
    // A rebuild derives it again from its original, with its rating.
    ok(&data, &["rebuild"]);
    let rebuilt = json(&data, &["load", "--json"]);
    assert_eq!(rebuilt, loads);
}

#[test]
fn merging_two_copies_keeps_one_with_what_either_said() {
    let dir = tempfile::tempdir().unwrap();
    let (data, work) = (dir.path().join("data"), dir.path().join("work"));
    std::fs::create_dir_all(&work).unwrap();
    run_and_ride(&data, &work);
    let run = json(&data, &["activities", "--json"])[0].clone();
    let start = run["start_time"].as_str().unwrap();
    let (date, time) = (&start[..10], &start[11..16]);
    // The same run logged by hand (the watch file came later).
    let logged = json(
        &data,
        &[
            "add",
            "run",
            "--duration",
            "45min",
            "--date",
            date,
            "--start",
            time,
            "--rpe",
            "7",
            "--name",
            "Tempo",
            "--json",
        ],
    );
    let copy = logged["activity_id"].as_i64().unwrap();
    assert_eq!(logged["duplicate_of"], run["id"]);
    let keep = run["id"].to_string();
    ok(&data, &["merge", &keep, &copy.to_string()]);
    let merged = json(&data, &["show", &keep, "--json"]);
    assert_eq!(merged["name"], "Tempo");
    assert_eq!(ids(&data, &["--deleted"]), vec![copy]);
    refused(&data, &["merge", &keep, &keep], "itself");
    let ride = ids(&data, &[])[1].to_string();
    refused(&data, &["merge", &keep, &ride], "do not overlap");
}

#[test]
fn a_demo_archive_the_athlete_added_to_is_kept_unless_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let demo = ["--today", "2026-12-01", "demo", "--years", "0.2"];
    ok(&data, &demo);
    // Untouched, a demo is simply made again.
    ok(&data, &demo);
    let before = ids(&data, &[]).len();
    ok(
        &data,
        &[
            "add",
            "strength",
            "--duration",
            "40min",
            "--rpe",
            "6",
            "--date",
            "2026-11-30",
        ],
    );
    refused(&data, &demo, "changes of yours");
    assert_eq!(ids(&data, &[]).len(), before + 1, "nothing was wiped");
    let mut replace = demo.to_vec();
    replace.push("--replace");
    ok(&data, &replace);
    assert_eq!(ids(&data, &[]).len(), before);
}

#[test]
fn a_goal_set_aside_can_be_taken_up_again() {
    let dir = tempfile::tempdir().unwrap();
    let (data, work) = (dir.path().join("data"), dir.path().join("work"));
    std::fs::create_dir_all(&work).unwrap();
    run_and_ride(&data, &work);
    let today = |args: &[&'static str]| [&["--today", "2026-06-10"], args].concat();
    let first = json(
        &data,
        &today(&[
            "goal",
            "add",
            "--kind",
            "race",
            "--date",
            "2026-09-20",
            "--distance",
            "half",
            "--json",
        ]),
    );
    let second = json(
        &data,
        &today(&[
            "goal",
            "add",
            "--kind",
            "trek",
            "--date",
            "2026-10-01",
            "--ascent",
            "900m",
            "--json",
        ]),
    );
    let (a, b) = (first["id"].to_string(), second["id"].to_string());
    let active = |data: &Path| -> Vec<bool> {
        json(data, &["goal", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["active"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(active(&data), vec![true, false]);
    let out = ok(&data, &["goal", "remove", &b]);
    assert!(out.contains("goal activate"), "{out}");
    assert_eq!(active(&data), vec![false, false]);
    refused(&data, &today(&["plan", "show"]), "no plan is active");
    ok(&data, &["goal", "activate", &a]);
    assert_eq!(active(&data), vec![false, true]);
    assert_eq!(
        json(&data, &today(&["plan", "show", "--json"]))["goal"]["kind"],
        "race"
    );
    refused(&data, &["goal", "activate", "999"], "no goal 999");
}

/// A Strava export folder: two runs in "Pegasus", a ride on "Tarmac", one
/// run naming no gear.
fn strava_folder(work: &Path) -> std::path::PathBuf {
    let dir = work.join("strava");
    std::fs::create_dir_all(dir.join("activities")).unwrap();
    let sessions = [
        (20_600, Sport::Run, 40.0, "Pegasus"),
        (20_602, Sport::Run, 50.0, "Pegasus"),
        (20_603, Sport::Ride, 60.0, "Tarmac"),
        (20_605, Sport::Run, 30.0, ""),
    ];
    let mut csv = String::from("Activity ID,Activity Name,Activity Type,Filename,Activity Gear\n");
    for (i, (day, sport, minutes, gear)) in sessions.iter().enumerate() {
        let a = session_on(*day, *sport, Terrain::Rolling, *minutes, i as u64 + 10);
        write(
            &dir.join("activities"),
            &format!("{i}.fit"),
            cairn_core::encode::fit::encode(&a),
        );
        csv.push_str(&format!(
            "{i},Session {i},{},activities/{i}.fit,{gear}\n",
            if *sport == Sport::Ride { "Ride" } else { "Run" }
        ));
    }
    write(&dir, "activities.csv", csv);
    dir
}

fn gear_named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["gear"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

fn distance_of(data: &Path, ids: &[i64]) -> f64 {
    let list = json(data, &["activities", "--json"]);
    list.as_array()
        .unwrap()
        .iter()
        .filter(|a| ids.contains(&a["id"].as_i64().unwrap()))
        .map(|a| f(&a["distance_m"]))
        .sum()
}

#[test]
fn gear_adds_up_what_it_carried_from_strava_assignments_and_defaults() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let d = data.path();
    json(d, &["import", "--json", s(&strava_folder(work.path()))]);
    let all = ids(d, &[]);
    assert_eq!(all.len(), 4);
    let (run1, run2, ride, bare) = (all[0], all[1], all[2], all[3]);

    // Straight from the export: both names, each with its sessions' sums.
    let list = json(d, &["gear", "list", "--json"]);
    let pegasus = gear_named(&list, "Pegasus");
    assert_eq!(pegasus["id"], Value::Null);
    assert_eq!(pegasus["kind"], "shoes");
    assert_eq!(pegasus["sessions"], 2);
    assert!((f(&pegasus["distance_m"]) - distance_of(d, &[run1, run2])).abs() < 1.0);
    assert_eq!(gear_named(&list, "Tarmac")["kind"], "bike");
    let shown = json(d, &["show", &bare.to_string(), "--json"]);
    assert_eq!(shown["gear"], Value::Null);

    // New shoes, the run default from the day of the bare run: it counts
    // there, not on the runs Strava named.
    ok(
        d,
        &[
            "gear",
            "add",
            "Speedgoat",
            "--kind",
            "shoes",
            "--default",
            "run",
            "--since",
            "2026-05-28",
            "--used",
            "2km",
            "--retire-at",
            "15km",
        ],
    );
    let shown = json(d, &["show", &bare.to_string(), "--json"]);
    assert_eq!(shown["gear"]["name"], "Speedgoat");
    assert_eq!(shown["gear"]["source"], "default");
    let list = json(d, &["gear", "list", "--json"]);
    let speedgoat = gear_named(&list, "Speedgoat");
    assert_eq!(speedgoat["sessions"], 1);
    assert!((f(&speedgoat["distance_m"]) - 2000.0 - distance_of(d, &[bare])).abs() < 1.0);
    assert_eq!(gear_named(&list, "Pegasus")["sessions"], 2);

    // The athlete's choice beats the export; "none" takes a session off all gear.
    ok(d, &["gear", "assign", "speedgoat", &run1.to_string()]);
    ok(d, &["gear", "assign", "none", &ride.to_string()]);
    let list = json(d, &["gear", "list", "--json"]);
    assert_eq!(gear_named(&list, "Pegasus")["sessions"], 1);
    assert_eq!(gear_named(&list, "Speedgoat")["sessions"], 2);
    assert!(list["gear"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["name"] != "Tarmac"));
    // Past 90 % of 15 km: a warning, in the list and in its JSON.
    let speedgoat = gear_named(&list, "Speedgoat");
    assert!(f(&speedgoat["distance_m"]) >= 13_500.0, "{speedgoat}");
    assert!(
        speedgoat["retire_warning"]
            .as_str()
            .unwrap()
            .contains("retirement distance"),
        "{speedgoat}"
    );
    assert!(ok(d, &["gear", "list"]).contains("warning: Speedgoat"));
    // The import that adds to it says so.
    let next = write(
        work.path(),
        "next.fit",
        cairn_core::encode::fit::encode(&session_on(
            20_606,
            Sport::Run,
            Terrain::Rolling,
            20.0,
            40,
        )),
    );
    assert!(ok(d, &["import", s(&next)]).contains("Gear: Speedgoat"));
    let next_id = *ids(d, &[]).last().unwrap();
    ok(d, &["gear", "assign", "none", &next_id.to_string()]);

    // Forgetting the choice gives the export's gear back.
    ok(
        d,
        &["gear", "unassign", &ride.to_string(), &run1.to_string()],
    );
    let list = json(d, &["gear", "list", "--json"]);
    assert_eq!(gear_named(&list, "Tarmac")["sessions"], 1);
    assert_eq!(gear_named(&list, "Pegasus")["sessions"], 2);

    // Retired: the list leaves it out unless asked; the default still claims
    // the last day's run, not a later one.
    ok(d, &["gear", "retire", "Speedgoat", "--on", "2026-06-01"]);
    assert!(!ok(d, &["gear", "list"]).contains("Speedgoat"));
    let all_gear = json(d, &["gear", "list", "--all", "--json"]);
    assert_eq!(
        gear_named(&all_gear, "Speedgoat")["retired_day"],
        "2026-06-01"
    );
    assert_eq!(
        gear_named(&all_gear, "Speedgoat")["retire_warning"],
        Value::Null
    );
    let shown = json(d, &["show", &bare.to_string(), "--json"]);
    assert_eq!(shown["gear"]["name"], "Speedgoat", "still in use that day");
    ok(d, &["gear", "retire", "Speedgoat", "--on", "2026-05-31"]);
    let shown = json(d, &["show", &bare.to_string(), "--json"]);
    assert_eq!(shown["gear"], Value::Null);
    ok(d, &["gear", "retire", "Speedgoat", "--undo"]);

    // Rebuilding the database keeps the gear and the choices.
    ok(d, &["gear", "assign", "Tarmac", &run2.to_string()]);
    let before = json(d, &["gear", "list", "--all", "--json"]);
    ok(d, &["rebuild"]);
    assert_eq!(json(d, &["gear", "list", "--all", "--json"]), before);

    // Imperial in and out; JSON stays in metres.
    ok(
        d,
        &[
            "--units",
            "imperial",
            "gear",
            "add",
            "Road bike",
            "--kind",
            "bike",
            "--used",
            "10",
        ],
    );
    let list = json(d, &["gear", "list", "--json"]);
    assert!((f(&gear_named(&list, "Road bike")["distance_m"]) - 16_093.44).abs() < 0.01);
    assert!(ok(d, &["--units", "imperial", "gear", "list"]).contains("10.00 mi"));

    // Mistakes get a reason, not a change.
    refused(
        d,
        &["gear", "assign", "Pegasu", &run1.to_string()],
        "there is: ",
    );
    refused(d, &["gear", "assign", "Pegasus", "9999"], "9999");
    let list = json(d, &["gear", "list", "--json"]);
    assert_eq!(gear_named(&list, "Pegasus")["id"], Value::Null, "unchanged");
    refused(
        d,
        &["gear", "add", "tarmac", "--kind", "bike"],
        "already gear named",
    );
    refused(d, &["gear", "add", "none", "--kind", "shoes"], "no gear");
    refused(
        d,
        &["gear", "add", "X", "--kind", "shoes", "--default", "runing"],
        "runing",
    );
    refused(
        d,
        &["gear", "add", "X", "--kind", "shoes", "--retire-at", "far"],
        "far",
    );
    refused(
        d,
        &["gear", "retire", "Pegasus", "--on", "2026-13-01"],
        "2026-13-01",
    );
}

fn fit_of(day: i32, sport: Sport, minutes: f64, seed: u64) -> Vec<u8> {
    cairn_core::encode::fit::encode(&session_on(day, sport, Terrain::Rolling, minutes, seed))
}

#[test]
fn sync_imports_what_is_new_on_a_plugged_in_watch_and_in_sync_folders() {
    let data = tempfile::tempdir().unwrap();
    let mounts = tempfile::tempdir().unwrap();
    let d = data.path();
    let m = s(mounts.path());
    // Nothing plugged in: say where cairn looked and what to do.
    let out = ok(d, &["sync", "--mounts", m]);
    assert!(
        out.contains("no watch or bike computer found") && out.contains(m),
        "{out}"
    );

    // A watch appears as a drive, its activities in GARMIN/ACTIVITY beside
    // files that are not activities.
    let activity = mounts.path().join("FR255/GARMIN/ACTIVITY");
    std::fs::create_dir_all(&activity).unwrap();
    write(
        &mounts.path().join("FR255/GARMIN"),
        "GarminDevice.xml",
        "<Device/>",
    );
    write(
        &activity,
        "2026-05-27-08-00-00.fit",
        fit_of(20_600, Sport::Run, 40.0, 1),
    );
    write(
        &activity,
        "2026-05-28-08-00-00.fit",
        fit_of(20_601, Sport::Ride, 50.0, 2),
    );
    let listed = json(d, &["sync", "--list", "--json", "--mounts", m]);
    assert_eq!(listed[0]["kind"], "Garmin watch", "{listed}");
    let first = json(d, &["sync", "--json", "--mounts", m]);
    assert_eq!(first[0]["new_files"], 2, "{first}");
    assert_eq!(first[0]["report"]["activities_imported"], 2, "{first}");
    assert_eq!(ids(d, &[]).len(), 2);

    // Again: nothing is read, nothing added.
    let again = json(d, &["sync", "--json", "--mounts", m]);
    assert_eq!(again[0]["new_files"], 0, "{again}");
    assert!(ok(d, &["sync", "--mounts", m]).contains("nothing new"));

    // A new recording is the only file read.
    write(
        &activity,
        "2026-05-30-08-00-00.fit",
        fit_of(20_603, Sport::Run, 30.0, 3),
    );
    let third = json(d, &["sync", "--json", "--mounts", m]);
    assert_eq!(third[0]["new_files"], 1, "{third}");
    assert_eq!(ids(d, &[]).len(), 3);

    // A folder a phone app writes to; hidden partial downloads are left alone.
    let phone = tempfile::tempdir().unwrap();
    write(phone.path(), ".syncthing.walk.fit.tmp", b"partial");
    write(
        phone.path(),
        "walk.fit",
        fit_of(20_604, Sport::Walk, 30.0, 4),
    );
    ok(d, &["sync", "--add", s(phone.path())]);
    let synced = json(d, &["sync", "--json", "--mounts", m]);
    let folder = synced
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["source"]["kind"] == "folder")
        .unwrap();
    assert_eq!(folder["new_files"], 1, "{synced}");
    assert_eq!(folder["report"]["failed"].as_array().unwrap().len(), 0);
    assert_eq!(ids(d, &[]).len(), 4);
    // Rebuilding keeps the folders and what was seen.
    ok(d, &["rebuild"]);
    let after = json(d, &["sync", "--json", "--mounts", m]);
    assert!(
        after
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["new_files"] == 0),
        "{after}"
    );
    ok(d, &["sync", "--remove", s(phone.path())]);
    assert_eq!(
        json(d, &["sync", "--list", "--json", "--mounts", m])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    refused(d, &["sync", "--add", "/no/such/folder"], "/no/such/folder");
    refused(d, &["sync", "--remove", "/elsewhere"], "not a sync folder");
}

#[test]
fn sync_watch_imports_a_file_as_it_arrives_with_a_line_for_it() {
    use std::io::BufRead;
    let data = tempfile::tempdir().unwrap();
    let mounts = tempfile::tempdir().unwrap();
    let phone = tempfile::tempdir().unwrap();
    ok(data.path(), &["sync", "--add", s(phone.path())]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["sync", "--watch", "--mounts", s(mounts.path())])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |says: &str| -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(says) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with `{says}` within a minute"),
            }
        }
    };
    wait_for("watching folder");
    // A watch plugged in while watching is found too.
    let activity = mounts.path().join("EDGE/Garmin/Activities");
    std::fs::create_dir_all(&activity).unwrap();
    write(&activity, "ride.fit", fit_of(20_601, Sport::Ride, 50.0, 2));
    write(phone.path(), "run.fit", fit_of(20_600, Sport::Run, 40.0, 1));
    let mut lines = vec![wait_for("imported activity"), wait_for("imported activity")];
    lines.sort();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("ride.fit") && l.contains("ride on")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("run.fit") && l.contains("run on")),
        "{lines:?}"
    );
    assert_eq!(ids(data.path(), &[]).len(), 2);
}

/// Records that mean something, and only those: after every import, the
/// records it tells are exactly the efforts whose best is now one of its
/// activities, and that either beat an earlier best or are a first best at
/// a headline effort. Checked against `records` before and after.
#[test]
fn an_import_tells_the_records_it_beat_and_first_headline_bests_only() {
    const HEADLINE: &[&str] = &[
        "5 km",
        "10 km",
        "half marathon",
        "marathon",
        "5 min power",
        "20 min power",
        "60 min power",
    ];
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let d = data.path();
    let plan = [
        (20_600, Sport::Run, Terrain::Flat, 35.0),
        (20_601, Sport::Run, Terrain::Flat, 60.0),
        (20_602, Sport::Ride, Terrain::Rolling, 70.0),
        (20_603, Sport::Run, Terrain::Mountain, 50.0),
        (20_604, Sport::Run, Terrain::Flat, 45.0),
        (20_605, Sport::Hike, Terrain::Mountain, 120.0),
        (20_606, Sport::Ride, Terrain::Mountain, 90.0),
        (20_607, Sport::Run, Terrain::Rolling, 70.0),
    ];
    let mut told_some_beaten = false;
    for (i, (day, sport, terrain, minutes)) in plan.into_iter().enumerate() {
        let before = json(d, &["records", "--json"]);
        let file = write(
            work.path(),
            &format!("{i}.fit"),
            cairn_core::encode::fit::encode(&session_on(
                day,
                sport,
                terrain,
                minutes,
                50 + i as u64,
            )),
        );
        let report = json(d, &["import", "--json", s(&file)]);
        let new_id = report["activity_ids"][0].as_i64().unwrap();
        let after = json(d, &["records", "--json"]);
        let mut expected: Vec<String> = after
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["all_time"]["activity_id"] == new_id)
            .filter(|r| {
                let earlier = before
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|b| b["effort"] == r["effort"]);
                earlier || HEADLINE.contains(&r["effort"].as_str().unwrap())
            })
            .map(|r| r["effort"].as_str().unwrap().to_string())
            .collect();
        let mut told: Vec<String> = report["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["effort"].as_str().unwrap().to_string())
            .collect();
        expected.sort();
        told.sort();
        assert_eq!(told, expected, "import {i} ({sport:?} {terrain:?})");
        for r in report["records"].as_array().unwrap() {
            if let Some(was) = r["previous"].as_f64() {
                told_some_beaten = true;
                let now = f(&r["value"]);
                let faster_is_better =
                    r["kind"].get("Run").is_some() || r["kind"].get("Climb").is_some();
                assert!(
                    if faster_is_better {
                        now < was
                    } else {
                        now > was
                    },
                    "{r}"
                );
            }
        }
        // The first flat run holds no climbing news.
        if i == 0 {
            assert!(
                told.iter().all(|e| HEADLINE.contains(&e.as_str())),
                "{told:?}"
            );
        }
    }
    assert!(
        told_some_beaten,
        "no import beat an earlier best: the check proved nothing"
    );
}

/// Colour only where asked for: a terminal (here forced with the
/// CLICOLOR_FORCE convention, since tests pipe), never with NO_COLOR.
#[test]
fn colour_follows_the_terminal_conventions() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let with_env = |env: &[(&str, &str)]| -> String {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"));
        c.arg("--data-dir")
            .arg(d)
            .args(["gear", "assign", "nothing", "1"]);
        c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8_lossy(&c.output().unwrap().stderr).into_owned()
    };
    let plain = with_env(&[]);
    assert!(
        plain.starts_with("cairn: ") && !plain.contains('\x1b'),
        "{plain:?}"
    );
    let forced = with_env(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\x1b["), "{forced:?}");
    let refused = with_env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!refused.contains('\x1b'), "{refused:?}");
}

/// A run and then a ride that the watch recorded as one run: the ride's
/// samples follow the run's a minute later, its distance counting on.
fn run_then_ride() -> (cairn_core::model::Activity, f64, f64, i64) {
    use cairn_core::model::ChannelKind;
    let mut run = session_on(20_600, Sport::Run, Terrain::Flat, 30.0, 70);
    let ride = session_on(20_600, Sport::Ride, Terrain::Flat, 40.0, 71);
    let run_end = *run.samples.time_ms.last().unwrap();
    let shift = run_end + 60_000 - ride.samples.time_ms[0];
    let run_distance = run
        .samples
        .channel(ChannelKind::Distance)
        .unwrap()
        .iter()
        .flatten()
        .last()
        .copied()
        .unwrap();
    let mut ride_distance = 0.0;
    for i in 0..ride.samples.len() {
        run.samples.push_time(ride.samples.time_ms[i] + shift);
        for kind in ChannelKind::ALL {
            if let Some(v) = ride.samples.value(kind, i) {
                let v = if kind == ChannelKind::Distance {
                    ride_distance = v;
                    v + run_distance
                } else {
                    v
                };
                run.samples.set_last(kind, v);
            }
        }
    }
    run.laps
        .extend(ride.laps.iter().map(|l| cairn_core::model::Lap {
            start_ms: l.start_ms + shift,
            ..l.clone()
        }));
    run.timer_events.extend(
        ride.timer_events
            .iter()
            .map(|e| cairn_core::model::TimerEvent {
                time_ms: e.time_ms + shift,
                ..*e
            }),
    );
    run.declared = Default::default();
    (
        run,
        run_distance,
        ride_distance,
        ride.samples.time_ms[0] + shift,
    )
}

#[test]
fn a_run_and_ride_recorded_as_one_is_split_kept_through_a_rebuild_and_undone() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let d = data.path();
    let (whole, run_m, ride_m, ride_start_ms) = run_then_ride();
    let file = write(
        work.path(),
        "both.fit",
        cairn_core::encode::fit::encode(&whole),
    );
    json(d, &["import", "--json", s(&file)]);
    let id = ids(d, &[])[0];
    ok(
        d,
        &[
            "edit",
            &id.to_string(),
            "--note",
            "forgot to stop the watch",
        ],
    );
    let before_s = (ride_start_ms - whole.start_ms) / 1000;
    let out = ok(
        d,
        &[
            "split",
            &id.to_string(),
            "--after",
            &format!("{}min", (before_s as f64 / 60.0) - 0.5),
            "--sport",
            "ride",
        ],
    );
    assert!(out.contains("--undo"), "{out}");
    let parts = json(d, &["activities", "--json"]);
    let parts = parts.as_array().unwrap();
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0]["sport"], "run");
    assert_eq!(parts[1]["sport"], "ride");
    assert!(
        (f(&parts[0]["distance_m"]) - run_m).abs() < 0.02 * run_m,
        "{}",
        parts[0]
    );
    assert!(
        (f(&parts[1]["distance_m"]) - ride_m).abs() < 0.02 * ride_m,
        "{}",
        parts[1]
    );
    assert_eq!(parts[0]["note"], "forgot to stop the watch");
    // Both count, each in its sport.
    let summary = json(d, &["summary", "--by", "year", "--json"]);
    let sports: Vec<&str> = summary["sports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["sessions"] == 1)
        .filter_map(|x| x["sport"].as_str())
        .collect();
    assert!(
        sports.contains(&"run") && sports.contains(&"ride"),
        "{summary}"
    );

    // A rebuild cuts the recording the same way and keeps the note.
    ok(d, &["rebuild"]);
    let rebuilt = json(d, &["activities", "--json"]);
    let rebuilt = rebuilt.as_array().unwrap();
    assert_eq!(rebuilt.len(), 2);
    for (a, b) in rebuilt.iter().zip(parts) {
        assert_eq!(a["sport"], b["sport"]);
        assert_eq!(a["start_time"], b["start_time"]);
        assert_eq!(a["distance_m"], b["distance_m"]);
    }
    assert_eq!(rebuilt[0]["note"], "forgot to stop the watch");

    // Undone: one activity again, the whole distance, the note kept.
    let part = rebuilt[1]["id"].to_string();
    ok(d, &["split", &part, "--undo"]);
    let back = json(d, &["activities", "--json"]);
    let back = back.as_array().unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0]["sport"], "run");
    assert!((f(&back[0]["distance_m"]) - run_m - ride_m).abs() < 0.02 * (run_m + ride_m));
    assert_eq!(back[0]["note"], "forgot to stop the watch");
    let one = back[0]["id"].to_string();

    // Mistakes get a reason.
    refused(d, &["split", &one, "--undo"], "was not split");
    refused(d, &["split", &one, "--after", "30s"], "at least 60 s");
    refused(d, &["split", &one, "--after", "20h"], "at least 60 s");
    refused(d, &["split", &one, "--at", "25:00"], "local time");
    refused(
        d,
        &["split", &one, "--after", "10min", "--sport", "swimm"],
        "one of",
    );
    refused(d, &["split", &one], "--at");
    ok(d, &["delete", &one]);
    refused(d, &["split", &one, "--after", "10min"], "restore");
    let logged = json(d, &["add", "strength", "--duration", "40min", "--json"]);
    refused(
        d,
        &[
            "split",
            &logged["activity_id"].to_string(),
            "--after",
            "10min",
        ],
        "logged by hand",
    );
}

/// A warning is said once however many loads or sports show it: over a
/// year of simulated training, no day has two warnings of one kind.
#[test]
fn warnings_say_each_thing_once() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ok(d, &["--today", "2026-12-01", "demo", "--years", "1"]);
    let mut seen = 0;
    for day in (0..52).map(|w| 20_424 + 7 * w) {
        let date = cairn_core::load::session::day_text(day);
        let w = json(d, &["--today", &date, "warnings", "--json"]);
        let w = w.as_array().unwrap();
        seen += w.len();
        for (i, a) in w.iter().enumerate() {
            for b in &w[i + 1..] {
                assert!(
                    !(a["kind"] == b["kind"] && a["day"] == b["day"]),
                    "said twice on {date}: {a} / {b}"
                );
            }
        }
    }
    assert!(
        seen > 0,
        "a year of training with no warning proves nothing"
    );
}

/// `cairn serve` through the binary: it prints its address, refuses the
/// network, and its API serves what `--json` prints, number for number.
#[test]
fn serve_answers_with_what_the_cli_prints() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let d = data.path();
    run_and_ride(d, work.path());
    refused(
        d,
        &["serve", "--listen", "0.0.0.0:8080"],
        "until accounts exist",
    );
    ok(
        d,
        &[
            "--today",
            "2026-05-20",
            "goal",
            "add",
            "--kind",
            "race",
            "--date",
            "2026-08-30",
            "--distance",
            "10km",
        ],
    );
    let (_server, url) = common::serve(d, &["--today", "2026-06-01"], &[]);
    let host = url.trim_start_matches("http://").to_string();
    let fetch = |path: &str| -> String {
        let (status, body) = common::http(&host, "GET", path, b"");
        assert_eq!(status, 200, "{path}: {body}");
        body
    };
    for id in ids(d, &[]) {
        let api: Value = serde_json::from_str(&fetch(&format!("/api/v1/activities/{id}"))).unwrap();
        let cli = json(d, &["show", &id.to_string(), "--json"]);
        assert_eq!(api, cli, "activity {id}");
    }
    assert!(fetch("/").contains("<table class=\"calendar\">"));
    let api: Value = serde_json::from_str(&fetch("/api/v1/records")).unwrap();
    assert_eq!(api, json(d, &["records", "--json"]), "records");
    let api: Value = serde_json::from_str(&fetch("/api/v1/records?family=run")).unwrap();
    assert_eq!(
        api,
        json(d, &["records", "--sport", "run", "--json"]),
        "run records"
    );
    assert!(fetch("/records").contains("<table class=\"records\" data-family=\"run\">"));
    for (query, args) in [
        ("kind=pace", vec!["curve", "--kind", "pace", "--json"]),
        (
            "kind=hr&sport=all&from=2026-05-01&to=2026-05-31",
            vec![
                "curve",
                "--kind",
                "hr",
                "--sport",
                "all",
                "--from",
                "2026-05-01",
                "--to",
                "2026-05-31",
                "--json",
            ],
        ),
    ] {
        let api: Value = serde_json::from_str(&fetch(&format!("/api/v1/curves?{query}"))).unwrap();
        assert_eq!(api, json(d, &args), "{query}");
        assert!(!api.as_array().unwrap().is_empty(), "{query}");
    }
    assert!(fetch("/curves?kind=hr&sport=all").contains("<table class=\"curve\">"));
    let api: Value = serde_json::from_str(&fetch(
        "/api/v1/compare?sport=run&a_from=2026-04-01&a_to=2026-05-10&b_from=2026-05-11&b_to=2026-06-01",
    ))
    .unwrap();
    let cli = json(
        d,
        &[
            "compare",
            "--sport",
            "run",
            "--a",
            "2026-04-01..2026-05-10",
            "--b",
            "2026-05-11..2026-06-01",
            "--json",
        ],
    );
    assert_eq!(api, cli, "compare");
    for what in ["altitude", "heat"] {
        let api: Value = serde_json::from_str(&fetch(&format!("/api/v1/{what}"))).unwrap();
        assert_eq!(
            api,
            json(d, &["--today", "2026-06-01", what, "--json"]),
            "{what}"
        );
    }
    assert!(fetch("/environment").contains("Heat acclimatisation today"));
    let api: Value = serde_json::from_str(&fetch("/api/v1/predict")).unwrap();
    assert_eq!(
        api,
        json(d, &["--today", "2026-06-01", "predict", "--json"]),
        "predict"
    );
    // A route through the API, as `predict --route` reads the same file.
    let route = work.path().join("run.fit");
    let bytes = std::fs::read(&route).unwrap();
    let (status, body) = common::http(
        &host,
        "POST",
        "/api/v1/predict/route?name=run.fit&leg_m=1000",
        &bytes,
    );
    assert_eq!(status, 200, "{body}");
    let api: Value = serde_json::from_str(&body).unwrap();
    let cli = json(
        d,
        &[
            "--today",
            "2026-06-01",
            "predict",
            route.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(api, cli, "route");
    let api: Value = serde_json::from_str(&fetch("/api/v1/plan")).unwrap();
    assert_eq!(
        api,
        json(d, &["--today", "2026-06-01", "plan", "show", "--json"]),
        "plan"
    );
    let api: Value = serde_json::from_str(&fetch("/api/v1/plan?week=2")).unwrap();
    assert_eq!(
        api,
        json(
            d,
            &[
                "--today",
                "2026-06-01",
                "plan",
                "show",
                "--week",
                "2",
                "--json"
            ]
        ),
        "plan week 2"
    );
    let api: Value = serde_json::from_str(&fetch("/api/v1/ready")).unwrap();
    assert_eq!(
        api,
        json(d, &["--today", "2026-06-01", "ready", "--json"]),
        "ready"
    );
    assert!(api["demands"].as_array().is_some_and(|d| !d.is_empty()));
    assert!(fetch("/plan").contains("<table class=\"sessions\">"));
    assert!(fetch("/plan").contains("<section id=\"readiness\">"));
    // The plan's downloads are the files `plan export` writes.
    let raw = |request: String| -> (String, Vec<u8>) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&host).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8_lossy(&out[..at]).into_owned(),
            out[at + 4..].to_vec(),
        )
    };
    let get_bytes = |path: &str| {
        raw(format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    let exported = work.path().join("export");
    let ics = exported.join("plan.ics");
    std::fs::create_dir_all(&exported).unwrap();
    ok(
        d,
        &[
            "--today",
            "2026-06-01",
            "plan",
            "export",
            "--ics",
            ics.to_str().unwrap(),
            "--fit-workouts",
            exported.join("fit").to_str().unwrap(),
        ],
    );
    let (head, body) = get_bytes("/plan/calendar.ics");
    assert!(head.contains("text/calendar"), "{head}");
    assert_eq!(body, std::fs::read(&ics).unwrap(), "calendar");
    let page = fetch("/plan?week=2");
    let mut compared = 0;
    for link in page.split("href=\"/plan/workouts/").skip(1) {
        let path = format!("/plan/workouts/{}", &link[..link.find('"').unwrap()]);
        let (head, body) = get_bytes(&path);
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
        let name = head
            .split("filename=\"")
            .nth(1)
            .and_then(|n| n.split('"').next())
            .unwrap();
        let file = exported.join("fit").join(name);
        if file.exists() {
            assert_eq!(body, std::fs::read(&file).unwrap(), "{path}");
            compared += 1;
        }
    }
    assert!(compared > 0, "no FIT workout of week 2 compared: {page}");
    // A form posted from the page's own origin: (head, body).
    let post_form = |path: &str, form: &str| {
        raw(format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ))
    };
    // The feel form logs what adaptation reads: three days of fatigue 5
    // show as changes in the preview, the same ones the CLI's dry run lists.
    for day in ["2026-05-27", "2026-05-28", "2026-05-29"] {
        let form = format!("date={day}&fatigue=5&soreness=4&sleep=2&note=heavy+legs");
        let (head, _) = post_form("/plan/feel", &form);
        assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    }
    // The plan page's edit form changes a day as `plan edit` does.
    let week2 = json(
        d,
        &[
            "--today",
            "2026-06-01",
            "plan",
            "show",
            "--week",
            "2",
            "--json",
        ],
    );
    let run_day = week2["weeks"][0]["week"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["mode"] == "run")
        .map(|s| s["day"].as_str().unwrap().to_string())
        .expect("a run in week 2");
    let form = format!("date={run_day}&sport=&kind=&minutes=50");
    let (head, body) = post_form("/plan/edit", &form);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("changed"), "{head}");
    let week2 = json(
        d,
        &[
            "--today",
            "2026-06-01",
            "plan",
            "show",
            "--week",
            "2",
            "--json",
        ],
    );
    let edited = week2["weeks"][0]["week"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["day"] == run_day.as_str() && s["edited"] == true)
        .expect("the edited session");
    assert_eq!(edited["duration_s"], 3000.0, "{edited}");
    let form = format!("date={run_day}&minutes=");
    let (head, _) = post_form("/plan/edit", &form);
    assert!(
        head.starts_with("HTTP/1.1 400"),
        "nothing to change: {head}"
    );
    // The environment page's calculator answers as `cairn adjust`, and its
    // stay form logs what `cairn stay list` then lists.
    let cli = json(
        d,
        &[
            "adjust",
            "--time",
            "1:52:00",
            "--distance",
            "21.1km",
            "--altitude",
            "1800m",
            "--temp",
            "26",
            "--dew-point",
            "18",
            "--json",
        ],
    );
    let page =
        fetch("/environment?distance=21.1&time=1%3A52%3A00&altitude=1800&temp=26&dew_point=18");
    for key in ["altitude_time_s", "low_s", "high_s"] {
        let clock = cairn_app::units::clock(cli[key].as_f64().unwrap());
        assert!(page.contains(&clock), "{key} {clock}: {page}");
    }
    // The profile page's JSON is `profile show --json`; its form sets a
    // value as `profile set` does, and a wrong one is refused by name.
    let api: Value = serde_json::from_str(&fetch("/api/v1/profile")).unwrap();
    assert_eq!(
        api,
        json(d, &["--today", "2026-06-01", "profile", "show", "--json"]),
        "profile"
    );
    assert!(fetch("/profile").contains("where it comes from"));
    let (head, _) = post_form("/profile", "key=lthr_run&value=171&from=2026-01-01");
    assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    let shown = json(d, &["--today", "2026-06-01", "profile", "show", "--json"]);
    let lthr = shown["today"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "lthr_run")
        .unwrap()
        .clone();
    assert_eq!(lthr["value"], 171.0, "{lthr}");
    let (head, body) = post_form("/profile", "key=lthr_run&value=abc9");
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    assert!(
        String::from_utf8_lossy(&body).contains("lthr_run"),
        "{head}"
    );
    let (head, _) = post_form(
        "/environment/stays",
        "from=2026-04-01&to=2026-04-10&altitude=3500&sleep_altitude=3200&note=Cusco",
    );
    assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    let (head, _) = post_form(
        "/environment/stays",
        "from=2026-04-05&to=2026-04-06&altitude=3000",
    );
    assert!(
        head.starts_with("HTTP/1.1 400"),
        "an overlapping stay: {head}"
    );
    let stays = json(d, &["stay", "list", "--json"]);
    let stays = stays.as_array().expect("a list");
    assert_eq!(stays.len(), 1, "{stays:?}");
    assert_eq!(stays[0]["altitude_m"], 3500.0);
    assert_eq!(stays[0]["note"], "Cusco");
    let id = stays[0]["id"].as_i64().unwrap();
    assert!(fetch("/environment").contains(&format!("/environment/stays/{id}/remove")));
    let (head, _) = post_form(&format!("/environment/stays/{id}/remove"), "");
    assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    assert_eq!(json(d, &["stay", "list", "--json"]), serde_json::json!([]));
    let dry = json(
        d,
        &[
            "--today",
            "2026-06-01",
            "plan",
            "adapt",
            "--dry-run",
            "--json",
        ],
    );
    let n = dry.as_array().map_or(0, Vec::len);
    let preview = fetch("/plan?preview=adapt");
    if n == 0 {
        assert!(preview.contains("would change nothing"), "{preview}");
    } else {
        assert!(
            preview.contains(&format!("{n} changes if the plan is adapted now")),
            "{n}: {preview}"
        );
    }
    // The plan's sessions sit on their days, with how they went.
    let month: Value = serde_json::from_str(&fetch("/api/v1/calendar?month=2026-05")).unwrap();
    let statuses: Vec<String> = month["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["days"].as_array().unwrap())
        .flat_map(|d| d["planned"].as_array().unwrap())
        .map(|p| p["status"].as_str().unwrap().to_string())
        .collect();
    assert!(!statuses.is_empty(), "{month}");
    // The run and the ride fell on a strength and a run day: the plan's
    // sessions before today were missed.
    assert!(
        statuses
            .iter()
            .all(|s| ["done", "partial", "missed", "upcoming"].contains(&s.as_str())),
        "{statuses:?}"
    );
    assert!(statuses.iter().any(|s| s == "missed"), "{statuses:?}");
    // --today holds for the server too: the calendar's month, fitness's last day.
    assert!(fetch("/").contains("June 2026"));
    let api: Value = serde_json::from_str(&fetch("/api/v1/fitness?days=30")).unwrap();
    let cli = json(
        d,
        &["--today", "2026-06-01", "form", "--days", "30", "--json"],
    );
    assert_eq!(api, cli, "fitness");
    // The plan continues the aerobic series past today: its first day's
    // form is today's fitness minus fatigue, so the lines meet.
    let planned: Value = serde_json::from_str(&fetch("/api/v1/fitness/planned")).unwrap();
    let first = &planned.as_array().expect("a list")[0];
    assert_eq!(first["day"], "2026-06-02");
    let today = api
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dimension"] == "aerobic" && s["sport"].is_null())
        .unwrap()["points"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(today["day"], "2026-06-01");
    let gap = today["fitness"].as_f64().unwrap() - today["fatigue"].as_f64().unwrap();
    assert!(
        (first["form"].as_f64().unwrap() - gap).abs() < 1e-5,
        "{first} after {today}"
    );
    assert!(
        planned.as_array().unwrap().last().unwrap()["day"]
            .as_str()
            .unwrap()
            >= "2026-08-30"
    );
}

/// The settings are the archive's: every later command prints in the
/// chosen units and weeks, and `--units` still wins for one command.
#[test]
fn settings_are_kept_in_the_archive_and_followed_by_every_command() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    run_and_ride(data.path(), work.path());
    let shown = json(data.path(), &["settings", "--json"]);
    assert_eq!(shown["units"], "metric");
    assert_eq!(shown["week_start"], "monday");
    let id = ids(data.path(), &[])[0].to_string();
    assert!(ok(data.path(), &["show", &id]).contains(" km"));

    let table = ok(data.path(), &["settings", "units", "imperial"]);
    assert!(table.contains("imperial"), "{table}");
    assert!(ok(data.path(), &["show", &id]).contains(" mi"));
    assert!(ok(data.path(), &["--units", "metric", "show", &id]).contains(" km"));
    // JSON stays SI whatever the setting.
    let m = json(data.path(), &["show", &id, "--json"]);
    assert!(f(&m["distance_m"]) > 1000.0);

    ok(data.path(), &["settings", "week-start", "sun"]);
    let weeks = json(data.path(), &["summary", "--by", "week", "--json"]);
    assert_eq!(weeks["week_start"], "sunday");
    ok(data.path(), &["settings", "smoothing", "ewma"]);
    assert_eq!(
        json(data.path(), &["settings", "--json"])["smoothing"],
        "ewma"
    );

    refused(
        data.path(),
        &["settings", "colour", "red"],
        "one of units, week-start, smoothing",
    );
    refused(
        data.path(),
        &["settings", "units", "furlongs"],
        "metric or imperial",
    );
    assert_eq!(
        json(data.path(), &["settings", "--json"])["units"],
        "imperial"
    );
}

/// `cairn serve` reads a TOML file, flags and CAIRN_… variables win over
/// it, and `--print-config` says what is in force and where it came from.
#[test]
fn serve_takes_a_config_file_that_flags_and_the_environment_override() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("serve.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9123\"\nunits = \"imperial\"\n[tiles]\nurl = \"https://tiles.example/{z}/{x}/{y}.png\"\nattribution = \"© the tile makers\"\n",
    )
    .unwrap();
    let f = s(&file);
    let printed = ok(data.path(), &["serve", "--config", f, "--print-config"]);
    assert!(printed.contains("listen = \"127.0.0.1:9123\""), "{printed}");
    assert!(
        printed.contains(&format!("# from {}", file.display())),
        "{printed}"
    );
    assert!(printed.contains("units = \"imperial\""), "{printed}");
    assert!(
        printed.contains("attribution = \"© the tile makers\""),
        "{printed}"
    );
    assert!(printed.contains("# from the command line"), "{printed}"); // --data-dir
                                                                       // A flag wins, and so does its variable.
    let flag = ok(
        data.path(),
        &[
            "serve",
            "--config",
            f,
            "--listen",
            "127.0.0.1:9200",
            "--print-config",
        ],
    );
    assert!(flag.contains("listen = \"127.0.0.1:9200\""), "{flag}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["--data-dir", s(data.path()), "serve", "--print-config"])
        .env("CAIRN_CONFIG", &file)
        .env("CAIRN_LISTEN", "127.0.0.1:9300")
        .output()
        .unwrap();
    let env = String::from_utf8_lossy(&out.stdout);
    assert!(env.contains("listen = \"127.0.0.1:9300\""), "{env}");
    assert!(env.contains("units = \"imperial\""), "{env}");
    // What it prints is a configuration that reads back the same.
    let again = work.path().join("printed.toml");
    std::fs::write(&again, &printed).unwrap();
    assert_eq!(
        ok(
            data.path(),
            &["serve", "--config", s(&again), "--print-config"]
        )
        .replace(&again.display().to_string(), "FILE"),
        printed.replace(&file.display().to_string(), "FILE")
    );
    // A wrong file is named with the line; a network address is refused.
    std::fs::write(&file, "listen = 8080\n").unwrap();
    refused(data.path(), &["serve", "--config", f], "line 1");
    std::fs::write(&file, "listen = \"0.0.0.0:8080\"\n").unwrap();
    refused(
        data.path(),
        &["serve", "--config", f],
        "until accounts exist",
    );
}
