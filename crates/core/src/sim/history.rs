//! Years of planned sessions for three archetypal athletes.

use super::rng::Rng;
use crate::model::Sport;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archetype {
    /// seeds/000: runs four times a week; a two-week hiking trip at 2,300–3,400 m
    /// in Peru; a summer heatwave.
    RoadRunner,
    /// seeds/003: hikes with a pack; in the last year the 12-week transition to trail running.
    HikerToTrail,
    /// seeds/004: rides five times a week at about 5 W/kg; starts running in the last two months.
    CyclistToRunner,
}

impl Archetype {
    pub const ALL: [Archetype; 3] = [
        Archetype::RoadRunner,
        Archetype::HikerToTrail,
        Archetype::CyclistToRunner,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Archetype::RoadRunner => "road-runner",
            Archetype::HikerToTrail => "hiker",
            Archetype::CyclistToRunner => "cyclist",
        }
    }
}

/// The simulated athlete's physiology.
#[derive(Debug, Clone, PartialEq)]
pub struct Athlete {
    pub archetype: Archetype,
    pub max_hr: f64,
    pub rest_hr: f64,
    /// Threshold running speed, m/s.
    pub threshold_speed: f64,
    pub ftp_w: f64,
    pub mass_kg: f64,
    pub home_lat: f64,
    pub home_lon: f64,
    pub home_alt_m: f64,
    pub home_utc_offset_s: i32,
}

impl Athlete {
    pub fn of(archetype: Archetype) -> Athlete {
        match archetype {
            Archetype::RoadRunner => Athlete {
                archetype,
                max_hr: 188.0,
                rest_hr: 50.0,
                threshold_speed: 1000.0 / 265.0,
                ftp_w: 220.0,
                mass_kg: 60.0,
                home_lat: 47.37,
                home_lon: 8.54,
                home_alt_m: 410.0,
                home_utc_offset_s: 3600,
            },
            Archetype::HikerToTrail => Athlete {
                archetype,
                max_hr: 182.0,
                rest_hr: 56.0,
                threshold_speed: 1000.0 / 340.0,
                ftp_w: 180.0,
                mass_kg: 72.0,
                home_lat: 46.03,
                home_lon: 14.50,
                home_alt_m: 300.0,
                home_utc_offset_s: 3600,
            },
            Archetype::CyclistToRunner => Athlete {
                archetype,
                max_hr: 186.0,
                rest_hr: 46.0,
                threshold_speed: 1000.0 / 255.0,
                ftp_w: 330.0,
                mass_kg: 66.0,
                home_lat: 45.07,
                home_lon: 7.69,
                home_alt_m: 240.0,
                home_utc_offset_s: 3600,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terrain {
    Flat,
    Rolling,
    Mountain,
}

/// How effort varies inside the session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Workout {
    Steady,
    /// Warm-up, then `reps` × (`on_s` at the session intensity + 0.3, `off_s` easy).
    Intervals {
        reps: u32,
        on_s: f64,
        off_s: f64,
    },
    /// Run `run_s`, walk `walk_s`, repeated.
    RunWalk {
        run_s: f64,
        walk_s: f64,
    },
}

/// The file format a session is recorded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Fit,
    Gpx,
    Tcx,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub athlete: usize,
    /// Local day (days since 1970-01-01).
    pub day: i32,
    /// Start, seconds after local midnight.
    pub start_s: u32,
    pub utc_offset_s: i32,
    pub sport: Sport,
    pub minutes: f64,
    /// Effort as a fraction of threshold.
    pub intensity: f64,
    pub workout: Workout,
    pub terrain: Terrain,
    pub base_alt_m: f64,
    pub lat: f64,
    pub lon: f64,
    pub temp_c: f64,
    pub pack_kg: f64,
    pub file: FileKind,
    /// Seed of this session's own random stream.
    pub seed: u64,
}

/// Day of the year (0-based) and weekday (0 = Monday) of a day number.
fn calendar(day: i32) -> (i32, i32) {
    let weekday = (day + 3).rem_euclid(7); // 1970-01-01 was a Thursday
    let doy = ((day as f64).rem_euclid(365.2425)) as i32;
    (doy, weekday)
}

/// The road runner's mountain trip: days before the last day of history.
pub const TRIP_DAYS_BEFORE_END: std::ops::Range<i32> = 136..150;

/// The stay the road runner would log for the trip (first day, last day,
/// where the days are spent, where the nights are), if it lies in the history.
pub fn mountain_trip(
    archetype: Archetype,
    first_day: i32,
    last_day: i32,
) -> Option<(i32, i32, f64, f64)> {
    let (from, to) = (
        last_day - TRIP_DAYS_BEFORE_END.end + 1,
        last_day - TRIP_DAYS_BEFORE_END.start,
    );
    (archetype == Archetype::RoadRunner && from >= first_day).then_some((from, to, 2335.0, 3400.0))
}

/// Seasonal temperature at home, °C: coldest mid-January, warmest mid-July.
fn home_temp(doy: i32) -> f64 {
    12.0 - 11.0 * ((doy as f64 - 15.0) / 365.25 * std::f64::consts::TAU).cos()
}

/// Training volume through the year: lower in winter, building in spring.
fn season_factor(doy: i32) -> f64 {
    match doy {
        0..=58 | 335..=366 => 0.85,
        59..=150 => 1.05,
        151..=242 => 1.0,
        _ => 0.95,
    }
}

struct Ctx<'a> {
    rng: &'a mut Rng,
    athlete: usize,
    a: &'a Athlete,
    out: Vec<Planned>,
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        day: i32,
        sport: Sport,
        minutes: f64,
        intensity: f64,
        workout: Workout,
        terrain: Terrain,
        pack_kg: f64,
        file: FileKind,
    ) {
        let (doy, _) = calendar(day);
        let morning = self.rng.chance(0.6);
        let start_s = if morning {
            self.rng.range(6.5, 9.0)
        } else {
            self.rng.range(17.0, 19.0)
        } * 3600.0;
        let seed = self.rng.next_u64();
        self.out.push(Planned {
            athlete: self.athlete,
            day,
            start_s: start_s as u32,
            utc_offset_s: self.a.home_utc_offset_s,
            sport,
            minutes: minutes * self.rng.range(0.92, 1.08),
            intensity,
            workout,
            terrain,
            base_alt_m: self.a.home_alt_m,
            lat: self.a.home_lat + self.rng.range(-0.02, 0.02),
            lon: self.a.home_lon + self.rng.range(-0.02, 0.02),
            temp_c: home_temp(doy) + self.rng.normal() * 2.5,
            pack_kg,
            file,
            seed,
        });
    }
}

