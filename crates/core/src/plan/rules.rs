//! The named rules a plan is built from, each with its evidence, and a check
//! for each that generated and adapted plans must pass (the property tests
//! run every check over thousands of generated plans).

use super::goal::{GoalKind, Level};
use super::session::{Kind, Mode, Plan, Week};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    LoadGrowthCap,
    SpikeGuard,
    StartLow,
    DistanceOrIntensity,
    NoBackToBackHard,
    WeeklyRest,
    RecoveryWeek,
    KeyLongSession,
    SupportKeySession,
    IntensityDistribution,
    RunnerTransition,
    NoRunningAlternatives,
    BeginnerMix,
    WeeklyStrength,
    Taper,
    Goal,
    ScaleBackAfterHardLong,
    FatigueCut,
    IllnessHold,
    WarningHold,
    ReflowKeySession,
    AthleteEdit,
}

impl Rule {
    pub const ALL: [Rule; 22] = [
        Rule::LoadGrowthCap,
        Rule::SpikeGuard,
        Rule::StartLow,
        Rule::DistanceOrIntensity,
        Rule::NoBackToBackHard,
        Rule::WeeklyRest,
        Rule::RecoveryWeek,
        Rule::KeyLongSession,
        Rule::SupportKeySession,
        Rule::IntensityDistribution,
        Rule::RunnerTransition,
        Rule::NoRunningAlternatives,
        Rule::BeginnerMix,
        Rule::WeeklyStrength,
        Rule::Taper,
        Rule::Goal,
        Rule::ScaleBackAfterHardLong,
        Rule::FatigueCut,
        Rule::IllnessHold,
        Rule::WarningHold,
        Rule::ReflowKeySession,
        Rule::AthleteEdit,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::LoadGrowthCap => "load-growth-cap",
            Rule::SpikeGuard => "spike-guard",
            Rule::StartLow => "start-low",
            Rule::DistanceOrIntensity => "distance-or-intensity",
            Rule::NoBackToBackHard => "no-back-to-back-hard",
            Rule::WeeklyRest => "weekly-rest",
            Rule::RecoveryWeek => "recovery-week",
            Rule::KeyLongSession => "key-long-session",
            Rule::SupportKeySession => "support-key-session",
            Rule::IntensityDistribution => "intensity-distribution",
            Rule::RunnerTransition => "runner-transition",
            Rule::NoRunningAlternatives => "no-running-alternatives",
            Rule::BeginnerMix => "beginner-mix",
            Rule::WeeklyStrength => "weekly-strength",
            Rule::Taper => "taper",
            Rule::Goal => "goal",
            Rule::ScaleBackAfterHardLong => "scale-back-after-hard-long",
            Rule::FatigueCut => "fatigue-cut",
            Rule::IllnessHold => "illness-hold",
            Rule::WarningHold => "warning-hold",
            Rule::ReflowKeySession => "reflow-key-session",
            Rule::AthleteEdit => "athlete-edit",
        }
    }

    /// What the rule does, in one line.
    pub fn statement(self) -> &'static str {
        match self {
            Rule::LoadGrowthCap => "a loading week's planned load is at most (1 + cap) × the last loading week's (cap 10 % unless set)",
            Rule::SpikeGuard => "no week's planned load is more than 30 % above the week before",
            Rule::StartLow => "week 1 is at most (1 + cap) × the last four weeks' average, or the smallest week the plan can hold",
            Rule::DistanceOrIntensity => "a week progresses volume or intensity, never both",
            Rule::NoBackToBackHard => "no two hard days (long, tempo, intervals, hill repeats, the goal) in a row",
            Rule::WeeklyRest => "at least one rest or recovery day every week",
            Rule::RecoveryWeek => "after three loading weeks, a lighter week (about 80 % of the volume)",
            Rule::KeyLongSession => "the long session is the key session of the week; for treks and hikes it is a long hike with the pack",
            Rule::SupportKeySession => "the other sessions support the key session and stay easier than it",
            Rule::IntensityDistribution => "most sessions are easy; at most one quality session a week",
            Rule::RunnerTransition => "a non-runner starts with 12 weeks: run-walk 5/3 min for 40–50 min (weeks 1–4), continuous easy running walking the climbs 45–60 min (5–8), zone 2 plus one hill-repeat session of 20–40 s efforts (9–12); at most two runs a week in weeks 1–8",
            Rule::NoRunningAlternatives => "a non-runner who chooses not to run gets walking, stairs and cycling instead",
            Rule::BeginnerMix => "beginners with a trek or hike goal start with two hikes and one light run a week",
            Rule::WeeklyStrength => "strength at least once every week",
            Rule::Taper => "volume falls before the goal (last two weeks when the plan is 8 weeks or longer); the day before the goal is rest",
            Rule::Goal => "the goal day itself",
            Rule::ScaleBackAfterHardLong => "a long session much harder than planned scales back the next hard session",
            Rule::FatigueCut => "persistent fatigue (3 or more days scored 4–5 in a week) cuts the next week's load by 5–10 %",
            Rule::IllnessHold => "after illness the next week holds: no growth and no quality session",
            Rule::WarningHold => "a load warning (weekly jump, acute:chronic above 1.5) holds the next week's load",
            Rule::ReflowKeySession => "a missed key session moves to a free day of the same week when the rules allow; otherwise the next long session does not grow",
            Rule::AthleteEdit => "the athlete's own edits are never changed",
        }
    }

    /// Where the rule comes from and how strong the evidence is.
    pub fn evidence(self) -> &'static str {
        match self {
            Rule::LoadGrowthCap => "Buist et al. 2008 (Am J Sports Med 36:33): a graded programme following the 10 % rule injured as many novices as a standard one (20.8 % vs 20.3 %). The cap is convention, kept conservative and settable, not a proven threshold.",
            Rule::SpikeGuard => "Nielsen et al. 2014 (JOSPT 44:739): distance-related injuries HR 1.59 (95 % CI 0.96–2.66) above 30 % progression over two weeks; cairn's load warnings use the same 30 %.",
            Rule::StartLow => "Nielsen et al. 2014 (IJSPT 9:338): novices who ran more in week 1 were injured more.",
            Rule::DistanceOrIntensity => "Coaching convention from the athletes' own rules of thumb (seeds/002); no controlled trial.",
            Rule::NoBackToBackHard => "Foster 1998 (MSSE 30:1164): high monotony (little day-to-day variation) went with illness; associational.",
            Rule::WeeklyRest => "Foster 1998 monotony; coaching convention.",
            Rule::RecoveryWeek => "Heuristic: no controlled trial of 3:1 loading was found (science.md §13); consistent with fitness–fatigue models, where a lighter week raises form.",
            Rule::KeyLongSession => "Specificity: time on feet with the load and terrain of the goal (seeds/001, seeds/003).",
            Rule::SupportKeySession => "seeds/003: weekday sessions support the weekend long hike, they do not compete with it.",
            Rule::IntensityDistribution => "Stöggl & Sperlich 2014 (Front Physiol 5:33): polarised training gave the largest VO2peak gain; Seiler 2010: ~75–80 % of elite sessions below the first threshold.",
            Rule::RunnerTransition => "seeds/003 transition; tendons adapt more slowly than the heart and lungs. Run-walk: Hottenrott et al. 2016 (similar times, less exhaustion).",
            Rule::NoRunningAlternatives => "seeds/001: a non-runner need not start running; long walks with a pack, stairs and cycling build the same base.",
            Rule::BeginnerMix => "seeds/002 weekly rhythm for beginners.",
            Rule::WeeklyStrength => "seeds/001, seeds/003: eccentric strength protects knees on descents.",
            Rule::Taper => "Coaching convention; fitness–fatigue models (a lighter week raises form).",
            Rule::Goal => "The athlete's goal.",
            Rule::ScaleBackAfterHardLong => "seeds/003: a particularly hard Saturday hike scales back Thursday's session.",
            Rule::FatigueCut => "seeds/002: adjust the weekly load by 5–10 % after persistent fatigue or nagging joints.",
            Rule::IllnessHold => "Coaching convention: no progression in the week after illness.",
            Rule::WarningHold => "cairn's load warnings (science.md §8); descriptive, not an injury probability.",
            Rule::ReflowKeySession => "Keeps the key session without breaking the other rules.",
            Rule::AthleteEdit => "The athlete's data is never silently changed (PRODUCT.md).",
        }
    }
}

