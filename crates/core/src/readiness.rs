//! "Am I ready for this trek, this race?": what a goal demands beside the
//! best the athlete has shown recently, one line per demand, each with its
//! evidence (day, activity), the gap, and what the active plan does about it.
//!
//! The method is cairn's own choice, stated so it can be argued with:
//! a demand is *met* when the best of the last [`WINDOW_DAYS`] days reaches
//! [`MET_FRACTION`] of it (a plan peaks its long hike at 80 % of the goal's
//! Naismith time, plan/generate.rs: nobody rehearses the whole goal),
//! *partly met* from [`PARTLY_FRACTION`], otherwise *not met*. Altitude
//! follows the haemoglobin-mass literature instead (science.md §10b): gains
//! need about 300 h at or above 2,000 m (Gore et al. 2013) and are gone two
//! to three weeks after descent, so only the last [`ALTITUDE_WINDOW_DAYS`]
//! days count.

use crate::environment::altitude::DayExposure;
use crate::model::Sport;
use crate::plan::goal::{Goal, GoalKind};
use crate::plan::session::{Kind, Mode, Plan};
use crate::predict::hiking::naismith_s;
use serde::Serialize;

/// Days of history a demand is judged on: eight weeks, long enough to hold
/// a build block's long sessions, short enough that last season's form does
/// not count (cairn's own choice).
pub const WINDOW_DAYS: i32 = 56;
/// Share of a demand that counts as met (cairn's own choice, as above).
pub const MET_FRACTION: f64 = 0.8;
/// Share of a demand that counts as partly met (cairn's own choice).
pub const PARTLY_FRACTION: f64 = 0.5;
/// Hours at or above 2,000 m that likely raise haemoglobin mass: a two-week
/// camp (Gore et al. 2013, science.md §10b).
pub const ALTITUDE_HOURS: f64 = 300.0;
/// Days after which an altitude gain is gone (science.md §10b: back to
/// baseline within about two to three weeks).
pub const ALTITUDE_WINDOW_DAYS: i32 = 21;
/// Goals at or above this altitude have an altitude demand: the threshold
/// the plan's own acclimatisation note uses (plan/generate.rs).
pub const ALTITUDE_DEMAND_FROM_M: f64 = 2500.0;
/// A trek day's hours when the goal gives no distance: a typical day on a
/// trekking route (cairn's own choice).
pub const DEFAULT_TREK_DAY_S: f64 = 6.0 * 3600.0;
/// Naismith's climbing rate, 600 m an hour (science.md §4a).
pub const NAISMITH_CLIMB_M_PER_H: f64 = 600.0;
/// Back-to-back days a multi-day goal asks of training: two (cairn's own
/// choice; no preparation repeats the whole trek).
pub const DAYS_IN_A_ROW: u32 = 2;

/// How the rule and plan texts write a height and a mass: the caller's
/// display units (everything is computed in SI).
pub trait Say {
    fn height(&self, m: f64) -> String;
    fn mass(&self, kg: f64) -> String;
}

/// SI, as the JSON documents write them.
pub struct Si;

impl Say for Si {
    fn height(&self, m: f64) -> String {
        format!("{m:.0} m")
    }
    fn mass(&self, kg: f64) -> String {
        format!("{kg:.0} kg")
    }
}

/// One recorded session, as readiness reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub activity_id: i64,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub sport: Sport,
    pub moving_s: f64,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    pub max_altitude_m: Option<f64>,
    /// The pack the athlete logged for it.
    pub pack_kg: Option<f64>,
    /// Most metres climbed in any 60 minutes.
    pub vertical_60min_m: Option<f64>,
}

/// A fitness value now and four weeks before, for the trend demands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    pub now: f64,
    pub four_weeks_ago: f64,
}

/// What the athlete has shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Counted sessions (duplicates left out), any order.
    pub sessions: Vec<Session>,
    /// Altitude exposure by day (activities and stays).
    pub exposure: Vec<DayExposure>,
    /// The predicted race time for the goal's distance, with the activity
    /// it comes from.
    pub predicted: Option<(f64, Proof)>,
    pub aerobic_fitness: Option<Trend>,
    pub mechanical_fitness: Option<Trend>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Partly,
    NotMet,
    /// Nothing recorded that could show it.
    Unknown,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partly => "partly",
            Status::NotMet => "not_met",
            Status::Unknown => "unknown",
        }
    }

    /// Met 2, partly 1, not met or unknown 0: more evidence never lowers it.
    pub fn rank(self) -> u8 {
        match self {
            Status::Met => 2,
            Status::Partly => 1,
            Status::NotMet | Status::Unknown => 0,
        }
    }

    /// Met, partly or not met by the shown share of the demand.
    fn of_share(share: f64) -> Status {
        if share >= MET_FRACTION {
            Status::Met
        } else if share >= PARTLY_FRACTION {
            Status::Partly
        } else {
            Status::NotMet
        }
    }
}

