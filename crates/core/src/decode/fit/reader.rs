//! The FIT wire format: headers, CRCs, definition and data messages.
//!
//! A streaming, allocation-light reader written for cairn because the general
//! crates are far too slow for bulk import (ECOSYSTEM.md §3.1: `fitparser`
//! decodes ~0.2 M records/s; this reader decodes tens of millions). Record
//! messages go straight into [`Samples`] columns; the few other messages cairn
//! needs are kept as small field lists. Its output is checked field by field
//! against `fitparser` in `tests/fit_differential.rs`.

use super::profile::{self, BaseType};
use crate::decode::DecodeError;
use crate::model::{ChannelKind, Samples};

/// FIT CRC: CRC-16/ARC (poly 0x8005 reflected, init 0), per the FIT protocol's
/// reference implementation; `crc` uses a slice-by-16 table.
const FIT_CRC: crc::Crc<u16, crc::Table<16>> =
    crc::Crc::<u16, crc::Table<16>>::new(&crc::CRC_16_ARC);

pub fn crc16(bytes: &[u8]) -> u16 {
    FIT_CRC.checksum(bytes)
}

/// One FIT file inside a possibly chained stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub offset: usize,
    pub header_size: u8,
    pub profile_version: u16,
    pub data_size: u32,
    /// `None` when the header has no CRC or writes 0 (allowed by the spec).
    pub header_crc_ok: Option<bool>,
    /// `None` when the file ended before its CRC.
    pub file_crc_ok: Option<bool>,
}

/// A decoded field value with scale and offset not yet applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(f64),
    Nums(Vec<Option<f64>>),
    Text(String),
    Bytes(Vec<u8>),
}

/// A non-record message: its valid fields, sentinels already removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub fields: Vec<(u8, Value)>,
}

