//! Looking back and ahead: mean-maximal curves over any period, comparisons
//! of two periods, race predictions, the personal hiking model and hiking
//! times for a planned route.

use crate::environment::SessionConditions;
use crate::training::{family, local_day};
use crate::{AppError, Cairn, Result};
use cairn_core::compare::{compare, Comparison, SessionPoint};
use cairn_core::decode::{decode, Format};
use cairn_core::environment::{adjust, Adjustment, Conditions};
use cairn_core::load::facts::{ActivityFacts, FACTS_VERSION};
use cairn_core::load::profile::Provenance;
use cairn_core::load::{AthleteProfile, ProfileKey};
use cairn_core::metrics::curve::{CurveKind, DURATIONS_S};
use cairn_core::model::Sport;
use cairn_core::predict::hiking::{fit, predict_route, segments, HikingModel, Leg, RouteProfile};
use cairn_core::predict::race::{predict, Evidence, RacePrediction};
use cairn_store::{ActivityFilter, ActivityRecord};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Steady aerobic sessions for "efficiency at comparable effort": average
/// heart rate between these fractions of maximum.
pub const COMPARABLE_EFFORT: (f64, f64) = (0.65, 0.85);

/// One point of a curve and the activity that holds it.
#[derive(Debug, Clone, Serialize)]
pub struct CurvePoint {
    pub duration_s: u32,
    pub value: f64,
    pub activity_id: i64,
    #[serde(with = "cairn_core::time::json::day")]
    pub day: i32,
    pub sport: String,
}

/// The sport family a curve is drawn over: `all` for every sport, a word
/// of a family, or, without one, the kind's usual sport (running power and
/// cycling power, or running pace and riding speed, are not one curve).
pub fn curve_family(kind: CurveKind, sport: Option<&str>) -> Result<Option<&'static str>> {
    Ok(match sport {
        Some("all") => None,
        Some("run" | "running") => Some("run"),
        Some("ride" | "cycling" | "bike") => Some("ride"),
        Some("hike" | "walk" | "hiking") => Some("hike"),
        Some(other) => {
            return Err(AppError::Invalid(format!(
                "--sport {other}: one of run, ride, hike, all"
            )))
        }
        None => match kind {
            CurveKind::Power => Some("ride"),
            CurveKind::Pace | CurveKind::Gap => Some("run"),
            CurveKind::HeartRate | CurveKind::Vertical => None,
        },
    })
}

/// One kind of an activity's curve and the all-time curve of its family.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityCurve {
    /// `power`, `pace`, `gap`, `hr`, `vertical` (as `cairn curve --kind`).
    pub kind: &'static str,
    pub durations_s: Vec<u32>,
    /// This activity's best for each duration (W, m/s, bpm, m/h).
    pub this: Vec<Option<f64>>,
    pub all_time: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    pub family: String,
    #[serde(with = "cairn_core::time::json::period")]
    pub a: (i32, i32),
    #[serde(with = "cairn_core::time::json::period")]
    pub b: (i32, i32),
    #[serde(flatten)]
    pub comparison: Comparison,
    /// Whether efficiency was limited to steady sessions (max HR known).
    pub efficiency_steady_only: bool,
}

/// A race prediction, adjusted to the race's conditions when given.
#[derive(Debug, Clone, Serialize)]
pub struct PredictionRow {
    #[serde(flatten)]
    pub prediction: RacePrediction,
    /// The VDOT prediction moved from the evidence's conditions to the race's.
    pub adjusted: Option<Adjustment>,
    pub evidence_conditions: Conditions,
}

