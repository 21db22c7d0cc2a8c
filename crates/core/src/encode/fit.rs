//! A FIT activity encoder: file_id, timer events, records, laps, one session
//! and the activity message, with header and file CRCs (FIT protocol 2.0).
//! Decoding its output with cairn's reader and with `fitparser` gives back
//! the same samples (see the tests).

use crate::decode::fit::profile::{self, SEMICIRCLES_PER_DEGREE};
use crate::decode::fit::reader::crc16;
use crate::model::{Activity, ChannelKind, Sport};
use crate::time::FIT_EPOCH_OFFSET_S;

/// FIT `sport` and `sub_sport` for a cairn sport (the inverse of `Sport::from_fit`).
pub fn fit_sport(sport: Sport) -> (u8, u8) {
    match sport {
        Sport::Run => (1, 0),
        Sport::TrailRun => (1, 3),
        Sport::TreadmillRun => (1, 1),
        Sport::Walk => (11, 0),
        Sport::Hike => (17, 0),
        Sport::Ride => (2, 0),
        Sport::MountainBike => (2, 8),
        Sport::Gravel => (2, 46),
        Sport::IndoorRide => (2, 6),
        Sport::PoolSwim => (5, 17),
        Sport::OpenWaterSwim => (5, 18),
        Sport::Strength => (10, 20),
        Sport::Rowing => (15, 0),
        Sport::Other => (0, 0),
    }
}

#[derive(Clone, Copy)]
enum Base {
    Enum,
    Sint8,
    Uint8,
    Uint16,
    Sint32,
    Uint32,
    Uint32z,
}

impl Base {
    fn byte(self) -> u8 {
        match self {
            Base::Enum => 0x00,
            Base::Sint8 => 0x01,
            Base::Uint8 => 0x02,
            Base::Uint16 => 0x84,
            Base::Sint32 => 0x85,
            Base::Uint32 => 0x86,
            Base::Uint32z => 0x8C,
        }
    }
    fn size(self) -> usize {
        match self {
            Base::Enum | Base::Sint8 | Base::Uint8 => 1,
            Base::Uint16 => 2,
            Base::Sint32 | Base::Uint32 | Base::Uint32z => 4,
        }
    }
    /// Little-endian bytes of a value, or the invalid sentinel for `None`
    /// or a value out of the type's range.
    fn write(self, v: Option<f64>, out: &mut Vec<u8>) {
        let r = v.filter(|x| x.is_finite()).map(f64::round);
        match self {
            Base::Enum | Base::Uint8 => out.push(
                r.filter(|x| (0.0..255.0).contains(x))
                    .map(|x| x as u8)
                    .unwrap_or(0xFF),
            ),
            Base::Sint8 => out.push(
                r.filter(|x| (-128.0..127.0).contains(x))
                    .map(|x| x as i8 as u8)
                    .unwrap_or(0x7F),
            ),
            Base::Uint16 => out.extend(
                r.filter(|x| (0.0..65535.0).contains(x))
                    .map(|x| x as u16)
                    .unwrap_or(0xFFFF)
                    .to_le_bytes(),
            ),
            Base::Sint32 => out.extend(
                r.filter(|x| (-2_147_483_648.0..2_147_483_647.0).contains(x))
                    .map(|x| x as i32)
                    .unwrap_or(0x7FFF_FFFF)
                    .to_le_bytes(),
            ),
            Base::Uint32 => out.extend(
                r.filter(|x| (0.0..4_294_967_295.0).contains(x))
                    .map(|x| x as u32)
                    .unwrap_or(u32::MAX)
                    .to_le_bytes(),
            ),
            Base::Uint32z => out.extend(
                r.filter(|x| (1.0..4_294_967_296.0).contains(x))
                    .map(|x| x as u32)
                    .unwrap_or(0)
                    .to_le_bytes(),
            ),
        }
    }
}

struct Writer {
    data: Vec<u8>,
}