/// An activity a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Proof {
    pub activity_id: i64,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
}

/// One thing the goal asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Demand {
    /// `hours_per_day`, `days_in_a_row`, `ascent_per_day`, …
    pub id: &'static str,
    pub unit: &'static str,
    /// What the goal asks for, in `unit`.
    pub demand: f64,
    /// The best shown in the window, in `unit`; `None` when nothing shows it.
    pub shown: Option<f64>,
    /// How much is missing to meet it, in `unit` (`demand × 0.8 − shown`
    /// for the volume demands), 0 when met; `None` when nothing was shown.
    pub gap: Option<f64>,
    pub status: Status,
    /// The sessions behind `shown`.
    pub evidence: Vec<Proof>,
    /// How the demand was set and judged.
    pub rule: String,
    /// What the active plan does about it; `None` without a plan.
    pub plan: Option<String>,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    pub kind: GoalKind,
    #[serde(with = "crate::time::json::day")]
    pub goal_day: i32,
    #[serde(with = "crate::time::json::day")]
    pub today: i32,
    pub window_days: i32,
    pub demands: Vec<Demand>,
    pub met: usize,
    /// One sentence: ready, or what is missing.
    pub verdict: String,
}

/// A day's sessions on foot, summed.
#[derive(Debug, Clone, Default)]
struct FootDay {
    moving_s: f64,
    ascent_m: f64,
    descent_m: f64,
    proofs: Vec<Proof>,
}

fn proof(s: &Session) -> Proof {
    Proof {
        activity_id: s.activity_id,
        day: s.day,
    }
}

/// The hours a day of the goal takes: Naismith's time for its distance and
/// ascent, else a typical trek day.
pub fn goal_day_s(goal: &Goal) -> f64 {
    match goal.distance_m {
        Some(d) => naismith_s(d, goal.ascent_m.unwrap_or(0.0)),
        None => DEFAULT_TREK_DAY_S,
    }
}

/// Judges `goal` on `ev` as of `today`, with what `plan` (the active one)
/// does from today on.
pub fn assess(
    goal: &Goal,
    ev: &Evidence,
    today: i32,
    plan: Option<&Plan>,
    say: &dyn Say,
) -> Readiness {
    let from = today - WINDOW_DAYS + 1;
    let recent: Vec<&Session> = ev
        .sessions
        .iter()
        .filter(|s| s.day >= from && s.day <= today)
        .collect();
    let ahead = Ahead { plan, today, say };
    let mut demands = if goal.kind.on_foot_with_pack() {
        on_foot(goal, &recent, &ahead)
    } else {
        endurance(goal, &recent, ev, &ahead)
    };
    if let Some(t) = if goal.kind.on_foot_with_pack() {
        ev.mechanical_fitness
    } else {
        ev.aerobic_fitness
    } {
        demands.push(trend(goal, t, &ahead));
    }
    if let Some(a) = goal.max_altitude_m.filter(|a| *a >= ALTITUDE_DEMAND_FROM_M) {
        demands.push(altitude(a, &ev.exposure, today, &ahead));
    }
    let met = demands.iter().filter(|d| d.status == Status::Met).count();
    let missing: Vec<&str> = demands
        .iter()
        .filter(|d| d.status != Status::Met)
        .map(|d| label(d.id))
        .collect();
    let verdict = if missing.is_empty() {
        format!(
            "ready: all {} demands met in the last {WINDOW_DAYS} days",
            demands.len()
        )
    } else {
        format!(
            "{met} of {} demands met; missing: {}",
            demands.len(),
            missing.join(", ")
        )
    };
    Readiness {
        kind: goal.kind,
        goal_day: goal.day,
        today,
        window_days: WINDOW_DAYS,
        demands,
        met,
        verdict,
    }
}

