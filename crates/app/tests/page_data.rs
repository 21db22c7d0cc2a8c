//! What an activity's page and `cairn show` read is kept when the activity
//! is derived (its series reduced, its splits) and when its load is cached
//! (load, time in zones). A kept value that drifted from what the samples
//! give would show wrong numbers with nothing to tell, so every corpus
//! activity is shown both ways, from what was kept and from the samples,
//! and the two must be equal: before the loads are cached, after, and
//! after a correction that changes what the load depends on.

mod common;

use cairn_app::view::Source;
use cairn_app::Cairn;
use cairn_core::streams::{reducible_from_view, VIEW_POINTS};
use common::{corpus, imported};

/// Every activity shown from what was kept equals it shown from the
/// samples, for the kilometre and the mile; returns how many were compared.
fn assert_kept_equals_derived(cairn: &mut Cairn, when: &str) -> usize {
    let ids: Vec<i64> = cairn
        .activities(&Default::default())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    for &id in &ids {
        for split_m in [1000.0, 1609.344] {
            let kept = cairn.activity_view_from(id, split_m, Source::Kept).unwrap();
            let now = cairn
                .activity_view_from(id, split_m, Source::Samples)
                .unwrap();
            let what = format!("activity {id} ({}), {when}", kept.detail.record.source);
            assert_eq!(kept.streams, now.streams, "{what}: series");
            assert_eq!(kept.detail.splits, now.detail.splits, "{what}: splits");
            assert_eq!(
                kept.detail.time_in_zones, now.detail.time_in_zones,
                "{what}: time in zones"
            );
            assert_eq!(
                kept.detail.rejected_efforts, now.detail.rejected_efforts,
                "{what}: refused efforts"
            );
            assert_eq!(kept.load, now.load, "{what}: load");
        }
    }
    ids.len()
}

#[test]
fn every_corpus_activity_reads_the_same_from_what_was_kept_as_from_its_samples() {
    let Some(corpus) = corpus() else { return };
    let (dir, mut cairn) = imported(&corpus, &["fit", "gpx", "tcx"]);
    let n = assert_kept_equals_derived(&mut cairn, "before any load is cached");
    assert!(n >= 40, "only {n} corpus activities imported");
    // The comparison means something only if the import kept page data.
    {
        use cairn_store::Store;
        let mut store = cairn_store::SqliteStore::open(dir.path()).unwrap();
        let me = store.athlete("me").unwrap();
        for a in cairn.activities(&Default::default()).unwrap() {
            assert!(
                store.page_data(me, a.id).unwrap().is_some(),
                "activity {} kept no page data",
                a.id
            );
        }
    }

    cairn.loads(false).unwrap();
    assert_kept_equals_derived(&mut cairn, "with the loads cached");

    // A new threshold and a rating change what the cached loads were
    // computed from: the page must not show the old ones.
    let first = cairn.activities(&Default::default()).unwrap()[0].id;
    cairn.rate(first, Some(6.0), Some(8.0)).unwrap();
    cairn
        .set_profile("max_hr", "201", None, 1_900_000_000_000)
        .unwrap();
    assert_kept_equals_derived(&mut cairn, "after a rating and a new max HR");
}

#[test]
fn the_streams_read_from_what_was_kept_are_the_streams_of_every_second() {
    let Some(corpus) = corpus() else { return };
    let (_dir, cairn) = imported(&corpus, &["fit"]);
    let ids: Vec<i64> = cairn
        .activities(&Default::default())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    let sizes: Vec<usize> = (2..=VIEW_POINTS)
        .filter(|p| reducible_from_view(*p))
        .collect();
    assert!(sizes.contains(&VIEW_POINTS) && sizes.contains(&2));
    for id in ids {
        let (recorded, full) = cairn.streams(id, None).unwrap();
        assert_eq!(recorded, full.len());
        for &p in &sizes {
            let (kept_recorded, kept) = cairn.streams(id, Some(p)).unwrap();
            assert_eq!(kept_recorded, recorded, "activity {id}: recorded seconds");
            assert_eq!(kept, full.reduced(p), "activity {id}, {p} points");
        }
    }
}

/// Kept page data is a cache: a damaged blob (a bad sector, a cut write)
/// is drawn again from the samples instead of failing the page.
#[test]
fn a_damaged_kept_page_is_drawn_from_the_samples() {
    let Some(corpus) = corpus() else { return };
    let (dir, mut cairn) = imported(&corpus, &["gpx"]);
    let id = cairn.activities(&Default::default()).unwrap()[0].id;
    let sound = cairn
        .activity_view_from(id, 1000.0, Source::Samples)
        .unwrap();
    let db = rusqlite::Connection::open(dir.path().join(cairn_store::DATABASE_FILE)).unwrap();
    let damaged = db
        .execute(
            "UPDATE activity_page SET data = x'00ff00' WHERE activity_id = ?1",
            [id],
        )
        .unwrap();
    assert!(damaged > 0, "activity {id} had no kept page");
    let mut cairn = Cairn::open(dir.path()).unwrap();
    let shown = cairn.activity_view_from(id, 1000.0, Source::Kept).unwrap();
    assert_eq!(shown.streams, sound.streams);
    assert_eq!(shown.detail.splits, sound.detail.splits);
    let (_, streams) = cairn.streams(id, Some(VIEW_POINTS)).unwrap();
    assert_eq!(streams, sound.streams);
}
