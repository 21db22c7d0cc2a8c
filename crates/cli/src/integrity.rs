//! `cairn verify` and `cairn rebuild`: the archive checked, and the database
//! derived again from it.

use crate::commands::{import_progress, print_json};
use anyhow::Result;
use cairn_app::integrity::{self, RebuildReport, VerifyReport};
use cairn_app::ImportOptions;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// "1 original" / "2 originals".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn verify(dir: &Path, as_json: bool) -> Result<ExitCode> {
    let r = integrity::verify(dir)?;
    if as_json {
        print_json(&serde_json::to_value(&r)?)?;
    } else {
        print_verify(&r)?;
    }
    Ok(if r.is_sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_verify(r: &VerifyReport) -> Result<()> {
    if r.database_problems.is_empty() {
        outln!(
            "Database {}: sound (integrity, foreign keys, every stored sample readable).",
            r.database
        );
    } else {
        outln!(
            "Database {}: {}:",
            r.database,
            count(r.database_problems.len(), "problem", "problems")
        );
        for p in r.database_problems.iter().take(20) {
            outln!("  {p}");
        }
        if r.database_problems.len() > 20 {
            outln!("  … and {} more", r.database_problems.len() - 20);
        }
    }
    outln!(
        "Originals: {} of {} files {} intact (present, SHA-256 as stored); {} missing, {} damaged.",
        r.originals_intact,
        r.files_checked,
        if r.files_listed_by == "journal" {
            "listed by the archive's journal"
        } else {
            "in the database"
        },
        r.originals_missing.len(),
        r.originals_damaged.len()
    );
    for p in &r.originals_missing {
        outln!(
            "  missing: {} ({}, athlete {})",
            p.source,
            p.sha256,
            p.athlete
        );
    }
    for p in &r.originals_damaged {
        outln!(
            "  damaged: {} ({}, athlete {})",
            p.source,
            p.sha256,
            p.athlete
        );
    }
    if !r.originals_not_in_database.is_empty() {
        let n = r.originals_not_in_database.len();
        outln!(
            "{} in the archive {} not in the database.",
            count(n, "original", "originals"),
            if n == 1 { "is" } else { "are" }
        );
    }
    if r.files_not_in_journal > 0 {
        outln!(
            "{} imported before the archive kept a journal; a rebuild takes them from the database.",
            count(r.files_not_in_journal, "file was", "files were")
        );
    }
    if r.leftovers_removed > 0 {
        outln!(
            "Removed {} an interrupted import left behind.",
            count(r.leftovers_removed, "temporary file", "temporary files")
        );
    }
    if r.is_sound() && r.advice.is_empty() {
        outln!("Nothing to do.");
    }
    for a in &r.advice {
        outln!("→ {a}");
    }
    Ok(())
}

pub fn rebuild(dir: &Path, accept_loss: bool, as_json: bool, now_ms: i64) -> Result<ExitCode> {
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms,
        threads: 0,
    };
    let (bar, step) = import_progress();
    let r = integrity::rebuild(dir, &opts, accept_loss, &mut |_, p| step(p))?;
    bar.finish_and_clear();
    if as_json {
        print_json(&serde_json::to_value(&r)?)?;
    } else {
        print_rebuild(&r)?;
    }
    Ok(if r.replaced && r.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_rebuild(r: &RebuildReport) -> Result<()> {
    outln!(
        "{} the database from the archived originals (listed by the {}), in {:.1} s.",
        if r.replaced {
            "Rebuilt"
        } else {
            "Tried to rebuild"
        },
        r.file_list_from,
        r.elapsed_s
    );
    for i in &r.imports {
        let x = &i.report;
        outln!(
            "  {}: {} → {}, {}, {}{}",
            i.athlete,
            count(x.files_imported, "file", "files"),
            count(x.activities_imported, "activity", "activities"),
            count(x.courses_imported, "planned route", "planned routes"),
            count(
                x.probable_duplicates.len(),
                "probable duplicate",
                "probable duplicates"
            ),
            if x.already_imported > 0 {
                format!(", {} identical copies counted once", x.already_imported)
            } else {
                String::new()
            }
        );
        for f in &x.failed {
            outln!("    failed: {}: {}", f.source, f.message);
        }
    }
    if r.unrecorded_originals > 0 {
        outln!(
            "{} no record mentioned {} imported for the default athlete.",
            count(r.unrecorded_originals, "original", "originals"),
            if r.replaced { "was" } else { "would be" }
        );
    }
    if !r.carried_over.is_empty() || r.sports_corrected > 0 || r.primary_choices > 0 {
        let rows: Vec<String> = r
            .carried_over
            .iter()
            .map(|(t, n)| {
                let (one, many) = match t.as_str() {
                    "profile_entries" => ("profile entry", "profile entries"),
                    "settings" => ("setting", "settings"),
                    "stays" => ("stay", "stays"),
                    "weather" => ("day of weather", "days of weather"),
                    "plans" => ("plan", "plans"),
                    "feel_log" => ("day of the feel log", "days of the feel log"),
                    "session_notes" => ("session note", "session notes"),
                    "activities" => (
                        "activity renamed, annotated or deleted",
                        "activities renamed, annotated or deleted",
                    ),
                    other => (other, other),
                };
                count(*n, one, many)
            })
            .collect();
        outln!(
            "Carried over: {}{}{}.",
            if rows.is_empty() {
                "no rows".to_string()
            } else {
                rows.join(", ")
            },
            if r.sports_corrected > 0 {
                format!(
                    ", {}",
                    count(r.sports_corrected, "corrected sport", "corrected sports")
                )
            } else {
                String::new()
            },
            if r.primary_choices > 0 {
                format!(
                    ", {}",
                    count(
                        r.primary_choices,
                        "chosen primary copy",
                        "chosen primary copies"
                    )
                )
            } else {
                String::new()
            }
        );
    }
    if r.activities_not_matched > 0 {
        outln!(
            "{} of the old database no original to come from; their notes and corrections were not carried over.",
            count(r.activities_not_matched, "activity has", "activities have")
        );
    }
    for p in &r.problems {
        outln!("Problem: {p}");
    }
    if !r.replaced {
        outln!(
            "The database was not changed: {} not be imported, and the activities would be lost. Restore the originals (`cairn verify` says how), or run `cairn rebuild --accept-loss` to rebuild without them.",
            count(r.failed(), "original could", "originals could")
        );
    }
    if let Some(prev) = &r.previous_database {
        outln!("The previous database is kept as {prev}.");
    }
    Ok(())
}
