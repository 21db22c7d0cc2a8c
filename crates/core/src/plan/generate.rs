//! Builds a periodised plan from the first Monday to the goal: base, build,
//! peak and taper, a recovery week after every three loading weeks, and the
//! athlete's week laid out around the long day. Every week is built, then
//! shrunk until it keeps the rules of [`super::rules`]; the property tests
//! check every rule over thousands of generated plans.

use super::goal::{weekday, Goal, GoalKind, Level};
use super::rules::{Rule, BEGINNER_MIX_WEEKS, LOADING_WEEKS_IN_A_ROW, SPIKE_RATIO, TAPER_SHARE};
use super::session::{
    duration_text, Kind, Mode, Phase, Plan, PlannedSession, Progression, Reps, Week, COOL_DOWN_S,
    WARM_UP_S,
};
use super::zones::{Zone, Zones};
use crate::load::session::day_text;
use crate::predict::hiking::naismith_s;

/// Where the plan starts from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Start {
    pub today: i32,
    /// Average aerobic load a week over the last four weeks, when known.
    pub weekly_load: Option<f64>,
    pub zones: Zones,
}

/// Plans run from two to 104 weeks (the goal week included).
pub const MAX_WEEKS: u32 = 104;
/// Durations never shrink below half the level's starting duration.
const V_MIN: f64 = 0.5;
/// Week 1 may start above the level's template, up to this factor, when the
/// athlete already trains more.
const V_MAX_START: f64 = 1.5;
/// A long session is at least this long before recovery and taper shares.
const LONG_MIN_S: f64 = 45.0 * 60.0;
/// A recovery week keeps this share of the endurance durations.
const RECOVERY_SHARE: f64 = 0.8;

/// What a day of the template holds, by its distance from the long day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Long,
    Recovery,
    Easy,
    Easy2,
    Strength,
    Quality,
    Mobility,
}

/// Roles at positions 0 (the long day) … 6 (the day before it), for 2–7
/// training days. Five days is the seeds/003 week: rest, zone-2 run,
/// strength, quality, rest, long, recovery.
fn template(days: u8) -> [&'static [Role]; 7] {
    use Role::*;
    match days {
        2 => [&[Long], &[], &[], &[], &[Quality, Strength], &[], &[]],
        3 => [&[Long], &[], &[], &[Easy, Strength], &[], &[Quality], &[]],
        4 => [&[Long], &[], &[], &[Easy], &[Strength], &[Quality], &[]],
        5 => [
            &[Long],
            &[Recovery],
            &[],
            &[Easy],
            &[Strength],
            &[Quality],
            &[],
        ],
        6 => [
            &[Long],
            &[Recovery],
            &[Easy2],
            &[Easy],
            &[Strength],
            &[Quality],
            &[],
        ],
        _ => [
            &[Long],
            &[Recovery],
            &[Easy2],
            &[Easy],
            &[Strength],
            &[Quality],
            &[Mobility],
        ],
    }
}

/// A quality session's efforts: (count, work s, zone, recovery s).
type Step = (u32, f64, Zone, f64);

/// Uphill efforts of 20–40 s with a walk back down (seeds/003).
const HILL_LADDER: [Step; 8] = [
    (6, 20.0, Zone::Z5, 90.0),
    (8, 20.0, Zone::Z5, 90.0),
    (6, 30.0, Zone::Z5, 90.0),
    (8, 30.0, Zone::Z5, 90.0),
    (10, 30.0, Zone::Z5, 90.0),
    (8, 40.0, Zone::Z5, 90.0),
    (10, 40.0, Zone::Z5, 90.0),
    (12, 40.0, Zone::Z5, 90.0),
];
/// Tempo, then threshold intervals.
const RACE_LADDER: [Step; 8] = [
    (1, 1200.0, Zone::Z3, 0.0),
    (1, 1500.0, Zone::Z3, 0.0),
    (5, 180.0, Zone::Z4, 120.0),
    (6, 180.0, Zone::Z4, 120.0),
    (5, 240.0, Zone::Z4, 120.0),
    (6, 240.0, Zone::Z4, 120.0),
    (5, 300.0, Zone::Z4, 120.0),
    (6, 300.0, Zone::Z4, 120.0),
];
const RIDE_LADDER: [Step; 7] = [
    (3, 300.0, Zone::Z4, 180.0),
    (4, 300.0, Zone::Z4, 180.0),
    (5, 300.0, Zone::Z4, 180.0),
    (4, 480.0, Zone::Z4, 240.0),
    (5, 480.0, Zone::Z4, 240.0),
    (3, 720.0, Zone::Z4, 300.0),
    (4, 720.0, Zone::Z4, 300.0),
];
/// Stair climbs for those who do not run (seeds/001).
const STAIRS_LADDER: [Step; 5] = [
    (6, 60.0, Zone::Z4, 90.0),
    (8, 60.0, Zone::Z4, 90.0),
    (6, 120.0, Zone::Z4, 120.0),
    (8, 120.0, Zone::Z4, 120.0),
    (10, 120.0, Zone::Z4, 120.0),
];

