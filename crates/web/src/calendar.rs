//! The calendar: a month in weeks (from the athlete's first day of the
//! week), each day's sessions and each week's totals, for the home page
//! and `/api/v1/calendar`.

use crate::Problem;
use cairn_app::Cairn;
use cairn_store::ActivityFilter;
use serde::Serialize;

/// Days since 1970-01-01 of a `YYYY-MM-DD` day.
pub fn parse_day(text: &str) -> Option<i32> {
    let date: jiff::civil::Date = text.trim().parse().ok()?;
    Some(day_number(date))
}

/// A day parameter (`YYYY-MM-DD`, blank for none), or the problem
/// naming it.
pub fn day_param(text: Option<&str>, what: &str) -> Result<Option<i32>, Problem> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            parse_day(t).ok_or_else(|| {
                Problem::bad_request(format!("{what}={t}: expected a day like 2026-11-21"))
            })
        })
        .transpose()
}

/// Today's local day.
pub fn today() -> i32 {
    day_number(jiff::Zoned::now().date())
}

fn day_number(date: jiff::civil::Date) -> i32 {
    let ts = date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    (ts.div_euclid(86_400)) as i32
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    /// The month named `YYYY-MM`, or the one holding `today`.
    pub fn chosen(text: Option<&str>, today: i32) -> Result<Month, Problem> {
        let Some(text) = text else {
            let day = cairn_app::day_text(today);
            return Month::chosen(Some(&day[..7]), today);
        };
        let bad = || Problem::bad_request(format!("month={text}: expected a month like 2026-11"));
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        let (year, month) = (
            y.parse::<i16>().map_err(|_| bad())?,
            m.parse::<i8>().map_err(|_| bad())?,
        );
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    fn first(self) -> jiff::civil::Date {
        jiff::civil::date(self.year, self.month, 1)
    }

    fn shifted(self, months: i32) -> Month {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 + months;
        Month {
            year: index.div_euclid(12) as i16,
            month: (index.rem_euclid(12) + 1) as i8,
        }
    }

    pub fn text(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarSession {
    pub activity_id: i64,
    pub sport: String,
    pub name: Option<String>,
    /// RFC 3339.
    pub start_time: String,
    pub moving_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    /// `null` when nothing says how hard it was (no heart rate, power,
    /// pace or rating).
    pub aerobic_load: Option<f64>,
    /// Mechanical load units.
    pub mechanical_load: f64,
}

/// A session of the active plan, and how it went.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarPlanned {
    /// "run easy", "hike long 4×5 min"…
    pub session: String,
    pub duration_s: f64,
    pub key: bool,
    /// `done` (at least 80 % of the planned time), `partial`, `missed`,
    /// `upcoming`, `rest`.
    #[schema(value_type = String)]
    pub status: cairn_core::plan::adapt::Status,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    #[serde(with = "cairn_core::time::json::day")]
    #[schema(value_type = String, format = Date)]
    pub day: i32,
    /// Whether the day belongs to the month shown (weeks run over its ends).
    pub in_month: bool,
    pub sessions: Vec<CalendarSession>,
    /// The active plan's sessions that day, if there is a plan.
    pub planned: Vec<CalendarPlanned>,
}

/// One sport family's load in a week.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FamilyLoad {
    /// `run`, `hike`, `ride`, `swim` or `other`.
    pub sport: &'static str,
    pub aerobic_load: f64,
    pub mechanical_load: f64,
}

/// Fitness and form of one dimension at a week's last day.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct FitnessForm {
    pub fitness: f64,
    pub form: f64,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct WeekTotal {
    pub sessions: usize,
    pub moving_s: f64,
    pub distance_m: f64,
    pub ascent_m: f64,
    /// Load by sport family, those with any.
    pub load: Vec<FamilyLoad>,
    /// At the week's last day, or today within this week; `null` for
    /// weeks after today or before the first activity.
    pub aerobic: Option<FitnessForm>,
    pub mechanical: Option<FitnessForm>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarWeek {
    #[serde(with = "cairn_core::time::json::day")]
    #[schema(value_type = String, format = Date)]
    pub start_day: i32,
    pub days: Vec<CalendarDay>,
    pub total: WeekTotal,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarMonth {
    pub month: String,
    pub previous: String,
    pub next: String,
    pub weeks: Vec<CalendarWeek>,
}

/// The day of the week of `day`, Monday 0 … Sunday 6.
pub fn weekday_of(day: i32) -> i32 {
    // 1970-01-01 was a Thursday.
    (day + 3).rem_euclid(7)
}

/// The first day of the week holding `day`, weeks starting on `first`
/// (Monday 0 … Sunday 6).
pub fn week_start_of(day: i32, first: i32) -> i32 {
    day - (weekday_of(day) - first).rem_euclid(7)
}

/// The athlete's first day of the week, Monday 0 … Sunday 6.
fn first_weekday(cairn: &Cairn) -> Result<i32, Problem> {
    Ok(i32::from(cairn.week_start()?.to_monday_zero_offset()))
}

/// The month's weeks from the week holding its first day to the week
/// holding its last (weeks as the athlete starts them), with the counted
/// sessions of each day.
pub fn month(cairn: &mut Cairn, m: Month, today: i32) -> Result<CalendarMonth, Problem> {
    let first = day_number(m.first());
    let next_first = day_number(m.shifted(1).first());
    let ws = first_weekday(cairn)?;
    let start = week_start_of(first, ws);
    let end = week_start_of(next_first - 1, ws) + 7;
    Ok(CalendarMonth {
        month: m.text(),
        previous: m.shifted(-1).text(),
        next: m.shifted(1).text(),
        weeks: weeks(cairn, start, end, first..next_first, today)?,
    })
}

/// One week as the athlete starts it, with the days before and after it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarWeekView {
    pub week: CalendarWeek,
    #[serde(with = "cairn_core::time::json::day")]
    #[schema(value_type = String, format = Date)]
    pub previous: i32,
    #[serde(with = "cairn_core::time::json::day")]
    #[schema(value_type = String, format = Date)]
    pub next: i32,
}

/// The week holding `day`.
pub fn week(cairn: &mut Cairn, day: i32, today: i32) -> Result<CalendarWeekView, Problem> {
    let start = week_start_of(day, first_weekday(cairn)?);
    let mut w = weeks(cairn, start, start + 7, start..start + 7, today)?;
    Ok(CalendarWeekView {
        week: w.remove(0),
        previous: start - 7,
        next: start + 7,
    })
}

/// Weeks from `start` (a first day of the week) to `end` (exclusive), the days in
/// `highlight` marked as in the month.
fn weeks(
    cairn: &mut Cairn,
    start: i32,
    end: i32,
    highlight: std::ops::Range<i32>,
    today: i32,
) -> Result<Vec<CalendarWeek>, Problem> {
    let filter = ActivityFilter {
        from_ms: Some(i64::from(start) * 86_400_000),
        to_ms: Some(i64::from(end) * 86_400_000),
        ..ActivityFilter::default()
    };
    let activities: Vec<_> = cairn
        .activities_shared(&filter)?
        .into_iter()
        .filter(|a| a.is_primary)
        .collect();
    let report = cairn.loads_shared()?;
    let loads: std::collections::HashMap<i64, (Option<f64>, f64)> = report
        .rows
        .iter()
        .map(|r| (r.id, (r.aerobic, r.mechanical)))
        .collect();
    let series = cairn.series_shared(today)?;
    let at = |dimension: &str, day: i32| -> Option<FitnessForm> {
        let s = series
            .iter()
            .find(|s| s.dimension == dimension && s.sport.is_none())?;
        let p = s.points.iter().find(|p| p.day == day)?;
        Some(FitnessForm {
            fitness: p.fitness,
            form: p.form,
        })
    };
    // The active plan's sessions in these weeks, with their compliance.
    let mut planned: Vec<(i32, CalendarPlanned)> = Vec::new();
    if cairn.active_plan()?.is_some() {
        let (active, status) = cairn.plan_status(today)?;
        for (w, c) in active.plan.weeks.iter().zip(&status) {
            for (i, s) in w.sessions.iter().enumerate() {
                if !(start..end).contains(&s.day)
                    || !s.counts()
                    || s.kind == cairn_core::plan::Kind::Rest
                {
                    continue;
                }
                let Some(sc) = c.sessions.iter().find(|x| x.index == i) else {
                    continue;
                };
                planned.push((
                    s.day,
                    CalendarPlanned {
                        session: s.summary(),
                        duration_s: s.duration_s,
                        key: s.key,
                        status: sc.status,
                    },
                ));
            }
        }
    }
    let mut weeks = Vec::new();
    for week_start in (start..end).step_by(7) {
        let mut total = WeekTotal::default();
        let days = (week_start..week_start + 7)
            .map(|day| {
                let sessions: Vec<CalendarSession> = activities
                    .iter()
                    .filter(|a| cairn_app::training::local_day(a) == day)
                    .map(|a| {
                        let (aerobic_load, mechanical_load) =
                            loads.get(&a.id).copied().unwrap_or((None, 0.0));
                        CalendarSession {
                            activity_id: a.id,
                            sport: a.sport.clone(),
                            name: a.name.clone(),
                            start_time: cairn_core::time::rfc3339(a.start_ms),
                            moving_s: a.summary.moving_s,
                            distance_m: a.summary.distance_m,
                            ascent_m: a.summary.ascent_m,
                            aerobic_load,
                            mechanical_load,
                        }
                    })
                    .collect();
                for s in &sessions {
                    total.sessions += 1;
                    total.moving_s += s.moving_s.unwrap_or(0.0);
                    total.distance_m += s.distance_m.unwrap_or(0.0);
                    total.ascent_m += s.ascent_m.unwrap_or(0.0);
                    let family = cairn_app::training::family(&s.sport);
                    let i = match total.load.iter().position(|l| l.sport == family) {
                        Some(i) => i,
                        None => {
                            total.load.push(FamilyLoad {
                                sport: family,
                                aerobic_load: 0.0,
                                mechanical_load: 0.0,
                            });
                            total.load.len() - 1
                        }
                    };
                    total.load[i].aerobic_load += s.aerobic_load.unwrap_or(0.0);
                    total.load[i].mechanical_load += s.mechanical_load;
                }
                CalendarDay {
                    day,
                    in_month: highlight.contains(&day),
                    sessions,
                    planned: planned
                        .iter()
                        .filter(|(d, _)| *d == day)
                        .map(|(_, p)| p.clone())
                        .collect(),
                }
            })
            .collect();
        total.load.sort_by_key(|l| l.sport);
        let last = (week_start + 6).min(today);
        if last >= week_start {
            total.aerobic = at("aerobic", last);
            total.mechanical = at("mechanical", last);
        }
        weeks.push(CalendarWeek {
            start_day: week_start,
            days,
            total,
        });
    }
    Ok(weeks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_over_years_and_refuse_nonsense() {
        let m = Month::chosen(Some("2026-12"), 0).unwrap();
        assert_eq!(m.shifted(1).text(), "2027-01");
        assert_eq!(m.shifted(-12).text(), "2025-12");
        for bad in ["2026-13", "2026", "nov", "2026-00"] {
            assert!(Month::chosen(Some(bad), 0).is_err(), "{bad}");
        }
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(Month::chosen(None, 20_790).unwrap().text(), "2026-12");
        // 2026-12-03 was a Thursday; its week starts on Monday 2026-11-30,
        // or on Sunday 2026-11-29 for those whose weeks start on Sundays.
        assert_eq!(weekday_of(20_790), 3);
        assert_eq!(week_start_of(20_790, 0), 20_787);
        assert_eq!(week_start_of(20_787, 0), 20_787);
        assert_eq!(week_start_of(20_790, 6), 20_786);
        assert_eq!(week_start_of(20_786, 6), 20_786);
        assert_eq!(week_start_of(20_785, 6), 20_779);
    }
}