/// Plans every session of `athlete` from `first_day` to `last_day` (local days).
pub fn plan(athlete: usize, a: &Athlete, first_day: i32, last_day: i32, seed: u64) -> Vec<Planned> {
    let mut rng = Rng::new(seed).fork(athlete as u64 + 1);
    let mut ctx = Ctx {
        rng: &mut rng,
        athlete,
        a,
        out: Vec::new(),
    };
    use FileKind::*;
    use Sport::*;
    use Terrain::*;
    let steady = Workout::Steady;
    let mut week_start = first_day - calendar(first_day).1;
    while week_start <= last_day {
        // About one week in thirty is lost to illness or travel.
        if ctx.rng.chance(0.035) {
            week_start += 7;
            continue;
        }
        for wd in 0..7 {
            let day = week_start + wd;
            if day < first_day || day > last_day {
                continue;
            }
            let (doy, _) = calendar(day);
            let f = season_factor(doy);
            let to_end = last_day - day;
            match a.archetype {
                Archetype::RoadRunner => {
                    if TRIP_DAYS_BEFORE_END.contains(&to_end) {
                        // Two weeks hiking in Peru, 2,300–3,400 m.
                        if wd != 3 {
                            ctx.add(
                                day,
                                Hike,
                                ctx_minutes(240.0, 360.0, day),
                                0.55,
                                steady,
                                Mountain,
                                8.0,
                                Fit,
                            );
                            if let Some(p) = ctx.out.last_mut() {
                                p.base_alt_m = 2300.0 + (150 - to_end) as f64 * 40.0;
                                p.utc_offset_s = -5 * 3600;
                                p.lat = -16.4 + (day % 5) as f64 * 0.05;
                                p.lon = -71.5;
                                p.temp_c = 12.0;
                            }
                        }
                        continue;
                    }
                    let heat = (115..125).contains(&to_end);
                    match wd {
                        0 if ctx.rng.chance(0.5) => {
                            ctx.add(day, Walk, 40.0, 0.45, steady, Flat, 0.0, Fit)
                        }
                        1 => ctx.add(
                            day,
                            Run,
                            50.0 * f,
                            0.8,
                            Workout::Intervals {
                                reps: 5,
                                on_s: 240.0,
                                off_s: 180.0,
                            },
                            Flat,
                            0.0,
                            Fit,
                        ),
                        2 => ctx.add(day, Ride, 60.0 * f, 0.6, steady, Rolling, 0.0, Fit),
                        3 => ctx.add(day, Run, 45.0 * f, 0.8, steady, Rolling, 0.0, Fit),
                        // A race every fifth week, 5 km and 10 km in turn, at
                        // the paces threshold predicts (5 km near 1.05× and
                        // 10 km near 1.02× threshold speed): best efforts
                        // agree with the profile, as a racing athlete's do.
                        5 if (week_start / 7) % 5 == 0 => {
                            let (km, intensity) = if (week_start / 35) % 2 == 0 {
                                (5.0, 1.05)
                            } else {
                                (10.0, 1.02)
                            };
                            // Run a little past the line: the planned minutes vary ±8 %.
                            let minutes =
                                km * 1.1 * 1000.0 / (intensity * a.threshold_speed) / 60.0;
                            ctx.add(day, Run, minutes, intensity, steady, Flat, 0.0, Fit);
                        }
                        5 => ctx.add(day, Run, 95.0 * f, 0.72, steady, Rolling, 0.0, Fit),
                        6 => ctx.add(day, Run, 40.0 * f, 0.65, steady, Flat, 0.0, Fit),
                        _ => {}
                    }
                    if heat {
                        if let Some(p) = ctx.out.last_mut().filter(|p| p.day == day) {
                            p.temp_c = 31.0 + (day % 4) as f64;
                        }
                    }
                }
                Archetype::HikerToTrail => {
                    let transition_week = if (14..98).contains(&to_end) {
                        Some((97 - to_end) / 7 + 1)
                    } else {
                        None
                    };
                    match (transition_week, wd) {
                        (None, 2) => ctx.add(day, Walk, 60.0, 0.5, steady, Rolling, 0.0, Gpx),
                        (None, 5) => {
                            ctx.add(day, Hike, 300.0 * f, 0.55, steady, Mountain, 10.0, Gpx)
                        }
                        (None, 6) if ctx.rng.chance(0.6) => {
                            ctx.add(day, Hike, 150.0, 0.5, steady, Rolling, 5.0, Gpx)
                        }
                        (Some(w), 1 | 3) if w <= 4 => ctx.add(
                            day,
                            TrailRun,
                            45.0,
                            0.7,
                            Workout::RunWalk {
                                run_s: 300.0,
                                walk_s: 180.0,
                            },
                            Rolling,
                            0.0,
                            Fit,
                        ),
                        (Some(w), 1 | 3) if w <= 8 => {
                            ctx.add(day, TrailRun, 52.0, 0.68, steady, Rolling, 0.0, Fit)
                        }
                        (Some(_), 1) => {
                            ctx.add(day, TrailRun, 50.0, 0.72, steady, Mountain, 0.0, Fit)
                        }
                        (Some(_), 3) => ctx.add(
                            day,
                            TrailRun,
                            45.0,
                            0.7,
                            Workout::Intervals {
                                reps: 8,
                                on_s: 30.0,
                                off_s: 90.0,
                            },
                            Mountain,
                            0.0,
                            Fit,
                        ),
                        (Some(_), 5) => {
                            ctx.add(day, Hike, 330.0, 0.55, steady, Mountain, 10.0, Gpx)
                        }
                        (Some(_), 6) => ctx.add(day, Walk, 45.0, 0.45, steady, Flat, 0.0, Gpx),
                        _ => {}
                    }
                }
                Archetype::CyclistToRunner => {
                    match wd {
                        1 => ctx.add(
                            day,
                            Ride,
                            90.0 * f,
                            0.75,
                            Workout::Intervals {
                                reps: 4,
                                on_s: 480.0,
                                off_s: 240.0,
                            },
                            Flat,
                            0.0,
                            Fit,
                        ),
                        2 => ctx.add(day, Ride, 120.0 * f, 0.72, steady, Rolling, 0.0, Fit),
                        3 => ctx.add(day, Ride, 90.0 * f, 0.75, steady, Rolling, 0.0, Fit),
                        5 => ctx.add(day, Ride, 210.0 * f, 0.7, steady, Mountain, 0.0, Fit),
                        6 => ctx.add(day, Ride, 120.0 * f, 0.65, steady, Rolling, 0.0, Fit),
                        _ => {}
                    }
                    // The last two months: running starts, with a 10-mile run.
                    if to_end < 60 && wd == 6 {
                        let first = to_end >= 53;
                        ctx.add(
                            day,
                            Run,
                            if first { 78.0 } else { 40.0 },
                            0.7,
                            steady,
                            Flat,
                            0.0,
                            Tcx,
                        );
                    }
                    if to_end < 53 && wd == 4 {
                        ctx.add(day, Run, 35.0, 0.7, steady, Flat, 0.0, Tcx);
                    }
                }
            }
        }
        week_start += 7;
    }
    ctx.out
}

