//! The second wall between athletes: PostgreSQL's row-level security. A
//! query that forgets its `WHERE athlete_id` still sees only the rows of
//! the athlete its transaction set, none without one, and cannot write a
//! row for another athlete; the table owner is held to it too. Runs where
//! the environment names a PostgreSQL (`scripts/test` starts one); under
//! `CI` its absence fails.

use cairn_store::{AthleteId, Store};
use cairn_store_postgres::PgStore;

#[test]
fn a_query_without_its_athlete_filter_still_sees_only_that_athletes_rows() {
    let Some(server) = PgStore::server_from_env() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no PostgreSQL is named (PGHOST)"
        );
        eprintln!("SKIPPED: no PostgreSQL (PGHOST)");
        return;
    };
    let db = PgStore::ensure_database(&server, "cairn_rls_test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = PgStore::connect(&db, dir.path()).unwrap();
    let a = store.athlete("a").unwrap();
    let b = store.athlete("b").unwrap();
    for (who, key) in [(a, "units"), (a, "week_start"), (b, "units")] {
        store.set_setting(who, key, "x").unwrap();
    }

    // A client of its own, working as the store does: as cairn_app.
    let mut client = db.connect(postgres::NoTls).unwrap();
    client.batch_execute("SET ROLE cairn_app").unwrap();
    let count = |client: &mut postgres::Client, athlete: Option<AthleteId>| -> i64 {
        let mut tx = client.transaction().unwrap();
        if let Some(AthleteId(id)) = athlete {
            tx.batch_execute(&format!("SET LOCAL cairn.athlete = '{id}'"))
                .unwrap();
        }
        let n = tx
            .query_one("SELECT COUNT(*) FROM settings", &[])
            .unwrap()
            .get(0);
        tx.commit().unwrap();
        n
    };
    assert_eq!(count(&mut client, None), 0, "no athlete set: no rows");
    assert_eq!(count(&mut client, Some(a)), 2);
    assert_eq!(count(&mut client, Some(b)), 1);
    // The setting is the transaction's alone: the next one starts without.
    assert_eq!(count(&mut client, None), 0);

    // Writing another athlete's row is refused, whatever the query says.
    let mut tx = client.transaction().unwrap();
    tx.batch_execute(&format!("SET LOCAL cairn.athlete = '{}'", a.0))
        .unwrap();
    let e = tx
        .execute(
            "INSERT INTO settings (athlete_id, key, value) VALUES ($1, 'units', 'stolen')",
            &[&b.0],
        )
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{e}"
    );
    drop(tx);
    let mut tx = client.transaction().unwrap();
    tx.batch_execute(&format!("SET LOCAL cairn.athlete = '{}'", a.0))
        .unwrap();
    let changed = tx
        .execute("UPDATE settings SET value = 'stolen'", &[])
        .unwrap();
    assert_eq!(changed, 2, "only the athlete's own rows");
    tx.rollback().unwrap();
    assert_eq!(store.setting(b, "units").unwrap().as_deref(), Some("x"));

    // The role owns no table, so it cannot switch the policies off.
    let e = client
        .batch_execute("ALTER TABLE settings DISABLE ROW LEVEL SECURITY")
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{e}"
    );
}

/// The server's pool may be dropped on a thread driving its async runtime;
/// the blocking client must close without panicking there.
#[test]
fn a_store_dropped_on_an_async_runtime_closes_quietly() {
    let Some(server) = PgStore::server_from_env() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no PostgreSQL"
        );
        return;
    };
    let db = PgStore::ensure_database(&server, "cairn_drop_test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = PgStore::connect(&db, dir.path()).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    runtime.block_on(async move {
        tokio::spawn(async move { drop(store) }).await.unwrap();
    });
}