impl Message {
    pub fn get(&self, num: u8) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| *n == num).map(|(_, v)| v)
    }
    /// A scalar field as a number (the first element of an array).
    pub fn num(&self, num: u8) -> Option<f64> {
        match self.get(num)? {
            Value::Num(v) => Some(*v),
            Value::Nums(v) => v.first().copied().flatten(),
            _ => None,
        }
    }
    /// A scalar with the profile's scale and offset applied: `raw / scale - offset`.
    pub fn scaled(&self, num: u8, scale: f64, offset: f64) -> Option<f64> {
        self.num(num).map(|v| v / scale - offset)
    }
    pub fn uint(&self, num: u8) -> Option<u64> {
        self.num(num).map(|v| v as u64)
    }
    pub fn text(&self, num: u8) -> Option<&str> {
        match self.get(num)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Everything the reader keeps from a FIT stream, in file order.
#[derive(Debug, Default)]
pub struct RawFit {
    pub segments: Vec<Segment>,
    pub records: Samples,
    pub messages: Vec<(u16, Message)>,
    /// RR intervals in seconds from `hrv` messages, read on a fast path
    /// (there can be one hrv message per record).
    pub rr_s: Vec<f64>,
    /// Number of messages per global number, records included.
    pub counts: std::collections::BTreeMap<u16, usize>,
    /// The first structural error; decoding stopped there.
    pub error: Option<DecodeError>,
}

impl RawFit {
    /// The raw FIT timestamp (seconds since the FIT epoch) of record `i`.
    pub fn record_fit_s(&self, i: usize) -> Option<u32> {
        let ms = *self.records.time_ms.get(i)?;
        Some((ms / 1000 - crate::time::FIT_EPOCH_OFFSET_S) as u32)
    }

    pub fn count(&self, global: u16) -> usize {
        self.counts.get(&global).copied().unwrap_or(0)
    }
    pub fn all(&self, global: u16) -> impl Iterator<Item = &Message> {
        self.messages
            .iter()
            .filter(move |(g, _)| *g == global)
            .map(|(_, m)| m)
    }
}

#[derive(Debug, Clone, Copy)]
struct FieldDef {
    num: u8,
    size: u8,
    base: BaseType,
}

/// What a record field feeds, resolved once per definition.
#[derive(Debug, Clone, Copy)]
enum RecordTarget {
    Timestamp,
    /// Channel, 1/scale, offset: value = raw × (1/scale) − offset. Multiplying
    /// by the reciprocal instead of dividing may differ from the profile's
    /// raw / scale in the last bit, far below any sensor's resolution.
    Channel(ChannelKind, f64, f64),
    FractionalCadence,
    /// Which of its components the definition lacks and so takes from it.
    CompressedSpeedDistance {
        speed: bool,
        distance: bool,
    },
}

#[derive(Debug, Clone)]
struct Definition {
    global: u16,
    big_endian: bool,
    fields: Vec<FieldDef>,
    /// For record messages: (byte offset, field, target).
    record_plan: Vec<PlannedField>,
    total_size: usize,
    /// Where a 4-byte `timestamp` field sits, for messages that are skipped.
    timestamp_at: Option<(usize, BaseType)>,
    /// Messages read with this definition, added to `RawFit::counts` when it
    /// is replaced (a map update per message would cost more than the message).
    count: usize,
}

fn header_error(offset: usize, msg: impl Into<String>) -> DecodeError {
    DecodeError::at(offset, msg)
}

/// Reads a whole FIT stream (one or several chained files).
///
/// Never panics: a structural error stops decoding and is returned in
/// [`RawFit::error`] along with everything intact before it.
pub fn read(bytes: &[u8]) -> Result<RawFit, DecodeError> {
    let mut out = RawFit::default();
    let mut pos = 0usize;
    let mut state = StreamState::default();
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let header_size = rest[0] as usize;
        if rest.len() < 12 || header_size < 12 || rest.get(8..12) != Some(b".FIT") {
            if out.segments.is_empty() {
                return Err(header_error(
                    pos,
                    if bytes.len() < 12 {
                        format!(
                            "{} bytes is too short for a FIT header (12 or 14 bytes)",
                            bytes.len()
                        )
                    } else {
                        "no FIT header (the bytes 8..12 are not \".FIT\")".to_string()
                    },
                ));
            }
            // Trailing bytes after a complete file that are not another FIT file.
            if rest.iter().all(|b| *b == 0) {
                break;
            }
            out.error.get_or_insert(header_error(
                pos,
                format!(
                    "{} bytes after the last FIT file are not a FIT header",
                    rest.len()
                ),
            ));
            break;
        }
        if rest.len() < header_size {
            out.error
                .get_or_insert(header_error(pos, "file ends inside a FIT header"));
            break;
        }
        let profile_version = u16::from_le_bytes([rest[2], rest[3]]);
        let data_size = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
        let header_crc_ok = if header_size >= 14 {
            let stated = u16::from_le_bytes([rest[12], rest[13]]);
            (stated != 0).then(|| crc16(&rest[..12]) == stated)
        } else {
            None
        };
        let data_end = header_size + data_size as usize;
        let mut segment = Segment {
            offset: pos,
            header_size: header_size as u8,
            profile_version,
            data_size,
            header_crc_ok,
            file_crc_ok: None,
        };
        let available_end = data_end.min(rest.len());
        if data_end + 2 <= rest.len() {
            let stated = u16::from_le_bytes([rest[data_end], rest[data_end + 1]]);
            segment.file_crc_ok = Some(crc16(&rest[..data_end]) == stated);
        }
        out.segments.push(segment);
        // Each chained file starts with fresh definitions (FIT protocol §3.3).
        state.flush_all(&mut out);
        let data = &rest[header_size..available_end];
        if let Err(e) = state.read_messages(data, pos + header_size, &mut out) {
            out.error.get_or_insert(e);
            break;
        }
        if data_end > rest.len() {
            out.error.get_or_insert(header_error(
                pos + rest.len(),
                format!(
                    "file ends {} bytes before the {} data bytes its header declares",
                    data_end - rest.len(),
                    data_size
                ),
            ));
            break;
        }
        pos += (data_end + 2).min(rest.len());
    }
    state.flush_all(&mut out);
    Ok(out)
}

/// `hrv.time` (field 0): uint16 array, scale 1000, seconds; 0xFFFF is a gap.
fn hrv(def: &Definition, body: &[u8], out: &mut RawFit) {
    let mut off = 0;
    for f in &def.fields {
        let size = f.size as usize;
        if f.num == 0 && f.base.size() == 2 {
            for c in body[off..off + size].chunks_exact(2) {
                if let Some(v) = read_scalar(c, f.base, def.big_endian) {
                    out.rr_s.push(v / 1000.0);
                }
            }
        }
        off += size;
    }
}

