//! cairn's archive on PostgreSQL: the [`Store`] trait the SQLite store
//! implements, for the multi-user server. The trait stays synchronous
//! (DESIGN.md): this is the `postgres` crate's blocking client, one per
//! store, called from the server's blocking threads. Originals stay in a
//! content-addressed folder ([`Archive`]) beside the database.
//!
//! Every write is one transaction that also counts itself in
//! `archive_changes`, so [`Store::change_stamp`] sees another server's
//! writes. Imports take an advisory lock per athlete: two connections
//! importing for one athlete at once find each other's files and
//! duplicates, as SQLite's write lock gives for free.

mod migrations;

use cairn_core::corrections::SplitRule;
use cairn_core::environment::altitude::Stay;
use cairn_core::gear::{Assignment, GearItem, GearKind};
use cairn_core::load::{ProfileEntry, ProfileKey};
use cairn_core::model::{Lap, Samples, Sport};
use cairn_core::plan::adapt::Feel;
use cairn_store::{
    codec, duplicates, ActivityFilter, ActivityRecord, Archive, AthleteId, AthleteOverview,
    CachedLoad, ChangeStamp, CourseRecord, DbError, DbErrorKind, DerivedUpdate, FileOutcome,
    JournalEntry, NewActivity, NewCourse, NewFile, Result, Store, StoreError, StoredCurve,
    StoredNotes, WeatherRow,
};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Transaction};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The archive in a PostgreSQL database, its originals in a folder.
pub struct PgStore {
    /// Reads take `&self` in the trait and the client needs `&mut`; no
    /// method holds the borrow while calling another. Always `Some` but
    /// while being dropped.
    client: RefCell<Option<Client>>,
    /// Reads prepared once per connection (parsing each query again was a
    /// round trip of its own per read).
    statements: RefCell<HashMap<String, postgres::Statement>>,
    archive: Archive,
    /// Write transactions this store committed (see `change_stamp`).
    own_writes: Cell<u64>,
}

/// The blocking client closes its connection by running a small runtime of
/// its own, which panics on a thread that drives an async runtime (a
/// server's worker dropping the last handle on its state). It is closed on
/// a thread of its own instead.
impl Drop for PgStore {
    fn drop(&mut self) {
        if let Some(client) = self.client.get_mut().take() {
            let _ = std::thread::Builder::new()
                .name("close-postgres".into())
                .spawn(move || drop(client));
        }
    }
}

/// PostgreSQL's errors in the store's words: the kind callers decide on
/// (by SQLSTATE) and the server's message.
pub(crate) fn db_error(e: postgres::Error) -> StoreError {
    let (kind, message) = match e.as_db_error() {
        Some(d) => {
            let code = d.code().code();
            let kind = match code {
                "25006" | "42501" => DbErrorKind::ReadOnly,
                "40001" | "40P01" | "55P03" => DbErrorKind::Busy,
                "XX001" | "XX002" => DbErrorKind::Damaged,
                _ => DbErrorKind::Other,
            };
            (kind, format!("{} (SQLSTATE {code})", d.message()))
        }
        None => (DbErrorKind::Other, e.to_string()),
    };
    StoreError::Db(DbError { kind, message })
}

/// `.pg()?` on the client's results.
pub(crate) trait Pg<T> {
    fn pg(self) -> Result<T>;
}

impl<T> Pg<T> for std::result::Result<T, postgres::Error> {
    fn pg(self) -> Result<T> {
        self.map_err(db_error)
    }
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unsigned(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn score(v: Option<i64>) -> Option<u8> {
    v.and_then(|x| u8::try_from(x).ok())
}

const SELECT: &str =
    "SELECT a.*, f.source, f.sha256 FROM activities a JOIN files f ON f.id = a.file_id";

fn record_from_row(row: &Row) -> Result<ActivityRecord> {
    let flags: String = row.try_get("flags").pg()?;
    let summary: String = row.try_get("summary").pg()?;
    let own_name: Option<String> = row.try_get("own_name").pg()?;
    let session: Option<i64> = row.try_get("session_index").pg()?;
    let offset: Option<i64> = row.try_get("utc_offset_s").pg()?;
    Ok(ActivityRecord {
        id: row.try_get("id").pg()?,
        source: row.try_get("source").pg()?,
        session_index: session.and_then(|s| u32::try_from(s).ok()),
        multisport_group: row.try_get("multisport_group").pg()?,
        format: row.try_get("format").pg()?,
        sport: row.try_get("sport").pg()?,
        original_sport: row.try_get("original_sport").pg()?,
        name: own_name.or(row.try_get("name").pg()?),
        note: row.try_get("own_note").pg()?,
        deleted_time: row.try_get("deleted_at_ms").pg()?,
        description: row.try_get("description").pg()?,
        gear: row.try_get("gear").pg()?,
        start_ms: row.try_get("start_ms").pg()?,
        end_ms: row.try_get("end_ms").pg()?,
        utc_offset_s: offset.and_then(|o| i32::try_from(o).ok()),
        device: row.try_get("device").pg()?,
        laps: usize::try_from(row.try_get::<_, i64>("laps").pg()?).unwrap_or(0),
        flags: flags
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect(),
        duplicate_of: row.try_get("duplicate_of").pg()?,
        is_primary: row.try_get("is_primary").pg()?,
        file_sha256: row.try_get("sha256").pg()?,
        recording_id: row.try_get("recording_id").pg()?,
        derived_version: unsigned(row.try_get("derived_version").pg()?),
        summary: serde_json::from_str(&summary).unwrap_or_default(),
    })
}

/// A row of `activity_loads` from its second column on.
fn cached_load(r: &Row) -> Result<CachedLoad> {
    Ok(CachedLoad {
        inputs_key: r.try_get(1).pg()?,
        aerobic: r.try_get(2).pg()?,
        aerobic_source: r.try_get(3).pg()?,
        mechanical: r.try_get(4).pg()?,
        detail: r.try_get(5).pg()?,
        zones: r.try_get(6).pg()?,
    })
}

impl PgStore {
    /// Connects to the database at `url` (a libpq connection string or
    /// URL), brings its schema up to date, and keeps originals in
    /// `originals`.
    pub fn open(url: &str, originals: &Path) -> Result<PgStore> {
        let config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Db(DbError {
                kind: DbErrorKind::Other,
                message: format!("the database address {url:?}: {e}"),
            })
        })?;
        PgStore::connect(&config, originals)
    }

    /// The same from a connection configuration.
    pub fn connect(config: &postgres::Config, originals: &Path) -> Result<PgStore> {
        let mut client = config.connect(NoTls).pg()?;
        migrations::migrate(&mut client)?;
        // Everything after the migrations runs as the role that owns no
        // table, so the row-level security holds for every query.
        client.batch_execute("SET ROLE cairn_app").pg()?;
        Ok(PgStore {
            client: RefCell::new(Some(client)),
            statements: RefCell::default(),
            archive: Archive::new(originals),
            own_writes: Cell::new(0),
        })
    }

    /// The server the libpq variables name (`PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE`), as `psql` would find it; `None`
    /// without `PGHOST`.
    pub fn server_from_env() -> Option<postgres::Config> {
        let host = std::env::var("PGHOST").ok()?;
        let mut c = postgres::Config::new();
        c.host(&host);
        if let Some(port) = std::env::var("PGPORT").ok().and_then(|p| p.parse().ok()) {
            c.port(port);
        }
        c.user(std::env::var("PGUSER").as_deref().unwrap_or("postgres"));
        if let Ok(password) = std::env::var("PGPASSWORD") {
            c.password(password);
        }
        c.dbname(std::env::var("PGDATABASE").as_deref().unwrap_or("postgres"));
        Some(c)
    }

