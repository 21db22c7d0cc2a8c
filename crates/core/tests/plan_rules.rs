//! Every plan rule, as a property over generated plans: all goal kinds and
//! levels, goals 3–40 weeks away, 2–7 training days a week, every long day,
//! runners and non-runners, with and without history.

use cairn_core::plan::goal::{weekday, DEFAULT_GROWTH_CAP};
use cairn_core::plan::rules::check_all;
use cairn_core::plan::{generate, Goal, GoalKind, Level, Plan, Start, Zones};
use proptest::prelude::*;

pub fn zones() -> Zones {
    Zones {
        max_hr_bpm: 188.0,
        resting_hr_bpm: 52.0,
        lthr_run_bpm: 165.0,
        lthr_ride_bpm: 158.0,
        ftp_w: Some(240.0),
        female: false,
    }
}

#[derive(Debug, Clone)]
struct Case {
    kind: GoalKind,
    level: Level,
    weeks_away: i32,
    extra_days: i32,
    days_per_week: u8,
    long_day: u8,
    runner: bool,
    running: bool,
    history: Option<f64>,
    today: i32,
    cap: f64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(GoalKind::ALL.to_vec()),
        prop::sample::select(Level::ALL.to_vec()),
        3i32..=40,
        0i32..7,
        2u8..=7,
        0u8..7,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0.0f64..900.0),
        20_000i32..20_400,
        prop::sample::select(vec![DEFAULT_GROWTH_CAP, 0.15, 0.2, 0.3]),
    )
        .prop_map(
            |(
                kind,
                level,
                weeks_away,
                extra_days,
                days_per_week,
                long_day,
                runner,
                running,
                history,
                today,
                cap,
            )| Case {
                kind,
                level,
                weeks_away,
                extra_days,
                days_per_week,
                long_day,
                runner,
                // Only a non-runner may choose not to run, and never for a race.
                running: running || runner || kind == GoalKind::Race,
                history,
                today,
                cap,
            },
        )
}