/// A rule a plan breaks, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub week: u32,
    pub message: String,
}

/// Largest week-on-week rise of planned load the spike guard allows.
pub const SPIKE_RATIO: f64 = 1.3;
/// Loading weeks in a row before a recovery week (3:1).
pub const LOADING_WEEKS_IN_A_ROW: u32 = 3;
/// Taper weeks' load at most this share of the highest loading week.
pub const TAPER_SHARE: f64 = 0.8;
/// Floating-point slack when comparing loads (load units).
const EPS: f64 = 1e-6;

fn v(rule: Rule, week: u32, message: String) -> Violation {
    Violation {
        rule,
        week,
        message,
    }
}

/// The last loading week before week index `i`.
fn reference(plan: &Plan, i: usize) -> Option<&Week> {
    plan.weeks[..i].iter().rev().find(|w| w.is_loading())
}

/// Days of the week that fall before the goal day.
fn days_before_goal(plan: &Plan, w: &Week) -> Vec<i32> {
    (w.start_day..w.start_day + 7)
        .filter(|d| *d < plan.goal.day)
        .collect()
}

fn is_full_week(plan: &Plan, w: &Week) -> bool {
    w.start_day + 7 <= plan.goal.day
}

pub fn check_load_growth(plan: &Plan) -> Vec<Violation> {
    let cap = 1.0 + plan.goal.growth_cap;
    let mut out = Vec::new();
    for (i, w) in plan.weeks.iter().enumerate() {
        let Some(r) = reference(plan, i) else {
            continue;
        };
        let limit = if w.is_loading() { cap } else { 1.0 };
        if w.load() > r.load() * limit + EPS {
            out.push(v(
                Rule::LoadGrowthCap,
                w.number,
                format!(
                    "load {:.1} is above {:.0} % of week {}'s {:.1}",
                    w.load(),
                    limit * 100.0,
                    r.number,
                    r.load()
                ),
            ));
        }
    }
    out
}