impl Writer {
    fn define(&mut self, local: u8, global: u16, fields: &[(u8, Base)]) {
        self.data.push(0x40 | local);
        self.data.extend([0, 0]);
        self.data.extend(global.to_le_bytes());
        self.data.push(fields.len() as u8);
        for (num, base) in fields {
            self.data.extend([*num, base.size() as u8, base.byte()]);
        }
    }
    fn message(&mut self, local: u8, fields: &[(Base, Option<f64>)]) {
        self.data.push(local);
        for (base, v) in fields {
            base.write(*v, &mut self.data);
        }
    }
}

fn fit_time(ms: i64) -> Option<f64> {
    Some((ms.div_euclid(1000) - FIT_EPOCH_OFFSET_S) as f64)
}

/// Encodes one activity as a FIT activity file.
pub fn encode(a: &Activity) -> Vec<u8> {
    let mut w = Writer {
        data: Vec::with_capacity(64 + a.samples.len() * 32),
    };
    let s = &a.samples;
    let start = fit_time(a.start_ms);
    let end_ms = s
        .time_ms
        .iter()
        .copied()
        .max()
        .unwrap_or(a.start_ms)
        .max(a.start_ms);
    let end = fit_time(end_ms);
    let (sport, sub_sport) = fit_sport(a.sport);

    w.define(
        0,
        profile::FILE_ID,
        &[
            (0, Base::Enum),
            (1, Base::Uint16),
            (2, Base::Uint16),
            (3, Base::Uint32z),
            (4, Base::Uint32),
        ],
    );
    // type activity (4), manufacturer development (255).
    w.message(
        0,
        &[
            (Base::Enum, Some(4.0)),
            (Base::Uint16, Some(255.0)),
            (Base::Uint16, Some(0.0)),
            (Base::Uint32z, Some(1.0)),
            (Base::Uint32, start),
        ],
    );

    // Timer events (event 0): the activity's own, with its pauses, else a
    // start and a stop; written in time order among the records. Event types:
    // 0 start, 1 stop, 4 stop_all for the last one.
    w.define(
        1,
        profile::EVENT,
        &[(253, Base::Uint32), (0, Base::Enum), (1, Base::Enum)],
    );
    let mut timer: Vec<(i64, bool)> = a
        .timer_events
        .iter()
        .map(|e| (e.time_ms, e.running))
        .collect();
    if timer.is_empty() {
        timer = vec![(a.start_ms, true), (end_ms, false)];
    }
    timer.sort_by_key(|e| e.0);
    let last_timer = timer.len() - 1;
    let timer_message = |w: &mut Writer, k: usize| {
        let (t, running) = timer[k];
        let kind = if running {
            0.0
        } else if k == last_timer {
            4.0
        } else {
            1.0
        };
        w.message(
            1,
            &[
                (Base::Uint32, fit_time(t)),
                (Base::Enum, Some(0.0)),
                (Base::Enum, Some(kind)),
            ],
        );
    };
    let mut next_timer = 0;

    // Records carry only the channels the activity has.
    let channels: Vec<(ChannelKind, u8, Base, f64, f64)> = [
        (
            ChannelKind::Latitude,
            0,
            Base::Sint32,
            SEMICIRCLES_PER_DEGREE,
            0.0,
        ),
        (
            ChannelKind::Longitude,
            1,
            Base::Sint32,
            SEMICIRCLES_PER_DEGREE,
            0.0,
        ),
        (ChannelKind::Altitude, 78, Base::Uint32, 5.0, 500.0),
        (ChannelKind::HeartRate, 3, Base::Uint8, 1.0, 0.0),
        (ChannelKind::Cadence, 4, Base::Uint8, 1.0, 0.0),
        (ChannelKind::Distance, 5, Base::Uint32, 100.0, 0.0),
        (ChannelKind::Speed, 73, Base::Uint32, 1000.0, 0.0),
        (ChannelKind::Power, 7, Base::Uint16, 1.0, 0.0),
        (ChannelKind::Temperature, 13, Base::Sint8, 1.0, 0.0),
    ]
    .into_iter()
    .filter(|c| s.channel(c.0).is_some())
    .collect();
    let mut def = vec![(profile::TIMESTAMP, Base::Uint32)];
    def.extend(channels.iter().map(|c| (c.1, c.2)));
    w.define(2, profile::RECORD, &def);
    let mut row = Vec::with_capacity(def.len());
    for i in 0..s.len() {
        while next_timer < timer.len() && timer[next_timer].0 <= s.time_ms[i] {
            timer_message(&mut w, next_timer);
            next_timer += 1;
        }
        row.clear();
        row.push((Base::Uint32, fit_time(s.time_ms[i])));
        for (kind, _, base, scale, offset) in &channels {
            row.push((*base, s.value(*kind, i).map(|v| (v + offset) * scale)));
        }
        w.message(2, &row);
    }

    while next_timer < timer.len() {
        timer_message(&mut w, next_timer);
        next_timer += 1;
    }

    let totals = |t: &crate::model::DeclaredTotals| {
        [
            (Base::Uint32, t.elapsed_s.map(|v| v * 1000.0)),
            (Base::Uint32, t.timer_s.map(|v| v * 1000.0)),
            (Base::Uint32, t.distance_m.map(|v| v * 100.0)),
            (Base::Uint16, t.calories_kcal),
            (Base::Uint8, t.avg_hr_bpm),
            (Base::Uint8, t.max_hr_bpm),
        ]
    };
    let totals_def = [
        (7u8, Base::Uint32),
        (8, Base::Uint32),
        (9, Base::Uint32),
        (11, Base::Uint16),
    ];
    let mut lap_def = vec![(profile::TIMESTAMP, Base::Uint32), (2, Base::Uint32)];
    lap_def.extend(totals_def);
    lap_def.extend([(15, Base::Uint8), (16, Base::Uint8)]);
    w.define(3, profile::LAP, &lap_def);
    for (i, lap) in a.laps.iter().enumerate() {
        let lap_end = a.laps.get(i + 1).map(|l| l.start_ms).unwrap_or(end_ms);
        let mut m = vec![
            (Base::Uint32, fit_time(lap_end)),
            (Base::Uint32, fit_time(lap.start_ms)),
        ];
        m.extend(totals(&lap.totals));
        w.message(3, &m);
    }

    let mut session_def = vec![
        (profile::TIMESTAMP, Base::Uint32),
        (2, Base::Uint32),
        (5, Base::Enum),
        (6, Base::Enum),
    ];
    session_def.extend(totals_def);
    session_def.extend([
        (16, Base::Uint8),
        (17, Base::Uint8),
        (22, Base::Uint16),
        (23, Base::Uint16),
    ]);
    w.define(4, profile::SESSION, &session_def);
    let d = &a.declared;
    let mut m = vec![
        (Base::Uint32, end),
        (Base::Uint32, start),
        (Base::Enum, Some(sport as f64)),
        (Base::Enum, Some(sub_sport as f64)),
    ];
    m.extend(totals(d));
    m.extend([(Base::Uint16, d.ascent_m), (Base::Uint16, d.descent_m)]);
    w.message(4, &m);

    w.define(
        5,
        profile::ACTIVITY,
        &[
            (253, Base::Uint32),
            (0, Base::Uint32),
            (1, Base::Uint16),
            (2, Base::Enum),
            (5, Base::Uint32),
        ],
    );
    let local = end.zip(a.utc_offset_s).map(|(e, o)| e + o as f64);
    w.message(
        5,
        &[
            (Base::Uint32, end),
            (Base::Uint32, d.timer_s.map(|v| v * 1000.0)),
            (Base::Uint16, Some(1.0)),
            (Base::Enum, Some(0.0)),
            (Base::Uint32, local),
        ],
    );

    let mut out = Vec::with_capacity(w.data.len() + 16);
    out.extend([14u8, 0x20]);
    out.extend(2132u16.to_le_bytes());
    out.extend((w.data.len() as u32).to_le_bytes());
    out.extend(b".FIT");
    let header_crc = crc16(&out);
    out.extend(header_crc.to_le_bytes());
    out.extend(w.data);
    let crc = crc16(&out);
    out.extend(crc.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Format};
    use crate::model::{DeclaredTotals, Lap, SourceFormat};
    use proptest::prelude::*;

    fn activity(points: &[(f64, f64, Option<f64>, Option<f64>)]) -> Activity {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Hike, 1_750_000_000_000);
        for (i, (lat, lon, hr, alt)) in points.iter().enumerate() {
            a.samples.push_time(1_750_000_000_000 + i as i64 * 1000);
            a.samples.set_last(ChannelKind::Latitude, *lat);
            a.samples.set_last(ChannelKind::Longitude, *lon);
            if let Some(h) = hr {
                a.samples.set_last(ChannelKind::HeartRate, *h);
            }
            if let Some(x) = alt {
                a.samples.set_last(ChannelKind::Altitude, *x);
            }
        }
        a.declared = DeclaredTotals {
            elapsed_s: Some(points.len() as f64),
            timer_s: Some(points.len() as f64),
            ..Default::default()
        };
        a.laps = vec![Lap {
            start_ms: a.start_ms,
            totals: a.declared.clone(),
        }];
        a.utc_offset_s = Some(7200);
        a
    }

    proptest! {
        #[test]
        fn encode_then_decode_gives_the_same_samples(points in proptest::collection::vec(
            (-89.0f64..89.0, -179.0f64..179.0, proptest::option::of(40u8..220), proptest::option::of(-400.0f64..8000.0)), 1..200)) {
            let pts: Vec<_> = points.iter().map(|(a, b, h, x)| (*a, *b, h.map(f64::from), *x)).collect();
            let a = activity(&pts);
            let bytes = encode(&a);
            let back = decode(Format::Fit, &bytes).unwrap();
            prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
            let b = &back.activities[0];
            prop_assert_eq!(b.sport, Sport::Hike);
            prop_assert_eq!(b.start_ms, a.start_ms);
            prop_assert_eq!(b.utc_offset_s, Some(7200));
            prop_assert_eq!(&b.samples.time_ms, &a.samples.time_ms);
            for i in 0..a.samples.len() {
                let (la, lo) = a.samples.position(i).unwrap();
                let (lb, lob) = b.samples.position(i).unwrap();
                // Semicircles resolve 8.4e-8 degrees (under 1 cm).
                prop_assert!((la - lb).abs() < 1e-7 && (lo - lob).abs() < 1e-7);
                prop_assert_eq!(a.samples.value(ChannelKind::HeartRate, i), b.samples.value(ChannelKind::HeartRate, i));
                match (a.samples.value(ChannelKind::Altitude, i), b.samples.value(ChannelKind::Altitude, i)) {
                    (Some(x), Some(y)) => prop_assert!((x - y).abs() <= 0.1 + 1e-9, "{} vs {}", x, y),
                    (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
                }
            }
        }
    }

    #[test]
    fn fitparser_reads_what_cairn_writes() {
        let a = activity(&[
            (46.0, 7.0, Some(120.0), Some(1000.0)),
            (46.0001, 7.0, None, Some(1001.0)),
        ]);
        let records = fitparser::from_bytes(&encode(&a)).expect("fitparser decodes cairn's FIT");
        let n = records
            .iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
            .count();
        assert_eq!(n, 2);
        let session = records
            .iter()
            .find(|r| r.kind() == fitparser::profile::MesgNum::Session)
            .unwrap();
        let sport = session
            .fields()
            .iter()
            .find(|f| f.name() == "sport")
            .unwrap();
        assert_eq!(sport.value().to_string(), "hiking");
    }
}
