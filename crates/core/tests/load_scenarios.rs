//! The load model on the situations the users describe, and its invariants.

use cairn_core::load::profile::{AthleteProfile, Estimates, ProfileEntry, ProfileKey, Thresholds};
use cairn_core::load::series::{daily_series, SeriesConfig};
use cairn_core::load::warnings::weekly_warnings;
use cairn_core::load::{session_load, AerobicSource, SessionLoad, SessionNotes};
use cairn_core::model::{Activity, ChannelKind, SourceFormat, Sport};
use cairn_core::timeline::Timeline;
use proptest::prelude::*;

const DAY_MS: i64 = 86_400_000;

fn load_of(a: &Activity, th: &Thresholds, notes: SessionNotes) -> SessionLoad {
    session_load(a, &Timeline::of(a), th, notes)
}
const T0: i64 = 1_780_000_000_000;

/// A steady session, 1 Hz: speed (m/s) on a constant grade, with optional
/// heart rate and power.
fn steady(
    sport: Sport,
    start_ms: i64,
    seconds: usize,
    speed: f64,
    grade: f64,
    hr: Option<f64>,
    power: Option<f64>,
) -> Activity {
    let mut a = Activity::new(SourceFormat::Fit, sport, start_ms);
    let mut alt = 4500.0;
    for i in 0..=seconds {
        a.samples.push_time(start_ms + i as i64 * 1000);
        a.samples.set_last(ChannelKind::Distance, speed * i as f64);
        a.samples.set_last(ChannelKind::Speed, speed);
        a.samples.set_last(ChannelKind::Altitude, alt);
        alt += speed * grade;
        if let Some(h) = hr {
            a.samples.set_last(ChannelKind::HeartRate, h);
        }
        if let Some(p) = power {
            a.samples.set_last(ChannelKind::Power, p);
        }
    }
    a
}

fn thresholds(entries: &[(ProfileKey, f64)]) -> Thresholds {
    let p = AthleteProfile {
        entries: entries
            .iter()
            .map(|(key, value)| ProfileEntry {
                key: *key,
                value: *value,
                from_day: None,
            })
            .collect(),
    };
    p.thresholds(20_600, &Estimates::default())
}

/// seeds/004: a cyclist at 5 W/kg runs 10 miles in 1:18, "very easy
/// aerobically", and is sore for two days. The model must show a moderate
/// aerobic session and a large, new mechanical load.
#[test]
fn the_cyclist_who_starts_running() {
    let th = thresholds(&[
        (ProfileKey::Ftp, 330.0),
        (ProfileKey::BodyMass, 66.0),
        (ProfileKey::MaxHr, 185.0),
        (ProfileKey::RestingHr, 48.0),
        (ProfileKey::LthrRide, 163.0),
        (ProfileKey::LthrRun, 168.0),
        (ProfileKey::ThresholdPace, 230.0),
    ]);
    let mut aerobic = vec![0.0; 43];
    let mut mechanical = vec![0.0; 43];
    let mut ride_loads = Vec::new();
    // Six weeks of riding: five 2-hour rides a week at 250 W.
    for (day, slot) in aerobic.iter_mut().enumerate().take(42) {
        if day % 7 < 5 {
            let ride = steady(
                Sport::Ride,
                T0 + day as i64 * DAY_MS,
                7200,
                9.0,
                0.0,
                Some(140.0),
                Some(250.0),
            );
            let l = load_of(&ride, &th, SessionNotes::default());
            assert_eq!(l.aerobic_source, Some(AerobicSource::Power));
            assert_eq!(l.mechanical, 0.0, "cycling has no impact");
            *slot += l.aerobic.unwrap();
            ride_loads.push(l.aerobic.unwrap());
        }
    }
    // Day 42: 10 miles (16.09 km) in 1:18 at 140 bpm.
    let run = steady(
        Sport::Run,
        T0 + 42 * DAY_MS,
        78 * 60,
        16_093.44 / (78.0 * 60.0),
        0.0,
        Some(140.0),
        None,
    );
    let l = load_of(&run, &th, SessionNotes::default());
    assert_eq!(l.aerobic_source, Some(AerobicSource::HeartRate));
    let run_aerobic = l.aerobic.unwrap();
    let ride_avg = ride_loads.iter().sum::<f64>() / ride_loads.len() as f64;
    assert!(
        run_aerobic < ride_avg,
        "the run ({run_aerobic:.0}) is aerobically lighter than a usual ride ({ride_avg:.0})"
    );
    assert!(
        l.mechanical > 120.0,
        "an hour and a quarter of running is a large mechanical load: {:.0}",
        l.mechanical
    );
    aerobic[42] += run_aerobic;
    mechanical[42] += l.mechanical;

    let cfg = SeriesConfig::default();
    let a = daily_series(0, &aerobic, &cfg);
    let m = daily_series(0, &mechanical, &cfg);
    let aw = weekly_warnings("aerobic", &a, "");
    let mw = weekly_warnings("mechanical", &m, "MLU");
    assert!(aw.is_empty(), "no aerobic warning: {aw:?}");
    assert!(mw.iter().any(|w| w.kind == "new_load"), "{mw:?}");
    let fitness = a.last().unwrap().fitness;
    eprintln!(
        "cyclist: ride {ride_avg:.0}, run aerobic {run_aerobic:.0}, run mechanical {:.0} MLU, aerobic fitness {fitness:.0}; warnings: {:?}",
        l.mechanical,
        mw.iter().map(|w| &w.message).collect::<Vec<_>>()
    );
    assert!(
        run_aerobic < 1.3 * fitness,
        "run {run_aerobic:.0} vs aerobic fitness {fitness:.0}"
    );
}