pub fn check_spike(plan: &Plan) -> Vec<Violation> {
    plan.weeks
        .windows(2)
        .filter(|p| p[1].load() > SPIKE_RATIO * p[0].load() + EPS)
        .map(|p| {
            v(
                Rule::SpikeGuard,
                p[1].number,
                format!(
                    "load {:.1} is more than 30 % above the week before ({:.1})",
                    p[1].load(),
                    p[0].load()
                ),
            )
        })
        .collect()
}

pub fn check_start_low(plan: &Plan) -> Vec<Violation> {
    let start_floor_load = plan.start_floor_load;
    let (Some(h), Some(w)) = (plan.start_weekly_load, plan.weeks.first()) else {
        return Vec::new();
    };
    let limit = ((1.0 + plan.goal.growth_cap) * h).max(start_floor_load);
    if w.load() > limit + EPS {
        vec![v(
            Rule::StartLow,
            1,
            format!(
                "week 1 load {:.1} is above {limit:.1} (recent {h:.1} a week)",
                w.load()
            ),
        )]
    } else {
        Vec::new()
    }
}

pub fn check_distance_or_intensity(plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    for (i, w) in plan.weeks.iter().enumerate() {
        let Some(r) = reference(plan, i) else {
            continue;
        };
        if w.volume_s() > r.volume_s() + 1.0 && w.intensity() > r.intensity() + EPS {
            out.push(v(
                Rule::DistanceOrIntensity,
                w.number,
                format!(
                    "volume {:.0} min > {:.0} and intensity {:.0} > {:.0} against week {}",
                    w.volume_s() / 60.0,
                    r.volume_s() / 60.0,
                    w.intensity(),
                    r.intensity(),
                    r.number
                ),
            ));
        }
    }
    out
}