/// Trip hikes vary with the day but stay deterministic.
fn ctx_minutes(lo: f64, hi: f64, day: i32) -> f64 {
    lo + (hi - lo) * ((day.rem_euclid(7)) as f64 / 6.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_deterministic_and_structured() {
        let a = Athlete::of(Archetype::RoadRunner);
        let p1 = plan(0, &a, 20_000, 20_365, 42);
        let p2 = plan(0, &a, 20_000, 20_365, 42);
        assert_eq!(p1, p2);
        let runs = p1.iter().filter(|p| p.sport == Sport::Run).count();
        assert!((150..=215).contains(&runs), "{runs} runs in a year");
        let trip: Vec<_> = p1.iter().filter(|p| p.base_alt_m >= 2300.0).collect();
        assert!(trip.len() >= 10, "a two-week mountain trip");
        assert!(trip.iter().all(|p| p.utc_offset_s == -5 * 3600));
        assert!(p1.iter().any(|p| p.temp_c >= 31.0), "a heatwave");
    }

    #[test]
    fn the_cyclist_starts_running_with_ten_miles() {
        let a = Athlete::of(Archetype::CyclistToRunner);
        let p = plan(2, &a, 20_000, 20_365, 1);
        let first_run = p.iter().find(|s| s.sport == Sport::Run).unwrap();
        assert!(first_run.minutes > 70.0);
        assert!(p.iter().filter(|s| s.sport == Sport::Ride).count() > 150);
    }
}