/// Starting and peak minutes of the volume-scaled sessions, by level.
struct Range {
    start: [f64; 3],
    peak: [f64; 3],
}

const EASY: Range = Range {
    start: [30.0, 40.0, 50.0],
    peak: [45.0, 60.0, 75.0],
};
const EASY_RIDE: Range = Range {
    start: [45.0, 60.0, 75.0],
    peak: [60.0, 90.0, 105.0],
};
const EASY2: Range = Range {
    start: [30.0, 40.0, 45.0],
    peak: [40.0, 50.0, 60.0],
};
const RECOVERY: Range = Range {
    start: [30.0, 45.0, 60.0],
    peak: [45.0, 60.0, 90.0],
};
const STRENGTH_MIN: [f64; 3] = [30.0, 35.0, 40.0];
const MOBILITY_MIN: f64 = 20.0;

/// Everything fixed for the whole plan.
struct Ctx<'a> {
    goal: &'a Goal,
    zones: &'a Zones,
    first_day: i32,
    weeks: u32,
    level: usize,
    long_start_s: f64,
    long_peak_s: f64,
    /// Weeks from which quality sessions are allowed.
    quality_from: u32,
}

/// What varies from week to week.
#[derive(Debug, Clone, Copy)]
struct Spec {
    number: u32,
    phase: Phase,
    progression: Progression,
    /// Volume factor on the level's starting durations.
    v: f64,
    /// Step on the quality ladder, when quality sessions are allowed.
    q: Option<usize>,
    /// Share of the durations kept (recovery and taper weeks).
    share: f64,
    /// Step of the transition's continuous runs: 45 + 5 × step minutes.
    run_step: u8,
    /// The week of the non-runner's run transition, while in it.
    run_week: Option<u32>,
    /// A recovery week in the transition walks instead of the second run.
    walk_instead: bool,
    /// The beginner's starting rhythm: two hikes and one light run.
    mix: bool,
}

