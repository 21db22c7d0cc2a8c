//! The demo: years of realistic training written as real FIT, GPX and TCX
//! files by cairn's own encoders, ready to import.

use cairn_core::sim::{self, Archetype, Athlete, FileKind};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub years: f64,
    pub athletes: usize,
    pub seed: u64,
    pub out: PathBuf,
    /// Last local day of the history (days since 1970-01-01).
    pub last_day: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoAthlete {
    pub name: &'static str,
    pub folder: PathBuf,
    pub files: usize,
    pub samples: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    pub athletes: Vec<DemoAthlete>,
    pub files: usize,
    pub samples: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Writes every planned session of the first `athletes` archetypes under
/// `out/<athlete>/<year>/`. Deterministic: the same options give
/// byte-identical files.
pub fn generate(opts: &DemoOptions) -> std::io::Result<DemoReport> {
    let started = std::time::Instant::now();
    let first_day = opts.last_day - (opts.years * 365.25).round() as i32 + 1;
    let mut report = DemoReport {
        athletes: Vec::new(),
        files: 0,
        samples: 0,
        bytes: 0,
        seconds: 0.0,
    };
    for (k, archetype) in Archetype::ALL
        .iter()
        .cycle()
        .take(opts.athletes.max(1))
        .enumerate()
    {
        let athlete = Athlete::of(*archetype);
        let name = archetype.name();
        let folder = opts.out.join(if k < Archetype::ALL.len() {
            name.to_string()
        } else {
            format!("{name}-{k}")
        });
        let planned = sim::plan(k, &athlete, first_day, opts.last_day, opts.seed);
        let results: Vec<std::io::Result<(u64, u64)>> = planned
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let a = sim::simulate(p, &athlete);
                let date = cairn_core::load::session::day_text(p.day);
                let (bytes, ext) = match p.file {
                    FileKind::Fit => {
                        // Some files use compressed timestamps or carry a developer
                        // field, as real devices do, so every decoder path is exercised.
                        let opts = cairn_core::encode::fit::EncodeOptions {
                            compressed_timestamps: i % 5 == 0,
                            developer_field: a.sport.is_cycling(),
                        };
                        (cairn_core::encode::fit::encode_with(&a, opts), "fit")
                    }
                    FileKind::Gpx => (cairn_core::encode::xml::gpx(&a).into_bytes(), "gpx"),
                    FileKind::Tcx => (cairn_core::encode::xml::tcx(&a).into_bytes(), "tcx"),
                };
                let dir = folder.join(date.get(..4).unwrap_or("other"));
                std::fs::create_dir_all(&dir)?;
                std::fs::write(
                    dir.join(format!("{date}-{}-{i:05}.{ext}", a.sport.id())),
                    &bytes,
                )?;
                Ok((a.samples.len() as u64, bytes.len() as u64))
            })
            .collect();
        let mut files = 0;
        let mut samples = 0;
        for r in results {
            let (s, b) = r?;
            files += 1;
            samples += s;
            report.bytes += b;
        }
        report.files += files;
        report.samples += samples;
        report.athletes.push(DemoAthlete {
            name,
            folder,
            files,
            samples,
        });
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A data directory is ours to wipe only if a previous demo marked it.
pub const DEMO_MARKER: &str = ".cairn-demo";

/// The marker's first line; the second is what the demo left
/// ([`SqliteStore::own_row_counts`]), to tell a demo archive the athlete
/// added to from one they did not.
const MARKER_TEXT: &str = "created by cairn demo";

/// Prepares a fresh demo data directory: wipes a previous demo, refuses a
/// real archive, and keeps a demo archive the athlete has added to or
/// corrected since, unless `replace` says to wipe it anyway.
pub fn fresh_data_dir(dir: &Path, replace: bool) -> Result<(), String> {
    let marker = dir.join(DEMO_MARKER);
    if marker.exists() {
        let left = std::fs::read_to_string(&marker).unwrap_or_default();
        let left = left.lines().nth(1).unwrap_or("");
        let now = cairn_store::SqliteStore::open(dir)
            .and_then(|s| s.own_row_counts())
            .unwrap_or_default();
        if !replace && !left.is_empty() && left != now {
            let changed: Vec<String> = now
                .split(' ')
                .zip(left.split(' '))
                .filter(|(a, b)| a != b)
                .map(|(a, b)| {
                    format!(
                        "{} (was {})",
                        a.replace('=', " "),
                        b.split('=').nth(1).unwrap_or("?")
                    )
                })
                .collect();
            return Err(format!(
                "the demo archive in {} has changes of yours since the demo made it ({}); it is kept: `cairn demo --replace` deletes it and starts again, or give the demo another --data-dir",
                dir.display(),
                changed.join(", ")
            ));
        }
        std::fs::remove_dir_all(dir)
            .map_err(|e| format!("cannot clear the previous demo in {}: {e}", dir.display()))?;
    } else if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        return Err(format!(
            "{} already holds data that is not a demo; give the demo another --data-dir",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(marker, format!("{MARKER_TEXT}\n")).map_err(|e| e.to_string())
}

/// Notes what the finished demo left, so a later demo can tell what the
/// athlete added.
pub fn seal(dir: &Path) -> Result<(), String> {
    let counts = cairn_store::SqliteStore::open(dir)
        .and_then(|s| s.own_row_counts())
        .map_err(|e| e.to_string())?;
    std::fs::write(dir.join(DEMO_MARKER), format!("{MARKER_TEXT}\n{counts}\n"))
        .map_err(|e| e.to_string())
}
