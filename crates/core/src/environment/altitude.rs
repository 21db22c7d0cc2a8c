//! Altitude: what it costs a race, how much of it the athlete has been
//! exposed to, and how the blood responds.
//!
//! * Aerobic capacity falls linearly, ≈ 6.3 % of VO2max per 1000 m above
//!   300 m (Wehrlin JP, Hallén J. Eur J Appl Physiol 2006;96:404–412;
//!   science.md §10a). It is an acute-exposure default: trained athletes who
//!   desaturate lose more at low altitude (Gore et al. 1997, −3.7 to −5.9 %
//!   at 580 m), and individuals differ (Chapman 2013).
//! * Hypoxic dose in kilometre-hours: altitude (km) × hours exposed
//!   (Garvican-Lewis LA, Sharpe K, Gore CJ. J Appl Physiol 2016;121:352–355).
//! * Haemoglobin mass rises ≈ 1.1 % per 100 h at altitude (Gore CJ et al.
//!   Br J Sports Med 2013;47:i31–i39), plateaus after about three weeks
//!   (+5.3 % after 28 days at 3454 m, J Appl Physiol 2015;119:1194–1201) and
//!   after descent is back near baseline within about two weeks (same
//!   study). That is much faster than the 120-day red-cell lifespan would
//!   suggest, and it contradicts the popular "the benefit lasts months":
//!   cairn follows the measurements.

use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Altitude above which the linear VO2max loss starts (m).
pub const VO2MAX_LOSS_FROM_M: f64 = 300.0;
/// VO2max lost per 1000 m above [`VO2MAX_LOSS_FROM_M`] (fraction).
pub const VO2MAX_LOSS_PER_KM: f64 = 0.063;
/// Lower bounds of the exposure bands (m).
pub const BANDS_M: [f64; 6] = [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0];
/// Hypoxic dose counts time at or above this altitude (m): below it the
/// blood does not measurably respond (cairn's floor; Gore 2013 studied
/// camps at 2000–3000 m, and nothing below 1000 m).
pub const DOSE_FROM_M: f64 = 1000.0;
/// Haemoglobin-mass build counts hours at or above this altitude (m): the
/// studies behind 1.1 %/100 h used ≥ 2000 m (science.md §10b).
pub const HBMASS_FROM_M: f64 = 2000.0;
/// Haemoglobin-mass gain per hour at altitude, percent (Gore 2013).
pub const HBMASS_GAIN_PCT_PER_H: f64 = 1.1 / 100.0;
/// The plateau: +5.3 % after 28 days at 3454 m, flat from about week three.
pub const HBMASS_PLATEAU_PCT: f64 = 5.3;
/// Half-life of the gain after descent (days): a quarter is left after two
/// weeks, matching "back near baseline within about two weeks".
pub const HBMASS_HALF_LIFE_DAYS: f64 = 7.0;
/// A change faster than this (m/s) between accepted samples is a spike, not
/// a climb: no ascent on foot or descent on a bike comes near it.
pub const MAX_VERTICAL_SPEED_MPS: f64 = 10.0;
/// A new level that lasts this long (s) is accepted (a barometer
/// recalibration or a GPS fix settling), not dropped forever.
pub const RELEVEL_AFTER_S: f64 = 60.0;
/// Hours of sleep attributed to a stay's sleeping altitude.
pub const SLEEP_HOURS: f64 = 8.0;
/// Altitudes cairn accepts (m): the Dead Sea shore to above Everest.
pub const PLAUSIBLE_ALTITUDE_M: std::ops::RangeInclusive<f64> = -500.0..=9000.0;

/// Fractional VO2max loss at `altitude_m` (0.107 at 2000 m), acute exposure.
pub fn vo2max_loss(altitude_m: f64) -> f64 {
    VO2MAX_LOSS_PER_KM * (altitude_m - VO2MAX_LOSS_FROM_M).max(0.0) / 1000.0
}

