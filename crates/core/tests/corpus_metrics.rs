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
