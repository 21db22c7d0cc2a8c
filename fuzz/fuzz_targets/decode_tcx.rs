//! Any bytes through the Tcx decoder, cleaning and every derived number:
//! an error is fine, a panic, a hang or an unbounded allocation is a finding.
#![no_main]

use cairn_core::decode::{decode, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = decode(Format::Tcx, data) {
        for mut a in file.activities {
            cairn_core::clean::check(&mut a, 1_800_000_000_000);
            let _ = cairn_core::derived::derive(&a);
        }
    }
});
