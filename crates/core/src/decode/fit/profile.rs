//! The parts of the FIT profile (Garmin FIT SDK, Profile.xlsx) cairn reads.

pub const FILE_ID: u16 = 0;
pub const USER_PROFILE: u16 = 3;
pub const ZONES_TARGET: u16 = 7;
pub const SPORT: u16 = 12;
pub const WORKOUT: u16 = 26;
pub const WORKOUT_STEP: u16 = 27;
pub const SESSION: u16 = 18;
pub const LAP: u16 = 19;
pub const RECORD: u16 = 20;
pub const EVENT: u16 = 21;
pub const DEVICE_INFO: u16 = 23;
pub const ACTIVITY: u16 = 34;
pub const HRV: u16 = 78;
pub const LENGTH: u16 = 101;
pub const FIELD_DESCRIPTION: u16 = 206;
pub const DEVELOPER_DATA_ID: u16 = 207;

/// Field number of `timestamp` in every message that has one.
pub const TIMESTAMP: u8 = 253;

/// 2^31 semicircles = 180 degrees.
pub const SEMICIRCLES_PER_DEGREE: f64 = 2_147_483_648.0 / 180.0;

/// Non-record messages worth keeping; everything else is counted and skipped.
pub fn is_kept(global: u16) -> bool {
    matches!(
        global,
        FILE_ID
            | USER_PROFILE
            | ZONES_TARGET
            | SPORT
            | WORKOUT
            | WORKOUT_STEP
            | SESSION
            | LAP
            | EVENT
            | DEVICE_INFO
            | ACTIVITY
            | LENGTH
            | FIELD_DESCRIPTION
            | DEVELOPER_DATA_ID
    )
}

/// FIT base types (FIT protocol, table 4-6), with their invalid sentinels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseType {
    Enum,
    Sint8,
    Uint8,
    Sint16,
    Uint16,
    Sint32,
    Uint32,
    String,
    Float32,
    Float64,
    Uint8z,
    Uint16z,
    Uint32z,
    Byte,
    Sint64,
    Uint64,
    Uint64z,
}

impl BaseType {
    /// From the definition byte: the low 5 bits are the type number; an unknown
    /// number is read as bytes.
    pub fn from_byte(b: u8) -> BaseType {
        match b & 0x1F {
            0 => BaseType::Enum,
            1 => BaseType::Sint8,
            2 => BaseType::Uint8,
            3 => BaseType::Sint16,
            4 => BaseType::Uint16,
            5 => BaseType::Sint32,
            6 => BaseType::Uint32,
            7 => BaseType::String,
            8 => BaseType::Float32,
            9 => BaseType::Float64,
            10 => BaseType::Uint8z,
            11 => BaseType::Uint16z,
            12 => BaseType::Uint32z,
            14 => BaseType::Sint64,
            15 => BaseType::Uint64,
            16 => BaseType::Uint64z,
            _ => BaseType::Byte,
        }
    }

    /// Size in bytes of one element (1 for strings and bytes).
    pub fn size(self) -> usize {
        match self {
            BaseType::Enum | BaseType::Sint8 | BaseType::Uint8 | BaseType::Uint8z => 1,
            BaseType::String | BaseType::Byte => 1,
            BaseType::Sint16 | BaseType::Uint16 | BaseType::Uint16z => 2,
            BaseType::Sint32 | BaseType::Uint32 | BaseType::Uint32z | BaseType::Float32 => 4,
            BaseType::Float64 | BaseType::Sint64 | BaseType::Uint64 | BaseType::Uint64z => 8,
        }
    }

    /// Interprets raw little-endian-assembled bits; `None` for the type's invalid value.
    #[inline]
    pub fn decode(self, raw: u64) -> Option<f64> {
        match self {
            BaseType::Enum | BaseType::Uint8 | BaseType::Byte => {
                (raw != 0xFF).then_some(raw as f64)
            }
            BaseType::Sint8 => (raw != 0x7F).then_some(raw as u8 as i8 as f64),
            BaseType::Uint8z => (raw != 0).then_some(raw as f64),
            BaseType::Sint16 => (raw != 0x7FFF).then_some(raw as u16 as i16 as f64),
            BaseType::Uint16 => (raw != 0xFFFF).then_some(raw as f64),
            BaseType::Uint16z => (raw != 0).then_some(raw as f64),
            BaseType::Sint32 => (raw != 0x7FFF_FFFF).then_some(raw as u32 as i32 as f64),
            BaseType::Uint32 => (raw != 0xFFFF_FFFF).then_some(raw as f64),
            BaseType::Uint32z => (raw != 0).then_some(raw as f64),
            BaseType::Float32 => {
                let v = f32::from_bits(raw as u32);
                (raw != 0xFFFF_FFFF && v.is_finite()).then_some(v as f64)
            }
            BaseType::Float64 => {
                let v = f64::from_bits(raw);
                (raw != u64::MAX && v.is_finite()).then_some(v)
            }
            BaseType::Sint64 => (raw != 0x7FFF_FFFF_FFFF_FFFF).then_some(raw as i64 as f64),
            BaseType::Uint64 => (raw != u64::MAX).then_some(raw as f64),
            BaseType::Uint64z => (raw != 0).then_some(raw as f64),
            BaseType::String => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinels_are_gaps() {
        assert_eq!(BaseType::Uint8.decode(0xFF), None);
        assert_eq!(BaseType::Uint8.decode(0x10), Some(16.0));
        assert_eq!(BaseType::Sint16.decode(0xFFFF), Some(-1.0));
        assert_eq!(BaseType::Sint32.decode(0x7FFF_FFFF), None);
        assert_eq!(BaseType::Uint32z.decode(0), None);
        assert_eq!(BaseType::from_byte(0x84), BaseType::Uint16);
        assert_eq!(BaseType::from_byte(0x1F), BaseType::Byte);
    }
}
