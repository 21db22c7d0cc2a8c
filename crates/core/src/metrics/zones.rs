//! Zones and time in zones: the seconds of the [`crate::timeline::Timeline`]
//! spent between each pair of zone boundaries (heart rate, power, pace), so
//! the answer does not depend on how often the device recorded.
//!
//! The schemes (science.md §14):
//! - heart rate: Friel's zones on lactate-threshold heart rate, run or bike
//!   table (the same integer edges the plan's targets use,
//!   [`crate::plan::Zones::heart_rate`]), or the athlete's own upper edges;
//! - power: Coggan's seven zones on FTP, edges 0.55, 0.75, 0.90, 1.05, 1.20,
//!   1.50 (a value on an edge belongs to the zone below, as in sweatpy);
//! - pace: Friel's run pace zones on threshold pace (J. Friel, *Quick guide
//!   to setting zones*, TrainingPeaks 2017; not in science.md): zone 1 slower
//!   than 129 % of threshold pace, 2 114–129 %, 3 106–113 %, 4 101–105 %,
//!   5 at threshold pace or faster (Friel's 5a–5c). Friel's percentages are
//!   whole numbers; cairn puts each edge halfway between two of the table's
//!   rows (129.5 %, 113.5 %, 105.5 %, 100.5 %), so threshold pace is zone 5. Graded pace uses the
//!   same edges on grade-adjusted speed.

use crate::load::profile::Thresholds;
use crate::model::Sport;
use crate::plan::{Zone, Zones};
use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

/// Which signal a zone scheme divides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneSignal {
    HeartRate,
    Power,
    Pace,
    GradedPace,
}

impl ZoneSignal {
    pub fn label(self) -> &'static str {
        match self {
            ZoneSignal::HeartRate => "heart rate",
            ZoneSignal::Power => "power",
            ZoneSignal::Pace => "pace",
            ZoneSignal::GradedPace => "graded pace",
        }
    }
}

/// One zone scheme in force: upper edges in SI (bpm, W, m/s), increasing,
/// with a top zone above the last edge, and where the edges come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneScheme {
    pub signal: ZoneSignal,
    /// "Friel, run LTHR 167 bpm", "own boundaries from 2026-03-01"…
    pub source: String,
    /// Upper edge of each zone but the top one.
    pub upper_edges: Vec<f64>,
}

impl ZoneScheme {
    pub fn zone_count(&self) -> usize {
        self.upper_edges.len() + 1
    }

    /// Lower and upper edge of zone `i` (0-based); `None` at the open ends.
    pub fn bounds(&self, i: usize) -> (Option<f64>, Option<f64>) {
        let low = i.checked_sub(1).map(|j| self.upper_edges[j]);
        (low, self.upper_edges.get(i).copied())
    }

    /// Friel's heart-rate zones 1–5 on the run (`ride` false) or bike table.
    pub fn friel_heart_rate(zones: &Zones, ride: bool) -> ZoneScheme {
        let upper_edges = [Zone::Z1, Zone::Z2, Zone::Z3, Zone::Z4]
            .iter()
            .map(|z| zones.heart_rate(*z, ride).high_bpm)
            .collect();
        let (table, lthr) = if ride {
            ("bike", zones.lthr_ride_bpm)
        } else {
            ("run", zones.lthr_run_bpm)
        };
        ZoneScheme {
            signal: ZoneSignal::HeartRate,
            source: format!("Friel, {table} table on LTHR {lthr:.0} bpm"),
            upper_edges,
        }
    }

    /// The athlete's own heart-rate zones: their upper edges, in bpm.
    pub fn own_heart_rate(upper_edges: &[f64], source: String) -> ZoneScheme {
        ZoneScheme {
            signal: ZoneSignal::HeartRate,
            source,
            upper_edges: upper_edges.to_vec(),
        }
    }

    /// Coggan's seven power zones on FTP.
    pub fn coggan_power(ftp_w: f64) -> ZoneScheme {
        const EDGES: [f64; 6] = [0.55, 0.75, 0.90, 1.05, 1.20, 1.50];
        ZoneScheme {
            signal: ZoneSignal::Power,
            source: format!("Coggan, on FTP {ftp_w:.0} W"),
            upper_edges: EDGES.iter().map(|f| f * ftp_w).collect(),
        }
    }

