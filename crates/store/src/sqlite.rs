//! The embedded default: one SQLite database file in the data directory.

use crate::codec;
use crate::migrations;
use crate::{
    ActivityFilter, ActivityRecord, Archive, AthleteId, CachedLoad, CourseRecord, DbError,
    DbErrorKind, DerivedUpdate, FileOutcome, JournalEntry, NewActivity, NewCourse, NewFile, Result,
    Store, StoreError, StoredCurve, StoredFile, StoredNotes, WeatherRow,
};
use cairn_core::environment::altitude::Stay;
use cairn_core::gear::{Assignment, GearItem, GearKind};
use cairn_core::load::{ProfileEntry, ProfileKey};
use cairn_core::model::{Lap, Samples};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "cairn.sqlite";

pub struct SqliteStore {
    conn: Connection,
    archive: Archive,
}

/// How to open an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Everyday use: refuses an empty database beside archived originals
    /// (a lost or truncated database must not pass for a new archive).
    Normal,
    /// For `cairn verify` and `cairn rebuild`: an empty database beside
    /// archived originals is opened, to be reported or derived anew.
    Repair,
}

impl SqliteStore {
    /// Opens (creating if needed) `cairn.sqlite` and `archive/` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(data_dir, &data_dir.join(DATABASE_FILE), OpenMode::Normal)
    }

    /// Opens the database at `db` with the archive of `data_dir`.
    pub fn open_with(data_dir: &Path, db: &Path, mode: OpenMode) -> Result<SqliteStore> {
        if data_dir.exists() && !data_dir.is_dir() {
            return Err(StoreError::NotADirectory(data_dir.display().to_string()));
        }
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Archive {
            path: data_dir.display().to_string(),
            source: e,
        })?;
        let archive = Archive::new(data_dir.join("archive"));
        archive.remove_leftovers();
        // A missing or 0-byte database beside originals is refused before
        // anything is written into it.
        let fresh = db.metadata().map_or(true, |m| m.len() == 0);
        if mode == OpenMode::Normal && fresh {
            let originals = archive.hashes().len();
            if originals > 0 {
                return Err(StoreError::EmptyDatabaseWithArchive {
                    database: db.display().to_string(),
                    originals,
                });
            }
        }
        let mut conn = Connection::open(db)?;
        // A second process waits for the first (an import, a migration)
        // instead of failing on its lock.
        conn.busy_timeout(std::time::Duration::from_secs(600))?;
        match retry_busy(|| {
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
        }) {
            Ok(()) => {}
            // A database that cannot be written (a read-only mount, another
            // user's files) is opened as it is, for reading: nothing can
            // change it while it cannot be written.
            Err(e) if read_only_database(&e) && !fresh => {
                conn = Connection::open_with_flags(
                    format!("file:{}?immutable=1", db.display()),
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_URI,
                )?;
                conn.execute_batch("PRAGMA foreign_keys = ON;")?;
            }
            Err(e) if damaged(&e) => {
                return Err(StoreError::DamagedDatabase(db.display().to_string()))
            }
            Err(e) => return Err(e.into()),
        }
        retry_busy_store(|| migrations::migrate(&mut conn)).map_err(|e| match e {
            StoreError::Db(d) if d.kind == DbErrorKind::Damaged => {
                StoreError::DamagedDatabase(db.display().to_string())
            }
            other => other,
        })?;
        // Every read the server repeats is prepared once per connection
        // (parsing the activity query was 4 % of a request's time).
        conn.set_prepared_statement_cache_capacity(64);
        let store = SqliteStore { conn, archive };
        if mode == OpenMode::Normal {
            let count = |conn: &Connection| -> rusqlite::Result<i64> {
                conn.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0))
            };
            if count(&store.conn)? == 0 {
                let originals = store.archive.hashes().len();
                // An import in another process archives each original under
                // the write lock: wait for it (busy timeout) and count again.
                let settled =
                    originals > 0 && store.conn.execute_batch("BEGIN IMMEDIATE").is_ok() && {
                        let n = count(&store.conn);
                        let _ = store.conn.execute_batch("ROLLBACK");
                        n? > 0
                    };
                if originals > 0 && !settled {
                    return Err(StoreError::EmptyDatabaseWithArchive {
                        database: db.display().to_string(),
                        originals,
                    });
                }
            }
        }
        Ok(store)
    }

    /// The database's own checks (`integrity_check`, `foreign_key_check`):
    /// empty when sound.
    pub fn check_database(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                out.push(line);
            }
        }
        let mut stmt = self.conn.prepare_cached("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "table {} row {} refers to a missing row of {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }

    /// Every stored file of every athlete: (athlete name, file row).
    pub fn all_files(&self) -> Result<Vec<(String, StoredFile)>> {
        let mut stmt = self.conn.prepare_cached(
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

    /// An athlete already in the archive, looked up without writing.
    /// How many rows of each kind an athlete's own actions write (files,
    /// ratings, profile, plans, feel, stays, weather, settings, corrected
    /// activities), in one line: two equal lines mean nobody added or
    /// changed anything in between.
    pub fn own_row_counts(&self) -> Result<String> {
        let tables = [
            "files",
            "session_notes",
            "profile_entries",
            "plans",
            "feel_log",
            "stays",
            "weather",
            "settings",
        ];
        let mut parts = Vec::new();
        for t in tables {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?;
            parts.push(format!("{t}={n}"));
        }
        let edited: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM activities WHERE sport_edited = 1 OR own_name IS NOT NULL OR own_note IS NOT NULL OR deleted_at_ms IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        parts.push(format!("corrected_activities={edited}"));
        Ok(parts.join(" "))
    }

    /// The raw connection, for the rebuild's copy of the athlete's own data.
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Closes the database leaving it whole in its one file (no
    /// write-ahead log beside it), so it can be renamed into place.
    pub fn close_into_one_file(self) -> Result<()> {
        self.conn
            .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        self.conn.close().map_err(|(_, e)| StoreError::from(e))
    }

    fn record_from_row(row: &Row<'_>) -> rusqlite::Result<ActivityRecord> {
        let flags: String = row.get("flags")?;
        let summary: String = row.get("summary")?;
        Ok(ActivityRecord {
            id: row.get("id")?,
            source: row.get("source")?,
            session_index: row.get("session_index")?,
            multisport_group: row.get("multisport_group")?,
            format: row.get("format")?,
            sport: row.get("sport")?,
            original_sport: row.get("original_sport")?,
            name: row
                .get::<_, Option<String>>("own_name")?
                .or(row.get("name")?),
            note: row.get("own_note")?,
            deleted_time: row.get("deleted_at_ms")?,
            description: row.get("description")?,
            gear: row.get("gear")?,
            start_ms: row.get("start_ms")?,
            end_ms: row.get("end_ms")?,
            utc_offset_s: row.get("utc_offset_s")?,
            device: row.get("device")?,
            laps: row.get::<_, i64>("laps")? as usize,
            flags: flags
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            duplicate_of: row.get("duplicate_of")?,
            is_primary: row.get::<_, i64>("is_primary")? != 0,
            file_sha256: row.get("sha256")?,
            recording_id: row.get("recording_id")?,
            derived_version: row.get::<_, i64>("derived_version")? as u32,
            summary: serde_json::from_str(&summary).unwrap_or_default(),
        })
    }

    const SELECT: &'static str =
        "SELECT a.*, f.source, f.sha256 FROM activities a JOIN files f ON f.id = a.file_id";
}

/// A row of `activity_loads` from its second column on.
fn cached_load(r: &rusqlite::Row<'_>) -> rusqlite::Result<CachedLoad> {
    Ok(CachedLoad {
        inputs_key: r.get(1)?,
        aerobic: r.get(2)?,
        aerobic_source: r.get(3)?,
        mechanical: r.get(4)?,
        detail: r.get(5)?,
        zones: r.get(6)?,
    })
}

impl Store for SqliteStore {
    fn archive(&self) -> &Archive {
        &self.archive
    }

    fn existing_athlete(&self, name: &str) -> Result<Option<AthleteId>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM athletes WHERE name = ?1", [name], |r| {
                r.get(0).map(AthleteId)
            })
            .optional()?)
    }
    /// Every athlete in the archive with their activity count and the local
    /// days of their first and last activity, by name.
    fn athletes_overview(&self) -> Result<Vec<crate::AthleteOverview>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name, COUNT(a.id), MIN(a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000), MAX(a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000) FROM athletes t LEFT JOIN activities a ON a.athlete_id = t.id AND a.deleted_at_ms IS NULL GROUP BY t.id ORDER BY t.name",
        )?;
        let day = |ms: Option<i64>| ms.map(|ms| ms.div_euclid(86_400_000) as i32);
        let rows = stmt.query_map([], |r| {
            Ok(crate::AthleteOverview {
                name: r.get(0)?,
                activities: r.get::<_, i64>(1)? as usize,
                first_day: day(r.get(2)?),
                last_day: day(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn athlete(&mut self, name: &str) -> Result<AthleteId> {
        // Looked up first: a read-only archive opens for its athletes.
        if let Some(id) = self.existing_athlete(name)? {
            return Ok(id);
        }
        self.conn
            .execute("INSERT OR IGNORE INTO athletes (name) VALUES (?1)", [name])?;
        let id = self
            .conn
            .query_row("SELECT id FROM athletes WHERE name = ?1", [name], |r| {
                r.get(0)
            })?;
        Ok(AthleteId(id))
    }

    fn file_by_hash(&self, athlete: AthleteId, sha256: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM files WHERE athlete_id = ?1 AND sha256 = ?2",
                params![athlete.0, sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn file_hashes(&self, athlete: AthleteId) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT sha256 FROM files WHERE athlete_id = ?1 UNION SELECT content_sha256 FROM files WHERE athlete_id = ?1 AND content_sha256 IS NOT NULL",
        )?;
        let rows = stmt.query_map([athlete.0], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn import_file(
        &mut self,
        athlete: AthleteId,
        file: NewFile<'_>,
        activities: Vec<NewActivity>,
        courses: Vec<NewCourse>,
    ) -> Result<FileOutcome> {
        // A file imported before is found without a write lock (a
        // read-only archive answers too) ...
        if let Some(file_id) = self.file_by_hash(athlete, &file.sha256)? {
            return Ok(FileOutcome::AlreadyImported { file_id });
        }
        // ... and looked for again under the write lock, so two connections
        // importing the same file at once import it once (the second finds
        // the first's row). It is also taken before
        // the original goes to the archive, so a process opening the
        // archive meanwhile waits for the commit instead of seeing an
        // original without its row (and taking the database for lost). If
        // the transaction fails, the archived copy is simply reused by the
        // next attempt.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let known: Option<i64> = tx
            .query_row(
                "SELECT id FROM files WHERE athlete_id = ?1 AND sha256 = ?2",
                params![athlete.0, file.sha256],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(file_id) = known {
            return Ok(FileOutcome::AlreadyImported { file_id });
        }
        // The same content compressed differently is the same file.
        if let Some(content) = &file.content_sha256 {
            let same: Option<i64> = tx
                .query_row(
                    "SELECT id FROM files WHERE athlete_id = ?1 AND (content_sha256 = ?2 OR sha256 = ?2)",
                    params![athlete.0, content],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(file_id) = same {
                return Ok(FileOutcome::AlreadyImported { file_id });
            }
        }
        self.archive.put(&file.sha256, file.bytes)?;
        tx.execute(
            "INSERT INTO files (athlete_id, sha256, size_bytes, source, format, imported_at_ms, warnings, content_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                athlete.0,
                file.sha256,
                file.bytes.len() as i64,
                file.source,
                file.format,
                file.imported_at_ms,
                serde_json::to_string(&file.warnings).unwrap_or_else(|_| "[]".into()),
                file.content_sha256
            ],
        )?;
        let file_id = tx.last_insert_rowid();
        let multisport =
            activities.len() > 1 && activities.iter().any(|a| a.record.session_index.is_some());
        let mut ids = Vec::with_capacity(activities.len());
        let mut duplicates = Vec::new();
        for a in activities {
            let r = &a.record;
            // The same recording (however exported and labelled) is a
            // duplicate; else an existing primary activity overlapping in time.
            let mut dup_of: Option<i64> = match &r.recording_id {
                Some(rec) => tx
                    .query_row(
                        "SELECT id FROM activities WHERE athlete_id = ?1 AND recording_id = ?2 AND is_primary = 1 AND deleted_at_ms IS NULL AND file_id <> ?3",
                        params![athlete.0, rec, file_id],
                        |row| row.get(0),
                    )
                    .optional()?,
                None => None,
            };
            if dup_of.is_none() {
                let mut stmt = tx.prepare_cached(
                    "SELECT id, start_ms, end_ms, sport FROM activities WHERE athlete_id = ?1 AND is_primary = 1 AND deleted_at_ms IS NULL AND start_ms < ?3 AND start_ms > ?2 - ?5 AND end_ms > ?2 AND file_id <> ?4",
                )?;
                let rows = stmt.query_map(
                    params![
                        athlete.0,
                        r.start_ms,
                        r.end_ms,
                        file_id,
                        crate::duplicates::SEARCH_BACK_MS
                    ],
                    |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, i64>(1)?,
                            row.get::<_, i64>(2)?,
                            row.get::<_, String>(3)?,
                        ))
                    },
                )?;
                let candidates: Vec<(i64, i64, i64, String)> =
                    rows.collect::<rusqlite::Result<_>>()?;
                dup_of = crate::duplicates::probable_duplicate_of(r, &candidates);
            }
            let flags = crate::duplicates::flags_with(&r.flags, dup_of);
            let id = insert_activity(
                &tx,
                athlete,
                file_id,
                multisport.then_some(file_id),
                &a,
                &flags,
                dup_of,
            )?;
            if let Some(d) = dup_of {
                duplicates.push((id, d));
            }
            ids.push(id);
        }
        let mut course_ids = Vec::with_capacity(courses.len());
        for c in courses {
            tx.execute(
                "INSERT INTO courses (athlete_id, file_id, name, format, points, distance_m, lat_deg, lon_deg, altitude_m) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![athlete.0, file_id, c.name, c.format, c.points as i64, c.distance_m, c.lat_blob, c.lon_blob, c.altitude_blob],
            )?;
            course_ids.push(tx.last_insert_rowid());
        }
        // The archive says who imported the original and from where, so the
        // database can be derived again from the archive alone. Written
        // before the commit: a line for a file the database then lacks only
        // makes a rebuild import what was meant to be imported.
        let athlete_name: String = tx.query_row(
            "SELECT name FROM athletes WHERE id = ?1",
            [athlete.0],
            |r| r.get(0),
        )?;
        if !file.journaled {
            self.archive.record(&JournalEntry {
                sha256: file.sha256.clone(),
                athlete: athlete_name,
                source: file.source.clone(),
                format: file.format.clone(),
                imported_at_ms: file.imported_at_ms,
                export_meta: file.export_meta.clone(),
            })?;
        }
        tx.commit()?;
        Ok(FileOutcome::Imported {
            file_id,
            activity_ids: ids,
            course_ids,
            duplicates,
        })
    }

    fn courses(&self, athlete: AthleteId) -> Result<Vec<CourseRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.name, f.source, c.format, c.points, c.distance_m FROM courses c JOIN files f ON f.id = c.file_id WHERE c.athlete_id = ?1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok(CourseRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                source: r.get(2)?,
                format: r.get(3)?,
                points: r.get::<_, i64>(4)? as usize,
                distance_m: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn activities(
        &self,
        athlete: AthleteId,
        filter: &ActivityFilter,
    ) -> Result<Vec<ActivityRecord>> {
        let sql = format!(
            "{} WHERE a.athlete_id = ?1 AND (?2 IS NULL OR a.sport IN (SELECT value FROM json_each(?2))) AND (?3 IS NULL OR a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000 >= ?3) AND (?4 IS NULL OR a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000 < ?4) AND (?5 OR a.deleted_at_ms IS NULL) ORDER BY a.start_ms, a.id",
            Self::SELECT
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                athlete.0,
                (!filter.sports.is_empty())
                    .then(|| serde_json::to_string(&filter.sports).unwrap_or_default()),
                filter.from_ms,
                filter.to_ms,
                filter.include_deleted
            ],
            Self::record_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn activity(&self, athlete: AthleteId, id: i64) -> Result<ActivityRecord> {
        let sql = format!("{} WHERE a.athlete_id = ?1 AND a.id = ?2", Self::SELECT);
        self.conn
            .prepare_cached(&sql)?
            .query_row(params![athlete.0, id], Self::record_from_row)
            .optional()?
            .ok_or(StoreError::NoSuchActivity(id))
    }

    fn laps(&self, athlete: AthleteId, id: i64) -> Result<Vec<Lap>> {
        self.activity(athlete, id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT start_ms, totals FROM laps WHERE activity_id = ?1 ORDER BY lap_index",
        )?;
        let rows = stmt.query_map([id], |r| {
            let totals: String = r.get(1)?;
            Ok(Lap {
                start_ms: r.get(0)?,
                totals: serde_json::from_str(&totals).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn samples(&self, athlete: AthleteId, id: i64) -> Result<Samples> {
        codec::decode_samples(&self.sample_blobs(athlete, id)?)
    }

    fn activity_extra(&self, athlete: AthleteId, id: i64) -> Result<String> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT extra FROM activities WHERE athlete_id = ?1 AND id = ?2")?;
        stmt.query_row(params![athlete.0, id], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NoSuchActivity(id))
    }

    fn page_data(
        &self,
        athlete: AthleteId,
        id: i64,
    ) -> Result<Option<cairn_core::derived::PageData>> {
        self.activity(athlete, id)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT part, data FROM activity_page WHERE activity_id = ?1")?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let parts: Vec<(String, Vec<u8>)> = rows.collect::<rusqlite::Result<_>>()?;
        if parts.is_empty() {
            return Ok(None);
        }
        codec::decode_page(&parts)
            .map(Some)
            .map_err(|e| StoreError::Codec(format!("activity {id}: {e}")))
    }

    fn sample_blobs(&self, athlete: AthleteId, id: i64) -> Result<Vec<(String, Vec<u8>)>> {
        self.activity(athlete, id)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT channel, data FROM sample_channels WHERE activity_id = ?1")?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn profile_entries(&self, athlete: AthleteId) -> Result<Vec<ProfileEntry>> {
        let mut stmt = self.conn.prepare_cached("SELECT key, value, from_day FROM profile_entries WHERE athlete_id = ?1 ORDER BY key, from_day")?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, f64>(1)?,
                r.get::<_, Option<i32>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, value, from_day) = row?;
            if let Some(key) = ProfileKey::from_id(&key) {
                out.push(ProfileEntry {
                    key,
                    value,
                    from_day,
                });
            }
        }
        Ok(out)
    }

    fn set_profile_entry(
        &mut self,
        athlete: AthleteId,
        e: ProfileEntry,
        set_at_ms: i64,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM profile_entries WHERE athlete_id = ?1 AND key = ?2 AND COALESCE(from_day, -2147483648) = COALESCE(?3, -2147483648)",
            params![athlete.0, e.key.id(), e.from_day],
        )?;
        tx.execute(
            "INSERT INTO profile_entries (athlete_id, key, value, from_day, set_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![athlete.0, e.key.id(), e.value, e.from_day, set_at_ms],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn change_stamp(&self) -> Result<crate::ChangeStamp> {
        // SQLite's data_version moves only for other connections' commits;
        // this connection's own writes are counted by total_changes.
        let others: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(crate::ChangeStamp {
            others,
            own: self.conn.total_changes(),
        })
    }

    fn notes(&self, athlete: AthleteId) -> Result<HashMap<i64, StoredNotes>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.activity_id, n.rpe, n.pack_kg, n.temp_c, n.dew_point_c FROM session_notes n JOIN activities a ON a.id = n.activity_id WHERE a.athlete_id = ?1",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                StoredNotes {
                    rpe: r.get(1)?,
                    pack_kg: r.get(2)?,
                    temp_c: r.get(3)?,
                    dew_point_c: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_notes(
        &mut self,
        athlete: AthleteId,
        id: i64,
        rpe: Option<f64>,
        pack_kg: Option<f64>,
    ) -> Result<()> {
        self.activity(athlete, id)?;
        self.conn.execute(
            "INSERT INTO session_notes (activity_id, rpe, pack_kg) VALUES (?1, ?2, ?3)
             ON CONFLICT (activity_id) DO UPDATE SET rpe = COALESCE(?2, rpe), pack_kg = COALESCE(?3, pack_kg)",
            params![id, rpe, pack_kg],
        )?;
        Ok(())
    }

    fn set_conditions(
        &mut self,
        athlete: AthleteId,
        id: i64,
        temp_c: Option<f64>,
        dew_point_c: Option<f64>,
    ) -> Result<()> {
        self.activity(athlete, id)?;
        self.conn.execute(
            "INSERT INTO session_notes (activity_id, temp_c, dew_point_c) VALUES (?1, ?2, ?3)
             ON CONFLICT (activity_id) DO UPDATE SET temp_c = COALESCE(?2, temp_c), dew_point_c = COALESCE(?3, dew_point_c)",
            params![id, temp_c, dew_point_c],
        )?;
        Ok(())
    }

    fn stays(&self, athlete: AthleteId) -> Result<Vec<Stay>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, from_day, to_day, altitude_m, sleep_altitude_m, note FROM stays WHERE athlete_id = ?1 ORDER BY from_day",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok(Stay {
                id: r.get(0)?,
                from_day: r.get(1)?,
                to_day: r.get(2)?,
                altitude_m: r.get(3)?,
                sleep_altitude_m: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_stay(&mut self, athlete: AthleteId, stay: &Stay) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO stays (athlete_id, from_day, to_day, altitude_m, sleep_altitude_m, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![athlete.0, stay.from_day, stay.to_day, stay.altitude_m, stay.sleep_altitude_m, stay.note],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn remove_stay(&mut self, athlete: AthleteId, id: i64) -> Result<bool> {
        let n = self.conn.execute(
            "DELETE FROM stays WHERE athlete_id = ?1 AND id = ?2",
            params![athlete.0, id],
        )?;
        Ok(n > 0)
    }

    fn weather(&self, athlete: AthleteId) -> Result<Vec<WeatherRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, place, temp_c, dew_point_c FROM weather WHERE athlete_id = ?1 ORDER BY day, place",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok(WeatherRow {
                day: r.get(0)?,
                place: r.get(1)?,
                temp_c: r.get(2)?,
                dew_point_c: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_weather(&mut self, athlete: AthleteId, rows: &[WeatherRow]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO weather (athlete_id, day, place, temp_c, dew_point_c) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for w in rows {
                stmt.execute(params![athlete.0, w.day, w.place, w.temp_c, w.dew_point_c])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn curves(&self, athlete: AthleteId, kind: &str) -> Result<Vec<StoredCurve>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.activity_id, c.version, c.data FROM activity_curves c JOIN activities a ON a.id = c.activity_id WHERE a.athlete_id = ?1 AND c.kind = ?2",
        )?;
        let rows = stmt.query_map(params![athlete.0, kind], |r| {
            let data: Vec<u8> = r.get(2)?;
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                codec::decode_curve(&data),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_curves(
        &mut self,
        athlete: AthleteId,
        curves: &[(i64, String, u32, Vec<Option<f64>>)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            // Written only for the athlete's own activity: another's id
            // is "no such activity", as every read says.
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO activity_curves (activity_id, kind, version, data) SELECT id, ?2, ?3, ?4 FROM activities WHERE id = ?1 AND athlete_id = ?5",
            )?;
            for (id, kind, version, values) in curves {
                let n = stmt.execute(params![
                    id,
                    kind,
                    version,
                    codec::encode_curve(values),
                    athlete.0
                ])?;
                if n == 0 {
                    return Err(StoreError::NoSuchActivity(*id));
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn fact_versions(&self, athlete: AthleteId) -> Result<HashMap<i64, u32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.activity_id, f.version FROM activity_facts f JOIN activities a ON a.id = f.activity_id WHERE a.athlete_id = ?1",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn facts(&self, athlete: AthleteId) -> Result<HashMap<i64, (u32, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.activity_id, f.version, f.facts FROM activity_facts f JOIN activities a ON a.id = f.activity_id WHERE a.athlete_id = ?1",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (r.get::<_, u32>(1)?, r.get::<_, String>(2)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_facts(&mut self, athlete: AthleteId, facts: &[(i64, u32, String)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("INSERT OR REPLACE INTO activity_facts (activity_id, version, facts) SELECT id, ?2, ?3 FROM activities WHERE id = ?1 AND athlete_id = ?4")?;
            for (id, version, json) in facts {
                if stmt.execute(params![id, version, json, athlete.0])? == 0 {
                    return Err(StoreError::NoSuchActivity(*id));
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn loads(&self, athlete: AthleteId) -> Result<HashMap<i64, CachedLoad>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.activity_id, l.inputs_key, l.aerobic, l.aerobic_source, l.mechanical, l.detail, l.zones FROM activity_loads l JOIN activities a ON a.id = l.activity_id WHERE a.athlete_id = ?1",
        )?;
        let rows = stmt.query_map([athlete.0], |r| Ok((r.get::<_, i64>(0)?, cached_load(r)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn load(&self, athlete: AthleteId, id: i64) -> Result<Option<CachedLoad>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.activity_id, l.inputs_key, l.aerobic, l.aerobic_source, l.mechanical, l.detail, l.zones FROM activity_loads l JOIN activities a ON a.id = l.activity_id WHERE a.athlete_id = ?1 AND l.activity_id = ?2",
        )?;
        Ok(stmt
            .query_row(params![athlete.0, id], cached_load)
            .optional()?)
    }

    fn put_loads(&mut self, athlete: AthleteId, loads: &[(i64, CachedLoad)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO activity_loads (activity_id, inputs_key, aerobic, aerobic_source, mechanical, detail, zones) SELECT id, ?2, ?3, ?4, ?5, ?6, ?7 FROM activities WHERE id = ?1 AND athlete_id = ?8",
            )?;
            for (id, l) in loads {
                // Never a NaN or infinity in the store.
                let aerobic = l.aerobic.filter(|v| v.is_finite());
                let mechanical = if l.mechanical.is_finite() {
                    l.mechanical
                } else {
                    0.0
                };
                let n = stmt.execute(params![
                    id,
                    l.inputs_key,
                    aerobic,
                    l.aerobic_source,
                    mechanical,
                    l.detail,
                    l.zones,
                    athlete.0
                ])?;
                if n == 0 {
                    return Err(StoreError::NoSuchActivity(*id));
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn setting(&self, athlete: AthleteId, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE athlete_id = ?1 AND key = ?2",
                params![athlete.0, key],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set_setting(&mut self, athlete: AthleteId, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (athlete_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT (athlete_id, key) DO UPDATE SET value = ?3",
            params![athlete.0, key, value],
        )?;
        Ok(())
    }

    fn plans(&self, athlete: AthleteId) -> Result<Vec<(i64, bool, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, active, plan FROM plans WHERE athlete_id = ?1 ORDER BY id DESC")?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? != 0, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_active_plan(&mut self, athlete: AthleteId, id: Option<i64>) -> Result<bool> {
        let tx = self.conn.transaction()?;
        if let Some(id) = id {
            let held: i64 = tx.query_row(
                "SELECT COUNT(*) FROM plans WHERE athlete_id = ?1 AND id = ?2",
                params![athlete.0, id],
                |r| r.get(0),
            )?;
            if held == 0 {
                return Ok(false);
            }
        }
        tx.execute(
            "UPDATE plans SET active = (id IS ?2) WHERE athlete_id = ?1",
            params![athlete.0, id],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn add_plan(&mut self, athlete: AthleteId, created_day: i32, json: &str) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE plans SET active = 0 WHERE athlete_id = ?1",
            [athlete.0],
        )?;
        tx.execute(
            "INSERT INTO plans (athlete_id, created_day, active, plan) VALUES (?1, ?2, 1, ?3)",
            params![athlete.0, created_day, json],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    fn update_plan(&mut self, athlete: AthleteId, id: i64, json: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE plans SET plan = ?3 WHERE athlete_id = ?1 AND id = ?2",
            params![athlete.0, id, json],
        )?;
        Ok(())
    }

    fn gear(&self, athlete: AthleteId) -> Result<Vec<GearItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, kind, default_for, from_day, retired_day, retire_at_m, initial_distance_m FROM gear WHERE athlete_id = ?1 ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            let kind: String = r.get(2)?;
            let default_for: String = r.get(3)?;
            Ok(GearItem {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: GearKind::from_id(&kind).unwrap_or(GearKind::Other),
                default_for: default_for
                    .split(',')
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect(),
                from_day: r.get(4)?,
                retired_day: r.get(5)?,
                retire_at_m: r.get(6)?,
                initial_distance_m: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_gear(&mut self, athlete: AthleteId, item: &GearItem) -> Result<i64> {
        let taken: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM gear WHERE athlete_id = ?1 AND name = ?2 COLLATE NOCASE AND id != ?3",
                params![athlete.0, item.name, item.id],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::GearNameTaken(item.name.clone()));
        }
        let values = params![
            athlete.0,
            item.name,
            item.kind.id(),
            item.default_for.join(","),
            item.from_day,
            item.retired_day,
            item.retire_at_m,
            item.initial_distance_m,
            item.id,
        ];
        if item.id == 0 {
            self.conn.execute(
                "INSERT INTO gear (athlete_id, name, kind, default_for, from_day, retired_day, retire_at_m, initial_distance_m) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                &values[..8],
            )?;
            Ok(self.conn.last_insert_rowid())
        } else {
            self.conn.execute(
                "UPDATE gear SET name = ?2, kind = ?3, default_for = ?4, from_day = ?5, retired_day = ?6, retire_at_m = ?7, initial_distance_m = ?8 WHERE athlete_id = ?1 AND id = ?9",
                values,
            )?;
            Ok(item.id)
        }
    }

    fn gear_assignments(&self, athlete: AthleteId) -> Result<HashMap<i64, Assignment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.activity_id, g.gear_id FROM activity_gear g JOIN activities a ON a.id = g.activity_id WHERE a.athlete_id = ?1",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            let gear: Option<i64> = r.get(1)?;
            Ok((
                r.get::<_, i64>(0)?,
                gear.map_or(Assignment::NoGear, Assignment::Gear),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn splits(&self, athlete: AthleteId) -> Result<Vec<cairn_core::corrections::SplitRule>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT file_sha256, session_index, at_ms, sport_after FROM activity_splits WHERE athlete_id = ?1 ORDER BY file_sha256, session_index, at_ms",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            let session: i64 = r.get(1)?;
            let sport: String = r.get(3)?;
            Ok(cairn_core::corrections::SplitRule {
                file_sha256: r.get(0)?,
                session_index: u32::try_from(session).ok(),
                at_ms: r.get(2)?,
                sport_after: cairn_core::model::Sport::from_id(&sport)
                    .unwrap_or(cairn_core::model::Sport::Other),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_splits(
        &mut self,
        athlete: AthleteId,
        rules: &[cairn_core::corrections::SplitRule],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for r in rules {
            tx.execute(
                "INSERT OR REPLACE INTO activity_splits (athlete_id, file_sha256, session_index, at_ms, sport_after) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    athlete.0,
                    r.file_sha256,
                    r.session_index.map_or(-1, i64::from),
                    r.at_ms,
                    r.sport_after.id()
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn rederive_session(
        &mut self,
        athlete: AthleteId,
        file_sha256: &str,
        session_index: Option<u32>,
        rules: &[cairn_core::corrections::SplitRule],
        activities: Vec<NewActivity>,
    ) -> Result<Vec<i64>> {
        if activities.is_empty() {
            return Err(StoreError::Codec(format!(
                "deriving file {file_sha256} again gave no activity for its session: nothing was changed"
            )));
        }
        let session = session_index.map_or(-1, i64::from);
        let tx = self.conn.transaction()?;
        let file_id: i64 = tx.query_row(
            "SELECT id FROM files WHERE athlete_id = ?1 AND sha256 = ?2",
            params![athlete.0, file_sha256],
            |r| r.get(0),
        )?;
        struct Old {
            id: i64,
            start_ms: i64,
            end_ms: i64,
            group: Option<i64>,
            own_name: Option<String>,
            own_note: Option<String>,
            deleted_at_ms: Option<i64>,
            name: Option<String>,
            description: Option<String>,
            gear: Option<String>,
            duplicate_of: Option<i64>,
        }
        let old: Vec<Old> = {
            let mut stmt = tx.prepare(
                "SELECT id, start_ms, end_ms, multisport_group, own_name, own_note, deleted_at_ms, name, description, gear, duplicate_of
                 FROM activities WHERE athlete_id = ?1 AND file_id = ?2 AND COALESCE(session_index, -1) = ?3 ORDER BY start_ms, id",
            )?;
            let rows = stmt.query_map(params![athlete.0, file_id, session], |r| {
                Ok(Old {
                    id: r.get(0)?,
                    start_ms: r.get(1)?,
                    end_ms: r.get(2)?,
                    group: r.get(3)?,
                    own_name: r.get(4)?,
                    own_note: r.get(5)?,
                    deleted_at_ms: r.get(6)?,
                    name: r.get(7)?,
                    description: r.get(8)?,
                    gear: r.get(9)?,
                    duplicate_of: r.get(10)?,
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let Some(first_old) = old.first() else {
            return Err(StoreError::NoSuchActivity(0));
        };
        let old_ids: Vec<i64> = old.iter().map(|o| o.id).collect();
        let list = old_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        // What only the athlete said, read before the old rows go.
        // Rating, pack, temperature and dew point per old activity.
        type SessionNotes = (Option<f64>, Option<f64>, Option<f64>, Option<f64>);
        let notes: HashMap<i64, SessionNotes> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT activity_id, rpe, pack_kg, temp_c, dew_point_c FROM session_notes WHERE activity_id IN ({list})"
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let gear: HashMap<i64, Option<i64>> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT activity_id, gear_id FROM activity_gear WHERE activity_id IN ({list})"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for table in [
            "laps",
            "sample_channels",
            "session_notes",
            "activity_facts",
            "activity_loads",
            "activity_curves",
            "activity_page",
            "activity_gear",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE activity_id IN ({list})"),
                [],
            )?;
        }
        // Copies that pointed at an old row point at no row for a moment;
        // each is pointed at its heir below.
        let pointing: Vec<(i64, i64)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT id, duplicate_of FROM activities WHERE duplicate_of IN ({list}) AND id NOT IN ({list})"
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        tx.execute(
            &format!("UPDATE activities SET duplicate_of = NULL WHERE duplicate_of IN ({list})"),
            [],
        )?;
        tx.execute(&format!("DELETE FROM activities WHERE id IN ({list})"), [])?;
        tx.execute(
            "DELETE FROM activity_splits WHERE athlete_id = ?1 AND file_sha256 = ?2 AND session_index = ?3",
            params![athlete.0, file_sha256, session],
        )?;
        for r in rules {
            tx.execute(
                "INSERT INTO activity_splits (athlete_id, file_sha256, session_index, at_ms, sport_after) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![athlete.0, file_sha256, session, r.at_ms, r.sport_after.id()],
            )?;
        }
        let mut ids = Vec::with_capacity(activities.len());
        let mut heir: HashMap<i64, i64> = HashMap::new();
        for mut a in activities {
            // The old row this part starts in; the first part of each inherits.
            let from = old
                .iter()
                .find(|o| {
                    o.start_ms <= a.record.start_ms
                        && a.record.start_ms < o.end_ms.max(o.start_ms + 1)
                })
                .unwrap_or(first_old);
            let inherits = !heir.contains_key(&from.id);
            a.record.name = a.record.name.or_else(|| from.name.clone());
            a.record.description = a.record.description.or_else(|| from.description.clone());
            a.record.gear = a.record.gear.or_else(|| from.gear.clone());
            // Every part of a copy that did not count is a copy too: the
            // counted one still holds the whole session.
            let dup_of = from.duplicate_of;
            let flags: Vec<String> = a.record.flags.clone();
            let id = insert_activity(&tx, athlete, file_id, from.group, &a, &flags, dup_of)?;
            if inherits {
                heir.insert(from.id, id);
                tx.execute(
                    "UPDATE activities SET own_name = ?2, own_note = ?3, deleted_at_ms = ?4 WHERE id = ?1",
                    params![id, from.own_name, from.own_note, from.deleted_at_ms],
                )?;
                if let Some((rpe, pack, temp, dew)) = notes.get(&from.id) {
                    tx.execute(
                        "INSERT INTO session_notes (activity_id, rpe, pack_kg, temp_c, dew_point_c) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![id, rpe, pack, temp, dew],
                    )?;
                }
                if let Some(g) = gear.get(&from.id) {
                    tx.execute(
                        "INSERT INTO activity_gear (activity_id, gear_id) VALUES (?1, ?2)",
                        params![id, g],
                    )?;
                }
            }
            ids.push(id);
        }
        for (copy, of) in pointing {
            let to = heir.get(&of).copied().unwrap_or(ids[0]);
            tx.execute(
                "UPDATE activities SET duplicate_of = ?2 WHERE id = ?1",
                params![copy, to],
            )?;
        }
        tx.commit()?;
        Ok(ids)
    }

    fn sync_seen(&self, athlete: AthleteId) -> Result<HashMap<String, (u64, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, size_bytes, modified_ms FROM sync_seen WHERE athlete_id = ?1")?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get::<_, i64>(1)? as u64, r.get(2)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn mark_sync_seen(&mut self, athlete: AthleteId, files: &[(String, u64, i64)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT OR REPLACE INTO sync_seen (athlete_id, path, size_bytes, modified_ms) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (path, size, modified) in files {
                stmt.execute(params![athlete.0, path, *size as i64, modified])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn assign_gear(
        &mut self,
        athlete: AthleteId,
        activities: &[i64],
        assignment: Option<Assignment>,
    ) -> Result<()> {
        for id in activities {
            self.activity(athlete, *id)?;
        }
        let tx = self.conn.transaction()?;
        for id in activities {
            match assignment {
                None => tx.execute("DELETE FROM activity_gear WHERE activity_id = ?1", [id])?,
                Some(a) => tx.execute(
                    "INSERT OR REPLACE INTO activity_gear (activity_id, gear_id) VALUES (?1, ?2)",
                    params![
                        id,
                        match a {
                            Assignment::Gear(g) => Some(g),
                            Assignment::NoGear => None,
                        }
                    ],
                )?,
            };
        }
        tx.commit()?;
        Ok(())
    }

    fn feel_log(&self, athlete: AthleteId) -> Result<Vec<cairn_core::plan::adapt::Feel>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, fatigue, soreness, sleep, ill, note FROM feel_log WHERE athlete_id = ?1 ORDER BY day",
        )?;
        let rows = stmt.query_map([athlete.0], |r| {
            Ok(cairn_core::plan::adapt::Feel {
                day: r.get(0)?,
                fatigue: r.get(1)?,
                soreness: r.get(2)?,
                sleep: r.get(3)?,
                ill: r.get::<_, i64>(4)? != 0,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_feel(&mut self, athlete: AthleteId, f: &cairn_core::plan::adapt::Feel) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO feel_log (athlete_id, day, fatigue, soreness, sleep, ill, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![athlete.0, f.day, f.fatigue, f.soreness, f.sleep, f.ill as i64, f.note],
        )?;
        Ok(())
    }

    fn update_derived(
        &mut self,
        athlete: AthleteId,
        id: i64,
        update: &DerivedUpdate,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE activities SET summary = ?3, distance_m = ?4, moving_s = ?5, derived_version = ?6,
               sport = COALESCE(?7, sport), sport_edited = sport_edited OR ?7 IS NOT NULL
             WHERE athlete_id = ?1 AND id = ?2",
            params![
                athlete.0,
                id,
                serde_json::to_string(&update.summary).unwrap_or_else(|_| "{}".into()),
                update.summary.distance_m,
                update.summary.moving_s,
                update.derived_version,
                update.sport,
            ],
        )?;
        if n == 0 {
            return Err(StoreError::NoSuchActivity(id));
        }
        tx.execute(
            "INSERT OR REPLACE INTO activity_facts (activity_id, version, facts) VALUES (?1, ?2, ?3)",
            params![id, update.facts.0, update.facts.1],
        )?;
        tx.execute("DELETE FROM activity_curves WHERE activity_id = ?1", [id])?;
        for (kind, version, values) in &update.curves {
            tx.execute(
                "INSERT INTO activity_curves (activity_id, kind, version, data) VALUES (?1, ?2, ?3, ?4)",
                params![id, kind, version, codec::encode_curve(values)],
            )?;
        }
        tx.execute("DELETE FROM activity_page WHERE activity_id = ?1", [id])?;
        for (part, data) in &update.page {
            tx.execute(
                "INSERT INTO activity_page (activity_id, part, data) VALUES (?1, ?2, ?3)",
                params![id, part, data],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn stale_derived(&self, athlete: AthleteId, version: u32) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM activities WHERE athlete_id = ?1 AND derived_version < ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![athlete.0, version], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_details(
        &mut self,
        athlete: AthleteId,
        id: i64,
        name: Option<&str>,
        description: Option<&str>,
        gear: Option<&str>,
    ) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE activities SET name = COALESCE(?3, name), description = COALESCE(?4, description), gear = COALESCE(?5, gear) WHERE athlete_id = ?1 AND id = ?2",
            params![athlete.0, id, name, description, gear],
        )?;
        if n == 0 {
            return Err(StoreError::NoSuchActivity(id));
        }
        Ok(())
    }

    fn make_primary(&mut self, athlete: AthleteId, id: i64) -> Result<()> {
        let a = self.activity(athlete, id)?;
        let Some(old) = a.duplicate_of else {
            return Ok(());
        };
        let tx = self.conn.transaction()?;
        // Everything that pointed at the old primary now points at this one.
        tx.execute("UPDATE activities SET duplicate_of = ?2, is_primary = 0 WHERE athlete_id = ?1 AND (duplicate_of = ?3 OR id = ?3) AND id <> ?2", params![athlete.0, id, old])?;
        tx.execute("UPDATE activities SET duplicate_of = NULL, is_primary = 1 WHERE athlete_id = ?1 AND id = ?2", params![athlete.0, id])?;
        tx.commit()?;
        Ok(())
    }

    fn set_own_text(
        &mut self,
        athlete: AthleteId,
        id: i64,
        name: Option<Option<&str>>,
        note: Option<Option<&str>>,
    ) -> Result<()> {
        self.activity(athlete, id)?;
        let tx = self.conn.transaction()?;
        if let Some(name) = name {
            tx.execute(
                "UPDATE activities SET own_name = ?3 WHERE athlete_id = ?1 AND id = ?2",
                params![athlete.0, id, name],
            )?;
        }
        if let Some(note) = note {
            tx.execute(
                "UPDATE activities SET own_note = ?3 WHERE athlete_id = ?1 AND id = ?2",
                params![athlete.0, id, note],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn delete_activity(&mut self, athlete: AthleteId, id: i64, at_ms: i64) -> Result<Option<i64>> {
        let a = self.activity(athlete, id)?;
        let tx = self.conn.transaction()?;
        let mut promoted = None;
        if a.is_primary {
            // The copy that counts goes: the oldest remaining copy counts
            // instead, and every copy (this one too) points at it.
            promoted = tx
                .query_row(
                    "SELECT id FROM activities WHERE athlete_id = ?1 AND duplicate_of = ?2 AND deleted_at_ms IS NULL ORDER BY id LIMIT 1",
                    params![athlete.0, id],
                    |r| r.get::<_, i64>(0),
                )
                .optional()?;
            if let Some(p) = promoted {
                tx.execute("UPDATE activities SET duplicate_of = ?2, is_primary = 0 WHERE athlete_id = ?1 AND (duplicate_of = ?3 OR id = ?3) AND id <> ?2", params![athlete.0, p, id])?;
                tx.execute("UPDATE activities SET duplicate_of = NULL, is_primary = 1 WHERE athlete_id = ?1 AND id = ?2", params![athlete.0, p])?;
            }
        }
        tx.execute(
            "UPDATE activities SET deleted_at_ms = ?3 WHERE athlete_id = ?1 AND id = ?2",
            params![athlete.0, id, at_ms],
        )?;
        tx.commit()?;
        Ok(promoted)
    }

    fn restore_activity(&mut self, athlete: AthleteId, id: i64) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE activities SET deleted_at_ms = NULL WHERE athlete_id = ?1 AND id = ?2",
            params![athlete.0, id],
        )?;
        if n == 0 {
            return Err(StoreError::NoSuchActivity(id));
        }
        Ok(())
    }

    fn original_file(&self, athlete: AthleteId, id: i64) -> Result<Vec<u8>> {
        let a = self.activity(athlete, id)?;
        self.archive.get(&a.file_sha256)
    }
}

/// Runs `f` again while SQLite answers "busy" or "locked" without waiting:
/// processes opening a new data directory at once race to switch it to
/// WAL, and SQLite reports the loser at once instead of calling the busy
/// handler. Ten minutes at most, like the busy timeout.
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < std::time::Duration::from_secs(600) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// The same for what returns the store's errors (a migration).
fn retry_busy_store<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let started = std::time::Instant::now();
    loop {
        match f() {
            Err(StoreError::Db(e))
                if e.kind == DbErrorKind::Busy
                    && started.elapsed() < std::time::Duration::from_secs(600) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// SQLite found no database, or a corrupt one, in the file.
pub(crate) fn damaged(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// SQLite could not write (or create what it writes beside) the database.
pub(crate) fn read_only_database(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// SQLite's errors in the store's words: the kind callers decide on, and
/// SQLite's message.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        let kind = if read_only_database(&e) {
            DbErrorKind::ReadOnly
        } else if damaged(&e) {
            DbErrorKind::Damaged
        } else if busy(&e) {
            DbErrorKind::Busy
        } else {
            DbErrorKind::Other
        };
        StoreError::Db(DbError {
            kind,
            message: e.to_string(),
        })
    }
}

/// Inserts one activity with its laps, samples, facts and curves; a
/// duplicate (`dup_of`) does not count.
fn insert_activity(
    tx: &rusqlite::Transaction<'_>,
    athlete: AthleteId,
    file_id: i64,
    multisport_group: Option<i64>,
    a: &NewActivity,
    flags: &[String],
    dup_of: Option<i64>,
) -> Result<i64> {
    let r = &a.record;
    tx.execute(
        "INSERT INTO activities (athlete_id, file_id, session_index, multisport_group, format, sport, original_sport, name, description, gear,
           start_ms, end_ms, utc_offset_s, device, laps, flags, duplicate_of, is_primary, summary, distance_m, moving_s, extra,
           recording_id, derived_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        params![
            athlete.0,
            file_id,
            r.session_index,
            multisport_group,
            r.format,
            r.sport,
            r.original_sport,
            r.name,
            r.description,
            r.gear,
            r.start_ms,
            r.end_ms,
            r.utc_offset_s,
            r.device,
            a.laps.len() as i64,
            flags.join(","),
            dup_of,
            (dup_of.is_none()) as i64,
            serde_json::to_string(&r.summary).unwrap_or_else(|_| "{}".into()),
            r.summary.distance_m,
            r.summary.moving_s,
            a.extra_json,
            r.recording_id,
            r.derived_version,
        ],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut lap_stmt = tx.prepare_cached(
            "INSERT INTO laps (activity_id, lap_index, start_ms, totals) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, lap) in a.laps.iter().enumerate() {
            lap_stmt.execute(params![
                id,
                i as i64,
                lap.start_ms,
                serde_json::to_string(&lap.totals).unwrap_or_default()
            ])?;
        }
        let mut ch = tx.prepare_cached(
            "INSERT INTO sample_channels (activity_id, channel, data) VALUES (?1, ?2, ?3)",
        )?;
        ch.execute(params![id, "time_ms", a.time_blob])?;
        if let Some((version, json)) = &a.facts {
            tx.execute(
                "INSERT INTO activity_facts (activity_id, version, facts) VALUES (?1, ?2, ?3)",
                params![id, version, json],
            )?;
        }
        for (kind, version, values) in &a.curves {
            tx.execute(
                "INSERT INTO activity_curves (activity_id, kind, version, data) VALUES (?1, ?2, ?3, ?4)",
                params![id, kind, version, codec::encode_curve(values)],
            )?;
        }
        for (name, blob) in &a.channel_blobs {
            ch.execute(params![id, name, blob])?;
        }
        let mut page = tx.prepare_cached(
            "INSERT INTO activity_page (activity_id, part, data) VALUES (?1, ?2, ?3)",
        )?;
        for (part, data) in &a.page {
            page.execute(params![id, part, data])?;
        }
    }
    Ok(id)
}