/// The plan from the first Monday on or after `start.today` to the goal.
/// Errors name the field or date that makes a plan impossible.
pub fn generate(goal: &Goal, start: &Start) -> Result<Plan, String> {
    goal.validate()?;
    let wd = weekday(start.today) as i32;
    let first_day = if wd == 0 {
        start.today
    } else {
        start.today + 7 - wd
    };
    let goal_monday = goal.day - weekday(goal.day) as i32;
    if goal_monday <= first_day {
        return Err(format!(
            "the goal on {} is too close: the plan starts on Monday {} and needs at least one full week before the goal's week",
            day_text(goal.day),
            day_text(first_day)
        ));
    }
    let weeks = ((goal_monday - first_day) / 7 + 1) as u32;
    if weeks > MAX_WEEKS {
        return Err(format!(
            "the goal on {} is {weeks} weeks away; cairn plans up to {MAX_WEEKS} weeks: add a nearer goal first",
            day_text(goal.day)
        ));
    }
    let phases = phases(weeks);
    let level = goal.level.index();
    let (long_start_s, long_peak_s) = long_range_s(goal);
    let transition = goal.plans_running() && !goal.runner;
    let base_weeks = phases.iter().filter(|p| **p == Phase::Base).count() as u32;
    let quality_from = if goal.level == Level::Beginner && goal.kind.on_foot_with_pack() {
        (base_weeks + 1).max(BEGINNER_MIX_WEEKS + 1)
    } else {
        base_weeks + 1
    };
    let ctx = Ctx {
        goal,
        zones: &start.zones,
        first_day,
        weeks,
        level,
        long_start_s,
        long_peak_s,
        quality_from,
    };

    let beginner_mix = goal.level == Level::Beginner && goal.kind.on_foot_with_pack();
    let run_week1 = goal.transition_week(None, 1);
    let spec1 = |v| Spec {
        number: 1,
        phase: phases[0],
        progression: Progression::Start,
        v,
        q: (run_week1.is_none() && ctx.quality_from <= 1).then_some(0),
        run_week: run_week1,
        walk_instead: false,
        share: 1.0,
        run_step: 0,
        mix: beginner_mix,
    };
    let start_floor_load = build_week(&ctx, &spec1(V_MIN)).load();
    // Week 1 continues the athlete's recent load, or starts at the level's
    // template without history; never above (1 + cap) × the recent load
    // unless even the smallest week is above it.
    let v0 = match start.weekly_load {
        Some(h) if h > 0.0 => {
            let mut v = V_MAX_START;
            while v > V_MIN && build_week(&ctx, &spec1(v)).load() > h {
                v = (v - 0.02).max(V_MIN);
            }
            v
        }
        _ => 1.0,
    };

    let mut out: Vec<Week> = Vec::with_capacity(weeks as usize);
    let mut loading_run = 0;
    // (index of the last loading week, its spec)
    let mut last: Option<(usize, Spec)> = None;
    let mut last_progression = Progression::Start;
    let mut first_run: Option<u32> = None;
    for number in 1..=weeks {
        let phase = phases[number as usize - 1];
        let run_week = goal.transition_week(first_run, number);
        let prev_load = out.last().map(|w| w.load());
        let week = if phase == Phase::Taper {
            let ls = last.map_or(spec1(v0), |(_, s)| s);
            let peak_load = out
                .iter()
                .filter(|w| w.is_loading())
                .map(|w| w.load())
                .fold(0.0, f64::max);
            let mut spec = Spec {
                number,
                phase,
                progression: Progression::Taper,
                v: ls.v,
                q: ls.q.map(|q| q.saturating_sub(1)),
                share: if number == weeks { 0.5 } else { 0.7 },
                run_step: 0,
                run_week,
                walk_instead: true,
                mix: false,
            };
            let limit = (TAPER_SHARE - 0.05) * peak_load;
            let mut w = build_week(&ctx, &spec);
            while spec.share > 0.2
                && (w.load() > limit || prev_load.is_some_and(|p| w.load() > SPIKE_RATIO * p))
            {
                spec.share -= 0.05;
                w = build_week(&ctx, &spec);
            }
            w
        } else if loading_run == LOADING_WEEKS_IN_A_ROW {
            let (li, ls) = last.unwrap_or((0, spec1(v0)));
            let reference = &out[li];
            // The heaviest recovery week that is clearly lighter, so the
            // week after can come back within the spike guard.
            let mut spec = Spec {
                number,
                phase,
                progression: Progression::Recovery,
                v: ls.v,
                q: ls.q.map(|q| q.saturating_sub(1)),
                share: RECOVERY_SHARE,
                run_step: 0,
                run_week,
                walk_instead: false,
                mix: ls.mix,
            };
            let lighter = |w: &Week| {
                w.volume_s() <= 0.9 * reference.volume_s() && w.load() <= reference.load()
            };
            let mut w = build_week(&ctx, &spec);
            'search: for walk_instead in [false, true] {
                for share in [0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5] {
                    spec.walk_instead = walk_instead;
                    spec.share = share;
                    w = build_week(&ctx, &spec);
                    if lighter(&w) {
                        break 'search;
                    }
                }
            }
            loading_run = 0;
            w
        } else {
            let (spec, w) = match last {
                None => {
                    let s = spec1(v0);
                    (s, build_week(&ctx, &s))
                }
                Some((li, ls)) => {
                    let reference = out[li].clone();
                    loading_week(
                        &ctx,
                        number,
                        phase,
                        run_week,
                        Before {
                            last: ls,
                            reference: &reference,
                            prev_load,
                            last_progression,
                        },
                    )
                }
            };
            last_progression = w.progression;
            last = Some((out.len(), spec));
            loading_run += 1;
            w
        };
        if first_run.is_none()
            && week
                .sessions
                .iter()
                .any(|s| s.mode.is_run() && s.kind != Kind::Goal)
        {
            first_run = Some(number);
        }
        out.push(week);
    }

    let mut notes = Vec::new();
    let longest = out
        .iter()
        .filter_map(|w| w.long_session().map(|s| s.duration_s))
        .fold(0.0, f64::max);
    if longest + 300.0 < long_peak_s {
        notes.push(format!(
            "the long session reaches {}, short of the {} the goal calls for: the goal is {weeks} weeks away and the load grows at most {:.0} % a week",
            duration_text(longest),
            duration_text(long_peak_s),
            goal.growth_cap * 100.0
        ));
    }
    if transition && weeks < 12 {
        notes.push(format!(
            "the run transition takes 12 weeks and the goal is {weeks} weeks away: the plan keeps to the transition, so expect to walk more of the goal"
        ));
    }
    if goal.kind == GoalKind::Race && goal.distance_m.is_none() {
        notes.push("no race distance given: planned as a half marathon".into());
    }
    if let Some(a) = goal.max_altitude_m.filter(|a| *a >= 2500.0) {
        notes.push(format!(
            "the goal reaches {a:.0} m: fitness does not replace acclimatisation; plan slow ascent days, and log any stays at altitude (`cairn stay add`) to follow exposure"
        ));
    }
    notes.push(
        "recovery weeks and the 10 % default cap are conventions, not proven thresholds (see `cairn plan rules`)".into(),
    );
    Ok(Plan {
        goal: goal.clone(),
        zones: start.zones,
        created_day: start.today,
        start_weekly_load: start.weekly_load.filter(|h| *h > 0.0),
        start_floor_load,
        weeks: out,
        notes,
        changes: Vec::new(),
        handled: Vec::new(),
    })
}

/// Base, build, peak and taper lengths for a plan of `weeks` weeks.
fn phases(weeks: u32) -> Vec<Phase> {
    let taper = if weeks >= 8 { 2 } else { 1 };
    let peak = if weeks >= 12 {
        2
    } else if weeks >= 5 {
        1
    } else {
        0
    };
    let rest = weeks - taper - peak;
    let build = rest * 2 / 5;
    let base = rest - build;
    let mut out = Vec::with_capacity(weeks as usize);
    out.extend(std::iter::repeat_n(Phase::Base, base as usize));
    out.extend(std::iter::repeat_n(Phase::Build, build as usize));
    out.extend(std::iter::repeat_n(Phase::Peak, peak as usize));
    out.extend(std::iter::repeat_n(Phase::Taper, taper as usize));
    out
}

