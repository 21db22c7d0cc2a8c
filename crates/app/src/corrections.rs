//! Corrections real archives need: the athlete's own name and note, delete
//! and restore, merging two copies of one session, and sessions logged by
//! hand. Nothing here removes an original or anything the athlete said:
//! every change can be undone.

use crate::{AppError, Cairn, ImportOptions, Result};
use cairn_core::decode::manual::ManualEntry;
use cairn_store::{ActivityFilter, ActivityRecord};
use serde::Serialize;

/// Longest name and note kept (characters): a name is a line, a note a page.
const NAME_MAX_CHARS: usize = 200;
const NOTE_MAX_CHARS: usize = 10_000;

/// What a deletion did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deletion {
    pub activity_id: i64,
    /// The other copy of the session that counts now, if the deleted one
    /// was the counted copy among duplicates.
    pub now_counted: Option<i64>,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merge {
    pub kept: i64,
    pub deleted: i64,
    /// What the kept activity took from the other, in words.
    pub carried: Vec<String>,
}

/// What logging a session by hand did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logged {
    pub activity_id: i64,
    /// The same entry was logged before: nothing was added.
    pub already_logged: bool,
    /// An activity the new one overlaps in time (a recorded copy).
    pub duplicate_of: Option<i64>,
}

fn checked_text(text: &str, what: &str, max: usize, lines: bool) -> Result<Option<String>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(AppError::Invalid(format!(
            "the {what} is {} characters long; at most {max} are kept",
            text.chars().count()
        )));
    }
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !(lines && (*c == '\n' || *c == '\t')))
    {
        return Err(AppError::Invalid(format!(
            "the {what} holds a control character (U+{:04X}); write it as plain text",
            c as u32
        )));
    }
    Ok(Some(text.to_string()))
}

impl Cairn {
    /// Names an activity; an empty name goes back to the file's (or Strava's).
    pub fn rename(&mut self, id: i64, name: &str) -> Result<ActivityRecord> {
        let name = checked_text(name, "name", NAME_MAX_CHARS, false)?;
        self.store
            .set_own_text(self.athlete, id, Some(name.as_deref()), None)?;
        self.activity(id)
    }

    /// The athlete's note on an activity; an empty note removes it.
    pub fn annotate(&mut self, id: i64, note: &str) -> Result<ActivityRecord> {
        let note = checked_text(note, "note", NOTE_MAX_CHARS, true)?;
        self.store
            .set_own_text(self.athlete, id, None, Some(note.as_deref()))?;
        self.activity(id)
    }

    /// Deletes an activity from every list and total; its original, its
    /// ratings and notes stay, and [`Cairn::restore`] undoes it.
    pub fn delete(&mut self, id: i64, now_ms: i64) -> Result<Deletion> {
        let a = self.activity(id)?;
        if let Some(at) = a.deleted_time {
            return Err(AppError::Invalid(format!(
                "activity {id} was already deleted ({}); `cairn restore {id}` brings it back",
                cairn_core::time::rfc3339(at)
            )));
        }
        let now_counted = self.store.delete_activity(self.athlete, id, now_ms)?;
        Ok(Deletion {
            activity_id: id,
            now_counted,
        })
    }

    /// Brings a deleted activity back. If another copy of the same session
    /// counts meanwhile, this one comes back as its duplicate.
    pub fn restore(&mut self, id: i64) -> Result<ActivityRecord> {
        let a = self.activity(id)?;
        if a.deleted_time.is_none() {
            return Err(AppError::Invalid(format!(
                "activity {id} is not deleted: nothing to restore"
            )));
        }
        self.store.restore_activity(self.athlete, id)?;
        self.activity(id)
    }

    /// Activities deleted and not restored, oldest session first.
    pub fn deleted_activities(&self) -> Result<Vec<ActivityRecord>> {
        let all = self.store.activities(
            self.athlete,
            &ActivityFilter {
                include_deleted: true,
                ..Default::default()
            },
        )?;
        Ok(all
            .into_iter()
            .filter(|a| a.deleted_time.is_some())
            .collect())
    }

