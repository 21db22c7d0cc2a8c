//! The store's contract, run against every backend: what import, the
//! duplicate rules, corrections, derivation, caches, settings, plans and
//! the walls between athletes must do whatever database holds them. A
//! backend joins by adding its opener to [`backends`]; each test then runs
//! on it too. PostgreSQL is the server that `PGHOST`, `PGPORT`, `PGUSER`,
//! `PGPASSWORD` and `PGDATABASE` name (`scripts/test` starts a throwaway
//! one with `pg_virtualenv`); without one the suite runs on SQLite alone,
//! except under `CI`, where a missing PostgreSQL fails.

use cairn_core::model::Lap;
use cairn_store::codec;
use cairn_store::{
    ActivityFilter, ActivityRecord, CachedLoad, DerivedUpdate, FileOutcome, NewActivity, NewFile,
    SqliteStore, Store, StoreError,
};
use std::path::Path;

/// Opens the backend's archive in a fresh data directory (a second call on
/// the same directory is a second connection to the same archive).
type Open = fn(&Path) -> Box<dyn Store + Send>;

fn sqlite(dir: &Path) -> Box<dyn Store + Send> {
    Box::new(SqliteStore::open(dir).unwrap())
}

/// A database of its own per data directory (named from its path), made
/// on the first open; the originals go in the directory.
fn postgres(dir: &Path) -> Box<dyn Store + Send> {
    use cairn_store_postgres::PgStore;
    use std::hash::{Hash, Hasher};
    let server = PgStore::server_from_env().expect("PGHOST is set");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut h);
    let db = PgStore::ensure_database(&server, &format!("cairn_test_{:016x}", h.finish())).unwrap();
    Box::new(PgStore::connect(&db, &dir.join("archive")).unwrap())
}

fn backends() -> Vec<(&'static str, Open)> {
    let mut out: Vec<(&'static str, Open)> = vec![("sqlite", sqlite)];
    match cairn_store_postgres::PgStore::server_from_env() {
        Some(_) => out.push(("postgres", postgres)),
        None => assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no PostgreSQL is named (PGHOST): scripts/test starts one with pg_virtualenv"
        ),
    }
    out
}

macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod every_backend {
            $(
                #[test]
                fn $name() {
                    for (backend, open) in super::backends() {
                        eprintln!("backend: {backend}");
                        super::$name(open);
                    }
                }
            )*
        }
    };
}

on_every_backend!(
    the_same_file_is_imported_once_whatever_its_compression,
    two_connections_importing_one_file_at_once_import_it_once,
    a_write_on_another_connection_is_seen_by_the_change_stamp,
    settings_profile_stays_plans_and_feel_keep_what_was_written,
    no_call_reaches_another_athletes_activity,
    deleting_the_counted_copy_leaves_exactly_one_copy_counted,
    gear_names_are_one_per_athlete_and_choices_can_be_forgotten,
    a_session_derived_again_hands_what_the_athlete_said_to_its_first_part,
    the_story_of_an_archive,
);

use cairn_core::metrics::Summary;
use cairn_core::model::ChannelKind;

/// Page data of `n` points, with a gap in the heart rate and one split.
fn page_of(n: usize) -> cairn_core::derived::PageData {
    cairn_core::derived::PageData {
        recorded_seconds: n * 10,
        streams: cairn_core::streams::Streams {
            time_s: (0..n).map(|k| k as f64 * 10.0).collect(),
            distance_m: Some((0..n).map(|k| k as f64 * 31.5).collect()),
            heart_rate_bpm: Some(
                (0..n)
                    .map(|k| (k != 1).then_some(140.0 + k as f64))
                    .collect(),
            ),
            ..Default::default()
        },
        splits: vec![(1000.0, Vec::new())],
    }
}

