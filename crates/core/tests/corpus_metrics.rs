//! Computed metrics on real files, checked against what devices state.

mod common;

use cairn_core::decode::fit;
use cairn_core::metrics::ascent::{ascent_descent, HYSTERESIS_M};
use cairn_core::model::ChannelKind;

/// cairn's hysteresis ascent on a device's own altitude stream, against the
/// total the same device computed. Devices filter altitude in unpublished ways
/// (the fenix 2 run states 64 m where its own samples climb 139 m through a
/// 5 m band), so single files can differ a lot. The tolerance: over all
/// sessions together within 3 %, and three in four sessions within 20 % or 15 m.
#[test]
fn ascent_matches_device_totals() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let expected = common::expected(&dir);
    let (mut ours_total, mut device_total) = (0.0, 0.0);
    let mut checked = 0;
    let mut close = 0;
    for (rel, _) in expected["files"].as_object().unwrap() {
        if !rel.starts_with("fit/") {
            continue;
        }
        let decoded = fit::decode(&common::read(&dir, rel)).unwrap();
        for a in &decoded.activities {
            let (Some(device), Some(alt)) = (
                a.declared.ascent_m,
                a.samples.channel(ChannelKind::Altitude),
            ) else {
                continue;
            };
            if device < 20.0 {
                continue;
            }
            let (up, _) = ascent_descent(alt.iter().copied(), HYSTERESIS_M);
            eprintln!("{rel}: device {device} m, cairn {up:.1} m");
            if (up - device).abs() <= (0.2 * device).max(15.0) {
                close += 1;
            }
            ours_total += up;
            device_total += device;
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
    assert!(
        (ours_total - device_total).abs() <= 0.03 * device_total,
        "total {ours_total} vs {device_total}"
    );
    assert!(
        close * 4 >= checked * 3,
        "only {close} of {checked} sessions within 20 % or 15 m"
    );
}

/// Mean-maximal curves of real files (every kind each file supports) equal
/// the scan of every window, and the power curve's 20-min point equals the
/// best-efforts search.
#[test]
fn curves_of_real_files_equal_the_all_windows_scan() {
    use cairn_core::metrics::best::BestEfforts;
    use cairn_core::metrics::curve::{curve, curve_naive, per_second, CurveKind, DURATIONS_S};
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let expected = common::expected(&dir);
    let mut compared = 0;
    for (rel, _) in expected["files"].as_object().unwrap() {
        if !rel.starts_with("fit/") {
            continue;
        }
        let decoded = fit::decode(&common::read(&dir, rel)).unwrap();
        for a in &decoded.activities {
            let tl = cairn_core::timeline::Timeline::of(a);
            for kind in CurveKind::ALL {
                let Some(series) = per_second(&tl, kind) else {
                    continue;
                };
                if series.len() > 5_000 {
                    continue; // the quadratic reference would dominate the test time
                }
                let fast = curve(&series, &DURATIONS_S);
                let slow = curve_naive(&series, &DURATIONS_S);
                for ((f, s), d) in fast.iter().zip(&slow).zip(DURATIONS_S) {
                    match (f, s) {
                        (Some(f), Some(s)) => assert!(
                            (f - s).abs() <= 1e-9 * s.abs().max(1.0),
                            "{rel} {} {d} s: {f} vs {s}",
                            kind.id()
                        ),
                        _ => assert_eq!(f.is_some(), s.is_some(), "{rel} {} {d} s", kind.id()),
                    }
                }
                if kind == CurveKind::Power && a.sport.is_cycling() && a.flags.is_empty() {
                    let twenty = BestEfforts::of(a, &tl)
                        .power
                        .iter()
                        .find(|p| p.0 == 1200)
                        .map(|p| p.1);
                    let k = DURATIONS_S.iter().position(|d| *d == 1200).unwrap();
                    assert_eq!(
                        fast[k].map(|v| (v * 1e6).round()),
                        twenty.map(|v| (v * 1e6).round()),
                        "{rel}"
                    );
                }
                compared += 1;
            }
        }
    }
    assert!(compared >= 20, "{compared} curves compared");
}
