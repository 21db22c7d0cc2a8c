//! Totals per week, month or year and sport: what every training log shows
//! first. Pure arithmetic over per-session numbers the caller has already
//! derived (moving time, distance, ascent, both loads); the calendar is the
//! athlete's local one, and a week starts on the athlete's chosen day.

use crate::metrics::zones::ZoneSignal;
use jiff::civil::{Date, Weekday};
use serde::Serialize;
use std::collections::BTreeMap;

/// How sessions are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// Seven days from the given first day of the week.
    Week(Weekday),
    Month,
    Year,
}

impl PeriodKind {
    /// `week`, `month` or `year`, with the week starting on `week_start`.
    pub fn from_id(id: &str, week_start: Weekday) -> Option<PeriodKind> {
        match id.trim().to_ascii_lowercase().as_str() {
            "week" | "weeks" | "weekly" => Some(PeriodKind::Week(week_start)),
            "month" | "months" | "monthly" => Some(PeriodKind::Month),
            "year" | "years" | "yearly" => Some(PeriodKind::Year),
            _ => None,
        }
    }
}

/// One calendar period, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Period {
    #[serde(with = "crate::time::json::day")]
    pub from_day: i32,
    #[serde(with = "crate::time::json::day")]
    pub to_day: i32,
}

fn date_of(day: i32) -> Date {
    Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day as i64))
        .unwrap_or(Date::MAX)
}

fn day_of(date: Date) -> i32 {
    (date - Date::constant(1970, 1, 1)).get_days()
}

impl Period {
    /// The period of `kind` that holds `day`.
    pub fn of(day: i32, kind: PeriodKind) -> Period {
        let date = date_of(day);
        let (first, last) = match kind {
            PeriodKind::Week(start) => {
                let back = date.weekday().since(start) as i32;
                return Period {
                    from_day: day - back,
                    to_day: day - back + 6,
                };
            }
            PeriodKind::Month => (date.first_of_month(), date.last_of_month()),
            PeriodKind::Year => (date.first_of_year(), date.last_of_year()),
        };
        Period {
            from_day: day_of(first),
            to_day: day_of(last),
        }
    }

    /// Every period of `kind` from the one holding `from` to the one holding `to`.
    pub fn range(from: i32, to: i32, kind: PeriodKind) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = Period::of(from, kind);
        while p.from_day <= to {
            out.push(p);
            p = Period::of(p.to_day + 1, kind);
        }
        out
    }
}

/// The numbers of one session that a summary adds up.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionTotals {
    pub activity_id: i64,
    /// Local calendar day.
    pub day: i32,
    /// The row it is counted in: a sport family (`run`, `ride`, `hike`, …).
    pub sport: String,
    /// Moving time, or the timer for sessions without movement.
    pub time_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub aerobic_load: Option<f64>,
    pub mechanical_load: f64,
    /// Seconds per zone of each signal, in the zones in force that day.
    pub time_in_zones: Vec<ZoneSeconds>,
}

/// Seconds per zone of one signal (zone 1 first), added up over sessions:
/// zone n of each session's own scheme, so a change of zones mid-range keeps
/// each session in the zone it was in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneSeconds {
    pub signal: ZoneSignal,
    pub seconds: Vec<f64>,
}

fn add_zones(into: &mut Vec<ZoneSeconds>, from: &[ZoneSeconds]) {
    for z in from {
        let i = match into.iter().position(|t| t.signal == z.signal) {
            Some(i) => i,
            None => {
                into.push(ZoneSeconds {
                    signal: z.signal,
                    seconds: Vec::new(),
                });
                into.len() - 1
            }
        };
        let t = &mut into[i].seconds;
        if t.len() < z.seconds.len() {
            t.resize(z.seconds.len(), 0.0);
        }
        for (a, b) in t.iter_mut().zip(&z.seconds) {
            *a += b;
        }
    }
}

/// The longest session of a row, and which one it was.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Longest {
    pub activity_id: i64,
    pub time_s: f64,
}

/// Fitness and form of one dimension at a period's last day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FormAtEnd {
    pub fitness: f64,
    pub form: f64,
}