/// The demand's name in words.
pub fn label(id: &str) -> &'static str {
    match id {
        "hours_per_day" => "hours on foot in a day",
        "days_in_a_row" => "days on foot in a row",
        "ascent_per_day" => "ascent in a day",
        "descent_per_day" => "descent in a day",
        "pack" => "pack carried",
        "climb_rate" => "climbing rate",
        "mechanical_fitness" => "mechanical fitness",
        "aerobic_fitness" => "aerobic fitness",
        "altitude" => "altitude exposure",
        "long_session" => "longest session",
        "distance" => "distance in one session",
        "predicted_time" => "predicted time",
        _ => "demand",
    }
}

/// A volume demand judged by the share shown.
fn volume(
    id: &'static str,
    unit: &'static str,
    demand: f64,
    best: Option<(f64, Vec<Proof>)>,
    rule: String,
    plan: Option<String>,
) -> Demand {
    let (shown, gap, status, evidence) = match best {
        Some((v, proofs)) if demand > 0.0 => (
            Some(v),
            Some((MET_FRACTION * demand - v).max(0.0)),
            Status::of_share(v / demand),
            proofs,
        ),
        _ => (None, None, Status::Unknown, Vec::new()),
    };
    Demand {
        id,
        unit,
        demand,
        shown,
        gap,
        status,
        evidence,
        rule,
        plan,
    }
}

fn met_rule(what: &str) -> String {
    format!(
        "{what}; met at {:.0} % in the last {WINDOW_DAYS} days, partly from {:.0} % (cairn's own choice)",
        MET_FRACTION * 100.0,
        PARTLY_FRACTION * 100.0
    )
}