pub fn check_back_to_back(plan: &Plan) -> Vec<Violation> {
    let mut hard: Vec<(i32, u32)> = plan
        .weeks
        .iter()
        .flat_map(|w| {
            w.planned()
                .filter(|s| s.kind.is_hard())
                .map(move |s| (s.day, w.number))
        })
        .collect();
    hard.sort();
    hard.dedup();
    hard.windows(2)
        .filter(|p| p[1].0 == p[0].0 + 1)
        .map(|p| {
            v(
                Rule::NoBackToBackHard,
                p[1].1,
                format!(
                    "hard sessions on {} and {}",
                    crate::load::session::day_text(p[0].0),
                    crate::load::session::day_text(p[1].0)
                ),
            )
        })
        .collect()
}

pub fn check_weekly_rest(plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    for w in &plan.weeks {
        let days = days_before_goal(plan, w);
        if days.is_empty() {
            continue;
        }
        let restful = days
            .iter()
            .any(|d| w.sessions_on(*d).all(|s| s.kind.is_restful()));
        if !restful {
            out.push(v(
                Rule::WeeklyRest,
                w.number,
                "no rest or recovery day".into(),
            ));
        }
    }
    out
}

pub fn check_recovery_weeks(plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut run = 0;
    for w in &plan.weeks {
        if w.is_loading() {
            run += 1;
            if run > LOADING_WEEKS_IN_A_ROW {
                out.push(v(
                    Rule::RecoveryWeek,
                    w.number,
                    format!("{run} loading weeks in a row"),
                ));
            }
        } else {
            run = 0;
        }
    }
    for (i, w) in plan.weeks.iter().enumerate() {
        if let (true, Some(r)) = (w.is_recovery(), reference(plan, i)) {
            if w.volume_s() > 0.9 * r.volume_s() + 1.0 {
                out.push(v(
                    Rule::RecoveryWeek,
                    w.number,
                    format!(
                        "recovery week volume {:.0} min is not lighter than week {}'s {:.0} min",
                        w.volume_s() / 60.0,
                        r.number,
                        r.volume_s() / 60.0
                    ),
                ));
            }
        }
    }
    out
}

pub fn check_key_session(plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    for w in &plan.weeks {
        if !is_full_week(plan, w) {
            continue;
        }
        let keys: Vec<_> = w.planned().filter(|s| s.key).collect();
        // The rest on the day before the goal may take the long day.
        if keys.is_empty() && (w.start_day..w.start_day + 7).contains(&(plan.goal.day - 1)) {
            continue;
        }
        if keys.len() != 1 {
            out.push(v(
                Rule::KeyLongSession,
                w.number,
                format!("{} key sessions", keys.len()),
            ));
            continue;
        }
        let k = keys[0];
        if k.kind != Kind::Long {
            out.push(v(
                Rule::KeyLongSession,
                w.number,
                format!("the key session is {}", k.kind.id()),
            ));
        }
        if plan.goal.kind.on_foot_with_pack()
            && !(k.mode == Mode::Hike && k.pack_kg.is_some_and(|p| p > 0.0))
        {
            out.push(v(
                Rule::KeyLongSession,
                w.number,
                "the key session of a trek or hike plan is not a hike with a pack".into(),
            ));
        }
        if let Some(longer) = w.planned().find(|s| !s.key && s.volume_s() > k.duration_s) {
            out.push(v(
                Rule::SupportKeySession,
                w.number,
                format!("{} is longer than the key session", longer.summary()),
            ));
        }
    }
    out
}