fn flush_count(def: &Definition, out: &mut RawFit) {
    if def.count > 0 {
        *out.counts.entry(def.global).or_insert(0) += def.count;
    }
}

#[derive(Default)]
struct StreamState {
    definitions: [Option<Box<Definition>>; 16],
    last_timestamp: Option<u32>,
    /// Accumulated distance for `compressed_speed_distance` (12-bit, 1/16 m).
    accumulated_distance: Option<(u32, u64)>,
}

impl StreamState {
    /// Forgets every definition, keeping their message counts.
    fn flush_all(&mut self, out: &mut RawFit) {
        for d in self.definitions.iter_mut() {
            if let Some(def) = d.take() {
                flush_count(&def, out);
            }
        }
    }

    fn read_messages(
        &mut self,
        data: &[u8],
        base: usize,
        out: &mut RawFit,
    ) -> Result<(), DecodeError> {
        let mut i = 0usize;
        while i < data.len() {
            let at = base + i;
            let header = data[i];
            i += 1;
            if header & 0x80 != 0 {
                // Compressed timestamp header: local type in bits 5-6, offset in bits 0-4.
                let local = ((header >> 5) & 0x03) as usize;
                let offset = (header & 0x1F) as u32;
                let Some(last) = self.last_timestamp else {
                    return Err(DecodeError::at(
                        at,
                        "compressed-timestamp message before any timestamp",
                    ));
                };
                let mut ts = (last & !0x1F) + offset;
                if offset < (last & 0x1F) {
                    ts = ts.wrapping_add(0x20);
                }
                self.last_timestamp = Some(ts);
                i = self.data_message(data, i, at, local, Some(ts), out)?;
            } else if header & 0x40 != 0 {
                let local = (header & 0x0F) as usize;
                let has_dev = header & 0x20 != 0;
                i = self.definition(out, data, i, at, local, has_dev)?;
            } else {
                let local = (header & 0x0F) as usize;
                i = self.data_message(data, i, at, local, None, out)?;
            }
        }
        Ok(())
    }

    fn definition(
        &mut self,
        out: &mut RawFit,
        data: &[u8],
        mut i: usize,
        at: usize,
        local: usize,
        has_dev: bool,
    ) -> Result<usize, DecodeError> {
        let fixed = data
            .get(i..i + 5)
            .ok_or_else(|| DecodeError::at(at, "file ends inside a definition message"))?;
        let big_endian = match fixed[1] {
            0 => false,
            1 => true,
            other => {
                return Err(DecodeError::at(
                    at,
                    format!("definition message has architecture {other} (expected 0 or 1)"),
                ))
            }
        };
        let global = if big_endian {
            u16::from_be_bytes([fixed[2], fixed[3]])
        } else {
            u16::from_le_bytes([fixed[2], fixed[3]])
        };
        let n = fixed[4] as usize;
        i += 5;
        let raw = data.get(i..i + 3 * n).ok_or_else(|| {
            DecodeError::at(at, "file ends inside a definition message's field list")
        })?;
        i += 3 * n;
        let mut fields = Vec::with_capacity(n);
        let mut total = 0usize;
        for f in raw.chunks_exact(3) {
            fields.push(FieldDef {
                num: f[0],
                size: f[1],
                base: BaseType::from_byte(f[2]),
            });
            total += f[1] as usize;
        }
        if has_dev {
            let nd = *data.get(i).ok_or_else(|| {
                DecodeError::at(
                    at,
                    "file ends inside a definition message's developer fields",
                )
            })? as usize;
            i += 1;
            let raw = data.get(i..i + 3 * nd).ok_or_else(|| {
                DecodeError::at(
                    at,
                    "file ends inside a definition message's developer fields",
                )
            })?;
            i += 3 * nd;
            // Developer fields are read past by size; their descriptions are kept
            // from field_description messages.
            total += raw.chunks_exact(3).map(|f| f[1] as usize).sum::<usize>();
        }
        let mut timestamp_at = None;
        let mut off = 0usize;
        for f in &fields {
            if f.num == profile::TIMESTAMP && f.size == 4 {
                timestamp_at = Some((off, f.base));
            }
            off += f.size as usize;
        }
        let record_plan = if global == profile::RECORD {
            record_plan(&fields)
        } else {
            Vec::new()
        };
        if let Some(old) = self.definitions[local].take() {
            flush_count(&old, out);
        }
        self.definitions[local] = Some(Box::new(Definition {
            global,
            big_endian,
            fields,
            record_plan,
            total_size: total,
            timestamp_at,
            count: 0,
        }));
        Ok(i)
    }

