//! What only the athlete can say, carried from an old database into one
//! derived anew from the originals (`cairn rebuild`): the profile, settings,
//! stays, weather, plans, the feel log, gear and what used it, session
//! notes, corrected sports,
//! the athlete's own names, notes and deletions, and which copy of a
//! duplicate counts. Everything else is derived again.

use crate::{AthleteId, Result, SqliteStore, StoreError, StoredFile};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// What a carry-over copied and what it could not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CarriedOver {
    /// Rows copied, per table (only tables with rows).
    pub rows: Vec<(String, usize)>,
    /// Activities whose sport the athlete had corrected: (athlete, new id,
    /// sport); the caller derives them again with that sport.
    pub sport_edits: Vec<(AthleteId, i64, String)>,
    /// Activities the athlete had made the counted copy among duplicates.
    pub primary_choices: Vec<(AthleteId, i64)>,
    /// Activities of the old database with no counterpart in the new one
    /// (their original is missing or no longer decodes the same way): their
    /// notes and corrections are not carried over.
    pub unmatched_activities: usize,
    /// Tables that could not be read, with the reason.
    pub problems: Vec<String>,
}

/// The athlete's own tables: (name, statement copying its rows into the new
/// database through the athlete and activity maps).
const COPIES: &[(&str, &str)] = &[
    (
        "profile_entries",
        "INSERT OR IGNORE INTO main.profile_entries (athlete_id, key, value, from_day, set_at_ms)
         SELECT m.new_id, p.key, p.value, p.from_day, p.set_at_ms
         FROM old.profile_entries p JOIN temp.athlete_map m ON m.old_id = p.athlete_id ORDER BY p.id",
    ),
    (
        "settings",
        "INSERT OR REPLACE INTO main.settings (athlete_id, key, value)
         SELECT m.new_id, s.key, s.value FROM old.settings s JOIN temp.athlete_map m ON m.old_id = s.athlete_id",
    ),
    (
        "stays",
        "INSERT INTO main.stays (athlete_id, from_day, to_day, altitude_m, sleep_altitude_m, note)
         SELECT m.new_id, s.from_day, s.to_day, s.altitude_m, s.sleep_altitude_m, s.note
         FROM old.stays s JOIN temp.athlete_map m ON m.old_id = s.athlete_id ORDER BY s.id",
    ),
    (
        "weather",
        "INSERT OR REPLACE INTO main.weather (athlete_id, day, place, temp_c, dew_point_c)
         SELECT m.new_id, w.day, w.place, w.temp_c, w.dew_point_c
         FROM old.weather w JOIN temp.athlete_map m ON m.old_id = w.athlete_id",
    ),
    (
        "plans",
        "INSERT INTO main.plans (athlete_id, created_day, active, plan)
         SELECT m.new_id, p.created_day, p.active, p.plan
         FROM old.plans p JOIN temp.athlete_map m ON m.old_id = p.athlete_id ORDER BY p.id",
    ),
    (
        "feel_log",
        "INSERT OR REPLACE INTO main.feel_log (athlete_id, day, fatigue, soreness, sleep, ill, note)
         SELECT m.new_id, f.day, f.fatigue, f.soreness, f.sleep, f.ill, f.note
         FROM old.feel_log f JOIN temp.athlete_map m ON m.old_id = f.athlete_id",
    ),
    (
        "gear",
        "INSERT INTO main.gear (id, athlete_id, name, kind, default_for, from_day, retired_day, retire_at_m, initial_distance_m)
         SELECT g.id, m.new_id, g.name, g.kind, g.default_for, g.from_day, g.retired_day, g.retire_at_m, g.initial_distance_m
         FROM old.gear g JOIN temp.athlete_map m ON m.old_id = g.athlete_id ORDER BY g.id",
    ),
    (
        "activity_gear",
        "INSERT OR REPLACE INTO main.activity_gear (activity_id, gear_id)
         SELECT m.new_id, g.gear_id FROM old.activity_gear g JOIN temp.activity_map m ON m.old_id = g.activity_id",
    ),
    (
        "sync_seen",
        "INSERT OR REPLACE INTO main.sync_seen (athlete_id, path, size_bytes, modified_ms)
         SELECT m.new_id, s.path, s.size_bytes, s.modified_ms FROM old.sync_seen s JOIN temp.athlete_map m ON m.old_id = s.athlete_id",
    ),
    (
        "session_notes",
        "INSERT OR REPLACE INTO main.session_notes (activity_id, rpe, pack_kg, temp_c, dew_point_c)
         SELECT m.new_id, n.rpe, n.pack_kg, n.temp_c, n.dew_point_c
         FROM old.session_notes n JOIN temp.activity_map m ON m.old_id = n.activity_id",
    ),
    (
        "activities",
        "UPDATE main.activities SET own_name = o.own_name, own_note = o.own_note, deleted_at_ms = o.deleted_at_ms
         FROM old.activities o JOIN temp.activity_map m ON m.old_id = o.id
         WHERE main.activities.id = m.new_id
           AND (o.own_name IS NOT NULL OR o.own_note IS NOT NULL OR o.deleted_at_ms IS NOT NULL)",
    ),
];

