//! Every visible corpus GPX and TCX file against expected.json (gpxpy and
//! Python's xml.etree, see its `_meta`). Counts and stated values must match
//! exactly; distances recomputed from positions with the oracle's radius must
//! agree to 1e-6 relative (summation order only). The oracle rounds floats to
//! 6 decimals, hence the 1e-6 tolerance on elevations.

mod common;

use cairn_core::decode::{decode, Format};
use cairn_core::model::ChannelKind;
use cairn_core::time::rfc3339;

fn count(a: &cairn_core::model::Activity, kind: ChannelKind) -> u64 {
    a.samples
        .channel(kind)
        .map(|c| c.iter().filter(|v| v.is_some()).count() as u64)
        .unwrap_or(0)
}

#[test]
fn gpx_files_match_the_oracle() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let expected = common::expected(&dir);
    let mut checked = 0;
    for (rel, entry) in expected["files"].as_object().unwrap() {
        if !rel.starts_with("gpx/") {
            continue;
        }
        let v = &entry["values"];
        let f =
            decode(Format::Gpx, &common::read(&dir, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let timed = v["n_points_with_time"].as_u64().unwrap();
        let points = v["n_track_points"].as_u64().unwrap();
        // gpxpy's duration, end minus start: a few milliseconds for a whole
        // track is one placeholder time (Mojstrovka: 0.0 s over 184 points).
        let placeholder = timed >= 2
            && v["gpxpy_duration_s"]
                .as_f64()
                .is_some_and(|d| d * 1000.0 < (timed - 1) as f64 * 10.0);
        if timed * 2 < points || timed == 0 || placeholder {
            // Fewer than half the points timed, or no real times: the track
            // is kept whole as a course.
            assert!(
                f.activities.is_empty(),
                "{rel}: a file without (enough) times is a course"
            );
            assert!(!f.courses.is_empty(), "{rel}: course expected");
        } else {
            assert_eq!(f.activities.len(), 1, "{rel}: one activity per file");
            let a = &f.activities[0];
            // Every point is kept; the untimed get times along the distance.
            assert_eq!(a.samples.len() as u64, points, "{rel}: every point");
            assert_eq!(
                count(a, ChannelKind::HeartRate),
                v["n_points_with_hr"].as_u64().unwrap(),
                "{rel}: hr"
            );
            assert_eq!(
                count(a, ChannelKind::Cadence),
                v["n_points_with_cadence"].as_u64().unwrap(),
                "{rel}: cadence"
            );
            assert_eq!(
                count(a, ChannelKind::Power),
                v["n_points_with_power"].as_u64().unwrap(),
                "{rel}: power"
            );
            assert_eq!(
                count(a, ChannelKind::Temperature),
                v["n_points_with_temperature"].as_u64().unwrap(),
                "{rel}: temperature"
            );
            let want_start = cairn_core::time::parse_instant_ms(v["start_time"].as_str().unwrap())
                .unwrap()
                .0;
            // Untimed points before the first timed one start the activity earlier.
            assert!(
                (a.start_ms - want_start).abs() <= 1 || (timed < points && a.start_ms < want_start),
                "{rel}: start {} vs {}",
                rfc3339(a.start_ms),
                v["start_time"]
            );
            {
                assert_eq!(
                    count(a, ChannelKind::Altitude),
                    v["n_points_with_elevation"].as_u64().unwrap(),
                    "{rel}: elevation"
                );
                let dist = a
                    .samples
                    .channel(ChannelKind::Distance)
                    .and_then(|c| c.iter().flatten().last().copied());
                let want = v["haversine_distance_m"].as_f64().unwrap();
                let got = dist.unwrap_or(0.0);
                assert!(
                    (got - want).abs() <= 1e-6 * want + 0.002,
                    "{rel}: distance {got} vs {want}"
                );
                let alts: Vec<f64> = a
                    .samples
                    .channel(ChannelKind::Altitude)
                    .map(|c| c.iter().flatten().copied().collect())
                    .unwrap_or_default();
                common::close(
                    rel,
                    "max_elevation",
                    alts.iter().copied().reduce(f64::max),
                    &v["max_elevation"],
                    1e-6,
                );
                common::close(
                    rel,
                    "min_elevation",
                    alts.iter().copied().reduce(f64::min),
                    &v["min_elevation"],
                    1e-6,
                );
            }
        }
        if v["n_route_points"].as_u64().unwrap() > 0 {
            let route_points: usize = f.courses.iter().map(|c| c.lat_deg.len()).sum();
            assert!(
                route_points as u64 >= v["n_route_points"].as_u64().unwrap(),
                "{rel}: routes are courses"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 16);
}

#[test]
fn tcx_files_match_the_oracle() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let expected = common::expected(&dir);
    let mut checked = 0;
    for (rel, entry) in expected["files"].as_object().unwrap() {
        if !rel.starts_with("tcx/") {
            continue;
        }
        let v = &entry["values"];
        let f =
            decode(Format::Tcx, &common::read(&dir, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(
            f.activities.len() as u64,
            v["n_activities"].as_u64().unwrap(),
            "{rel}: activities"
        );
        assert_eq!(
            f.courses.len() as u64,
            v["n_courses"].as_u64().unwrap(),
            "{rel}: courses"
        );
        let total = |k| f.activities.iter().map(|a| count(a, k)).sum::<u64>();
        let samples: u64 = f.activities.iter().map(|a| a.samples.len() as u64).sum();
        assert_eq!(
            samples,
            v["n_tp_with_time"].as_u64().unwrap(),
            "{rel}: trackpoints"
        );
        assert_eq!(
            total(ChannelKind::HeartRate),
            v["n_tp_with_hr"].as_u64().unwrap(),
            "{rel}: hr"
        );
        assert_eq!(
            total(ChannelKind::Power),
            v["n_tp_with_power"].as_u64().unwrap(),
            "{rel}: power"
        );
        assert_eq!(
            total(ChannelKind::Cadence),
            v["n_tp_with_cadence"].as_u64().unwrap(),
            "{rel}: cadence"
        );
        assert_eq!(
            total(ChannelKind::Altitude),
            v["n_tp_with_altitude"].as_u64().unwrap(),
            "{rel}: altitude"
        );
        let laps: u64 = f.activities.iter().map(|a| a.laps.len() as u64).sum();
        assert_eq!(laps, v["n_laps"].as_u64().unwrap(), "{rel}: laps");
        let a = &f.activities[0];
        common::close(
            rel,
            "laps_distance_m_sum",
            a.declared.distance_m,
            &v["laps_distance_m_sum"],
            1e-6,
        );
        common::close(
            rel,
            "laps_total_time_s_sum",
            a.declared.timer_s,
            &v["laps_total_time_s_sum"],
            1e-6,
        );
        common::close(
            rel,
            "laps_calories_sum",
            a.declared.calories_kcal,
            &v["laps_calories_sum"],
            0.0,
        );
        common::close(
            rel,
            "laps_max_hr_max",
            a.declared.max_hr_bpm,
            &v["laps_max_hr_max"],
            0.0,
        );
        common::close(
            rel,
            "laps_avg_hr_time_weighted",
            a.declared.avg_hr_bpm,
            &v["laps_avg_hr_time_weighted"],
            1e-6,
        );
        let hr: Vec<f64> = a
            .samples
            .channel(ChannelKind::HeartRate)
            .map(|c| c.iter().flatten().copied().collect())
            .unwrap_or_default();
        common::close(
            rel,
            "hr_max",
            hr.iter().copied().reduce(f64::max),
            &v["hr_max"],
            0.0,
        );
        common::close(
            rel,
            "hr_mean",
            (!hr.is_empty()).then(|| hr.iter().sum::<f64>() / hr.len() as f64),
            &v["hr_mean"],
            1e-4,
        );
        let positions: Vec<(f64, f64)> = (0..a.samples.len())
            .filter_map(|i| a.samples.position(i))
            .collect();
        let hav: f64 = positions
            .windows(2)
            .map(|w| cairn_core::geo::haversine_m(w[0].0, w[0].1, w[1].0, w[1].1))
            .sum();
        let want = v["haversine_distance_m"].as_f64().unwrap();
        assert!(
            (hav - want).abs() <= 1e-6 * want + 0.002,
            "{rel}: haversine {hav} vs {want}"
        );
        assert_eq!(
            Some(rfc3339(a.start_ms)),
            v["first_lap_start_time"].as_str().map(str::to_string),
            "{rel}: start"
        );
        checked += 1;
    }
    assert_eq!(checked, 8);
}
