//! Altitude exposure of a real mountain activity (the Suunto trail run that
//! climbs from 968 m to 2,782 m), against an independent computation from
//! the `fitparser` crate's decoding and the oracle's maximum altitude.

mod common;

use cairn_core::decode::{decode, Format};
use cairn_core::environment::altitude::{AltitudeExposure, BANDS_M};
use cairn_core::load::facts::ActivityFacts;
use cairn_core::timeline::{Timeline, MAX_INTERVAL_S};

const FILE: &str = "fit/6910052863.fit";

/// Seconds per band from (time, altitude) pairs: every whole second inside
/// an interval of at most the recording-gap limit, outside timer pauses, at
/// the altitude interpolated between the two records. Written from the
/// definition, sharing nothing with cairn's code but the constants.
fn independent_bands(points: &[(f64, f64)], paused: &[(f64, f64)]) -> (Vec<f64>, f64, f64) {
    let mut bands = vec![0.0; BANDS_M.len()];
    let (mut high_h, mut dose) = (0.0, 0.0);
    let t0 = points[0].0;
    let mut seconds = Vec::new();
    for w in points.windows(2) {
        let ((ta, aa), (tb, ab)) = (w[0], w[1]);
        if tb - ta > MAX_INTERVAL_S {
            continue;
        }
        let mut sec = (ta - t0).ceil();
        while t0 + sec < tb {
            let t = t0 + sec;
            if !paused.iter().any(|(s, e)| t >= *s && t < *e) {
                seconds.push(aa + (ab - aa) * (t - ta) / (tb - ta));
            }
            sec += 1.0;
        }
    }
    for a in seconds {
        let dt = 1.0;
        let mut band = 0;
        for (i, lower) in BANDS_M.iter().enumerate() {
            if a >= *lower {
                band = i;
            }
        }
        bands[band] += dt;
        if a >= 2000.0 {
            high_h += dt / 3600.0;
        }
        if a >= 1000.0 {
            dose += a / 1000.0 * dt / 3600.0;
        }
    }
    (bands, high_h, dose)
}

#[test]
fn suunto_mountain_run_exposure_matches_an_independent_computation() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let bytes = common::read(&dir, FILE);
    let expected = common::expected(&dir);
    let oracle_max = expected["files"][FILE]["values"]["records"]["max_altitude"]
        .as_f64()
        .unwrap();

    // fitparser's view: timestamp and (enhanced) altitude of every record,
    // and the timer's stops and starts.
    let mut points = Vec::new();
    let (mut paused, mut stopped_at) = (Vec::new(), None);
    for r in fitparser::from_bytes(&bytes).unwrap() {
        if r.kind() == fitparser::profile::MesgNum::Event {
            let field = |name: &str| {
                r.fields()
                    .iter()
                    .find(|f| f.name() == name)
                    .map(|f| f.value().clone())
            };
            let (Some(fitparser::Value::Timestamp(ts)), Some(fitparser::Value::String(event))) =
                (field("timestamp"), field("event"))
            else {
                continue;
            };
            if event != "timer" {
                continue;
            }
            let t = ts.timestamp() as f64;
            match field("event_type") {
                Some(fitparser::Value::String(k)) if k == "start" => {
                    if let Some(s) = stopped_at.take() {
                        paused.push((s, t));
                    }
                }
                Some(fitparser::Value::String(_)) => stopped_at = stopped_at.or(Some(t)),
                _ => {}
            }
            continue;
        }
        if r.kind() != fitparser::profile::MesgNum::Record {
            continue;
        }
        let (mut t, mut alt, mut enhanced) = (None, None, None);
        for f in r.fields() {
            match (f.name(), f.value()) {
                ("timestamp", fitparser::Value::Timestamp(ts)) => t = Some(ts.timestamp() as f64),
                ("altitude", fitparser::Value::Float64(a)) => alt = Some(*a),
                ("enhanced_altitude", fitparser::Value::Float64(a)) => enhanced = Some(*a),
                _ => {}
            }
        }
        if let (Some(t), Some(a)) = (t, enhanced.or(alt)) {
            points.push((t, a));
        }
    }
    assert!(points.len() > 9000, "{} altitude records", points.len());
    let (bands, high_h, dose) = independent_bands(&points, &paused);

    let file = decode(Format::Fit, &bytes).unwrap();
    let a = &file.activities[0];
    let tl = Timeline::of(a);
    let e = AltitudeExposure::of(&tl);

    let max = e.max_altitude_m.unwrap();
    assert!(
        (max - oracle_max).abs() < 1e-9,
        "max altitude {max} vs the oracle {oracle_max}"
    );
    assert_eq!(e.spikes_dropped, 0, "a barometric track has no spikes");
    for (i, (ours, theirs)) in e.band_s.iter().zip(&bands).enumerate() {
        assert!(
            (ours - theirs).abs() <= 1.0,
            "band {} m: cairn {ours} s, independent {theirs} s",
            BANDS_M[i]
        );
    }
    assert!((e.hours_high - high_h).abs() < 1e-3);
    assert!((e.dose_km_h - dose).abs() < 1e-3);
    // The run spends real time above 2,000 m.
    assert!(e.hours_high > 0.5, "{} h above 2000 m", e.hours_high);

    // The same exposure is stored with the activity's facts.
    let facts = ActivityFacts::of(a, &tl);
    assert!((facts.altitude.max_altitude_m.unwrap() - oracle_max).abs() < 1e-9);
}

#[test]
fn every_corpus_activity_gets_exposure_without_panicking() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let expected = common::expected(&dir);
    for rel in expected["files"].as_object().unwrap().keys() {
        let format = match rel.rsplit('.').next() {
            Some("fit") => Format::Fit,
            Some("gpx") => Format::Gpx,
            Some("tcx") => Format::Tcx,
            _ => continue,
        };
        let Ok(file) = decode(format, &common::read(&dir, rel)) else {
            continue;
        };
        for a in &file.activities {
            let f = ActivityFacts::of(a, &Timeline::of(a));
            if let Some(max) = f.altitude.max_altitude_m {
                assert!((-500.0..=9000.0).contains(&max), "{rel}: {max}");
            }
            assert!(
                f.altitude.hours() >= 0.0 && f.altitude.dose_km_h >= 0.0,
                "{rel}"
            );
        }
    }
}
