//! Any bytes as an import would meet them (a zip with nested zips and
//! `.gz` members, or a bare file): walked, unpacked within the limits,
//! decoded, cleaned and derived.
#![no_main]

use cairn_app::sources::{gunzip, Limits, Walker};
use cairn_core::decode::{decode, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entry_bytes: 4 << 20,
        max_archive_bytes: 16 << 20,
        ..Limits::default()
    };
    let mut units = Vec::new();
    let mut emit = |u| units.push(u);
    let mut w = Walker {
        limits,
        emit: &mut emit,
        skipped: 0,
    };
    w.walk_bytes("upload.zip", data.to_vec());
    for unit in units.into_iter().flatten() {
        let Ok(content) = gunzip(&unit.bytes, &limits, unit.budget.as_ref()) else {
            continue;
        };
        let content = content.unwrap_or(unit.bytes);
        let Some(format) = Format::sniff(&content) else {
            continue;
        };
        if let Ok(file) = decode(format, &content) {
            for mut a in file.activities {
                cairn_core::clean::check(&mut a, 1_800_000_000_000);
                let _ = cairn_core::derived::derive(&a);
            }
        }
    }
});
