//! Computed metrics on real files, checked against what devices state.

mod common;

use cairn_core::decode::fit;

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