/// The trek's and the hike's demands.
fn on_foot(goal: &Goal, recent: &[&Session], ahead: &Ahead) -> Vec<Demand> {
    let mut days: std::collections::BTreeMap<i32, FootDay> = Default::default();
    for s in recent.iter().filter(|s| s.sport.is_on_foot()) {
        let d = days.entry(s.day).or_default();
        d.moving_s += s.moving_s;
        d.ascent_m += s.ascent_m.unwrap_or(0.0);
        d.descent_m += s.descent_m.unwrap_or(0.0);
        d.proofs.push(proof(s));
    }
    let best_day = |f: &dyn Fn(&FootDay) -> f64| {
        days.values()
            .filter(|d| f(d) > 0.0)
            .max_by(|a, b| f(a).total_cmp(&f(b)))
            .map(|d| (f(d), d.proofs.clone()))
    };
    let day_s = goal_day_s(goal);
    let mut out = vec![volume(
        "hours_per_day",
        "s",
        day_s,
        best_day(&|d| d.moving_s),
        met_rule(&match goal.distance_m {
            Some(_) => {
                "Naismith's time for the goal's distance and ascent (science.md §4a)".to_string()
            }
            None => format!(
                "no distance given: a typical trek day of {:.0} h",
                DEFAULT_TREK_DAY_S / 3600.0
            ),
        }),
        ahead.long(day_s),
    )];
    let goal_days = goal.days.unwrap_or(1);
    if goal_days >= 2 {
        let need = DAYS_IN_A_ROW.min(goal_days);
        let half = 0.5 * day_s;
        let mut best: Option<(f64, Vec<Proof>)> = None;
        let mut streak: Vec<Proof> = Vec::new();
        let mut streak_days = 0.0;
        let mut last: Option<i32> = None;
        for (day, d) in &days {
            if d.moving_s < half {
                continue;
            }
            if last != Some(day - 1) {
                streak.clear();
                streak_days = 0.0;
            }
            streak.extend(d.proofs.iter().copied());
            streak_days += 1.0;
            last = Some(*day);
            let n = streak_days;
            if best.as_ref().is_none_or(|(b, _)| n > *b) {
                best = Some((n, streak.clone()));
            }
        }
        let shown = best.as_ref().map_or(0.0, |b| b.0);
        out.push(Demand {
            id: "days_in_a_row",
            unit: "days",
            demand: f64::from(need),
            shown: Some(shown),
            gap: Some((f64::from(need) - shown).max(0.0)),
            status: if shown >= f64::from(need) {
                Status::Met
            } else if shown >= 1.0 {
                Status::Partly
            } else {
                Status::NotMet
            },
            evidence: best.map(|b| b.1).unwrap_or_default(),
            rule: format!(
                "a {goal_days}-day goal: {need} days in a row, each at least half a goal day ({:.1} h) on foot, in the last {WINDOW_DAYS} days (cairn's own choice: no preparation repeats the whole trek)",
                half / 3600.0
            ),
            plan: ahead.back_to_back(half),
        });
    }
    if let Some(ascent) = goal.ascent_m.filter(|a| *a > 0.0) {
        out.push(volume(
            "ascent_per_day",
            "m",
            ascent,
            best_day(&|d| d.ascent_m),
            met_rule("the goal's ascent in a day"),
            ahead.hills(),
        ));
        out.push(volume(
            "descent_per_day",
            "m",
            ascent,
            best_day(&|d| d.descent_m),
            met_rule("the goal's descent in a day, taken equal to its ascent"),
            ahead.hills(),
        ));
        out.push(climb_rate(goal, recent, ahead));
    }
    if let Some(pack) = goal.pack_kg.filter(|p| *p > 0.0) {
        let best = recent
            .iter()
            .filter(|s| s.sport.is_on_foot() && s.moving_s >= 3600.0)
            .filter_map(|s| s.pack_kg.filter(|p| *p > 0.0).map(|p| (p, s)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(p, s)| (p, vec![proof(s)]));
        out.push(volume(
            "pack",
            "kg",
            pack,
            best,
            met_rule("the goal's pack, carried for an hour or more"),
            ahead.pack(),
        ));
    }
    out
}

/// Most metres climbed in 60 minutes against Naismith's rate. A climb with
/// at least half the goal's pack counts in full; without a pack it counts
/// one step lower (met becomes partly), so a slower climb with the pack
/// never makes the athlete look less ready than before it.
fn climb_rate(goal: &Goal, recent: &[&Session], ahead: &Ahead) -> Demand {
    let goal_pack = goal.pack_kg.unwrap_or(0.0);
    let loaded = goal_pack * PARTLY_FRACTION;
    let best = |with_pack: bool| {
        recent
            .iter()
            .filter(|s| s.sport.is_on_foot())
            .filter(|s| !with_pack || s.pack_kg.is_some_and(|p| p > 0.0 && p >= loaded))
            .filter_map(|s| s.vertical_60min_m.map(|v| (v, s)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(v, s)| (v, vec![proof(s)]))
    };
    let rule = |what: &str| {
        met_rule(&format!(
            "Naismith's {} an hour (science.md §4a), as the most climbed in 60 minutes{what}",
            ahead.say.height(NAISMITH_CLIMB_M_PER_H)
        ))
    };
    if goal_pack <= 0.0 {
        return volume(
            "climb_rate",
            "m/h",
            NAISMITH_CLIMB_M_PER_H,
            best(false),
            rule(""),
            ahead.hills(),
        );
    }
    let packed = volume(
        "climb_rate",
        "m/h",
        NAISMITH_CLIMB_M_PER_H,
        best(true),
        rule(&format!(
            " with at least {} on the back",
            ahead.say.mass(loaded)
        )),
        ahead.hills(),
    );
    let mut any = volume(
        "climb_rate",
        "m/h",
        NAISMITH_CLIMB_M_PER_H,
        best(false),
        rule(&format!(
            "; a climb without at least {} on the back counts one step lower",
            ahead.say.mass(loaded)
        )),
        ahead.hills(),
    );
    any.status = match any.status {
        Status::Met => Status::Partly,
        Status::Partly => Status::NotMet,
        other => other,
    };
    if packed.status == Status::Unknown || any.status.rank() > packed.status.rank() {
        any
    } else {
        packed
    }
}

/// The race's and the ride's demands.
fn endurance(goal: &Goal, recent: &[&Session], ev: &Evidence, ahead: &Ahead) -> Vec<Demand> {
    let family = |s: &Sport| match goal.kind {
        GoalKind::Ride => s.is_cycling(),
        _ => s.is_running(),
    };
    let mine: Vec<&&Session> = recent.iter().filter(|s| family(&s.sport)).collect();
    let peak_s = crate::plan::generate::long_peak_s(goal);
    let longest = mine
        .iter()
        .max_by(|a, b| a.moving_s.total_cmp(&b.moving_s))
        .map(|s| (s.moving_s, vec![proof(s)]));
    let mut out = vec![volume(
        "long_session",
        "s",
        peak_s,
        longest,
        met_rule("the long session a plan for this goal peaks at (plan/generate.rs)"),
        ahead.long(peak_s),
    )];
    if let Some(distance) = goal.distance_m {
        let farthest = mine
            .iter()
            .filter_map(|s| s.distance_m.map(|d| (d, s)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(d, s)| (d, vec![proof(s)]));
        out.push(volume(
            "distance",
            "m",
            distance,
            farthest,
            met_rule("the goal's distance in one session"),
            ahead.long(peak_s),
        ));
    }
    if let (Some(target), GoalKind::Race) = (goal.target_s, goal.kind) {
        let (shown, status, gap, evidence) = match ev.predicted {
            Some((t, p)) => (
                Some(t),
                if t <= target {
                    Status::Met
                } else if t <= target * 1.05 {
                    Status::Partly
                } else {
                    Status::NotMet
                },
                Some((t - target).max(0.0)),
                vec![p],
            ),
            None => (None, Status::Unknown, None, Vec::new()),
        };
        out.push(Demand {
            id: "predicted_time",
            unit: "s",
            demand: target,
            shown,
            gap,
            status,
            evidence,
            rule: "the race prediction from recent best efforts (VDOT, science.md §9b) against the target; partly within 5 % (cairn's own choice)".into(),
            plan: ahead.quality(),
        });
    }
    out
}

/// Fitness rising or steady into the goal.
fn trend(goal: &Goal, t: Trend, ahead: &Ahead) -> Demand {
    let (id, what) = if goal.kind.on_foot_with_pack() {
        (
            "mechanical_fitness",
            "mechanical fitness (impact and descent, science.md §12)",
        )
    } else {
        ("aerobic_fitness", "aerobic fitness (science.md §7b)")
    };
    let share = if t.four_weeks_ago > 0.0 {
        t.now / t.four_weeks_ago
    } else if t.now > 0.0 {
        1.0
    } else {
        0.0
    };
    Demand {
        id,
        unit: "load/day",
        demand: t.four_weeks_ago,
        shown: Some(t.now),
        gap: Some((t.four_weeks_ago - t.now).max(0.0)),
        status: if t.now <= 0.0 {
            Status::NotMet
        } else if share >= 1.0 {
            Status::Met
        } else if share >= 0.9 {
            Status::Partly
        } else {
            Status::NotMet
        },
        evidence: Vec::new(),
        rule: format!("{what} today at or above its level four weeks ago; partly from 90 % (cairn's own choice)"),
        plan: ahead.growth(),
    }
}

/// Recent time at altitude against what raises haemoglobin mass.
fn altitude(goal_m: f64, exposure: &[DayExposure], today: i32, ahead: &Ahead) -> Demand {
    let from = today - ALTITUDE_WINDOW_DAYS + 1;
    let recent: Vec<&DayExposure> = exposure
        .iter()
        .filter(|d| d.day >= from && d.day <= today)
        .collect();
    // `+ 0.0`: an empty sum is -0.
    let hours: f64 = recent.iter().map(|d| d.hours_high).sum::<f64>() + 0.0;
    let highest = recent
        .iter()
        .filter_map(|d| d.max_altitude_m)
        .fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.max(a))));
    Demand {
        id: "altitude",
        unit: "h",
        demand: ALTITUDE_HOURS,
        shown: Some(hours),
        gap: Some((ALTITUDE_HOURS - hours).max(0.0)),
        status: if hours >= ALTITUDE_HOURS {
            Status::Met
        } else if hours > 0.0 {
            Status::Partly
        } else {
            Status::NotMet
        },
        evidence: Vec::new(),
        rule: format!(
            "the goal reaches {}: {ALTITUDE_HOURS:.0} h at or above {} in the last {ALTITUDE_WINDOW_DAYS} days likely raise haemoglobin mass, and gains are gone 2–3 weeks after descent (Gore et al. 2013, science.md §10b){}",
            ahead.say.height(goal_m),
            ahead.say.height(crate::environment::altitude::HBMASS_FROM_M),
            match highest {
                Some(h) => format!("; highest in that time {}", ahead.say.height(h)),
                None => String::new(),
            }
        ),
        plan: ahead.plan.map(|_| {
            "training at home does not acclimatise: plan slow ascent days on the trek, and log stays at altitude (`cairn stay add`)".to_string()
        }),
    }
}