/// The long session a plan for `goal` peaks at.
pub fn long_peak_s(goal: &Goal) -> f64 {
    long_range_s(goal).1
}

/// The long session's starting and peak durations.
fn long_range_s(goal: &Goal) -> (f64, f64) {
    let l = goal.level.index();
    let h = 3600.0;
    let (start_min, peak_s): (f64, f64) = match goal.kind {
        GoalKind::Trek => ([120.0, 180.0, 240.0][l], [4.0, 5.0, 6.0][l] * h),
        GoalKind::Hike => {
            let cap = [5.0, 6.0, 7.0][l] * h;
            let peak = match goal.distance_m {
                Some(d) => (0.8 * naismith_s(d, goal.ascent_m.unwrap_or(0.0))).clamp(2.0 * h, cap),
                None => [3.5, 4.5, 5.5][l] * h,
            };
            ([120.0, 180.0, 240.0][l], peak)
        }
        GoalKind::Race => {
            let d = goal.distance_m.unwrap_or(21_097.5);
            let row = if d <= 5_000.0 {
                [60.0, 70.0, 75.0]
            } else if d <= 10_000.0 {
                [70.0, 80.0, 90.0]
            } else if d <= 21_100.0 {
                [100.0, 110.0, 120.0]
            } else if d <= 42_200.0 {
                [150.0, 165.0, 180.0]
            } else {
                [180.0, 210.0, 240.0]
            };
            ([45.0, 70.0, 90.0][l], row[l] * 60.0)
        }
        GoalKind::Ride => {
            let peak = match goal.distance_m {
                Some(d) => (0.8 * d / (25_000.0 / h)).clamp(1.5 * h, 5.0 * h),
                None => [3.0, 4.0, 5.0][l] * h,
            };
            ([90.0, 150.0, 180.0][l], peak)
        }
    };
    let start = (start_min * 60.0).min(peak_s);
    (start, peak_s.max(start))
}

/// One loading week: choose what progresses, then shrink until the week
/// keeps the growth cap, the spike guard and "volume or intensity".
/// What a loading week is built against.
struct Before<'a> {
    /// The last loading week's spec and the week itself.
    last: Spec,
    reference: &'a Week,
    /// The load of the week just before (any kind).
    prev_load: Option<f64>,
    last_progression: Progression,
}

fn loading_week(
    ctx: &Ctx,
    number: u32,
    phase: Phase,
    run_week: Option<u32>,
    before: Before,
) -> (Spec, Week) {
    let Before {
        last,
        reference,
        prev_load,
        last_progression,
    } = before;
    let transition_athlete = ctx.goal.plans_running() && !ctx.goal.runner;
    let allowed = match run_week {
        Some(t) => t >= 9,
        None if transition_athlete => true,
        None => number >= ctx.quality_from,
    };
    let ladder_len = ladder(ctx.goal).len();
    let mut spec = Spec {
        number,
        phase,
        progression: Progression::Hold,
        v: last.v,
        q: last.q,
        share: 1.0,
        run_step: match run_week {
            Some(t) if t > 5 => (last.run_step + 1).min(3),
            _ => 0,
        },
        run_week,
        walk_instead: false,
        mix: last.mix && number <= BEGINNER_MIX_WEEKS,
    };
    let grow = 1.0 + ctx.goal.growth_cap;
    let volume_maxed = {
        let now = build_week(ctx, &spec).volume_s();
        let more = build_week(
            ctx,
            &Spec {
                v: spec.v * grow,
                ..spec
            },
        )
        .volume_s();
        more <= now + 1.0
    };
    let intensity_maxed = spec.q.is_some_and(|q| q + 1 >= ladder_len);
    let want_intensity = if allowed && spec.q.is_none() {
        true
    } else if !allowed || phase == Phase::Base || intensity_maxed {
        false
    } else {
        volume_maxed || last_progression == Progression::Volume
    };
    if want_intensity {
        spec.q = Some(spec.q.map_or(0, |q| q + 1));
    } else if !volume_maxed {
        spec.v *= grow;
    }
    let cap = reference.load() * grow;
    let fits = |w: &Week| {
        w.load() <= cap
            && prev_load.is_none_or(|p| w.load() <= SPIKE_RATIO * p)
            && !(w.volume_s() > reference.volume_s() + 1.0
                && w.intensity() > reference.intensity() + 1e-6)
    };
    let mut w = build_week(ctx, &spec);
    let mut reverted = false;
    while !fits(&w) {
        if spec.v > V_MIN + 1e-9 {
            spec.v = (spec.v * 0.97).max(V_MIN);
        } else if last.mix && !spec.mix {
            // Too early to leave the starting rhythm: keep it a week longer.
            spec.mix = true;
            spec.v = last.v;
        } else if spec.run_step > last.run_step {
            // No room under the cap for longer transition runs: hold them.
            spec.run_step = last.run_step;
            spec.v = last.v;
        } else if !reverted && spec.q != last.q {
            spec.q = last.q;
            spec.v = last.v;
            reverted = true;
        } else if spec.share > 0.55 {
            // Back from a lighter week with no duration left to shrink
            // (steps of 5 min): come back part of the way.
            spec.share -= 0.05;
        } else {
            break;
        }
        w = build_week(ctx, &spec);
    }
    let volume_up = w.volume_s() > reference.volume_s() + 1.0;
    let intensity_up = w.intensity() > reference.intensity() + 1e-6;
    w.progression = if volume_up {
        Progression::Volume
    } else if intensity_up {
        Progression::Intensity
    } else {
        Progression::Hold
    };
    spec.progression = w.progression;
    (spec, w)
}

