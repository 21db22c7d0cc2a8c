//! Weekly, monthly and yearly totals per sport, with fitness and form at
//! each period's end: the everyday view of the log.

use crate::training::{family, local_day, Series};
use crate::{AppError, Cairn, Result};
use cairn_core::summary::{
    grand_total, summarise, FormAtEnd, PeriodKind, SessionTotals, Totals, ZoneSeconds,
};
pub use cairn_core::summary::{Period, PeriodSummary};
use cairn_store::ActivityFilter;
use jiff::civil::Weekday;
use serde::Serialize;

/// What `summary` was asked for.
#[derive(Debug, Clone)]
pub struct SummaryQuery {
    /// `week`, `month` or `year`.
    pub by: String,
    /// Sport ids to count (a family expanded); every sport when empty.
    pub sports: Vec<String>,
    pub from_day: Option<i32>,
    pub to_day: Option<i32>,
    pub today: i32,
}

/// Every period of the range, and the range's totals.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryReport {
    pub by: &'static str,
    /// The first day of the athlete's week (`monday` unless chosen).
    pub week_start: &'static str,
    pub range: Period,
    pub periods: Vec<PeriodSummary>,
    /// Per sport family over the whole range.
    pub sports: Vec<Totals>,
    pub total: Totals,
}

pub(crate) fn weekday_name(w: Weekday) -> &'static str {
    cairn_core::time::json::WEEKDAYS[w.to_monday_zero_offset() as usize]
}

/// `mon`, `Monday`, `sun` … as goals read them.
pub(crate) fn parse_weekday(text: &str) -> Option<Weekday> {
    cairn_core::plan::goal::parse_weekday(text)
        .map(|i| Weekday::from_monday_zero_offset(i as i8).unwrap_or(Weekday::Monday))
}

impl Cairn {
    /// The first day of the athlete's week: Monday unless chosen.
    pub fn week_start(&self) -> Result<Weekday> {
        Ok(self
            .store
            .setting(self.athlete, "week_start")?
            .as_deref()
            .and_then(parse_weekday)
            .unwrap_or(Weekday::Monday))
    }

    /// Chooses (and remembers) the first day of the week.
    pub fn set_week_start(&mut self, day: &str) -> Result<Weekday> {
        let w = parse_weekday(day).ok_or_else(|| {
            AppError::Invalid(format!("week start '{day}': one of mon, tue, … sun"))
        })?;
        self.store
            .set_setting(self.athlete, "week_start", weekday_name(w))?;
        Ok(w)
    }

    /// Totals per period and sport family. Only the primary copy of a
    /// duplicate counts; time is moving time (the timer for sessions that do
    /// not move). Without `from`, the last 12 weeks or months, or every year.
    pub fn summary(&mut self, q: &SummaryQuery) -> Result<SummaryReport> {
        let week_start = self.week_start()?;
        let kind = PeriodKind::from_id(&q.by, week_start)
            .ok_or_else(|| AppError::Invalid(format!("--by {}: one of week, month, year", q.by)))?;
        let report = self.loads(false)?;
        let activities = self.store.activities(
            self.athlete,
            &ActivityFilter {
                sports: q.sports.clone(),
                ..Default::default()
            },
        )?;
        let loads: std::collections::HashMap<i64, &crate::training::LoadRow> =
            report.rows.iter().map(|r| (r.id, r)).collect();
        let sessions: Vec<SessionTotals> = activities
            .iter()
            .filter(|a| a.is_primary)
            .map(|a| {
                let load = loads.get(&a.id);
                SessionTotals {
                    activity_id: a.id,
                    day: local_day(a),
                    sport: family(&a.sport).to_string(),
                    time_s: a.summary.moving_s.or(a.summary.timer_s),
                    distance_m: a.summary.distance_m,
                    ascent_m: a.summary.ascent_m,
                    aerobic_load: load.and_then(|l| l.aerobic),
                    mechanical_load: load.map(|l| l.mechanical).unwrap_or(0.0),
                    time_in_zones: load
                        .map(|l| {
                            l.time_in_zones
                                .iter()
                                .map(|z| ZoneSeconds {
                                    signal: z.scheme.signal,
                                    seconds: z.seconds.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect();
        let to = q.to_day.unwrap_or(q.today);
        let from = match (q.from_day, kind) {
            (Some(f), _) => f,
            (None, PeriodKind::Week(_)) => Period::of(to, kind).from_day - 11 * 7,
            (None, PeriodKind::Month) => {
                let mut p = Period::of(to, kind);
                for _ in 0..11 {
                    p = Period::of(p.from_day - 1, kind);
                }
                p.from_day
            }
            (None, PeriodKind::Year) => sessions.iter().map(|s| s.day).min().unwrap_or(to),
        };
        if from > to {
            return Err(AppError::Invalid(format!(
                "--from {} is after --to {}",
                crate::day_text(from),
                crate::day_text(to)
            )));
        }
        let mut periods = summarise(&sessions, kind, from, to);
        let series = self.series_of(&report, to)?;
        for p in &mut periods {
            let end = p.period.to_day.min(to);
            p.total.aerobic = form_at(&series, "aerobic", None, end);
            p.total.mechanical = form_at(&series, "mechanical", None, end);
            for s in &mut p.sports {
                let sport = s.sport.as_deref();
                s.aerobic = form_at(&series, "aerobic", sport, end);
                s.mechanical = form_at(&series, "mechanical", sport, end);
            }
        }
        let (sports, total) = grand_total(&periods);
        Ok(SummaryReport {
            by: match kind {
                PeriodKind::Week(_) => "week",
                PeriodKind::Month => "month",
                PeriodKind::Year => "year",
            },
            week_start: weekday_name(week_start),
            range: Period {
                from_day: from,
                to_day: to,
            },
            periods,
            sports,
            total,
        })
    }
}

/// Fitness and form of one series on `day`, when the series reaches it.
fn form_at(series: &[Series], dimension: &str, sport: Option<&str>, day: i32) -> Option<FormAtEnd> {
    let s = series
        .iter()
        .find(|s| s.dimension == dimension && s.sport == sport)?;
    let p = s.points.iter().rev().find(|p| p.day <= day)?;
    Some(FormAtEnd {
        fitness: p.fitness,
        form: p.form,
    })
}
