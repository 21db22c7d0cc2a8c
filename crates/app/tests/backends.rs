//! The same files imported into an archive on SQLite and one on
//! PostgreSQL give the same numbers everywhere a user looks: the list,
//! every activity as `show --json` prints it, the loads, fitness, the
//! summaries and the records; and a correction on each gives the same
//! again. A backend that stored a value differently (a rounded float, a
//! lost null, an order) would show here. Runs where the environment names
//! a PostgreSQL (`scripts/test` starts one); under `CI` its absence fails.

mod common;

use cairn_app::{Cairn, ImportOptions};
use cairn_store_postgres::PgStore;
use common::corpus;
use serde_json::{json, Value};

/// Everything a user sees of the archive, as JSON.
fn everything(cairn: &mut Cairn) -> Value {
    let list = cairn.activities(&Default::default()).unwrap();
    let shown: Vec<Value> = list
        .iter()
        .map(|a| {
            let d = cairn.show(a.id, 1000.0).unwrap();
            let (_, streams) = cairn.streams(a.id, Some(200)).unwrap();
            json!({
                "detail": cairn_app::json::activity_detail(&d, None),
                "streams": streams,
            })
        })
        .collect();
    let today = 21_000;
    json!({
        "list": list,
        "shown": shown,
        "loads": cairn.loads(false).unwrap().rows,
        "series": cairn.series(today).unwrap(),
        "summary": cairn.summary(&cairn_app::summary::SummaryQuery {
            by: "month".into(),
            sports: vec![],
            from_day: None,
            to_day: None,
            today,
        }).unwrap(),
        "records": cairn.records(None).unwrap(),
    })
}

#[test]
fn the_corpus_reads_the_same_from_sqlite_and_postgresql() {
    let Some(corpus) = corpus() else { return };
    let Some(server) = PgStore::server_from_env() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no PostgreSQL is named (PGHOST)"
        );
        eprintln!("SKIPPED: no PostgreSQL (PGHOST)");
        return;
    };
    let sqlite_dir = tempfile::tempdir().unwrap();
    let pg_dir = tempfile::tempdir().unwrap();
    let db = PgStore::ensure_database(&server, "cairn_app_backends").unwrap();
    let mut on_pg = Cairn::on_store(
        Box::new(PgStore::connect(&db, &pg_dir.path().join("archive")).unwrap()),
        "me",
        true,
    )
    .unwrap();
    let mut on_sqlite = Cairn::open(sqlite_dir.path()).unwrap();
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms: 1_900_000_000_000,
        threads: 2,
    };
    let paths: Vec<_> = ["fit", "gpx", "tcx"]
        .iter()
        .map(|f| corpus.join(f))
        .collect();
    let a = on_sqlite.import(&paths, &opts, &mut |_| {}).unwrap();
    let b = on_pg.import(&paths, &opts, &mut |_| {}).unwrap();
    assert!(a.activities_imported > 40, "{a:?}");
    assert_eq!(a.activity_ids, b.activity_ids);
    assert_eq!(a.activities_imported, b.activities_imported);
    let first = everything(&mut on_sqlite);
    assert_eq!(first, everything(&mut on_pg));

    // The same corrections on each: still the same.
    let id = a.activity_ids[0];
    for c in [&mut on_sqlite, &mut on_pg] {
        c.edit_sport(id, "trail_run").unwrap();
        c.rate(id, Some(6.0), Some(4.0)).unwrap();
        c.annotate(id, "legs heavy").unwrap();
        c.set_profile("lthr_run", "171", None, 1).unwrap();
    }
    let corrected = everything(&mut on_sqlite);
    assert_ne!(corrected, first);
    assert_eq!(corrected, everything(&mut on_pg));
}
