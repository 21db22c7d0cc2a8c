//! Plans against the users' own stories: the seeds/003 week, a hard
//! Saturday hike, a week of fatigue, illness, a missed long hike, the
//! athlete's edits, and the exports read back by independent parsers.

use cairn_core::encode::fit::encode_workout;
use cairn_core::encode::ics::plan_calendar;
use cairn_core::model::{Sport, StepDuration, StepTarget};
use cairn_core::plan::adapt::{adapt, compliance, edit, DoneSession, Edit, Feel, Signals, Status};
use cairn_core::plan::goal::{weekday, DEFAULT_GROWTH_CAP};
use cairn_core::plan::workout::session_workout;
use cairn_core::plan::{
    check_all, generate, Goal, GoalKind, Kind, Level, Mode, Plan, Rule, Start, Week, Zones,
};

fn zones() -> Zones {
    Zones {
        max_hr_bpm: 188.0,
        resting_hr_bpm: 52.0,
        lthr_run_bpm: 165.0,
        lthr_ride_bpm: 158.0,
        ftp_w: Some(240.0),
        female: false,
    }
}

/// 2026-11-21, a Saturday.
const TODAY: i32 = 20_778;

/// The hiker of seeds/003 who already runs: a 24 km, 1,200 m hike goal 16
/// weeks away, five days a week, long day Saturday.
fn hikers_plan() -> Plan {
    let goal = Goal {
        kind: GoalKind::Hike,
        day: TODAY + 16 * 7,
        distance_m: Some(24_000.0),
        ascent_m: Some(1_200.0),
        max_altitude_m: None,
        pack_kg: Some(9.0),
        days: None,
        target_s: None,
        days_per_week: 5,
        long_day: 5,
        level: Level::Intermediate,
        runner: true,
        running: true,
        growth_cap: DEFAULT_GROWTH_CAP,
        inferred: Vec::new(),
    };
    let start = Start {
        today: TODAY,
        weekly_load: Some(300.0),
        zones: zones(),
    };
    generate(&goal, &start).unwrap()
}

/// A loading week of the build or peak phase with hill repeats and a long
/// hike of at least four hours.
fn build_week(plan: &Plan) -> &Week {
    plan.weeks
        .iter()
        .find(|w| {
            w.is_loading()
                && w.sessions.iter().any(|s| s.kind == Kind::HillRepeats)
                && w.long_session()
                    .is_some_and(|l| l.duration_s >= 4.0 * 3600.0)
        })
        .expect("a build week with hill repeats and a 4-h hike")
}

fn on(w: &Week, weekday_index: u8) -> Vec<&cairn_core::plan::PlannedSession> {
    w.sessions
        .iter()
        .filter(|s| weekday(s.day) == weekday_index)
        .collect()
}

#[test]
fn the_seeds_003_week_emerges_for_a_hikers_trail_goal() {
    let plan = hikers_plan();
    assert!(check_all(&plan).is_empty(), "{:#?}", check_all(&plan));
    let w = build_week(&plan);
    let minutes = |s: &cairn_core::plan::PlannedSession| s.duration_s / 60.0;
    // Monday: rest.
    assert!(on(w, 0).iter().all(|s| s.kind == Kind::Rest));
    // Tuesday: easy zone-2 trail run, 45–60 min.
    let tue = on(w, 1);
    assert_eq!(tue.len(), 1);
    assert_eq!((tue[0].mode, tue[0].kind), (Mode::TrailRun, Kind::Easy));
    assert_eq!(tue[0].zone, cairn_core::plan::Zone::Z2);
    assert!(
        (45.0..=60.0).contains(&minutes(tue[0])),
        "{}",
        minutes(tue[0])
    );
    // Wednesday: strength, 30–40 min.
    let wed = on(w, 2);
    assert_eq!(wed[0].kind, Kind::Strength);
    assert!((30.0..=40.0).contains(&minutes(wed[0])));
    // Thursday: hill repeats of 20–40 s, 45 min.
    let thu = on(w, 3);
    assert_eq!(thu[0].kind, Kind::HillRepeats);
    assert!((20.0..=40.0).contains(&thu[0].reps.unwrap().work_s));
    assert_eq!(minutes(thu[0]), 45.0);
    // Friday: rest.
    assert!(on(w, 4).iter().all(|s| s.kind == Kind::Rest));
    // Saturday: long hike with the full pack, 4–7 h, the key session.
    let sat = on(w, 5);
    assert_eq!((sat[0].mode, sat[0].kind), (Mode::Hike, Kind::Long));
    assert!(sat[0].key);
    assert_eq!(sat[0].pack_kg, Some(9.0));
    assert!((240.0..=420.0).contains(&minutes(sat[0])));
    // Sunday: recovery.
    let sun = on(w, 6);
    assert_eq!(sun[0].kind, Kind::Recovery);
    assert!(minutes(sun[0]) >= 45.0);
    // Targets are in the athlete's own zones: Friel's zone 2 for LTHR 165.
    let hr = tue[0].heart_rate.unwrap();
    assert_eq!((hr.low_bpm, hr.high_bpm), (Some(141.0), 147.0));
}

