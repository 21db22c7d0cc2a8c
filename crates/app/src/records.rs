//! Records: the best efforts found inside activities, by all time, year and season.

use crate::training::local_day;
use crate::{Cairn, Result};
use cairn_core::load::facts::ActivityFacts;
use serde::Serialize;
use std::collections::BTreeMap;

/// One kind of effort, e.g. the mile or 20-minute power.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub enum Effort {
    /// Fastest time over metres (runs).
    Run(f64),
    /// Best mean power over seconds (rides).
    Power(u32),
    /// Fastest time to climb metres (on foot).
    Climb(f64),
    /// Most metres climbed in 60 minutes (on foot).
    Vertical60,
    /// Fastest descent, m/h over 10 minutes (on foot).
    DescentRate,
}

impl Effort {
    pub fn label(self) -> String {
        match self {
            Effort::Run(m) if (m - 1609.344).abs() < 1e-6 => "mile".into(),
            Effort::Run(m) if (m - 21_097.5).abs() < 1e-6 => "half marathon".into(),
            Effort::Run(m) if (m - 42_195.0).abs() < 1e-6 => "marathon".into(),
            Effort::Run(m) if m < 1000.0 => format!("{m:.0} m"),
            Effort::Run(m) => format!("{:.0} km", m / 1000.0),
            Effort::Power(s) if s < 60 => format!("{s} s power"),
            Effort::Power(s) => format!("{} min power", s / 60),
            Effort::Climb(m) => format!("{m:.0} m climb"),
            Effort::Vertical60 => "vertical in 60 min".into(),
            Effort::DescentRate => "descent rate".into(),
        }
    }

    /// The efforts athletes race or test at: 5 km to the marathon, and 5,
    /// 20 and 60 minutes of power (Coggan's FTP tests use 20 and 60).
    pub fn is_headline(self) -> bool {
        match self {
            Effort::Run(m) => [5000.0, 10_000.0, 21_097.5, 42_195.0]
                .iter()
                .any(|h| (m - h).abs() < 1e-6),
            Effort::Power(s) => [300, 1200, 3600].contains(&s),
            _ => false,
        }
    }

    /// Whether `a` beats `b` for this effort.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Effort::Run(_) | Effort::Climb(_) => a < b,
            _ => a > b,
        }
    }

    pub fn family(self) -> &'static str {
        match self {
            Effort::Run(_) => "run",
            Effort::Power(_) => "ride",
            _ => "climb",
        }
    }

    /// The value as athletes read it.
    pub fn display(self, v: f64) -> String {
        match self {
            Effort::Run(_) | Effort::Climb(_) => {
                let s = v.round() as u64;
                if s >= 3600 {
                    format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
                } else {
                    format!("{}:{:02}", s / 60, s % 60)
                }
            }
            Effort::Power(_) => format!("{v:.0} W"),
            Effort::Vertical60 => format!("{v:.0} m"),
            Effort::DescentRate => format!("{v:.0} m/h"),
        }
    }
}