#[test]
fn every_activity_gets_a_load_or_a_reason() {
    let th = thresholds(&[]);
    let bare = steady(Sport::Strength, T0, 1800, 0.0, 0.0, None, None);
    let l = load_of(&bare, &th, SessionNotes::default());
    assert_eq!(l.aerobic, None);
    assert!(l
        .aerobic_missing
        .as_deref()
        .unwrap()
        .contains("no heart rate"));
    let rated = load_of(
        &bare,
        &th,
        SessionNotes {
            rpe: Some(6.0),
            pack_kg: None,
        },
    );
    assert_eq!(rated.aerobic_source, Some(AerobicSource::SessionRpe));
    // A hike with no sensors but GPS: hiking energy, with the pack.
    let hike = steady(Sport::Hike, T0, 3 * 3600, 1.1, 0.12, None, None);
    let light = load_of(&hike, &th, SessionNotes::default());
    let heavy = load_of(
        &hike,
        &th,
        SessionNotes {
            rpe: None,
            pack_kg: Some(15.0),
        },
    );
    assert_eq!(light.aerobic_source, Some(AerobicSource::HikingEnergy));
    assert!(heavy.aerobic.unwrap() > light.aerobic.unwrap());
    assert!(heavy.mechanical > light.mechanical);
}

#[test]
fn hr_spikes_do_not_inflate_load() {
    let th = thresholds(&[(ProfileKey::MaxHr, 185.0), (ProfileKey::RestingHr, 50.0)]);
    let clean = steady(Sport::Run, T0, 3600, 3.0, 0.0, Some(140.0), None);
    let mut spiky = clean.clone();
    let hr = spiky.samples.channel_mut(ChannelKind::HeartRate);
    for v in hr.iter_mut().skip(600).take(60) {
        *v = Some(220.0); // a strap stuck at 220 for a minute
    }
    let a = load_of(&clean, &th, SessionNotes::default())
        .aerobic
        .unwrap();
    let b = load_of(&spiky, &th, SessionNotes::default())
        .aerobic
        .unwrap();
    assert!((a - b).abs() / a < 0.02, "{a} vs {b}");
    assert!(b.is_finite());
}

fn all_sources() -> Vec<(Sport, Option<f64>, Option<f64>)> {
    vec![
        (Sport::Ride, None, Some(220.0)),
        (Sport::Run, Some(150.0), None),
        (Sport::Run, None, None),
        (Sport::Hike, None, None),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Load is never negative or NaN, and doubling the duration at constant
    /// intensity doubles the load (each source; windows make it approximate
    /// at the edges, hence 2 %).
    #[test]
    fn load_scales_with_duration(minutes in 20usize..90, speed in 1.0f64..4.5, grade in -0.2f64..0.25) {
        // The course stays on the planet (altitude starts at 4,500 m).
        prop_assume!(speed * grade.abs() * (minutes * 120) as f64 <= 4000.0);
        let th = thresholds(&[(ProfileKey::Ftp, 250.0), (ProfileKey::ThresholdPace, 270.0), (ProfileKey::MaxHr, 190.0), (ProfileKey::RestingHr, 50.0)]);
        for (sport, hr, power) in all_sources() {
            let short = load_of(&steady(sport, T0, minutes * 60, speed, grade, hr, power), &th, SessionNotes::default());
            let long = load_of(&steady(sport, T0, minutes * 120, speed, grade, hr, power), &th, SessionNotes::default());
            let (a, b) = (short.aerobic.unwrap(), long.aerobic.unwrap());
            prop_assert!(a >= 0.0 && a.is_finite(), "{:?}: {}", sport, a);
            prop_assert!((b / a - 2.0).abs() < 0.04, "{:?}: {} vs {}", sport, a, b);
            prop_assert!(short.mechanical >= 0.0 && short.mechanical.is_finite());
            if short.mechanical > 1.0 {
                prop_assert!((long.mechanical / short.mechanical - 2.0).abs() < 0.04, "{:?} mech {} vs {}", sport, short.mechanical, long.mechanical);
            }
        }
    }
}

#[test]
fn zero_samples_give_zero_load() {
    let th = thresholds(&[(ProfileKey::Ftp, 250.0), (ProfileKey::ThresholdPace, 270.0)]);
    for (sport, _, _) in all_sources() {
        let empty = Activity::new(SourceFormat::Fit, sport, T0);
        let l = load_of(&empty, &th, SessionNotes::default());
        assert_eq!(l.aerobic.unwrap_or(0.0), 0.0);
        assert_eq!(l.mechanical, 0.0);
    }
}