fn activity(start_ms: i64, minutes: i64, sport: &str) -> NewActivity {
    let mut times = Vec::new();
    let mut hr = Vec::new();
    for i in 0..minutes * 60 {
        times.push(start_ms + i * 1000);
        hr.push(if i % 7 == 0 {
            None
        } else {
            Some(120.0 + (i % 30) as f64)
        });
    }
    NewActivity {
        record: ActivityRecord {
            format: "fit".into(),
            sport: sport.into(),
            start_ms,
            end_ms: start_ms + minutes * 60_000,
            summary: Summary {
                samples: times.len(),
                ..Summary::default()
            },
            ..ActivityRecord::default()
        },
        laps: vec![Lap::default()],
        extra_json: "{}".into(),
        time_blob: codec::encode_times(&times).unwrap(),
        channel_blobs: vec![("heart_rate_bpm".into(), codec::encode_channel(&hr).unwrap())],
        facts: None,
        curves: Vec::new(),
        page: Vec::new(),
    }
}

fn file(bytes: &[u8]) -> NewFile<'_> {
    NewFile {
        sha256: format!(
            "{:064x}",
            bytes.iter().map(|b| *b as u64).sum::<u64>() + bytes.len() as u64
        ),
        bytes,
        source: "a.fit".into(),
        format: "fit".into(),
        imported_at_ms: 0,
        warnings: vec![],
        content_sha256: None,
        export_meta: None,
        journaled: false,
    }
}

/// The first wall between athletes: every call naming an activity by
/// id, made as another athlete, finds no such activity and changes
/// nothing (a server answers 404, so existence does not leak).
fn no_call_reaches_another_athletes_activity(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let owner = store.athlete("owner").unwrap();
    let other = store.athlete("other").unwrap();
    let id = match store
        .import_file(
            owner,
            file(b"owner's"),
            vec![activity(1_750_000_000_000, 30, "run")],
            vec![],
        )
        .unwrap()
    {
        FileOutcome::Imported { activity_ids, .. } => activity_ids[0],
        o => panic!("{o:?}"),
    };
    let load = CachedLoad {
        inputs_key: "k".into(),
        aerobic: Some(1.0),
        aerobic_source: Some("hr".into()),
        mechanical: 1.0,
        detail: "{}".into(),
        zones: "[]".into(),
    };
    let before = store.activity(owner, id).unwrap();
    let refused = |what: &str, r: cairn_store::Result<()>| match r {
        Err(StoreError::NoSuchActivity(n)) if n == id => {}
        other => panic!("{what} as another athlete: {other:?}"),
    };
    refused("activity", store.activity(other, id).map(|_| ()));
    refused("laps", store.laps(other, id).map(|_| ()));
    refused("samples", store.samples(other, id).map(|_| ()));
    refused("page_data", store.page_data(other, id).map(|_| ()));
    refused("original_file", store.original_file(other, id).map(|_| ()));
    refused(
        "activity_extra",
        store.activity_extra(other, id).map(|_| ()),
    );
    refused("sample_blobs", store.sample_blobs(other, id).map(|_| ()));
    refused("make_primary", store.make_primary(other, id));
    refused(
        "set_details",
        store.set_details(other, id, Some("x"), None, None),
    );
    refused(
        "set_own_text",
        store.set_own_text(other, id, Some(Some("mine")), None),
    );
    refused(
        "delete_activity",
        store.delete_activity(other, id, 1).map(|_| ()),
    );
    refused("restore_activity", store.restore_activity(other, id));
    refused("set_notes", store.set_notes(other, id, Some(9.0), None));
    refused(
        "set_conditions",
        store.set_conditions(other, id, Some(40.0), None),
    );
    refused(
        "put_curves",
        store.put_curves(other, &[(id, "hr".into(), 1, vec![Some(1.0)])]),
    );
    refused("put_facts", store.put_facts(other, &[(id, 1, "{}".into())]));
    refused("put_loads", store.put_loads(other, &[(id, load.clone())]));
    assert_eq!(store.load(other, id).unwrap(), None);
    assert!(store.loads(other).unwrap().is_empty());
    assert!(store.notes(other).unwrap().is_empty());
    assert!(store.facts(other).unwrap().is_empty());
    assert!(store.curves(other, "hr").unwrap().is_empty());
    assert!(store
        .activities(other, &ActivityFilter::default())
        .unwrap()
        .is_empty());
    // The owner's activity is as it was, and the owner may write.
    assert_eq!(store.activity(owner, id).unwrap(), before);
    assert!(store.notes(owner).unwrap().is_empty());
    assert!(store.load(owner, id).unwrap().is_none());
    store.put_loads(owner, &[(id, load.clone())]).unwrap();
    assert_eq!(store.load(owner, id).unwrap(), Some(load));
}