/// Drops altitude spikes: a sample that moved faster than
/// [`MAX_VERTICAL_SPEED_MPS`] from the last accepted one, unless the new
/// level holds for [`RELEVEL_AFTER_S`]; and values outside
/// [`PLAUSIBLE_ALTITUDE_M`]. Returns the cleaned channel and how many
/// samples were dropped.
pub fn despike(times_s: &[f64], altitude_m: &[Option<f64>]) -> (Vec<Option<f64>>, usize) {
    let n = times_s.len().min(altitude_m.len());
    let mut out: Vec<Option<f64>> = altitude_m[..n].to_vec();
    let mut last: Option<(f64, f64)> = None;
    let mut pending: Vec<usize> = Vec::new();
    let mut dropped = 0;
    for i in 0..n {
        let Some(a) = altitude_m[i] else { continue };
        if !PLAUSIBLE_ALTITUDE_M.contains(&a) {
            out[i] = None;
            dropped += 1;
            continue;
        }
        let t = times_s[i];
        match last {
            Some((lt, la)) if (a - la).abs() > MAX_VERTICAL_SPEED_MPS * (t - lt).max(1.0) => {
                let first = pending.first().map_or(t, |&p| times_s[p]);
                // A level is only accepted if the pending samples agree with each other.
                let consistent = pending.last().is_none_or(|&p| {
                    let (pt, pa) = (times_s[p], altitude_m[p].unwrap_or(a));
                    (a - pa).abs() <= MAX_VERTICAL_SPEED_MPS * (t - pt).max(1.0)
                });
                if !consistent {
                    for p in pending.drain(..) {
                        out[p] = None;
                        dropped += 1;
                    }
                }
                pending.push(i);
                if consistent && t - first >= RELEVEL_AFTER_S {
                    pending.clear();
                    last = Some((t, a));
                }
            }
            _ => {
                for p in pending.drain(..) {
                    out[p] = None;
                    dropped += 1;
                }
                last = Some((t, a));
            }
        }
    }
    for p in pending {
        out[p] = None;
        dropped += 1;
    }
    (out, dropped)
}

/// Time spent at altitude during one activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AltitudeExposure {
    /// Seconds in each band of [`BANDS_M`].
    pub band_s: Vec<f64>,
    pub max_altitude_m: Option<f64>,
    /// Time-weighted mean altitude.
    pub mean_altitude_m: Option<f64>,
    /// Hours at or above [`HBMASS_FROM_M`].
    pub hours_high: f64,
    /// Kilometre-hours at or above [`DOSE_FROM_M`].
    pub dose_km_h: f64,
    /// Altitude samples dropped as spikes or implausible.
    pub spikes_dropped: usize,
}

impl AltitudeExposure {
    /// Exposure of one activity: each recorded second at its altitude (the
    /// [`Timeline`]'s, spikes already dropped by [`despike`]).
    pub fn of(tl: &Timeline) -> AltitudeExposure {
        let mut e = AltitudeExposure {
            band_s: vec![0.0; BANDS_M.len()],
            spikes_dropped: tl.report.altitude_spikes,
            ..AltitudeExposure::default()
        };
        let Some(alt) = &tl.altitude_m else {
            return e;
        };
        let (mut weighted, mut total) = (0.0, 0.0);
        for a in alt.iter().flatten() {
            e.add(*a, 1.0);
            weighted += a;
            total += 1.0;
        }
        e.max_altitude_m = alt.iter().flatten().copied().reduce(f64::max);
        e.mean_altitude_m = (total > 0.0).then(|| weighted / total);
        e
    }

    fn add(&mut self, altitude_m: f64, seconds: f64) {
        let band = BANDS_M.iter().rposition(|b| altitude_m >= *b).unwrap_or(0);
        self.band_s[band] += seconds;
        if altitude_m >= HBMASS_FROM_M {
            self.hours_high += seconds / 3600.0;
        }
        if altitude_m >= DOSE_FROM_M {
            self.dose_km_h += altitude_m / 1000.0 * seconds / 3600.0;
        }
    }

