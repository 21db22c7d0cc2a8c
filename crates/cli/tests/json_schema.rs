//! Every `--json` command, found from the binary's own help, run on a demo
//! archive with a goal, a plan, a stay and weather, and every document
//! checked against the rules of docs/json.md: days as `YYYY-MM-DD`, instants
//! as RFC 3339, no milliseconds or day numbers since 1970, SI unit suffixes,
//! no `-0`. A new `--json` command fails here until it is given arguments
//! below, so none escapes the check.

mod common;

use common::{corpus, run};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const TODAY: &str = "2026-11-21";

/// Subcommand paths (`plan show`) whose help lists `--json`.
fn json_commands(d: &Path) -> Vec<String> {
    fn subcommands(help: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut inside = false;
        for line in help.lines() {
            if line.starts_with("Commands:") {
                inside = true;
                continue;
            }
            if inside {
                if !line.starts_with("  ") {
                    break;
                }
                if let Some(name) = line.split_whitespace().next() {
                    if name != "help" {
                        out.push(name.to_string());
                    }
                }
            }
        }
        out
    }
    let mut found = Vec::new();
    let mut stack: Vec<Vec<String>> = subcommands(&run(d, &["--help"]).1)
        .into_iter()
        .map(|c| vec![c])
        .collect();
    while let Some(path) = stack.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = run(d, &args).1;
        let subs = subcommands(&help);
        if subs.is_empty() {
            if help.contains("--json") {
                found.push(path.join(" "));
            }
        } else {
            for s in subs {
                let mut p = path.clone();
                p.push(s);
                stack.push(p);
            }
        }
    }
    found.sort();
    found
}

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_instant(s: &str) -> bool {
    // RFC 3339 always carries its offset (`Z` or `±hh:mm`), which is what
    // makes it parse as a timestamp.
    s.len() >= 20 && is_day(&s[..10]) && s.parse::<jiff::Timestamp>().is_ok()
}

/// Keys that hold a calendar day.
fn day_key(k: &str) -> bool {
    matches!(
        k,
        "day" | "date" | "today" | "created" | "made_on" | "moved_to"
    ) || k.ends_with("_day")
        || k.ends_with("_date")
}

/// Keys that hold an instant.
fn instant_key(k: &str) -> bool {
    k == "time" || k.ends_with("_time") || k.ends_with("_at")
}

/// Values kept in their published unit (docs/json.md): the hypoxic dose in
/// km·h (Garvican-Lewis et al.), the hiking model's coefficient in km/h as
/// Tobler wrote it, and threshold pace in s/km as athletes state it.
const PUBLISHED_UNITS: [&str; 3] = ["dose_km_h", "a_kmh", "threshold_pace_s_per_km"];

/// Units the schema does not use (SI inside: seconds, metres, m/s).
const NOT_SI: [&str; 9] = [
    "_ms", "_min", "_h", "_km", "_kmh", "_mi", "_ft", "_mph", "_f",
];

fn check(path: &str, key: &str, v: &Value, problems: &mut Vec<String>) {
    let at = format!("{path}.{key}");
    if let Some(suffix) = NOT_SI
        .iter()
        .find(|s| key.ends_with(*s) && !PUBLISHED_UNITS.contains(&key))
    {
        problems.push(format!("{at}: unit {suffix} is not SI"));
    }
    match v {
        Value::Null => {}
        Value::String(s) if day_key(key) && !is_day(s) => {
            problems.push(format!("{at}: {s:?} is not YYYY-MM-DD"));
        }
        Value::String(s) if instant_key(key) && !is_instant(s) => {
            problems.push(format!("{at}: {s:?} is not an RFC 3339 instant"));
        }
        Value::Number(n) if day_key(key) || instant_key(key) => {
            problems.push(format!("{at}: {n} is a number, not a day or instant"));
        }
        Value::Number(n) => {
            if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) {
                problems.push(format!("{at}: -0"));
            }
            if let Some(i) = n.as_i64() {
                // Milliseconds since 1970 (1973 to 5138) under any name.
                if (100_000_000_000..100_000_000_000_000).contains(&i) {
                    problems.push(format!("{at}: {i} looks like epoch milliseconds"));
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                // `[day, value]` pairs must name the day.
                if let Value::Array(pair) = x {
                    if pair.len() == 2
                        && pair[0]
                            .as_i64()
                            .is_some_and(|d| (3_650..40_000).contains(&d))
                        && key != "by_year"
                    {
                        problems.push(format!("{at}[{i}]: {} looks like a day number", pair[0]));
                    }
                }
                check(&format!("{path}.{key}"), &format!("[{i}]"), x, problems);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                check(&at, k, x, problems);
            }
        }
        _ => {}
    }
}