/// Every effort an activity holds.
pub fn efforts(f: &ActivityFacts) -> Vec<(Effort, f64)> {
    let b = &f.best;
    let mut out: Vec<(Effort, f64)> = b.run.iter().map(|(m, s)| (Effort::Run(*m), *s)).collect();
    out.extend(b.power.iter().map(|(d, w)| (Effort::Power(*d), *w)));
    out.extend(b.climb.iter().map(|(m, s)| (Effort::Climb(*m), *s)));
    // No climbing or descending at all is no effort to rank.
    out.extend(
        b.vertical_60min_m
            .filter(|v| *v > 0.0)
            .map(|v| (Effort::Vertical60, v)),
    );
    out.extend(
        b.descent_rate_m_per_h
            .filter(|v| *v > 0.0)
            .map(|v| (Effort::DescentRate, v)),
    );
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Best {
    pub value: f64,
    pub text: String,
    pub activity_id: i64,
    pub day: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRow {
    pub kind: Effort,
    pub effort: String,
    pub family: &'static str,
    pub all_time: Best,
    /// Best per calendar year, latest first.
    pub by_year: Vec<(i32, Best)>,
    /// Best per season ("2026 summer", "2026–27 winter"), latest first.
    pub by_season: Vec<(String, Best)>,
}

/// The calendar year, and the meteorological season (its order, then its
/// name): December opens the winter that runs into the next year.
fn year_and_season(day: i32) -> (i32, (i32, String)) {
    let date = cairn_core::load::session::day_text(day);
    let year: i32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    let month: i32 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    // Seasons counted from December of the year before: 0 winter … 3 autumn.
    let (season_year, index) = if month == 12 {
        (year + 1, 0)
    } else {
        (year, month / 3)
    };
    let name = match index {
        0 => format!("{}–{:02} winter", season_year - 1, season_year % 100),
        1 => format!("{season_year} spring"),
        2 => format!("{season_year} summer"),
        _ => format!("{season_year} autumn"),
    };
    (year, (season_year * 4 + index, name))
}

/// One value of an effort and the activity it came from.
#[derive(Debug, Clone, Copy)]
struct Entry {
    value: f64,
    activity_id: i64,
    day: i32,
}

impl Effort {
    /// Orders efforts by family, then by distance, duration or height.
    fn sort_key(self) -> (&'static str, f64) {
        let n = match self {
            Effort::Run(m) | Effort::Climb(m) => m,
            Effort::Power(s) => s as f64,
            Effort::Vertical60 => 1e6,
            Effort::DescentRate => 2e6,
        };
        (self.family(), n)
    }

    fn best(self, entries: impl IntoIterator<Item = Entry>) -> Option<Best> {
        let e = entries
            .into_iter()
            .reduce(|x, y| if self.better(y.value, x.value) { y } else { x })?;
        Some(Best {
            value: e.value,
            text: self.display(e.value),
            activity_id: e.activity_id,
            day: cairn_core::load::session::day_text(e.day),
        })
    }
}

/// One effort found inside an activity, beside the athlete's best of it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityEffort {
    pub kind: Effort,
    pub effort: String,
    pub value: f64,
    pub text: String,
    /// The best of this effort over every counted activity.
    pub all_time: Best,
    /// Whether this activity holds it.
    pub is_all_time_best: bool,
}

impl Cairn {
    /// Every effort found inside activity `id`, each with the all-time best.
    pub fn activity_efforts(&mut self, id: i64) -> Result<Vec<ActivityEffort>> {
        self.store.activity(self.athlete, id)?;
        let all = self.all_facts()?;
        let Some((_, facts)) = all.iter().find(|(r, _)| r.id == id) else {
            return Ok(Vec::new());
        };
        let mine = efforts(facts);
        let bests = self.effort_bests()?;
        Ok(mine
            .into_iter()
            .filter_map(|(e, value)| {
                let all_time = bests.iter().find(|(g, _)| *g == e)?.1.clone();
                Some(ActivityEffort {
                    kind: e,
                    effort: e.label(),
                    value,
                    text: e.display(value),
                    is_all_time_best: all_time.activity_id == id,
                    all_time,
                })
            })
            .collect())
    }

    /// The all-time best of each effort (see [`Cairn::effort_bests`]).
    pub(crate) fn compute_effort_bests(&mut self) -> Result<Vec<(Effort, Best)>> {
        Ok(self
            .effort_entries(None)?
            .into_iter()
            .filter_map(|(e, entries)| Some((e, e.best(entries)?)))
            .collect())
    }

    /// Every effort of every primary activity, grouped by effort in a stable order.
    fn effort_entries(&mut self, family: Option<&str>) -> Result<Vec<(Effort, Vec<Entry>)>> {
        let facts = self.all_facts()?;
        let mut groups: Vec<(Effort, Vec<Entry>)> = Vec::new();
        for (r, f) in facts.iter().filter(|(r, _)| r.is_primary) {
            for (e, value) in efforts(f)
                .into_iter()
                .filter(|(e, _)| family.is_none_or(|fam| fam == e.family()))
            {
                let entry = Entry {
                    value,
                    activity_id: r.id,
                    day: local_day(r),
                };
                match groups.iter_mut().find(|(g, _)| *g == e) {
                    Some((_, list)) => list.push(entry),
                    None => groups.push((e, vec![entry])),
                }
            }
        }
        groups.sort_by(|a, b| {
            let (fa, na) = a.0.sort_key();
            let (fb, nb) = b.0.sort_key();
            fa.cmp(fb).then(na.total_cmp(&nb))
        });
        Ok(groups)
    }

    /// Records over primary activities, optionally for one effort family (run, ride, climb).
    pub fn records(&mut self, family: Option<&str>) -> Result<Vec<RecordRow>> {
        let f = family.map(str::to_string);
        self.memoized(format!("records {f:?}"), move |c| {
            c.compute_records(f.as_deref())
        })
    }

    fn compute_records(&mut self, family: Option<&str>) -> Result<Vec<RecordRow>> {
        let mut out = Vec::new();
        for (e, entries) in self.effort_entries(family)? {
            let Some(all_time) = e.best(entries.iter().copied()) else {
                continue;
            };
            let mut years: BTreeMap<i32, Vec<Entry>> = BTreeMap::new();
            let mut seasons: BTreeMap<(i32, String), Vec<Entry>> = BTreeMap::new();
            for x in &entries {
                let (y, s) = year_and_season(x.day);
                years.entry(y).or_default().push(*x);
                seasons.entry(s).or_default().push(*x);
            }
            out.push(RecordRow {
                kind: e,
                effort: e.label(),
                family: e.family(),
                all_time,
                by_year: years
                    .into_iter()
                    .rev()
                    .filter_map(|(y, it)| Some((y, e.best(it)?)))
                    .collect(),
                by_season: seasons
                    .into_iter()
                    .rev()
                    .filter_map(|((_, s), it)| Some((s, e.best(it)?)))
                    .collect(),
            });
        }
        Ok(out)
    }

    /// What an import changed in the records, comparing the bests with and
    /// without the new activities. Only records that mean something are
    /// told: one that beats an earlier best, or a first best at a headline
    /// effort (a race distance, FTP-length power); "vertical in 60 min: 16 m"
    /// on a first flat run is not news. Nothing to do when nothing was
    /// imported.
    pub(crate) fn new_records(&mut self, new_ids: &[i64]) -> Result<Vec<NewRecord>> {
        if new_ids.is_empty() {
            return Ok(Vec::new());
        }
        let new: std::collections::HashSet<i64> = new_ids.iter().copied().collect();
        let mut out = Vec::new();
        for (e, entries) in self.effort_entries(None)? {
            let Some(after) = e.best(entries.iter().copied()) else {
                continue;
            };
            if !new.contains(&after.activity_id) {
                continue;
            }
            let before = e.best(
                entries
                    .iter()
                    .copied()
                    .filter(|x| !new.contains(&x.activity_id)),
            );
            let beats = before
                .as_ref()
                .is_some_and(|b| e.better(after.value, b.value));
            if beats || (before.is_none() && e.is_headline()) {
                let a = self.store.activity(self.athlete, after.activity_id)?;
                out.push(NewRecord {
                    kind: e,
                    effort: e.label(),
                    value: after.value,
                    previous: before.map(|b| b.value),
                    activity_id: a.id,
                    sport: a.sport,
                    distance_m: a.summary.distance_m,
                    day: after.day,
                });
            }
        }
        Ok(out)
    }
}

/// A record an import set.
#[derive(Debug, Clone, Serialize)]
pub struct NewRecord {
    pub kind: Effort,
    pub effort: String,
    /// Seconds for a distance or a climb, watts, metres in 60 minutes, or
    /// metres per hour of descent.
    pub value: f64,
    /// The best before this import (`null`: the first).
    pub previous: Option<f64>,
    pub activity_id: i64,
    pub sport: String,
    /// The whole activity's distance.
    pub distance_m: Option<f64>,
    pub day: String,
}

#[cfg(test)]
mod tests {
    use super::year_and_season;

    fn day(date: &str) -> i32 {
        let d: jiff::civil::Date = date.parse().unwrap();
        (d.to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp()
            .as_second()
            / 86_400) as i32
    }

    #[test]
    fn a_season_is_one_group_from_its_first_day_to_its_last() {
        let of = |d: &str| year_and_season(day(d)).1;
        assert_eq!(of("2026-12-01").1, "2026–27 winter");
        assert_eq!(of("2026-12-01"), of("2027-02-28"));
        assert_eq!(of("2026-06-01"), of("2026-08-31"));
        assert_eq!(of("2026-09-01").1, "2026 autumn");
        assert_ne!(of("2026-11-30"), of("2026-12-01"));
        // In order through the years.
        let order: Vec<i32> = [
            "2026-03-01",
            "2026-06-01",
            "2026-09-01",
            "2026-12-01",
            "2027-03-01",
        ]
        .iter()
        .map(|d| of(d).0)
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert_eq!(year_and_season(day("2026-12-31")).0, 2026);
    }
}