/// The quality sessions a plan progresses through. A non-runner training for
/// a race keeps climbing the hill ladder of the transition before tempo and
/// intervals, so the end of the transition is not a jump in intensity.
fn ladder(goal: &Goal) -> Vec<Step> {
    match goal.kind {
        GoalKind::Ride => RIDE_LADDER.to_vec(),
        GoalKind::Race if goal.runner => RACE_LADDER.to_vec(),
        GoalKind::Race => [HILL_LADDER.as_slice(), RACE_LADDER.as_slice()].concat(),
        _ if goal.plans_running() => HILL_LADDER.to_vec(),
        _ => STAIRS_LADDER.to_vec(),
    }
}

fn round_to_5_min(s: f64) -> f64 {
    ((s / 300.0).round() * 300.0).max(600.0)
}

fn scaled(r: &Range, level: usize, spec: &Spec) -> f64 {
    let start = r.start[level] * 60.0;
    let peak = r.peak[level] * 60.0;
    round_to_5_min((start * spec.v).clamp(start * V_MIN, peak) * spec.share)
}

/// Builds one week from its spec.
fn build_week(ctx: &Ctx, spec: &Spec) -> Week {
    let start_day = ctx.first_day + (spec.number as i32 - 1) * 7;
    let goal_day = ctx.goal.day;
    let table = template(ctx.goal.days_per_week);
    let mut sessions = Vec::new();
    let mut displaced_strength = false;
    for day in start_day..start_day + 7 {
        if day > goal_day {
            break;
        }
        if day == goal_day {
            sessions.push(goal_session(ctx, day));
            continue;
        }
        let position = (weekday(day) as i32 - ctx.goal.long_day as i32).rem_euclid(7) as usize;
        if day == goal_day - 1 {
            displaced_strength = table[position].contains(&Role::Strength);
            sessions.push(rest(
                day,
                Rule::Taper,
                "rest: the day before the goal".into(),
            ));
            continue;
        }
        let roles = table[position];
        let before = sessions.len();
        for role in roles {
            if let Some(s) = session(ctx, spec, *role, day) {
                sessions.push(s);
            }
        }
        if sessions.len() == before {
            let reason = if position == 6 {
                "rest: the day before the long session"
            } else {
                "rest"
            };
            sessions.push(rest(day, Rule::WeeklyRest, reason.into()));
        }
    }
    // The rest before the goal keeps the week's strength session: it moves
    // to the latest earlier day without a hard session.
    if displaced_strength && start_day + 7 <= goal_day {
        let free = (start_day..goal_day - 1)
            .rev()
            .find(|d| !sessions.iter().any(|s| s.day == *d && s.kind.is_hard()));
        if let Some(day) = free {
            if let Some(s) = session(ctx, spec, Role::Strength, day) {
                sessions.retain(|s| !(s.day == day && s.kind == Kind::Rest));
                sessions.push(s);
                sessions.sort_by_key(|s| s.day);
            }
        }
    }
    // A rest before a long session that did not come (the goal week's
    // gives way to the goal) says what it is for instead.
    let long_days: Vec<i32> = sessions
        .iter()
        .filter(|s| s.kind == Kind::Long)
        .map(|s| s.day)
        .collect();
    for s in &mut sessions {
        let next = s.day + 1;
        let long_follows =
            long_days.contains(&next) || (next >= start_day + 7 && next < goal_day - 1);
        if s.reason.contains("before the long session") && !long_follows {
            let instead = if start_day + 7 > goal_day {
                "fresh legs for the goal"
            } else {
                "an easy day"
            };
            s.reason = s
                .reason
                .replace("the easy day before the long session", instead)
                .replace("the day before the long session", instead);
        }
        if long_days.is_empty() {
            let instead = if start_day + 7 > goal_day {
                "zone 2, kept short: the goal is this week"
            } else {
                "zone-2 base"
            };
            for word in ["hike", "run", "ride"] {
                s.reason = s.reason.replace(
                    &format!("zone-2 base that supports the long {word}"),
                    instead,
                );
            }
        }
    }
    support_the_key_session(&mut sessions, |s| s.rule == Rule::RunnerTransition);
    for s in &mut sessions {
        s.finish(ctx.zones);
    }
    Week {
        number: spec.number,
        start_day,
        phase: spec.phase,
        progression: spec.progression,
        sessions,
    }
}