/// One sport's totals in one period (or all sports', in the totals row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// The sport family, or `None` for every sport together.
    pub sport: Option<String>,
    pub sessions: usize,
    pub time_s: f64,
    pub distance_m: f64,
    pub ascent_m: f64,
    pub aerobic_load: f64,
    pub mechanical_load: f64,
    pub longest: Option<Longest>,
    pub time_in_zones: Vec<ZoneSeconds>,
    /// Filled by the caller from the daily series.
    pub aerobic: Option<FormAtEnd>,
    pub mechanical: Option<FormAtEnd>,
}

impl Totals {
    fn new(sport: Option<String>) -> Totals {
        Totals {
            sport,
            sessions: 0,
            time_s: 0.0,
            distance_m: 0.0,
            ascent_m: 0.0,
            aerobic_load: 0.0,
            mechanical_load: 0.0,
            longest: None,
            time_in_zones: Vec::new(),
            aerobic: None,
            mechanical: None,
        }
    }

    fn add(&mut self, s: &SessionTotals) {
        self.sessions += 1;
        self.time_s += s.time_s.unwrap_or(0.0);
        self.distance_m += s.distance_m.unwrap_or(0.0);
        self.ascent_m += s.ascent_m.unwrap_or(0.0);
        self.aerobic_load += s.aerobic_load.unwrap_or(0.0);
        self.mechanical_load += s.mechanical_load;
        add_zones(&mut self.time_in_zones, &s.time_in_zones);
        if let Some(t) = s.time_s {
            if self.longest.is_none_or(|l| t > l.time_s) {
                self.longest = Some(Longest {
                    activity_id: s.activity_id,
                    time_s: t,
                });
            }
        }
    }
}

/// One period: a row per sport with sessions, and the totals row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodSummary {
    pub period: Period,
    pub sports: Vec<Totals>,
    pub total: Totals,
}

/// Every period of `kind` from `from` to `to` (both local days, inclusive),
/// empty ones included: a week without training is part of the log.
pub fn summarise(
    sessions: &[SessionTotals],
    kind: PeriodKind,
    from: i32,
    to: i32,
) -> Vec<PeriodSummary> {
    let periods = Period::range(from, to, kind);
    let mut rows: BTreeMap<Period, BTreeMap<&str, Totals>> = BTreeMap::new();
    for s in sessions.iter().filter(|s| (from..=to).contains(&s.day)) {
        rows.entry(Period::of(s.day, kind))
            .or_default()
            .entry(&s.sport)
            .or_insert_with(|| Totals::new(Some(s.sport.clone())))
            .add(s);
    }
    periods
        .into_iter()
        .map(|period| {
            let sports: Vec<Totals> = rows
                .remove(&period)
                .map(|m| m.into_values().collect())
                .unwrap_or_default();
            let mut total = Totals::new(None);
            for s in &sports {
                merge(&mut total, s);
            }
            PeriodSummary {
                period,
                sports,
                total,
            }
        })
        .collect()
}

/// Every session of the range added up, per sport and together.
pub fn grand_total(summaries: &[PeriodSummary]) -> (Vec<Totals>, Totals) {
    let mut by_sport: BTreeMap<String, Totals> = BTreeMap::new();
    let mut total = Totals::new(None);
    for p in summaries {
        for s in &p.sports {
            let t = by_sport
                .entry(s.sport.clone().unwrap_or_default())
                .or_insert_with(|| Totals::new(s.sport.clone()));
            merge(t, s);
        }
        merge(&mut total, &p.total);
    }
    (by_sport.into_values().collect(), total)
}