    /// The database `name` on `server`, made if it is not there yet.
    pub fn ensure_database(server: &postgres::Config, name: &str) -> Result<postgres::Config> {
        let plain = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !plain || name.is_empty() {
            return Err(StoreError::Db(DbError {
                kind: DbErrorKind::Other,
                message: format!("database name {name:?}: use a-z, 0-9 and _"),
            }));
        }
        let mut admin = server.connect(NoTls).pg()?;
        if let Err(e) = admin.batch_execute(&format!("CREATE DATABASE {name}")) {
            if e.code() != Some(&postgres::error::SqlState::DUPLICATE_DATABASE) {
                return Err(db_error(e));
            }
        }
        let mut config = server.clone();
        config.dbname(name);
        Ok(config)
    }

    /// The athlete a transaction works for, set for it alone (`SET LOCAL`,
    /// never for the session): the row-level security policies show and
    /// take only that athlete's rows, whatever the query says.
    fn as_athlete(tx: &mut Transaction<'_>, athlete: AthleteId) -> Result<()> {
        tx.batch_execute(&format!("SET LOCAL cairn.athlete = '{}'", athlete.0))
            .pg()
    }

    /// A read as the athlete, in a transaction of its own: `BEGIN` and
    /// `SET LOCAL` go in one message, the query is prepared once per
    /// connection, so a read is three round trips.
    fn query(&self, athlete: AthleteId, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let mut client = self.client()?;
        if let Err(e) =
            client.batch_execute(&format!("BEGIN; SET LOCAL cairn.athlete = '{}'", athlete.0))
        {
            let _ = client.batch_execute("ROLLBACK");
            return Err(db_error(e));
        }
        let rows = self
            .prepared(&mut client, sql)
            .and_then(|st| client.query(&st, params).pg());
        match rows {
            Ok(rows) => {
                client.batch_execute("COMMIT").pg()?;
                Ok(rows)
            }
            Err(e) => {
                let _ = client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }

    /// The statement for `sql`, prepared on this connection once.
    fn prepared(&self, client: &mut Client, sql: &str) -> Result<postgres::Statement> {
        let mut statements = self.statements.borrow_mut();
        if let Some(st) = statements.get(sql) {
            return Ok(st.clone());
        }
        let st = client.prepare(sql).pg()?;
        statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }

    fn query_opt(&self, athlete: AthleteId, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        Ok(self.query(athlete, sql, params)?.into_iter().next())
    }

    /// A read of what belongs to no athlete (the athletes' names, the
    /// change counter).
    fn query_global(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let mut client = self.client()?;
        let st = self.prepared(&mut client, sql)?;
        client.query(&st, params).pg()
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        std::cell::RefMut::filter_map(self.client.borrow_mut(), Option::as_mut).map_err(|_| {
            StoreError::Db(DbError {
                kind: DbErrorKind::Other,
                message: "the database connection is closed".into(),
            })
        })
    }

    /// Runs `f` as the athlete in one transaction that counts itself as a
    /// change.
    fn write<T>(
        &self,
        athlete: AthleteId,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_global(|tx| {
            Self::as_athlete(tx, athlete)?;
            f(tx)
        })
    }

    /// The same for what belongs to no athlete (adding one).
    fn write_global<T>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut client = self.client()?;
        let mut tx = client.transaction().pg()?;
        let out = f(&mut tx)?;
        tx.execute("UPDATE archive_changes SET n = n + 1", &[])
            .pg()?;
        tx.commit().pg()?;
        self.own_writes.set(self.own_writes.get() + 1);
        Ok(out)
    }

    /// Fails with "no such activity" unless it is the athlete's.
    fn own(&self, athlete: AthleteId, id: i64) -> Result<()> {
        self.query_opt(
            athlete,
            "SELECT 1 FROM activities WHERE athlete_id = $1 AND id = $2",
            &[&athlete.0, &id],
        )?
        .map(|_| ())
        .ok_or(StoreError::NoSuchActivity(id))
    }
}

/// A write that touched no row named an activity the athlete does not
/// have.
fn touched(rows: u64, id: i64) -> Result<()> {
    if rows == 0 {
        return Err(StoreError::NoSuchActivity(id));
    }
    Ok(())
}

/// One `(id, value)` pair per row.
fn pairs<A, B>(rows: Vec<Row>) -> Result<Vec<(A, B)>>
where
    A: for<'a> postgres::types::FromSql<'a>,
    B: for<'a> postgres::types::FromSql<'a>,
{
    rows.iter()
        .map(|r| Ok((r.try_get(0).pg()?, r.try_get(1).pg()?)))
        .collect()
}

/// Inserts one activity with its laps, samples, facts, curves and page.
fn insert_activity(
    tx: &mut Transaction<'_>,
    athlete: AthleteId,
    file_id: i64,
    multisport_group: Option<i64>,
    a: &NewActivity,
    flags: &[String],
    dup_of: Option<i64>,
) -> Result<i64> {
    let r = &a.record;
    let summary = serde_json::to_string(&r.summary).unwrap_or_else(|_| "{}".into());
    let row = tx
        .query_one(
            "INSERT INTO activities (athlete_id, file_id, session_index, multisport_group, format, sport, original_sport, name, description, gear,
               start_ms, end_ms, utc_offset_s, device, laps, flags, duplicate_of, is_primary, summary, distance_m, moving_s, extra,
               recording_id, derived_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id",
            &[
                &athlete.0,
                &file_id,
                &r.session_index.map(i64::from),
                &multisport_group,
                &r.format,
                &r.sport,
                &r.original_sport,
                &r.name,
                &r.description,
                &r.gear,
                &r.start_ms,
                &r.end_ms,
                &r.utc_offset_s.map(i64::from),
                &r.device,
                &count(a.laps.len()),
                &flags.join(","),
                &dup_of,
                &dup_of.is_none(),
                &summary,
                &r.summary.distance_m,
                &r.summary.moving_s,
                &a.extra_json,
                &r.recording_id,
                &i64::from(r.derived_version),
            ],
        )
        .pg()?;
    let id: i64 = row.try_get(0).pg()?;
    for (i, lap) in a.laps.iter().enumerate() {
        tx.execute(
            "INSERT INTO laps (activity_id, lap_index, start_ms, totals) VALUES ($1, $2, $3, $4)",
            &[
                &id,
                &count(i),
                &lap.start_ms,
                &serde_json::to_string(&lap.totals).unwrap_or_default(),
            ],
        )
        .pg()?;
    }
    let channel = "INSERT INTO sample_channels (activity_id, channel, data) VALUES ($1, $2, $3)";
    tx.execute(channel, &[&id, &"time_ms", &a.time_blob]).pg()?;
    for (name, blob) in &a.channel_blobs {
        tx.execute(channel, &[&id, name, blob]).pg()?;
    }
    if let Some((version, json)) = &a.facts {
        tx.execute(
            "INSERT INTO activity_facts (activity_id, version, facts) VALUES ($1, $2, $3)",
            &[&id, &i64::from(*version), json],
        )
        .pg()?;
    }
    for (kind, version, values) in &a.curves {
        tx.execute(
            "INSERT INTO activity_curves (activity_id, kind, version, data) VALUES ($1, $2, $3, $4)",
            &[&id, kind, &i64::from(*version), &codec::encode_curve(values)],
        )
        .pg()?;
    }
    for (part, data) in &a.page {
        tx.execute(
            "INSERT INTO activity_page (activity_id, part, data) VALUES ($1, $2, $3)",
            &[&id, part, data],
        )
        .pg()?;
    }
    Ok(id)
}

/// Makes `id` the copy that counts among the copies of `old`.
fn promote(tx: &mut Transaction<'_>, athlete: AthleteId, id: i64, old: i64) -> Result<()> {
    tx.execute(
        "UPDATE activities SET duplicate_of = $2, is_primary = FALSE WHERE athlete_id = $1 AND (duplicate_of = $3 OR id = $3) AND id <> $2",
        &[&athlete.0, &id, &old],
    )
    .pg()?;
    tx.execute(
        "UPDATE activities SET duplicate_of = NULL, is_primary = TRUE WHERE athlete_id = $1 AND id = $2",
        &[&athlete.0, &id],
    )
    .pg()?;
    Ok(())
}

impl Store for PgStore {
    fn archive(&self) -> &Archive {
        &self.archive
    }

