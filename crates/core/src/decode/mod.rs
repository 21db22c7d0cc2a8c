//! File decoders: bytes in, activities out. One module per format and one
//! list ([`Format`]); the importer, folder walk and archive reader pick a new
//! format up from here unchanged.

pub mod fit;
pub mod gpx;
pub mod manual;
pub mod tcx;
mod xml;

use crate::model::{Activity, Course};

/// A decoding failure: what was wrong and, where known, the byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", offset.map(|o| format!("at byte {o}: ")).unwrap_or_default())]
pub struct DecodeError {
    pub offset: Option<usize>,
    pub message: String,
}

impl DecodeError {
    pub fn new(message: impl Into<String>) -> DecodeError {
        DecodeError {
            offset: None,
            message: message.into(),
        }
    }
    pub fn at(offset: usize, message: impl Into<String>) -> DecodeError {
        DecodeError {
            offset: Some(offset),
            message: message.into(),
        }
    }
}

/// What one file held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecodedFile {
    pub activities: Vec<Activity>,
    /// Planned routes: GPX routes and time-less tracks, TCX courses.
    pub courses: Vec<Course>,
    /// Problems that did not stop decoding (CRC mismatch, truncation, skipped elements).
    pub warnings: Vec<String>,
}

/// The activity formats cairn reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Fit,
    Gpx,
    Tcx,
    /// cairn's own record of a session logged by hand ([`manual`]); known
    /// by its content only, never by a file name.
    Manual,
}

impl Format {
    /// The formats a file name can say.
    pub const ALL: [Format; 3] = [Format::Fit, Format::Gpx, Format::Tcx];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Fit => "fit",
            Format::Gpx => "gpx",
            Format::Tcx => "tcx",
            Format::Manual => "json",
        }
    }

    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }

    /// Recognises a format from the content itself, so a wrongly named file is
    /// still read (and a `.fit` holding HTML is refused with a clear reason).
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.len() >= 12 && &bytes[8..12] == b".FIT" {
            return Some(Format::Fit);
        }
        if manual::sniff(bytes) {
            return Some(Format::Manual);
        }
        let head = &bytes[..bytes.len().min(4096)];
        let text = String::from_utf8_lossy(head);
        if text.contains("<gpx") {
            Some(Format::Gpx)
        } else if text.contains("<TrainingCenterDatabase") {
            Some(Format::Tcx)
        } else {
            None
        }
    }
}

/// Gives every point without a time one, so no point of a track is lost:
/// between two timed points, in proportion to the distance along the way
/// (by position in the list where the distance does not move); before the
/// first and after the last timed point, at the median moving speed of the
/// timed part (one second a point without one). `along_m` is the cumulative
/// distance of each point where known. Returns how many times were filled.
/// Callers keep files with fewer than half their points timed as courses.
pub fn fill_times(times: &mut [Option<i64>], along_m: &[Option<f64>]) -> usize {
    let timed: Vec<usize> = (0..times.len()).filter(|i| times[*i].is_some()).collect();
    let (Some(&first), Some(&last)) = (timed.first(), timed.last()) else {
        return 0;
    };
    let missing = times.len() - timed.len();
    if missing == 0 {
        return 0;
    }
    // Distance where known, else carried from the point before.
    let mut d = Vec::with_capacity(times.len());
    let mut carry = along_m.iter().flatten().next().copied().unwrap_or(0.0);
    for v in along_m {
        carry = v.unwrap_or(carry);
        d.push(carry);
    }
    let t = |i: usize, times: &[Option<i64>]| times[i].unwrap_or(0);
    for w in timed.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (ta, tb) = (t(a, times), t(b, times));
        let (da, db) = (d[a], d[b]);
        for i in a + 1..b {
            let f = if db > da {
                (d[i] - da) / (db - da)
            } else {
                (i - a) as f64 / (b - a) as f64
            };
            times[i] = Some(ta + (f.clamp(0.0, 1.0) * (tb - ta) as f64).round() as i64);
        }
    }
    let (t0, t1) = (t(first, times), t(last, times));
    // Median speed between consecutive timed points where the athlete moved.
    let mut speeds: Vec<f64> = timed
        .windows(2)
        .filter_map(|w| {
            let dt = (t(w[1], times) - t(w[0], times)) as f64 / 1000.0;
            let v = (d[w[1]] - d[w[0]]) / dt;
            (dt > 0.0 && v >= 0.3).then_some(v)
        })
        .collect();
    speeds.sort_by(f64::total_cmp);
    let speed = speeds.get(speeds.len() / 2).copied().unwrap_or(0.0);
    let seconds_for = |metres: f64, points: usize| {
        if speed > 0.0 && metres > 0.0 {
            metres / speed
        } else {
            points as f64
        }
    };
    for i in 0..first {
        let s = seconds_for(d[first] - d[i], first - i);
        times[i] = Some(t0 - (s * 1000.0).round() as i64);
    }
    for i in last + 1..times.len() {
        let s = seconds_for(d[i] - d[last], i - last);
        times[i] = Some(t1 + (s * 1000.0).round() as i64);
    }
    missing
}

/// Decodes a file of a known format.
pub fn decode(format: Format, bytes: &[u8]) -> Result<DecodedFile, DecodeError> {
    match format {
        Format::Fit => fit::decode(bytes),
        Format::Gpx => gpx::decode(bytes),
        Format::Tcx => tcx::decode(bytes),
        Format::Manual => manual::decode(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            Format::sniff(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"),
            Some(Format::Fit)
        );
        assert_eq!(
            Format::sniff(b"<?xml version=\"1.0\"?><gpx version=\"1.1\">"),
            Some(Format::Gpx)
        );
        assert_eq!(
            Format::sniff(b"<TrainingCenterDatabase>"),
            Some(Format::Tcx)
        );
        assert_eq!(Format::sniff(b"<html>"), None);
        assert_eq!(Format::from_extension("GPX"), Some(Format::Gpx));
    }

    #[test]
    fn errors_name_the_byte() {
        let e = DecodeError::at(
            41093,
            "FIT data message refers to undefined local message type 3",
        );
        assert_eq!(
            e.to_string(),
            "at byte 41093: FIT data message refers to undefined local message type 3"
        );
    }
}
