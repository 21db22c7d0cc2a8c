//! End-to-end: a goal and its plan, a real run imported into it (compliance
//! and automatic adaptation), the feel log, the athlete's edit, the exports
//! read back, and bad input refused.

mod common;

use common::{corpus, json, refused, run};
use serde_json::Value;

#[test]
fn a_goal_a_real_run_the_feel_log_an_edit_and_the_exports() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Monday 2018-05-14: the amazfit run (8.7 km, 42 min) is on that day.
    let today = ["--today", "2018-05-14"];
    let goal = json(
        d,
        &[
            &today[..],
            &[
                "goal",
                "add",
                "--kind",
                "race",
                "--date",
                "2018-08-26",
                "--distance",
                "half",
                "--days-per-week",
                "4",
                "--long-day",
                "fri",
                "--level",
                "intermediate",
                "--runner",
                "yes",
                "--json",
            ],
        ]
        .concat(),
    );
    let weeks = goal["plan"]["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 15);
    assert_eq!(weeks[0]["start_day"], "2018-05-14");
    // Defaults that were not given are stated.
    assert!(goal["plan"]["goal"]["inferred"]
        .as_array()
        .unwrap()
        .is_empty());
    let monday = &weeks[0]["sessions"][0];
    assert_eq!(monday["mode"], "run");
    assert_eq!(monday["kind"], "easy");

    // Importing the run on Wednesday marks Monday's session done and adapts.
    let (code, out, err) = run(
        d,
        &[
            "--today",
            "2018-05-16",
            "import",
            corpus.join("gpx/amazfit.gpx").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Imported 1 activities"), "{out}");
    let shown = json(
        d,
        &[
            "--today",
            "2018-05-16",
            "plan",
            "show",
            "--week",
            "1",
            "--json",
        ],
    );
    let c = &shown["weeks"][0]["compliance"]["sessions"][0];
    assert_eq!(c["status"], "done", "{c}");
    assert!(c["actual_s"].as_f64().unwrap() > 40.0 * 60.0);
    assert!(c["actual_load"].as_f64().unwrap() > 0.0);

    // A week of high fatigue cuts the next week's planned load by 5–10 %.
    let before = json(
        d,
        &[
            "--today",
            "2018-05-21",
            "plan",
            "show",
            "--week",
            "2",
            "--json",
        ],
    );
    let load = |v: &Value| -> f64 {
        v["weeks"][0]["week"]["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["load"].as_f64().unwrap())
            .sum()
    };
    for (day, f) in [
        ("14", "4"),
        ("15", "5"),
        ("16", "4"),
        ("17", "5"),
        ("18", "4"),
    ] {
        let date = format!("2018-05-{day}");
        let (code, _, err) = run(d, &["log", "--date", &date, "--fatigue", f, "--sleep", "2"]);
        assert_eq!(code, 0, "{err}");
    }
    // A preview says what would change and changes nothing.
    let preview = json(
        d,
        &[
            "--today",
            "2018-05-21",
            "plan",
            "adapt",
            "--dry-run",
            "--json",
        ],
    );
    let unchanged = json(
        d,
        &[
            "--today",
            "2018-05-21",
            "plan",
            "show",
            "--week",
            "2",
            "--json",
        ],
    );
    assert_eq!(load(&unchanged), load(&before));
    let changes = json(d, &["--today", "2018-05-21", "plan", "adapt", "--json"]);
    assert_eq!(preview, changes, "the preview is what adapting does");
    assert!(
        changes
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rule"] == "fatigue_cut"),
        "{changes}"
    );
    let after = json(
        d,
        &[
            "--today",
            "2018-05-21",
            "plan",
            "show",
            "--week",
            "2",
            "--json",
        ],
    );
    let cut = 1.0 - load(&after) / load(&before);
    assert!((0.045..=0.105).contains(&cut), "cut {cut}");
    // Adapting again changes nothing.
    let again = json(d, &["--today", "2018-05-21", "plan", "adapt", "--json"]);
    assert_eq!(again.as_array().unwrap().len(), 0, "{again}");

    // The athlete's edit stands, and is marked as theirs.
    let (code, out, err) = run(
        d,
        &[
            "plan",
            "edit",
            "2018-05-22",
            "--sport",
            "ride",
            "--duration",
            "1h15",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("adaptation will not touch it"));
    let edited = json(
        d,
        &[
            "--today",
            "2018-05-21",
            "plan",
            "show",
            "--week",
            "2",
            "--json",
        ],
    );
    let tue = &edited["weeks"][0]["week"]["sessions"][1];
    assert_eq!(
        (tue["mode"].as_str(), tue["edited"].as_bool()),
        (Some("ride"), Some(true))
    );
    assert_eq!(tue["duration_s"].as_f64(), Some(4500.0));

    // Exports: a calendar, watch workouts that decode, Markdown.
    let ics = d.join("plan.ics");
    let fit = d.join("workouts");
    let md = d.join("plan.md");
    let (code, _, err) = run(
        d,
        &[
            "--today",
            "2018-05-21",
            "plan",
            "export",
            "--ics",
            ics.to_str().unwrap(),
            "--fit-workouts",
            fit.to_str().unwrap(),
            "--markdown",
            md.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    let mut workouts = 0;
    for entry in std::fs::read_dir(&fit).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let w = cairn_core::decode::fit::decode_workout(&bytes).unwrap();
        assert!(!w.steps.is_empty());
        workouts += 1;
    }
    assert!(workouts > 20, "{workouts}");
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert_eq!(markdown.matches("\n## Week ").count(), 15);
    assert!(markdown.contains("(yours)"));
}

#[test]
fn plan_input_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = "--today";
    refused(d, &[t, "2026-11-21", "plan", "show"], "no plan yet");
    refused(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "hike",
            "--date",
            "2026-11-25",
        ],
        "too close",
    );
    refused(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "hike",
            "--date",
            "2027-03-01",
            "--days-per-week",
            "9",
        ],
        "outside 2–7",
    );
    refused(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "hike",
            "--date",
            "2027-03-01",
            "--growth-cap",
            "5%",
        ],
        "outside 10–30 %",
    );
    refused(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "race",
            "--date",
            "2027-03-01",
            "--no-running",
            "--runner",
            "no",
        ],
        "needs running",
    );
    refused(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "ride",
            "--date",
            "2027-03-01",
            "--pack",
            "8kg",
        ],
        "pack belongs to trek and hike",
    );
    refused(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "hike",
            "--date",
            "2027-03-01",
            "--long-day",
            "someday",
        ],
        "mon … sun",
    );
    refused(
        d,
        &["log", "--date", "2026-11-20", "--fatigue", "6"],
        "outside 1–5",
    );
    refused(d, &["log", "--date", "2026-11-20"], "nothing to log");
    // Without history: a beginner who does not run, and it says so.
    let (code, out, err) = run(
        d,
        &[
            t,
            "2026-11-21",
            "goal",
            "add",
            "--kind",
            "trek",
            "--date",
            "2027-04-20",
            "--max-altitude",
            "5400m",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("inferred: level beginner: no training history"),
        "{out}"
    );
    assert!(out.contains("inferred: runner no"), "{out}");
    assert!(out.contains("5400 m"), "{out}");
    refused(
        d,
        &[t, "2026-11-21", "plan", "show", "--week", "99"],
        "the plan has weeks 1–",
    );
    refused(d, &["plan", "edit", "2026-11-24"], "nothing to change");
    refused(
        d,
        &["plan", "edit", "2031-01-01", "--rest"],
        "not in the plan",
    );
    refused(d, &[t, "2026-11-21", "plan", "export"], "nothing to export");
    let rules = json(d, &["plan", "rules", "--json"]);
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "load-growth-cap"
                && r["evidence"].as_str().unwrap().contains("Buist"))
    );
}
