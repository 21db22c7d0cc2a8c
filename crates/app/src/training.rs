//! Training-load use cases: per-activity loads (cached by their inputs),
//! profile estimates, daily series per dimension and sport, warnings.

use crate::{stored_activity, AppError, Cairn, Result};
use cairn_core::derived::derive;
use cairn_core::load::facts::{one_hour_speed, ActivityFacts, FACTS_VERSION};
use cairn_core::load::profile::{Provenance, Resolved};
use cairn_core::load::series::{daily_series, DayPoint, SeriesConfig, Smoothing};
use cairn_core::load::warnings::{weekly_warnings, Warning};
use cairn_core::load::{
    session_load, AthleteProfile, Estimates, ProfileEntry, ProfileKey, SessionLoad, SessionNotes,
    Thresholds, MODEL_VERSION,
};
use cairn_core::metrics::zones::{
    activity_time_in_zones, schemes_for, OwnHeartRateZones, TimeInZones, ZoneScheme,
};
use cairn_core::model::Sport;
use cairn_core::timeline::Timeline;
use cairn_store::{codec, ActivityFilter, ActivityRecord, CachedLoad};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// An activity's stored sample blobs, (channel, compressed data).
type Blobs = Vec<(String, Vec<u8>)>;
/// Facts as stored: (activity, version, JSON).
type StoredFacts = (i64, u32, String);
/// A curve as stored: (activity, kind, version, value per duration).
type Curve = (i64, String, u32, Vec<Option<f64>>);

/// Local calendar day of an activity (days since 1970-01-01).
pub fn local_day(a: &ActivityRecord) -> i32 {
    let ms = a.start_ms + a.utc_offset_s.unwrap_or(0) as i64 * 1000;
    ms.div_euclid(86_400_000) as i32
}

/// Sport families for per-sport series.
pub fn family(sport: &str) -> &'static str {
    match Sport::from_id(sport) {
        Some(s) if s.is_running() => "run",
        Some(Sport::Walk | Sport::Hike) => "hike",
        Some(s) if s.is_cycling() => "ride",
        Some(Sport::PoolSwim | Sport::OpenWaterSwim) => "swim",
        _ => "other",
    }
}

/// One activity's load, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct LoadRow {
    pub id: i64,
    #[serde(with = "cairn_core::time::json::day")]
    pub day: i32,
    pub start_time: String,
    pub sport: String,
    pub is_primary: bool,
    pub aerobic: Option<f64>,
    pub aerobic_source: Option<String>,
    pub mechanical: f64,
    /// The explanation and components, as computed.
    pub detail: serde_json::Value,
    /// Seconds in each zone of every scheme in force that has data.
    pub time_in_zones: Vec<TimeInZones>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    pub rows: Vec<LoadRow>,
    pub recomputed: usize,
    pub reused: usize,
    pub estimates: Estimates,
}

/// A dimension's daily series, overall or for one sport family.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub dimension: &'static str,
    pub sport: Option<&'static str>,
    pub unit: &'static str,
    pub points: Vec<DayPoint>,
}

fn provenance_letter(r: &Resolved) -> char {
    match r.provenance {
        Provenance::Set { .. } => 'S',
        Provenance::Estimated { .. } => 'E',
        Provenance::Default { .. } => 'D',
    }
}

/// Everything a load depends on, as one string: a change in any of them
/// (or in the model version) recomputes that activity, and nothing else. Only
/// the thresholds the activity's sport can use are part of it, so a new FTP
/// recomputes rides and leaves runs alone.
fn inputs_key(sport: &str, th: &Thresholds, notes: SessionNotes) -> String {
    let r = |x: &Resolved| format!("{:.2}{}", x.value, provenance_letter(x));
    let o = |x: &Option<Resolved>| x.as_ref().map(r).unwrap_or_else(|| "-".into());
    let heart = format!(
        "{}|{}|{:?}{}",
        r(&th.max_hr),
        r(&th.resting_hr),
        th.sex,
        th.sex_known
    );
    let specific = match family(sport) {
        "ride" => format!("{}|{}", r(&th.lthr_ride), o(&th.ftp)),
        "run" => format!(
            "{}|{}|{}",
            r(&th.lthr_run),
            o(&th.threshold_pace),
            r(&th.body_mass)
        ),
        "hike" => format!(
            "{}|{}|{}|{}",
            r(&th.lthr_run),
            o(&th.threshold_pace),
            r(&th.body_mass),
            r(&th.pack_mass)
        ),
        _ => r(&th.lthr_run),
    };
    format!(
        "v{MODEL_VERSION}|{sport}|{heart}|{specific}|{:?}|{:?}",
        notes.rpe, notes.pack_kg
    )
}