    fn athlete(&mut self, name: &str) -> Result<AthleteId> {
        if let Some(id) = self.existing_athlete(name)? {
            return Ok(id);
        }
        self.write_global(|tx| {
            tx.execute(
                "INSERT INTO athletes (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
                &[&name],
            )
            .pg()?;
            let row = tx
                .query_one("SELECT id FROM athletes WHERE name = $1", &[&name])
                .pg()?;
            Ok(AthleteId(row.try_get(0).pg()?))
        })
    }

    fn existing_athlete(&self, name: &str) -> Result<Option<AthleteId>> {
        self.query_global("SELECT id FROM athletes WHERE name = $1", &[&name])?
            .first()
            .map(|r| r.try_get(0).pg().map(AthleteId))
            .transpose()
    }

    /// Every athlete's name; the counts and days are of the activities
    /// the row-level security shows without an athlete, none: on a server,
    /// each athlete's numbers are theirs.
    fn athletes_overview(&self) -> Result<Vec<AthleteOverview>> {
        let rows = self.query_global(
            "SELECT t.name, COUNT(a.id), MIN(a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000), MAX(a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000) FROM athletes t LEFT JOIN activities a ON a.athlete_id = t.id AND a.deleted_at_ms IS NULL GROUP BY t.id ORDER BY t.name",
            &[],
        )?;
        let day = |ms: Option<i64>| ms.map(|ms| ms.div_euclid(86_400_000) as i32);
        rows.iter()
            .map(|r| {
                Ok(AthleteOverview {
                    name: r.try_get(0).pg()?,
                    activities: usize::try_from(r.try_get::<_, i64>(1).pg()?).unwrap_or(0),
                    first_day: day(r.try_get(2).pg()?),
                    last_day: day(r.try_get(3).pg()?),
                })
            })
            .collect()
    }

    fn file_by_hash(&self, athlete: AthleteId, sha256: &str) -> Result<Option<i64>> {
        self.query_opt(
            athlete,
            "SELECT id FROM files WHERE athlete_id = $1 AND sha256 = $2",
            &[&athlete.0, &sha256],
        )?
        .map(|r| r.try_get(0).pg())
        .transpose()
    }

    fn file_hashes(&self, athlete: AthleteId) -> Result<HashSet<String>> {
        let rows = self.query(
            athlete,
            "SELECT sha256 FROM files WHERE athlete_id = $1 UNION SELECT content_sha256 FROM files WHERE athlete_id = $1 AND content_sha256 IS NOT NULL",
            &[&athlete.0],
        )?;
        rows.iter().map(|r| r.try_get(0).pg()).collect()
    }

