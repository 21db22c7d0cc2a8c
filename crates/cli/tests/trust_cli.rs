//! End-to-end: the numbers of everyday files, through the binary. Each test
//! is one class of defect of issue 12, on files written here with cairn's
//! encoder (the way watches and exports write them) and on corpus files.

mod common;

use cairn_core::model::{Activity, ChannelKind, SourceFormat, Sport};
use cairn_core::sim::history::Terrain;
use cairn_core::sim::rng::Rng;
use common::{corpus, json, refused, run, s, session, session_on, write};
use serde_json::Value;
use std::path::Path;

fn activities(d: &Path) -> Vec<Value> {
    json(d, &["activities", "--json"])
        .as_array()
        .unwrap()
        .clone()
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

/// Class 2: heart rate on one record in five (1–9 s apart) is held across
/// the short gaps, and `explain` says which rule and what it dropped.
#[test]
fn sparse_heart_rate_counts_and_explain_states_the_gap_rule() {
    let work = tempfile::tempdir().unwrap();
    let full = session(Sport::Run, Terrain::Rolling, 30.0, 11);
    let mut sparse = full.clone();
    let t = sparse.samples.time_ms.clone();
    let hr = sparse.samples.take_channel(ChannelKind::HeartRate).unwrap();
    let mut rng = Rng::new(5);
    let mut next = t[0];
    let thinned: Vec<Option<f64>> = hr
        .iter()
        .zip(&t)
        .map(|(h, ti)| {
            if *ti >= next && h.is_some() {
                next = ti + 1000 * (1 + (rng.next_u64() % 9) as i64);
                *h
            } else {
                None
            }
        })
        .collect();
    let readings = thinned.iter().flatten().count();
    assert!(readings * 3 < t.len(), "{readings} of {}", t.len());
    sparse
        .samples
        .set_channel(ChannelKind::HeartRate, Some(thinned));
    let loads: Vec<f64> = [("full", &full), ("sparse", &sparse)]
        .iter()
        .map(|(name, a)| {
            let data = tempfile::tempdir().unwrap();
            let file = write(
                work.path(),
                &format!("{name}.fit"),
                cairn_core::encode::fit::encode(a),
            );
            // The same thresholds for both, so only the recording differs.
            for (k, v) in [("max_hr", "190"), ("resting_hr", "50"), ("lthr_run", "172")] {
                assert_eq!(run(data.path(), &["profile", "set", k, v]).0, 0);
            }
            json(data.path(), &["import", "--json", s(&file)]);
            let load = json(data.path(), &["load", "--json"]);
            assert_eq!(load[0]["aerobic_source"], "heart_rate", "{name}: {load}");
            let (code, explain, _) = run(data.path(), &["explain", "1"]);
            assert_eq!(code, 0);
            assert!(
                explain.contains("held between readings up to 30 s apart"),
                "{name}: {explain}"
            );
            f(&load[0]["aerobic"])
        })
        .collect();
    let (dense, thin) = (loads[0], loads[1]);
    assert!(
        (thin - dense).abs() <= 0.02 * dense,
        "heart-rate load {thin:.1} from sparse readings vs {dense:.1}"
    );
}

/// Class 3: a TCX whose track starts again after a point: the repeat is
/// dropped and said, and moving time stays within the elapsed time.
#[test]
fn a_track_that_repeats_is_dropped_and_moving_stays_within_elapsed() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut a = session(Sport::Run, Terrain::Flat, 20.0, 3);
    let n = a.samples.len();
    let repeat: Vec<bool> = (0..n).map(|i| i < n / 2).collect();
    let mut tail = a.clone();
    tail.samples.retain_indices(&repeat);
    // The first half again, its timestamps starting over.
    for i in 0..tail.samples.len() {
        let mut row = [None; ChannelKind::ALL.len()];
        for k in ChannelKind::ALL {
            row[k as usize] = tail.samples.value(k, i);
        }
        a.samples.push_row(tail.samples.time_ms[i], &row);
    }
    let file = write(work.path(), "repeat.tcx", cairn_core::encode::xml::tcx(&a));
    let report = json(data.path(), &["import", "--json", s(&file)]);
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("time went back"), "{warnings}");
    let list = activities(data.path());
    let act = &list[0];
    assert!(f(&act["dropped_points"]) >= (n / 2) as f64 - 2.0, "{act}");
    let elapsed = f(&act["elapsed_s"]);
    assert!(f(&act["moving_s"]) <= elapsed + 0.5, "{act}");
    assert!((elapsed - 20.0 * 60.0).abs() < 90.0, "{act}");
}

