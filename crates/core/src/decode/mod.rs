//! File decoders: bytes in, activities out. One module per format and one
//! list ([`Format`]); the importer, folder walk and archive reader pick a new
//! format up from here unchanged.

pub mod fit;
pub mod gpx;
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
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Fit, Format::Gpx, Format::Tcx];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Fit => "fit",
            Format::Gpx => "gpx",
            Format::Tcx => "tcx",
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

/// Decodes a file of a known format.
pub fn decode(format: Format, bytes: &[u8]) -> Result<DecodedFile, DecodeError> {
    match format {
        Format::Fit => fit::decode(bytes),
        Format::Gpx => gpx::decode(bytes),
        Format::Tcx => tcx::decode(bytes),
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
