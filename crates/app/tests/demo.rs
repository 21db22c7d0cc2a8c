//! The demo generator: files that decode cleanly (by cairn and by fitparser),
//! plausible training, and byte-identical output for the same seed.

use cairn_app::demo::{generate, DemoOptions};
use cairn_core::decode::{decode, Format};
use cairn_core::model::Sport;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 2026-11-15.
const LAST_DAY: i32 = 20_407;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn opts(out: &Path, seed: u64) -> DemoOptions {
    DemoOptions {
        years: 0.35,
        athletes: 3,
        seed,
        out: out.to_path_buf(),
        last_day: LAST_DAY,
    }
}

#[test]
fn the_same_seed_gives_byte_identical_files() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(&opts(a.path(), 7)).unwrap();
    generate(&opts(b.path(), 7)).unwrap();
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), fb.len());
    assert!(fa.len() > 100);
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(
            x.strip_prefix(a.path()).unwrap(),
            y.strip_prefix(b.path()).unwrap()
        );
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{}",
            x.display()
        );
    }
    let c = tempfile::tempdir().unwrap();
    generate(&opts(c.path(), 8)).unwrap();
    let fc = files(c.path());
    assert!(
        fa.iter()
            .zip(&fc)
            .any(|(x, y)| std::fs::read(x).unwrap() != std::fs::read(y).unwrap()),
        "another seed, other files"
    );
}