/// Class 4: sessions without a speed channel are never 0 moving and get a
/// pace from their distance.
#[test]
fn sessions_without_speed_have_moving_time_and_pace() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let start = 1_780_000_000_000;
    // Indoor rowing: stroke rate only, 23 minutes.
    let mut row = Activity::new(SourceFormat::Fit, Sport::Rowing, start);
    for i in 0..23 * 60 {
        row.samples.push_time(start + i * 1000);
        row.samples.set_last(ChannelKind::Cadence, 24.0);
        row.samples.set_last(ChannelKind::HeartRate, 140.0);
    }
    // An indoor ride: 14.9 km of distance and power, no speed, no position.
    let t0 = start + 3_600_000;
    let mut ride = Activity::new(SourceFormat::Fit, Sport::IndoorRide, t0);
    for i in 0..30 * 60 {
        ride.samples.push_time(t0 + i * 1000);
        ride.samples
            .set_last(ChannelKind::Distance, 14_900.0 * i as f64 / 1799.0);
        ride.samples.set_last(ChannelKind::Power, 200.0);
    }
    let files = [
        write(
            work.path(),
            "row.fit",
            cairn_core::encode::fit::encode(&row),
        ),
        write(
            work.path(),
            "ride.fit",
            cairn_core::encode::fit::encode(&ride),
        ),
    ];
    let (code, _, err) = run(data.path(), &["import", s(&files[0]), s(&files[1])]);
    assert_eq!(code, 0, "{err}");
    let list = activities(data.path());
    let by = |sport: &str| list.iter().find(|a| a["sport"] == sport).unwrap().clone();
    let row = by("rowing");
    assert!((f(&row["moving_s"]) - 23.0 * 60.0).abs() <= 2.0, "{row}");
    let ride = by("indoor_ride");
    assert!((f(&ride["distance_m"]) - 14_900.0).abs() < 10.0, "{ride}");
    let speed = f(&ride["avg_speed_mps"]);
    assert!((speed - 14_900.0 / 1800.0).abs() < 0.1, "{ride}");
    assert!(f(&ride["moving_s"]) > 1700.0, "{ride}");
}

/// Class 5: points without a time are kept (times along the distance), a
/// track with too few times is a planned route, and `predict` times every
/// point of a file of several tracks.
#[test]
fn untimed_points_are_kept_and_routes_use_every_point() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let gpx = corpus.join("gpx");
    let report = json(
        d,
        &[
            "import",
            "--json",
            s(&gpx.join("korita-zbevnica.gpx")),
            s(&gpx.join("cerknicko-without-times.gpx")),
        ],
    );
    assert!(
        report["warnings"]
            .to_string()
            .contains("358 of 871 track points had no time"),
        "{report}"
    );
    let list = activities(d);
    assert_eq!(list.len(), 1, "the untimed track is no activity");
    // gpxpy's 2-D length of the track: 14,914 m.
    assert!(
        (f(&list[0]["distance_m"]) - 14_914.0).abs() < 150.0,
        "{}",
        list[0]
    );
    let courses = json(d, &["courses", "--json"]);
    let total: f64 = courses
        .as_array()
        .unwrap()
        .iter()
        .map(|c| f(&c["distance_m"]))
        .sum();
    // gpxpy: 4,580 m over the file's eight tracks.
    assert!((total - 4580.0).abs() < 50.0, "{courses}");
    for file in ["cerknicko-without-times.gpx", "cerknicko-jezero.gpx"] {
        let r = json(d, &["predict", s(&gpx.join(file)), "--json"]);
        assert!(
            (f(&r["distance_m"]) - 4580.0).abs() < 100.0,
            "{file}: every track, without the jumps between them: {}",
            r["distance_m"]
        );
    }
    let r = json(
        d,
        &["predict", s(&gpx.join("korita-zbevnica.gpx")), "--json"],
    );
    assert!(
        (f(&r["distance_m"]) - 14_914.0).abs() < 150.0,
        "{}",
        r["distance_m"]
    );
}

