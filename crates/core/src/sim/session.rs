//! One planned session turned into 1-Hz samples.

use super::history::{Athlete, FileKind, Planned, Terrain, Workout};
use super::rng::Rng;
use crate::load::carriage::walking_metabolic_w;
use crate::load::equivalent::tobler_mps;
use crate::load::grade::running_cost;
use crate::load::session::threshold_metabolic_w;
use crate::model::{Activity, ChannelKind, Lap, SourceFormat, Sport, TimerEvent};

/// Altitude profile along the route, and its slope.
struct Profile {
    terrain: Terrain,
    base: f64,
    half: f64,
    grade: f64,
    steep: f64,
    phase: f64,
}

impl Profile {
    fn altitude(&self, d: f64) -> f64 {
        let p = self.phase;
        match self.terrain {
            Terrain::Flat => self.base + 3.0 * (d / 700.0 + p).sin(),
            Terrain::Rolling => {
                self.base + 35.0 * (d / 1800.0 + p).sin() + 12.0 * (d / 520.0 + 2.0 * p).sin()
            }
            Terrain::Mountain => {
                // Out and back: up for `half` metres, then down again, with
                // steeper pitches (the slope varies by ±`steep` every ~1.9 km,
                // so hiking trails reach about 40 %).
                let x = if d <= self.half {
                    d
                } else {
                    (2.0 * self.half - d).max(0.0)
                };
                self.base
                    + self.grade * x
                    + self.steep * 300.0 * (1.0 - (x / 300.0).cos())
                    + 8.0 * (d / 150.0 + p).sin()
            }
        }
    }

    fn slope(&self, d: f64) -> f64 {
        (self.altitude(d + 5.0) - self.altitude(d - 5.0)) / 10.0
    }
}

/// Effort (fraction of threshold) at second `t` of the session.
fn effort(p: &Planned, t: f64, total: f64) -> (f64, bool) {
    match p.workout {
        Workout::Steady => (p.intensity, false),
        Workout::RunWalk { run_s, walk_s } => {
            let phase = t % (run_s + walk_s);
            if phase < run_s {
                (p.intensity, false)
            } else {
                (0.45, true)
            }
        }
        Workout::Intervals { reps, on_s, off_s } => {
            let warm = 600.0;
            let block = reps as f64 * (on_s + off_s);
            if t < warm || t > warm + block || t > total - 300.0 {
                (0.62, false)
            } else if (t - warm) % (on_s + off_s) < on_s {
                (p.intensity + 0.3, false)
            } else {
                (0.55, false)
            }
        }
    }
}