    fn import_file(
        &mut self,
        athlete: AthleteId,
        file: NewFile<'_>,
        activities: Vec<NewActivity>,
        courses: Vec<NewCourse>,
    ) -> Result<FileOutcome> {
        if let Some(file_id) = self.file_by_hash(athlete, &file.sha256)? {
            return Ok(FileOutcome::AlreadyImported { file_id });
        }
        let archive = self.archive.clone();
        self.write(athlete, |tx| {
            // One import at a time per athlete: the file and its duplicates
            // are looked for under the lock.
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&athlete.0])
                .pg()?;
            let known = tx
                .query_opt(
                    "SELECT id FROM files WHERE athlete_id = $1 AND (sha256 = $2 OR content_sha256 = $2 OR sha256 = $3 OR content_sha256 = $3)",
                    &[&athlete.0, &file.sha256, &file.content_sha256.as_deref().unwrap_or(&file.sha256)],
                )
                .pg()?;
            if let Some(r) = known {
                return Ok(FileOutcome::AlreadyImported {
                    file_id: r.try_get(0).pg()?,
                });
            }
            archive.put(&file.sha256, file.bytes)?;
            let row = tx
                .query_one(
                    "INSERT INTO files (athlete_id, sha256, size_bytes, source, format, imported_at_ms, warnings, content_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[
                        &athlete.0,
                        &file.sha256,
                        &count(file.bytes.len()),
                        &file.source,
                        &file.format,
                        &file.imported_at_ms,
                        &serde_json::to_string(&file.warnings).unwrap_or_else(|_| "[]".into()),
                        &file.content_sha256,
                    ],
                )
                .pg()?;
            let file_id: i64 = row.try_get(0).pg()?;
            let multisport = activities.len() > 1
                && activities.iter().any(|a| a.record.session_index.is_some());
            let mut ids = Vec::with_capacity(activities.len());
            let mut found = Vec::new();
            for a in &activities {
                let r = &a.record;
                let mut dup_of: Option<i64> = match &r.recording_id {
                    Some(rec) => tx
                        .query_opt(
                            "SELECT id FROM activities WHERE athlete_id = $1 AND recording_id = $2 AND is_primary AND deleted_at_ms IS NULL AND file_id <> $3 ORDER BY id LIMIT 1",
                            &[&athlete.0, rec, &file_id],
                        )
                        .pg()?
                        .map(|row| row.try_get(0).pg())
                        .transpose()?,
                    None => None,
                };
                if dup_of.is_none() {
                    let rows = tx
                        .query(
                            "SELECT id, start_ms, end_ms, sport FROM activities WHERE athlete_id = $1 AND is_primary AND deleted_at_ms IS NULL AND start_ms < $3 AND start_ms > $2::bigint - $5::bigint AND end_ms > $2 AND file_id <> $4 ORDER BY athlete_id, start_ms, id",
                            &[&athlete.0, &r.start_ms, &r.end_ms, &file_id, &duplicates::SEARCH_BACK_MS],
                        )
                        .pg()?;
                    let candidates: Vec<(i64, i64, i64, String)> = rows
                        .iter()
                        .map(|row| {
                            Ok((
                                row.try_get(0).pg()?,
                                row.try_get(1).pg()?,
                                row.try_get(2).pg()?,
                                row.try_get(3).pg()?,
                            ))
                        })
                        .collect::<Result<_>>()?;
                    dup_of = duplicates::probable_duplicate_of(r, &candidates);
                }
                let flags = duplicates::flags_with(&r.flags, dup_of);
                let id = insert_activity(
                    tx,
                    athlete,
                    file_id,
                    multisport.then_some(file_id),
                    a,
                    &flags,
                    dup_of,
                )?;
                if let Some(d) = dup_of {
                    found.push((id, d));
                }
                ids.push(id);
            }
            let mut course_ids = Vec::with_capacity(courses.len());
            for c in &courses {
                let row = tx
                    .query_one(
                        "INSERT INTO courses (athlete_id, file_id, name, format, points, distance_m, lat_deg, lon_deg, altitude_m) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                        &[&athlete.0, &file_id, &c.name, &c.format, &count(c.points), &c.distance_m, &c.lat_blob, &c.lon_blob, &c.altitude_blob],
                    )
                    .pg()?;
                course_ids.push(row.try_get(0).pg()?);
            }
            let name: String = tx
                .query_one("SELECT name FROM athletes WHERE id = $1", &[&athlete.0])
                .pg()?
                .try_get(0)
                .pg()?;
            if !file.journaled {
                archive.record(&JournalEntry {
                    sha256: file.sha256.clone(),
                    athlete: name,
                    source: file.source.clone(),
                    format: file.format.clone(),
                    imported_at_ms: file.imported_at_ms,
                    export_meta: file.export_meta.clone(),
                })?;
            }
            Ok(FileOutcome::Imported {
                file_id,
                activity_ids: ids,
                course_ids,
                duplicates: found,
            })
        })
    }

    fn courses(&self, athlete: AthleteId) -> Result<Vec<CourseRecord>> {
        let rows = self.query(
            athlete,
            "SELECT c.id, c.name, f.source, c.format, c.points, c.distance_m FROM courses c JOIN files f ON f.id = c.file_id WHERE c.athlete_id = $1 ORDER BY c.id",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CourseRecord {
                    id: r.try_get(0).pg()?,
                    name: r.try_get(1).pg()?,
                    source: r.try_get(2).pg()?,
                    format: r.try_get(3).pg()?,
                    points: usize::try_from(r.try_get::<_, i64>(4).pg()?).unwrap_or(0),
                    distance_m: r.try_get(5).pg()?,
                })
            })
            .collect()
    }

    fn activities(
        &self,
        athlete: AthleteId,
        filter: &ActivityFilter,
    ) -> Result<Vec<ActivityRecord>> {
        let sql = format!(
            "{SELECT} WHERE a.athlete_id = $1 AND (cardinality($2::text[]) = 0 OR a.sport = ANY($2)) AND ($3::bigint IS NULL OR a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000 >= $3) AND ($4::bigint IS NULL OR a.start_ms + COALESCE(a.utc_offset_s, 0) * 1000 < $4) AND ($5 OR a.deleted_at_ms IS NULL) ORDER BY a.start_ms, a.id"
        );
        let rows = self.query(
            athlete,
            &sql,
            &[
                &athlete.0,
                &filter.sports,
                &filter.from_ms,
                &filter.to_ms,
                &filter.include_deleted,
            ],
        )?;
        rows.iter().map(record_from_row).collect()
    }

    fn activity(&self, athlete: AthleteId, id: i64) -> Result<ActivityRecord> {
        let sql = format!("{SELECT} WHERE a.athlete_id = $1 AND a.id = $2");
        match self.query_opt(athlete, &sql, &[&athlete.0, &id])? {
            Some(r) => record_from_row(&r),
            None => Err(StoreError::NoSuchActivity(id)),
        }
    }

    fn laps(&self, athlete: AthleteId, id: i64) -> Result<Vec<Lap>> {
        self.own(athlete, id)?;
        let rows = self.query(
            athlete,
            "SELECT start_ms, totals FROM laps WHERE activity_id = $1 ORDER BY lap_index",
            &[&id],
        )?;
        rows.iter()
            .map(|r| {
                let totals: String = r.try_get(1).pg()?;
                Ok(Lap {
                    start_ms: r.try_get(0).pg()?,
                    totals: serde_json::from_str(&totals).unwrap_or_default(),
                })
            })
            .collect()
    }

    fn samples(&self, athlete: AthleteId, id: i64) -> Result<Samples> {
        codec::decode_samples(&self.sample_blobs(athlete, id)?)
    }

    fn page_data(
        &self,
        athlete: AthleteId,
        id: i64,
    ) -> Result<Option<cairn_core::derived::PageData>> {
        self.own(athlete, id)?;
        let parts: Vec<(String, Vec<u8>)> = pairs(self.query(
            athlete,
            "SELECT part, data FROM activity_page WHERE activity_id = $1",
            &[&id],
        )?)?;
        if parts.is_empty() {
            return Ok(None);
        }
        codec::decode_page(&parts)
            .map(Some)
            .map_err(|e| StoreError::Codec(format!("activity {id}: {e}")))
    }

    fn update_derived(
        &mut self,
        athlete: AthleteId,
        id: i64,
        update: &DerivedUpdate,
    ) -> Result<()> {
        self.write(athlete, |tx| {
            touched(tx
                .execute(
                    "UPDATE activities SET summary = $3, distance_m = $4, moving_s = $5, derived_version = $6,
                       sport = COALESCE($7, sport), sport_edited = sport_edited OR $7::text IS NOT NULL
                     WHERE athlete_id = $1 AND id = $2",
                    &[
                        &athlete.0,
                        &id,
                        &serde_json::to_string(&update.summary).unwrap_or_else(|_| "{}".into()),
                        &update.summary.distance_m,
                        &update.summary.moving_s,
                        &i64::from(update.derived_version),
                        &update.sport,
                    ],
                )
                .pg()?, id)?;
            tx.execute(
                "INSERT INTO activity_facts (activity_id, version, facts) VALUES ($1, $2, $3) ON CONFLICT (activity_id) DO UPDATE SET version = excluded.version, facts = excluded.facts",
                &[&id, &i64::from(update.facts.0), &update.facts.1],
            )
            .pg()?;
            tx.execute("DELETE FROM activity_curves WHERE activity_id = $1", &[&id])
                .pg()?;
            for (kind, version, values) in &update.curves {
                tx.execute(
                    "INSERT INTO activity_curves (activity_id, kind, version, data) VALUES ($1, $2, $3, $4)",
                    &[&id, kind, &i64::from(*version), &codec::encode_curve(values)],
                )
                .pg()?;
            }
            tx.execute("DELETE FROM activity_page WHERE activity_id = $1", &[&id])
                .pg()?;
            for (part, data) in &update.page {
                tx.execute(
                    "INSERT INTO activity_page (activity_id, part, data) VALUES ($1, $2, $3)",
                    &[&id, part, data],
                )
                .pg()?;
            }
            Ok(())
        })
    }

    fn stale_derived(&self, athlete: AthleteId, version: u32) -> Result<Vec<i64>> {
        let rows = self.query(
            athlete,
            "SELECT id FROM activities WHERE athlete_id = $1 AND derived_version < $2 ORDER BY id",
            &[&athlete.0, &i64::from(version)],
        )?;
        rows.iter().map(|r| r.try_get(0).pg()).collect()
    }

    fn set_details(
        &mut self,
        athlete: AthleteId,
        id: i64,
        name: Option<&str>,
        description: Option<&str>,
        gear: Option<&str>,
    ) -> Result<()> {
        self.write(athlete, |tx| {
            touched(tx
                .execute(
                    "UPDATE activities SET name = COALESCE($3, name), description = COALESCE($4, description), gear = COALESCE($5, gear) WHERE athlete_id = $1 AND id = $2",
                    &[&athlete.0, &id, &name, &description, &gear],
                )
                .pg()?, id)?;
            Ok(())
        })
    }

    fn make_primary(&mut self, athlete: AthleteId, id: i64) -> Result<()> {
        let a = self.activity(athlete, id)?;
        let Some(old) = a.duplicate_of else {
            return Ok(());
        };
        self.write(athlete, |tx| promote(tx, athlete, id, old))
    }

    fn set_own_text(
        &mut self,
        athlete: AthleteId,
        id: i64,
        name: Option<Option<&str>>,
        note: Option<Option<&str>>,
    ) -> Result<()> {
        self.own(athlete, id)?;
        self.write(athlete, |tx| {
            if let Some(name) = name {
                tx.execute(
                    "UPDATE activities SET own_name = $3 WHERE athlete_id = $1 AND id = $2",
                    &[&athlete.0, &id, &name],
                )
                .pg()?;
            }
            if let Some(note) = note {
                tx.execute(
                    "UPDATE activities SET own_note = $3 WHERE athlete_id = $1 AND id = $2",
                    &[&athlete.0, &id, &note],
                )
                .pg()?;
            }
            Ok(())
        })
    }

    fn delete_activity(&mut self, athlete: AthleteId, id: i64, at_ms: i64) -> Result<Option<i64>> {
        let a = self.activity(athlete, id)?;
        self.write(athlete, |tx| {
            let mut promoted = None;
            if a.is_primary {
                // The copy that counts goes: the oldest remaining copy
                // counts instead, and every copy (this one too) points at it.
                promoted = tx
                    .query_opt(
                        "SELECT id FROM activities WHERE athlete_id = $1 AND duplicate_of = $2 AND deleted_at_ms IS NULL ORDER BY id LIMIT 1",
                        &[&athlete.0, &id],
                    )
                    .pg()?
                    .map(|r| r.try_get::<_, i64>(0).pg())
                    .transpose()?;
                if let Some(p) = promoted {
                    promote(tx, athlete, p, id)?;
                }
            }
            tx.execute(
                "UPDATE activities SET deleted_at_ms = $3 WHERE athlete_id = $1 AND id = $2",
                &[&athlete.0, &id, &at_ms],
            )
            .pg()?;
            Ok(promoted)
        })
    }

    fn restore_activity(&mut self, athlete: AthleteId, id: i64) -> Result<()> {
        self.write(athlete, |tx| {
            touched(
                tx.execute(
                    "UPDATE activities SET deleted_at_ms = NULL WHERE athlete_id = $1 AND id = $2",
                    &[&athlete.0, &id],
                )
                .pg()?,
                id,
            )?;
            Ok(())
        })
    }

    fn original_file(&self, athlete: AthleteId, id: i64) -> Result<Vec<u8>> {
        let a = self.activity(athlete, id)?;
        self.archive.get(&a.file_sha256)
    }

    fn activity_extra(&self, athlete: AthleteId, id: i64) -> Result<String> {
        self.query_opt(
            athlete,
            "SELECT extra FROM activities WHERE athlete_id = $1 AND id = $2",
            &[&athlete.0, &id],
        )?
        .map(|r| r.try_get(0).pg())
        .transpose()?
        .ok_or(StoreError::NoSuchActivity(id))
    }

    fn sample_blobs(&self, athlete: AthleteId, id: i64) -> Result<Vec<(String, Vec<u8>)>> {
        self.own(athlete, id)?;
        pairs(self.query(
            athlete,
            "SELECT channel, data FROM sample_channels WHERE activity_id = $1",
            &[&id],
        )?)
    }

    fn profile_entries(&self, athlete: AthleteId) -> Result<Vec<ProfileEntry>> {
        let rows = self.query(
            athlete,
            "SELECT key, value, from_day FROM profile_entries WHERE athlete_id = $1 ORDER BY key, from_day NULLS FIRST",
            &[&athlete.0],
        )?;
        let mut out = Vec::new();
        for r in &rows {
            let key: String = r.try_get(0).pg()?;
            if let Some(key) = ProfileKey::from_id(&key) {
                out.push(ProfileEntry {
                    key,
                    value: r.try_get(1).pg()?,
                    from_day: r.try_get(2).pg()?,
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
        self.write(athlete, |tx| {
            tx.execute(
                "DELETE FROM profile_entries WHERE athlete_id = $1 AND key = $2 AND COALESCE(from_day, -2147483648) = COALESCE($3, -2147483648)",
                &[&athlete.0, &e.key.id(), &e.from_day],
            )
            .pg()?;
            tx.execute(
                "INSERT INTO profile_entries (athlete_id, key, value, from_day, set_at_ms) VALUES ($1, $2, $3, $4, $5)",
                &[&athlete.0, &e.key.id(), &e.value, &e.from_day, &set_at_ms],
            )
            .pg()?;
            Ok(())
        })
    }

    fn notes(&self, athlete: AthleteId) -> Result<HashMap<i64, StoredNotes>> {
        let rows = self.query(
            athlete,
            "SELECT n.activity_id, n.rpe, n.pack_kg, n.temp_c, n.dew_point_c FROM session_notes n JOIN activities a ON a.id = n.activity_id WHERE a.athlete_id = $1",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0).pg()?,
                    StoredNotes {
                        rpe: r.try_get(1).pg()?,
                        pack_kg: r.try_get(2).pg()?,
                        temp_c: r.try_get(3).pg()?,
                        dew_point_c: r.try_get(4).pg()?,
                    },
                ))
            })
            .collect()
    }

    /// `others` counts the write transactions of every other connection
    /// (the archive's counter less this store's own), `own` this store's.
    fn change_stamp(&self) -> Result<ChangeStamp> {
        let n: i64 = self
            .query_global("SELECT n FROM archive_changes", &[])?
            .first()
            .map(|r| r.try_get(0).pg())
            .transpose()?
            .unwrap_or(0);
        let own = self.own_writes.get();
        Ok(ChangeStamp {
            others: n - i64::try_from(own).unwrap_or(i64::MAX),
            own,
        })
    }

    fn set_notes(
        &mut self,
        athlete: AthleteId,
        id: i64,
        rpe: Option<f64>,
        pack_kg: Option<f64>,
    ) -> Result<()> {
        self.own(athlete, id)?;
        self.write(athlete, |tx| {
            tx.execute(
                "INSERT INTO session_notes (activity_id, rpe, pack_kg) VALUES ($1, $2, $3)
                 ON CONFLICT (activity_id) DO UPDATE SET rpe = COALESCE($2, session_notes.rpe), pack_kg = COALESCE($3, session_notes.pack_kg)",
                &[&id, &rpe, &pack_kg],
            )
            .pg()?;
            Ok(())
        })
    }

    fn set_conditions(
        &mut self,
        athlete: AthleteId,
        id: i64,
        temp_c: Option<f64>,
        dew_point_c: Option<f64>,
    ) -> Result<()> {
        self.own(athlete, id)?;
        self.write(athlete, |tx| {
            tx.execute(
                "INSERT INTO session_notes (activity_id, temp_c, dew_point_c) VALUES ($1, $2, $3)
                 ON CONFLICT (activity_id) DO UPDATE SET temp_c = COALESCE($2, session_notes.temp_c), dew_point_c = COALESCE($3, session_notes.dew_point_c)",
                &[&id, &temp_c, &dew_point_c],
            )
            .pg()?;
            Ok(())
        })
    }

    fn stays(&self, athlete: AthleteId) -> Result<Vec<Stay>> {
        let rows = self.query(
            athlete,
            "SELECT id, from_day, to_day, altitude_m, sleep_altitude_m, note FROM stays WHERE athlete_id = $1 ORDER BY from_day",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Stay {
                    id: r.try_get(0).pg()?,
                    from_day: r.try_get(1).pg()?,
                    to_day: r.try_get(2).pg()?,
                    altitude_m: r.try_get(3).pg()?,
                    sleep_altitude_m: r.try_get(4).pg()?,
                    note: r.try_get(5).pg()?,
                })
            })
            .collect()
    }

    fn add_stay(&mut self, athlete: AthleteId, stay: &Stay) -> Result<i64> {
        self.write(athlete, |tx| {
            tx.query_one(
                "INSERT INTO stays (athlete_id, from_day, to_day, altitude_m, sleep_altitude_m, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[&athlete.0, &stay.from_day, &stay.to_day, &stay.altitude_m, &stay.sleep_altitude_m, &stay.note],
            )
            .pg()?
            .try_get(0)
            .pg()
        })
    }

    fn remove_stay(&mut self, athlete: AthleteId, id: i64) -> Result<bool> {
        self.write(athlete, |tx| {
            let n = tx
                .execute(
                    "DELETE FROM stays WHERE athlete_id = $1 AND id = $2",
                    &[&athlete.0, &id],
                )
                .pg()?;
            Ok(n > 0)
        })
    }

    fn weather(&self, athlete: AthleteId) -> Result<Vec<WeatherRow>> {
        let rows = self.query(
            athlete,
            "SELECT day, place, temp_c, dew_point_c FROM weather WHERE athlete_id = $1 ORDER BY day, place",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                Ok(WeatherRow {
                    day: r.try_get(0).pg()?,
                    place: r.try_get(1).pg()?,
                    temp_c: r.try_get(2).pg()?,
                    dew_point_c: r.try_get(3).pg()?,
                })
            })
            .collect()
    }

    fn put_weather(&mut self, athlete: AthleteId, rows: &[WeatherRow]) -> Result<()> {
        self.write(athlete, |tx| {
            for w in rows {
                tx.execute(
                    "INSERT INTO weather (athlete_id, day, place, temp_c, dew_point_c) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (athlete_id, day, place) DO UPDATE SET temp_c = excluded.temp_c, dew_point_c = excluded.dew_point_c",
                    &[&athlete.0, &w.day, &w.place, &w.temp_c, &w.dew_point_c],
                )
                .pg()?;
            }
            Ok(())
        })
    }

    fn curves(&self, athlete: AthleteId, kind: &str) -> Result<Vec<StoredCurve>> {
        let rows = self.query(
            athlete,
            "SELECT c.activity_id, c.version, c.data FROM activity_curves c JOIN activities a ON a.id = c.activity_id WHERE a.athlete_id = $1 AND c.kind = $2",
            &[&athlete.0, &kind],
        )?;
        rows.iter()
            .map(|r| {
                let data: Vec<u8> = r.try_get(2).pg()?;
                Ok((
                    r.try_get(0).pg()?,
                    unsigned(r.try_get(1).pg()?),
                    codec::decode_curve(&data),
                ))
            })
            .collect()
    }

    fn put_curves(
        &mut self,
        athlete: AthleteId,
        curves: &[(i64, String, u32, Vec<Option<f64>>)],
    ) -> Result<()> {
        self.write(athlete, |tx| {
            for (id, kind, version, values) in curves {
                // Written only for the athlete's own activity.
                touched(tx
                    .execute(
                        "INSERT INTO activity_curves (activity_id, kind, version, data) SELECT id, $2, $3, $4 FROM activities WHERE id = $1 AND athlete_id = $5
                         ON CONFLICT (activity_id, kind) DO UPDATE SET version = excluded.version, data = excluded.data",
                        &[id, kind, &i64::from(*version), &codec::encode_curve(values), &athlete.0],
                    )
                    .pg()?, *id)?;
            }
            Ok(())
        })
    }

    fn fact_versions(&self, athlete: AthleteId) -> Result<HashMap<i64, u32>> {
        let rows = self.query(
            athlete,
            "SELECT f.activity_id, f.version FROM activity_facts f JOIN activities a ON a.id = f.activity_id WHERE a.athlete_id = $1",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0).pg()?, unsigned(r.try_get(1).pg()?))))
            .collect()
    }

    fn facts(&self, athlete: AthleteId) -> Result<HashMap<i64, (u32, String)>> {
        let rows = self.query(
            athlete,
            "SELECT f.activity_id, f.version, f.facts FROM activity_facts f JOIN activities a ON a.id = f.activity_id WHERE a.athlete_id = $1",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0).pg()?,
                    (unsigned(r.try_get(1).pg()?), r.try_get(2).pg()?),
                ))
            })
            .collect()
    }

    fn put_facts(&mut self, athlete: AthleteId, facts: &[(i64, u32, String)]) -> Result<()> {
        self.write(athlete, |tx| {
            for (id, version, json) in facts {
                touched(tx
                    .execute(
                        "INSERT INTO activity_facts (activity_id, version, facts) SELECT id, $2, $3 FROM activities WHERE id = $1 AND athlete_id = $4
                         ON CONFLICT (activity_id) DO UPDATE SET version = excluded.version, facts = excluded.facts",
                        &[id, &i64::from(*version), json, &athlete.0],
                    )
                    .pg()?, *id)?;
            }
            Ok(())
        })
    }

    fn loads(&self, athlete: AthleteId) -> Result<HashMap<i64, CachedLoad>> {
        let rows = self.query(
            athlete,
            "SELECT l.activity_id, l.inputs_key, l.aerobic, l.aerobic_source, l.mechanical, l.detail, l.zones FROM activity_loads l JOIN activities a ON a.id = l.activity_id WHERE a.athlete_id = $1",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0).pg()?, cached_load(r)?)))
            .collect()
    }

    fn load(&self, athlete: AthleteId, id: i64) -> Result<Option<CachedLoad>> {
        self.query_opt(
            athlete,
            "SELECT l.activity_id, l.inputs_key, l.aerobic, l.aerobic_source, l.mechanical, l.detail, l.zones FROM activity_loads l JOIN activities a ON a.id = l.activity_id WHERE a.athlete_id = $1 AND l.activity_id = $2",
            &[&athlete.0, &id],
        )?
        .map(|r| cached_load(&r))
        .transpose()
    }

    fn put_loads(&mut self, athlete: AthleteId, loads: &[(i64, CachedLoad)]) -> Result<()> {
        self.write(athlete, |tx| {
            for (id, l) in loads {
                // Never a NaN or infinity in the store.
                let aerobic = l.aerobic.filter(|v| v.is_finite());
                let mechanical = if l.mechanical.is_finite() {
                    l.mechanical
                } else {
                    0.0
                };
                touched(tx
                    .execute(
                        "INSERT INTO activity_loads (activity_id, inputs_key, aerobic, aerobic_source, mechanical, detail, zones) SELECT id, $2, $3, $4, $5, $6, $7 FROM activities WHERE id = $1 AND athlete_id = $8
                         ON CONFLICT (activity_id) DO UPDATE SET inputs_key = excluded.inputs_key, aerobic = excluded.aerobic, aerobic_source = excluded.aerobic_source, mechanical = excluded.mechanical, detail = excluded.detail, zones = excluded.zones",
                        &[id, &l.inputs_key, &aerobic, &l.aerobic_source, &mechanical, &l.detail, &l.zones, &athlete.0],
                    )
                    .pg()?, *id)?;
            }
            Ok(())
        })
    }

    fn setting(&self, athlete: AthleteId, key: &str) -> Result<Option<String>> {
        self.query_opt(
            athlete,
            "SELECT value FROM settings WHERE athlete_id = $1 AND key = $2",
            &[&athlete.0, &key],
        )?
        .map(|r| r.try_get(0).pg())
        .transpose()
    }

    fn set_setting(&mut self, athlete: AthleteId, key: &str, value: &str) -> Result<()> {
        self.write(athlete, |tx| {
            tx.execute(
                "INSERT INTO settings (athlete_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (athlete_id, key) DO UPDATE SET value = excluded.value",
                &[&athlete.0, &key, &value],
            )
            .pg()?;
            Ok(())
        })
    }

    fn plans(&self, athlete: AthleteId) -> Result<Vec<(i64, bool, String)>> {
        let rows = self.query(
            athlete,
            "SELECT id, active, plan FROM plans WHERE athlete_id = $1 ORDER BY id DESC",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0).pg()?, r.try_get(1).pg()?, r.try_get(2).pg()?)))
            .collect()
    }

    fn add_plan(&mut self, athlete: AthleteId, created_day: i32, json: &str) -> Result<i64> {
        self.write(athlete, |tx| {
            tx.execute(
                "UPDATE plans SET active = FALSE WHERE athlete_id = $1",
                &[&athlete.0],
            )
            .pg()?;
            tx.query_one(
                "INSERT INTO plans (athlete_id, created_day, active, plan) VALUES ($1, $2, TRUE, $3) RETURNING id",
                &[&athlete.0, &created_day, &json],
            )
            .pg()?
            .try_get(0)
            .pg()
        })
    }

    fn set_active_plan(&mut self, athlete: AthleteId, id: Option<i64>) -> Result<bool> {
        self.write(athlete, |tx| {
            if let Some(id) = id {
                let held = tx
                    .query_opt(
                        "SELECT 1 FROM plans WHERE athlete_id = $1 AND id = $2",
                        &[&athlete.0, &id],
                    )
                    .pg()?;
                if held.is_none() {
                    return Ok(false);
                }
            }
            tx.execute(
                "UPDATE plans SET active = (id IS NOT DISTINCT FROM $2) WHERE athlete_id = $1",
                &[&athlete.0, &id],
            )
            .pg()?;
            Ok(true)
        })
    }

    fn update_plan(&mut self, athlete: AthleteId, id: i64, json: &str) -> Result<()> {
        self.write(athlete, |tx| {
            tx.execute(
                "UPDATE plans SET plan = $3 WHERE athlete_id = $1 AND id = $2",
                &[&athlete.0, &id, &json],
            )
            .pg()?;
            Ok(())
        })
    }

    fn gear(&self, athlete: AthleteId) -> Result<Vec<GearItem>> {
        let rows = self.query(
            athlete,
            "SELECT id, name, kind, default_for, from_day, retired_day, retire_at_m, initial_distance_m FROM gear WHERE athlete_id = $1 ORDER BY lower(name)",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(2).pg()?;
                let default_for: String = r.try_get(3).pg()?;
                Ok(GearItem {
                    id: r.try_get(0).pg()?,
                    name: r.try_get(1).pg()?,
                    kind: GearKind::from_id(&kind).unwrap_or(GearKind::Other),
                    default_for: default_for
                        .split(',')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect(),
                    from_day: r.try_get(4).pg()?,
                    retired_day: r.try_get(5).pg()?,
                    retire_at_m: r.try_get(6).pg()?,
                    initial_distance_m: r.try_get(7).pg()?,
                })
            })
            .collect()
    }

    fn put_gear(&mut self, athlete: AthleteId, item: &GearItem) -> Result<i64> {
        let taken = self.query_opt(
            athlete,
            "SELECT id FROM gear WHERE athlete_id = $1 AND lower(name) = lower($2) AND id <> $3",
            &[&athlete.0, &item.name, &item.id],
        )?;
        if taken.is_some() {
            return Err(StoreError::GearNameTaken(item.name.clone()));
        }
        let default_for = item.default_for.join(",");
        self.write(athlete, |tx| {
            if item.id == 0 {
                tx.query_one(
                    "INSERT INTO gear (athlete_id, name, kind, default_for, from_day, retired_day, retire_at_m, initial_distance_m) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    &[&athlete.0, &item.name, &item.kind.id(), &default_for, &item.from_day, &item.retired_day, &item.retire_at_m, &item.initial_distance_m],
                )
                .pg()?
                .try_get(0)
                .pg()
            } else {
                tx.execute(
                    "UPDATE gear SET name = $2, kind = $3, default_for = $4, from_day = $5, retired_day = $6, retire_at_m = $7, initial_distance_m = $8 WHERE athlete_id = $1 AND id = $9",
                    &[&athlete.0, &item.name, &item.kind.id(), &default_for, &item.from_day, &item.retired_day, &item.retire_at_m, &item.initial_distance_m, &item.id],
                )
                .pg()?;
                Ok(item.id)
            }
        })
    }

    fn splits(&self, athlete: AthleteId) -> Result<Vec<SplitRule>> {
        let rows = self.query(
            athlete,
            "SELECT file_sha256, session_index, at_ms, sport_after FROM activity_splits WHERE athlete_id = $1 ORDER BY file_sha256, session_index, at_ms",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                let session: i64 = r.try_get(1).pg()?;
                let sport: String = r.try_get(3).pg()?;
                Ok(SplitRule {
                    file_sha256: r.try_get(0).pg()?,
                    session_index: u32::try_from(session).ok(),
                    at_ms: r.try_get(2).pg()?,
                    sport_after: Sport::from_id(&sport).unwrap_or(Sport::Other),
                })
            })
            .collect()
    }

    fn add_splits(&mut self, athlete: AthleteId, rules: &[SplitRule]) -> Result<()> {
        self.write(athlete, |tx| {
            for r in rules {
                tx.execute(
                    "INSERT INTO activity_splits (athlete_id, file_sha256, session_index, at_ms, sport_after) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (athlete_id, file_sha256, session_index, at_ms) DO UPDATE SET sport_after = excluded.sport_after",
                    &[&athlete.0, &r.file_sha256, &r.session_index.map_or(-1, i64::from), &r.at_ms, &r.sport_after.id()],
                )
                .pg()?;
            }
            Ok(())
        })
    }

    fn rederive_session(
        &mut self,
        athlete: AthleteId,
        file_sha256: &str,
        session_index: Option<u32>,
        rules: &[SplitRule],
        activities: Vec<NewActivity>,
    ) -> Result<Vec<i64>> {
        if activities.is_empty() {
            return Err(StoreError::Codec(format!(
                "deriving file {file_sha256} again gave no activity for its session: nothing was changed"
            )));
        }
        let session = session_index.map_or(-1, i64::from);
        self.write(athlete, |tx| {
            rederive(tx, athlete, file_sha256, session, rules, activities)
        })
    }

    fn sync_seen(&self, athlete: AthleteId) -> Result<HashMap<String, (u64, i64)>> {
        let rows = self.query(
            athlete,
            "SELECT path, size_bytes, modified_ms FROM sync_seen WHERE athlete_id = $1",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                let size: i64 = r.try_get(1).pg()?;
                Ok((
                    r.try_get(0).pg()?,
                    (u64::try_from(size).unwrap_or(0), r.try_get(2).pg()?),
                ))
            })
            .collect()
    }

    fn mark_sync_seen(&mut self, athlete: AthleteId, files: &[(String, u64, i64)]) -> Result<()> {
        self.write(athlete, |tx| {
            for (path, size, modified) in files {
                tx.execute(
                    "INSERT INTO sync_seen (athlete_id, path, size_bytes, modified_ms) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (athlete_id, path) DO UPDATE SET size_bytes = excluded.size_bytes, modified_ms = excluded.modified_ms",
                    &[&athlete.0, path, &i64::try_from(*size).unwrap_or(i64::MAX), modified],
                )
                .pg()?;
            }
            Ok(())
        })
    }

    fn gear_assignments(&self, athlete: AthleteId) -> Result<HashMap<i64, Assignment>> {
        let rows = self.query(
            athlete,
            "SELECT g.activity_id, g.gear_id FROM activity_gear g JOIN activities a ON a.id = g.activity_id WHERE a.athlete_id = $1",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                let gear: Option<i64> = r.try_get(1).pg()?;
                Ok((
                    r.try_get(0).pg()?,
                    gear.map_or(Assignment::NoGear, Assignment::Gear),
                ))
            })
            .collect()
    }

    fn assign_gear(
        &mut self,
        athlete: AthleteId,
        activities: &[i64],
        assignment: Option<Assignment>,
    ) -> Result<()> {
        for id in activities {
            self.own(athlete, *id)?;
        }
        self.write(athlete, |tx| {
            for id in activities {
                match assignment {
                    None => tx
                        .execute("DELETE FROM activity_gear WHERE activity_id = $1", &[id])
                        .pg()?,
                    Some(a) => {
                        let gear = match a {
                            Assignment::Gear(g) => Some(g),
                            Assignment::NoGear => None,
                        };
                        tx.execute(
                            "INSERT INTO activity_gear (activity_id, gear_id) VALUES ($1, $2) ON CONFLICT (activity_id) DO UPDATE SET gear_id = excluded.gear_id",
                            &[id, &gear],
                        )
                        .pg()?
                    }
                };
            }
            Ok(())
        })
    }

    fn feel_log(&self, athlete: AthleteId) -> Result<Vec<Feel>> {
        let rows = self.query(
            athlete,
            "SELECT day, fatigue, soreness, sleep, ill, note FROM feel_log WHERE athlete_id = $1 ORDER BY day",
            &[&athlete.0],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Feel {
                    day: r.try_get(0).pg()?,
                    fatigue: score(r.try_get(1).pg()?),
                    soreness: score(r.try_get(2).pg()?),
                    sleep: score(r.try_get(3).pg()?),
                    ill: r.try_get(4).pg()?,
                    note: r.try_get(5).pg()?,
                })
            })
            .collect()
    }

    fn put_feel(&mut self, athlete: AthleteId, f: &Feel) -> Result<()> {
        self.write(athlete, |tx| {
            tx.execute(
                "INSERT INTO feel_log (athlete_id, day, fatigue, soreness, sleep, ill, note) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (athlete_id, day) DO UPDATE SET fatigue = excluded.fatigue, soreness = excluded.soreness, sleep = excluded.sleep, ill = excluded.ill, note = excluded.note",
                &[&athlete.0, &f.day, &f.fatigue.map(i64::from), &f.soreness.map(i64::from), &f.sleep.map(i64::from), &f.ill, &f.note],
            )
            .pg()?;
            Ok(())
        })
    }
}