/// What one activity's load is computed from, and the key it is cached under.
pub(crate) struct LoadInputs {
    pub thresholds: Thresholds,
    pub notes: SessionNotes,
    pub key: String,
    pub schemes: Vec<ZoneScheme>,
}

pub(crate) fn load_inputs(
    r: &ActivityRecord,
    profile: &AthleteProfile,
    estimates: &Estimates,
    notes: &HashMap<i64, cairn_store::StoredNotes>,
    own_zones: &[OwnHeartRateZones],
) -> LoadInputs {
    let thresholds = profile.thresholds(local_day(r), estimates);
    let notes = notes
        .get(&r.id)
        .map(|n| SessionNotes {
            rpe: n.rpe,
            pack_kg: n.pack_kg,
        })
        .unwrap_or_default();
    let schemes = schemes_for(
        Sport::from_id(&r.sport).unwrap_or(Sport::Other),
        local_day(r),
        &thresholds,
        own_zones,
    );
    let key = format!(
        "{}|{}",
        inputs_key(&r.sport, &thresholds, notes),
        zones_key(&schemes)
    );
    LoadInputs {
        thresholds,
        notes,
        key,
        schemes,
    }
}

/// The zone schemes' edges, as part of a cached load's key: new zones
/// recompute the activities they apply to.
fn zones_key(schemes: &[ZoneScheme]) -> String {
    schemes
        .iter()
        .map(|s| {
            let edges: Vec<String> = s.upper_edges.iter().map(|e| format!("{e:.3}")).collect();
            format!("{:?}:{}", s.signal, edges.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Estimates of profile values from the stored facts, each saying how.
pub fn estimates_from(facts: &[(ActivityRecord, ActivityFacts)]) -> Estimates {
    let mut e = Estimates::default();
    // The highest 30-s heart rate that another activity comes within 8 bpm
    // of, so one faulty strap cannot set the maximum; with a single activity,
    // its peak.
    let mut peaks: Vec<(&ActivityRecord, f64)> = facts
        .iter()
        .filter_map(|(a, f)| Some((a, f.peak_hr_30s?)))
        .collect();
    peaks.sort_by(|x, y| y.1.total_cmp(&x.1));
    let confirmed = peaks
        .windows(2)
        .find(|w| w[0].1 - w[1].1 <= 8.0)
        .map(|w| w[0])
        .or_else(|| (peaks.len() == 1).then(|| peaks[0]));
    if let Some((a, hr)) = confirmed {
        e.max_hr = Some((
            hr.round(),
            format!(
                "highest 30-s average heart rate confirmed by a second activity within 8 bpm (activity {} on {}), artefacts removed",
                a.id,
                crate::day_text(local_day(a))
            ),
        ));
    }
    if let Some((a, p)) = facts
        .iter()
        .filter_map(|(a, f)| Some((a, f.best_power_20min()?)))
        .max_by(|x, y| x.1.total_cmp(&y.1))
    {
        e.ftp = Some((
            (0.95 * p).round(),
            format!(
                "95 % of your best 20-min power, {p:.0} W in activity {} (Allen & Coggan)",
                a.id
            ),
        ));
    }
    if let Some((a, (d, t), v)) = facts
        .iter()
        .filter_map(|(a, f)| {
            let (d, t) = f.best_run()?;
            Some((a, (d, t), one_hour_speed(d, t)))
        })
        .max_by(|x, y| x.2.total_cmp(&y.2))
    {
        e.threshold_pace = Some((
            (1000.0 / v).round(),
            format!("pace for one hour by Riegel (1981) from your best {:.0} km, {:.0}:{:02.0} in activity {}", d / 1000.0, (t / 60.0).floor(), t % 60.0, a.id),
        ));
    }
    e
}

impl Cairn {
    pub fn profile_entries(&self) -> Result<Vec<ProfileEntry>> {
        Ok(self.store.profile_entries(self.athlete)?)
    }

    /// The heart-rate zones the athlete set (setting "hr_zones"), oldest first.
    pub fn own_heart_rate_zones(&self) -> Result<Vec<OwnHeartRateZones>> {
        Ok(match self.store.setting(self.athlete, "hr_zones")? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                AppError::Invalid(format!(
                    "the stored heart-rate zones (setting hr_zones) do not read: {e}"
                ))
            })?,
            None => Vec::new(),
        })
    }

    /// Sets the athlete's own heart-rate zone edges ("140,147,155,163") on
    /// foot or on the bike from a day on, replacing a set for the same day;
    /// "friel" removes that set, so Friel's zones on LTHR apply again.
    pub fn set_heart_rate_zones(
        &mut self,
        ride: bool,
        edges: &str,
        from_day: Option<i32>,
    ) -> Result<Option<Vec<f64>>> {
        let mut all = self.own_heart_rate_zones()?;
        all.retain(|z| !(z.ride == ride && z.from_day == from_day));
        let edges = if edges.trim().eq_ignore_ascii_case("friel") {
            None
        } else {
            let e = OwnHeartRateZones::parse_edges(edges).map_err(AppError::Invalid)?;
            all.push(OwnHeartRateZones {
                from_day,
                ride,
                upper_edges_bpm: e.clone(),
            });
            Some(e)
        };
        all.sort_by_key(|z| (z.ride, z.from_day));
        let json = serde_json::to_string(&all).expect("zones serialise");
        self.store.set_setting(self.athlete, "hr_zones", &json)?;
        Ok(edges)
    }

    /// The zone schemes in force on `day` with the thresholds `th` of that
    /// day, on foot (as for a run) and on the bike.
    pub fn zones_in_force(
        &self,
        day: i32,
        th: &Thresholds,
    ) -> Result<Vec<(&'static str, Vec<ZoneScheme>)>> {
        let own = self.own_heart_rate_zones()?;
        Ok(vec![
            ("on foot", schemes_for(Sport::Run, day, th, &own)),
            ("bike", schemes_for(Sport::Ride, day, th, &own)),
        ])
    }

    /// Sets a profile value (parsed and checked) from a day on.
    pub fn set_profile(
        &mut self,
        key: &str,
        value: &str,
        from_day: Option<i32>,
        now_ms: i64,
    ) -> Result<(ProfileKey, f64)> {
        let key = ProfileKey::from_id(key).ok_or_else(|| {
            AppError::Invalid(format!(
                "unknown profile key '{key}'; one of: {}",
                ProfileKey::ALL
                    .iter()
                    .map(|k| k.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let v = key.parse(value).map_err(AppError::Invalid)?;
        let entry = ProfileEntry {
            key,
            value: v,
            from_day,
        };
        let best_30s = if key == ProfileKey::Ftp {
            self.best_power(30)?
        } else {
            None
        };
        let profile = AthleteProfile {
            entries: self.store.profile_entries(self.athlete)?,
        };
        let conflicts = profile.contradictions_with(&entry, best_30s);
        if !conflicts.is_empty() {
            return Err(AppError::Invalid(format!(
                "{} {value} contradicts the profile: {}; change the other value first (cairn profile set …), or set this one from another day (--from)",
                key.id(),
                conflicts.join("; ")
            )));
        }
        self.store.set_profile_entry(self.athlete, entry, now_ms)?;
        Ok((key, v))
    }

    /// What the athlete logged for a session: rating, pack, conditions.
    pub fn session_notes(&mut self, id: i64) -> Result<cairn_store::StoredNotes> {
        self.store.activity(self.athlete, id)?;
        Ok(self.all_notes()?.get(&id).copied().unwrap_or_default())
    }

    /// Records the athlete's rating of a session (CR-10) and/or the pack carried.
    pub fn rate(&mut self, id: i64, rpe: Option<f64>, pack_kg: Option<f64>) -> Result<()> {
        if let Some(r) = rpe {
            if !(0.0..=10.0).contains(&r) {
                return Err(AppError::Invalid(format!(
                    "--rpe {r}: the CR-10 scale runs from 0 (rest) to 10 (maximal)"
                )));
            }
        }
        if let Some(p) = pack_kg {
            if !(0.0..=60.0).contains(&p) {
                return Err(AppError::Invalid(format!("pack {p} kg is outside 0–60 kg")));
            }
        }
        Ok(self.store.set_notes(self.athlete, id, rpe, pack_kg)?)
    }

    /// The best mean power over `seconds` in any primary activity, and where.
    fn best_power(&mut self, seconds: u32) -> Result<Option<(f64, String)>> {
        let records = self
            .store
            .activities(self.athlete, &ActivityFilter::default())?;
        let facts = self.facts_for(&records)?;
        Ok(facts
            .iter()
            .filter(|(r, _)| r.is_primary)
            .filter_map(|(r, f)| {
                let w = f.best.power.iter().find(|(d, _)| *d == seconds)?.1;
                Some((w, r))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(w, r)| {
                (
                    w,
                    format!("activity {} on {}", r.id, crate::day_text(local_day(r))),
                )
            }))
    }

    pub(crate) fn facts_for(
        &mut self,
        records: &[ActivityRecord],
    ) -> Result<Vec<(ActivityRecord, ActivityFacts)>> {
        let mut stored = self.store.facts(self.athlete)?;
        let missing: Vec<&ActivityRecord> = records
            .iter()
            .filter(|r| stored.get(&r.id).is_none_or(|(v, _)| *v != FACTS_VERSION))
            .collect();
        for chunk in missing.chunks(64) {
            let blobs: Vec<(Blobs, String)> = chunk
                .iter()
                .map(|r| {
                    Ok((
                        self.store.sample_blobs(self.athlete, r.id)?,
                        self.store.activity_extra(self.athlete, r.id)?,
                    ))
                })
                .collect::<Result<_>>()?;
            // Facts and mean-maximal curves come from one timeline of the samples.
            let (computed, curves): (Vec<StoredFacts>, Vec<Vec<Curve>>) = chunk
                .par_iter()
                .zip(blobs.par_iter())
                .filter_map(|(r, (b, extra))| {
                    let samples = codec::decode_samples(b).ok()?;
                    let a = stored_activity(r, samples, extra);
                    let d = derive(&a);
                    let curves = crate::import::curves_to_store(&d.curves)
                        .into_iter()
                        .map(|(k, v, c)| (r.id, k, v, c))
                        .collect();
                    Some((
                        (r.id, FACTS_VERSION, serde_json::to_string(&d.facts).ok()?),
                        curves,
                    ))
                })
                .unzip();
            let curves: Vec<Curve> = curves.into_iter().flatten().collect();
            self.store.put_curves(self.athlete, &curves)?;
            self.store.put_facts(self.athlete, &computed)?;
            for (id, v, j) in computed {
                stored.insert(id, (v, j));
            }
        }
        Ok(records
            .iter()
            .filter_map(|r| {
                let (_, json) = stored.get(&r.id)?;
                Some((r.clone(), serde_json::from_str(json).ok()?))
            })
            .collect())
    }

    /// The profile and estimates in force.
    /// The profile and the estimates from every activity's facts.
    pub(crate) fn estimates_from_facts(
        &mut self,
        facts: &[(ActivityRecord, ActivityFacts)],
    ) -> Result<(AthleteProfile, Estimates)> {
        let primary: Vec<(ActivityRecord, ActivityFacts)> = facts
            .iter()
            .filter(|(r, _)| r.is_primary)
            .cloned()
            .collect();
        Ok((
            AthleteProfile {
                entries: self.store.profile_entries(self.athlete)?,
            },
            estimates_from(&primary),
        ))
    }

    /// Loads of every activity; only those whose inputs changed are recomputed
    /// (all of them with `force`).
    pub fn loads(&mut self, force: bool) -> Result<LoadReport> {
        if force {
            self.compute_loads(true, &|_, _| {})
        } else {
            Ok((*self.loads_shared()?).clone())
        }
    }

    /// `progress(done, to_do)` after each batch of recomputed sessions.
    pub(crate) fn compute_loads(
        &mut self,
        force: bool,
        progress: &dyn Fn(usize, usize),
    ) -> Result<LoadReport> {
        let records = self.all_records()?;
        let (profile, estimates) = self.estimates()?;
        let notes = self.store.notes(self.athlete)?;
        let own_zones = self.own_heart_rate_zones()?;
        let cached = if force {
            HashMap::new()
        } else {
            self.store.loads(self.athlete)?
        };
        let mut todo = Vec::new();
        let mut results: HashMap<i64, CachedLoad> = HashMap::new();
        for r in records.iter() {
            let LoadInputs {
                thresholds: th,
                notes: n,
                key,
                schemes,
            } = load_inputs(r, &profile, &estimates, &notes, &own_zones);
            match cached.get(&r.id) {
                Some(c) if c.inputs_key == key => {
                    results.insert(r.id, c.clone());
                }
                _ => todo.push((r, th, n, key, schemes)),
            }
        }
        let recomputed = todo.len();
        let mut done = 0;
        progress(done, recomputed);
        for chunk in todo.chunks(64) {
            let blobs: Vec<(Blobs, String)> = chunk
                .iter()
                .map(|(r, ..)| {
                    Ok((
                        self.store.sample_blobs(self.athlete, r.id)?,
                        self.store.activity_extra(self.athlete, r.id)?,
                    ))
                })
                .collect::<Result<_>>()?;
            let computed: Vec<(i64, CachedLoad)> = chunk
                .par_iter()
                .zip(blobs.par_iter())
                .map(|((r, th, n, key, schemes), (b, extra))| {
                    let samples = codec::decode_samples(b).unwrap_or_default();
                    let a = stored_activity(r, samples, extra);
                    let timeline = Timeline::of(&a);
                    let load = session_load(&a, &timeline, th, *n);
                    let zones = activity_time_in_zones(&timeline, schemes);
                    (r.id, to_cached(key.clone(), &load, &zones))
                })
                .collect();
            self.store.put_loads(self.athlete, &computed)?;
            done += computed.len();
            results.extend(computed);
            progress(done, recomputed);
        }
        let rows = records
            .iter()
            .filter_map(|r| {
                let c = results.get(&r.id)?;
                Some(LoadRow {
                    id: r.id,
                    day: local_day(r),
                    start_time: cairn_core::time::rfc3339(r.start_ms),
                    sport: r.sport.clone(),
                    is_primary: r.is_primary,
                    aerobic: c.aerobic,
                    aerobic_source: c.aerobic_source.clone(),
                    mechanical: c.mechanical,
                    detail: serde_json::from_str(&c.detail).unwrap_or(serde_json::Value::Null),
                    time_in_zones: serde_json::from_str(&c.zones).unwrap_or_default(),
                })
            })
            .collect();
        Ok(LoadReport {
            rows,
            recomputed,
            reused: records.len() - recomputed,
            estimates,
        })
    }

    /// The full computation for one activity, with thresholds, for `explain`.
    pub fn explain(&mut self, id: i64) -> Result<(ActivityRecord, Thresholds, SessionLoad)> {
        let record = self.store.activity(self.athlete, id)?;
        let (profile, estimates) = self.estimates()?;
        let th = profile.thresholds(local_day(&record), &estimates);
        let notes = self
            .store
            .notes(self.athlete)?
            .get(&id)
            .map(|n| SessionNotes {
                rpe: n.rpe,
                pack_kg: n.pack_kg,
            })
            .unwrap_or_default();
        let a = self.load_activity(&record)?;
        let load = session_load(&a, &Timeline::of(&a), &th, notes);
        Ok((record, th, load))
    }

    pub fn series_config(&self) -> Result<SeriesConfig> {
        let mut cfg = SeriesConfig::default();
        if let Some(s) = self.store.setting(self.athlete, "smoothing")? {
            cfg.smoothing = Smoothing::from_id(&s).unwrap_or(cfg.smoothing);
        }
        Ok(cfg)
    }

    pub fn set_smoothing(&mut self, smoothing: &str) -> Result<Smoothing> {
        let s = Smoothing::from_id(smoothing).ok_or_else(|| {
            AppError::Invalid(format!(
                "smoothing '{smoothing}': one of exponential, inverse, ewma"
            ))
        })?;
        self.store.set_setting(self.athlete, "smoothing", s.id())?;
        Ok(s)
    }

    /// Daily series up to `today` for both dimensions, overall and per sport
    /// family; only primary copies of duplicates count.
    pub fn series(&mut self, today: i32) -> Result<Vec<Series>> {
        Ok((*self.series_shared(today)?).clone())
    }

    /// The same, from loads the caller already has.
    pub fn series_of(&self, report: &LoadReport, today: i32) -> Result<Vec<Series>> {
        let cfg = self.series_config()?;
        let rows: Vec<&LoadRow> = report.rows.iter().filter(|r| r.is_primary).collect();
        let Some(first) = rows.iter().map(|r| r.day).min() else {
            return Ok(Vec::new());
        };
        let last = today.max(rows.iter().map(|r| r.day).max().unwrap_or(first));
        let days = (last - first + 1) as usize;
        let mut out = Vec::new();
        for (dimension, unit) in [("aerobic", ""), ("mechanical", "MLU")] {
            let value = |r: &LoadRow| {
                if dimension == "aerobic" {
                    r.aerobic.unwrap_or(0.0)
                } else {
                    r.mechanical
                }
            };
            let mut all = vec![0.0; days];
            let mut by_family: HashMap<&'static str, Vec<f64>> = HashMap::new();
            for r in &rows {
                let k = (r.day - first) as usize;
                all[k] += value(r);
                by_family
                    .entry(family(&r.sport))
                    .or_insert_with(|| vec![0.0; days])[k] += value(r);
            }
            out.push(Series {
                dimension,
                sport: None,
                unit,
                points: daily_series(first, &all, &cfg),
            });
            let mut families: Vec<_> = by_family.into_iter().collect();
            families.sort_by_key(|(f, _)| *f);
            for (f, loads) in families {
                if loads.iter().any(|x| *x > 0.0) {
                    out.push(Series {
                        dimension,
                        sport: Some(f),
                        unit,
                        points: daily_series(first, &loads, &cfg),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Warnings for the week ending `today`, per dimension and sport.
    pub fn warnings(&mut self, today: i32) -> Result<Vec<Warning>> {
        let series = self.series(today)?;
        Ok(warnings_of(&series, today))
    }
}

/// Warnings for the week ending `today` from daily series.
pub fn warnings_of(series: &[Series], today: i32) -> Vec<Warning> {
    let mut out = Vec::new();
    for s in series {
        let subject = match s.sport {
            None => s.dimension.to_string(),
            Some(f) => format!("{} {}", sport_word(f), s.dimension),
        };
        let points: Vec<DayPoint> = s
            .points
            .iter()
            .copied()
            .filter(|p| p.day <= today)
            .collect();
        out.extend(weekly_warnings(&subject, &points, s.unit));
    }
    cairn_core::load::warnings::merge(out)
}

fn sport_word(family: &str) -> &'static str {
    match family {
        "run" => "running",
        "hike" => "hiking",
        "ride" => "cycling",
        "swim" => "swimming",
        _ => "other",
    }
}

fn to_cached(key: String, l: &SessionLoad, zones: &[TimeInZones]) -> CachedLoad {
    CachedLoad {
        zones: serde_json::to_string(zones).unwrap_or_else(|_| "[]".into()),
        inputs_key: key,
        aerobic: l.aerobic,
        aerobic_source: l.aerobic_source.map(|s| s.id().to_string()),
        mechanical: l.mechanical,
        detail: serde_json::to_string(l).unwrap_or_else(|_| "{}".into()),
    }
}