    fn data_message(
        &mut self,
        data: &[u8],
        i: usize,
        at: usize,
        local: usize,
        compressed_ts: Option<u32>,
        out: &mut RawFit,
    ) -> Result<usize, DecodeError> {
        let Some(mut def) = self.definitions[local].take() else {
            return Err(DecodeError::at(
                at,
                format!("FIT data message refers to undefined local message type {local}"),
            ));
        };
        let result = match data.get(i..i + def.total_size) {
            None => Err(DecodeError::at(
                at,
                format!(
                    "data message of {} bytes (global message {}) runs past the end of the data",
                    def.total_size, def.global
                ),
            )),
            Some(body) => {
                def.count += 1;
                if def.global == profile::RECORD {
                    if out.records.time_ms.capacity() == out.records.len() {
                        // At most this many more records can follow in this data.
                        out.records
                            .reserve((data.len() - i) / def.total_size.max(1) + 1);
                    }
                    self.record(&def, body, compressed_ts, out);
                } else if def.global == profile::HRV {
                    hrv(&def, body, out);
                } else if profile::is_kept(def.global) {
                    let msg = self.generic(&def, body, compressed_ts);
                    out.messages.push((def.global, msg));
                } else {
                    self.note_timestamp(&def, body);
                }
                Ok(i + def.total_size)
            }
        };
        self.definitions[local] = Some(def);
        result
    }

    fn note_timestamp(&mut self, def: &Definition, body: &[u8]) {
        if let Some((off, base)) = def.timestamp_at {
            if let Some(v) = read_scalar(&body[off..off + 4], base, def.big_endian) {
                self.last_timestamp = Some(v as u32);
            }
        }
    }

    fn generic(&mut self, def: &Definition, body: &[u8], compressed_ts: Option<u32>) -> Message {
        let mut msg = Message {
            fields: Vec::with_capacity(def.fields.len() + 1),
        };
        let mut off = 0usize;
        for f in &def.fields {
            let bytes = &body[off..off + f.size as usize];
            off += f.size as usize;
            if let Some(v) = read_value(bytes, f.base, def.big_endian) {
                if f.num == profile::TIMESTAMP {
                    if let Value::Num(t) = v {
                        self.last_timestamp = Some(t as u32);
                    }
                }
                msg.fields.push((f.num, v));
            }
        }
        if let Some(ts) = compressed_ts {
            if msg.get(profile::TIMESTAMP).is_none() {
                msg.fields.push((profile::TIMESTAMP, Value::Num(ts as f64)));
            }
        }
        msg
    }

    fn record(
        &mut self,
        def: &Definition,
        body: &[u8],
        compressed_ts: Option<u32>,
        out: &mut RawFit,
    ) {
        // One pass over the planned fields into a row, then one push per channel.
        let mut row = [None; ChannelKind::ALL.len()];
        let mut ts = compressed_ts;
        let mut fractional_cadence = None;
        let big = def.big_endian;
        for p in &def.record_plan {
            let read = || p.read(body, big);
            match p.target {
                RecordTarget::Timestamp => {
                    if let Some(v) = read() {
                        ts = Some(v as u32);
                    }
                }
                RecordTarget::Channel(kind, inv_scale, offset) => {
                    row[kind as usize] = read().map(|v| v * inv_scale - offset);
                }
                RecordTarget::FractionalCadence => {
                    fractional_cadence = read().map(|v| v / 128.0);
                }
                RecordTarget::CompressedSpeedDistance {
                    speed: want_speed,
                    distance: want_distance,
                } => {
                    let bytes = &body[p.off..p.off + p.size];
                    if bytes.len() >= 3
                        && !(bytes[0] == 0xFF && bytes[1] == 0xFF && bytes[2] == 0xFF)
                    {
                        // Components (FIT profile, record.compressed_speed_distance):
                        // speed 12 bits, scale 100; distance 12 bits, scale 16, accumulated.
                        let speed = (bytes[0] as u32) | (((bytes[1] & 0x0F) as u32) << 8);
                        let dist12 = ((bytes[1] >> 4) as u32) | ((bytes[2] as u32) << 4);
                        if want_speed {
                            row[ChannelKind::Speed as usize] = Some(speed as f64 / 100.0);
                        }
                        let total = match self.accumulated_distance {
                            None => dist12 as u64,
                            Some((last, total)) => {
                                total + ((dist12.wrapping_sub(last)) & 0xFFF) as u64
                            }
                        };
                        self.accumulated_distance = Some((dist12, total));
                        if want_distance {
                            row[ChannelKind::Distance as usize] = Some(total as f64 / 16.0);
                        }
                    }
                }
            }
        }
        if let (Some(frac), Some(c)) = (
            fractional_cadence,
            row[ChannelKind::Cadence as usize].as_mut(),
        ) {
            *c += frac;
        }
        if ts.is_some() {
            self.last_timestamp = ts;
        }
        let ts = ts.or(self.last_timestamp).unwrap_or(0);
        out.records.push_row(fit_seconds_to_ms(ts), &row);
    }
}