    /// Hours recorded, all bands.
    pub fn hours(&self) -> f64 {
        self.band_s.iter().sum::<f64>() / 3600.0
    }
}

/// A logged stay at altitude (days are local calendar days, inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stay {
    pub id: i64,
    #[serde(with = "crate::time::json::day")]
    pub from_day: i32,
    #[serde(with = "crate::time::json::day")]
    pub to_day: i32,
    pub altitude_m: f64,
    pub sleep_altitude_m: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StayError {
    #[error("the stay ends ({to}) before it starts ({from})")]
    EndsBeforeStart { from: String, to: String },
    #[error("altitude {0} m is outside -500…9000 m")]
    Altitude(f64),
    #[error("the stay overlaps stay {id} ({from} to {to}); remove or shorten one of them")]
    Overlap { id: i64, from: String, to: String },
}

/// Checks a new stay against the rules and the stays already logged.
pub fn check_stay(
    new: &Stay,
    existing: &[Stay],
    day_text: impl Fn(i32) -> String,
) -> Result<(), StayError> {
    if new.to_day < new.from_day {
        return Err(StayError::EndsBeforeStart {
            from: day_text(new.from_day),
            to: day_text(new.to_day),
        });
    }
    for a in std::iter::once(new.altitude_m).chain(new.sleep_altitude_m) {
        if !PLAUSIBLE_ALTITUDE_M.contains(&a) {
            return Err(StayError::Altitude(a));
        }
    }
    if let Some(s) = existing
        .iter()
        .find(|s| s.id != new.id && s.from_day <= new.to_day && new.from_day <= s.to_day)
    {
        return Err(StayError::Overlap {
            id: s.id,
            from: day_text(s.from_day),
            to: day_text(s.to_day),
        });
    }
    Ok(())
}

/// One day's exposure from activities and stays.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayExposure {
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    /// Hours in each band of [`BANDS_M`] (activities and stays).
    #[serde(
        rename = "band_s",
        serialize_with = "crate::time::json::hours_list_as_s"
    )]
    pub band_h: Vec<f64>,
    #[serde(rename = "high_s", serialize_with = "crate::time::json::hours_as_s")]
    pub hours_high: f64,
    pub dose_km_h: f64,
    pub max_altitude_m: Option<f64>,
    /// The stay covering this day, if any.
    pub stay: Option<i64>,
}

fn max_of(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    a.into_iter().chain(b).reduce(f64::max)
}

/// Daily exposure: each stay day is 24 h, [`SLEEP_HOURS`] of them at the
/// sleeping altitude when given; recorded activities on a stay day replace
/// the same number of waking hours at the stay's altitude.
pub fn daily_exposure(
    activities: &[(i32, AltitudeExposure)],
    stays: &[Stay],
) -> BTreeMap<i32, DayExposure> {
    let mut days: BTreeMap<i32, (AltitudeExposure, Option<i64>)> = BTreeMap::new();
    let blank = || AltitudeExposure {
        band_s: vec![0.0; BANDS_M.len()],
        ..AltitudeExposure::default()
    };
    for (day, e) in activities {
        let (d, _) = days.entry(*day).or_insert_with(|| (blank(), None));
        for (b, s) in d.band_s.iter_mut().zip(&e.band_s) {
            *b += s;
        }
        d.hours_high += e.hours_high;
        d.dose_km_h += e.dose_km_h;
        d.max_altitude_m = max_of(d.max_altitude_m, e.max_altitude_m);
    }
    for s in stays {
        for day in s.from_day..=s.to_day {
            let (d, stay) = days.entry(day).or_insert_with(|| (blank(), None));
            *stay = Some(s.id);
            let recorded_h = d.hours().min(24.0);
            let (sleep_h, sleep_alt) = match s.sleep_altitude_m {
                Some(a) => (SLEEP_HOURS, a),
                None => (0.0, s.altitude_m),
            };
            let awake_h = (24.0 - sleep_h - recorded_h).max(0.0);
            d.add(s.altitude_m, awake_h * 3600.0);
            d.add(sleep_alt, sleep_h * 3600.0);
            d.max_altitude_m = max_of(d.max_altitude_m, Some(s.altitude_m.max(sleep_alt)));
        }
    }
    days.into_iter()
        .map(|(day, (e, stay))| {
            (
                day,
                DayExposure {
                    day,
                    band_h: e.band_s.iter().map(|s| s / 3600.0).collect(),
                    hours_high: e.hours_high,
                    dose_km_h: e.dose_km_h,
                    max_altitude_m: e.max_altitude_m,
                    stay,
                },
            )
        })
        .collect()
}