fn merge(into: &mut Totals, from: &Totals) {
    into.sessions += from.sessions;
    into.time_s += from.time_s;
    into.distance_m += from.distance_m;
    into.ascent_m += from.ascent_m;
    into.aerobic_load += from.aerobic_load;
    into.mechanical_load += from.mechanical_load;
    add_zones(&mut into.time_in_zones, &from.time_in_zones);
    if let Some(l) = from.longest {
        if into.longest.is_none_or(|m| l.time_s > m.time_s) {
            into.longest = Some(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> i32 {
        day_of(Date::new(y, m, d).unwrap())
    }

    fn session(id: i64, day: i32, sport: &str, time_s: f64) -> SessionTotals {
        SessionTotals {
            activity_id: id,
            day,
            sport: sport.into(),
            time_s: Some(time_s),
            distance_m: Some(time_s * 3.0),
            ascent_m: None,
            aerobic_load: Some(time_s / 60.0),
            mechanical_load: 1.0,
            time_in_zones: vec![ZoneSeconds {
                signal: ZoneSignal::HeartRate,
                seconds: vec![time_s / 2.0, time_s / 2.0],
            }],
        }
    }

    #[test]
    fn zone_seconds_add_up_zone_by_zone_and_keep_every_zone() {
        let mut a = session(1, 0, "run", 100.0);
        a.time_in_zones[0].seconds = vec![10.0, 20.0, 30.0, 40.0, 0.0];
        let b = session(2, 1, "run", 60.0);
        let weeks = summarise(&[a, b], PeriodKind::Week(Weekday::Monday), 0, 1);
        let z = &weeks[0].total.time_in_zones[0];
        assert_eq!(z.seconds, vec![40.0, 50.0, 30.0, 40.0, 0.0]);
    }

    #[test]
    fn weeks_start_on_the_chosen_day() {
        // 2026-12-02 is a Wednesday.
        let wed = day(2026, 12, 2);
        let monday = Period::of(wed, PeriodKind::Week(Weekday::Monday));
        assert_eq!((monday.from_day, monday.to_day), (wed - 2, wed + 4));
        let sunday = Period::of(wed, PeriodKind::Week(Weekday::Sunday));
        assert_eq!(sunday.from_day, wed - 3);
        // A Monday is the first day of its Monday week.
        let m = Period::of(wed - 2, PeriodKind::Week(Weekday::Monday));
        assert_eq!(m.from_day, wed - 2);
    }

    #[test]
    fn months_and_years_follow_the_calendar() {
        let feb = Period::of(day(2028, 2, 10), PeriodKind::Month);
        assert_eq!(
            (feb.from_day, feb.to_day),
            (day(2028, 2, 1), day(2028, 2, 29))
        );
        let y = Period::of(day(2026, 7, 1), PeriodKind::Year);
        assert_eq!((y.from_day, y.to_day), (day(2026, 1, 1), day(2026, 12, 31)));
        assert_eq!(
            Period::range(day(2026, 1, 31), day(2026, 3, 1), PeriodKind::Month).len(),
            3
        );
    }

    #[test]
    fn every_session_is_counted_once_and_empty_weeks_are_kept() {
        let mon = day(2026, 11, 30);
        let sessions = vec![
            session(1, mon - 7, "run", 3600.0),
            session(2, mon - 6, "ride", 7200.0),
            session(3, mon + 1, "run", 1800.0),
            session(4, mon + 2, "run", 2700.0),
        ];
        let weeks = summarise(
            &sessions,
            PeriodKind::Week(Weekday::Monday),
            mon - 14,
            mon + 6,
        );
        assert_eq!(weeks.len(), 3);
        assert_eq!(weeks[0].total.sessions, 0);
        assert!(weeks[0].sports.is_empty());
        assert_eq!(weeks[1].sports.len(), 2);
        assert_eq!(weeks[1].total.time_s, 10_800.0);
        assert_eq!(weeks[1].total.longest.unwrap().activity_id, 2);
        assert_eq!(weeks[2].sports[0].sessions, 2);
        assert_eq!(weeks[2].sports[0].longest.unwrap().activity_id, 4);
        let (by_sport, total) = grand_total(&weeks);
        assert_eq!(total.sessions, 4);
        assert_eq!(
            total.time_s,
            sessions.iter().map(|s| s.time_s.unwrap()).sum::<f64>()
        );
        assert_eq!(by_sport.iter().map(|s| s.sessions).sum::<usize>(), 4);
        assert_eq!(total.longest.unwrap().activity_id, 2);
    }

    #[test]
    fn sessions_outside_the_range_are_left_out() {
        let mon = day(2026, 11, 30);
        let sessions = vec![
            session(1, mon, "run", 600.0),
            session(2, mon + 3, "run", 600.0),
        ];
        let weeks = summarise(
            &sessions,
            PeriodKind::Week(Weekday::Monday),
            mon + 1,
            mon + 6,
        );
        assert_eq!(weeks.len(), 1);
        assert_eq!(weeks[0].total.sessions, 1);
        assert_eq!(weeks[0].sports[0].sessions, 1);
    }
}
