//! Results derived from the whole archive, kept while the archive stays
//! the same. The dashboard asks for the same loads, series, facts and
//! curves on every page; computing them over ten years of activities
//! takes 40–140 ms each time, reading them from here takes microseconds.
//! Any write, through this `Cairn` or another process, empties it
//! ([`cairn_store::Store::change_stamp`]).

use crate::records::{Best, Effort};
use crate::training::{LoadReport, Series};
use crate::{Cairn, Result};
use cairn_core::gear::{Assignment, GearItem};
use cairn_core::load::facts::ActivityFacts;
use cairn_core::load::{AthleteProfile, Estimates};
use cairn_core::predict::hiking::HikingModel;
use cairn_store::{ActivityFilter, ActivityRecord, ChangeStamp, StoredCurve, StoredNotes};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Default)]
pub(crate) struct Memo {
    stamp: Option<ChangeStamp>,
    records: Option<Arc<Vec<ActivityRecord>>>,
    facts: Option<Arc<Vec<(ActivityRecord, ActivityFacts)>>>,
    estimates: Option<(AthleteProfile, Estimates)>,
    loads: Option<Arc<LoadReport>>,
    series: Option<(i32, Arc<Vec<Series>>)>,
    curves: HashMap<&'static str, Arc<CurveTable>>,
    bests: Option<Arc<Vec<(Effort, Best)>>>,
    hiking: Option<(Option<HikingModel>, usize)>,
    notes: Option<Arc<HashMap<i64, StoredNotes>>>,
    gear: Option<Arc<GearTables>>,
    /// Reports asked with the same arguments (records, comparisons,
    /// predictions, altitude, heat), by a key naming them.
    reports: HashMap<String, Arc<dyn std::any::Any + Send + Sync>>,
}

/// Most reports the memo keeps before it starts again.
const MAX_REPORTS: usize = 64;

/// One kind of curve for every activity, and the best of each sport
/// family's counted activities for each duration.
pub(crate) struct CurveTable {
    pub by_id: HashMap<i64, Vec<Option<f64>>>,
    pub best_by_family: HashMap<&'static str, Vec<Option<f64>>>,
}

/// The registered gear and which activity is on which.
pub(crate) struct GearTables {
    pub items: Vec<GearItem>,
    pub assignments: HashMap<i64, Assignment>,
}

impl Cairn {
    /// The memo, emptied first if the archive changed since it was filled;
    /// the stamp it now holds.
    fn memo_fresh(&mut self) -> Result<ChangeStamp> {
        let now = self.store.change_stamp()?;
        if self.memo.stamp != Some(now) {
            self.memo = Memo {
                stamp: Some(now),
                ..Memo::default()
            };
        }
        Ok(now)
    }

    /// After filling the memo: a computation writes caches of what it
    /// derived (facts, loads, curves), which moves this connection's own
    /// count but changes nothing the memo holds. If no other connection
    /// wrote meanwhile, the memo stays valid at the new stamp.
    fn memo_settle(&mut self, before: ChangeStamp) -> Result<()> {
        let now = self.store.change_stamp()?;
        if now.others == before.others {
            self.memo.stamp = Some(now);
        } else {
            self.memo = Memo::default();
        }
        Ok(())
    }

    /// Every activity of the athlete, deleted ones left out.
    pub(crate) fn all_records(&mut self) -> Result<Arc<Vec<ActivityRecord>>> {
        self.memo_fresh()?;
        if let Some(r) = &self.memo.records {
            return Ok(Arc::clone(r));
        }
        let r = Arc::new(
            self.store
                .activities(self.athlete, &ActivityFilter::default())?,
        );
        self.memo.records = Some(Arc::clone(&r));
        Ok(r)
    }

    /// What [`Cairn::activities`] returns, filtered from the memo: the same
    /// rule as the store's query (local start time in `[from, to)`, sport
    /// among those named, deleted ones only when asked for).
    pub fn activities_shared(&mut self, filter: &ActivityFilter) -> Result<Vec<ActivityRecord>> {
        Ok(self.activities_page(filter, 0, usize::MAX)?.1)
    }

    /// One page of that list, and how many match in all.
    pub fn activities_page(
        &mut self,
        filter: &ActivityFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<ActivityRecord>)> {
        if filter.include_deleted {
            let all = self.activities(filter)?;
            let total = all.len();
            return Ok((total, all.into_iter().skip(offset).take(limit).collect()));
        }
        let all = self.all_records()?;
        let matching = all.iter().filter(|a| {
            let local_ms = a.start_ms + i64::from(a.utc_offset_s.unwrap_or(0)) * 1000;
            (filter.sports.is_empty() || filter.sports.contains(&a.sport))
                && filter.from_ms.is_none_or(|f| local_ms >= f)
                && filter.to_ms.is_none_or(|t| local_ms < t)
        });
        let mut total = 0;
        let mut page = Vec::new();
        for a in matching {
            if total >= offset && page.len() < limit {
                page.push(a.clone());
            }
            total += 1;
        }
        Ok((total, page))
    }

