//! Instants as the domain sees them: UTC milliseconds since the Unix epoch.

use jiff::Timestamp;

/// Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
pub const FIT_EPOCH_OFFSET_S: i64 = 631_065_600;

/// Formats a UTC instant in milliseconds as RFC 3339 (`2026-06-01T08:00:00Z`),
/// with fractional seconds only when there are any.
pub fn rfc3339(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) if ms % 1000 == 0 => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => format!("@{ms}ms"),
    }
}

/// A duration in words for notes and explanations: `1 h 02 min`,
/// `4 min 10 s`, `45 s`.
pub fn duration_text(seconds: f64) -> String {
    let s = seconds.round() as i64;
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, s / 60 % 60)
    } else if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// Parses an ISO 8601 / RFC 3339 instant as written in GPX and TCX files.
///
/// Accepts a `Z` or numeric offset; a time without any zone is taken as UTC and
/// reported through the second value so the caller can flag it.
pub fn parse_instant_ms(text: &str) -> Option<(i64, bool)> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some((ts.as_millisecond(), false));
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    let ts = civil.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some((ts.as_millisecond(), true))
}

/// The JSON forms of days and instants that every `--json` and the web API
/// share (docs/json.md): a local day number is written `YYYY-MM-DD`, a UTC
/// instant in milliseconds RFC 3339. Reading accepts the numbers too, so
/// plans stored before the schema still load.
pub mod json {
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DayForm {
        Number(i32),
        Text(String),
    }

    fn day_of<E: de::Error>(f: DayForm) -> Result<i32, E> {
        match f {
            DayForm::Number(n) => Ok(n),
            DayForm::Text(t) => crate::load::session::parse_day(&t)
                .ok_or_else(|| E::custom(format!("expected a day like 2026-06-01, got {t:?}"))),
        }
    }

    /// `#[serde(with = "time::json::day")]` on an `i32` day number.
    pub mod day {
        use super::*;
        pub fn serialize<S: Serializer>(day: &i32, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&crate::load::session::day_text(*day))
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
            day_of(DayForm::deserialize(d)?)
        }
    }

    /// An `Option<i32>` day number; `null` when unknown.
    pub mod day_opt {
        use super::*;
        pub fn serialize<S: Serializer>(day: &Option<i32>, s: S) -> Result<S::Ok, S::Error> {
            day.map(crate::load::session::day_text).serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
            Option::<DayForm>::deserialize(d)?.map(day_of).transpose()
        }
    }

    /// A series of `(day, value)` pairs, written `[["2026-06-01", 1.5], …]`.
    pub mod day_pairs {
        use super::*;
        pub fn serialize<S: Serializer, T: Serialize>(
            pairs: &[(i32, T)],
            s: S,
        ) -> Result<S::Ok, S::Error> {
            s.collect_seq(
                pairs
                    .iter()
                    .map(|(d, v)| (crate::load::session::day_text(*d), v)),
            )
        }
        pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
            d: D,
        ) -> Result<Vec<(i32, T)>, D::Error> {
            Vec::<(DayForm, T)>::deserialize(d)?
                .into_iter()
                .map(|(day, v)| Ok((day_of(day)?, v)))
                .collect()
        }
    }

    /// A period `(from, to)` of day numbers, written `{"from": …, "to": …}`.
    pub mod period {
        use super::*;
        #[derive(Serialize, Deserialize)]
        struct Period {
            #[serde(with = "super::day")]
            from: i32,
            #[serde(with = "super::day")]
            to: i32,
        }
        pub fn serialize<S: Serializer>(p: &(i32, i32), s: S) -> Result<S::Ok, S::Error> {
            Period { from: p.0, to: p.1 }.serialize(s)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<(i32, i32), D::Error> {
            let p = Period::deserialize(d)?;
            Ok((p.from, p.to))
        }
    }

    /// Hours kept in hours by a model, written as seconds
    /// (`#[serde(rename = "…_s", serialize_with = "time::json::hours_as_s")]`).
    pub fn hours_as_s<S: Serializer>(hours: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(hours * 3600.0)
    }

    /// The same for a list of hours.
    pub fn hours_list_as_s<S: Serializer>(hours: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(hours.iter().map(|h| h * 3600.0))
    }

    /// Weekday names, Monday first (0 = Monday, as goals store them).
    pub const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];

    /// A weekday kept as 0 = Monday … 6 = Sunday, written by name.
    pub mod weekday {
        use super::*;
        pub fn serialize<S: Serializer>(day: &u8, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(WEEKDAYS.get(*day as usize).copied().unwrap_or("monday"))
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Form {
                Number(u8),
                Text(String),
            }
            match Form::deserialize(d)? {
                Form::Number(n) => Ok(n),
                Form::Text(t) => WEEKDAYS
                    .iter()
                    .position(|w| *w == t)
                    .map(|i| i as u8)
                    .ok_or_else(|| de::Error::custom(format!("expected a weekday, got {t:?}"))),
            }
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum InstantForm {
        Number(i64),
        Text(String),
    }

    /// `#[serde(with = "time::json::instant")]` on UTC milliseconds.
    pub mod instant_opt {
        use super::*;
        pub fn serialize<S: Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
            match ms {
                Some(ms) => super::instant::serialize(ms, s),
                None => s.serialize_none(),
            }
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super::instant")] i64);
            Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
        }
    }

    pub mod instant {
        use super::*;
        pub fn serialize<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&super::super::rfc3339(*ms))
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
            match InstantForm::deserialize(d)? {
                InstantForm::Number(n) => Ok(n),
                InstantForm::Text(t) => super::super::parse_instant_ms(&t)
                    .map(|(ms, _)| ms)
                    .ok_or_else(|| {
                        de::Error::custom(format!("expected an RFC 3339 instant, got {t:?}"))
                    }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        let (ms, naive) = parse_instant_ms("2019-05-01T04:31:11Z").unwrap();
        assert!(!naive);
        assert_eq!(rfc3339(ms), "2019-05-01T04:31:11Z");
        let (ms2, _) = parse_instant_ms("2019-05-01T06:31:11.500+02:00").unwrap();
        assert_eq!(ms2, ms + 500);
        assert_eq!(rfc3339(ms2), "2019-05-01T04:31:11.500Z");
    }

    #[test]
    fn json_days_and_instants_read_both_forms() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct T {
            #[serde(with = "json::day")]
            day: i32,
            #[serde(with = "json::instant")]
            at: i64,
        }
        let t = T {
            day: 20_607,
            at: 1_780_000_000_000,
        };
        let text = serde_json::to_string(&t).unwrap();
        assert_eq!(text, r#"{"day":"2026-06-03","at":"2026-05-28T20:26:40Z"}"#);
        assert_eq!(serde_json::from_str::<T>(&text).unwrap(), t);
        let old: T = serde_json::from_str(r#"{"day":20607,"at":1780000000000}"#).unwrap();
        assert_eq!(old, t);
    }

    #[test]
    fn naive_times_are_flagged() {
        let (_, naive) = parse_instant_ms("2019-05-01T04:31:11").unwrap();
        assert!(naive);
        assert!(parse_instant_ms("yesterday").is_none());
    }
}