/// World Athletics men's outdoor records (s), as of 2026 (half marathon:
/// Kiplimo 2025, 56:42): nothing on foot
/// is faster.
const WORLD_RECORDS_S: [(f64, f64); 7] = [
    (400.0, 43.03),
    (1000.0, 131.96),
    (1609.344, 223.13),
    (5000.0, 755.36),
    (10_000.0, 1571.0),
    (21_097.5, 3402.0),
    (42_195.0, 7235.0),
];

/// Class 7: a ride an export labelled "Run" sets no run record faster than
/// the world record (the effort is shown as rejected, with the reason), and
/// after `edit --sport` records, curves and predictions follow at once.
#[test]
fn a_ride_labelled_run_sets_no_record_and_edits_are_followed() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let work = tempfile::tempdir().unwrap();
    let export = work.path().join("strava");
    std::fs::create_dir_all(export.join("activities")).unwrap();
    let ride = session(Sport::Ride, Terrain::Rolling, 60.0, 21);
    write(
        &export,
        "activities/123.fit",
        cairn_core::encode::fit::encode(&ride),
    );
    write(
        &export,
        "activities.csv",
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n123,\"Jun 1, 2026, 8:00:00 AM\",Morning Run,Run,activities/123.fit\n",
    );
    // A real run, so that records and predictions have something true.
    let run_file = write(
        work.path(),
        "run.fit",
        cairn_core::encode::fit::encode(&session_on(20_603, Sport::Run, Terrain::Flat, 45.0, 4)),
    );
    json(d, &["import", "--json", s(&export), s(&run_file)]);
    let list = activities(d);
    let labelled = list.iter().find(|a| a["name"] == "Morning Run").unwrap();
    assert_eq!(labelled["sport"], "run", "the export's label is taken");
    let id = labelled["id"].to_string();

    let records = json(d, &["records", "--sport", "run", "--json"]);
    let mut checked = 0;
    for (distance, wr) in WORLD_RECORDS_S {
        for r in records.as_array().unwrap() {
            if r["kind"]["Run"]
                .as_f64()
                .is_some_and(|x| (x - distance).abs() < 0.5)
            {
                for e in record_entries(r) {
                    checked += 1;
                    assert!(f(&e["value"]) >= wr, "{distance} m: {e}");
                }
            }
        }
    }
    assert!(checked > 0, "{records}");
    let shown = json(d, &["show", &id, "--json"]);
    let rejected = shown["rejected_efforts"].to_string();
    assert!(rejected.contains("faster than the world record"), "{shown}");
    let predicted = json(d, &["predict", "--json"]);
    let evidence = predicted.to_string();

    let (code, _, err) = run(d, &["edit", &id, "--sport", "ride"]);
    assert_eq!(code, 0, "{err}");
    let after = json(d, &["records", "--sport", "run", "--json"]);
    assert!(
        !after.to_string().contains(&format!("\"activity_id\":{id}")),
        "records follow the edit: {after}"
    );
    let rides = json(d, &["records", "--sport", "ride", "--json"]).to_string();
    assert!(rides.contains(&format!("\"activity_id\":{id}")), "{rides}");
    let pace = json(d, &["curve", "--kind", "pace", "--sport", "run", "--json"]).to_string();
    assert!(!pace.contains(&format!("\"activity_id\":{id}")), "{pace}");
    // Predictions never used the ride, before or after.
    assert_eq!(json(d, &["predict", "--json"]).to_string(), evidence);
}