fn done(id: i64, day: i32, sport: Sport, minutes: f64, load: f64) -> DoneSession {
    DoneSession {
        activity_id: id,
        day,
        sport,
        duration_s: minutes * 60.0,
        load: Some(load),
    }
}

/// Everything in the week before `day` done as planned, the Saturday long
/// hike at `long_factor` × its planned load.
fn week_done(w: &Week, long_factor: f64) -> Vec<DoneSession> {
    w.sessions
        .iter()
        .filter(|s| s.mode.is_endurance() || s.kind == Kind::Strength)
        .enumerate()
        .map(|(i, s)| {
            let f = if s.kind == Kind::Long {
                long_factor
            } else {
                1.0
            };
            done(
                i as i64 + 1,
                s.day,
                s.mode.sport(),
                s.duration_s / 60.0 * f,
                s.load * f,
            )
        })
        .collect()
}

#[test]
fn a_hard_saturday_hike_scales_back_the_next_thursday() {
    let plan = hikers_plan();
    let w = build_week(&plan).clone();
    let saturday = w.long_session().unwrap().day;
    let sunday = saturday + 1;
    let next = &plan.weeks[w.number as usize];
    let thursday = next
        .sessions
        .iter()
        .find(|s| s.kind == Kind::HillRepeats)
        .expect("hill repeats the next week");
    assert_eq!(thursday.day, saturday + 5);
    assert_eq!(weekday(thursday.day), 3);

    // As planned: nothing changes.
    let as_planned = week_done(&w, 1.0);
    let signals = Signals {
        today: sunday,
        done: &as_planned,
        feel: &[],
        warnings: &[],
    };
    let (_, changes) = adapt(&plan, &signals);
    assert!(changes.is_empty(), "{changes:#?}");

    // 40 % harder than planned: Thursday loses efforts and load.
    let hard = week_done(&w, 1.4);
    let signals = Signals {
        done: &hard,
        ..signals
    };
    let (adapted, changes) = adapt(&plan, &signals);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, Rule::ScaleBackAfterHardLong);
    assert_eq!(changes[0].day, thursday.day);
    let after = adapted
        .sessions()
        .find(|s| s.day == thursday.day && s.kind.is_quality())
        .unwrap();
    assert!(after.reps.unwrap().count < thursday.reps.unwrap().count);
    assert!(after.load < thursday.load);
    assert!(
        changes[0].reason.contains("40 % harder"),
        "{}",
        changes[0].reason
    );
    // Running adaptation again changes nothing more.
    let (again, changes) = adapt(&adapted, &signals);
    assert!(changes.is_empty());
    assert_eq!(again.weeks, adapted.weeks);
}

fn fatigue_week(w: &Week, scores: &[u8]) -> Vec<Feel> {
    scores
        .iter()
        .enumerate()
        .map(|(i, f)| Feel {
            day: w.start_day + i as i32,
            fatigue: Some(*f),
            soreness: Some(3),
            sleep: Some(3),
            ill: false,
            note: None,
        })
        .collect()
}

