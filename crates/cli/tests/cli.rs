//! End-to-end: the `cairn` binary against the real corpus and hand-made archives.

mod common;

use common::corpus;

use serde_json::Value;
use std::io::Write;
use std::path::Path;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cairn(data: &Path, args: &[&str]) -> Run {
    let (code, stdout, stderr) = common::run(data, args);
    Run {
        code,
        stdout,
        stderr,
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", run.stdout, run.stderr))
}

fn activities(data: &Path) -> Vec<Value> {
    json(&cairn(data, &["activities", "--json"]))
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn imports_the_corpus_with_the_numbers_the_files_state() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<String> = ["fit", "gpx", "tcx"]
        .iter()
        .map(|d| corpus.join(d).display().to_string())
        .collect();
    let mut args = vec!["import", "--json"];
    args.extend(paths.iter().map(String::as_str));
    let run = cairn(dir.path(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(report["failed"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["files_imported"], 54);

    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("expected.json")).unwrap())
            .unwrap();
    let list = activities(dir.path());
    for (rel, entry) in expected["files"].as_object().unwrap() {
        if !rel.starts_with("fit/") {
            continue;
        }
        let mine: Vec<&Value> = list
            .iter()
            .filter(|a| a["source"].as_str().unwrap().ends_with(rel.as_str()))
            .collect();
        let v = &entry["values"];
        let sessions = v["sessions"].as_array().unwrap();
        assert_eq!(
            mine.len(),
            sessions.len().max(1),
            "{rel}: one activity per session"
        );
        // Every record is a sample, but for those that go back in time,
        // which cleaning drops and counts.
        let samples: u64 = mine
            .iter()
            .map(|a| a["samples"].as_u64().unwrap() + a["dropped_points"].as_u64().unwrap())
            .sum();
        assert_eq!(
            samples,
            v["records"]["count"].as_u64().unwrap(),
            "{rel}: samples"
        );
        for (a, s) in mine.iter().zip(sessions) {
            for (mine_key, oracle_key) in [
                ("distance_m", "total_distance"),
                ("elapsed_s", "total_elapsed_time"),
                ("timer_s", "total_timer_time"),
                ("calories_kcal", "total_calories"),
                ("avg_hr_bpm", "avg_heart_rate"),
                ("max_hr_bpm", "max_heart_rate"),
                ("avg_power_w", "avg_power"),
            ] {
                // Deliberate difference: a stated heart rate of 0 bpm means "no
                // strap" (Zwift, Onelap); cairn reports null, never 0 for unknown.
                if mine_key.ends_with("hr_bpm") && s[oracle_key].as_f64() == Some(0.0) {
                    assert!(a[mine_key].is_null(), "{rel}: {mine_key} should be null");
                    continue;
                }
                // Deliberate difference: a session whose stated timer exceeds its
                // stated elapsed time contradicts itself (14582164182: timer 2760 s,
                // elapsed 1632 s, records over 2759 s). It is flagged, and the
                // elapsed time is what its records span; the oracle repeats the
                // stated value.
                let timer = s["total_timer_time"].as_f64().unwrap_or(0.0);
                let stated = s["total_elapsed_time"].as_f64().unwrap_or(f64::INFINITY);
                if mine_key == "elapsed_s" && timer > stated * 1.01 + 5.0 {
                    assert!(a["flags"]
                        .as_array()
                        .unwrap()
                        .contains(&Value::from("timer_exceeds_elapsed")));
                    let span = (v["records"]["last_timestamp_raw"].as_f64().unwrap()
                        - v["records"]["first_timestamp_raw"].as_f64().unwrap())
                    .max(stated);
                    assert_eq!(
                        a[mine_key].as_f64(),
                        Some(span),
                        "{rel}: elapsed is the records' span"
                    );
                    continue;
                }
                if let Some(want) = s[oracle_key].as_f64() {
                    let got = a[mine_key]
                        .as_f64()
                        .unwrap_or_else(|| panic!("{rel}: {mine_key} is null, oracle {want}"));
                    assert!(
                        (got - want).abs() < 1e-6,
                        "{rel}: {mine_key} {got} vs {want}"
                    );
                }
            }
            if let Some(start) = s["start_time"].as_str() {
                assert_eq!(
                    a["start_time"].as_str().unwrap(),
                    start,
                    "{rel}: start_time"
                );
            }
            if let Some(up) = s["total_ascent"].as_f64() {
                assert_eq!(
                    a["ascent_m"].as_f64(),
                    Some(up),
                    "{rel}: ascent is the device's"
                );
            }
            assert_eq!(a["format"], "fit");
            if let Some(off) = v["activity"].get("utc_offset_s").and_then(Value::as_i64) {
                assert_eq!(a["utc_offset_s"].as_i64(), Some(off), "{rel}: utc offset");
            }
        }
        if let Some(m) = v["file_id"]["manufacturer"].as_str() {
            let dev = mine[0]["device"].as_str().unwrap_or_default();
            assert!(dev.starts_with(m), "{rel}: device {dev} should name {m}");
            if m == "garmin" {
                let dev = mine[0]["device"].as_str().unwrap_or_default();
                let product = v["file_id"]["product_name"].as_str().unwrap_or("?");
                assert_eq!(dev, format!("garmin {product}"), "{rel}: device");
            }
        }
    }
    // Unknown is null, never 0: the trainer ride has no speed sensor and no GPS.
    let indoor = list
        .iter()
        .find(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("sample-activity-indoor-trainer.fit")
        })
        .unwrap();
    assert!(indoor["max_speed_mps"].is_null());
    assert!(indoor["channels"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c != "lat_deg"));
    // The multisport file is one group of sessions.
    let multi: Vec<&Value> = list
        .iter()
        .filter(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("activity-large-fenxi2-multisport.fit")
        })
        .collect();
    assert!(multi
        .iter()
        .all(|a| a["multisport_group"] == multi[0]["multisport_group"]
            && !a["multisport_group"].is_null()));
    assert_eq!(
        multi
            .iter()
            .map(|a| a["session_index"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        (0..7).collect::<Vec<_>>()
    );
    // The same run as FIT and as its GPX/TCX export is kept once as primary.
    let gpx_copy = list
        .iter()
        .find(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("gpx/2067489619.gpx")
        })
        .unwrap();
    assert!(gpx_copy["flags"]
        .as_array()
        .unwrap()
        .contains(&Value::from("probable_duplicate")));
    assert_eq!(gpx_copy["is_primary"], false);

    // Importing the same files again adds nothing and says so.
    let again = json(&cairn(dir.path(), &args));
    assert_eq!(again["activities_imported"], 0);
    assert_eq!(again["already_imported"], report["files_imported"]);
    assert_eq!(activities(dir.path()).len(), list.len());

    // The original is kept byte for byte, under its SHA-256.
    let fenix = list
        .iter()
        .find(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("activity-small-fenix2-run.fit")
        })
        .unwrap();
    let sha = fenix["sha256"].as_str().unwrap();
    assert_eq!(
        sha,
        expected["files"]["fit/activity-small-fenix2-run.fit"]["sha256"]
    );
    let archived =
        std::fs::read(dir.path().join("archive").join(&sha[..2]).join(&sha[2..])).unwrap();
    assert_eq!(
        archived,
        std::fs::read(corpus.join("fit/activity-small-fenix2-run.fit")).unwrap()
    );

    // show: laps and splits; imperial units for display only.
    let id = fenix["id"].as_i64().unwrap().to_string();
    let shown = json(&cairn(dir.path(), &["show", &id, "--json"]));
    assert_eq!(shown["lap_list"].as_array().unwrap().len(), 4);
    assert_eq!(
        shown["splits"].as_array().unwrap().len(),
        10,
        "9.0 km: nine full km and a short one"
    );
    let text = cairn(dir.path(), &["--units", "imperial", "show", &id]);
    assert!(text.stdout.contains("5.60 mi"), "{}", text.stdout);

    // Edit keeps the file's own sport.
    let run = cairn(dir.path(), &["edit", &id, "--sport", "trail-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let edited = activities(dir.path())
        .into_iter()
        .find(|a| a["id"] == fenix["id"])
        .unwrap();
    assert_eq!(edited["sport"], "trail_run");
    assert_eq!(edited["original_sport"], "running");
}

#[test]
fn broken_files_fail_one_by_one_and_the_batch_goes_on() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let junk = tempfile::tempdir().unwrap();
    let good = std::fs::read(corpus.join("fit/garmin-fenix-5-walk.fit")).unwrap();
    std::fs::write(
        junk.path().join("random.fit"),
        (0..5000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    std::fs::write(junk.path().join("zero.gpx"), b"").unwrap();
    std::fs::write(
        junk.path().join("page.tcx"),
        b"<html><body>404</body></html>",
    )
    .unwrap();
    std::fs::write(junk.path().join("cut.fit"), &good[..good.len() / 2]).unwrap();
    std::fs::write(junk.path().join("header-only.fit"), &good[..14]).unwrap();
    std::fs::write(junk.path().join("walk.gpx"), &good).unwrap(); // wrong extension, real FIT
    let run = cairn(
        dir.path(),
        &[
            "import",
            "--json",
            corpus.join("broken").to_str().unwrap(),
            junk.path().to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "some files failed: exit 1\n{}", run.stderr);
    let report = json(&run);
    let failed: Vec<(String, String)> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["source"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason = |name: &str| {
        failed
            .iter()
            .find(|(s, _)| s.ends_with(name))
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("{name} should fail: {failed:?}"))
    };
    assert!(reason("empty-sessions.fit").contains("empty (0 bytes)"));
    assert!(reason("empty-activities.fit").contains("at byte 14"));
    assert!(
        reason("random.fit").contains("not FIT"),
        "{}",
        reason("random.fit")
    );
    assert!(reason("zero.gpx").contains("empty"));
    assert!(reason("page.tcx").contains("not TCX"));
    assert!(
        reason("header-only.fit").contains("no records"),
        "{}",
        reason("header-only.fit")
    );
    assert_eq!(failed.len(), 6, "{failed:?}");

    let list = activities(dir.path());
    let by = |name: &str| {
        list.iter()
            .find(|a| a["source"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not imported"))
    };
    let flags = |name: &str| {
        by(name)["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(flags("nick.fit").contains(&"truncated".to_string()));
    assert!(flags("nick.fit").contains(&"crc_mismatch".to_string()));
    assert_eq!(
        by("nick.fit")["samples"],
        14391,
        "every intact record of nick.fit is kept"
    );
    assert!(flags("cut.fit").contains(&"truncated".to_string()));
    assert!(flags("31-days-activity.fit").contains(&"implausible_duration".to_string()));
    assert!(flags("inverted-times.fit").contains(&"timer_exceeds_elapsed".to_string()));
    assert!(flags("broken-start-latlng.fit").contains(&"zero_positions".to_string()));
    assert!(flags("with_accuracy.gpx").contains(&"placeholder_times".to_string()));
    assert_eq!(by("broken-dates.fit")["start_time"], "2017-03-20T19:09:28Z");
    assert_eq!(
        by("walk.gpx")["format"],
        "fit",
        "content decides the format, not the name"
    );
    // Lenient XML: undeclared prefixes and whitespace before the declaration are read.
    assert_eq!(by("6037744996.gpx")["samples"], 4040);
    assert!(by("6281425038.tcx")["samples"].as_u64().unwrap() > 0);
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
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
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn garmin_and_strava_exports_import_with_their_metadata() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let walk = std::fs::read(corpus.join("fit/garmin-fenix-5-walk.fit")).unwrap();
    let hike = std::fs::read(corpus.join("fit/2020-08-20-09-34-33.fit")).unwrap();
    let run = std::fs::read(corpus.join("gpx/amazfit.gpx")).unwrap();

    // Garmin Connect account export: activity files in a zip inside a zip, among JSON.
    let inner = zip_with(&[
        ("UploadedFiles_0-_Part1/walk.fit", &walk),
        ("UploadedFiles_0-_Part1/readme.txt", b"x"),
    ]);
    let mut members: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| {
            (
                format!("DI_CONNECT/DI-Connect-Wellness/{i}_sleep.json"),
                b"{}".to_vec(),
            )
        })
        .collect();
    members.push((
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip".into(),
        inner,
    ));
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    std::fs::write(work.path().join("garmin-export.zip"), zip_with(&refs)).unwrap();

    // Strava export: activities.csv names each file; files are often gzipped.
    let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Filename,Activity Gear\n\
               1,x,Lake loop,Hike,\"Slow, with 9 kg pack\",1,activities/1.fit.gz,Old boots\n\
               2,x,Evening run,Run,,1,activities/2.gpx,\n";
    std::fs::write(
        work.path().join("strava-export.zip"),
        zip_with(&[
            ("activities.csv", csv.as_bytes()),
            ("activities/1.fit.gz", &gz(&hike)),
            ("activities/2.gpx", &run),
            ("media/photo.jpg", b"\xff\xd8"),
        ]),
    )
    .unwrap();

    let out = cairn(
        dir.path(),
        &["import", "--json", work.path().to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report = json(&out);
    assert_eq!(report["activities_imported"], 3, "{report}");
    assert!(
        report["skipped_other_files"].as_u64().unwrap() >= 302,
        "{report}"
    );
    let list = activities(dir.path());
    let walk_a = list
        .iter()
        .find(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("UploadedFiles_0-_Part1.zip/UploadedFiles_0-_Part1/walk.fit")
        })
        .unwrap();
    assert_eq!(walk_a["sport"], "walk");
    let hike_a = list
        .iter()
        .find(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("activities/1.fit.gz")
        })
        .unwrap();
    assert_eq!(hike_a["name"], "Lake loop");
    assert_eq!(hike_a["sport"], "hike");
    assert_eq!(hike_a["original_sport"], "walking");
    assert_eq!(hike_a["description"], "Slow, with 9 kg pack");
    assert_eq!(hike_a["gear"]["name"], "Old boots");
    assert_eq!(hike_a["gear"]["source"], "strava");
    // The archive keeps the member exactly as it was in the export (gzipped).
    let sha = hike_a["sha256"].as_str().unwrap();
    let kept = std::fs::read(dir.path().join("archive").join(&sha[..2]).join(&sha[2..])).unwrap();
    assert_eq!(&kept[..2], &[0x1f, 0x8b]);
    let run_a = list
        .iter()
        .find(|a| a["source"].as_str().unwrap().ends_with("activities/2.gpx"))
        .unwrap();
    assert_eq!(run_a["name"], "Evening run");
    assert_eq!(run_a["sport"], "run");
}

#[test]
fn hostile_archives_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("escape.zip"),
        zip_with(&[("../../etc/evil.fit", b"x"), ("/abs/evil.gpx", b"x")]),
    )
    .unwrap();
    let zeros = vec![0u8; 20 << 20];
    std::fs::write(
        work.path().join("bomb.zip"),
        zip_with(&[("big.fit", &zeros)]),
    )
    .unwrap();
    std::fs::write(
        work.path().join("not-a-zip.zip"),
        b"PK\x03\x04 but nothing else",
    )
    .unwrap();
    let out = cairn(
        dir.path(),
        &["import", "--json", work.path().to_str().unwrap()],
    );
    assert_eq!(out.code, 1);
    let report = json(&out);
    let msgs: Vec<String> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}: {}", f["source"], f["message"]))
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("evil.fit") && m.contains("'..'")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("evil.gpx") && m.contains("absolute")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("big.fit") && m.contains("zip bomb")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("not-a-zip.zip") && m.contains("zip")),
        "{msgs:?}"
    );
    assert!(activities(dir.path()).is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(cairn(dir.path(), &["import"]).code, 2);
    assert_eq!(cairn(dir.path(), &["frobnicate"]).code, 2);
    let missing = cairn(dir.path(), &["show", "999"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no activity 999"),
        "{}",
        missing.stderr
    );
    let bad = cairn(dir.path(), &["activities", "--from", "June"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("2026-06-01"), "{}", bad.stderr);
    let sport = cairn(dir.path(), &["edit", "1", "--sport", "quidditch"]);
    assert_eq!(sport.code, 2);
    assert!(
        sport.stderr.contains("hike"),
        "lists the valid sports: {}",
        sport.stderr
    );
}