pub fn check_intensity_distribution(plan: &Plan) -> Vec<Violation> {
    plan.weeks
        .iter()
        .filter(|w| w.planned().filter(|s| s.kind.is_quality()).count() > 1)
        .map(|w| {
            v(
                Rule::IntensityDistribution,
                w.number,
                "more than one quality session".into(),
            )
        })
        .collect()
}

pub fn check_transition(plan: &Plan) -> Vec<Violation> {
    let g = &plan.goal;
    let mut out = Vec::new();
    let first_run = plan
        .weeks
        .iter()
        .find(|w| w.planned().any(|s| s.mode.is_run() && s.kind != Kind::Goal))
        .map(|w| w.number);
    for w in &plan.weeks {
        let Some(t) = g.transition_week(first_run, w.number) else {
            continue;
        };
        let runs: Vec<_> = w
            .planned()
            .filter(|s| s.mode.is_run() && s.kind != Kind::Goal)
            .collect();
        let mut bad = |m: String| out.push(v(Rule::RunnerTransition, w.number, m));
        if t <= 8 && runs.len() > 2 {
            bad(format!("{} runs (at most 2 in weeks 1–8)", runs.len()));
        }
        for s in &runs {
            let min = s.duration_s / 60.0;
            match t {
                1..=4 => {
                    let r = s
                        .reps
                        .filter(|r| r.work_s == 300.0 && r.recovery_s == 180.0);
                    if s.kind != Kind::RunWalk || r.is_none() || !(40.0..=50.0).contains(&min) {
                        bad(format!("transition week {t} run is not run-walk 5/3 for 40–50 min: {} {min:.0} min", s.summary()));
                    }
                }
                5..=8 => {
                    if s.kind != Kind::Easy || !(45.0..=60.0).contains(&min) {
                        bad(format!("transition week {t} run is not continuous easy running 45–60 min: {} {min:.0} min", s.summary()));
                    }
                }
                _ => {
                    let ok = match s.kind {
                        Kind::Easy | Kind::Long | Kind::Recovery => {
                            s.zone <= super::zones::Zone::Z2
                        }
                        Kind::HillRepeats => {
                            s.reps.is_some_and(|r| (20.0..=40.0).contains(&r.work_s))
                        }
                        _ => false,
                    };
                    if !ok {
                        bad(format!("transition week {t} run is neither zone 2 nor 20–40 s hill repeats: {}", s.summary()));
                    }
                }
            }
        }
        let hills = w.planned().filter(|s| s.kind == Kind::HillRepeats).count();
        // Adaptation may turn the efforts into an easy session (illness, a
        // hard long session); it says so in the session's rule.
        let adapted = w
            .planned()
            .any(|s| matches!(s.rule, Rule::IllnessHold | Rule::ScaleBackAfterHardLong));
        let wanted = if t <= 8 {
            hills == 0
        } else if w.is_taper() || adapted {
            hills <= 1
        } else {
            hills == 1
        };
        if !wanted {
            out.push(v(
                Rule::RunnerTransition,
                w.number,
                format!("{hills} hill-repeat sessions in transition week {t} (one wanted in weeks 9–12, none before)"),
            ));
        }
    }
    out
}

pub fn check_no_running(plan: &Plan) -> Vec<Violation> {
    let g = &plan.goal;
    if g.running || g.kind == GoalKind::Ride {
        return Vec::new();
    }
    plan.sessions()
        .filter(|s| s.mode.is_run())
        .map(|s| {
            v(
                Rule::NoRunningAlternatives,
                plan.week_of(s.day).map(|w| w.number).unwrap_or(0),
                format!("a run on {}", crate::load::session::day_text(s.day)),
            )
        })
        .collect()
}

/// Weeks of the beginner's starting rhythm.
pub const BEGINNER_MIX_WEEKS: u32 = 3;