    /// Merges two copies of one session (a watch and a phone, an export
    /// imported twice): `keep` is the one that counts; it takes the other's
    /// name, note, rating, pack and conditions where it has none; the other
    /// is deleted (restorable). Two activities that do not overlap in time
    /// are not one session and are refused.
    pub fn merge(&mut self, keep: i64, other: i64, now_ms: i64) -> Result<Merge> {
        if keep == other {
            return Err(AppError::Invalid(format!(
                "activity {keep} cannot be merged with itself"
            )));
        }
        let k = self.activity(keep)?;
        let o = self.activity(other)?;
        for a in [&k, &o] {
            if a.deleted_time.is_some() {
                return Err(AppError::Invalid(format!(
                    "activity {} is deleted; `cairn restore {}` first",
                    a.id, a.id
                )));
            }
        }
        let overlap_ms = k.end_ms.min(o.end_ms) - k.start_ms.max(o.start_ms);
        if overlap_ms <= 0 {
            return Err(AppError::Invalid(format!(
                "activities {keep} ({}) and {other} ({}) do not overlap in time, so they are not one session; delete one instead (cairn delete ID)",
                cairn_core::time::rfc3339(k.start_ms),
                cairn_core::time::rfc3339(o.start_ms)
            )));
        }
        let mut carried = Vec::new();
        if k.name.is_none() {
            if let Some(n) = &o.name {
                self.store
                    .set_own_text(self.athlete, keep, Some(Some(n)), None)?;
                carried.push(format!("name \"{n}\""));
            }
        }
        if k.note.is_none() {
            if let Some(n) = &o.note {
                self.store
                    .set_own_text(self.athlete, keep, None, Some(Some(n)))?;
                carried.push("note".into());
            }
        }
        let notes = self.store.notes(self.athlete)?;
        let (kn, on) = (
            notes.get(&keep).copied().unwrap_or_default(),
            notes.get(&other).copied().unwrap_or_default(),
        );
        let rpe = on.rpe.filter(|_| kn.rpe.is_none());
        let pack = on.pack_kg.filter(|_| kn.pack_kg.is_none());
        if rpe.is_some() || pack.is_some() {
            self.store.set_notes(self.athlete, keep, rpe, pack)?;
        }
        if let Some(r) = rpe {
            carried.push(format!("effort rating {r}"));
        }
        if let Some(p) = pack {
            carried.push(format!("pack {p} kg"));
        }
        if kn.temp_c.is_none() && on.temp_c.is_some() {
            self.store
                .set_conditions(self.athlete, keep, on.temp_c, on.dew_point_c)?;
            carried.push("conditions".into());
        }
        // Kept as the other's duplicate: it becomes the copy that counts (a
        // copy of a third activity stays as it is).
        if !k.is_primary && k.duplicate_of == Some(other) {
            self.store.make_primary(self.athlete, keep)?;
        }
        self.store.delete_activity(self.athlete, other, now_ms)?;
        Ok(Merge {
            kept: keep,
            deleted: other,
            carried,
        })
    }

    /// Logs a session that has no file. The entry is kept in the archive as
    /// an original of its own (a rebuild derives it again); its rating and
    /// pack become the session's notes. A start in the future is refused.
    pub fn log_session(&mut self, entry: &ManualEntry, now_ms: i64) -> Result<Logged> {
        entry
            .check()
            .map_err(|e| AppError::Invalid(e.message.clone()))?;
        if entry.start_time > now_ms {
            return Err(AppError::Invalid(format!(
                "the session starts {} — in the future; log it once it is done",
                cairn_core::time::rfc3339(entry.start_time)
            )));
        }
        let bytes = entry.to_bytes();
        let sha256 = crate::import::sha256_hex(&bytes);
        let local = cairn_core::time::rfc3339(
            entry.start_time + i64::from(entry.utc_offset_s.unwrap_or(0)) * 1000,
        );
        let source = format!(
            "logged by hand {} {}",
            local.trim_end_matches('Z'),
            entry.sport
        );
        let opts = ImportOptions {
            limits: Default::default(),
            now_ms,
            threads: 1,
        };
        let report = crate::import::import_bytes(
            self.store.as_mut(),
            self.athlete,
            &[(source, bytes)],
            &opts,
            &mut |_| {},
        )?;
        if let Some(f) = report.failed.first().or(report.stopped.as_ref()) {
            return Err(AppError::Invalid(f.message.clone()));
        }
        let already_logged = report.already_imported > 0;
        let activity_id = match report.activity_ids.first() {
            Some(id) => *id,
            None => self
                .store
                .activities(
                    self.athlete,
                    &ActivityFilter {
                        include_deleted: true,
                        ..Default::default()
                    },
                )?
                .into_iter()
                .find(|a| a.file_sha256 == sha256)
                .map(|a| a.id)
                .ok_or_else(|| AppError::Invalid("the logged session was not stored".into()))?,
        };
        if !already_logged && (entry.rpe.is_some() || entry.pack_kg.is_some()) {
            self.rate(activity_id, entry.rpe, entry.pack_kg)?;
        }
        Ok(Logged {
            activity_id,
            already_logged,
            duplicate_of: report.probable_duplicates.first().map(|d| d.duplicate_of),
        })
    }
}

