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
    /// The file_id message (local 0): file type (4 activity, 5 workout),
    /// the device (a Garmin product the decoder names, else manufacturer
    /// "development" (255) and product 0), serial 1, time created.
    fn file_id(&mut self, file_type: u8, time_created: Option<f64>, device: Option<&str>) {
        let (manufacturer, product) = match device.and_then(crate::decode::fit::garmin_product_id) {
            Some(id) => (1.0, id as f64),
            None => (255.0, 0.0),
        };
        let fields = [
            (0, Base::Enum),
            (1, Base::Uint16),
            (2, Base::Uint16),
            (3, Base::Uint32z),
            (4, Base::Uint32),
        ];
        self.define(0, profile::FILE_ID, &fields);
        self.message(
            0,
            &[
                (Base::Enum, Some(file_type as f64)),
                (Base::Uint16, Some(manufacturer)),
                (Base::Uint16, Some(product)),
                (Base::Uint32z, Some(1.0)),
                (Base::Uint32, time_created),
            ],
        );
    }

    /// A definition with string fields (num, size) after the numeric ones.
    fn define_with_strings(
        &mut self,
        local: u8,
        global: u16,
        fields: &[(u8, Base)],
        strings: &[(u8, u8)],
    ) {
        self.data.push(0x40 | local);
        self.data.extend([0, 0]);
        self.data.extend(global.to_le_bytes());
        self.data.push((fields.len() + strings.len()) as u8);
        for (num, base) in fields {
            self.data.extend([*num, base.size() as u8, base.byte()]);
        }
        for (num, size) in strings {
            self.data.extend([*num, *size, 0x07]);
        }
    }
    /// A NUL-terminated string field of `size` bytes, cut to fit by
    /// [`fit_cut`].
    fn string(&mut self, text: &str, size: u8) {
        let mut b: Vec<u8> = fit_cut(text, size as usize - 1).as_bytes().to_vec();
        b.resize(size as usize, 0);
        self.data.extend(b);
    }
}

/// `text` in at most `max_bytes`, for a watch's screen: whole characters
/// (the UTF-8 stays valid), and whole words when a word would be cut, with
/// no separator left dangling at the end.
pub fn fit_cut(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let splits_a_word = !text[end..].starts_with(' ') && !text[..end].ends_with(' ');
    if splits_a_word {
        if let Some(space) = text[..end].rfind(' ').filter(|i| *i > 0) {
            end = space;
        }
    }
    text[..end].trim_end_matches([' ', '·', ',', ':', ';', '×', '-', '–'])
}

/// Optional FIT features, for files that exercise every decoder path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Records use compressed-timestamp headers when under 32 s apart.
    pub compressed_timestamps: bool,
    /// Records carry a developer field ("step_rate", steps/min) with its
    /// developer_data_id and field_description.
    pub developer_field: bool,
}

fn fit_time(ms: i64) -> Option<f64> {
    Some((ms.div_euclid(1000) - FIT_EPOCH_OFFSET_S) as f64)
}

/// Encodes one activity as a FIT activity file.
pub fn encode(a: &Activity) -> Vec<u8> {
    encode_with(a, EncodeOptions::default())
}