    /// Friel's pace zones on threshold pace (s/km), as speeds: zone 1 is the
    /// slowest. `graded` applies them to grade-adjusted speed.
    pub fn friel_pace(threshold_pace_s_per_km: f64, graded: bool) -> ZoneScheme {
        // Pace as a fraction of threshold pace at each zone's slow end.
        const PACE_FRACTIONS: [f64; 4] = [1.295, 1.135, 1.055, 1.005];
        let threshold_mps = 1000.0 / threshold_pace_s_per_km;
        ZoneScheme {
            signal: if graded {
                ZoneSignal::GradedPace
            } else {
                ZoneSignal::Pace
            },
            // The pace itself is the profile's, shown there in the
            // athlete's units.
            source: "Friel, on threshold pace".into(),
            upper_edges: PACE_FRACTIONS.iter().map(|f| threshold_mps / f).collect(),
        }
    }

    /// Seconds in each zone of a series with one value per recorded second.
    pub fn time_in(&self, per_second: impl Iterator<Item = Option<f64>>) -> TimeInZones {
        let mut seconds = vec![0.0; self.zone_count()];
        for v in per_second.flatten() {
            seconds[self.upper_edges.partition_point(|edge| *edge < v)] += 1.0;
        }
        TimeInZones {
            scheme: self.clone(),
            seconds,
        }
    }
}

/// Seconds spent in each zone of one scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeInZones {
    pub scheme: ZoneScheme,
    /// Seconds per zone, zone 1 first.
    pub seconds: Vec<f64>,
}

impl TimeInZones {
    pub fn total_s(&self) -> f64 {
        self.seconds.iter().sum()
    }
}

/// Heart-rate zones the athlete set: upper edges in bpm, on foot or on the
/// bike, in force from a day on (`None`: since always), like the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnHeartRateZones {
    #[serde(with = "crate::time::json::day_opt")]
    pub from_day: Option<i32>,
    pub ride: bool,
    pub upper_edges_bpm: Vec<f64>,
}

impl OwnHeartRateZones {
    /// Parses "140,147,155,163": increasing upper edges of zones 1 to n−1,
    /// between 60 and 230 bpm, at least two.
    pub fn parse_edges(text: &str) -> Result<Vec<f64>, String> {
        let edges: Vec<f64> = text
            .split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.trim_end_matches("bpm")
                    .parse::<f64>()
                    .map_err(|_| format!("heart-rate zone edge '{t}' is not a number of bpm"))
            })
            .collect::<Result<_, _>>()?;
        if edges.len() < 2 {
            return Err(format!(
                "give the upper edge of each zone but the top one, at least two, e.g. 140,147,155,163 (got '{text}')"
            ));
        }
        if let Some(e) = edges.iter().find(|e| !(60.0..=230.0).contains(*e)) {
            return Err(format!(
                "heart-rate zone edge {e} bpm is outside 60–230 bpm"
            ));
        }
        if let Some(w) = edges.windows(2).find(|w| w[1] <= w[0]) {
            return Err(format!(
                "heart-rate zone edges must increase: {} then {}",
                w[0], w[1]
            ));
        }
        Ok(edges)
    }

    /// The set in force on `day` for the bike (`ride`) or on foot.
    pub fn in_force(all: &[OwnHeartRateZones], day: i32, ride: bool) -> Option<&OwnHeartRateZones> {
        all.iter()
            .filter(|z| z.ride == ride && z.from_day.is_none_or(|f| f <= day))
            .max_by_key(|z| z.from_day.unwrap_or(i32::MIN))
    }
}

/// The zone schemes in force for an activity of `sport` on `day`: heart rate
/// (the athlete's own edges, else Friel on the run or bike table), Coggan
/// power for rides with FTP known, Friel pace and graded pace for runs with
/// threshold pace known.
pub fn schemes_for(
    sport: Sport,
    day: i32,
    th: &Thresholds,
    own: &[OwnHeartRateZones],
) -> Vec<ZoneScheme> {
    let ride = sport.is_cycling();
    let heart = match OwnHeartRateZones::in_force(own, day, ride) {
        Some(z) => ZoneScheme::own_heart_rate(
            &z.upper_edges_bpm,
            match z.from_day {
                Some(d) => format!("own boundaries from {}", crate::load::session::day_text(d)),
                None => "own boundaries".to_string(),
            },
        ),
        None => ZoneScheme::friel_heart_rate(&Zones::from_thresholds(th), ride),
    };
    let mut out = vec![heart];
    if ride {
        out.extend(th.ftp.as_ref().map(|f| ZoneScheme::coggan_power(f.value)));
    }
    if sport.is_running() {
        if let Some(p) = &th.threshold_pace {
            out.push(ZoneScheme::friel_pace(p.value, false));
            out.push(ZoneScheme::friel_pace(p.value, true));
        }
    }
    out
}