/// A row the session had before it was derived again.
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

/// The session's activities replaced by `activities`, the athlete's own
/// words, notes and gear handed to the first part of each old activity,
/// and copies pointing at an old row pointed at its heir.
fn rederive(
    tx: &mut Transaction<'_>,
    athlete: AthleteId,
    file_sha256: &str,
    session: i64,
    rules: &[SplitRule],
    activities: Vec<NewActivity>,
) -> Result<Vec<i64>> {
    let file_id: i64 = tx
        .query_one(
            "SELECT id FROM files WHERE athlete_id = $1 AND sha256 = $2",
            &[&athlete.0, &file_sha256],
        )
        .pg()?
        .try_get(0)
        .pg()?;
    let old: Vec<Old> = tx
        .query(
            "SELECT id, start_ms, end_ms, multisport_group, own_name, own_note, deleted_at_ms, name, description, gear, duplicate_of
             FROM activities WHERE athlete_id = $1 AND file_id = $2 AND COALESCE(session_index, -1) = $3 ORDER BY start_ms, id",
            &[&athlete.0, &file_id, &session],
        )
        .pg()?
        .iter()
        .map(|r| {
            Ok(Old {
                id: r.try_get(0).pg()?,
                start_ms: r.try_get(1).pg()?,
                end_ms: r.try_get(2).pg()?,
                group: r.try_get(3).pg()?,
                own_name: r.try_get(4).pg()?,
                own_note: r.try_get(5).pg()?,
                deleted_at_ms: r.try_get(6).pg()?,
                name: r.try_get(7).pg()?,
                description: r.try_get(8).pg()?,
                gear: r.try_get(9).pg()?,
                duplicate_of: r.try_get(10).pg()?,
            })
        })
        .collect::<Result<_>>()?;
    let Some(first_old) = old.first() else {
        return Err(StoreError::NoSuchActivity(0));
    };
    let old_ids: Vec<i64> = old.iter().map(|o| o.id).collect();
    type SessionNotes = (Option<f64>, Option<f64>, Option<f64>, Option<f64>);
    let notes: HashMap<i64, SessionNotes> = tx
        .query(
            "SELECT activity_id, rpe, pack_kg, temp_c, dew_point_c FROM session_notes WHERE activity_id = ANY($1)",
            &[&old_ids],
        )
        .pg()?
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0).pg()?,
                (
                    r.try_get(1).pg()?,
                    r.try_get(2).pg()?,
                    r.try_get(3).pg()?,
                    r.try_get(4).pg()?,
                ),
            ))
        })
        .collect::<Result<_>>()?;
    let gear: HashMap<i64, Option<i64>> = pairs::<i64, Option<i64>>(
        tx.query(
            "SELECT activity_id, gear_id FROM activity_gear WHERE activity_id = ANY($1)",
            &[&old_ids],
        )
        .pg()?,
    )?
    .into_iter()
    .collect();
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
            &format!("DELETE FROM {table} WHERE activity_id = ANY($1)"),
            &[&old_ids],
        )
        .pg()?;
    }
    let pointing: Vec<(i64, i64)> = pairs(
        tx.query(
            "SELECT id, duplicate_of FROM activities WHERE duplicate_of = ANY($1) AND NOT (id = ANY($1))",
            &[&old_ids],
        )
        .pg()?,
    )?;
    tx.execute(
        "UPDATE activities SET duplicate_of = NULL WHERE duplicate_of = ANY($1)",
        &[&old_ids],
    )
    .pg()?;
    tx.execute("DELETE FROM activities WHERE id = ANY($1)", &[&old_ids])
        .pg()?;
    tx.execute(
        "DELETE FROM activity_splits WHERE athlete_id = $1 AND file_sha256 = $2 AND session_index = $3",
        &[&athlete.0, &file_sha256, &session],
    )
    .pg()?;
    for r in rules {
        tx.execute(
            "INSERT INTO activity_splits (athlete_id, file_sha256, session_index, at_ms, sport_after) VALUES ($1, $2, $3, $4, $5)",
            &[&athlete.0, &file_sha256, &session, &r.at_ms, &r.sport_after.id()],
        )
        .pg()?;
    }
    let mut ids = Vec::with_capacity(activities.len());
    let mut heir: HashMap<i64, i64> = HashMap::new();
    for mut a in activities {
        // The old row this part starts in; the first part of each inherits.
        let from = old
            .iter()
            .find(|o| {
                o.start_ms <= a.record.start_ms && a.record.start_ms < o.end_ms.max(o.start_ms + 1)
            })
            .unwrap_or(first_old);
        let inherits = !heir.contains_key(&from.id);
        a.record.name = a.record.name.or_else(|| from.name.clone());
        a.record.description = a.record.description.or_else(|| from.description.clone());
        a.record.gear = a.record.gear.or_else(|| from.gear.clone());
        let flags = a.record.flags.clone();
        let id = insert_activity(
            tx,
            athlete,
            file_id,
            from.group,
            &a,
            &flags,
            from.duplicate_of,
        )?;
        if inherits {
            heir.insert(from.id, id);
            tx.execute(
                "UPDATE activities SET own_name = $2, own_note = $3, deleted_at_ms = $4 WHERE id = $1",
                &[&id, &from.own_name, &from.own_note, &from.deleted_at_ms],
            )
            .pg()?;
            if let Some((rpe, pack, temp, dew)) = notes.get(&from.id) {
                tx.execute(
                    "INSERT INTO session_notes (activity_id, rpe, pack_kg, temp_c, dew_point_c) VALUES ($1, $2, $3, $4, $5)",
                    &[&id, rpe, pack, temp, dew],
                )
                .pg()?;
            }
            if let Some(g) = gear.get(&from.id) {
                tx.execute(
                    "INSERT INTO activity_gear (activity_id, gear_id) VALUES ($1, $2)",
                    &[&id, g],
                )
                .pg()?;
            }
        }
        ids.push(id);
    }
    for (copy, of) in pointing {
        let to = heir.get(&of).copied().unwrap_or(ids[0]);
        tx.execute(
            "UPDATE activities SET duplicate_of = $2 WHERE id = $1",
            &[&copy, &to],
        )
        .pg()?;
    }
    Ok(ids)
}