#[derive(Debug, Clone, Serialize)]
pub struct RaceReport {
    #[serde(with = "cairn_core::time::json::day")]
    pub from_day: i32,
    #[serde(with = "cairn_core::time::json::day")]
    pub to_day: i32,
    pub efforts: usize,
    pub rows: Vec<PredictionRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteReport {
    pub name: Option<String>,
    pub distance_m: f64,
    pub ascent_m: f64,
    pub descent_m: f64,
    /// How the route's altitude was treated: `gps` when it was as rough as
    /// GPS altitude and filtered, `barometric` when used as it is.
    pub ascent_method: cairn_core::metrics::ascent::AscentMethod,
    pub pack_kg: f64,
    pub model: Option<HikingModel>,
    pub hikes_used: usize,
    pub legs: Vec<Leg>,
    pub personal_s: Option<f64>,
    pub tobler_s: f64,
    pub naismith_s: f64,
}

impl Cairn {
    /// Activities in a day range (primary copies only), with facts and curves
    /// computed for any that lack them.
    fn primary_in(&mut self, from: Option<i32>, to: Option<i32>) -> Result<Vec<ActivityRecord>> {
        let records: Vec<ActivityRecord> = self
            .store
            .activities(self.athlete, &ActivityFilter::default())?
            .into_iter()
            .filter(|r| r.is_primary)
            .filter(|r| {
                from.is_none_or(|f| local_day(r) >= f) && to.is_none_or(|t| local_day(r) <= t)
            })
            .collect();
        let versions = self.store.fact_versions(self.athlete)?;
        let stale: Vec<ActivityRecord> = records
            .iter()
            .filter(|r| versions.get(&r.id) != Some(&FACTS_VERSION))
            .cloned()
            .collect();
        if !stale.is_empty() {
            self.facts_for(&stale)?;
        }
        Ok(records)
    }

    /// Activity `id`'s mean-maximal curves, each beside the athlete's
    /// all-time curve of the same kind in the same sport family.
    pub fn activity_curves(&mut self, id: i64) -> Result<Vec<ActivityCurve>> {
        let record = self.store.activity(self.athlete, id)?;
        let fam = family(&record.sport);
        let mut out = Vec::new();
        for kind in CurveKind::ALL {
            let table = self.curve_table(kind.id())?;
            let Some(this) = table
                .by_id
                .get(&id)
                .filter(|t| t.iter().any(Option::is_some))
            else {
                continue;
            };
            // A copy that does not count is still part of its own best.
            let mut all_time = table
                .best_by_family
                .get(fam)
                .cloned()
                .unwrap_or_else(|| vec![None; this.len()]);
            crate::memo::merge_best(&mut all_time, this);
            out.push(ActivityCurve {
                kind: kind.id(),
                durations_s: DURATIONS_S.to_vec(),
                this: this.clone(),
                all_time,
            });
        }
        Ok(out)
    }

    /// The best value for each duration over a period, and who holds it.
    pub fn curve(
        &mut self,
        kind: CurveKind,
        sport_family: Option<&str>,
        from: Option<i32>,
        to: Option<i32>,
    ) -> Result<Vec<CurvePoint>> {
        let table = self.curve_table(kind.id())?;
        let records = self.all_records()?;
        let by_id: HashMap<i64, &ActivityRecord> = records
            .iter()
            .filter(|r| r.is_primary)
            .filter(|r| {
                from.is_none_or(|f| local_day(r) >= f) && to.is_none_or(|t| local_day(r) <= t)
            })
            .filter(|r| sport_family.is_none_or(|f| family(&r.sport) == f))
            .map(|r| (r.id, r))
            .collect();
        let mut best: Vec<Option<(f64, i64)>> = vec![None; DURATIONS_S.len()];
        for (id, values) in &table.by_id {
            if !by_id.contains_key(id) {
                continue;
            }
            for (b, v) in best.iter_mut().zip(values) {
                if let Some(v) = *v {
                    // Ties go to the earlier activity, whatever the map's order.
                    if b.is_none_or(|(x, bid)| v > x || (v == x && *id < bid)) {
                        *b = Some((v, *id));
                    }
                }
            }
        }
        Ok(DURATIONS_S
            .iter()
            .zip(best)
            .filter_map(|(d, b)| {
                let (value, id) = b?;
                let r = by_id[&id];
                Some(CurvePoint {
                    duration_s: *d,
                    value,
                    activity_id: id,
                    day: local_day(r),
                    sport: r.sport.clone(),
                })
            })
            .collect())
    }