/// Encodes one activity with optional compressed timestamps and a developer field.
pub fn encode_with(a: &Activity, opts: EncodeOptions) -> Vec<u8> {
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

    w.file_id(4, start, a.device.as_deref());

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
    if opts.developer_field {
        // developer_data_id (developer_data_index 3), then field_description:
        // developer_data_index 0, field_definition_number 1, fit_base_type_id 2,
        // field_name 3, units 8.
        w.define(6, profile::DEVELOPER_DATA_ID, &[(3, Base::Uint8)]);
        w.message(6, &[(Base::Uint8, Some(0.0))]);
        w.define_with_strings(
            7,
            profile::FIELD_DESCRIPTION,
            &[(0, Base::Uint8), (1, Base::Uint8), (2, Base::Uint8)],
            &[(3, 16), (8, 8)],
        );
        w.message(
            7,
            &[
                (Base::Uint8, Some(0.0)),
                (Base::Uint8, Some(0.0)),
                (Base::Uint8, Some(2.0)),
            ],
        );
        w.string("step_rate", 16);
        w.string("spm", 8);
    }
    let fields: Vec<(u8, Base)> = channels.iter().map(|c| (c.1, c.2)).collect();
    // Local 2: records without a timestamp field (for compressed headers, which
    // address local types 0–3 only); local 8: records with one.
    let define_record = |w: &mut Writer, local: u8, with_time: bool| {
        let mut def = Vec::with_capacity(fields.len() + 1);
        if with_time {
            def.push((profile::TIMESTAMP, Base::Uint32));
        }
        def.extend(fields.iter().copied());
        w.define(local, profile::RECORD, &def);
        if opts.developer_field {
            // Developer flag set: one developer field (number 0, 1 byte, index 0).
            let at = w.data.len() - (3 * def.len() + 6);
            w.data[at] |= 0x20;
            w.data.extend([1, 0, 1, 0]);
        }
    };
    define_record(&mut w, 8, true);
    if opts.compressed_timestamps {
        define_record(&mut w, 2, false);
    }
    let mut last_full: Option<i64> = None;
    let mut row = Vec::with_capacity(fields.len() + 1);
    for i in 0..s.len() {
        while next_timer < timer.len() && timer[next_timer].0 <= s.time_ms[i] {
            timer_message(&mut w, next_timer);
            last_full = fit_time(timer[next_timer].0).map(|t| t as i64);
            next_timer += 1;
        }
        let t = fit_time(s.time_ms[i]).map(|t| t as i64).unwrap_or(0);
        row.clear();
        let compressed =
            opts.compressed_timestamps && last_full.is_some_and(|l| t >= l && t - l < 32);
        for (kind, _, base, scale, offset) in &channels {
            row.push((*base, s.value(*kind, i).map(|v| (v + offset) * scale)));
        }
        if compressed {
            // Header: bit 7 set, local type 2 in bits 5-6, time offset in bits 0-4.
            w.data.push(0x80 | (2 << 5) | (t & 0x1F) as u8);
            for (base, v) in &row {
                base.write(*v, &mut w.data);
            }
        } else {
            let mut full = Vec::with_capacity(row.len() + 1);
            full.push((Base::Uint32, Some(t as f64)));
            full.extend(row.iter().copied());
            w.message(8, &full);
            last_full = Some(t);
        }
        if opts.developer_field {
            let steps = s.value(ChannelKind::Cadence, i).map(|c| c * 2.0);
            Base::Uint8.write(steps, &mut w.data);
        }
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

    finish(w.data)
}

/// Encodes a structured workout as a FIT workout file (file type 5), the
/// inverse of [`crate::decode::fit::decode_workout`].
pub fn encode_workout(workout: &crate::model::Workout) -> Vec<u8> {
    use crate::model::{StepDuration, StepIntensity, StepTarget};
    let mut w = Writer {
        data: Vec::with_capacity(256 + workout.steps.len() * 48),
    };
    w.file_id(5, None, None);
    w.define_with_strings(
        1,
        profile::WORKOUT,
        &[(4, Base::Enum), (11, Base::Enum), (6, Base::Uint16)],
        &[(8, 24)],
    );
    let (sport, sub_sport) = fit_sport(workout.sport);
    w.message(
        1,
        &[
            (Base::Enum, Some(sport as f64)),
            (Base::Enum, Some(sub_sport as f64)),
            (Base::Uint16, Some(workout.steps.len() as f64)),
        ],
    );
    w.string(&workout.name, 24);
    let numeric = [
        (254, Base::Uint16),
        (1, Base::Enum),
        (2, Base::Uint32),
        (3, Base::Enum),
        (4, Base::Uint32),
        (5, Base::Uint32),
        (6, Base::Uint32),
        (7, Base::Enum),
    ];
    w.define_with_strings(2, profile::WORKOUT_STEP, &numeric, &[(0, 16)]);
    for (i, step) in workout.steps.iter().enumerate() {
        let (dtype, dvalue) = match step.duration {
            StepDuration::Seconds(s) => (0.0, Some(s * 1000.0)),
            StepDuration::Metres(m) => (1.0, Some(m * 100.0)),
            StepDuration::Open => (5.0, None),
        };
        let (ttype, lo, hi) = match step.target {
            StepTarget::HeartRate { low_bpm, high_bpm } => {
                (1.0, Some(low_bpm + 100.0), Some(high_bpm + 100.0))
            }
            StepTarget::Speed { low_mps, high_mps } => {
                (0.0, Some(low_mps * 1000.0), Some(high_mps * 1000.0))
            }
            StepTarget::Open => (2.0, None, None),
        };
        let intensity = match step.intensity {
            StepIntensity::Active => 0.0,
            StepIntensity::Rest => 1.0,
            StepIntensity::Warmup => 2.0,
            StepIntensity::Cooldown => 3.0,
        };
        // target_value 0 means "custom range" for HR and speed targets.
        let target_value = if ttype == 2.0 { None } else { Some(0.0) };
        w.message(
            2,
            &[
                (Base::Uint16, Some(i as f64)),
                (Base::Enum, Some(dtype)),
                (Base::Uint32, dvalue),
                (Base::Enum, Some(ttype)),
                (Base::Uint32, target_value),
                (Base::Uint32, lo),
                (Base::Uint32, hi),
                (Base::Enum, Some(intensity)),
            ],
        );
        w.string(&step.name, 16);
    }
    finish(w.data)
}

/// Header, data and CRCs.
fn finish(data: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    out.extend([14u8, 0x20]);
    out.extend(2132u16.to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(b".FIT");
    let header_crc = crc16(&out);
    out.extend(header_crc.to_le_bytes());
    out.extend(data);
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
    fn names_are_cut_at_whole_words_and_characters() {
        assert_eq!(fit_cut("run easy 45 min", 23), "run easy 45 min");
        assert_eq!(
            fit_cut("trail run/walk 6×5 min 1 h 10 min", 23),
            "trail run/walk 6×5 min"
        );
        assert_eq!(fit_cut("hike long · 3 h 30 min", 11), "hike long");
        // One long word is cut inside it, at a character boundary.
        assert_eq!(fit_cut("Überschreitung", 5), "Über");
        assert_eq!(fit_cut("ÜÜÜ", 3), "Ü");
        proptest!(|(text in "[a-zé× ·:]{0,40}", max in 1usize..30)| {
            let cut = fit_cut(&text, max);
            prop_assert!(cut.len() <= max);
            prop_assert!(text.starts_with(cut));
        });
    }

    #[test]
    fn compressed_timestamps_and_developer_fields_round_trip() {
        let pts: Vec<_> = (0..300)
            .map(|i| {
                (
                    46.0 + i as f64 * 1e-5,
                    7.0,
                    Some(100.0 + (i % 50) as f64),
                    Some(500.0 + i as f64 * 0.2),
                )
            })
            .collect();
        let mut a = activity(&pts);
        for i in 0..a.samples.len() {
            let c = a.samples.channel_mut(ChannelKind::Cadence);
            c[i] = Some(85.0);
        }
        let opts = EncodeOptions {
            compressed_timestamps: true,
            developer_field: true,
        };
        let bytes = encode_with(&a, opts);
        let plain = encode(&a);
        assert!(
            bytes.len() < plain.len() + 100,
            "compressed headers save the 4-byte timestamps"
        );
        let back = decode(Format::Fit, &bytes).unwrap();
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        let b = &back.activities[0];
        assert_eq!(b.samples.time_ms, a.samples.time_ms);
        assert_eq!(
            b.samples.channel(ChannelKind::HeartRate),
            a.samples.channel(ChannelKind::HeartRate)
        );
        assert_eq!(b.developer_fields.len(), 1);
        assert_eq!(b.developer_fields[0].name.as_deref(), Some("step_rate"));
        assert_eq!(b.developer_fields[0].units.as_deref(), Some("spm"));
        // fitparser agrees on every record.
        let records = fitparser::from_bytes(&bytes)
            .expect("fitparser decodes compressed timestamps and developer data");
        let n = records
            .iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
            .count();
        assert_eq!(n, 300);
    }

    #[test]
    fn workouts_round_trip_through_cairn_and_fitparser() {
        use crate::model::{StepDuration, StepIntensity, StepTarget, Workout, WorkoutStep};
        let wk = Workout {
            name: "Hill repeats".into(),
            sport: Sport::TrailRun,
            steps: vec![
                WorkoutStep {
                    name: "Warm up".into(),
                    duration: StepDuration::Seconds(600.0),
                    target: StepTarget::HeartRate {
                        low_bpm: 120.0,
                        high_bpm: 140.0,
                    },
                    intensity: StepIntensity::Warmup,
                },
                WorkoutStep {
                    name: "Hill".into(),
                    duration: StepDuration::Seconds(30.0),
                    target: StepTarget::Open,
                    intensity: StepIntensity::Active,
                },
                WorkoutStep {
                    name: "Jog down".into(),
                    duration: StepDuration::Metres(200.0),
                    target: StepTarget::Speed {
                        low_mps: 2.0,
                        high_mps: 2.5,
                    },
                    intensity: StepIntensity::Rest,
                },
                WorkoutStep {
                    name: "Cool down".into(),
                    duration: StepDuration::Open,
                    target: StepTarget::Open,
                    intensity: StepIntensity::Cooldown,
                },
            ],
        };
        let bytes = encode_workout(&wk);
        let back = crate::decode::fit::decode_workout(&bytes).unwrap();
        assert_eq!(back.name, wk.name);
        assert_eq!(back.steps, wk.steps);
        assert_eq!(back.sport, wk.sport, "sport and sub-sport (field 11)");
        let records = fitparser::from_bytes(&bytes).expect("fitparser decodes the workout");
        let steps: Vec<_> = records
            .iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::WorkoutStep)
            .collect();
        assert_eq!(steps.len(), 4);
        let field = |r: &fitparser::FitDataRecord, name: &str| {
            r.fields()
                .iter()
                .find(|f| f.name() == name)
                .map(|f| f.value().to_string())
        };
        assert_eq!(field(steps[0], "wkt_step_name").as_deref(), Some("Warm up"));
        assert_eq!(field(steps[0], "duration_type").as_deref(), Some("time"));
        assert_eq!(
            field(steps[0], "target_type").as_deref(),
            Some("heart_rate")
        );
        assert_eq!(
            field(steps[2], "duration_type").as_deref(),
            Some("distance")
        );
        assert_eq!(field(steps[3], "intensity").as_deref(), Some("cooldown"));
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
