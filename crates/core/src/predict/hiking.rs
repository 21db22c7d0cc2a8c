//! A personal hiking-speed model and hiking-time estimates for a route.
//!
//! The model has Tobler's shape, `v(S) = a · exp(−b · |S + c|)` km/h with S
//! the gradient (rise/run), and a pack term `exp(−p · pack_kg)` (Tobler W.
//! *Three presentations on geographical analysis and modeling*, NCGIA
//! Technical Report 93-1, 1993: a = 6, b = 3.5, c = 0.05; science.md §4b).
//! It is fitted to the athlete's own hikes by least squares on log speed:
//! for each candidate c on a 0.005 grid the model is linear in (ln a, b, p),
//! and the c with the smallest residual wins. When the hikes do not vary in
//! pack weight, p cannot be fitted and a pack is accounted for by Pandolf's
//! walking energy instead (equal metabolic power, science.md §3a–b).
//! Naismith's rule (science.md §4a) is given for comparison.

use crate::environment::altitude::PLAUSIBLE_ALTITUDE_M;
use crate::load::carriage::walking_metabolic_w;
use crate::metrics::ascent::AscentMethod;
use crate::model::{Activity, ChannelKind};
use serde::Serialize;

/// Length of the segments hikes are cut into for the fit (m).
pub const SEGMENT_M: f64 = 100.0;
/// Segments slower than this (m/s) are stops, not hiking.
pub const MIN_SPEED_MPS: f64 = 0.2;
/// A segment containing a recording gap longer than this (s) is skipped.
pub const MAX_GAP_S: f64 = 30.0;
/// Gradients the model is fitted on and applied to (±50 %).
pub const MAX_GRADE: f64 = 0.5;
/// Step of the route profile used for predictions (m).
pub const ROUTE_STEP_M: f64 = 25.0;

/// One stretch of a hike: its gradient, speed and pack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HikeSegment {
    pub grade: f64,
    pub speed_mps: f64,
    pub pack_kg: f64,
}

/// Cuts a hike into [`SEGMENT_M`] segments of distance.
pub fn segments(a: &Activity, pack_kg: f64) -> Vec<HikeSegment> {
    let s = &a.samples;
    let dist = crate::timeline::distance_channel(a);
    let Some(alt) = s.channel(ChannelKind::Altitude) else {
        return Vec::new();
    };
    let pts: Vec<(f64, f64, f64)> = (0..s.len().min(dist.len()).min(alt.len()))
        .filter_map(|i| Some((s.time_ms[i] as f64 / 1000.0, dist[i]?, alt[i]?)))
        .filter(|p| PLAUSIBLE_ALTITUDE_M.contains(&p.2))
        .collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut gap = false;
    for i in 1..pts.len() {
        gap |= pts[i].0 - pts[i - 1].0 > MAX_GAP_S;
        let (t0, d0, h0) = pts[start];
        let (t1, d1, h1) = pts[i];
        if d1 - d0 >= SEGMENT_M {
            let (dd, dt) = (d1 - d0, t1 - t0);
            let grade = (h1 - h0) / dd;
            if !gap && dt > 0.0 && dd / dt >= MIN_SPEED_MPS && grade.abs() <= MAX_GRADE {
                out.push(HikeSegment {
                    grade,
                    speed_mps: dd / dt,
                    pack_kg,
                });
            }
            start = i;
            gap = false;
        }
    }
    out
}

/// Tobler-shaped speed model (km/h), with a pack term when fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HikingModel {
    pub a_kmh: f64,
    pub b: f64,
    pub c: f64,
    /// Fractional speed lost per kg of pack (None: not identifiable).
    pub pack_per_kg: Option<f64>,
    /// Mean pack of the hikes fitted (kg): the model's own conditions.
    pub reference_pack_kg: f64,
    pub segments: usize,
    /// Root-mean-square residual of ln speed (≈ relative error).
    pub rms_log_error: f64,
}