#[test]
fn generated_training_is_clean_and_plausible() {
    let dir = tempfile::tempdir().unwrap();
    let report = generate(&opts(dir.path(), 1)).unwrap();
    let mut weekly_hours: BTreeMap<(String, i64), f64> = BTreeMap::new();
    let mut ride_power: Vec<(Option<f64>, Option<f64>)> = Vec::new();
    let mut best_5k_s = f64::INFINITY;
    let mut fit_files = 0;
    for path in files(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        let ext = path.extension().unwrap().to_str().unwrap();
        let format = Format::from_extension(ext).unwrap();
        let decoded = decode(format, &bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            decoded.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            decoded.warnings
        );
        if format == Format::Fit {
            fit_files += 1;
            if fit_files <= 40 {
                let records = fitparser::from_bytes(&bytes)
                    .unwrap_or_else(|e| panic!("fitparser on {}: {e}", path.display()));
                assert!(records
                    .iter()
                    .any(|r| r.kind() == fitparser::profile::MesgNum::Session));
            }
        }
        let athlete = path
            .strip_prefix(dir.path())
            .unwrap()
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .to_string();
        for mut a in decoded.activities {
            cairn_core::clean::check(&mut a, 1_800_000_000_000);
            assert!(a.flags.is_empty(), "{}: {:?}", path.display(), a.flags);
            // Recorded by a device a user would recognise, not a test tool.
            let device = a.device.clone().unwrap_or_default();
            assert!(
                device.starts_with("garmin "),
                "{}: device {device:?}",
                path.display()
            );
            let derived = cairn_core::derived::derive(&a);
            // Laps state what a watch states: distance (FIT and TCX carry
            // laps) and heart rate (FIT; a TCX lap's would weigh the
            // session's by lap time, pauses included, away from the FIT's).
            if format != Format::Gpx {
                for lap in &a.laps {
                    assert!(
                        lap.totals.distance_m.is_some_and(|d| d > 0.0)
                            && (format != Format::Fit || lap.totals.avg_hr_bpm.is_some()),
                        "{}: lap {:?}",
                        path.display(),
                        lap.totals
                    );
                }
            }
            if a.sport.is_cycling() && a.samples.len() > 1800 {
                ride_power.push((
                    derived
                        .facts
                        .best
                        .power
                        .iter()
                        .find(|(d, _)| *d == 5)
                        .map(|x| x.1),
                    derived
                        .facts
                        .best
                        .power
                        .iter()
                        .find(|(d, _)| *d == 1200)
                        .map(|x| x.1),
                ));
            }
            if athlete == "road-runner" && a.sport == Sport::Run {
                if let Some((_, s)) = derived.facts.best.run.iter().find(|(m, _)| *m == 5000.0) {
                    best_5k_s = best_5k_s.min(*s);
                }
            }
            let s = derived.summary;
            let moving = s.moving_s.unwrap();
            let speed = s.avg_speed_mps.unwrap();
            let (lo, hi) = match a.sport {
                s if s.is_running() => (1.0, 5.5),
                Sport::Hike | Sport::Walk => (0.5, 1.9),
                s if s.is_cycling() => (4.0, 13.0),
                other => panic!("unexpected sport {other}"),
            };
            assert!(
                (lo..hi).contains(&speed),
                "{}: {} at {speed:.2} m/s",
                path.display(),
                a.sport
            );
            let (hr_avg, hr_max) = (s.avg_hr_bpm.unwrap(), s.max_hr_bpm.unwrap());
            assert!(
                hr_avg > 60.0 && hr_max <= 190.0,
                "{}: HR {hr_avg}/{hr_max}",
                path.display()
            );
            // Ascent matches the terrain: mountain hikes climb, flat runs do not.
            let ascent = s.ascent_m.unwrap_or(0.0);
            if a.sport == Sport::Hike && moving > 3.0 * 3600.0 {
                assert!(
                    ascent > 300.0,
                    "{}: a long hike climbs, {ascent} m",
                    path.display()
                );
            }
            if a.sport == Sport::Run
                && path.to_string_lossy().contains("road-runner")
                && s.max_altitude_m.unwrap() - s.min_altitude_m.unwrap() < 10.0
            {
                assert!(
                    ascent < 30.0,
                    "{}: flat run with {ascent} m",
                    path.display()
                );
            }
            let week = a.start_ms.div_euclid(7 * 86_400_000);
            *weekly_hours.entry((athlete.clone(), week)).or_default() += moving / 3600.0;
        }
    }
    // Weekly volume per athlete, over full weeks: runner 3–9 h, hiker 3–12 h, cyclist 5–15 h.
    for ((athlete, _), h) in weekly_hours
        .iter()
        .filter(|((_, w), _)| *w > weekly_hours.keys().map(|k| k.1).min().unwrap())
    {
        let (lo, hi) = match athlete.as_str() {
            "road-runner" => (0.5, 20.0),
            "hiker" => (0.5, 15.0),
            _ => (1.0, 16.0),
        };
        assert!((lo..hi).contains(h), "{athlete}: {h:.1} h in a week");
    }
    let mean = |name: &str| {
        let v: Vec<f64> = weekly_hours
            .iter()
            .filter(|((a, _), _)| a == name)
            .map(|(_, h)| *h)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(
        (3.0..9.0).contains(&mean("road-runner")),
        "runner {:.1} h/week",
        mean("road-runner")
    );
    assert!(
        (3.0..12.0).contains(&mean("hiker")),
        "hiker {:.1} h/week",
        mean("hiker")
    );
    assert!(
        (5.0..15.0).contains(&mean("cyclist")),
        "cyclist {:.1} h/week",
        mean("cyclist")
    );
    assert_eq!(report.athletes.len(), 3);
    // Power varies with terrain and surges: a ride's best 5 s is well above
    // its best 20 minutes.
    let varied = ride_power
        .iter()
        .filter(|(p5, p20)| matches!((p5, p20), (Some(a), Some(b)) if *a > 1.3 * *b))
        .count();
    assert!(
        varied * 2 > ride_power.len(),
        "{varied} of {} rides",
        ride_power.len()
    );
    // The road runner races: the best 5 km is near what threshold pace
    // predicts (about 1.05× threshold speed), not an easy run's pace.
    let threshold =
        cairn_core::sim::history::Athlete::of(cairn_core::sim::history::Archetype::RoadRunner)
            .threshold_speed;
    let predicted = 5000.0 / (1.05 * threshold);
    assert!(
        (best_5k_s - predicted).abs() < 0.05 * predicted,
        "best 5 km {best_5k_s:.0} s, threshold predicts {predicted:.0} s"
    );
}