fn plan_for(c: &Case) -> Plan {
    let goal = Goal {
        kind: c.kind,
        day: c.today + c.weeks_away * 7 + c.extra_days,
        distance_m: match c.kind {
            GoalKind::Race => Some([5_000.0, 10_000.0, 21_097.5, 42_195.0][(c.today % 4) as usize]),
            GoalKind::Hike => Some(24_000.0),
            GoalKind::Ride => Some(120_000.0),
            GoalKind::Trek => None,
        },
        ascent_m: c.kind.on_foot_with_pack().then_some(1_200.0),
        max_altitude_m: (c.kind == GoalKind::Trek).then_some(5_400.0),
        pack_kg: c.kind.on_foot_with_pack().then_some(9.0),
        days: None,
        target_s: None,
        days_per_week: c.days_per_week,
        long_day: c.long_day,
        level: c.level,
        runner: c.runner,
        running: c.running,
        growth_cap: c.cap,
        inferred: Vec::new(),
    };
    let start = Start {
        today: c.today,
        weekly_load: c.history,
        zones: zones(),
    };
    generate(&goal, &start).unwrap_or_else(|e| panic!("{c:?}: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_generated_plan_breaks_a_rule(c in case()) {
        let plan = plan_for(&c);
        let broken = check_all(&plan);
        prop_assert!(broken.is_empty(), "{c:?}\n{broken:#?}");
        // The plan runs from the first Monday to the goal.
        prop_assert_eq!(weekday(plan.weeks[0].start_day), 0);
        prop_assert!(plan.weeks[0].start_day >= c.today && plan.weeks[0].start_day < c.today + 7);
        prop_assert!(plan.sessions().all(|s| s.day >= plan.weeks[0].start_day && s.day <= plan.goal.day));
        // Every session says why it is there.
        prop_assert!(plan.sessions().all(|s| !s.reason.is_empty()));
        wording_fits(&plan)?;
    }
}

/// The texts fit the goal and the week: no word said twice ("strength
/// strength"), descents only for a goal that climbs, and no week promises
/// what it does not hold (a long session, the build phase's quality).
fn wording_fits(plan: &Plan) -> Result<(), TestCaseError> {
    use cairn_core::plan::{Kind, Phase};
    for w in &plan.weeks {
        let has_long = w.sessions.iter().any(|s| s.kind == Kind::Long);
        for s in &w.sessions {
            let text = s.summary();
            let words: Vec<&str> = text.split_whitespace().collect();
            prop_assert!(words.windows(2).all(|p| p[0] != p[1]), "{text}");
            if !plan.goal.is_hilly() {
                prop_assert!(
                    !s.reason.contains("descent"),
                    "{:?} goal: {}",
                    plan.goal.kind,
                    s.reason
                );
            }
            if !has_long {
                prop_assert!(
                    !s.reason.contains("before the long session")
                        && !s.reason.contains("supports the long"),
                    "week {} has no long session: {}",
                    w.number,
                    s.reason
                );
            }
            if w.phase != Phase::Base {
                prop_assert!(
                    !s.reason.contains("start with the build phase"),
                    "{:?} week {}: {}",
                    w.phase,
                    w.number,
                    s.reason
                );
            }
        }
    }
    Ok(())
}

use cairn_core::plan::adapt::{adapt, DoneSession, Feel, Signals};

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Adaptation keeps every rule too: a week done at some share of its
    /// load with a harder or easier long session, fatigue, illness and
    /// load warnings, then adaptation on any later day.
    #[test]
    fn no_adapted_plan_breaks_a_rule(
        c in case(),
        week_pick in 0.0f64..1.0,
        day_offset in 0i32..7,
        long_factor in 0.0f64..2.0,
        fatigue in prop::collection::vec(1u8..=5, 7),
        ill in any::<bool>(),
        warned in any::<bool>(),
    ) {
        let plan = plan_for(&c);
        let wi = ((plan.weeks.len() - 1) as f64 * week_pick) as usize;
        let w = &plan.weeks[wi];
        let done: Vec<DoneSession> = w
            .sessions
            .iter()
            .filter(|s| s.mode.is_endurance() && s.kind != cairn_core::plan::Kind::Goal)
            .enumerate()
            .filter(|(_, s)| long_factor > 0.1 || s.kind != cairn_core::plan::Kind::Long)
            .map(|(i, s)| {
                let f = if s.kind == cairn_core::plan::Kind::Long { long_factor } else { 1.0 };
                DoneSession { activity_id: i as i64, day: s.day, sport: s.mode.sport(), duration_s: s.duration_s * f, load: Some(s.load * f) }
            })
            .collect();
        let feel: Vec<Feel> = fatigue
            .iter()
            .enumerate()
            .map(|(i, f)| Feel { day: w.start_day + i as i32, fatigue: Some(*f), soreness: Some(*f), sleep: Some(3), ill: ill && i == 3, note: None })
            .collect();
        let warnings = if warned { vec!["aerobic load jumped".to_string()] } else { Vec::new() };
        let signals = Signals { today: w.start_day + 7 + day_offset, done: &done, feel: &feel, warnings: &warnings };
        let (adapted, _) = adapt(&plan, &signals);
        let broken = check_all(&adapted);
        prop_assert!(broken.is_empty(), "{c:?} week {}\n{broken:#?}", w.number);
        // Nothing planned before the adaptation day changed (a missed key
        // session is only marked as moved).
        let past = |p: &cairn_core::plan::Plan| -> Vec<_> {
            p.weeks
                .iter()
                .flat_map(|w| w.sessions.iter())
                .filter(|s| s.day < signals.today)
                .map(|s| (s.day, s.mode, s.kind, s.duration_s, s.reps, s.load.to_bits()))
                .collect()
        };
        prop_assert_eq!(past(&adapted), past(&plan));
    }
}

/// Found by the property above (about one plan in 19,000): a beginner whose
/// durations are already at their floor comes back from the lighter fourth
/// week more than 30 % heavier unless the loading week may come back part
/// of the way.
#[test]
fn coming_back_from_a_lighter_week_keeps_the_spike_guard() {
    let c = Case {
        kind: GoalKind::Race,
        level: Level::Beginner,
        weeks_away: 5,
        extra_days: 3,
        days_per_week: 6,
        long_day: 0,
        runner: true,
        running: true,
        history: Some(145.337_460_028_441_85),
        today: 20_042,
        cap: 0.1,
    };
    assert_eq!(check_all(&plan_for(&c)), Vec::new());
}