    /// Every session's notes (effort rating, pack, conditions), by activity.
    pub(crate) fn all_notes(&mut self) -> Result<Arc<HashMap<i64, StoredNotes>>> {
        self.memo_fresh()?;
        if let Some(n) = &self.memo.notes {
            return Ok(Arc::clone(n));
        }
        let n = Arc::new(self.store.notes(self.athlete)?);
        self.memo.notes = Some(Arc::clone(&n));
        Ok(n)
    }

    /// The gear and its assignments.
    pub(crate) fn gear_tables(&mut self) -> Result<Arc<GearTables>> {
        self.memo_fresh()?;
        if let Some(g) = &self.memo.gear {
            return Ok(Arc::clone(g));
        }
        let g = Arc::new(GearTables {
            items: self.store.gear(self.athlete)?,
            assignments: self.store.gear_assignments(self.athlete)?,
        });
        self.memo.gear = Some(Arc::clone(&g));
        Ok(g)
    }

    /// Every activity with its facts (peak heart rate, best efforts…).
    pub(crate) fn all_facts(&mut self) -> Result<Arc<Vec<(ActivityRecord, ActivityFacts)>>> {
        let before = self.memo_fresh()?;
        if let Some(f) = &self.memo.facts {
            return Ok(Arc::clone(f));
        }
        let records = self.all_records()?;
        let f = Arc::new(self.facts_for(&records)?);
        self.memo_settle(before)?;
        self.memo.records = Some(records);
        self.memo.facts = Some(Arc::clone(&f));
        Ok(f)
    }

    /// The profile and the estimates in force.
    pub fn estimates(&mut self) -> Result<(AthleteProfile, Estimates)> {
        let before = self.memo_fresh()?;
        if let Some(e) = &self.memo.estimates {
            return Ok(e.clone());
        }
        let facts = self.all_facts()?;
        let e = self.estimates_from_facts(&facts)?;
        self.memo_settle(before)?;
        self.memo.facts = Some(facts);
        self.memo.estimates = Some(e.clone());
        Ok(e)
    }

    /// Every activity's loads, shared: [`Cairn::loads`] without `force`.
    pub fn loads_shared(&mut self) -> Result<Arc<LoadReport>> {
        let before = self.memo_fresh()?;
        if let Some(l) = &self.memo.loads {
            return Ok(Arc::clone(l));
        }
        self.loads_with_progress(before, &|_, _| {})
    }

    /// Every activity's loads, brought up to date now with
    /// `progress(done, to_do)` over the sessions whose inputs changed (a
    /// threshold change recomputes most of them): the dashboard's progress
    /// bar after a change to the profile.
    pub fn refresh_loads(&mut self, progress: &dyn Fn(usize, usize)) -> Result<Arc<LoadReport>> {
        let before = self.memo_fresh()?;
        if let Some(l) = &self.memo.loads {
            progress(0, 0);
            return Ok(Arc::clone(l));
        }
        self.loads_with_progress(before, progress)
    }

    fn loads_with_progress(
        &mut self,
        before: ChangeStamp,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Arc<LoadReport>> {
        let l = Arc::new(self.compute_loads(false, progress)?);
        self.memo_settle(before)?;
        self.memo.loads = Some(Arc::clone(&l));
        Ok(l)
    }

    /// The daily series to `today`, shared: [`Cairn::series`].
    pub fn series_shared(&mut self, today: i32) -> Result<Arc<Vec<Series>>> {
        let before = self.memo_fresh()?;
        if let Some((day, s)) = &self.memo.series {
            if *day == today {
                return Ok(Arc::clone(s));
            }
        }
        let loads = self.loads_shared()?;
        let s = Arc::new(self.series_of(&loads, today)?);
        self.memo_settle(before)?;
        self.memo.loads = Some(loads);
        self.memo.series = Some((today, Arc::clone(&s)));
        Ok(s)
    }

    /// The personal hiking model and how many hikes it was fitted on,
    /// refitted only after the archive changed (fitting reads every hike's
    /// samples: 1.5 s over 1,300 hikes).
    pub fn hiking_model(&mut self) -> Result<(Option<HikingModel>, usize)> {
        let before = self.memo_fresh()?;
        if let Some(h) = self.memo.hiking {
            return Ok(h);
        }
        let h = self.fit_hiking_model()?;
        self.memo_settle(before)?;
        self.memo.hiking = Some(h);
        Ok(h)
    }

    /// `compute`'s result for `key`, kept until the archive changes.
    pub(crate) fn memoized<T: Clone + Send + Sync + 'static>(
        &mut self,
        key: String,
        compute: impl FnOnce(&mut Cairn) -> Result<T>,
    ) -> Result<T> {
        let before = self.memo_fresh()?;
        if let Some(v) = self
            .memo
            .reports
            .get(&key)
            .and_then(|v| v.downcast_ref::<T>())
        {
            return Ok(v.clone());
        }
        let v = compute(self)?;
        self.memo_settle(before)?;
        if self.memo.reports.len() >= MAX_REPORTS {
            self.memo.reports.clear();
        }
        self.memo.reports.insert(key, Arc::new(v.clone()));
        Ok(v)
    }

