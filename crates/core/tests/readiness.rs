//! Readiness on simulated athletes: ready, half ready and not ready for the
//! same trek; the hiker of seeds/003 with her plan; and the property that
//! more evidence never makes anyone less ready.

use cairn_core::environment::altitude::DayExposure;
use cairn_core::model::Sport;
use cairn_core::plan::goal::DEFAULT_GROWTH_CAP;
use cairn_core::plan::{generate, Goal, GoalKind, Level, Start, Zones};
use cairn_core::readiness::{assess, Evidence, Readiness, Session, Si, Status, Trend};
use proptest::prelude::*;

/// 2026-11-21, a Saturday.
const TODAY: i32 = 20_778;

/// Twelve days in the Himalaya: 16 km and 1,100 m a day at most, up to
/// 5,400 m, a 9 kg pack; 20 weeks away.
fn trek() -> Goal {
    Goal {
        kind: GoalKind::Trek,
        day: TODAY + 20 * 7,
        distance_m: Some(16_000.0),
        ascent_m: Some(1_100.0),
        max_altitude_m: Some(5_400.0),
        pack_kg: Some(9.0),
        days: Some(12),
        target_s: None,
        days_per_week: 5,
        long_day: 5,
        level: Level::Intermediate,
        runner: false,
        running: true,
        growth_cap: DEFAULT_GROWTH_CAP,
        inferred: Vec::new(),
    }
}

fn hike(id: i64, day: i32, hours: f64, ascent_m: f64, pack_kg: Option<f64>, climb: f64) -> Session {
    Session {
        activity_id: id,
        day,
        sport: Sport::Hike,
        moving_s: hours * 3600.0,
        distance_m: Some(hours * 3.5 * 1000.0),
        ascent_m: Some(ascent_m),
        descent_m: Some(ascent_m),
        max_altitude_m: Some(1_500.0),
        pack_kg,
        vertical_60min_m: Some(climb),
    }
}

fn run(id: i64, day: i32, minutes: f64) -> Session {
    Session {
        activity_id: id,
        day,
        sport: Sport::Run,
        moving_s: minutes * 60.0,
        distance_m: Some(minutes * 10.0 * 16.0),
        ascent_m: Some(40.0),
        descent_m: Some(40.0),
        max_altitude_m: Some(300.0),
        pack_kg: None,
        vertical_60min_m: Some(40.0),
    }
}

/// Eight weeks of weekends: Saturday's long hike and, for `back_to_back`,
/// Sunday's; two runs a week.
fn athlete(
    hours: f64,
    ascent_m: f64,
    pack: Option<f64>,
    climb: f64,
    back_to_back: bool,
) -> Vec<Session> {
    let mut out = Vec::new();
    let mut id = 0;
    for week in 0..8 {
        let saturday = TODAY - 7 * week;
        id += 1;
        out.push(hike(id, saturday, hours, ascent_m, pack, climb));
        if back_to_back {
            id += 1;
            out.push(hike(
                id,
                saturday + 1 - 7,
                hours * 0.7,
                ascent_m * 0.7,
                pack,
                climb,
            ));
        }
        for d in [3, 5] {
            id += 1;
            out.push(run(id, saturday - d, 40.0));
        }
    }
    out
}

/// Three weeks at 3,800 m on a stay, ending a week ago.
fn stay_at_altitude() -> Vec<DayExposure> {
    (0..21)
        .map(|k| DayExposure {
            day: TODAY - 7 - k,
            band_h: vec![0.0, 0.0, 0.0, 24.0, 0.0, 0.0],
            hours_high: 24.0,
            dose_km_h: 24.0 * 3.8,
            max_altitude_m: Some(3_800.0),
            stay: Some(1),
        })
        .collect()
}

fn status(r: &Readiness, id: &str) -> Status {
    r.demands
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no demand {id} in {:?}", r.demands))
        .status
}

const TREK_DEMANDS: [&str; 8] = [
    "hours_per_day",
    "days_in_a_row",
    "ascent_per_day",
    "descent_per_day",
    "climb_rate",
    "pack",
    "mechanical_fitness",
    "altitude",
];