fn deleting_the_counted_copy_leaves_exactly_one_copy_counted(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let me = store.athlete("me").unwrap();
    let t0 = 1_750_000_000_000;
    let mut ids = Vec::new();
    for bytes in [b"watch".as_slice(), b"phone", b"strava"] {
        match store
            .import_file(me, file(bytes), vec![activity(t0, 30, "run")], vec![])
            .unwrap()
        {
            FileOutcome::Imported { activity_ids, .. } => ids.push(activity_ids[0]),
            other => panic!("{other:?}"),
        }
    }
    let counted = |store: &dyn Store| -> Vec<i64> {
        store
            .activities(me, &ActivityFilter::default())
            .unwrap()
            .iter()
            .filter(|a| a.is_primary)
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(counted(&*store), vec![ids[0]]);
    assert_eq!(store.delete_activity(me, ids[0], 1).unwrap(), Some(ids[1]));
    assert_eq!(counted(&*store), vec![ids[1]]);
    assert_eq!(
        store.activity(me, ids[2]).unwrap().duplicate_of,
        Some(ids[1])
    );
    // Restored, the old copy comes back as a duplicate: still one counts.
    store.restore_activity(me, ids[0]).unwrap();
    assert_eq!(counted(&*store), vec![ids[1]]);
    assert_eq!(
        store
            .activities(me, &ActivityFilter::default())
            .unwrap()
            .len(),
        3
    );
    assert!(matches!(
        store.restore_activity(me, 999),
        Err(StoreError::NoSuchActivity(999))
    ));
}

fn gear_names_are_one_per_athlete_and_choices_can_be_forgotten(open: Open) {
    use cairn_core::gear::{Assignment, GearItem, GearKind};
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let me = store.athlete("me").unwrap();
    let partner = store.athlete("partner").unwrap();
    let shoes = GearItem {
        id: 0,
        name: "Pegasus".into(),
        kind: GearKind::Shoes,
        default_for: vec!["run".into()],
        from_day: Some(20_000),
        retired_day: None,
        retire_at_m: Some(700_000.0),
        initial_distance_m: 12_000.0,
    };
    let id = store.put_gear(me, &shoes).unwrap();
    assert_eq!(
        store.gear(me).unwrap(),
        vec![GearItem {
            id,
            ..shoes.clone()
        }]
    );
    let again = GearItem {
        name: "PEGASUS".into(),
        ..shoes.clone()
    };
    assert!(matches!(
        store.put_gear(me, &again),
        Err(StoreError::GearNameTaken(_))
    ));
    // Another athlete's shoes may share the name; each sees only their own.
    store.put_gear(partner, &again).unwrap();
    assert_eq!(store.gear(me).unwrap().len(), 1);
    // An update keeps the id.
    let retired = GearItem {
        id,
        retired_day: Some(20_100),
        ..shoes.clone()
    };
    assert_eq!(store.put_gear(me, &retired).unwrap(), id);
    assert_eq!(store.gear(me).unwrap(), vec![retired]);

    let run = match store
        .import_file(
            me,
            file(b"run"),
            vec![activity(1_750_000_000_000, 30, "run")],
            vec![],
        )
        .unwrap()
    {
        FileOutcome::Imported { activity_ids, .. } => activity_ids[0],
        other => panic!("{other:?}"),
    };
    store
        .assign_gear(me, &[run], Some(Assignment::Gear(id)))
        .unwrap();
    assert_eq!(
        store.gear_assignments(me).unwrap()[&run],
        Assignment::Gear(id)
    );
    store
        .assign_gear(me, &[run], Some(Assignment::NoGear))
        .unwrap();
    assert_eq!(
        store.gear_assignments(me).unwrap()[&run],
        Assignment::NoGear
    );
    assert!(store.gear_assignments(partner).unwrap().is_empty());
    store.assign_gear(me, &[run], None).unwrap();
    assert!(store.gear_assignments(me).unwrap().is_empty());
    // A missing activity changes nothing, even listed after a real one.
    assert!(matches!(
        store.assign_gear(me, &[run, 999], Some(Assignment::NoGear)),
        Err(StoreError::NoSuchActivity(999))
    ));
    assert!(store.gear_assignments(me).unwrap().is_empty());
}

fn a_session_derived_again_hands_what_the_athlete_said_to_its_first_part(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let me = store.athlete("me").unwrap();
    let t0 = 1_750_000_000_000;
    let imported = |store: &mut dyn Store, bytes: &[u8]| match store
        .import_file(me, file(bytes), vec![activity(t0, 60, "run")], vec![])
        .unwrap()
    {
        FileOutcome::Imported { activity_ids, .. } => activity_ids[0],
        other => panic!("{other:?}"),
    };
    let watch = imported(&mut *store, b"watch");
    let copy = imported(&mut *store, b"strava copy");
    assert_eq!(store.activity(me, copy).unwrap().duplicate_of, Some(watch));
    store
        .set_own_text(me, watch, None, Some(Some("windy")))
        .unwrap();
    store.set_notes(me, watch, Some(6.0), None).unwrap();
    let sha = store.activity(me, watch).unwrap().file_sha256;
    let rule = cairn_core::corrections::SplitRule {
        file_sha256: sha.clone(),
        session_index: None,
        at_ms: t0 + 1_800_000,
        sport_after: cairn_core::model::Sport::Ride,
    };
    let parts = store
        .rederive_session(
            me,
            &sha,
            None,
            std::slice::from_ref(&rule),
            vec![
                activity(t0, 30, "run"),
                activity(t0 + 1_800_000, 30, "ride"),
            ],
        )
        .unwrap();
    assert_eq!(parts.len(), 2);
    assert!(matches!(
        store.activity(me, watch),
        Err(StoreError::NoSuchActivity(_))
    ));
    let first = store.activity(me, parts[0]).unwrap();
    assert_eq!(first.note.as_deref(), Some("windy"));
    assert!(first.is_primary);
    assert_eq!(store.notes(me).unwrap()[&parts[0]].rpe, Some(6.0));
    assert!(!store.notes(me).unwrap().contains_key(&parts[1]));
    // The copy now points at the part that took the old activity's place.
    assert_eq!(
        store.activity(me, copy).unwrap().duplicate_of,
        Some(parts[0])
    );
    assert_eq!(store.splits(me).unwrap(), vec![rule.clone()]);
    // Splitting the copy that does not count leaves both parts uncounted.
    let copy_sha = store.activity(me, copy).unwrap().file_sha256;
    let copy_parts = store
        .rederive_session(
            me,
            &copy_sha,
            None,
            &[cairn_core::corrections::SplitRule {
                file_sha256: copy_sha.clone(),
                ..rule.clone()
            }],
            vec![
                activity(t0, 30, "run"),
                activity(t0 + 1_800_000, 30, "ride"),
            ],
        )
        .unwrap();
    for id in &copy_parts {
        let part = store.activity(me, *id).unwrap();
        assert!(
            !part.is_primary && part.duplicate_of == Some(parts[0]),
            "{part:?}"
        );
    }
    let copy = copy_parts[0];
    store
        .rederive_session(me, &copy_sha, None, &[], vec![activity(t0, 60, "run")])
        .unwrap();
    let copy = store
        .activities(me, &ActivityFilter::default())
        .unwrap()
        .into_iter()
        .find(|a| a.file_sha256 == copy_sha)
        .map_or(copy, |a| a.id);
    // Derived whole again: the splits go, the note stays.
    let whole = store
        .rederive_session(me, &sha, None, &[], vec![activity(t0, 60, "run")])
        .unwrap();
    assert!(store.splits(me).unwrap().is_empty());
    assert_eq!(
        store.activity(me, whole[0]).unwrap().note.as_deref(),
        Some("windy")
    );
    assert_eq!(
        store.activity(me, copy).unwrap().duplicate_of,
        Some(whole[0])
    );
}

fn the_story_of_an_archive(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let me = store.athlete("me").unwrap();
    let t0 = 1_750_000_000_000;

    // Import: stored whole, samples round-trip, original kept byte for byte.
    let out = store
        .import_file(me, file(b"one"), vec![activity(t0, 30, "run")], vec![])
        .unwrap();
    let FileOutcome::Imported {
        activity_ids,
        duplicates,
        ..
    } = out
    else {
        panic!("{out:?}")
    };
    assert!(duplicates.is_empty());
    let id = activity_ids[0];
    let s = store.samples(me, id).unwrap();
    assert_eq!(s.len(), 1800);
    assert_eq!(s.value(ChannelKind::HeartRate, 0), None);
    assert_eq!(s.value(ChannelKind::HeartRate, 1), Some(121.0));
    assert_eq!(store.original_file(me, id).unwrap(), b"one");
    assert_eq!(store.laps(me, id).unwrap().len(), 1);

    // Idempotent: the same bytes add nothing.
    assert!(matches!(
        store
            .import_file(me, file(b"one"), vec![activity(t0, 30, "run")], vec![])
            .unwrap(),
        FileOutcome::AlreadyImported { .. }
    ));
    assert_eq!(
        store
            .activities(me, &ActivityFilter::default())
            .unwrap()
            .len(),
        1
    );

    // The same run from another file (its GPX export): kept, flagged, not primary.
    let out = store
        .import_file(
            me,
            file(b"two"),
            vec![activity(t0 + 5_000, 30, "hike")],
            vec![],
        )
        .unwrap();
    let FileOutcome::Imported {
        activity_ids,
        duplicates,
        ..
    } = out
    else {
        panic!()
    };
    assert_eq!(duplicates, vec![(activity_ids[0], id)]);
    let dup = store.activity(me, activity_ids[0]).unwrap();
    assert!(!dup.is_primary && dup.flags.contains(&"probable_duplicate".to_string()));

    // The athlete chooses the other copy.
    store.make_primary(me, dup.id).unwrap();
    assert!(store.activity(me, dup.id).unwrap().is_primary);
    assert!(!store.activity(me, id).unwrap().is_primary);

    // A ride at the same time is not a duplicate of a run; filters work.
    store
        .import_file(me, file(b"three"), vec![activity(t0, 30, "ride")], vec![])
        .unwrap();
    let rides = store
        .activities(
            me,
            &ActivityFilter {
                sports: vec!["ride".into()],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(rides.len(), 1);
    assert!(rides[0].is_primary);

    // Sport edits keep the original, and replace what was derived.
    let update = DerivedUpdate {
        sport: Some("trail_run".into()),
        summary: Summary::default(),
        derived_version: 7,
        facts: (4, "{}".into()),
        curves: vec![("pace".into(), 4, vec![Some(3.0)])],
        page: codec::encode_page(page_of(3)).unwrap(),
    };
    store.update_derived(me, id, &update).unwrap();
    assert_eq!(store.page_data(me, id).unwrap(), Some(page_of(3)));
    assert_eq!(store.activity(me, id).unwrap().sport, "trail_run");
    assert_eq!(store.activity(me, id).unwrap().derived_version, 7);
    assert_eq!(
        store.curves(me, "pace").unwrap(),
        vec![(id, 4, vec![Some(3.0)])]
    );
    assert!(!store.stale_derived(me, 7).unwrap().contains(&id));
    assert!(store.stale_derived(me, 8).unwrap().contains(&id));
    assert!(matches!(
        store.update_derived(me, 999, &update),
        Err(StoreError::NoSuchActivity(999))
    ));

    // Another athlete sees nothing of mine.
    let other = store.athlete("coach-client").unwrap();
    assert!(store
        .activities(other, &ActivityFilter::default())
        .unwrap()
        .is_empty());
    assert!(store.activity(other, id).is_err());

    // Reopening keeps everything (migrations are idempotent).
    drop(store);
    let store = open(dir.path());
    assert_eq!(
        store
            .activities(me, &ActivityFilter::default())
            .unwrap()
            .len(),
        3
    );
}

fn imported_ids(outcome: FileOutcome) -> Vec<i64> {
    match outcome {
        FileOutcome::Imported { activity_ids, .. } => activity_ids,
        other => panic!("expected an import, got {other:?}"),
    }
}

fn the_same_file_is_imported_once_whatever_its_compression(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let me = store.athlete("me").unwrap();
    let t0 = 1_750_000_000_000;
    let ids = imported_ids(
        store
            .import_file(me, file(b"plain"), vec![activity(t0, 20, "run")], vec![])
            .unwrap(),
    );
    let file_id = store
        .file_by_hash(me, &file(b"plain").sha256)
        .unwrap()
        .unwrap();
    // The same bytes again: nothing added, the first file named.
    assert!(matches!(
        store
            .import_file(me, file(b"plain"), vec![activity(t0, 20, "run")], vec![])
            .unwrap(),
        FileOutcome::AlreadyImported { file_id: f } if f == file_id
    ));
    // The same content compressed: its content hash is the first's hash.
    let mut gz = file(b"plain, gzipped");
    gz.content_sha256 = Some(file(b"plain").sha256);
    assert!(matches!(
        store
            .import_file(me, gz, vec![activity(t0, 20, "run")], vec![])
            .unwrap(),
        FileOutcome::AlreadyImported { .. }
    ));
    let all = store.activities(me, &ActivityFilter::default()).unwrap();
    assert_eq!(all.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
    assert!(store
        .file_hashes(me)
        .unwrap()
        .contains(&file(b"plain").sha256));
    // Another athlete's import of the same bytes is their own.
    let other = store.athlete("other").unwrap();
    assert!(store
        .file_by_hash(other, &file(b"plain").sha256)
        .unwrap()
        .is_none());
    imported_ids(
        store
            .import_file(other, file(b"plain"), vec![activity(t0, 20, "run")], vec![])
            .unwrap(),
    );
    assert_eq!(store.original_file(me, ids[0]).unwrap(), b"plain");
}

fn two_connections_importing_one_file_at_once_import_it_once(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let me = open(dir.path()).athlete("me").unwrap();
    let t0 = 1_750_000_000_000;
    let outcomes: Vec<FileOutcome> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let mut store = open(dir.path());
                s.spawn(move || {
                    store
                        .import_file(
                            me,
                            file(b"one watch file"),
                            vec![activity(t0, 25, "ride")],
                            vec![],
                        )
                        .unwrap()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let imported = outcomes
        .iter()
        .filter(|o| matches!(o, FileOutcome::Imported { .. }))
        .count();
    assert_eq!(imported, 1, "{outcomes:?}");
    let store = open(dir.path());
    assert_eq!(
        store
            .activities(me, &ActivityFilter::default())
            .unwrap()
            .len(),
        1
    );
}

fn a_write_on_another_connection_is_seen_by_the_change_stamp(open: Open) {
    let dir = tempfile::tempdir().unwrap();
    let mut reader = open(dir.path());
    let me = reader.athlete("me").unwrap();
    let before = reader.change_stamp().unwrap();
    assert_eq!(
        reader.change_stamp().unwrap(),
        before,
        "a read changes nothing"
    );
    let mut writer = open(dir.path());
    writer.set_setting(me, "units", "imperial").unwrap();
    let after = reader.change_stamp().unwrap();
    assert_ne!(after, before, "another connection's write");
    assert_eq!(
        reader.setting(me, "units").unwrap().as_deref(),
        Some("imperial")
    );
    reader.set_setting(me, "units", "metric").unwrap();
    assert_ne!(reader.change_stamp().unwrap(), after, "its own write");
}

fn settings_profile_stays_plans_and_feel_keep_what_was_written(open: Open) {
    use cairn_core::environment::altitude::Stay;
    use cairn_core::load::{ProfileEntry, ProfileKey};
    use cairn_core::plan::adapt::Feel;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let me = store.athlete("me").unwrap();
    let other = store.athlete("other").unwrap();

    assert_eq!(store.setting(me, "week_start").unwrap(), None);
    store.set_setting(me, "week_start", "sunday").unwrap();
    store.set_setting(me, "week_start", "monday").unwrap();
    assert_eq!(
        store.setting(me, "week_start").unwrap().as_deref(),
        Some("monday")
    );
    assert_eq!(store.setting(other, "week_start").unwrap(), None);

    // One value per key and day: the later write replaces the earlier.
    for (value, from_day) in [(170.0, None), (172.0, Some(20_000)), (168.0, None)] {
        let e = ProfileEntry {
            key: ProfileKey::LthrRun,
            value,
            from_day,
        };
        store.set_profile_entry(me, e, 1).unwrap();
    }
    let entries = store.profile_entries(me).unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries
        .iter()
        .any(|e| e.value == 168.0 && e.from_day.is_none()));
    assert!(store.profile_entries(other).unwrap().is_empty());

    let stay = Stay {
        id: 0,
        from_day: 20_100,
        to_day: 20_110,
        altitude_m: 2_400.0,
        sleep_altitude_m: Some(2_100.0),
        note: Some("Engadin".into()),
    };
    let id = store.add_stay(me, &stay).unwrap();
    assert_eq!(store.stays(me).unwrap(), vec![Stay { id, ..stay }]);
    assert!(!store.remove_stay(other, id).unwrap(), "another's stay");
    assert!(store.remove_stay(me, id).unwrap());
    assert!(store.stays(me).unwrap().is_empty());

    let first = store.add_plan(me, 20_000, r#"{"n":1}"#).unwrap();
    let second = store.add_plan(me, 20_001, r#"{"n":2}"#).unwrap();
    let active: Vec<i64> = store
        .plans(me)
        .unwrap()
        .iter()
        .filter(|(_, a, _)| *a)
        .map(|(id, ..)| *id)
        .collect();
    assert_eq!(active, vec![second], "a new plan replaces the active one");
    assert!(
        !store.set_active_plan(other, Some(first)).unwrap(),
        "another's plan"
    );
    assert!(store.set_active_plan(me, Some(first)).unwrap());
    store.update_plan(me, first, r#"{"n":3}"#).unwrap();
    store.update_plan(other, first, r#"{"n":4}"#).unwrap();
    let plans = store.plans(me).unwrap();
    assert!(
        plans.contains(&(first, true, r#"{"n":3}"#.to_string())),
        "{plans:?}"
    );
    assert!(store.set_active_plan(me, None).unwrap());
    assert!(store.plans(me).unwrap().iter().all(|(_, a, _)| !a));

    let feel = Feel {
        day: 20_050,
        fatigue: Some(4),
        soreness: None,
        sleep: Some(2),
        ill: false,
        note: Some("short night".into()),
    };
    store.put_feel(me, &feel).unwrap();
    let again = Feel {
        fatigue: Some(2),
        ..feel.clone()
    };
    store.put_feel(me, &again).unwrap();
    assert_eq!(store.feel_log(me).unwrap(), vec![again]);
    assert!(store.feel_log(other).unwrap().is_empty());
}