/// No easy session outlasts the key session. Sessions that `fixed` says
/// may not change (the transition's runs, the athlete's edits, the past)
/// lengthen the key session instead, unless it is fixed too; the others are shortened to it. Quality sessions are
/// about intensity, not time, and keep their efforts. Loads are the
/// caller's to recompute.
pub(crate) fn support_the_key_session(
    sessions: &mut [PlannedSession],
    fixed: impl Fn(&PlannedSession) -> bool,
) {
    let Some(k) = sessions.iter().position(|s| s.key && s.counts()) else {
        return;
    };
    let competes = |s: &PlannedSession| !s.key && s.counts() && s.volume_s() > 0.0;
    let longest_fixed = sessions
        .iter()
        .filter(|s| competes(s) && fixed(s))
        .map(|s| s.duration_s)
        .fold(0.0, f64::max);
    if sessions[k].duration_s < longest_fixed && !fixed(&sessions[k]) {
        sessions[k].duration_s = longest_fixed;
    }
    let key_s = sessions[k].duration_s;
    for s in sessions.iter_mut() {
        if competes(s) && !fixed(s) && s.duration_s > key_s {
            s.duration_s = key_s;
        }
    }
}

/// Quality sessions last at least 45 min (seeds/003's hill session): a
/// longer easy warm-up when the efforts are few.
pub(crate) fn quality_duration(r: &Reps) -> f64 {
    let s = WARM_UP_S + COOL_DOWN_S + r.count as f64 * (r.work_s + r.recovery_s);
    ((s / 60.0).ceil() * 60.0).max(QUALITY_MIN_S)
}

const QUALITY_MIN_S: f64 = 45.0 * 60.0;

fn base_session(
    day: i32,
    mode: Mode,
    kind: Kind,
    duration_s: f64,
    zone: Zone,
    rule: Rule,
    reason: String,
) -> PlannedSession {
    PlannedSession {
        day,
        mode,
        kind,
        duration_s,
        reps: None,
        zone,
        heart_rate: None,
        power_w: None,
        pack_kg: None,
        load: 0.0,
        key: false,
        rule,
        reason,
        edited: false,
        moved_to: None,
    }
}

fn rest(day: i32, rule: Rule, reason: String) -> PlannedSession {
    base_session(day, Mode::Rest, Kind::Rest, 0.0, Zone::Z1, rule, reason)
}

fn goal_session(ctx: &Ctx, day: i32) -> PlannedSession {
    let g = ctx.goal;
    let mode = match g.kind {
        GoalKind::Trek | GoalKind::Hike => Mode::Hike,
        GoalKind::Race => Mode::Run,
        GoalKind::Ride => Mode::Ride,
    };
    let mut s = base_session(
        day,
        mode,
        Kind::Goal,
        0.0,
        Zone::Z2,
        Rule::Goal,
        format!("the goal: the {}", g.kind.id()),
    );
    s.pack_kg = g.pack_kg.filter(|p| *p > 0.0);
    s
}

fn reps_session(
    day: i32,
    mode: Mode,
    kind: Kind,
    step: Step,
    rule: Rule,
    reason: String,
) -> PlannedSession {
    let reps = Reps {
        count: step.0,
        work_s: step.1,
        work_zone: step.2,
        recovery_s: step.3,
    };
    let mut s = base_session(
        day,
        mode,
        kind,
        quality_duration(&reps),
        step.2,
        rule,
        reason,
    );
    s.reps = Some(reps);
    s
}