/// The all-time entry of one `records --json` row and those of every year
/// and season.
fn record_entries(row: &Value) -> Vec<Value> {
    let mut out = vec![row["all_time"].clone()];
    for group in ["by_year", "by_season"] {
        for pair in row[group].as_array().into_iter().flatten() {
            out.push(pair[1].clone());
        }
    }
    out.retain(|e| !e.is_null());
    out
}

/// Class 9: the same run as FIT and as TCX: one pace (distance over moving
/// time), the same numbers.
#[test]
fn the_same_run_from_fit_and_tcx_agrees() {
    let work = tempfile::tempdir().unwrap();
    let a = session(Sport::Run, Terrain::Rolling, 50.0, 8);
    let numbers: Vec<Value> = [
        ("run.fit", cairn_core::encode::fit::encode(&a)),
        ("run.tcx", cairn_core::encode::xml::tcx(&a).into_bytes()),
    ]
    .into_iter()
    .map(|(name, bytes)| {
        let data = tempfile::tempdir().unwrap();
        let file = write(work.path(), name, bytes);
        json(data.path(), &["import", "--json", s(&file)]);
        activities(data.path())[0].clone()
    })
    .collect();
    let (fit, tcx) = (&numbers[0], &numbers[1]);
    for (key, tolerance) in [
        ("distance_m", 0.005),
        ("moving_s", 0.01),
        ("avg_speed_mps", 0.01),
        ("avg_hr_bpm", 0.01),
    ] {
        let (x, y) = (f(&fit[key]), f(&tcx[key]));
        assert!((x - y).abs() <= tolerance * x, "{key}: FIT {x} vs TCX {y}");
    }
    for a in [fit, tcx] {
        let pace = f(&a["distance_m"]) / f(&a["moving_s"]);
        assert!((pace - f(&a["avg_speed_mps"])).abs() < 1e-6, "{a}");
    }
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Class 10: Strava's type labels single-session files only, and the same
/// FIT from a Garmin export and a Strava export (compressed, labelled
/// differently) is counted once.
#[test]
fn bulk_exports_neither_mislabel_nor_double_count() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let work = tempfile::tempdir().unwrap();
    let multi = std::fs::read(corpus.join("fit/activity-large-fenxi2-multisport.fit")).unwrap();
    let walk = std::fs::read(corpus.join("fit/garmin-fenix-5-walk.fit")).unwrap();
    let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n\
               1,\"Aug 29, 2015\",Triathlon,Mountain Bike Ride,activities/1.fit.gz\n\
               2,\"Jan 1, 2020\",Stroll,Hike,activities/2.fit.gz\n";
    let strava = zip_with(&[
        ("activities.csv", csv.as_bytes()),
        ("activities/1.fit.gz", &gz(&multi)),
        ("activities/2.fit.gz", &gz(&walk)),
    ]);
    let garmin = zip_with(&[(
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
        &zip_with(&[("multi.fit", &multi), ("walk.fit", &walk)]),
    )]);
    let strava = write(work.path(), "export_strava.zip", strava);
    let garmin = write(work.path(), "garmin_export.zip", garmin);
    json(d, &["import", "--json", s(&strava)]);
    let first = activities(d);
    let sessions: Vec<&Value> = first
        .iter()
        .filter(|a| !a["multisport_group"].is_null())
        .collect();
    assert!(sessions.len() >= 3, "{first:?}");
    assert!(
        sessions.iter().any(|a| a["sport"] != "mountain_bike"),
        "one label for every session of a multisport file: {sessions:?}"
    );
    let report = json(d, &["import", "--json", s(&garmin)]);
    assert_eq!(report["activities_imported"], 0, "{report}");
    assert_eq!(report["already_imported"], 2, "{report}");
    assert_eq!(activities(d).len(), first.len());
}