#[test]
fn a_week_of_fatigue_cuts_the_next_week_by_5_to_10_percent() {
    let plan = hikers_plan();
    for scores in [[4, 4, 4, 4, 4, 4, 4], [4, 5, 4, 5, 5, 4, 5], [5; 7]] {
        let w = &plan.weeks[5];
        let next = &plan.weeks[6];
        let feel = fatigue_week(w, &scores);
        let done = week_done(w, 1.0);
        let signals = Signals {
            today: next.start_day,
            done: &done,
            feel: &feel,
            warnings: &[],
        };
        let (adapted, changes) = adapt(&plan, &signals);
        let cut = 1.0 - adapted.weeks[6].load() / next.load();
        assert!(
            (0.05 - 0.005..=0.10 + 0.005).contains(&cut),
            "{scores:?}: cut {cut}"
        );
        assert!(changes.iter().any(|c| c.rule == Rule::FatigueCut));
        assert!(changes.iter().all(|c| c.day >= next.start_day));
        // The rest of the plan still keeps every rule against the lower week.
        assert!(check_all(&adapted).is_empty(), "{:#?}", check_all(&adapted));
    }
    // Two tired days are not persistent fatigue.
    let w = &plan.weeks[5];
    let feel = fatigue_week(w, &[5, 5, 2, 2, 2, 2, 2]);
    let signals = Signals {
        today: plan.weeks[6].start_day,
        done: &[],
        feel: &feel,
        warnings: &[],
    };
    let (_, changes) = adapt(&plan, &signals);
    assert!(!changes.iter().any(|c| c.rule == Rule::FatigueCut));
}

#[test]
fn illness_holds_the_next_week_without_quality() {
    let plan = hikers_plan();
    let w = build_week(&plan).clone();
    let next = &plan.weeks[w.number as usize];
    let feel = vec![Feel {
        day: w.start_day + 2,
        fatigue: Some(3),
        soreness: None,
        sleep: Some(2),
        ill: true,
        note: Some("cold".into()),
    }];
    let signals = Signals {
        today: next.start_day,
        done: &[],
        feel: &feel,
        warnings: &[],
    };
    let (adapted, changes) = adapt(&plan, &signals);
    let held = &adapted.weeks[w.number as usize];
    assert!(!held.sessions.iter().any(|s| s.kind.is_quality()));
    assert!(held.load() <= w.load() + 1e-6);
    assert!(changes.iter().any(|c| c.rule == Rule::IllnessHold));
    assert!(check_all(&adapted).is_empty(), "{:#?}", check_all(&adapted));
}

#[test]
fn a_missed_long_hike_moves_to_a_free_day_of_the_week() {
    let plan = hikers_plan();
    let w = build_week(&plan).clone();
    let saturday = w.long_session().unwrap().day;
    // Everything done but the long hike; it is Sunday.
    let done: Vec<DoneSession> = week_done(&w, 1.0)
        .into_iter()
        .filter(|d| d.day != saturday)
        .filter(|d| d.day < saturday)
        .collect();
    let signals = Signals {
        today: saturday + 1,
        done: &done,
        feel: &[],
        warnings: &[],
    };
    let status = compliance(&plan, &done, saturday + 1);
    let long_status = status[w.number as usize - 1]
        .sessions
        .iter()
        .find(|s| s.day == saturday && s.planned_s > 0.0)
        .unwrap();
    assert_eq!(long_status.status, Status::Missed);
    let (adapted, changes) = adapt(&plan, &signals);
    assert_eq!(changes[0].rule, Rule::ReflowKeySession, "{changes:#?}");
    let moved = &adapted.weeks[w.number as usize - 1];
    let key = moved.sessions.iter().find(|s| s.key).unwrap();
    assert_eq!(key.day, saturday + 1);
    assert_eq!(key.kind, Kind::Long);
    assert!(check_all(&adapted).is_empty(), "{:#?}", check_all(&adapted));
}

#[test]
fn adaptation_never_changes_the_athletes_edits() {
    let mut plan = hikers_plan();
    let next = plan.weeks[6].clone();
    let tuesday = next.start_day + 1;
    edit(
        &mut plan,
        tuesday,
        &Edit {
            mode: Some(Mode::Ride),
            duration_s: Some(90.0 * 60.0),
            ..Edit::default()
        },
    )
    .unwrap();
    let edited = plan.sessions().find(|s| s.day == tuesday).unwrap().clone();
    assert!(edited.edited);
    assert_eq!(edited.mode, Mode::Ride);
    let feel = fatigue_week(&plan.weeks[5], &[5; 7]);
    let signals = Signals {
        today: next.start_day,
        done: &[],
        feel: &feel,
        warnings: &[],
    };
    let (adapted, changes) = adapt(&plan, &signals);
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c.day != tuesday));
    assert_eq!(
        adapted.sessions().find(|s| s.day == tuesday).unwrap(),
        &edited
    );
}