pub fn check_beginner_mix(plan: &Plan) -> Vec<Violation> {
    let g = &plan.goal;
    if g.level != Level::Beginner || !g.kind.on_foot_with_pack() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for w in plan
        .weeks
        .iter()
        .filter(|w| w.number <= BEGINNER_MIX_WEEKS && w.is_loading() && is_full_week(plan, w))
        // The rest before the goal may take the day of a session.
        .filter(|w| w.start_day + 7 < plan.goal.day)
    {
        let hikes = w.planned().filter(|s| s.mode == Mode::Hike).count();
        let runs = w.planned().filter(|s| s.mode.is_run()).count();
        let others = w
            .planned()
            .filter(|s| s.mode.is_endurance() && s.mode != Mode::Hike && !s.mode.is_run())
            .count();
        let light = if g.days_per_week >= 3 { 1 } else { 0 };
        let (want_runs, want_others) = if g.plans_running() {
            (light, 0)
        } else {
            (0, light)
        };
        if hikes != 2 || runs != want_runs || others != want_others {
            out.push(v(
                Rule::BeginnerMix,
                w.number,
                format!("{hikes} hikes, {runs} runs, {others} other endurance sessions"),
            ));
        }
        if runs == 1 {
            if let Some(r) = w.planned().find(|s| s.mode.is_run()) {
                if r.kind.is_hard() || r.zone > super::zones::Zone::Z2 {
                    out.push(v(
                        Rule::BeginnerMix,
                        w.number,
                        "the run is not light".into(),
                    ));
                }
            }
        }
    }
    out
}

pub fn check_strength(plan: &Plan) -> Vec<Violation> {
    plan.weeks
        .iter()
        .filter(|w| is_full_week(plan, w))
        .filter(|w| !w.planned().any(|s| s.kind == Kind::Strength))
        .map(|w| v(Rule::WeeklyStrength, w.number, "no strength session".into()))
        .collect()
}

pub fn check_taper(plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let Some(last) = plan.weeks.last() else {
        return out;
    };
    let goal_day = plan.goal.day;
    if !last.sessions_on(goal_day).any(|s| s.kind == Kind::Goal) {
        out.push(v(
            Rule::Taper,
            last.number,
            "no goal session on the goal day".into(),
        ));
    }
    let day_before: Vec<_> = plan.sessions().filter(|s| s.day == goal_day - 1).collect();
    if day_before.iter().any(|s| s.kind != Kind::Rest) {
        out.push(v(
            Rule::Taper,
            last.number,
            "the day before the goal is not rest".into(),
        ));
    }
    let peak_load = plan
        .weeks
        .iter()
        .filter(|w| w.is_loading())
        .map(|w| w.load())
        .fold(0.0, f64::max);
    if !last.is_taper() {
        out.push(v(
            Rule::Taper,
            last.number,
            "the goal week is not a taper week".into(),
        ));
    }
    for w in plan.weeks.iter().filter(|w| w.is_taper()) {
        if w.load() > TAPER_SHARE * peak_load + EPS {
            out.push(v(
                Rule::Taper,
                w.number,
                format!(
                    "taper load {:.1} above {:.0} % of the peak {:.1}",
                    w.load(),
                    TAPER_SHARE * 100.0,
                    peak_load
                ),
            ));
        }
    }
    out
}

/// Every check.
pub fn check_all(plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(check_load_growth(plan));
    out.extend(check_spike(plan));
    out.extend(check_start_low(plan));
    out.extend(check_distance_or_intensity(plan));
    out.extend(check_back_to_back(plan));
    out.extend(check_weekly_rest(plan));
    out.extend(check_recovery_weeks(plan));
    out.extend(check_key_session(plan));
    out.extend(check_intensity_distribution(plan));
    out.extend(check_transition(plan));
    out.extend(check_no_running(plan));
    out.extend(check_beginner_mix(plan));
    out.extend(check_strength(plan));
    out.extend(check_taper(plan));
    out
}
