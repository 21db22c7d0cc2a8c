//! cairn's domain, kept pure: no files, no clock, no database, no async.
//!
//! Bytes come in through [`decode`], become plain [`model`] values, pass the
//! shared [`clean`] filters and are summarised by [`metrics`]. Everything here
//! is a function of its arguments, so storage and interfaces stay at the edges.
//!
//! ```
//! let gpx = br#"<gpx version="1.1"><trk><trkseg>
//!   <trkpt lat="46.0" lon="7.0"><ele>1000</ele><time>2026-06-01T08:00:00Z</time></trkpt>
//!   <trkpt lat="46.001" lon="7.0"><ele>1010</ele><time>2026-06-01T08:01:00Z</time></trkpt>
//! </trkseg></trk></gpx>"#;
//! let file = cairn_core::decode::decode(cairn_core::decode::Format::Gpx, gpx).unwrap();
//! assert_eq!(file.activities.len(), 1);
//! assert_eq!(file.activities[0].samples.len(), 2);
//! ```

pub mod clean;
pub mod compare;
pub mod corrections;
pub mod decode;
pub mod derived;
pub mod encode;
pub mod environment;
pub mod gear;
pub mod geo;
pub mod load;
pub mod metrics;
pub mod model;
pub mod plan;
pub mod predict;
pub mod readiness;
pub mod sim;
pub mod streams;
pub mod summary;
pub mod time;
pub mod timeline;
