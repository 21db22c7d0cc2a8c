//! Strava's bulk export: `activities.csv` gives each activity file its name,
//! type, description and gear, by the file's path (`activities/123.fit.gz`).

use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StravaActivity {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub gear: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct StravaIndex {
    /// Keyed by the file's base name, lower-cased; each with its full CSV path.
    by_file: HashMap<String, Vec<(String, StravaActivity)>>,
}

impl StravaIndex {
    pub fn from_folder(dir: &Path) -> StravaIndex {
        std::fs::read(dir.join("activities.csv"))
            .map(|b| StravaIndex::from_csv(&b))
            .unwrap_or_default()
    }

    /// Reads the CSV by header names (their order has changed over the years);
    /// rows without a file name are skipped.
    pub fn from_csv(bytes: &[u8]) -> StravaIndex {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let Ok(headers) = rdr.headers().cloned() else {
            return StravaIndex::default();
        };
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (file, name, kind, desc, gear) = (
            col("Filename"),
            col("Activity Name"),
            col("Activity Type"),
            col("Activity Description"),
            col("Activity Gear"),
        );
        let Some(file) = file else {
            return StravaIndex::default();
        };
        let mut by_file = HashMap::new();
        for row in rdr.records().flatten() {
            let get = |i: Option<usize>| {
                i.and_then(|i| row.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            if let Some(f) = get(Some(file)) {
                let path = f.replace('\\', "/").to_ascii_lowercase();
                let base = path.rsplit('/').next().unwrap_or(&path).to_string();
                let activity = StravaActivity {
                    name: get(name),
                    kind: get(kind),
                    description: get(desc),
                    gear: get(gear),
                };
                by_file
                    .entry(base)
                    .or_insert_with(Vec::new)
                    .push((path, activity));
            }
        }
        StravaIndex { by_file }
    }

    /// Finds the row whose file path ends the given source path.
    pub fn lookup(&self, source: &str) -> Option<StravaActivity> {
        if self.by_file.is_empty() {
            return None;
        }
        let s = source.replace('\\', "/").to_ascii_lowercase();
        let base = s.rsplit('/').next().unwrap_or(&s);
        self.by_file
            .get(base)?
            .iter()
            .find(|(f, _)| s.ends_with(f.as_str()))
            .map(|(_, a)| a.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_by_header() {
        let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Filename,Activity Gear\n\
                   1,\"Jun 1, 2026\",Col du Lac,Hike,\"Long day, 9 kg pack\",3600,10,activities/1.fit.gz,Boots\n\
                   2,\"Jun 2, 2026\",Manual,Run,,600,2,,\n";
        let idx = StravaIndex::from_csv(csv.as_bytes());
        let a = idx.lookup("export.zip/activities/1.fit.gz").unwrap();
        assert_eq!(a.name.as_deref(), Some("Col du Lac"));
        assert_eq!(a.kind.as_deref(), Some("Hike"));
        assert_eq!(a.description.as_deref(), Some("Long day, 9 kg pack"));
        assert_eq!(a.gear.as_deref(), Some("Boots"));
        assert!(idx.lookup("activities/2.fit").is_none());
    }
}