    /// The all-time best of every effort over the counted activities.
    pub(crate) fn effort_bests(&mut self) -> Result<Arc<Vec<(Effort, Best)>>> {
        let before = self.memo_fresh()?;
        if let Some(b) = &self.memo.bests {
            return Ok(Arc::clone(b));
        }
        let b = Arc::new(self.compute_effort_bests()?);
        self.memo_settle(before)?;
        self.memo.bests = Some(Arc::clone(&b));
        Ok(b)
    }

    /// Every activity's curve of one kind (current definitions only), with
    /// each family's best.
    pub(crate) fn curve_table(&mut self, kind: &'static str) -> Result<Arc<CurveTable>> {
        let before = self.memo_fresh()?;
        if let Some(c) = self.memo.curves.get(kind) {
            return Ok(Arc::clone(c));
        }
        // all_facts derives the curves of any activity that lacks them.
        let facts = self.all_facts()?;
        let family_of: HashMap<i64, &'static str> = facts
            .iter()
            .filter(|(r, _)| r.is_primary)
            .map(|(r, _)| (r.id, crate::training::family(&r.sport)))
            .collect();
        let stored: Vec<StoredCurve> = self.store.curves(self.athlete, kind)?;
        let mut table = CurveTable {
            by_id: HashMap::new(),
            best_by_family: HashMap::new(),
        };
        for (id, version, values) in stored {
            if version != cairn_core::load::facts::FACTS_VERSION {
                continue;
            }
            if let Some(f) = family_of.get(&id) {
                let best = table
                    .best_by_family
                    .entry(f)
                    .or_insert_with(|| vec![None; values.len()]);
                merge_best(best, &values);
            }
            table.by_id.insert(id, values);
        }
        let table = Arc::new(table);
        self.memo_settle(before)?;
        self.memo.facts = Some(facts);
        self.memo.curves.insert(kind, Arc::clone(&table));
        Ok(table)
    }
}