    fn session_points(&mut self, records: &[ActivityRecord]) -> Result<(Vec<SessionPoint>, bool)> {
        let facts = self.facts_for(records)?;
        let conditions: BTreeMap<i64, SessionConditions> = self.conditions(&facts)?;
        let (profile, estimates) = self.estimates()?;
        let mut steady_only = true;
        let points = facts
            .into_iter()
            .map(|(r, f): (ActivityRecord, ActivityFacts)| {
                let s = &r.summary;
                let th = profile.thresholds(local_day(&r), &estimates);
                let max_hr = (!matches!(th.max_hr.provenance, Provenance::Default { .. }))
                    .then_some(th.max_hr.value);
                let intensity = s.avg_hr_bpm.zip(max_hr).map(|(h, m)| h / m);
                steady_only &= max_hr.is_some();
                let steady = intensity
                    .is_none_or(|i| (COMPARABLE_EFFORT.0..=COMPARABLE_EFFORT.1).contains(&i));
                let moving = s.moving_s.or(s.timer_s).unwrap_or(0.0);
                let distance = s.distance_m.unwrap_or(0.0);
                let point = SessionPoint {
                    id: r.id,
                    day: local_day(&r),
                    moving_s: moving,
                    distance_m: distance,
                    speed_mps: (moving > 0.0 && distance > 0.0).then(|| distance / moving),
                    gap_mps: f.efficiency.gap_mps,
                    normalised_mps: f.efficiency.gap_mps.and_then(|v| {
                        let c = conditions.get(&r.id);
                        cairn_core::compare::normalised_speed(
                            v,
                            distance,
                            cairn_core::environment::Conditions {
                                altitude_m: f.altitude.mean_altitude_m.unwrap_or(0.0),
                                temp_c: c.map(|c| c.temp_c),
                                dew_point_c: c.and_then(|c| c.dew_point_c),
                            },
                        )
                    }),
                    avg_hr: s.avg_hr_bpm,
                    metres_per_beat: f.efficiency.metres_per_beat.filter(|_| steady),
                    decoupling_pct: f.efficiency.decoupling_pct,
                    temp_c: conditions.get(&r.id).map(|c| c.temp_c),
                    ascent_per_km_m: s
                        .ascent_m
                        .filter(|_| distance > 500.0)
                        .map(|a| a / distance * 1000.0),
                    mean_altitude_m: f.altitude.mean_altitude_m,
                    intensity,
                };
                point.without_impossible_speeds(
                    Sport::from_id(&r.sport).is_some_and(Sport::is_on_foot),
                )
            })
            .collect();
        Ok((points, steady_only))
    }

    /// Compares sessions of one sport family in two day ranges.
    pub fn compare(
        &mut self,
        sport_family: &str,
        a: (i32, i32),
        b: (i32, i32),
    ) -> Result<CompareReport> {
        let family = sport_family.to_string();
        self.memoized(format!("compare {family} {a:?} {b:?}"), move |c| {
            c.compute_compare(&family, a, b)
        })
    }

    fn compute_compare(
        &mut self,
        sport_family: &str,
        a: (i32, i32),
        b: (i32, i32),
    ) -> Result<CompareReport> {
        for (what, (from, to)) in [("--a", a), ("--b", b)] {
            if to < from {
                return Err(AppError::Invalid(format!(
                    "{what}: the period ends before it starts"
                )));
            }
        }
        // One read of the activities, facts and profile for both periods.
        let records: Vec<ActivityRecord> = self
            .primary_in(Some(a.0.min(b.0)), Some(a.1.max(b.1)))?
            .into_iter()
            .filter(|r| family(&r.sport) == sport_family)
            .collect();
        let (points, steady_only) = self.session_points(&records)?;
        let within = |(from, to): (i32, i32)| -> Vec<SessionPoint> {
            points
                .iter()
                .filter(|p| p.day >= from && p.day <= to)
                .cloned()
                .collect()
        };
        let (pa, pb) = (within(a), within(b));
        // Seeded by the periods, so the same question gives the same interval.
        let seed = ((a.0 as u64) << 48) ^ ((a.1 as u64) << 32) ^ ((b.0 as u64) << 16) ^ b.1 as u64;
        Ok(CompareReport {
            family: sport_family.to_string(),
            a,
            b,
            comparison: compare(&pa, &pb, seed),
            efficiency_steady_only: steady_only,
        })
    }