/// Class 11: profile values that contradict each other are refused, naming
/// the other value and its day; the missing load says why.
#[test]
fn contradicting_profile_values_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    assert_eq!(run(d, &["profile", "set", "resting_hr", "110"]).0, 0);
    refused(d, &["profile", "set", "max_hr", "105"], "resting_hr");
    let (_, _, err) = run(d, &["profile", "set", "max_hr", "105"]);
    assert!(err.contains("110"), "names the other value: {err}");
    assert_eq!(run(d, &["profile", "set", "max_hr", "185"]).0, 0);
    refused(d, &["profile", "set", "lthr_run", "190"], "max_hr");
    refused(d, &["profile", "set", "lthr_run", "100"], "resting_hr");
    assert_eq!(run(d, &["profile", "set", "lthr_run", "165"]).0, 0);
}

/// Class 12 through the binary: devices and pipes are not read, XML nested
/// past the limit is refused in linear time, nested compression shares one
/// budget, and impossible values are dropped with a warning that names them.
#[test]
fn hostile_input_gets_a_specific_error() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let work = tempfile::tempdir().unwrap();
    let (code, out, _) = run(d, &["import", "--json", "/dev/zero"]);
    assert_eq!(code, 1);
    assert!(out.contains("not a regular file"), "{out}");
    let fifo = work.path().join("pipe.gpx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (code, out, _) = run(d, &["import", "--json", s(&fifo)]);
        assert_eq!(code, 1);
        assert!(out.contains("not a regular file"), "{out}");
    }
    // A million nested elements: refused at the depth limit, quickly.
    let mut deep = String::from("<?xml version=\"1.0\"?><gpx><trk><trkseg>");
    deep.push_str(&"<x>".repeat(1_000_000));
    let deep = write(work.path(), "deep.gpx", deep);
    let started = std::time::Instant::now();
    let (code, out, _) = run(d, &["import", "--json", s(&deep)]);
    assert_eq!(code, 1);
    assert!(out.contains("deeper than 64 levels"), "{out}");
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    // A .gz inside a zip, 1 GB of zeros inside: one budget for both.
    let zeros = vec![0u8; 64 << 20];
    let bomb = write(
        work.path(),
        "bomb.zip",
        zip_with(&[("a.gpx.gz", &gz(&gz(&zeros)))]),
    );
    let (code, out, _) = run(d, &["import", "--json", s(&bomb)]);
    assert_eq!(code, 1);
    assert!(out.contains("a.gpx.gz"), "{out}");
    // A distance of 1.8e308 m.
    let a = session(Sport::Run, Terrain::Flat, 10.0, 2);
    let tcx = cairn_core::encode::xml::tcx(&a);
    let at = tcx.find("<DistanceMeters>").unwrap() + "<DistanceMeters>".len();
    let end = at + tcx[at..].find('<').unwrap();
    let tcx = format!("{}1.8e308{}", &tcx[..at], &tcx[end..]);
    let huge = write(work.path(), "huge.tcx", tcx);
    let report = json(d, &["import", "--json", s(&huge)]);
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("distance") && warnings.contains("e308"),
        "{warnings}"
    );
    let id = report["activity_ids"][0].to_string();
    let (code, out, err) = run(d, &["show", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() < 200, "no split per km of 1.8e308 m");
}

/// Class 13: kill -9 at random moments during imports, then `verify`, then
/// the same import again: nothing half-written, nothing left behind, every
/// file in once, the numbers those of an import never interrupted.
#[test]
fn imports_killed_at_random_moments_leave_a_sound_archive() {
    let Some(corpus) = corpus() else { return };
    let clean = tempfile::tempdir().unwrap();
    let sources = [corpus.join("fit"), corpus.join("gpx"), corpus.join("tcx")];
    let args: Vec<&str> = sources.iter().map(|p| s(p)).collect();
    let import = |d: &Path| {
        let mut a = vec!["import", "--json"];
        a.extend(&args);
        run(d, &a)
    };
    assert_eq!(import(clean.path()).0, 0);
    let expected = summary_of(clean.path());

    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let mut rng = Rng::new(1234);
    for round in 0..6 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
            .arg("--data-dir")
            .arg(d)
            .arg("import")
            .args(&sources)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait_ms = 30 + rng.next_u64() % 600;
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let v = json(d, &["verify", "--json"]);
        assert_eq!(
            v["database_problems"],
            serde_json::json!([]),
            "round {round}: {v}"
        );
        assert_eq!(
            v["originals_missing"],
            serde_json::json!([]),
            "round {round}: {v}"
        );
        assert_eq!(
            v["originals_damaged"],
            serde_json::json!([]),
            "round {round}: {v}"
        );
        assert_eq!(leftovers(d), 0, "round {round}: temporary files left");
    }
    let (code, out, err) = import(d);
    assert_eq!(code, 0, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["failed"], serde_json::json!([]), "{report}");
    assert_eq!(summary_of(d), expected, "as if never interrupted");
    let v = json(d, &["verify", "--json"]);
    assert_eq!(v["originals_not_in_database"], serde_json::json!([]), "{v}");
    assert_eq!(
        v["files_checked"],
        json(clean.path(), &["verify", "--json"])["files_checked"]
    );
}

