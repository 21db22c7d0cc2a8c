//! Versioned schema migrations, applied in order inside one transaction each;
//! `PRAGMA user_version` records the last one applied. (rusqlite_migration
//! would need rusqlite ≥ 0.40, which cannot coexist with sqlx 0.9 for the
//! PostgreSQL side; ECOSYSTEM.md §1.8. This is the same idea in 20 lines.)

use crate::{Result, StoreError};
use rusqlite::Connection;

/// Each entry is one migration; never edit a released one, append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: athletes, files, activities, laps, courses, sample channels.
    r#"
CREATE TABLE athletes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    imported_at_ms INTEGER NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    UNIQUE (athlete_id, sha256)
);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    session_index INTEGER,
    multisport_group INTEGER,
    format TEXT NOT NULL,
    sport TEXT NOT NULL,
    original_sport TEXT,
    sport_edited INTEGER NOT NULL DEFAULT 0,
    name TEXT,
    description TEXT,
    gear TEXT,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    utc_offset_s INTEGER,
    device TEXT,
    laps INTEGER NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    duplicate_of INTEGER REFERENCES activities(id),
    is_primary INTEGER NOT NULL DEFAULT 1,
    summary TEXT NOT NULL,
    distance_m REAL,
    moving_s REAL,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX activities_by_time ON activities (athlete_id, start_ms);
CREATE TABLE laps (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    lap_index INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    totals TEXT NOT NULL,
    PRIMARY KEY (activity_id, lap_index)
);
CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    name TEXT,
    format TEXT NOT NULL,
    points INTEGER NOT NULL,
    distance_m REAL NOT NULL,
    lat_deg BLOB NOT NULL,
    lon_deg BLOB NOT NULL,
    altitude_m BLOB NOT NULL
);
CREATE TABLE sample_channels (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    channel TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (activity_id, channel)
);
"#,
    // 2: the athlete's dated profile, session notes (RPE, pack), cached loads
    // keyed by their inputs, per-activity facts, settings.
    r#"
CREATE TABLE profile_entries (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    key TEXT NOT NULL,
    value REAL NOT NULL,
    from_day INTEGER,
    set_at_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX profile_entries_unique ON profile_entries (athlete_id, key, COALESCE(from_day, -2147483648));
CREATE TABLE session_notes (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id),
    rpe REAL,
    pack_kg REAL
);
CREATE TABLE activity_facts (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id),
    version INTEGER NOT NULL,
    facts TEXT NOT NULL
);
CREATE TABLE activity_loads (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id),
    inputs_key TEXT NOT NULL,
    aerobic REAL,
    aerobic_source TEXT,
    mechanical REAL NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE settings (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (athlete_id, key)
);
"#,
    // 3: the environment (stays at altitude, weather, temperatures logged
    // per session) and per-activity mean-maximal curves.
    r#"
CREATE TABLE stays (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    from_day INTEGER NOT NULL,
    to_day INTEGER NOT NULL,
    altitude_m REAL NOT NULL,
    sleep_altitude_m REAL,
    note TEXT
);
CREATE TABLE weather (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    day INTEGER NOT NULL,
    place TEXT NOT NULL,
    temp_c REAL NOT NULL,
    dew_point_c REAL,
    PRIMARY KEY (athlete_id, day, place)
);
ALTER TABLE session_notes ADD COLUMN temp_c REAL;
ALTER TABLE session_notes ADD COLUMN dew_point_c REAL;
CREATE TABLE activity_curves (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (activity_id, kind)
);
CREATE INDEX activity_curves_kind ON activity_curves (kind, activity_id);
"#,
    // 4: training plans (the plan as JSON; earlier plans kept, marked
    // replaced) and the athlete's daily feel log.
    r#"
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    created_day INTEGER NOT NULL,
    active INTEGER NOT NULL,
    plan TEXT NOT NULL
);
CREATE INDEX plans_athlete ON plans (athlete_id, active);
CREATE TABLE feel_log (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    day INTEGER NOT NULL,
    fatigue INTEGER,
    soreness INTEGER,
    sleep INTEGER,
    ill INTEGER NOT NULL,
    note TEXT,
    PRIMARY KEY (athlete_id, day)
);
"#,
    // 5: what the derived values were computed with (so an upgrade
    // re-derives them), the recording an activity came from (the same
    // device recording from two exports), and a file's content hash after
    // gunzip (the same file, compressed differently).
    r#"
ALTER TABLE activities ADD COLUMN derived_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN recording_id TEXT;
CREATE INDEX activities_by_recording ON activities (athlete_id, recording_id);
ALTER TABLE files ADD COLUMN content_sha256 TEXT;
CREATE INDEX files_by_content ON files (athlete_id, content_sha256);
"#,
    // 5: time in zones beside each cached load; what the athlete says of an
    // activity (a name and a note of their own, beside the file's or
    // Strava's), and deletion as a mark that can be undone.
    r#"
ALTER TABLE activity_loads ADD COLUMN zones TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activities ADD COLUMN own_name TEXT;
ALTER TABLE activities ADD COLUMN own_note TEXT;
ALTER TABLE activities ADD COLUMN deleted_at_ms INTEGER;
"#,
    // 7: the athlete's gear (shoes, bikes), with the sports it is the default
    // for, and the sessions the athlete assigned to a piece of gear (or to
    // none: gear_id NULL).
    r#"
CREATE TABLE gear (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    default_for TEXT NOT NULL DEFAULT '',
    from_day INTEGER,
    retired_day INTEGER,
    retire_at_m REAL,
    initial_distance_m REAL NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX gear_by_name ON gear (athlete_id, name COLLATE NOCASE);
CREATE TABLE activity_gear (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id),
    gear_id INTEGER REFERENCES gear(id)
);
"#,
    // 8: the files `cairn sync` has looked at in a watch or a synced folder
    // (by path, size and modification time), so it reads only what is new.
    r#"
CREATE TABLE sync_seen (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    PRIMARY KEY (athlete_id, path)
);
"#,
    // 9: where the athlete split a recording that held two sessions, by
    // the original's hash and session (-1: a file of one session), so every
    // derivation of the file (a rebuild too) cuts it the same way.
    r#"
CREATE TABLE activity_splits (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    file_sha256 TEXT NOT NULL,
    session_index INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    sport_after TEXT NOT NULL,
    PRIMARY KEY (athlete_id, file_sha256, session_index, at_ms)
);
"#,
    // 10: what an activity's page draws (its series reduced, its splits),
    // kept as named parts beside the samples and replaced with them.
    r#"
CREATE TABLE activity_page (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    part TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (activity_id, part)
);
"#,
];

pub fn supported_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the schema up to date. Each migration runs in an IMMEDIATE
/// transaction that reads the version again once it holds the write lock, so
/// two processes opening a new data directory at once apply each migration
/// exactly once (the second waits, then finds nothing left to do).
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == supported_version() {
        return Ok(()); // nothing to write: a read-only archive opens too
    }
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if current > supported_version() {
            return Err(StoreError::SchemaTooNew {
                found: current,
                supported: supported_version(),
            });
        }
        let Some(sql) = MIGRATIONS.get(current as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}