/// Keeps in `best` the higher value of each duration.
pub(crate) fn merge_best(best: &mut [Option<f64>], values: &[Option<f64>]) {
    for (b, v) in best.iter_mut().zip(values) {
        if let Some(v) = *v {
            if b.is_none_or(|x| v > x) {
                *b = Some(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImportOptions;
    use cairn_core::model::Sport;
    use cairn_core::sim::history::Terrain;
    use proptest::prelude::*;

    /// An archive of six sessions over two weeks, in two sports.
    fn archive() -> (tempfile::TempDir, Cairn) {
        let dir = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..6u64 {
            let sport = if i % 2 == 0 { Sport::Run } else { Sport::Ride };
            let a = cairn_core::sim::steady_session(
                20_400 + 2 * i as i32,
                sport,
                Terrain::Rolling,
                20.0,
                i,
            );
            let p = files.path().join(format!("{i}.fit"));
            std::fs::write(&p, cairn_core::encode::fit::encode(&a)).unwrap();
            paths.push(p);
        }
        let mut cairn = Cairn::open(dir.path()).unwrap();
        let opts = ImportOptions {
            limits: Default::default(),
            now_ms: 1_800_000_000_000,
            threads: 1,
        };
        cairn.import(&paths, &opts, &mut |_| {}).unwrap();
        (dir, cairn)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

        /// The memo's filter and the store's query agree on any filter.
        #[test]
        fn the_memo_filters_as_the_store_does(
            sports in proptest::sample::subsequence(vec!["run", "ride", "hike"], 0..3),
            from in proptest::option::of(20_398i64..20_414),
            to in proptest::option::of(20_398i64..20_416),
        ) {
            thread_local!(static A: std::cell::RefCell<(tempfile::TempDir, Cairn)> = std::cell::RefCell::new(archive()));
            A.with(|a| {
                let cairn = &mut a.borrow_mut().1;
                let filter = ActivityFilter {
                    sports: sports.iter().map(|s| s.to_string()).collect(),
                    from_ms: from.map(|d| d * 86_400_000 + 3_600_000),
                    to_ms: to.map(|d| d * 86_400_000),
                    include_deleted: false,
                };
                let ids = |v: Vec<ActivityRecord>| v.into_iter().map(|r| r.id).collect::<Vec<_>>();
                let store = ids(cairn.activities(&filter).unwrap());
                prop_assert_eq!(&ids(cairn.activities_shared(&filter).unwrap()), &store);
                let (total, page) = cairn.activities_page(&filter, 1, 2).unwrap();
                prop_assert_eq!(total, store.len());
                prop_assert_eq!(ids(page), store.iter().skip(1).take(2).copied().collect::<Vec<_>>());
                Ok(())
            })?;
        }
    }

    /// The kept plan status and readiness follow an edit of the plan and a
    /// new session at once: what the memo keeps is never stale.
    #[test]
    fn plan_status_and_readiness_follow_each_change() {
        let (dir, mut cairn) = archive();
        let today = 20_412;
        let input = crate::plan::GoalInput {
            kind: cairn_core::plan::GoalKind::Hike,
            day: today + 70,
            distance_m: Some(20_000.0),
            ascent_m: Some(900.0),
            max_altitude_m: None,
            pack_kg: Some(8.0),
            days: None,
            target_s: None,
            days_per_week: Some(4),
            long_day: None,
            level: None,
            runner: None,
            no_running: false,
            growth_cap: None,
        };
        cairn.add_goal(&input, today).unwrap();
        let (active, _) = cairn.plan_status(today).unwrap();
        let s = active.plan.weeks[1]
            .sessions
            .iter()
            .find(|s| s.mode.is_endurance())
            .unwrap();
        let edit = cairn_core::plan::adapt::Edit {
            mode: None,
            kind: None,
            duration_s: Some(s.duration_s + 600.0),
            rest: false,
        };
        cairn.edit_plan(s.day, &edit).unwrap();
        let (after, _) = cairn.plan_status(today).unwrap();
        assert_ne!(active.plan, after.plan, "the edit shows in the kept status");
        let say = cairn_core::readiness::Si;
        let before = cairn.readiness(today, &say).unwrap();
        // A long hike today, imported by another connection.
        let hike = cairn_core::sim::steady_session(today, Sport::Hike, Terrain::Mountain, 300.0, 9);
        let file = dir.path().join("hike.fit");
        std::fs::write(&file, cairn_core::encode::fit::encode(&hike)).unwrap();
        let mut other = Cairn::open(dir.path()).unwrap();
        let opts = ImportOptions {
            limits: Default::default(),
            now_ms: 1_800_000_000_000,
            threads: 1,
        };
        other.import(&[file], &opts, &mut |_| {}).unwrap();
        let after = cairn.readiness(today, &say).unwrap();
        let hours = |r: &cairn_core::readiness::Readiness| r.demands[0].shown;
        assert!(
            hours(&after).unwrap_or(0.0) > hours(&before).unwrap_or(0.0),
            "{:?} then {:?}",
            hours(&before),
            hours(&after)
        );
    }

    /// A write empties the memo: an edit shows at once, loads and all.
    #[test]
    fn a_change_to_the_archive_is_seen_at_once() {
        let (dir, mut cairn) = archive();
        let first = cairn.all_records().unwrap()[0].id;
        let before = cairn.loads_shared().unwrap();
        assert!(
            Arc::ptr_eq(&before, &cairn.loads_shared().unwrap()),
            "kept while nothing changed"
        );
        cairn.rate(first, Some(9.0), Some(12.0)).unwrap();
        let after = cairn.loads_shared().unwrap();
        assert!(!Arc::ptr_eq(&before, &after));
        // Another process's write (a second connection) is seen as well.
        let mut other = Cairn::open(dir.path()).unwrap();
        other.rename(first, "renamed elsewhere").unwrap();
        let name = cairn
            .all_records()
            .unwrap()
            .iter()
            .find(|r| r.id == first)
            .unwrap()
            .name
            .clone();
        assert_eq!(name.as_deref(), Some("renamed elsewhere"));
        assert!(!Arc::ptr_eq(&after, &cairn.loads_shared().unwrap()));
    }
}
