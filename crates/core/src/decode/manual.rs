//! cairn's own record of a session that has no device file: a strength
//! session of 40 min at RPE 6, a hike logged from memory with its duration,
//! distance, ascent and pack. `cairn add` writes one of these small JSON
//! documents and imports it like any file, so the archive keeps it as an
//! original and a rebuild derives the activity again from it.

use super::{DecodeError, DecodedFile};
use crate::model::{Activity, SourceFormat, Sport};
use serde::{Deserialize, Serialize};

/// The key that marks the document (and its format version).
pub const MARK: &str = "cairn_manual_activity";

/// One session logged by hand. Only what the athlete said is stored;
/// everything else is unknown (`null`), never guessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualEntry {
    /// Format version of the document: 1.
    pub cairn_manual_activity: u32,
    pub sport: String,
    #[serde(with = "crate::time::json::instant")]
    pub start_time: i64,
    /// Local time's offset from UTC at the start, where known.
    pub utc_offset_s: Option<i32>,
    pub duration_s: f64,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    pub avg_hr_bpm: Option<f64>,
    pub name: Option<String>,
    /// Session effort on the CR-10 scale.
    pub rpe: Option<f64>,
    pub pack_kg: Option<f64>,
}

impl ManualEntry {
    /// Checks every value against what a session can be, naming the field.
    pub fn check(&self) -> Result<Sport, DecodeError> {
        let bad = |what: String| Err(DecodeError::new(what));
        let Some(sport) = Sport::from_id(&self.sport) else {
            return bad(format!("unknown sport {:?}", self.sport));
        };
        if self.cairn_manual_activity != 1 {
            return bad(format!(
                "manual activity format {} is newer than this cairn (1)",
                self.cairn_manual_activity
            ));
        }
        if !(self.duration_s > 0.0 && self.duration_s <= 7.0 * 86_400.0) {
            return bad(format!(
                "duration {} s: expected more than 0 and at most 7 days",
                self.duration_s
            ));
        }
        let ranges = [
            ("distance", self.distance_m, 0.0, 2_000_000.0, "m"),
            ("ascent", self.ascent_m, 0.0, 30_000.0, "m"),
            ("descent", self.descent_m, 0.0, 30_000.0, "m"),
            ("average heart rate", self.avg_hr_bpm, 25.0, 250.0, "bpm"),
            ("effort rating", self.rpe, 0.0, 10.0, "(CR-10)"),
            ("pack", self.pack_kg, 0.0, 80.0, "kg"),
        ];
        for (what, value, lo, hi, unit) in ranges {
            if let Some(v) = value {
                if !(lo..=hi).contains(&v) {
                    return bad(format!("{what} {v} {unit}: expected {lo}–{hi} {unit}"));
                }
            }
        }
        Ok(sport)
    }

    /// The document as stored in the archive (stable field order, so the
    /// same entry is the same bytes and is not imported twice).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}

/// Whether the bytes are a manual entry (the key in the first bytes).
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(256)];
    head.first().is_some_and(|b| *b == b'{')
        && String::from_utf8_lossy(head).contains(&format!("\"{MARK}\""))
}

pub fn decode(bytes: &[u8]) -> Result<DecodedFile, DecodeError> {
    let entry: ManualEntry = serde_json::from_slice(bytes).map_err(|e| {
        DecodeError::new(format!(
            "manual activity, line {} column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let sport = entry.check()?;
    let mut a = Activity::new(SourceFormat::Manual, sport, entry.start_time);
    a.name = entry.name.clone();
    a.utc_offset_s = entry.utc_offset_s;
    a.declared.elapsed_s = Some(entry.duration_s);
    a.declared.timer_s = Some(entry.duration_s);
    a.declared.distance_m = entry.distance_m;
    a.declared.ascent_m = entry.ascent_m;
    a.declared.descent_m = entry.descent_m;
    a.declared.avg_hr_bpm = entry.avg_hr_bpm;
    Ok(DecodedFile {
        activities: vec![a],
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hike() -> ManualEntry {
        ManualEntry {
            cairn_manual_activity: 1,
            sport: "hike".into(),
            start_time: 1_780_000_000_000,
            utc_offset_s: Some(3600),
            duration_s: 5.0 * 3600.0,
            distance_m: Some(14_000.0),
            ascent_m: Some(1_100.0),
            descent_m: None,
            avg_hr_bpm: None,
            name: Some("Col de la Croix".into()),
            rpe: Some(5.0),
            pack_kg: Some(9.0),
        }
    }

    #[test]
    fn a_logged_hike_decodes_to_its_stated_totals_and_nothing_more() {
        let bytes = hike().to_bytes();
        assert!(sniff(&bytes));
        let d = decode(&bytes).unwrap();
        let a = &d.activities[0];
        assert_eq!(a.sport, Sport::Hike);
        assert_eq!(a.declared.timer_s, Some(18_000.0));
        assert_eq!(a.declared.ascent_m, Some(1_100.0));
        assert_eq!(a.declared.descent_m, None);
        assert!(a.samples.is_empty());
        assert_eq!(a.name.as_deref(), Some("Col de la Croix"));
    }

    #[test]
    fn impossible_values_are_refused_by_name() {
        let mut e = hike();
        e.rpe = Some(12.0);
        let err = decode(&e.to_bytes()).unwrap_err().to_string();
        assert!(err.contains("effort rating 12"), "{err}");
        let mut e = hike();
        e.duration_s = 0.0;
        assert!(decode(&e.to_bytes())
            .unwrap_err()
            .to_string()
            .contains("duration"));
        assert!(!sniff(b"{\"type\": \"FeatureCollection\"}"));
        let err = decode(b"{\"cairn_manual_activity\": 1, \"sport\": ").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