/// Cycling speed for power `watts` on slope `s`: rolling resistance, gravity
/// and air drag balanced. The balance `P(v) − watts` is negative at walking
/// pace and positive at 30 m/s with exactly one root between (downhill it
/// first falls, then rises), so bisection finds it where Newton's method from
/// a slow start can run off on a descent.
fn ride_speed(watts: f64, s: f64, mass: f64) -> f64 {
    let m = mass + 9.0;
    let (g, crr, rho_cda) = (9.81, 0.005, 1.2 * 0.32);
    let balance = |v: f64| m * g * (crr + s) * v + 0.5 * rho_cda * v * v * v - 0.97 * watts;
    let (mut lo, mut hi) = (0.5, 30.0);
    if balance(lo) >= 0.0 {
        return lo;
    }
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if balance(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (0.5 * (lo + hi)).min(18.0)
}

/// Simulates one session. Deterministic: the same plan gives the same samples.
pub fn simulate(p: &Planned, a: &Athlete) -> Activity {
    let mut rng = Rng::new(p.seed);
    let total = (p.minutes * 60.0).round();
    let expected_speed = if p.sport.is_cycling() {
        8.0
    } else if p.sport.is_running() {
        a.threshold_speed * p.intensity * 0.9
    } else {
        1.1
    };
    let half = total * expected_speed / 2.0;
    let profile = Profile {
        terrain: p.terrain,
        base: p.base_alt_m,
        half,
        grade: f64::min(
            match p.terrain {
                Terrain::Mountain if p.sport.is_cycling() => 0.06,
                Terrain::Mountain if p.sport.is_running() => 0.10,
                _ => 0.14,
            },
            1500.0 / half.max(1.0),
        ),
        steep: if p.sport.is_cycling() {
            0.03
        } else if p.sport.is_running() {
            0.12
        } else {
            0.22
        },
        phase: rng.range(0.0, std::f64::consts::TAU),
    };
    let format = match p.file {
        FileKind::Fit => SourceFormat::Fit,
        FileKind::Gpx => SourceFormat::Gpx,
        FileKind::Tcx => SourceFormat::Tcx,
    };
    let start_ms = (p.day as i64 * 86_400 + p.start_s as i64 - p.utc_offset_s as i64) * 1000;
    let mut act = Activity::new(format, p.sport, start_ms);
    act.utc_offset_s = Some(p.utc_offset_s);
    // A watch on foot, a bike computer on the bike (written to FIT as
    // Garmin's product ids).
    act.device = Some(
        if p.sport.is_cycling() {
            "garmin edge_530"
        } else {
            "garmin fr945"
        }
        .into(),
    );
    // A loop of radius r around the start, travelled anticlockwise.
    let r = (total * expected_speed / std::f64::consts::TAU).max(300.0);
    let heading = rng.range(0.0, std::f64::consts::TAU);
    let m_per_deg_lat = 111_195.0;
    let m_per_deg_lon = m_per_deg_lat * p.lat.to_radians().cos();
    // Auto-pauses on roads: up to three stops of 20–90 s.
    let mut stops: Vec<(f64, f64)> = Vec::new();
    if matches!(p.terrain, Terrain::Flat | Terrain::Rolling) && !p.sport.is_on_foot()
        || p.sport == Sport::Run
    {
        for _ in 0..(rng.f64() * 3.5) as usize {
            stops.push((
                rng.range(300.0, (total - 300.0).max(301.0)),
                rng.range(20.0, 90.0),
            ));
        }
        stops.sort_by(|x, y| x.0.total_cmp(&y.0));
    }
    let p_thr = threshold_metabolic_w(a.mass_kg, a.threshold_speed);
    let (mut d, mut hr, mut v) = (0.0f64, a.rest_hr + 25.0, expected_speed);
    let mut clock = 0.0; // seconds since start, including stops
    let mut moving = 0.0; // seconds of effort
    let mut stop_idx = 0;
    let mut gps_err = (0.0f64, 0.0f64);
    // Seconds left of a surge, and its power as a multiple of the effort's.
    let mut surge = (0u32, 1.0f64);
    act.timer_events.push(TimerEvent {
        time_ms: start_ms,
        running: true,
    });
    let lap_every = if p.sport.is_cycling() {
        10_000.0
    } else {
        1_000.0
    };
    let mut next_lap = lap_every;
    act.laps.push(Lap {
        start_ms,
        ..Lap::default()
    });
    let heat = (p.temp_c - 18.0).max(0.0);
    let altitude_bpm = ((p.base_alt_m - 1500.0) / 1000.0).max(0.0) * 8.0;
    while moving < total {
        if let Some(&(at, dur)) = stops.get(stop_idx) {
            if moving >= at {
                stop_idx += 1;
                act.timer_events.push(TimerEvent {
                    time_ms: start_ms + (clock * 1000.0) as i64,
                    running: false,
                });
                clock += dur.round();
                act.timer_events.push(TimerEvent {
                    time_ms: start_ms + (clock * 1000.0) as i64,
                    running: true,
                });
                hr = (hr - dur * 0.4).max(a.rest_hr + 15.0);
                v = 0.5;
            }
        }
        let s = profile.slope(d);
        let (e, walking) = effort(p, moving, total);
        let (speed, metabolic_effort) = if p.sport.is_cycling() {
            // Riders push harder up a climb and ease off on the flat and
            // down (+15 % at 5 %, −9 % at −3 %), and mostly coast down steep
            // descents.
            let terrain = 1.0 + (3.0 * s).clamp(-0.35, 0.25);
            // Now and then a surge: a sprint, a gap closed, a short ramp.
            if surge.0 == 0 && rng.chance(1.0 / 400.0) {
                surge = (rng.range(6.0, 25.0) as u32, rng.range(1.5, 2.4));
            }
            let surging = if surge.0 > 0 {
                surge.0 -= 1;
                surge.1
            } else {
                1.0
            };
            let watts = (e * a.ftp_w * terrain * surging * (1.0 + 0.05 * rng.normal())).max(0.0);
            let pedalled = if s < -0.04 { 0.3 * watts } else { watts };
            (ride_speed(pedalled, s, a.mass_kg), pedalled / a.ftp_w)
        } else if p.sport.is_running() && !walking {
            let gap = e * a.threshold_speed;
            let run_v = gap * running_cost(0.0) / running_cost(s);
            if run_v < 1.9 {
                // Walking the climbs.
                let w = tobler_mps(s) * 1.15;
                (
                    w,
                    (walking_metabolic_w(a.mass_kg, 0.0, w, s * 100.0, 1.1) / p_thr).max(0.4),
                )
            } else {
                (run_v.min(6.5), e)
            }
        } else {
            let w = tobler_mps(s) * (1.0 - 0.008 * p.pack_kg) * if walking { 1.1 } else { 0.95 };
            (
                w,
                walking_metabolic_w(a.mass_kg, p.pack_kg, w, s * 100.0, 1.1) / p_thr,
            )
        };
        // Speed responds within a few seconds; a little noise.
        v += (speed - v) * 0.35 + 0.03 * rng.normal();
        v = v.max(0.3);
        d += v;
        // Heart rate: 85 % of reserve at threshold, lagging by ~30 s,
        // drifting with duration and heat, higher at altitude.
        let target = a.rest_hr
            + (a.max_hr - a.rest_hr) * (0.85 * metabolic_effort).min(1.0)
            + 0.6 * heat
            + altitude_bpm
            + moving / 60.0 * 0.04 * (1.0 + heat / 8.0);
        hr += (target.min(a.max_hr) - hr) / 30.0;
        let t_ms = start_ms + (clock * 1000.0) as i64;
        act.samples.push_time(t_ms);
        let angle = heading + d / r;
        // GPS error drifts slowly (AR(1), about 3 m), as receivers' does; white
        // noise at 1 Hz would add metres of fake distance every second.
        gps_err.0 = 0.95 * gps_err.0 + 0.94 * rng.normal();
        gps_err.1 = 0.95 * gps_err.1 + 0.94 * rng.normal();
        let (x, y) = (
            r * angle.sin() + gps_err.0,
            r * (1.0 - angle.cos()) + gps_err.1,
        );
        let samples = &mut act.samples;
        samples.set_last(ChannelKind::Latitude, p.lat + y / m_per_deg_lat);
        samples.set_last(ChannelKind::Longitude, p.lon + x / m_per_deg_lon);
        // Barometric altitude: 0.3 m of noise, stored at the FIT resolution of 0.2 m.
        samples.set_last(
            ChannelKind::Altitude,
            ((profile.altitude(d) + 0.3 * rng.normal()) * 5.0).round() / 5.0,
        );
        samples.set_last(ChannelKind::Distance, (d * 100.0).round() / 100.0);
        samples.set_last(ChannelKind::Speed, (v * 1000.0).round() / 1000.0);
        samples.set_last(ChannelKind::HeartRate, (hr + 0.8 * rng.normal()).round());
        let cadence = if p.sport.is_cycling() {
            86.0 + 4.0 * rng.normal()
        } else if v >= 1.9 {
            84.0 + 2.0 * v + rng.normal()
        } else {
            52.0 + 3.0 * v + rng.normal()
        };
        samples.set_last(ChannelKind::Cadence, cadence.round());
        if p.sport.is_cycling() {
            samples.set_last(
                ChannelKind::Power,
                (metabolic_effort * a.ftp_w).max(0.0).round(),
            );
        }
        if p.file == FileKind::Fit {
            samples.set_last(
                ChannelKind::Temperature,
                (p.temp_c + 4.0 + 0.5 * rng.normal()).round(),
            );
        }
        if d >= next_lap {
            act.laps.push(Lap {
                start_ms: t_ms,
                ..Lap::default()
            });
            next_lap += lap_every;
        }
        clock += 1.0;
        moving += 1.0;
    }
    act.timer_events.push(TimerEvent {
        time_ms: start_ms + (clock * 1000.0) as i64,
        running: false,
    });
    // The device states its own totals, as real ones do.
    let summary = crate::metrics::summarize(&act, &crate::timeline::Timeline::of(&act));
    let dd = &mut act.declared;
    dd.elapsed_s = Some(clock);
    dd.timer_s = Some(moving);
    dd.distance_m = summary.distance_m;
    dd.ascent_m = summary.ascent_m.map(f64::round);
    dd.descent_m = summary.descent_m.map(f64::round);
    dd.avg_hr_bpm = summary.avg_hr_bpm.map(f64::round);
    dd.max_hr_bpm = summary.max_hr_bpm;
    dd.avg_power_w = summary.avg_power_w.map(f64::round);
    dd.max_power_w = summary.max_power_w;
    dd.avg_speed_mps = summary.distance_m.map(|dist| dist / moving.max(1.0));
    let lap_starts: Vec<i64> = act.laps.iter().map(|l| l.start_ms).collect();
    for (i, lap) in act.laps.iter_mut().enumerate() {
        let end = lap_starts
            .get(i + 1)
            .copied()
            .unwrap_or(start_ms + (clock * 1000.0) as i64);
        lap.totals.elapsed_s = Some((end - lap.start_ms) as f64 / 1000.0);
        lap.totals.timer_s = lap.totals.elapsed_s;
        // The lap's own distance, speed and heart rate, as a watch states them.
        let s = &act.samples;
        let inside: Vec<usize> = (s.time_ms.partition_point(|t| *t < lap.start_ms)
            ..s.time_ms.partition_point(|t| *t < end))
            .collect();
        let distance_at = |i: usize| s.value(ChannelKind::Distance, i);
        if let (Some(&first), Some(&last)) = (inside.first(), inside.last()) {
            let from = if first > 0 {
                distance_at(first - 1)
            } else {
                Some(0.0)
            };
            if let (Some(a), Some(b)) = (from, distance_at(last)) {
                lap.totals.distance_m = Some(b - a);
                lap.totals.avg_speed_mps = lap.totals.timer_s.map(|t| (b - a) / t.max(1.0));
            }
            let hr: Vec<f64> = inside
                .iter()
                .filter_map(|i| s.value(ChannelKind::HeartRate, *i))
                .collect();
            if !hr.is_empty() {
                lap.totals.avg_hr_bpm = Some((hr.iter().sum::<f64>() / hr.len() as f64).round());
                lap.totals.max_hr_bpm = hr.iter().copied().reduce(f64::max);
            }
        }
    }
    act
}

#[cfg(test)]
mod tests {
    use super::super::history::{plan, Archetype};
    use super::*;

    #[test]
    fn mountain_hikes_reach_steep_gradients() {
        let a = Athlete::of(Archetype::HikerToTrail);
        let p = plan(1, &a, 20_000, 20_030, 5)
            .into_iter()
            .find(|p| p.sport == Sport::Hike && p.terrain == Terrain::Mountain)
            .unwrap();
        let act = simulate(&p, &a);
        let g = crate::load::grade::grade_series(
            act.samples.channel(ChannelKind::Distance).unwrap(),
            act.samples.channel(ChannelKind::Altitude).unwrap(),
            100.0,
        );
        let steepest = g.iter().copied().fold(0.0f64, f64::max);
        assert!(
            (0.30..=0.45).contains(&steepest),
            "steepest 100 m: {steepest}"
        );
    }

    #[test]
    fn a_run_looks_like_a_run() {
        let a = Athlete::of(Archetype::RoadRunner);
        let p = plan(0, &a, 20_000, 20_030, 3)
            .into_iter()
            .find(|p| p.sport == Sport::Run && p.workout == Workout::Steady)
            .unwrap();
        let act = simulate(&p, &a);
        let s = crate::derived::derive(&act).summary;
        let pace = 1000.0 / s.avg_speed_mps.unwrap();
        assert!((240.0..480.0).contains(&pace), "pace {pace} s/km");
        let hr = s.avg_hr_bpm.unwrap();
        assert!(hr > a.rest_hr + 30.0 && hr < a.max_hr, "{hr}");
        assert_eq!(act.samples.len() as f64, (p.minutes * 60.0).round());
        assert_eq!(simulate(&p, &a), act, "deterministic");
    }
}