/// The numbers of an archive, for comparing two: (source, start, sport,
/// distance, moving) of every activity, in order.
fn summary_of(d: &Path) -> Vec<String> {
    let mut out: Vec<String> = activities(d)
        .iter()
        .map(|a| {
            format!(
                "{} {} {} {} {}",
                a["source"], a["start_time"], a["sport"], a["distance_m"], a["moving_s"]
            )
        })
        .collect();
    out.sort();
    out
}

fn leftovers(d: &Path) -> usize {
    fn walk(p: &Path, n: &mut usize) {
        for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, n);
            } else if e.file_name().to_string_lossy().starts_with('.')
                && e.file_name().to_string_lossy().contains(".tmp")
            {
                *n += 1;
            }
        }
    }
    let mut n = 0;
    walk(&d.join("archive"), &mut n);
    n
}

/// Class 13: opening a new data directory and importing from several
/// processes at once: no error, every file stored once.
#[test]
fn concurrent_opens_and_imports_wait_for_each_other() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path().join("new");
    let opens: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
                .arg("--data-dir")
                .arg(&d)
                .args(["activities", "--json"])
                .output()
                .unwrap()
        })
        .collect();
    drop(opens);
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
            .arg("--data-dir")
            .arg(&d)
            .args(["import", "--json"])
            .arg(corpus.join("fit"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn();
    let second = spawn();
    let outputs = [
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    ];
    let mut imported = 0;
    let mut already = 0;
    for o in &outputs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let r: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(r["failed"], serde_json::json!([]), "{r}");
        imported += r["files_imported"].as_u64().unwrap();
        already += r["already_imported"].as_u64().unwrap();
    }
    let files = std::fs::read_dir(corpus.join("fit")).unwrap().count() as u64;
    assert_eq!(imported, files);
    assert_eq!(already, files);
}