/// An activity's place in its database: the athlete's name, the file's
/// hash and the activity's rank among that file's activities.
const ACTIVITY_KEYS: &str = "SELECT a.id, t.name, f.sha256,
        ROW_NUMBER() OVER (PARTITION BY a.file_id ORDER BY COALESCE(a.session_index, -1), a.start_ms, a.id) AS rank
    FROM {db}.activities a JOIN {db}.files f ON f.id = a.file_id JOIN {db}.athletes t ON t.id = a.athlete_id";

impl SqliteStore {
    /// Every split a database holds (athlete name, rule), read as it is: a
    /// rebuild needs them before it imports, so the parts come out of the
    /// import as they were. A database from before splits holds none.
    pub fn splits_in(db: &Path) -> Result<Vec<(String, cairn_core::corrections::SplitRule)>> {
        let conn = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let has_table: bool = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'activity_splits'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)?;
        if !has_table {
            return Ok(Vec::new());
        }
        let mut stmt = conn.prepare(
            "SELECT t.name, s.file_sha256, s.session_index, s.at_ms, s.sport_after FROM activity_splits s JOIN athletes t ON t.id = s.athlete_id",
        )?;
        let rows = stmt.query_map([], |r| {
            let session: i64 = r.get(2)?;
            let sport: String = r.get(4)?;
            Ok((
                r.get::<_, String>(0)?,
                cairn_core::corrections::SplitRule {
                    file_sha256: r.get(1)?,
                    session_index: u32::try_from(session).ok(),
                    at_ms: r.get(3)?,
                    sport_after: cairn_core::model::Sport::from_id(&sport)
                        .unwrap_or(cairn_core::model::Sport::Other),
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every file a database lists (athlete name, file), read as it is: no
    /// migration, no check. Its write-ahead log is folded into the file
    /// first, so the file alone holds everything it committed.
    pub fn files_in(db: &Path) -> Result<Vec<(String, StoredFile)>> {
        Self::read_files(db).map_err(|e| match e {
            StoreError::Db(d) if d.kind == crate::DbErrorKind::Damaged => {
                StoreError::DamagedDatabase(db.display().to_string())
            }
            other => other,
        })
    }

    fn read_files(db: &Path) -> Result<Vec<(String, StoredFile)>> {
        let conn = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(600))?;
        // Folding the log in is a courtesy to the swap that follows; a
        // database too damaged for it is still read.
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let mut stmt = conn.prepare(
            "SELECT t.name, f.id, f.sha256, f.source, f.format, f.imported_at_ms FROM files f JOIN athletes t ON t.id = f.athlete_id ORDER BY f.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                StoredFile {
                    id: r.get(1)?,
                    sha256: r.get(2)?,
                    source: r.get(3)?,
                    format: r.get(4)?,
                    imported_at_ms: r.get(5)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Copies the athlete's own data from the database at `old` into this
    /// one, whose activities were imported from the same originals. Each
    /// table is copied on its own: a damaged table is named in `problems`
    /// and the others are still carried over.
    pub fn carry_over(&mut self, old: &Path) -> Result<CarriedOver> {
        let conn = self.connection();
        conn.execute(
            "ATTACH DATABASE ?1 AS old",
            [old.to_string_lossy().as_ref()],
        )?;
        let result = copy(conn);
        let detached = conn.execute_batch(
            "DROP TABLE IF EXISTS temp.athlete_map; DROP TABLE IF EXISTS temp.activity_map; DETACH DATABASE old;",
        );
        let out = result?;
        detached?;
        Ok(out)
    }
}

fn copy(conn: &mut Connection) -> Result<CarriedOver> {
    let mut out = CarriedOver::default();
    let tx = conn.transaction()?;
    tx.execute_batch(&format!(
        "INSERT OR IGNORE INTO main.athletes (name) SELECT name FROM old.athletes ORDER BY id;
         CREATE TEMP TABLE athlete_map AS
           SELECT o.id AS old_id, n.id AS new_id FROM old.athletes o JOIN main.athletes n ON n.name = o.name;
         CREATE TEMP TABLE activity_map AS
           SELECT o.id AS old_id, n.id AS new_id
           FROM ({}) o JOIN ({}) n ON n.name = o.name AND n.sha256 = o.sha256 AND n.rank = o.rank;",
        ACTIVITY_KEYS.replace("{db}", "old"),
        ACTIVITY_KEYS.replace("{db}", "main"),
    ))?;
    for (table, sql) in COPIES {
        tx.execute_batch("SAVEPOINT one_table")?;
        match tx.execute(sql, []) {
            Ok(n) => {
                tx.execute_batch("RELEASE one_table")?;
                if n > 0 {
                    out.rows.push((table.to_string(), n));
                }
            }
            Err(e) => {
                tx.execute_batch("ROLLBACK TO one_table; RELEASE one_table")?;
                out.problems.push(format!("{table}: {e}"));
            }
        }
    }
    let read = |sql: &str| -> rusqlite::Result<Vec<(AthleteId, i64, String)>> {
        let mut stmt = tx.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((AthleteId(r.get(0)?), r.get(1)?, r.get(2)?)))?;
        rows.collect()
    };
    match read(
        "SELECT n.athlete_id, n.id, o.sport FROM old.activities o
         JOIN temp.activity_map m ON m.old_id = o.id JOIN main.activities n ON n.id = m.new_id
         WHERE o.sport_edited = 1 ORDER BY n.id",
    ) {
        Ok(rows) => out.sport_edits = rows,
        Err(e) => out.problems.push(format!("corrected sports: {e}")),
    }
    match read(
        "SELECT n.athlete_id, n.id, '' FROM old.activities o
         JOIN temp.activity_map m ON m.old_id = o.id JOIN main.activities n ON n.id = m.new_id
         WHERE o.is_primary = 1 AND n.is_primary = 0 ORDER BY n.id",
    ) {
        Ok(rows) => out.primary_choices = rows.into_iter().map(|(a, id, _)| (a, id)).collect(),
        Err(e) => out.problems.push(format!("primary copies: {e}")),
    }
    match tx.query_row(
        "SELECT COUNT(*) FROM old.activities WHERE id NOT IN (SELECT old_id FROM temp.activity_map)",
        [],
        |r| r.get::<_, i64>(0),
    ) {
        Ok(n) => out.unmatched_activities = n as usize,
        Err(e) => out.problems.push(format!("activities: {e}")),
    }
    tx.commit()?;
    Ok(out)
}
