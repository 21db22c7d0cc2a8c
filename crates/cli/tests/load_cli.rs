//! End-to-end: the load commands on real corpus files (with power, with heart
//! rate, with neither), recomputation only of what changed, and bad input.

mod common;

use common::{corpus, json};

use serde_json::Value;
use std::path::Path;

fn cairn(data: &Path, args: &[&str]) -> (i32, String, String) {
    common::run(data, args)
}

fn by_source<'a>(activities: &'a [Value], name: &str) -> &'a Value {
    activities
        .iter()
        .find(|a| a["source"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn loads_from_power_heart_rate_and_nothing() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, out, err) = cairn(d, &["import", corpus.join("fit").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Record: new best 5 km"),
        "the import says which records it set: {out}"
    );
    let activities: Vec<Value> = json(d, &["activities", "--json"])
        .as_array()
        .unwrap()
        .clone();
    let loads: Vec<Value> = json(d, &["load", "--json"]).as_array().unwrap().clone();
    let load_of = |name: &str| {
        let id = by_source(&activities, name)["id"].clone();
        loads.iter().find(|l| l["id"] == id).unwrap().clone()
    };
    // Power (Edge 810 + Vector), with the FTP estimated from the data.
    let ride = load_of("Edge810-Vector-2013-08-16-15-35-10.fit");
    assert_eq!(ride["aerobic_source"], "power");
    assert!(ride["aerobic"].as_f64().unwrap() > 20.0);
    assert_eq!(ride["mechanical"], 0.0);
    // Heart rate (fenix 2 run).
    let run = load_of("activity-small-fenix2-run.fit");
    assert_eq!(run["aerobic_source"], "heart_rate");
    assert!(run["mechanical"].as_f64().unwrap() > 50.0);
    // Neither: the Edge 200 ride has only GPS. No load, and the reason.
    let bare = load_of("2015-10-13-08-43-15.fit");
    assert!(bare["aerobic"].is_null());
    let why = bare["aerobic_missing"].as_str().unwrap();
    assert!(
        why.contains("no heart rate") && why.contains("no power"),
        "{why}"
    );
    // Records: the best mile found inside a longer run, by all time and year.
    let records = json(d, &["records", "--sport", "run", "--json"]);
    let mile = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["effort"] == "mile")
        .expect("a mile record");
    let secs = mile["all_time"]["value"].as_f64().unwrap();
    assert!((300.0..600.0).contains(&secs), "{secs}");
    assert!(!mile["by_year"].as_array().unwrap().is_empty());
    // Never a NaN or infinity anywhere.
    let (_, text, _) = cairn(d, &["load", "--json"]);
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");

    // Rating the bare ride gives it a session-RPE load.
    let id = bare["id"].to_string();
    let (code, _, err) = cairn(d, &["rate", &id, "--rpe", "6"]);
    assert_eq!(code, 0, "{err}");
    let rated = json(d, &["load", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == bare["id"])
        .unwrap()
        .clone();
    assert_eq!(rated["aerobic_source"], "session_rpe");

    // explain names the formula, inputs and paper.
    let e = json(d, &["explain", &run["id"].to_string(), "--json"]);
    let expl = &e["load"]["aerobic_explanation"];
    assert!(expl["formula"].as_str().unwrap().contains("TRIMP"));
    assert!(expl["reference"].as_str().unwrap().contains("Banister"));
    assert!(expl["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["name"] == "max HR"));

    // Only what changed recomputes: nothing, then only rides after a new FTP.
    let (_, text, _) = cairn(d, &["load"]);
    assert!(text.contains("(0 recomputed"), "{text}");
    let (code, _, err) = cairn(d, &["profile", "set", "ftp", "250"]);
    assert_eq!(code, 0, "{err}");
    let rides = activities
        .iter()
        .filter(|a| {
            ["ride", "indoor_ride", "mountain_bike", "gravel"]
                .contains(&a["sport"].as_str().unwrap())
        })
        .count();
    let (_, text, _) = cairn(d, &["load"]);
    assert!(
        text.contains(&format!("({rides} recomputed")),
        "expected {rides} rides recomputed: {text}"
    );
    let p = json(d, &["profile", "show", "--json"]);
    let ftp = p["today"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "ftp")
        .unwrap()
        .clone();
    assert_eq!(ftp["value"], 250.0);
    assert_eq!(ftp["provenance"]["kind"], "set");

    // Fitness, fatigue, form and warnings as of the multisport weekend.
    let form = json(d, &["form", "--to", "2015-09-05", "--days", "60", "--json"]);
    let aerobic = form
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dimension"] == "aerobic" && s["sport"].is_null())
        .unwrap();
    assert_eq!(aerobic["points"].as_array().unwrap().len(), 60);
    let svg = dir.path().join("form.svg");
    let (code, _, err) = cairn(
        d,
        &["form", "--to", "2015-09-05", "--svg", svg.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let w = json(d, &["warnings", "--to", "2015-09-01", "--json"]);
    let msgs: Vec<&str> = w
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert!(msgs.iter().any(|m| m.contains("mechanical")), "{msgs:?}");
    assert!(
        msgs.iter()
            .all(|m| !m.contains("risk") && !m.contains("probab")),
        "descriptions, not probabilities: {msgs:?}"
    );
}

#[test]
fn absurd_profile_values_and_ratings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (args, needle) in [
        (vec!["profile", "set", "max_hr", "400"], "plausible range"),
        (vec!["profile", "set", "body_mass", "0"], "plausible range"),
        (vec!["profile", "set", "vo2", "60"], "unknown profile key"),
        (
            vec!["profile", "set", "threshold_pace", "fast"],
            "pace like",
        ),
        (vec!["rate", "1", "--rpe", "7"], "no activity 1"),
        (
            vec!["equivalent", "60min", "trail-run", "--grade", "80%"],
            "45 %",
        ),
    ] {
        let (code, _, err) = cairn(d, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let (code, out, err) = cairn(
        d,
        &[
            "equivalent",
            "60min",
            "trail-run",
            "--grade",
            "10%",
            "--pack",
            "10kg",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("same aerobic load"), "{out}");
}