#[test]
fn every_json_command_follows_the_documented_schema() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let today = ["--today", TODAY];
    let demo = run(
        d,
        &[&today[..], &["demo", "--years", "1", "--athletes", "2"]].concat(),
    );
    assert_eq!(demo.0, 0, "{}", demo.2);
    let ok = |args: &[&str]| {
        let (code, out, err) = run(d, &[&today[..], args].concat());
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    };
    ok(&[
        "stay",
        "add",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-05",
        "--altitude",
        "2400",
    ]);
    ok(&[
        "goal",
        "add",
        "--kind",
        "race",
        "--date",
        "2027-03-14",
        "--distance",
        "half",
    ]);
    ok(&[
        "gear",
        "add",
        "Trail shoes",
        "--kind",
        "shoes",
        "--default",
        "run",
        "--retire-at",
        "100km",
    ]);
    let weather = d.join("weather.csv");
    std::fs::write(
        &weather,
        "date,place,temp_c,dew_point_c\n2026-11-20,home,14,9\n",
    )
    .unwrap();
    let route = corpus.join("gpx/amazfit.gpx");
    let list: Value = serde_json::from_str(&run(d, &["activities", "--json"]).1).unwrap();
    let id = list[list.as_array().unwrap().len() - 1]["id"].to_string();
    let route = route.to_str().unwrap();
    let file = corpus.join("fit");
    let file = file.to_str().unwrap();
    let weather = weather.to_str().unwrap();
    let args: BTreeMap<&str, Vec<&str>> = [
        ("activities", vec![]),
        (
            "add",
            vec![
                "hike",
                "--duration",
                "3h",
                "--distance",
                "9",
                "--ascent",
                "600",
                "--date",
                "2026-11-20",
            ],
        ),
        (
            "adjust",
            vec!["--pace", "5:00/km", "--altitude", "2000m", "--temp", "28"],
        ),
        ("altitude", vec!["--days", "90"]),
        ("athletes", vec![]),
        ("settings", vec![]),
        (
            "compare",
            vec![
                "--a",
                "2026-01-01..2026-05-31",
                "--b",
                "2026-06-01..2026-11-21",
            ],
        ),
        ("courses", vec![]),
        ("curve", vec!["--kind", "pace", "--sport", "run"]),
        ("equivalent", vec!["60min", "trail_run"]),
        ("explain", vec![&id]),
        ("form", vec!["--days", "30"]),
        (
            "goal add",
            vec!["--kind", "trek", "--date", "2027-05-01", "--ascent", "900m"],
        ),
        ("gear list", vec!["--all"]),
        ("goal list", vec![]),
        ("heat", vec![]),
        ("import", vec![file]),
        ("load", vec!["--from", "2026-11-01"]),
        ("plan adapt", vec![]),
        ("plan rules", vec![]),
        ("plan show", vec![]),
        ("ready", vec![]),
        ("predict", vec![]),
        ("profile show", vec![]),
        ("rebuild", vec![]),
        ("records", vec![]),
        ("show", vec![&id]),
        ("stay list", vec![]),
        ("summary", vec!["--by", "month"]),
        ("sync", vec!["--mounts", file]),
        ("verify", vec![]),
        ("warnings", vec![]),
        ("weather import", vec![weather]),
    ]
    .into_iter()
    .collect();
    let commands = json_commands(d);
    assert!(commands.len() >= 25, "found only {commands:?}");
    let mut problems = Vec::new();
    let mut run_one = |name: &str, extra: &[&str]| {
        let mut a: Vec<&str> = today.to_vec();
        a.extend(name.split(' '));
        a.extend(extra);
        a.push("--json");
        let (code, out, err) = run(d, &a);
        assert!(code == 0 || code == 1, "{a:?}: {err}");
        let v: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{a:?} printed no JSON ({e}): {out}{err}"));
        check(name, "", &v, &mut problems);
    };
    for name in &commands {
        let extra = args
            .get(name.as_str())
            .unwrap_or_else(|| panic!("`{name} --json` has no arguments in this test: add it"));
        run_one(name, extra);
    }
    // A route prediction is the other shape of `predict`.
    run_one("predict", &[route]);
    assert!(problems.is_empty(), "{problems:#?}");

    // The same commands as text under imperial units: no metric unit shows.
    let mut leaks = Vec::new();
    let mut text_of = |name: &str, extra: &[&str]| {
        let mut a: Vec<&str> = today.to_vec();
        a.extend(["--units", "imperial"]);
        a.extend(name.split(' '));
        a.extend(extra);
        let (code, out, err) = run(d, &a);
        assert!(code == 0 || code == 1, "{a:?}: {err}");
        // Piped, as here, output is plain text: no colour codes.
        assert!(
            !out.contains('\x1b') && !err.contains('\x1b'),
            "{a:?} printed escape codes"
        );
        leaks.extend(
            metric_units_in(&out)
                .into_iter()
                .map(|l| format!("{name}: {l}")),
        );
    };
    // `explain` traces a formula with its inputs as the formula takes them
    // (SI), as its paper states it; only its headline follows the units.
    for name in commands.iter().filter(|c| *c != "explain") {
        text_of(name, &args[name.as_str()]);
    }
    text_of("predict", &[route]);
    assert!(leaks.is_empty(), "{leaks:#?}");
}