impl HikingModel {
    /// Tobler's published function (on paths).
    pub const TOBLER: HikingModel = HikingModel {
        a_kmh: 6.0,
        b: 3.5,
        c: 0.05,
        pack_per_kg: None,
        reference_pack_kg: 0.0,
        segments: 0,
        rms_log_error: 0.0,
    };

    /// Speed (m/s) on `grade` with the model's reference pack.
    pub fn speed_mps(&self, grade: f64) -> f64 {
        let g = grade.clamp(-MAX_GRADE, MAX_GRADE);
        self.a_kmh * (-self.b * (g + self.c).abs()).exp() / 3.6
    }

    /// Speed (m/s) on `grade` carrying `pack_kg`: by the fitted pack term,
    /// or by equal walking power (Pandolf) for a body of `body_kg`. Downhill,
    /// Pandolf–Santee power is not monotonic in speed, so the level-ground
    /// ratio is applied there.
    pub fn speed_with_pack(&self, grade: f64, pack_kg: f64, body_kg: f64) -> f64 {
        let v = self.speed_mps(grade);
        if let Some(p) = self.pack_per_kg {
            return v * (-p * (pack_kg - self.reference_pack_kg)).exp();
        }
        if (pack_kg - self.reference_pack_kg).abs() < 1e-9 {
            return v;
        }
        if grade < 0.0 {
            let level = self.speed_mps(0.0);
            return v * self.speed_with_pack(0.0, pack_kg, body_kg) / level;
        }
        let g_pct = grade.min(MAX_GRADE) * 100.0;
        let target = walking_metabolic_w(body_kg, self.reference_pack_kg, v, g_pct, 1.0);
        // Walking power grows with speed above the standing cost: bisection.
        let (mut lo, mut hi) = (0.05, 4.0);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if walking_metabolic_w(body_kg, pack_kg, mid, g_pct, 1.0) > target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

/// Solves the normal equations of a small least-squares problem.
fn least_squares(rows: &[Vec<f64>], y: &[f64]) -> Option<Vec<f64>> {
    let k = rows.first()?.len();
    let mut m = vec![vec![0.0; k + 1]; k];
    for (r, yi) in rows.iter().zip(y) {
        for i in 0..k {
            for j in 0..k {
                m[i][j] += r[i] * r[j];
            }
            m[i][k] += r[i] * yi;
        }
    }
    for col in 0..k {
        let pivot = (col..k).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        for row in 0..k {
            if row != col {
                let f = m[row][col] / m[col][col];
                let pivot_row = m[col].clone();
                for (x, p) in m[row].iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    Some((0..k).map(|i| m[i][k] / m[i][i]).collect())
}

/// Fits the model to hike segments; `None` with fewer than 50 segments or
/// without both climbs and descents to pin the shape.
pub fn fit(segs: &[HikeSegment]) -> Option<HikingModel> {
    let ups = segs.iter().filter(|s| s.grade > 0.05).count();
    let downs = segs.iter().filter(|s| s.grade < -0.05).count();
    if segs.len() < 50 || ups < 10 || downs < 10 {
        return None;
    }
    let n = segs.len() as f64;
    let mean_pack = segs.iter().map(|s| s.pack_kg).sum::<f64>() / n;
    let pack_sd = (segs
        .iter()
        .map(|s| (s.pack_kg - mean_pack).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let with_pack = pack_sd >= 1.0;
    let y: Vec<f64> = segs.iter().map(|s| (s.speed_mps * 3.6).ln()).collect();
    let mut best: Option<(f64, HikingModel)> = None;
    for step in 0..=60 {
        let c = -0.20 + step as f64 * 0.005;
        let rows: Vec<Vec<f64>> = segs
            .iter()
            .map(|s| {
                let mut r = vec![1.0, -(s.grade + c).abs()];
                if with_pack {
                    r.push(-(s.pack_kg - mean_pack));
                }
                r
            })
            .collect();
        let Some(beta) = least_squares(&rows, &y) else {
            continue;
        };
        let sse: f64 = rows
            .iter()
            .zip(&y)
            .map(|(r, yi)| (yi - r.iter().zip(&beta).map(|(x, b)| x * b).sum::<f64>()).powi(2))
            .sum();
        if best.as_ref().is_none_or(|(b, _)| sse < *b) {
            let model = HikingModel {
                a_kmh: beta[0].exp(),
                b: beta[1],
                c,
                pack_per_kg: with_pack.then(|| beta[2]),
                reference_pack_kg: mean_pack,
                segments: segs.len(),
                rms_log_error: (sse / n).sqrt(),
            };
            best = Some((sse, model));
        }
    }
    best.map(|(_, m)| m)
        .filter(|m| m.a_kmh.is_finite() && m.b > 0.0)
}

/// A route as distance along it and altitude.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteProfile {
    pub distance_m: Vec<f64>,
    pub altitude_m: Vec<f64>,
}

impl RouteProfile {
    /// From positions and altitudes; points without altitude take the last known one.
    pub fn from_points(lat: &[f64], lon: &[f64], alt: &[Option<f64>]) -> Option<RouteProfile> {
        let first_alt = alt.iter().flatten().next().copied()?;
        let (mut d, mut last_alt) = (0.0, first_alt);
        let mut p = RouteProfile {
            distance_m: Vec::new(),
            altitude_m: Vec::new(),
        };
        for i in 0..lat.len().min(lon.len()).min(alt.len()) {
            if i > 0 {
                d += crate::geo::haversine_m(lat[i - 1], lon[i - 1], lat[i], lon[i]);
            }
            last_alt = alt[i]
                .filter(|a| PLAUSIBLE_ALTITUDE_M.contains(a))
                .unwrap_or(last_alt);
            p.distance_m.push(d);
            p.altitude_m.push(last_alt);
        }
        (d > 0.0).then_some(p)
    }

    /// The profile as climbing is counted on it, every 10 m: GPS altitude
    /// (rough from one point to the next) filtered as an activity's is
    /// ([`crate::metrics::ascent::profile_for_ascent`]), so a phone's track
    /// does not predict hours of climbing its jitter made up.
    pub fn treated_for_ascent(&self) -> (RouteProfile, AscentMethod) {
        use crate::metrics::ascent::{profile_for_ascent, resample, GPS_STEP_M};
        let pts: Vec<(f64, f64)> = self
            .distance_m
            .iter()
            .copied()
            .zip(self.altitude_m.iter().copied())
            .collect();
        let every_step = resample(&pts, GPS_STEP_M);
        let (altitude_m, method) =
            profile_for_ascent(&every_step.iter().map(|p| p.1).collect::<Vec<_>>());
        let mut distance_m: Vec<f64> = every_step.iter().map(|p| p.0).collect();
        let mut altitude_m = altitude_m;
        // The route's last metres, shorter than a step.
        if let (Some(end), Some(last)) = (self.distance_m.last(), distance_m.last()) {
            if end > last {
                distance_m.push(*end);
                altitude_m.push(*altitude_m.last().unwrap_or(&0.0));
            }
        }
        (
            RouteProfile {
                distance_m,
                altitude_m,
            },
            method,
        )
    }

    /// Lays another piece of route after this one (a file of several
    /// tracks): what lies between them is unknown, so the gap counts neither
    /// distance nor climb; each piece keeps its own distances and grades.
    pub fn append(&mut self, next: RouteProfile) {
        let (Some(end_m), Some(end_alt), Some(start_alt)) = (
            self.distance_m.last().copied(),
            self.altitude_m.last().copied(),
            next.altitude_m.first().copied(),
        ) else {
            *self = next;
            return;
        };
        let lift = end_alt - start_alt;
        self.distance_m
            .extend(next.distance_m.iter().map(|d| end_m + d));
        self.altitude_m
            .extend(next.altitude_m.iter().map(|a| a + lift));
    }

    /// Altitude at distance `x`, interpolated.
    fn altitude_at(&self, x: f64) -> f64 {
        let i = self.distance_m.partition_point(|d| *d < x);
        if i == 0 {
            return self.altitude_m[0];
        }
        if i >= self.distance_m.len() {
            return self.altitude_m[self.altitude_m.len() - 1];
        }
        let (d0, d1) = (self.distance_m[i - 1], self.distance_m[i]);
        let (a0, a1) = (self.altitude_m[i - 1], self.altitude_m[i]);
        if d1 > d0 {
            a0 + (a1 - a0) * (x - d0) / (d1 - d0)
        } else {
            a1
        }
    }

    pub fn length_m(&self) -> f64 {
        self.distance_m.last().copied().unwrap_or(0.0)
    }
}

/// Times for one leg of a route, seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leg {
    pub from_m: f64,
    pub to_m: f64,
    pub ascent_m: f64,
    pub descent_m: f64,
    pub personal_s: Option<f64>,
    pub tobler_s: f64,
    pub naismith_s: f64,
}

/// Hiking times over a route in legs of `leg_m` (at least one profile
/// step): the personal model (with pack), Tobler's function and Naismith's
/// rule, moving time without breaks.
pub fn predict_route(
    route: &RouteProfile,
    personal: Option<&HikingModel>,
    pack_kg: f64,
    body_kg: f64,
    leg_m: f64,
) -> Vec<Leg> {
    let total = route.length_m();
    let leg_m = leg_m.max(ROUTE_STEP_M);
    let mut legs: Vec<Leg> = Vec::new();
    let mut x = 0.0;
    while x < total - 1e-9 {
        let step = ROUTE_STEP_M.min(total - x);
        let (h0, h1) = (route.altitude_at(x), route.altitude_at(x + step));
        let grade = (h1 - h0) / step;
        let leg_index = (x / leg_m).floor() as usize;
        if legs.len() <= leg_index {
            legs.push(Leg {
                from_m: leg_index as f64 * leg_m,
                to_m: ((leg_index + 1) as f64 * leg_m).min(total),
                ascent_m: 0.0,
                descent_m: 0.0,
                personal_s: personal.map(|_| 0.0),
                tobler_s: 0.0,
                naismith_s: 0.0,
            });
        }
        let Some(leg) = legs.last_mut() else { break };
        leg.ascent_m += (h1 - h0).max(0.0);
        leg.descent_m += (h0 - h1).max(0.0);
        leg.tobler_s += step / HikingModel::TOBLER.speed_mps(grade);
        if let (Some(m), Some(t)) = (personal, leg.personal_s.as_mut()) {
            *t += step / m.speed_with_pack(grade, pack_kg, body_kg);
        }
        x += step;
    }
    for leg in &mut legs {
        leg.naismith_s = naismith_s(leg.to_m - leg.from_m, leg.ascent_m);
    }
    legs
}

/// Naismith's rule: 5 km/h plus one hour per 600 m of ascent (science.md §4a).
pub fn naismith_s(distance_m: f64, ascent_m: f64) -> f64 {
    distance_m / 5000.0 * 3600.0 + ascent_m / 600.0 * 3600.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::Rng;

    // science.md §4b vectors [I]/[C].
    #[test]
    fn tobler_vectors() {
        let kmh = |g: f64| HikingModel::TOBLER.speed_mps(g) * 3.6;
        assert!((kmh(-0.05) - 6.0).abs() < 1e-9);
        assert!((kmh(0.0) - 5.037).abs() < 1e-3);
        assert!((kmh(0.10) - 3.549).abs() < 1e-3 && (kmh(-0.10) - 5.037).abs() < 1e-3);
        assert!((kmh(0.20) - 2.501).abs() < 1e-3 && (kmh(0.30) - 1.763).abs() < 1e-3);
    }

    // science.md §4a #2 [C]: 20 km with 800 m of ascent → 5 h 20 min.
    #[test]
    fn naismith_vector() {
        assert!((naismith_s(20_000.0, 800.0) - (5.0 * 3600.0 + 20.0 * 60.0)).abs() < 1e-6);
    }

    fn synthetic(truth: &HikingModel, packs: &[f64], seed: u64) -> Vec<HikeSegment> {
        let mut rng = Rng::new(seed);
        let mut out = Vec::new();
        for &pack in packs {
            for _ in 0..200 {
                let grade = rng.range(-0.35, 0.35);
                let v = truth.speed_mps(grade)
                    * (-truth.pack_per_kg.unwrap_or(0.0) * pack).exp()
                    * (0.08 * rng.normal()).exp();
                out.push(HikeSegment {
                    grade,
                    speed_mps: v,
                    pack_kg: pack,
                });
            }
        }
        out
    }

    /// The fit recovers the parameters synthetic hikes were generated with.
    #[test]
    fn fit_recovers_known_parameters() {
        let truth = HikingModel {
            a_kmh: 5.2,
            b: 3.0,
            c: 0.08,
            pack_per_kg: Some(0.012),
            ..HikingModel::TOBLER
        };
        let m = fit(&synthetic(&truth, &[0.0, 6.0, 12.0], 7)).unwrap();
        let at_zero = m.a_kmh * (m.pack_per_kg.unwrap() * m.reference_pack_kg).exp();
        assert!((at_zero - 5.2).abs() < 0.15, "{m:?}");
        assert!((m.b - 3.0).abs() < 0.15, "{m:?}");
        assert!((m.c - 0.08).abs() < 0.0151, "{m:?}");
        assert!((m.pack_per_kg.unwrap() - 0.012).abs() < 0.003, "{m:?}");
        assert!((m.rms_log_error - 0.08).abs() < 0.01);
        let no_pack = fit(&synthetic(&truth, &[8.0, 8.0], 9)).unwrap();
        assert_eq!(no_pack.pack_per_kg, None);
        assert!((no_pack.reference_pack_kg - 8.0).abs() < 1e-9);
    }

    #[test]
    fn too_little_or_one_sided_data_is_refused() {
        let flat: Vec<HikeSegment> = (0..100)
            .map(|_| HikeSegment {
                grade: 0.0,
                speed_mps: 1.3,
                pack_kg: 0.0,
            })
            .collect();
        assert_eq!(fit(&flat), None);
        assert_eq!(fit(&flat[..10]), None);
    }

    #[test]
    fn a_heavier_pack_is_slower_by_equal_power() {
        let m = HikingModel::TOBLER;
        let v0 = m.speed_with_pack(0.1, 0.0, 70.0);
        let v10 = m.speed_with_pack(0.1, 10.0, 70.0);
        assert!(v10 < v0 && v10 > 0.8 * v0, "{v0} {v10}");
        // Downhill too: slower with the pack, by the level-ground ratio.
        let (d0, d10) = (
            m.speed_with_pack(-0.25, 0.0, 70.0),
            m.speed_with_pack(-0.25, 10.0, 70.0),
        );
        assert!((d10 / d0 - m.speed_with_pack(0.0, 10.0, 70.0) / m.speed_mps(0.0)).abs() < 1e-9);
    }

    #[test]
    fn route_legs_sum_to_the_whole() {
        // 6 km: 3 km up 300 m, 3 km down.
        let route = RouteProfile {
            distance_m: vec![0.0, 3000.0, 6000.0],
            altitude_m: vec![1000.0, 1300.0, 1000.0],
        };
        let legs = predict_route(&route, Some(&HikingModel::TOBLER), 0.0, 70.0, 1000.0);
        assert_eq!(legs.len(), 6);
        let ascent: f64 = legs.iter().map(|l| l.ascent_m).sum();
        assert!((ascent - 300.0).abs() < 1e-6);
        let naismith: f64 = legs.iter().map(|l| l.naismith_s).sum();
        assert!((naismith - naismith_s(6000.0, 300.0)).abs() < 1e-6);
        let tobler: f64 = legs.iter().map(|l| l.tobler_s).sum();
        let expect = 3000.0 / HikingModel::TOBLER.speed_mps(0.1)
            + 3000.0 / HikingModel::TOBLER.speed_mps(-0.1);
        assert!((tobler - expect).abs() < 1e-6);
        assert_eq!(legs[0].personal_s, Some(legs[0].tobler_s));
    }
}