/// The active plan's sessions from today on, read for each demand, and
/// how the texts write quantities.
struct Ahead<'a> {
    plan: Option<&'a Plan>,
    today: i32,
    say: &'a dyn Say,
}

impl<'a> Ahead<'a> {
    /// (week number, session) for every counted session from today on.
    fn sessions(&self) -> Vec<(u32, &'a crate::plan::session::PlannedSession)> {
        self.plan
            .map(|p| {
                p.weeks
                    .iter()
                    .flat_map(|w| w.planned().map(move |s| (w.number, s)))
                    .filter(|(_, s)| s.day >= self.today)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn weeks_text(weeks: &[u32]) -> String {
        match (weeks.first(), weeks.last()) {
            (Some(a), Some(b)) if a == b => format!("week {a}"),
            (Some(a), Some(b)) => format!("weeks {a}–{b}"),
            _ => String::new(),
        }
    }

    fn long(&self, demand_s: f64) -> Option<String> {
        self.plan?;
        let long: Vec<_> = self
            .sessions()
            .into_iter()
            .filter(|(_, s)| s.kind == Kind::Long && s.mode.is_endurance())
            .collect();
        let Some((week, top)) = long
            .iter()
            .max_by(|a, b| a.1.duration_s.total_cmp(&b.1.duration_s))
        else {
            return Some("no long sessions left in the plan".into());
        };
        let weeks: Vec<u32> = long.iter().map(|(w, _)| *w).collect();
        let reaches = top.duration_s >= MET_FRACTION * demand_s - 300.0;
        Some(format!(
            "{} long sessions in {}, up to {:.1} h in week {week}{}",
            long.len(),
            Self::weeks_text(&weeks),
            top.duration_s / 3600.0,
            if reaches {
                ""
            } else {
                ": short of the demand (the load grows at most the plan's cap a week)"
            }
        ))
    }

    fn back_to_back(&self, half_s: f64) -> Option<String> {
        self.plan?;
        let days: std::collections::BTreeMap<i32, u32> = self
            .sessions()
            .into_iter()
            .filter(|(_, s)| s.mode.is_endurance() && s.duration_s >= half_s)
            .map(|(w, s)| (s.day, w))
            .collect();
        let pairs: Vec<u32> = days
            .iter()
            .filter(|(d, _)| days.contains_key(&(*d + 1)))
            .map(|(_, w)| *w)
            .collect();
        Some(if pairs.is_empty() {
            format!(
                "no two days in a row of {:.1} h or more in the plan: add a second long day after the long hike",
                half_s / 3600.0
            )
        } else {
            format!("back-to-back long days in {}", Self::weeks_text(&pairs))
        })
    }

    fn hills(&self) -> Option<String> {
        self.plan?;
        let hills: Vec<u32> = self
            .sessions()
            .into_iter()
            .filter(|(_, s)| s.kind == Kind::HillRepeats || s.mode == Mode::Stairs)
            .map(|(w, _)| w)
            .collect();
        Some(if hills.is_empty() {
            "no hill or stairs sessions left in the plan".into()
        } else {
            format!(
                "{} hill-repeat or stairs sessions in {}",
                hills.len(),
                Self::weeks_text(&hills)
            )
        })
    }

    fn pack(&self) -> Option<String> {
        self.plan?;
        let packed: Vec<_> = self
            .sessions()
            .into_iter()
            .filter(|(_, s)| s.pack_kg.is_some_and(|p| p > 0.0))
            .collect();
        let heaviest = packed
            .iter()
            .filter_map(|(_, s)| s.pack_kg)
            .fold(0.0, f64::max);
        let weeks: Vec<u32> = packed.iter().map(|(w, _)| *w).collect();
        Some(if packed.is_empty() {
            "no sessions with a pack left in the plan".into()
        } else {
            format!(
                "{} sessions with a pack in {}, up to {}",
                packed.len(),
                Self::weeks_text(&weeks),
                self.say.mass(heaviest)
            )
        })
    }

    fn quality(&self) -> Option<String> {
        self.plan?;
        let q: Vec<u32> = self
            .sessions()
            .into_iter()
            .filter(|(_, s)| s.kind.is_quality())
            .map(|(w, _)| w)
            .collect();
        Some(if q.is_empty() {
            "no quality sessions left in the plan".into()
        } else {
            format!("{} quality sessions in {}", q.len(), Self::weeks_text(&q))
        })
    }

    fn growth(&self) -> Option<String> {
        let p = self.plan?;
        let weeks: Vec<_> = p
            .weeks
            .iter()
            .filter(|w| w.start_day + 6 >= self.today)
            .collect();
        let (Some(first), Some(top)) = (
            weeks.first(),
            weeks.iter().max_by(|a, b| a.load().total_cmp(&b.load())),
        ) else {
            return Some("the plan has no weeks left".into());
        };
        Some(format!(
            "planned load from {:.0} a week (week {}) to {:.0} (week {}), at most {:.0} % more a week",
            first.load(),
            first.number,
            top.load(),
            top.number,
            p.goal.growth_cap * 100.0
        ))
    }
}