    /// Race times from the best running efforts of `from..=to`, moved to
    /// `race` conditions when given.
    pub fn predict_races(
        &mut self,
        from: i32,
        to: i32,
        distances_m: &[f64],
        race: Option<Conditions>,
    ) -> Result<RaceReport> {
        let distances = distances_m.to_vec();
        self.memoized(
            format!("races {from} {to} {distances:?} {race:?}"),
            move |c| c.compute_predict_races(from, to, &distances, race),
        )
    }

    fn compute_predict_races(
        &mut self,
        from: i32,
        to: i32,
        distances_m: &[f64],
        race: Option<Conditions>,
    ) -> Result<RaceReport> {
        let records: Vec<ActivityRecord> = self
            .primary_in(Some(from), Some(to))?
            .into_iter()
            .filter(|r| Sport::from_id(&r.sport).is_some_and(|s| s.is_running()))
            .collect();
        let facts = self.facts_for(&records)?;
        let conditions = self.conditions(&facts)?;
        let mut efforts = Vec::new();
        let mut context: HashMap<i64, Conditions> = HashMap::new();
        for (r, f) in &facts {
            for (d, t) in &f.best.run {
                efforts.push(Evidence {
                    distance_m: *d,
                    time_s: *t,
                    day: local_day(r),
                    activity_id: r.id,
                });
            }
            let c = conditions.get(&r.id).filter(|c| c.dew_point_c.is_some());
            context.insert(
                r.id,
                Conditions {
                    altitude_m: f.altitude.mean_altitude_m.unwrap_or(0.0),
                    temp_c: c.map(|c| c.temp_c),
                    dew_point_c: c.and_then(|c| c.dew_point_c),
                },
            );
        }
        let rows = predict(&efforts, distances_m)
            .into_iter()
            .map(|p| {
                let evidence_conditions = context
                    .get(&p.vdot_from.activity_id)
                    .copied()
                    .unwrap_or_default();
                let adjusted =
                    race.and_then(|to| adjust(p.distance_m, p.vdot_s, evidence_conditions, to));
                PredictionRow {
                    prediction: p,
                    adjusted,
                    evidence_conditions,
                }
            })
            .collect();
        Ok(RaceReport {
            from_day: from,
            to_day: to,
            efforts: efforts.len(),
            rows,
        })
    }

    /// The personal hiking model, fitted to every primary hike and walk with
    /// altitude; the pack of each is its logged pack or the profile's default.
    pub(crate) fn fit_hiking_model(&mut self) -> Result<(Option<HikingModel>, usize)> {
        let records: Vec<ActivityRecord> = self
            .primary_in(None, None)?
            .into_iter()
            .filter(|r| family(&r.sport) == "hike" && r.flags.is_empty())
            .collect();
        let notes = self.store.notes(self.athlete)?;
        let profile = AthleteProfile {
            entries: self.store.profile_entries(self.athlete)?,
        };
        let mut all = Vec::new();
        let mut used = 0;
        for r in &records {
            let pack = notes
                .get(&r.id)
                .and_then(|n| n.pack_kg)
                .or_else(|| {
                    profile
                        .set_value(ProfileKey::PackMass, local_day(r))
                        .map(|e| e.value)
                })
                .unwrap_or(0.0);
            let a = self.load_activity(r)?;
            let segs = segments(&a, pack);
            if !segs.is_empty() {
                used += 1;
            }
            all.extend(segs);
        }
        Ok((fit(&all), used))
    }