/// A record field resolved once per definition: where it is, how to read it,
/// and what it feeds.
#[derive(Debug, Clone, Copy)]
struct PlannedField {
    off: usize,
    size: usize,
    base: BaseType,
    /// A specialised reader for the common integer types; `None` falls back
    /// to the general [`read_scalar`].
    num: Option<Num>,
    target: RecordTarget,
}

impl PlannedField {
    #[inline(always)]
    fn read(&self, body: &[u8], big: bool) -> Option<f64> {
        match self.num {
            Some(n) => n.read(body, self.off, big),
            None => read_scalar(&body[self.off..self.off + self.size], self.base, big),
        }
    }
}

/// Integer base types read on the hot path, sentinel included.
#[derive(Debug, Clone, Copy)]
enum Num {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
}

impl Num {
    fn of(base: BaseType) -> Option<Num> {
        Some(match base {
            BaseType::Uint8 | BaseType::Enum => Num::U8,
            BaseType::Sint8 => Num::I8,
            BaseType::Uint16 => Num::U16,
            BaseType::Sint16 => Num::I16,
            BaseType::Uint32 => Num::U32,
            BaseType::Sint32 => Num::I32,
            _ => return None,
        })
    }

    #[inline(always)]
    fn read(self, body: &[u8], off: usize, big: bool) -> Option<f64> {
        let two = |b: &[u8]| {
            let a = [b[off], b[off + 1]];
            if big {
                u16::from_be_bytes(a)
            } else {
                u16::from_le_bytes(a)
            }
        };
        let four = |b: &[u8]| {
            let a = [b[off], b[off + 1], b[off + 2], b[off + 3]];
            if big {
                u32::from_be_bytes(a)
            } else {
                u32::from_le_bytes(a)
            }
        };
        match self {
            Num::U8 => Some(body[off]).filter(|v| *v != 0xFF).map(f64::from),
            Num::I8 => Some(body[off])
                .filter(|v| *v != 0x7F)
                .map(|v| v as i8 as f64),
            Num::U16 => Some(two(body)).filter(|v| *v != 0xFFFF).map(f64::from),
            Num::I16 => Some(two(body))
                .filter(|v| *v != 0x7FFF)
                .map(|v| v as i16 as f64),
            Num::U32 => Some(four(body))
                .filter(|v| *v != 0xFFFF_FFFF)
                .map(f64::from),
            Num::I32 => Some(four(body))
                .filter(|v| *v != 0x7FFF_FFFF)
                .map(|v| v as i32 as f64),
        }
    }
}

/// FIT seconds (since 1989-12-31T00:00:00Z) to Unix milliseconds.
pub fn fit_seconds_to_ms(ts: u32) -> i64 {
    (ts as i64 + crate::time::FIT_EPOCH_OFFSET_S) * 1000
}