impl Cairn {
    /// Cuts a recording that held two sessions (the watch kept recording
    /// the ride as a run) at `at_ms`: the part from there gets
    /// `sport_after`. The original stays as it is; the cut is kept as data
    /// and made again by every rebuild. Returns the parts in time order.
    pub fn split(
        &mut self,
        id: i64,
        at_ms: i64,
        sport_after: cairn_core::model::Sport,
        now_ms: i64,
    ) -> Result<Vec<ActivityRecord>> {
        let a = self.splittable(id)?;
        let margin = (cairn_core::corrections::MIN_PART_S * 1000.0) as i64;
        if at_ms < a.start_ms + margin || at_ms > a.end_ms - margin {
            return Err(AppError::Invalid(format!(
                "activity {id} runs from {} to {}: a cut must leave at least {:.0} s on each side",
                cairn_core::time::rfc3339(a.start_ms),
                cairn_core::time::rfc3339(a.end_ms),
                cairn_core::corrections::MIN_PART_S
            )));
        }
        let mut rules = self.splits_of(&a)?;
        let before = rules.len();
        rules.push(cairn_core::corrections::SplitRule {
            file_sha256: a.file_sha256.clone(),
            session_index: a.session_index,
            at_ms,
            sport_after,
        });
        let parts = self.rederive(&a, &rules, now_ms)?;
        if parts.len() != before + 2 {
            return Err(AppError::Invalid(format!(
                "activity {id} could not be cut at {}: no samples fall on both sides",
                cairn_core::time::rfc3339(at_ms)
            )));
        }
        Ok(parts)
    }

    /// Puts a split recording back together (any of its parts named).
    pub fn unsplit(&mut self, id: i64, now_ms: i64) -> Result<ActivityRecord> {
        let a = self.splittable(id)?;
        if self.splits_of(&a)?.is_empty() {
            return Err(AppError::Invalid(format!(
                "activity {id} was not split: there is nothing to put back together"
            )));
        }
        let whole = self.rederive(&a, &[], now_ms)?;
        whole
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Invalid(format!("the recording of activity {id} is empty")))
    }

    fn splittable(&self, id: i64) -> Result<ActivityRecord> {
        let a = self.store.activity(self.athlete, id)?;
        if a.deleted_time.is_some() {
            return Err(AppError::Invalid(format!(
                "activity {id} is deleted: cairn restore {id} first"
            )));
        }
        if a.format == "manual" {
            return Err(AppError::Invalid(format!(
                "activity {id} was logged by hand: it has no recording to split"
            )));
        }
        Ok(a)
    }

    fn splits_of(&self, a: &ActivityRecord) -> Result<Vec<cairn_core::corrections::SplitRule>> {
        Ok(self
            .store
            .splits(self.athlete)?
            .into_iter()
            .filter(|r| r.file_sha256 == a.file_sha256 && r.session_index == a.session_index)
            .collect())
    }

    /// Derives `a`'s session of its original again with these cuts, in
    /// place of what the database holds for it.
    fn rederive(
        &mut self,
        a: &ActivityRecord,
        rules: &[cairn_core::corrections::SplitRule],
        now_ms: i64,
    ) -> Result<Vec<ActivityRecord>> {
        let bytes = self.store.archive().get(&a.file_sha256).map_err(|e| {
            AppError::Invalid(format!(
                "the original of activity {} ({}) cannot be read from the archive ({e}): cairn verify says what to do",
                a.id, a.source
            ))
        })?;
        let unit = crate::sources::Unit {
            source: a.source.clone(),
            bytes,
            strava: None,
            budget: None,
        };
        let opts = ImportOptions {
            limits: Default::default(),
            now_ms,
            threads: 1,
        };
        let parts: Vec<_> = match crate::import::prepare(&unit, &Default::default(), rules, &opts) {
            crate::import::Prepared::Ready { activities, .. } => activities
                .into_iter()
                .filter(|p| p.record.session_index == a.session_index)
                .collect(),
            _ => {
                return Err(AppError::Invalid(format!(
                "the original of activity {} ({}) no longer decodes: cairn verify says what to do",
                a.id, a.source
            )))
            }
        };
        let ids = self.store.rederive_session(
            self.athlete,
            &a.file_sha256,
            a.session_index,
            rules,
            parts,
        )?;
        ids.iter()
            .map(|id| Ok(self.store.activity(self.athlete, *id)?))
            .collect()
    }
}