/// Spawns `n` processes opening a fresh data directory at the same moment.
#[test]
fn a_new_data_directory_opened_by_several_processes_at_once() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().join("fresh");
    let children: Vec<_> = (0..6)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
                .arg("--data-dir")
                .arg(&d)
                .args(["activities", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

/// Class 13: a missing or damaged original is found by `verify` and
/// written back by importing its source; a lost database is refused until
/// `rebuild`, which brings back every activity and what the athlete said.
#[test]
fn verify_restore_and_rebuild() {
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let fit = corpus.join("fit");
    let (code, _, err) = run(d, &["import", s(&fit)]);
    assert_eq!(code, 0, "{err}");
    let before = summary_of(d);
    let first = activities(d)
        .into_iter()
        .find(|a| a["sport"] == "run")
        .unwrap();
    let id = first["id"].to_string();
    assert_eq!(
        run(d, &["edit", &id, "--sport", "trail_run", "--temp", "24"]).0,
        0
    );
    assert_eq!(run(d, &["rate", &id, "--rpe", "6"]).0, 0);
    assert_eq!(run(d, &["profile", "set", "max_hr", "188"]).0, 0);
    let edited = summary_of(d);
    let profile = json(d, &["profile", "show", "--json"]);

    // One original deleted, one damaged.
    let sha = |a: &Value| a["sha256"].as_str().unwrap().to_string();
    let list = activities(d);
    let (gone, hurt) = (sha(&list[0]), sha(&list[list.len() - 1]));
    let path = |h: &str| d.join("archive").join(&h[..2]).join(&h[2..]);
    std::fs::remove_file(path(&gone)).unwrap();
    let mut bytes = std::fs::read(path(&hurt)).unwrap();
    bytes[20] ^= 0xff;
    std::fs::write(path(&hurt), bytes).unwrap();
    let (code, out, _) = run(d, &["verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("1 missing, 1 damaged"), "{out}");
    assert!(out.contains("cairn import"), "says what to do: {out}");
    // A rebuild would lose them: it refuses to replace the database.
    let (code, out, _) = run(d, &["rebuild"]);
    assert_eq!(code, 1);
    assert!(out.contains("not changed"), "{out}");
    assert_eq!(summary_of(d), edited);
    // Importing the sources writes both back.
    let report = json(d, &["import", "--json", s(&fit)]);
    assert_eq!(report["restored"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(run(d, &["verify"]).0, 0);

    // The database lost: refused, not taken for a new archive.
    let db = d.join("cairn.sqlite");
    std::fs::write(&db, b"").unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", db.display()));
    }
    let (code, _, err) = run(d, &["activities"]);
    assert_eq!(code, 1);
    assert!(err.contains("cairn rebuild"), "{err}");
    let (code, out, err) = run(d, &["rebuild"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        summary_of(d),
        before,
        "every activity back, from the originals"
    );
    assert_eq!(run(d, &["verify"]).0, 0);

    // With the database intact, a rebuild keeps what the athlete said.
    let restored = tempfile::tempdir().unwrap();
    let r = restored.path();
    assert_eq!(run(r, &["import", s(&fit)]).0, 0);
    assert_eq!(
        run(r, &["edit", &id, "--sport", "trail_run", "--temp", "24"]).0,
        0
    );
    assert_eq!(run(r, &["rate", &id, "--rpe", "6"]).0, 0);
    assert_eq!(run(r, &["profile", "set", "max_hr", "188"]).0, 0);
    let (code, out, err) = run(r, &["rebuild"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 corrected sport"), "{out}");
    assert_eq!(summary_of(r), edited);
    assert_eq!(json(r, &["profile", "show", "--json"]), profile);
    let load = json(r, &["load", "--json"]);
    let rated = load
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"].as_i64() == id.parse::<i64>().ok())
        .unwrap();
    assert_eq!(rated["sport"], "trail_run", "{rated}");
    assert!(r.join("cairn.sqlite.before-rebuild").exists());
}

/// Class 13: a full disk stops the import at the first failure with one
/// message; the database stays sound and the same import later completes.
/// (The file-size limit stands in for the disk: writes past it fail as
/// they would on a full disk.)
#[test]
fn a_full_disk_stops_the_import_cleanly() {
    let Some(corpus) = corpus() else { return };
    let have_prlimit = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_prlimit {
        assert!(
            std::env::var_os("CI").is_none(),
            "prlimit (util-linux) is needed"
        );
        eprintln!("SKIPPED: prlimit not found");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let fit = corpus.join("fit");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; exec prlimit --fsize=2500000 '{}' --data-dir '{}' import --json '{}'",
            env!("CARGO_BIN_EXE_cairn"),
            d.display(),
            fit.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stopped = report["stopped"].to_string();
    assert!(stopped.contains("the import stopped there"), "{report}");
    assert_eq!(
        report["failed"],
        serde_json::json!([]),
        "one message, not one per file"
    );
    let v = json(d, &["verify", "--json"]);
    assert_eq!(v["database_problems"], serde_json::json!([]), "{v}");
    let (code, out, err) = run(d, &["import", "--json", s(&fit)]);
    assert_eq!(code, 0, "{out}{err}");
    let clean = tempfile::tempdir().unwrap();
    assert_eq!(run(clean.path(), &["import", s(&fit)]).0, 0);
    assert_eq!(summary_of(d), summary_of(clean.path()));
}

/// Runs cairn as a user who cannot write `d` (root can write anything, so
/// as root the command runs as `nobody`).
fn run_without_write(d: &Path, args: &[&str]) -> Option<(i32, String, String)> {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let out = if root {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let line = format!(
            "'{}' --data-dir '{}' {}",
            env!("CARGO_BIN_EXE_cairn"),
            d.display(),
            quoted.join(" ")
        );
        let o = std::process::Command::new("su")
            .args(["nobody", "-s", "/bin/sh", "-c", &line])
            .output()
            .ok()?;
        // su itself refused (no such user, no su): not the archive's doing.
        if o.status.code() == Some(125) || o.status.code() == Some(126) {
            return None;
        }
        o
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
            .arg("--data-dir")
            .arg(d)
            .args(args)
            .output()
            .ok()?
    };
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// An archive that cannot be written (a read-only mount, a copy owned by
/// someone else) opens for everything that reads, verifies as sound, and an
/// import says why it cannot, in words.
#[test]
fn a_read_only_archive_reads_and_verifies() {
    use std::os::unix::fs::PermissionsExt;
    let Some(corpus) = corpus() else { return };
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    assert_eq!(run(d, &["import", s(&corpus.join("fit"))]).0, 0);
    let listed = activities(d).len();
    let mut stack = vec![d.to_path_buf()];
    while let Some(p) = stack.pop() {
        let meta = std::fs::metadata(&p).unwrap();
        let mode = if meta.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        }
    }
    let Some((code, out, err)) = run_without_write(d, &["activities", "--json"]) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "su is needed to test as another user"
        );
        eprintln!("SKIPPED: cannot run as a user without write access");
        return;
    };
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        listed
    );
    let (code, out, err) = run_without_write(d, &["verify"]).unwrap();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("sound"), "{out}");
    let (code, _, err) = run_without_write(d, &["records"]).unwrap();
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        run_without_write(d, &["import", s(&corpus.join("gpx/amazfit.gpx"))]).unwrap();
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot be written") && err.contains("only read work"),
        "{err}"
    );
    let mut stack = vec![d.to_path_buf()];
    while let Some(p) = stack.pop() {
        let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755));
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        }
    }
}

/// A database file SQLite cannot read (overwritten, truncated to junk) is
/// named as damaged with the way back, never in SQLite's own words; the way
/// back works.
#[test]
fn a_damaged_database_is_named_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let work = tempfile::tempdir().unwrap();
    let file = common::write(
        work.path(),
        "run.fit",
        cairn_core::encode::fit::encode(&common::session(
            cairn_core::model::Sport::Run,
            cairn_core::sim::history::Terrain::Flat,
            30.0,
            3,
        )),
    );
    let (code, _, err) = common::run(d, &["import", common::s(&file)]);
    assert_eq!(code, 0, "{err}");
    for junk in [&b"not a database at all, just text"[..], &[0u8; 4096][..]] {
        std::fs::write(d.join("cairn.sqlite"), junk).unwrap();
        let _ = std::fs::remove_file(d.join("cairn.sqlite-wal"));
        let _ = std::fs::remove_file(d.join("cairn.sqlite-shm"));
        let (code, out, err) = common::run(d, &["activities"]);
        assert_eq!(code, 1, "{out}");
        assert!(
            err.contains("is damaged or is not cairn's") && err.contains("cairn rebuild"),
            "{err}"
        );
        for sqlite_words in ["Error code", "file is not a database", "malformed"] {
            assert!(!err.contains(sqlite_words), "SQLite's words: {err}");
        }
        let (code, out, err) = common::run(d, &["rebuild"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("damaged or is not cairn's"), "{out}");
        for sqlite_words in ["Error code", "file is not a database", "malformed"] {
            assert!(!out.contains(sqlite_words), "SQLite's words: {out}");
        }
        assert_eq!(activities(d).len(), 1);
    }
}