    /// Hiking time for a planned route file (GPX/TCX/FIT route or track).
    pub fn predict_route(
        &mut self,
        bytes: &[u8],
        file: &str,
        pack_kg: Option<f64>,
        leg_m: f64,
        today: i32,
    ) -> Result<RouteReport> {
        let format = std::path::Path::new(file)
            .extension()
            .and_then(|e| Format::from_extension(&e.to_string_lossy()))
            .or_else(|| Format::sniff(bytes))
            .ok_or_else(|| AppError::Invalid(format!("{file}: not a GPX, TCX or FIT file")))?;
        let decoded =
            decode(format, bytes).map_err(|e| AppError::Invalid(format!("{file}: {e}")))?;
        // Every point counts: a file of several tracks or routes (a device
        // that starts a new log every so often) is one route, in file order.
        let mut pieces: Vec<Option<RouteProfile>> = Vec::new();
        let name = if !decoded.courses.is_empty() {
            for c in &decoded.courses {
                pieces.push(RouteProfile::from_points(
                    &c.lat_deg,
                    &c.lon_deg,
                    &c.altitude_m,
                ));
            }
            decoded.courses[0].name.clone()
        } else {
            for a in &decoded.activities {
                pieces.extend(route_pieces(&a.samples));
            }
            decoded.activities.first().and_then(|a| a.name.clone())
        };
        let profile = pieces.into_iter().flatten().reduce(|mut route, next| {
            route.append(next);
            route
        });
        let (profile, ascent_method) = profile
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "{file}: the route needs positions with elevation to predict a hiking time"
                ))
            })?
            .treated_for_ascent();
        let (model, hikes_used) = self.hiking_model()?;
        let (athlete, estimates) = self.estimates()?;
        let th = athlete.thresholds(today, &estimates);
        let pack = pack_kg.unwrap_or(th.pack_mass.value);
        let legs = predict_route(&profile, model.as_ref(), pack, th.body_mass.value, leg_m);
        let sum = |f: &dyn Fn(&Leg) -> f64| legs.iter().map(f).sum::<f64>();
        Ok(RouteReport {
            name,
            distance_m: profile.length_m(),
            ascent_m: sum(&|l| l.ascent_m),
            descent_m: sum(&|l| l.descent_m),
            ascent_method,
            pack_kg: pack,
            personal_s: model.map(|_| sum(&|l| l.personal_s.unwrap_or(0.0))),
            tobler_s: sum(&|l| l.tobler_s),
            naismith_s: sum(&|l| l.naismith_s),
            model,
            hikes_used,
            legs,
        })
    }
}

/// Where a recorded file jumped without travelling: the straight line
/// between two points exceeds the distance the file states between them by
/// this much (a GPX file's next segment, a GPS spike).
const ROUTE_JUMP_M: f64 = 50.0;

/// A recorded activity as pieces of route, split where it jumped.
fn route_pieces(s: &cairn_core::model::Samples) -> Vec<Option<RouteProfile>> {
    use cairn_core::model::ChannelKind;
    let altitude = s.channel(ChannelKind::Altitude);
    let distance = s.channel(ChannelKind::Distance);
    let mut pieces = Vec::new();
    let (mut lat, mut lon, mut alt) = (Vec::new(), Vec::new(), Vec::new());
    let mut last: Option<(f64, f64, Option<f64>)> = None;
    for i in 0..s.len() {
        let Some((la, lo)) = s.position(i) else {
            continue;
        };
        let d = distance.and_then(|c| c[i]);
        if let Some((pla, plo, pd)) = last {
            let straight = cairn_core::geo::haversine_m(pla, plo, la, lo);
            if let (Some(d0), Some(d1)) = (pd, d) {
                if straight - (d1 - d0) > ROUTE_JUMP_M {
                    pieces.push(RouteProfile::from_points(&lat, &lon, &alt));
                    (lat, lon, alt) = (Vec::new(), Vec::new(), Vec::new());
                }
            }
        }
        lat.push(la);
        lon.push(lo);
        alt.push(altitude.and_then(|c| c[i]));
        last = Some((la, lo, d));
    }
    pieces.push(RouteProfile::from_points(&lat, &lon, &alt));
    pieces
}