#[test]
fn a_ready_trekker_meets_every_demand() {
    let ev = Evidence {
        sessions: athlete(5.0, 1_050.0, Some(9.0), 560.0, true),
        exposure: stay_at_altitude(),
        mechanical_fitness: Some(Trend {
            now: 70.0,
            four_weeks_ago: 62.0,
        }),
        ..Default::default()
    };
    let r = assess(&trek(), &ev, TODAY, None, &Si);
    let ids: Vec<&str> = r.demands.iter().map(|d| d.id).collect();
    assert_eq!(ids, TREK_DEMANDS);
    for d in &r.demands {
        assert_eq!(d.status, Status::Met, "{d:?}");
        assert_eq!(d.gap, Some(0.0), "{d:?}");
        assert!(d.plan.is_none(), "no plan was given: {d:?}");
    }
    assert_eq!(r.met, 8);
    assert!(r.verdict.starts_with("ready"), "{}", r.verdict);
    // The evidence is the session behind the value: the longest day is a
    // Saturday's 5-hour hike.
    let hours = &r.demands[0];
    assert_eq!(hours.shown, Some(5.0 * 3600.0));
    assert!(hours.evidence.iter().all(|p| ev
        .sessions
        .iter()
        .any(|s| s.activity_id == p.activity_id && s.day == p.day && s.moving_s == 5.0 * 3600.0)));
}

#[test]
fn a_half_ready_trekker_is_partly_there_and_told_by_how_much() {
    let ev = Evidence {
        sessions: athlete(3.0, 600.0, Some(5.0), 380.0, false),
        mechanical_fitness: Some(Trend {
            now: 57.0,
            four_weeks_ago: 60.0,
        }),
        ..Default::default()
    };
    let r = assess(&trek(), &ev, TODAY, None, &Si);
    let day_s = cairn_core::readiness::goal_day_s(&trek());
    for id in [
        "hours_per_day",
        "ascent_per_day",
        "descent_per_day",
        "pack",
        "climb_rate",
        "days_in_a_row",
        "mechanical_fitness",
        "altitude",
    ] {
        let expected = if id == "altitude" {
            Status::NotMet
        } else {
            Status::Partly
        };
        assert_eq!(status(&r, id), expected, "{id}: {:?}", r.demands);
    }
    // The gap is what is missing to 80 % of the demand.
    let hours = &r.demands[0];
    let gap = hours.gap.expect("a gap");
    assert!((gap - (0.8 * day_s - 3.0 * 3600.0)).abs() < 1e-6, "{gap}");
    assert_eq!(r.met, 0);
    assert!(r.verdict.starts_with("0 of 8"), "{}", r.verdict);
}

#[test]
fn a_runner_who_never_hikes_is_not_ready_and_nothing_is_invented() {
    let sessions: Vec<Session> = (0..24)
        .map(|k| run(k, TODAY - 2 * k as i32, 45.0))
        .collect();
    let ev = Evidence {
        sessions,
        mechanical_fitness: Some(Trend {
            now: 40.0,
            four_weeks_ago: 52.0,
        }),
        ..Default::default()
    };
    let r = assess(&trek(), &ev, TODAY, None, &Si);
    for id in TREK_DEMANDS {
        if id == "pack" {
            // No pack was ever logged: unknown, not a made-up zero.
            assert_eq!(status(&r, id), Status::Unknown);
            continue;
        }
        assert_eq!(status(&r, id), Status::NotMet, "{id}: {:?}", r.demands);
    }
}

#[test]
fn sessions_outside_the_window_do_not_count() {
    let mut sessions = athlete(5.0, 1_050.0, Some(9.0), 560.0, true);
    for s in &mut sessions {
        s.day -= cairn_core::readiness::WINDOW_DAYS + 7;
    }
    let r = assess(
        &trek(),
        &Evidence {
            sessions,
            ..Default::default()
        },
        TODAY,
        None,
        &Si,
    );
    assert_eq!(status(&r, "hours_per_day"), Status::Unknown);
}