fn record_plan(fields: &[FieldDef]) -> Vec<PlannedField> {
    use ChannelKind::*;
    // Component expansion (FIT profile): altitude and speed expand into the
    // enhanced fields, so when a definition carries the enhanced field the
    // legacy one adds nothing; compressed_speed_distance fills speed and
    // distance only where the definition has no such field.
    let usable = |num: u8| {
        fields
            .iter()
            .any(|f| f.num == num && f.base.size() == f.size as usize)
    };
    let (enhanced_alt, enhanced_speed) = (usable(78), usable(73));
    let has_speed = enhanced_speed || usable(6);
    let has_distance = usable(5);
    let mut plan = Vec::new();
    let mut off = 0usize;
    for f in fields {
        let target = match f.num {
            253 => Some(RecordTarget::Timestamp),
            0 => Some(RecordTarget::Channel(
                Latitude,
                1.0 / profile::SEMICIRCLES_PER_DEGREE,
                0.0,
            )),
            1 => Some(RecordTarget::Channel(
                Longitude,
                1.0 / profile::SEMICIRCLES_PER_DEGREE,
                0.0,
            )),
            2 if !enhanced_alt => Some(RecordTarget::Channel(Altitude, 1.0 / 5.0, 500.0)),
            3 => Some(RecordTarget::Channel(HeartRate, 1.0, 0.0)),
            4 => Some(RecordTarget::Channel(Cadence, 1.0, 0.0)),
            5 => Some(RecordTarget::Channel(Distance, 1.0 / 100.0, 0.0)),
            6 if !enhanced_speed => Some(RecordTarget::Channel(Speed, 1.0 / 1000.0, 0.0)),
            7 => Some(RecordTarget::Channel(Power, 1.0, 0.0)),
            8 => Some(RecordTarget::CompressedSpeedDistance {
                speed: !has_speed,
                distance: !has_distance,
            }),
            13 => Some(RecordTarget::Channel(Temperature, 1.0, 0.0)),
            53 => Some(RecordTarget::FractionalCadence),
            73 => Some(RecordTarget::Channel(Speed, 1.0 / 1000.0, 0.0)),
            78 => Some(RecordTarget::Channel(Altitude, 1.0 / 5.0, 500.0)),
            _ => None,
        };
        // A field whose size is not what its base type needs (e.g. COROS's
        // 1-byte uint32) cannot hold a valid value of that type: skip it.
        let size_ok = match target {
            Some(RecordTarget::CompressedSpeedDistance { .. }) => f.size >= 3,
            Some(_) => f.base.size() == f.size as usize,
            None => false,
        };
        if let (Some(t), true) = (target, size_ok) {
            plan.push(PlannedField {
                off,
                size: f.size as usize,
                base: f.base,
                num: Num::of(f.base),
                target: t,
            });
        }
        off += f.size as usize;
    }
    plan
}

/// Reads one scalar of a numeric base type; `None` for the invalid sentinel.
#[inline]
fn read_scalar(bytes: &[u8], base: BaseType, big_endian: bool) -> Option<f64> {
    let n = bytes.len();
    let raw: u64 = match n {
        1 => bytes[0] as u64,
        2 => {
            let b = [bytes[0], bytes[1]];
            (if big_endian {
                u16::from_be_bytes(b)
            } else {
                u16::from_le_bytes(b)
            }) as u64
        }
        4 => {
            let b = [bytes[0], bytes[1], bytes[2], bytes[3]];
            (if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }) as u64
        }
        8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(bytes);
            if big_endian {
                u64::from_be_bytes(b)
            } else {
                u64::from_le_bytes(b)
            }
        }
        _ => return None,
    };
    base.decode(raw)
}

fn read_value(bytes: &[u8], base: BaseType, big_endian: bool) -> Option<Value> {
    match base {
        BaseType::String => {
            let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
            let text = String::from_utf8_lossy(&bytes[..end]).trim().to_string();
            (!text.is_empty()).then_some(Value::Text(text))
        }
        BaseType::Byte => (!bytes.iter().all(|b| *b == 0xFF)).then(|| Value::Bytes(bytes.to_vec())),
        _ => {
            let size = base.size();
            if bytes.len() == size {
                read_scalar(bytes, base, big_endian).map(Value::Num)
            } else if size > 0 && bytes.len().is_multiple_of(size) {
                let items: Vec<Option<f64>> = bytes
                    .chunks_exact(size)
                    .map(|c| read_scalar(c, base, big_endian))
                    .collect();
                items
                    .iter()
                    .any(Option::is_some)
                    .then_some(Value::Nums(items))
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_fit_reference_check_value() {
        // CRC-16/ARC check value for "123456789".
        assert_eq!(crc16(b"123456789"), 0xBB3D);
    }

    #[test]
    fn empty_and_short_inputs_are_errors_not_panics() {
        assert!(read(&[]).is_ok_and(|r| r.segments.is_empty()));
        assert!(read(&[14]).is_err());
        assert!(read(b"not a fit file at all").is_err());
    }
}
