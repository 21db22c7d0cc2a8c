//! Any bytes given to any decoder return Ok or Err: never a panic, never a hang.

mod common;

use cairn_core::decode::{decode, Format};
use proptest::prelude::*;

fn fit_header(data_len: u32) -> Vec<u8> {
    let mut h = vec![14u8, 0x10, 0x2a, 0x08];
    h.extend_from_slice(&data_len.to_le_bytes());
    h.extend_from_slice(b".FIT");
    h.extend_from_slice(&[0, 0]);
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for f in Format::ALL {
            let _ = decode(f, &bytes);
        }
    }

    #[test]
    fn fit_header_then_arbitrary_messages_never_panic(body in proptest::collection::vec(any::<u8>(), 0..4096), declared in 0u32..8192) {
        let mut bytes = fit_header(declared);
        bytes.extend(body);
        let _ = decode(Format::Fit, &bytes);
    }

    #[test]
    fn arbitrary_xml_shaped_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("<gpx>".to_string()), Just("</gpx>".to_string()), Just("<trk>".to_string()), Just("<trkseg>".to_string()),
        Just("<trkpt lat=\"1\" lon=\"2\">".to_string()), Just("</trkpt>".to_string()), Just("<time>2020-01-01T00:00:00Z</time>".to_string()),
        Just("<ele>NaN</ele>".to_string()), Just("<Trackpoint>".to_string()), Just("<Activity Sport=\"Running\">".to_string()),
        Just("</Activity>".to_string()), Just("<Lap StartTime=\"x\">".to_string()), Just("&amp;".to_string()), "[a-z<>/=\" ]{0,12}",
    ], 0..60)) {
        let text = parts.concat();
        let _ = decode(Format::Gpx, text.as_bytes());
        let _ = decode(Format::Tcx, text.as_bytes());
    }
}

/// Every corpus FIT file, truncated at many points and with bytes flipped:
/// decoding returns (the truncated ones keep what came before the cut).
#[test]
fn damaged_real_files_never_panic() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for entry in std::fs::read_dir(dir.join("fit")).unwrap().flatten() {
        let rel = format!("fit/{}", entry.file_name().to_string_lossy());
        let bytes = common::read(&dir, &rel);
        for k in 1..40 {
            let cut = bytes.len() * k / 40;
            let _ = decode(Format::Fit, &bytes[..cut]);
        }
        for _ in 0..40 {
            let mut b = bytes.clone();
            for _ in 0..8 {
                let i = (next() as usize) % b.len();
                b[i] ^= (next() & 0xFF) as u8 | 1;
            }
            let _ = decode(Format::Fit, &b);
        }
    }
}