/// seeds/003: the hiker adding trail running, 16 weeks before a 24 km,
/// 1,200 m hike with 9 kg; she hikes 4 h with 900 m most Saturdays.
#[test]
fn the_hiker_of_seeds_003_and_what_her_plan_does_about_each_gap() {
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
    let plan = generate(
        &goal,
        &Start {
            today: TODAY,
            weekly_load: Some(300.0),
            zones: Zones {
                max_hr_bpm: 188.0,
                resting_hr_bpm: 52.0,
                lthr_run_bpm: 165.0,
                lthr_ride_bpm: 158.0,
                ftp_w: None,
                female: true,
            },
        },
    )
    .expect("a plan");
    let ev = Evidence {
        sessions: athlete(4.0, 900.0, None, 520.0, false),
        mechanical_fitness: Some(Trend {
            now: 50.0,
            four_weeks_ago: 48.0,
        }),
        ..Default::default()
    };
    let r = assess(&goal, &ev, TODAY, Some(&plan), &Si);
    // A one-day hike below 2,500 m: no days-in-a-row or altitude demand.
    let ids: Vec<&str> = r.demands.iter().map(|d| d.id).collect();
    assert_eq!(
        ids,
        [
            "hours_per_day",
            "ascent_per_day",
            "descent_per_day",
            "climb_rate",
            "pack",
            "mechanical_fitness"
        ]
    );
    // 4 h against Naismith's 6.8 h and 900 m of 1,200 m (75 %): partly.
    assert_eq!(status(&r, "hours_per_day"), Status::Partly);
    assert_eq!(status(&r, "ascent_per_day"), Status::Partly);
    // Fast climbs but never with a pack: one step lower than met.
    assert_eq!(status(&r, "climb_rate"), Status::Partly);
    assert_eq!(status(&r, "pack"), Status::Unknown);
    assert_eq!(status(&r, "mechanical_fitness"), Status::Met);
    // Every demand says what the plan does; about the long day it says
    // what the plan's own notes say (its long hike stops short of the
    // 80 % when the 10 % cap cannot get there in 16 weeks).
    for d in &r.demands {
        let text = d
            .plan
            .as_deref()
            .unwrap_or_else(|| panic!("no plan text: {d:?}"));
        assert!(!text.is_empty());
    }
    let long = r.demands[0].plan.as_deref().unwrap_or_default();
    let longest = plan
        .weeks
        .iter()
        .flat_map(|w| w.sessions.iter())
        .filter(|s| s.kind == cairn_core::plan::Kind::Long)
        .map(|s| s.duration_s)
        .fold(0.0, f64::max);
    assert!(
        long.contains(&format!("up to {:.1} h", longest / 3600.0)),
        "{long}"
    );
    assert_eq!(
        long.contains("short of"),
        plan.notes.iter().any(|n| n.contains("short of")),
        "{long} / {:?}",
        plan.notes
    );
    let pack = r
        .demands
        .iter()
        .find(|d| d.id == "pack")
        .and_then(|d| d.plan.as_deref())
        .unwrap_or_default();
    assert!(pack.contains("up to 9 kg"), "{pack}");
    let hills = r.demands[1].plan.as_deref().unwrap_or_default();
    assert!(hills.contains("hill-repeat"), "{hills}");
}

fn arb_session() -> impl Strategy<Value = Session> {
    (
        0i64..1000,
        0i32..70,
        prop_oneof![
            Just(Sport::Hike),
            Just(Sport::Run),
            Just(Sport::Walk),
            Just(Sport::Ride)
        ],
        0.0f64..8.0,
        0.0f64..2000.0,
        proptest::option::of(0.0f64..20.0),
        proptest::option::of(0.0f64..1200.0),
    )
        .prop_map(|(id, back, sport, hours, ascent, pack, climb)| Session {
            activity_id: id,
            day: TODAY - back,
            sport,
            moving_s: hours * 3600.0,
            distance_m: Some(hours * 4000.0),
            ascent_m: Some(ascent),
            descent_m: Some(ascent * 0.9),
            max_altitude_m: Some(1000.0),
            pack_kg: pack,
            vertical_60min_m: climb,
        })
}

proptest! {
    /// One more session never lowers a demand's status or its shown value:
    /// logging a slow hike must not make anyone less ready.
    #[test]
    fn more_evidence_never_makes_anyone_less_ready(
        sessions in proptest::collection::vec(arb_session(), 0..30),
        extra in arb_session(),
    ) {
        let goal = trek();
        let before = assess(&goal, &Evidence { sessions: sessions.clone(), ..Default::default() }, TODAY, None, &Si);
        let mut more = sessions;
        more.push(extra);
        let after = assess(&goal, &Evidence { sessions: more, ..Default::default() }, TODAY, None, &Si);
        prop_assert_eq!(before.demands.len(), after.demands.len());
        for (b, a) in before.demands.iter().zip(&after.demands) {
            prop_assert!(a.status.rank() >= b.status.rank(), "{:?} → {:?}", b, a);
            if let (Some(x), Some(y)) = (b.shown, a.shown) {
                if b.id != "climb_rate" {
                    prop_assert!(y >= x, "{:?} → {:?}", b, a);
                }
            }
            if let (Some(x), Some(y)) = (b.gap, a.gap) {
                if b.id != "climb_rate" {
                    prop_assert!(y <= x, "{:?} → {:?}", b, a);
                }
            }
        }
        prop_assert!(after.met >= before.met);
    }
}
