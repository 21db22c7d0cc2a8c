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
    fn naive_times_are_flagged() {
        let (_, naive) = parse_instant_ms("2019-05-01T04:31:11").unwrap();
        assert!(naive);
        assert!(parse_instant_ms("yesterday").is_none());
    }
}