/// Haemoglobin-mass gain (percent above the athlete's baseline) at the end
/// of each day from `from` to `to`: +1.1 % per 100 h at or above 2000 m up
/// to the +5.3 % plateau; on days without such hours the gain halves every
/// [`HBMASS_HALF_LIFE_DAYS`]. The response is individual (95 % prediction
/// interval after 300 h: +1.1 to +6 %) and can start up to 12 days late;
/// this is the average course.
pub fn hbmass_course(days: &BTreeMap<i32, DayExposure>, from: i32, to: i32) -> Vec<(i32, f64)> {
    let decay = 0.5f64.powf(1.0 / HBMASS_HALF_LIFE_DAYS);
    let mut gain = 0.0f64;
    let start = days.keys().next().copied().unwrap_or(from).min(from);
    let mut out = Vec::new();
    for day in start..=to {
        let high = days.get(&day).map_or(0.0, |d| d.hours_high);
        if high > 0.0 {
            gain = (gain + HBMASS_GAIN_PCT_PER_H * high).min(HBMASS_PLATEAU_PCT);
        } else {
            gain *= decay;
        }
        if day >= from {
            out.push((day, gain));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §10a: linear-model vectors [C] at 580/1000/2000/2760/4000 m.
    #[test]
    fn wehrlin_vectors() {
        for (alt, pct) in [
            (580.0, 1.8),
            (1000.0, 4.4),
            (2000.0, 10.7),
            (2760.0, 15.5),
            (4000.0, 23.3),
        ] {
            assert!((vo2max_loss(alt) * 100.0 - pct).abs() < 0.05, "{alt} m");
        }
        assert_eq!(vo2max_loss(0.0), 0.0);
        assert_eq!(vo2max_loss(300.0), 0.0);
    }

    fn stay_days(from: i32, to: i32, alt: f64) -> Stay {
        Stay {
            id: 1,
            from_day: from,
            to_day: to,
            altitude_m: alt,
            sleep_altitude_m: None,
            note: None,
        }
    }

    // science.md §10b [C]: 21 days × 14 h at 2500 m = 294 h = 735 km·h → ≈ +3.2 %.
    #[test]
    fn dose_and_hbmass_vector() {
        let acts: Vec<(i32, AltitudeExposure)> = (0..21)
            .map(|d| {
                let mut e = AltitudeExposure {
                    band_s: vec![0.0; BANDS_M.len()],
                    ..Default::default()
                };
                e.add(2500.0, 14.0 * 3600.0);
                (d, e)
            })
            .collect();
        let days = daily_exposure(&acts, &[]);
        let dose: f64 = days.values().map(|d| d.dose_km_h).sum();
        assert!((dose - 735.0).abs() < 1e-6);
        let course = hbmass_course(&days, 0, 20);
        assert!((course[20].1 - 3.234).abs() < 0.01, "{}", course[20].1);
    }

    // Gore 2013: ≈ +3.3 % after 300 h; the plateau near +5.3 %; back near
    // baseline about two weeks after descent.
    #[test]
    fn hbmass_builds_and_decays_at_the_published_time_points() {
        let days = daily_exposure(&[], &[stay_days(0, 12, 2500.0)]); // 13 days ≈ 312 h
        let course = hbmass_course(&days, 0, 60);
        let at = |d: i32| course.iter().find(|p| p.0 == d).unwrap().1;
        assert!((at(12) - 1.1 * 3.12).abs() < 0.01);
        assert!(
            at(12 + 14) < 0.26 * at(12),
            "a quarter left two weeks after descent"
        );
        assert!(at(12 + 28) < 0.07 * at(12));
        let long = daily_exposure(&[], &[stay_days(0, 59, 3454.0)]);
        assert_eq!(hbmass_course(&long, 59, 59)[0].1, HBMASS_PLATEAU_PCT);
    }

    #[test]
    fn stays_and_sleep_altitude() {
        let mut s = stay_days(0, 0, 2335.0);
        s.sleep_altitude_m = Some(3400.0);
        let d = &daily_exposure(&[], &[s])[&0];
        assert!((d.band_h.iter().sum::<f64>() - 24.0).abs() < 1e-9);
        assert!((d.band_h[2] - 16.0).abs() < 1e-9 && (d.band_h[3] - 8.0).abs() < 1e-9);
        assert!((d.dose_km_h - (16.0 * 2.335 + 8.0 * 3.4)).abs() < 1e-9);
    }

    #[test]
    fn an_activity_replaces_waking_hours_of_its_stay_day() {
        let mut e = AltitudeExposure {
            band_s: vec![0.0; BANDS_M.len()],
            ..Default::default()
        };
        e.add(4600.0, 6.0 * 3600.0);
        e.max_altitude_m = Some(4600.0);
        let d = &daily_exposure(&[(0, e)], &[stay_days(0, 0, 3400.0)])[&0];
        assert!((d.band_h.iter().sum::<f64>() - 24.0).abs() < 1e-9);
        assert!((d.band_h[4] - 6.0).abs() < 1e-9 && (d.band_h[3] - 18.0).abs() < 1e-9);
        assert_eq!(d.max_altitude_m, Some(4600.0));
    }

    #[test]
    fn stays_that_overlap_or_end_before_they_start_are_refused() {
        let text = |d: i32| d.to_string();
        let a = stay_days(10, 20, 2000.0);
        assert!(matches!(
            check_stay(&stay_days(5, 4, 2000.0), &[], text),
            Err(StayError::EndsBeforeStart { .. })
        ));
        let mut b = stay_days(20, 25, 2000.0);
        b.id = 2;
        assert!(matches!(
            check_stay(&b, std::slice::from_ref(&a), text),
            Err(StayError::Overlap { id: 1, .. })
        ));
        b.from_day = 21;
        assert!(check_stay(&b, &[a], text).is_ok());
        assert!(matches!(
            check_stay(&stay_days(1, 2, 12_000.0), &[], text),
            Err(StayError::Altitude(_))
        ));
    }

    #[test]
    fn a_300_m_jump_in_one_second_is_not_a_trip_to_the_summit() {
        let t: Vec<f64> = (0..600).map(f64::from).collect();
        let mut alt: Vec<Option<f64>> = t.iter().map(|s| Some(1500.0 + s * 0.1)).collect();
        alt[100] = Some(1810.0);
        alt[101] = Some(1200.0);
        alt[300] = None;
        let mut a = crate::model::Activity::new(
            crate::model::SourceFormat::Fit,
            crate::model::Sport::Hike,
            0,
        );
        for (s, v) in t.iter().zip(&alt) {
            a.samples.push_time(*s as i64 * 1000);
            if let Some(v) = v {
                a.samples.set_last(crate::model::ChannelKind::Altitude, *v);
            }
        }
        let e = AltitudeExposure::of(&Timeline::of(&a));
        assert_eq!(e.spikes_dropped, 2);
        assert!(e.max_altitude_m.unwrap() < 1560.0);
        // A lasting recalibration step is accepted after a minute.
        let step: Vec<Option<f64>> = t
            .iter()
            .map(|s| Some(if *s < 200.0 { 1000.0 } else { 2200.0 }))
            .collect();
        let (clean, dropped) = despike(&t, &step);
        assert_eq!(dropped, 0);
        assert_eq!(clean[400], Some(2200.0));
    }
}