/// A line that cites a published source ("Pandolf 1998", "(Gore 2013)")
/// states the model as its paper does, in the paper's units.
fn cites_a_source(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).any(|w| {
        let year = w[1].trim_end_matches([')', ';', ',', '.', ':']);
        year.len() == 4
            && (year.starts_with("19") || year.starts_with("20"))
            && year.chars().all(|c| c.is_ascii_digit())
            && w[0]
                .trim_start_matches('(')
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    })
}

/// Lines that show a number in a metric unit. Race distances keep their
/// names ("5 km", "400 m"), as athletes everywhere say them; the hypoxic
/// dose keeps its published km·h; lines citing a source state its model.
fn metric_units_in(text: &str) -> Vec<String> {
    const RACES: [&str; 6] = ["400 m", "1 km", "5 km", "10 km", "21.1 km", "km·h"];
    const UNITS: [&str; 9] = ["km", "m", "kg", "°C", "km/h", "/km", "m/h", "m/s", "cm"];
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !cites_a_source(l)) {
        let mut l = line.to_string();
        for r in RACES {
            l = l.replace(r, "");
        }
        let bytes: Vec<char> = l.chars().collect();
        let leak = (0..bytes.len()).any(|i| {
            if !bytes[i].is_ascii_digit() {
                return false;
            }
            let rest: String = bytes[i + 1..].iter().collect();
            let rest = rest.trim_start_matches(' ');
            UNITS.iter().any(|u| {
                rest.starts_with(u)
                    && !rest[u.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric())
            })
        });
        if leak {
            out.push(line.trim().to_string());
        }
    }
    out
}

#[test]
fn the_metric_check_finds_metric_units_and_only_them() {
    assert_eq!(metric_units_in("14.2 km in 1:12:00").len(), 1);
    assert_eq!(metric_units_in("ascent 640 m").len(), 1);
    assert_eq!(metric_units_in("5:30/km").len(), 1);
    assert_eq!(metric_units_in("pack 9kg, 21 °C").len(), 1);
    assert!(metric_units_in(
        "8.8 mi · 2100 ft · 70 °F · 5 km best 20:31 · 5 min power · Zone 2 max"
    )
    .is_empty());
}

#[test]
fn the_checks_catch_what_they_are_for() {
    let mut p = Vec::new();
    let bad = serde_json::json!({
        "day": 20_607, "start_ms": 1, "from_day": "21/11/2026", "start_time": 1_780_000_000_000_i64,
        "hbmass": [[20_607, 1.0]], "elapsed": 1_780_000_000_000_i64, "speed_kmh": 3.0,
        "form": -0.0
    });
    check("t", "", &bad, &mut p);
    assert_eq!(p.len(), 8, "{p:#?}");
    let mut fine = Vec::new();
    let good = serde_json::json!({
        "day": "2026-11-21", "start_time": "2026-11-21T07:02:11Z", "moving_s": 2832.0,
        "by_year": [[2026, {"day": "2026-01-02"}]], "first_day": null,
        "source": "run-00001.fit", "dose_km_h": 12.0
    });
    check("t", "", &good, &mut fine);
    assert!(fine.is_empty(), "{fine:#?}");
}