#[test]
fn the_calendar_parses_with_an_independent_parser() {
    let plan = hikers_plan();
    let text = plan_calendar(&plan, "plan-1");
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = calendars.next().expect("one calendar").expect("parses");
    assert!(calendars.next().is_none());
    let sessions: Vec<_> = plan.sessions().filter(|s| s.kind != Kind::Rest).collect();
    assert_eq!(cal.events.len(), sessions.len());
    for (event, s) in cal.events.iter().zip(&sessions) {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            prop("DTSTART"),
            cairn_core::load::session::day_text(s.day).replace('-', "")
        );
        assert!(prop("UID").ends_with("@cairn"));
        // Unfolded and unescaped, the summary names the session.
        let summary = prop("SUMMARY").replace("\\,", ",").replace("\\;", ";");
        assert!(
            summary.starts_with(&s.summary()) || s.kind == Kind::Goal,
            "{summary}"
        );
    }
    let uids: std::collections::HashSet<_> = cal
        .events
        .iter()
        .filter_map(|e| e.properties.iter().find(|p| p.name == "UID")?.value.clone())
        .collect();
    assert_eq!(uids.len(), cal.events.len());
}

#[test]
fn fit_workouts_decode_to_the_same_steps_with_cairn_and_fitparser() {
    let plan = hikers_plan();
    let mut kinds = std::collections::HashSet::new();
    for s in plan.sessions() {
        let Some(workout) = session_workout(s, &plan.zones) else {
            continue;
        };
        kinds.insert(s.kind);
        let bytes = encode_workout(&workout);
        let ours = cairn_core::decode::fit::decode_workout(&bytes).unwrap();
        assert_eq!(ours.steps, workout.steps);
        assert_eq!(ours.sport, workout.sport);

        let records = fitparser::from_bytes(&bytes).expect("fitparser reads it");
        let steps: Vec<_> = records
            .iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::WorkoutStep)
            .collect();
        assert_eq!(steps.len(), workout.steps.len());
        for (r, step) in steps.iter().zip(&workout.steps) {
            let field = |name: &str| {
                r.fields()
                    .iter()
                    .find(|f| f.name() == name)
                    .map(|f| f.value().to_string())
                    .unwrap_or_default()
            };
            match step.duration {
                StepDuration::Seconds(sec) => {
                    assert_eq!(field("duration_type"), "time");
                    let v: f64 = field("duration_time").parse().unwrap();
                    assert!((v - sec).abs() < 1e-6, "{v} vs {sec}");
                }
                _ => panic!("planned steps are timed"),
            }
            match step.target {
                StepTarget::HeartRate { low_bpm, high_bpm } => {
                    assert_eq!(field("target_type"), "heart_rate");
                    let lo: f64 = field("custom_target_heart_rate_low").parse().unwrap();
                    let hi: f64 = field("custom_target_heart_rate_high").parse().unwrap();
                    // FIT profile: heart-rate targets above 100 are bpm + 100
                    // (0–100 would be % of max); fitparser gives the raw value.
                    assert_eq!((lo - 100.0, hi - 100.0), (low_bpm, high_bpm));
                }
                StepTarget::Open => assert_eq!(field("target_type"), "open"),
                StepTarget::Speed { .. } => panic!("planned steps use heart rate"),
            }
        }
    }
    for k in [Kind::Easy, Kind::Long, Kind::HillRepeats, Kind::Recovery] {
        assert!(kinds.contains(&k), "{k:?} exported");
    }
}

/// A week with nothing done yet reads 0, not -0 (an empty f64 sum is -0,
/// which pages printed as "done -0").
#[test]
fn a_week_with_nothing_done_has_a_positive_zero_load() {
    let plan = hikers_plan();
    let status = compliance(&plan, &[], TODAY);
    for w in &status {
        assert!(
            w.actual_load == 0.0 && w.actual_load.is_sign_positive(),
            "{w:?}"
        );
        assert!(w.planned_load_so_far.is_sign_positive(), "{w:?}");
        assert_eq!(format!("{:.0}", w.actual_load), "0");
    }
    let rest_week = cairn_core::plan::Week {
        sessions: Vec::new(),
        ..plan.weeks[0].clone()
    };
    assert_eq!(format!("{:.0}", rest_week.load()), "0");
}
