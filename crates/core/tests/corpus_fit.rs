//! Every visible corpus FIT file against the oracle values in expected.json
//! (Garmin's FIT SDK, or fitdecode where the SDK fails; see its `_meta`).
//!
//! Values the file states (record counts, session totals, lap sums, first and
//! last timestamps) must match to the file's own resolution; the haversine
//! distance over records is recomputed with the oracle's radius and must agree
//! to a millimetre per kilometre (float summation order only).

mod common;

use cairn_core::decode::fit::{profile, reader};
use cairn_core::model::ChannelKind;
use serde_json::Value;

fn count(samples: &cairn_core::model::Samples, kind: ChannelKind) -> usize {
    samples
        .channel(kind)
        .map(|c| c.iter().filter(|v| v.is_some()).count())
        .unwrap_or(0)
}

#[test]
fn fit_files_match_the_oracle() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let expected = common::expected(&dir);
    let files = expected["files"].as_object().unwrap();
    let mut checked = 0;
    for (rel, entry) in files {
        if entry["format"] != "fit" || entry["partial"] == Value::Bool(true) {
            continue;
        }
        let bytes = common::read(&dir, rel);
        let v = &entry["values"];
        let raw = reader::read(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(
            raw.error.is_none(),
            "{rel}: unexpected error {:?}",
            raw.error
        );
        let rec = &v["records"];
        let r = &raw.records;
        assert_eq!(
            r.len() as u64,
            rec["count"].as_u64().unwrap(),
            "{rel}: record count"
        );
        assert_eq!(
            raw.record_fit_s(0).map(|t| t as u64),
            rec["first_timestamp_raw"].as_u64(),
            "{rel}: first timestamp"
        );
        assert_eq!(
            raw.record_fit_s(r.len().wrapping_sub(1)).map(|t| t as u64),
            rec["last_timestamp_raw"].as_u64(),
            "{rel}: last timestamp"
        );
        let backsteps = r.time_ms.windows(2).filter(|w| w[1] < w[0]).count();
        assert_eq!(
            backsteps as u64,
            rec["n_timestamp_backsteps"].as_u64().unwrap(),
            "{rel}: backsteps"
        );
        assert_eq!(
            count(r, ChannelKind::HeartRate) as u64,
            rec["n_with_hr"].as_u64().unwrap(),
            "{rel}: records with HR"
        );
        assert_eq!(
            count(r, ChannelKind::Power) as u64,
            rec["n_with_power"].as_u64().unwrap(),
            "{rel}: records with power"
        );
        assert_eq!(
            count(r, ChannelKind::Altitude) as u64,
            rec["n_with_altitude"].as_u64().unwrap(),
            "{rel}: records with altitude"
        );
        assert_eq!(
            count(r, ChannelKind::Distance) as u64,
            rec["n_with_distance"].as_u64().unwrap(),
            "{rel}: records with distance"
        );
        let positions: Vec<(f64, f64)> = (0..r.len()).filter_map(|i| r.position(i)).collect();
        let valid: Vec<&(f64, f64)> = positions
            .iter()
            .filter(|(a, b)| cairn_core::geo::is_valid_position(*a, *b))
            .collect();
        assert_eq!(
            valid.len() as u64,
            rec["n_with_position"].as_u64().unwrap(),
            "{rel}: records with position"
        );
        let hav: f64 = valid
            .windows(2)
            .map(|w| cairn_core::geo::haversine_m(w[0].0, w[0].1, w[1].0, w[1].1))
            .sum();
        let want = rec["haversine_distance_m"].as_f64().unwrap();
        assert!(
            (hav - want).abs() <= 0.001 * want / 1000.0 + 0.01,
            "{rel}: haversine {hav} vs {want}"
        );
        let vals = |k| {
            r.channel(k)
                .map(|c| c.iter().flatten().copied().collect::<Vec<f64>>())
                .unwrap_or_default()
        };
        let hr = vals(ChannelKind::HeartRate);
        common::close(
            rel,
            "hr_max",
            hr.iter().copied().reduce(f64::max),
            &rec["hr_max"],
            0.0,
        );
        common::close(
            rel,
            "hr_mean",
            (!hr.is_empty()).then(|| hr.iter().sum::<f64>() / hr.len() as f64),
            &rec["hr_mean"],
            1e-5,
        );
        let pw = vals(ChannelKind::Power);
        common::close(
            rel,
            "power_max",
            pw.iter().copied().reduce(f64::max),
            &rec["power_max"],
            0.0,
        );
        let alt = vals(ChannelKind::Altitude);
        common::close(
            rel,
            "max_altitude",
            alt.iter().copied().reduce(f64::max),
            &rec["max_altitude"],
            1e-9,
        );
        common::close(
            rel,
            "min_altitude",
            alt.iter().copied().reduce(f64::min),
            &rec["min_altitude"],
            1e-9,
        );
        let dist = vals(ChannelKind::Distance);
        common::close(
            rel,
            "max_distance",
            dist.iter().copied().reduce(f64::max),
            &rec["max_distance"],
            1e-9,
        );
        common::close(
            rel,
            "last_distance",
            dist.last().copied(),
            &rec["last_distance"],
            1e-9,
        );

        // Message counts the file states.
        let mc = &v["message_counts"];
        for (name, global) in [
            ("activity", profile::ACTIVITY),
            ("device_info", profile::DEVICE_INFO),
            ("event", profile::EVENT),
            ("lap", profile::LAP),
            ("length", profile::LENGTH),
            ("session", profile::SESSION),
            ("hrv", profile::HRV),
            ("field_description", profile::FIELD_DESCRIPTION),
            ("developer_data_id", profile::DEVELOPER_DATA_ID),
            ("sport", profile::SPORT),
        ] {
            assert_eq!(
                raw.count(global) as u64,
                mc[name].as_u64().unwrap(),
                "{rel}: {name} messages"
            );
        }
        assert_eq!(
            raw.segments.len() as u64,
            entry["structure"]["n_files"].as_u64().unwrap(),
            "{rel}: chained FIT files"
        );
        for (seg, want) in raw
            .segments
            .iter()
            .zip(entry["structure"]["files"].as_array().unwrap())
        {
            assert_eq!(
                seg.file_crc_ok,
                want["file_crc_ok"].as_bool(),
                "{rel}: file CRC at {}",
                seg.offset
            );
            if let Some(h) = want["header_crc_ok"].as_bool() {
                assert_eq!(seg.header_crc_ok, Some(h), "{rel}: header CRC");
            }
        }

        // Activities: one per session, with the session's stated totals.
        let decoded =
            cairn_core::decode::fit::to_activities(raw).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let sessions = v["sessions"].as_array().unwrap();
        let n_act = decoded.activities.len();
        assert_eq!(
            n_act,
            sessions.len().max(1),
            "{rel}: activities vs sessions"
        );
        for (a, s) in decoded.activities.iter().zip(sessions) {
            let d = &a.declared;
            for (field, got, tol) in [
                ("total_distance", d.distance_m, 1e-9),
                ("total_elapsed_time", d.elapsed_s, 1e-9),
                ("total_timer_time", d.timer_s, 1e-9),
                ("total_ascent", d.ascent_m, 0.0),
                ("total_descent", d.descent_m, 0.0),
                ("total_calories", d.calories_kcal, 0.0),
                ("avg_heart_rate", d.avg_hr_bpm, 0.0),
                ("max_heart_rate", d.max_hr_bpm, 0.0),
                ("avg_power", d.avg_power_w, 0.0),
                ("max_power", d.max_power_w, 0.0),
                ("avg_cadence", d.avg_cadence, 0.0),
                ("avg_speed", d.avg_speed_mps, 1e-9),
                ("max_speed", d.max_speed_mps, 1e-9),
                ("pool_length", d.pool_length_m, 1e-9),
            ] {
                common::close(rel, field, got, &s[field], tol);
            }
            if let Some(start) = s["start_time_raw"].as_u64() {
                if s["start_time"].is_string() {
                    assert_eq!(
                        a.start_ms,
                        (start as i64 + cairn_core::time::FIT_EPOCH_OFFSET_S) * 1000,
                        "{rel}: start"
                    );
                }
            }
        }
        let laps: usize = decoded.activities.iter().map(|a| a.laps.len()).sum();
        assert_eq!(
            laps as u64,
            v["laps"]["count"].as_u64().unwrap(),
            "{rel}: laps"
        );
        let lap_dist: f64 = decoded
            .activities
            .iter()
            .flat_map(|a| &a.laps)
            .filter_map(|l| l.totals.distance_m)
            .sum();
        common::close(
            rel,
            "laps.total_distance_sum",
            Some(lap_dist),
            &v["laps"]["total_distance_sum"],
            1e-6,
        );
        let rr: usize = decoded
            .activities
            .iter()
            .map(|a| a.rr_intervals_s.len())
            .sum();
        assert_eq!(
            rr as u64,
            v["hrv"]["rr_intervals"].as_u64().unwrap(),
            "{rel}: RR intervals"
        );
        if let Some(off) = v["activity"].get("utc_offset_s").and_then(Value::as_i64) {
            assert_eq!(
                decoded.activities[0].utc_offset_s,
                Some(off as i32),
                "{rel}: utc offset"
            );
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} FIT files checked");
}
