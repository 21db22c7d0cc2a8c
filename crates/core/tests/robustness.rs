//! Any bytes given to any decoder return Ok or Err: never a panic, never a hang.

mod common;

use cairn_core::decode::{decode, Format};
use cairn_core::model::ChannelKind;
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

/// A small valid TCX: one lap of `n` one-second trackpoints.
fn tcx_with(n: usize, point: impl Fn(usize) -> String, lap_distance: &str) -> String {
    let mut t = String::from(
        "<?xml version=\"1.0\"?><TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Id>2024-05-01T06:00:00Z</Id>",
    );
    t.push_str(&format!(
        "<Lap StartTime=\"2024-05-01T06:00:00Z\"><TotalTimeSeconds>{n}</TotalTimeSeconds><DistanceMeters>{lap_distance}</DistanceMeters><Track>"
    ));
    for i in 0..n {
        t.push_str(&point(i));
    }
    t.push_str("</Track></Lap></Activity></Activities></TrainingCenterDatabase>");
    t
}

/// The physical range of each channel as a test states it: what no sensor
/// on a person exceeds.
fn plausible(kind: ChannelKind, v: f64) -> bool {
    match kind {
        ChannelKind::Latitude => (-90.0..=90.0).contains(&v),
        ChannelKind::Longitude => (-180.0..=180.0).contains(&v),
        ChannelKind::Altitude => (-500.0..=9_000.0).contains(&v),
        ChannelKind::Distance => (0.0..=10_000_000.0).contains(&v),
        ChannelKind::Speed => (0.0..=100.0).contains(&v),
        ChannelKind::HeartRate => (0.0..=255.0).contains(&v),
        ChannelKind::Cadence => (0.0..=300.0).contains(&v),
        ChannelKind::Power => (0.0..=4_000.0).contains(&v),
        ChannelKind::Temperature => (-60.0..=70.0).contains(&v),
    }
}

fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1.8e308".to_string()),
        Just("-1.8e308".to_string()),
        Just("1e300".to_string()),
        Just("4294967295".to_string()),
        Just("-2147483648".to_string()),
        (-1e12f64..1e12).prop_map(|x| format!("{x}")),
        (-1e4f64..1e4).prop_map(|x| format!("{x:.3}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Elements nested to any depth: past 64 levels the file is refused at
    /// the element that crosses the limit (the walk stops there, it never
    /// reads on to the end), and below it decoding goes on as usual.
    #[test]
    fn nesting_is_refused_past_the_limit_where_it_happens(depth in 1usize..400_000, gpx in any::<bool>()) {
        let (open, close) = if gpx {
            ("<?xml version=\"1.0\"?><gpx><trk><trkseg>", "</trkseg></trk></gpx>")
        } else {
            ("<?xml version=\"1.0\"?><TrainingCenterDatabase><Activities>", "</Activities></TrainingCenterDatabase>")
        };
        let text = format!("{open}{}{}{close}", "<x>".repeat(depth), "</x>".repeat(depth));
        let result = decode(if gpx { Format::Gpx } else { Format::Tcx }, text.as_bytes());
        if depth + 3 > 64 {
            let e = result.expect_err("refused").to_string();
            prop_assert!(e.contains("deeper than 64 levels"), "{}", e);
            let at: usize = e.split("at byte ").nth(1).and_then(|r| r.split(':').next()).and_then(|n| n.trim().parse().ok()).unwrap_or(usize::MAX);
            prop_assert!(at < open.len() + 3 * 70, "stopped at byte {} of {}", at, text.len());
        }
    }

    /// Extreme numbers in any field of a trackpoint and in the lap's stated
    /// distance: after decoding and cleaning, every value is physically
    /// possible, a note names what was dropped, and the splits are counted
    /// by the metres covered, not by a number read from the file.
    #[test]
    fn extreme_numbers_are_dropped_and_named(field in 0usize..7, value in extreme(), lap in extreme(), at in 0usize..50) {
        let point = |i: usize| {
            let v = |k: usize, normal: String| if k == field && i == at { value.clone() } else { normal };
            format!(
                "<Trackpoint><Time>2024-05-01T06:{:02}:{:02}Z</Time><Position><LatitudeDegrees>{}</LatitudeDegrees><LongitudeDegrees>{}</LongitudeDegrees></Position><AltitudeMeters>{}</AltitudeMeters><DistanceMeters>{}</DistanceMeters><HeartRateBpm><Value>{}</Value></HeartRateBpm><Cadence>{}</Cadence><Extensions><TPX><Watts>{}</Watts></TPX></Extensions></Trackpoint>",
                i / 60, i % 60,
                v(0, format!("{}", 46.0 + i as f64 * 1e-5)),
                v(1, "14.5".into()),
                v(2, format!("{}", 300.0 + i as f64 * 0.1)),
                v(3, format!("{}", i as f64 * 3.0)),
                v(4, "150".into()),
                v(5, "85".into()),
                v(6, "250".into()),
            )
        };
        let text = tcx_with(50, point, &lap);
        let file = decode(Format::Tcx, text.as_bytes()).expect("decodes");
        for mut a in file.activities {
            let before: Vec<(ChannelKind, usize)> = ChannelKind::ALL
                .into_iter()
                .map(|k| (k, a.samples.channel(k).map_or(0, |c| c.iter().flatten().count())))
                .collect();
            cairn_core::clean::check(&mut a, 1_800_000_000_000);
            for k in ChannelKind::ALL {
                if let Some(c) = a.samples.channel(k) {
                    for x in c.iter().flatten() {
                        prop_assert!(plausible(k, *x), "{:?} {}", k, x);
                    }
                }
            }
            let dropped = before.iter().any(|(k, n)| a.samples.channel(*k).map_or(0, |c| c.iter().flatten().count()) < *n);
            if dropped {
                prop_assert!(a.notes.iter().any(|n| n.contains("dropped")), "{:?}", a.notes);
            }
            if let Some(d) = a.declared.distance_m {
                prop_assert!((0.0..=10_000_000.0).contains(&d), "{}", d);
            }
            let tl = cairn_core::timeline::Timeline::of(&a);
            let splits = cairn_core::metrics::splits(&tl, 1000.0);
            prop_assert!(splits.len() <= 3, "{} splits", splits.len());
            let _ = cairn_core::derived::derive(&a);
        }
    }
}