/// The session a role becomes in this week, or none.
fn session(ctx: &Ctx, spec: &Spec, role: Role, day: i32) -> Option<PlannedSession> {
    let g = ctx.goal;
    let l = ctx.level;
    let w = spec.number;
    let goal_week = w == ctx.weeks;
    let mix = spec.mix;
    let transition = spec.run_week.is_some();
    let tw = spec.run_week.unwrap_or(0);
    let pack = g.pack_kg.filter(|p| *p > 0.0);
    let long_word = match g.kind {
        GoalKind::Trek | GoalKind::Hike => "hike",
        GoalKind::Race => "run",
        GoalKind::Ride => "ride",
    };
    let support = format!("zone-2 base that supports the long {long_word}");
    match role {
        Role::Long => {
            let d = round_to_5_min(
                (ctx.long_start_s * spec.v)
                    .clamp((ctx.long_start_s * V_MIN).max(LONG_MIN_S), ctx.long_peak_s)
                    * spec.share,
            );
            let (mode, reason) = match g.kind {
                GoalKind::Trek | GoalKind::Hike => (
                    Mode::Hike,
                    match pack {
                        Some(_) => format!("key session: long hike on hills with the pack, as on the {}", g.kind.id()),
                        None => format!("key session: long hike on hills, as on the {}", g.kind.id()),
                    },
                ),
                GoalKind::Race if transition && tw <= 8 => (
                    Mode::Walk,
                    "key session: long brisk walk for time on feet while running is limited to two sessions".into(),
                ),
                GoalKind::Race => (Mode::Run, "key session: long easy run for endurance".into()),
                GoalKind::Ride => (Mode::Ride, "key session: long steady ride for endurance".into()),
            };
            if goal_week {
                let mut s = base_session(
                    day,
                    mode,
                    Kind::Easy,
                    round_to_5_min(d.min(3600.0)),
                    Zone::Z2,
                    Rule::Taper,
                    "taper: short and easy, keep the legs moving".into(),
                );
                s.pack_kg = None;
                return Some(s);
            }
            let mut s = base_session(
                day,
                mode,
                Kind::Long,
                d,
                Zone::Z2,
                Rule::KeyLongSession,
                reason,
            );
            s.key = true;
            if mode == Mode::Hike {
                s.pack_kg = pack;
            }
            Some(s)
        }
        Role::Easy => {
            if transition {
                return Some(transition_run(spec, day, g.kind.on_foot_with_pack()));
            }
            let reason_rule = if mix {
                Rule::BeginnerMix
            } else {
                Rule::SupportKeySession
            };
            let (mode, range) = if g.kind == GoalKind::Ride || !g.plans_running() {
                (Mode::Ride, &EASY_RIDE)
            } else if g.kind.on_foot_with_pack() {
                (Mode::TrailRun, &EASY)
            } else {
                (Mode::Run, &EASY)
            };
            let rule = if !g.plans_running() && g.kind != GoalKind::Ride {
                Rule::NoRunningAlternatives
            } else {
                reason_rule
            };
            let reason = if mix && mode.is_run() {
                "one light run a week to start".to_string()
            } else if rule == Rule::NoRunningAlternatives {
                format!("low-impact cardio instead of running; {support}")
            } else {
                support.clone()
            };
            Some(base_session(
                day,
                mode,
                Kind::Easy,
                scaled(range, l, spec),
                Zone::Z2,
                rule,
                reason,
            ))
        }
        Role::Quality => {
            let allowed = spec.q.is_some() && !goal_week;
            if mix && !(transition && allowed) {
                return Some(base_session(
                    day,
                    Mode::Hike,
                    Kind::Easy,
                    scaled(&EASY, l, spec),
                    Zone::Z2,
                    Rule::BeginnerMix,
                    "second hike of the week, easy and without a heavy pack".into(),
                ));
            }
            let lighter = spec.phase == Phase::Taper || spec.progression == Progression::Recovery;
            if transition
                && tw <= 8
                && !(lighter && (spec.phase == Phase::Taper || spec.walk_instead))
            {
                return Some(transition_run(spec, day, g.kind.on_foot_with_pack()));
            }
            if transition
                && lighter
                && !allowed
                && (spec.phase == Phase::Taper || spec.walk_instead)
            {
                let (rule, reason) = if spec.phase == Phase::Taper {
                    (Rule::Taper, "taper: an easy walk instead of the second run")
                } else {
                    (
                        Rule::RecoveryWeek,
                        "recovery week: an easy walk instead of the second run",
                    )
                };
                return Some(base_session(
                    day,
                    Mode::Walk,
                    Kind::Easy,
                    scaled(&EASY, l, spec),
                    Zone::Z2,
                    rule,
                    reason.into(),
                ));
            }
            if allowed {
                let table = ladder(g);
                let step = table[spec.q.unwrap_or(0).min(table.len() - 1)];
                let hills = step.2 == Zone::Z5 && step.1 <= 40.0;
                let (mode, kind, rule, reason) = match g.kind {
                    GoalKind::Ride => (Mode::Ride, Kind::Intervals, Rule::IntensityDistribution, "the week's one quality session: threshold intervals".to_string()),
                    GoalKind::Race if !hills => (
                        Mode::Run,
                        if step.2 == Zone::Z3 { Kind::Tempo } else { Kind::Intervals },
                        Rule::IntensityDistribution,
                        "the week's one quality session".to_string(),
                    ),
                    _ if g.plans_running() => (
                        Mode::TrailRun,
                        Kind::HillRepeats,
                        if transition { Rule::RunnerTransition } else { Rule::IntensityDistribution },
                        "uphill efforts at the hardest pace you can hold, walk back down: the most hiking-specific stimulus".to_string(),
                    ),
                    _ => (
                        Mode::Stairs,
                        Kind::Intervals,
                        Rule::NoRunningAlternatives,
                        "stair climbs instead of hill running, to simulate the ascent".to_string(),
                    ),
                };
                return Some(reps_session(day, mode, kind, step, rule, reason));
            }
            let (mode, range, reason) = match g.kind {
                GoalKind::Ride => (
                    Mode::Ride,
                    &EASY_RIDE,
                    "easy ride on rolling terrain".to_string(),
                ),
                _ if !g.plans_running() => (
                    Mode::Stairs,
                    &EASY,
                    "continuous stair walking at zone 2 instead of running".to_string(),
                ),
                GoalKind::Race => (
                    Mode::Run,
                    &EASY,
                    match spec.phase {
                        Phase::Base => "easy run; quality sessions start with the build phase",
                        Phase::Taper => "easy run: the taper keeps the legs fresh",
                        _ => "easy run: this week holds the quality back",
                    }
                    .to_string(),
                ),
                _ => (
                    Mode::TrailRun,
                    &EASY,
                    match spec.phase {
                        Phase::Base => "easy run on hills; hill repeats start with the build phase",
                        Phase::Taper => "easy run on hills: the taper keeps the legs fresh",
                        _ => "easy run on hills: this week holds the hill repeats back",
                    }
                    .to_string(),
                ),
            };
            let rule = if goal_week {
                Rule::Taper
            } else {
                Rule::SupportKeySession
            };
            Some(base_session(
                day,
                mode,
                Kind::Easy,
                scaled(range, l, spec),
                Zone::Z2,
                rule,
                reason,
            ))
        }
        Role::Recovery => {
            if mix {
                return Some(base_session(
                    day,
                    Mode::Mobility,
                    Kind::Mobility,
                    MOBILITY_MIN * 60.0,
                    Zone::Z1,
                    Rule::BeginnerMix,
                    "mobility for hips and ankles instead of a third hike".into(),
                ));
            }
            let mode = match g.kind {
                GoalKind::Ride => Mode::Ride,
                GoalKind::Race if g.plans_running() && !transition => Mode::Run,
                GoalKind::Race => Mode::Ride,
                _ => Mode::Walk,
            };
            Some(base_session(
                day,
                mode,
                Kind::Recovery,
                scaled(&RECOVERY, l, spec),
                Zone::Z1,
                Rule::WeeklyRest,
                "recovery day after the long session: very easy".into(),
            ))
        }
        Role::Easy2 => {
            if mix {
                return Some(base_session(
                    day,
                    Mode::Mobility,
                    Kind::Mobility,
                    MOBILITY_MIN * 60.0,
                    Zone::Z1,
                    Rule::BeginnerMix,
                    "mobility and core".into(),
                ));
            }
            let runs = g.kind == GoalKind::Race && g.plans_running() && !transition;
            let (mode, range, reason) = if runs {
                (Mode::Run, &EASY2, "easy aerobic volume".to_string())
            } else {
                (
                    Mode::Ride,
                    &EASY2,
                    "low-impact cross-training at zone 2".to_string(),
                )
            };
            Some(base_session(
                day,
                mode,
                Kind::Easy,
                scaled(range, l, spec),
                Zone::Z2,
                Rule::IntensityDistribution,
                reason,
            ))
        }
        Role::Strength => {
            if goal_week && day > ctx.goal.day - 3 {
                return None;
            }
            let minutes = if spec.phase == Phase::Taper {
                20.0
            } else {
                STRENGTH_MIN[l]
            };
            let reason = match g.kind {
                GoalKind::Ride => "strength: squats, deadlifts, core",
                _ if g.is_hilly() => {
                    "strength: step-ups, weighted step-downs, Romanian deadlifts, single-leg work for the descents"
                }
                _ => "strength: squats, lunges, calf raises and core, for running economy",
            };
            Some(base_session(
                day,
                Mode::Strength,
                Kind::Strength,
                minutes * 60.0,
                Zone::Z1,
                Rule::WeeklyStrength,
                reason.into(),
            ))
        }
        Role::Mobility => Some(base_session(
            day,
            Mode::Mobility,
            Kind::Mobility,
            MOBILITY_MIN * 60.0,
            Zone::Z1,
            Rule::WeeklyRest,
            "mobility: the easy day before the long session".into(),
        )),
    }
}