/// Time in zones of one activity for every scheme that applies to it and
/// has data: heart rate always, power when the activity has power and FTP
/// is known, pace and graded pace for moving seconds of a run.
pub fn activity_time_in_zones(tl: &Timeline, schemes: &[ZoneScheme]) -> Vec<TimeInZones> {
    let moving = |k: usize| tl.moving[k];
    let graded: Option<Vec<f64>> = schemes
        .iter()
        .any(|s| s.signal == ZoneSignal::GradedPace)
        .then(|| {
            let grade = tl.grade(crate::load::grade::GRADE_WINDOW_M);
            tl.speed_mps.as_ref().map(|v| {
                v.iter()
                    .zip(&grade)
                    .map(|(v, g)| crate::load::grade::grade_adjusted_speed(*v, *g))
                    .collect()
            })
        })
        .flatten();
    schemes
        .iter()
        .filter_map(|s| {
            let t = match s.signal {
                ZoneSignal::HeartRate => s.time_in(tl.heart_rate_bpm.as_ref()?.iter().copied()),
                ZoneSignal::Power => s.time_in(tl.power_w.as_ref()?.iter().copied()),
                ZoneSignal::Pace => {
                    let v = tl.speed_mps.as_ref()?;
                    s.time_in((0..tl.len()).map(|k| moving(k).then_some(v[k])))
                }
                ZoneSignal::GradedPace => {
                    tl.altitude_m.as_ref()?;
                    let v = graded.as_ref()?;
                    s.time_in((0..tl.len()).map(|k| moving(k).then_some(v[k])))
                }
            };
            (t.total_s() > 0.0).then_some(t)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(lthr: f64) -> Zones {
        Zones {
            max_hr_bpm: 190.0,
            resting_hr_bpm: 50.0,
            lthr_run_bpm: lthr,
            lthr_ride_bpm: lthr,
            ftp_w: None,
            female: false,
        }
    }

    #[test]
    fn edges_belong_to_the_zone_below() {
        let s = ZoneScheme::own_heart_rate(&[140.0, 150.0], String::new());
        let hr = [Some(120.0), Some(140.0), Some(141.0), None, Some(200.0)];
        assert_eq!(s.time_in(hr.into_iter()).seconds, vec![2.0, 1.0, 1.0]);
    }

    // science.md §14 [W]: run LTHR 165 → Z1 ≤ 140, Z2 141–147, Z3 148–155, Z4 156–163.
    #[test]
    fn friel_heart_rate_edges_match_the_worked_example() {
        let s = ZoneScheme::friel_heart_rate(&zones(165.0), false);
        assert_eq!(s.upper_edges, vec![140.0, 147.0, 155.0, 163.0]);
        let hr = [140.0, 141.0, 147.0, 148.0, 163.0, 164.0].map(Some);
        assert_eq!(
            s.time_in(hr.into_iter()).seconds,
            vec![1.0, 2.0, 1.0, 1.0, 1.0]
        );
    }

    // science.md §14 [I] (sweatpy): FTP 1.0, values 0.55/0.75/0.90/1.05/1.20/1.50/10.0 → zones 1…7.
    #[test]
    fn coggan_power_vectors() {
        let s = ZoneScheme::coggan_power(1.0);
        let values = [0.55, 0.75, 0.90, 1.05, 1.20, 1.50, 10.0].map(Some);
        assert_eq!(s.time_in(values.into_iter()).seconds, vec![1.0; 7]);
    }

    #[test]
    fn pace_zones_run_from_slow_to_fast() {
        // Threshold 5:00/km = 3.333 m/s; 129.5 % of 300 s = 388.5 s/km.
        let s = ZoneScheme::friel_pace(300.0, false);
        let slow = 1000.0 / 400.0;
        let z2 = 1000.0 / 350.0;
        let at_threshold = 1000.0 / 300.0;
        let faster = 1000.0 / 280.0;
        let t = s.time_in([slow, z2, at_threshold, faster].map(Some).into_iter());
        assert_eq!(t.seconds, vec![1.0, 1.0, 0.0, 0.0, 2.0]);
        assert!((s.upper_edges[0] - 1000.0 / 388.5).abs() < 1e-9);
    }
}