/// The non-runner's transition run (seeds/003): run-walk in weeks 1–4,
/// continuous easy running from week 5. In recovery and taper weeks, or when
/// the growth cap leaves no room, it stays at the shorter length.
fn transition_run(spec: &Spec, day: i32, trail: bool) -> PlannedSession {
    let w = spec.run_week.unwrap_or(spec.number);
    let mode = if trail { Mode::TrailRun } else { Mode::Run };
    let light = spec.phase == Phase::Taper || spec.progression == Progression::Recovery;
    if w <= 4 {
        let cycles = if light { 5 } else { 6 };
        reps_session(
            day,
            mode,
            Kind::RunWalk,
            (cycles, 300.0, Zone::Z2, 180.0),
            Rule::RunnerTransition,
            format!("transition week {w} of 12: run 5 min, walk 3 min; tendons adapt more slowly than the heart"),
        )
        .with_duration(cycles as f64 * 480.0)
    } else {
        let step = if light { 0.0 } else { spec.run_step as f64 };
        let minutes = (45.0 + 5.0 * step).clamp(45.0, 60.0);
        let reason = if w <= 8 {
            format!("transition week {w} of 12: continuous easy running, walk the climbs")
        } else {
            format!("transition week {w} of 12: zone-2 running at a conversational pace")
        };
        base_session(
            day,
            mode,
            Kind::Easy,
            minutes * 60.0,
            Zone::Z2,
            Rule::RunnerTransition,
            reason,
        )
    }
}

impl PlannedSession {
    fn with_duration(mut self, s: f64) -> PlannedSession {
        self.duration_s = s;
        self
    }
}
