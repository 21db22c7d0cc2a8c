//! One session's load in two dimensions, from the best source available, with
//! everything needed to explain it.
//!
//! Aerobic priority (the first that applies wins):
//! 1. **power** with an FTP (cycling) — Coggan stress score;
//! 2. **heart rate** (≥ 2 minutes of clean readings) — Banister TRIMP
//!    normalised so that an hour at LTHR is 100;
//! 3. **pace with grade** (runs, with a threshold pace) — Minetti
//!    grade-adjusted speed, normalised like power, hours × IF² × 100;
//! 4. **hiking energy** (walks and hikes) — Pandolf/Santee metabolic power
//!    with the pack, against the metabolic power of threshold running;
//! 5. **session RPE** when the athlete rated it — Foster.
//!
//! Every activity gets a load or an explicit reason why not.

use super::carriage::walking_metabolic_w;
use super::grade::{grade_adjusted_speed, grade_series, running_cost};
use super::hr::{clean_heart_rate, hrss, trimp, Sex};
use super::mechanical::{default_step_rate, is_running_gait, peak_grf_bw, MechanicalParts};
use super::power::{normalized_power, stress_score, to_1hz};
use super::profile::{Provenance, Resolved, Thresholds};
use super::srpe;
use crate::metrics::summary::distance_channel;
use crate::model::{Activity, ChannelKind, Sport};
use serde::Serialize;

/// Version of the load models: stored with every computed load, so a change
/// here recomputes everything and nothing else does.
pub const MODEL_VERSION: u32 = 1;

/// Longest gap between samples that still counts as moving (longer is a pause).
const MAX_GAP_S: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AerobicSource {
    Power,
    HeartRate,
    GradedPace,
    HikingEnergy,
    SessionRpe,
}

impl AerobicSource {
    pub fn id(self) -> &'static str {
        match self {
            AerobicSource::Power => "power",
            AerobicSource::HeartRate => "heart_rate",
            AerobicSource::GradedPace => "graded_pace",
            AerobicSource::HikingEnergy => "hiking_energy",
            AerobicSource::SessionRpe => "session_rpe",
        }
    }
}

/// One input of a computation, as `explain` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub name: String,
    pub value: String,
    /// Where the value came from (file, profile, estimate, default).
    pub source: String,
}

/// How a number was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub method: String,
    pub formula: String,
    pub inputs: Vec<Input>,
    pub reference: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionLoad {
    /// On the common scale (1 hour at threshold ≈ 100).
    pub aerobic: Option<f64>,
    pub aerobic_source: Option<AerobicSource>,
    /// Why there is no aerobic load, when there is none.
    pub aerobic_missing: Option<String>,
    pub aerobic_explanation: Option<Explanation>,
    /// Mechanical load units (100 ≈ 1 h of level running at 3 m/s).
    pub mechanical: f64,
    pub mechanical_parts: MechanicalParts,
    pub mechanical_explanation: Explanation,
    pub moving_s: f64,
}

/// What the athlete said about a session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SessionNotes {
    /// Session RPE on the CR-10 scale.
    pub rpe: Option<f64>,
    /// Pack carried, kg (overrides the profile's default pack for hikes).
    pub pack_kg: Option<f64>,
}

fn provenance(p: &Provenance) -> String {
    match p {
        Provenance::Set { from_day: None } => "profile".into(),
        Provenance::Set { from_day: Some(d) } => format!("profile, from {}", day_text(*d)),
        Provenance::Estimated { how } => format!("estimated: {how}"),
        Provenance::Default { why } => format!("default: {why}"),
    }
}

/// A local day number as YYYY-MM-DD.
pub fn day_text(day: i32) -> String {
    jiff::Timestamp::from_second(day as i64 * 86_400)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| day.to_string())
}

/// A YYYY-MM-DD date as a day number, if it is one.
pub fn parse_day(text: &str) -> Option<i32> {
    let date: jiff::civil::Date = text.trim().parse().ok()?;
    let ts = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(ts.as_second().div_euclid(86_400) as i32)
}

fn input(name: &str, value: String, source: impl Into<String>) -> Input {
    Input {
        name: name.into(),
        value,
        source: source.into(),
    }
}

fn resolved(name: &str, r: &Resolved, unit: &str) -> Input {
    input(
        name,
        format!("{:.0} {unit}", r.value).trim().to_string(),
        provenance(&r.provenance),
    )
}

/// Seconds since the first sample, for the formulas that integrate over time.
fn times_s(a: &Activity) -> Vec<f64> {
    let t0 = a.samples.time_ms.first().copied().unwrap_or(0);
    a.samples
        .time_ms
        .iter()
        .map(|t| (t - t0) as f64 / 1000.0)
        .collect()
}

/// Per-sample speed: the speed channel, else from distance.
fn speed_series(a: &Activity, times: &[f64], distance: &[Option<f64>]) -> Vec<Option<f64>> {
    if let Some(s) = a.samples.channel(ChannelKind::Speed) {
        if s.iter().any(Option::is_some) {
            return s.clone();
        }
    }
    let n = times.len();
    let mut out = vec![None; n];
    let mut last: Option<(f64, f64)> = None;
    for i in 0..n {
        if let Some(d) = distance[i] {
            if let Some((t0, d0)) = last {
                let dt = times[i] - t0;
                if dt > 0.0 {
                    out[i] = Some(((d - d0) / dt).max(0.0));
                }
            }
            last = Some((times[i], d));
        }
    }
    out
}

/// Computes the load of one session.
pub fn session_load(a: &Activity, th: &Thresholds, notes: SessionNotes) -> SessionLoad {
    let times = times_s(a);
    let distance = distance_channel(a);
    let speed = speed_series(a, &times, &distance);
    let moving_s = crate::metrics::moving::moving_time_s(a, &distance).unwrap_or(0.0);
    let pack = notes
        .pack_kg
        .unwrap_or(if matches!(a.sport, Sport::Hike | Sport::Walk) {
            th.pack_mass.value
        } else {
            0.0
        });
    let mass = th.body_mass.value;

    let aerobic = power_load(a, th, &times)
        .or_else(|| heart_rate_load(a, th, &times))
        .or_else(|| graded_pace_load(a, th, &times, &distance, &speed))
        .or_else(|| hiking_energy_load(a, th, &times, &distance, &speed, pack))
        .or_else(|| rpe_load(notes.rpe, moving_s));
    let (aerobic, aerobic_source, aerobic_explanation, aerobic_missing) = match aerobic {
        Some((value, source, explanation)) => (Some(value), Some(source), Some(explanation), None),
        None => (None, None, None, Some(missing_reason(a, th, notes))),
    };
    let (parts, mechanical_explanation) = mechanical_load(a, th, &times, &speed, pack, mass);
    SessionLoad {
        aerobic,
        aerobic_source,
        aerobic_missing,
        aerobic_explanation,
        mechanical: parts.total(),
        mechanical_parts: parts,
        mechanical_explanation,
        moving_s,
    }
}

fn missing_reason(a: &Activity, th: &Thresholds, notes: SessionNotes) -> String {
    let mut why = Vec::new();
    let has = |k| {
        a.samples
            .channel(k)
            .is_some_and(|c| c.iter().any(Option::is_some))
    };
    if !has(ChannelKind::HeartRate) {
        why.push("no heart rate".to_string());
    } else {
        why.push("under 2 minutes of usable heart rate".to_string());
    }
    if a.sport.is_cycling() {
        why.push(if has(ChannelKind::Power) {
            "power but no FTP (cairn profile set ftp …)".into()
        } else {
            "no power".into()
        });
    }
    if a.sport.is_running() && th.threshold_pace.is_none() {
        why.push("no threshold pace (cairn profile set threshold_pace 4:45/km)".into());
    }
    if notes.rpe.is_none() {
        why.push("no effort rating (cairn rate ID --rpe 1-10)".to_string());
    }
    why.join("; ")
}

fn power_load(
    a: &Activity,
    th: &Thresholds,
    times: &[f64],
) -> Option<(f64, AerobicSource, Explanation)> {
    let power = a.samples.channel(ChannelKind::Power)?;
    if !a.sport.is_cycling() || !power.iter().flatten().any(|p| *p > 0.0) {
        return None;
    }
    let ftp = th.ftp.as_ref()?;
    // Power spikes above 2,500 W are not human: read as gaps.
    let cleaned: Vec<Option<f64>> = power
        .iter()
        .map(|p| p.filter(|w| (0.0..=2500.0).contains(w)))
        .collect();
    let series = to_1hz(times, &cleaned, MAX_GAP_S);
    let np = normalized_power(&series)?;
    let duration = series.len() as f64;
    let load = stress_score(duration, np, ftp.value);
    Some((
        load,
        AerobicSource::Power,
        Explanation {
            method: "power: normalised power against FTP".into(),
            formula:
                "NP = (mean of 30-s rolling mean power⁴)^¼; IF = NP / FTP; load = hours × IF² × 100"
                    .into(),
            inputs: vec![
                input(
                    "riding time (1-Hz, pauses over 5 s left out)",
                    format!("{:.0} s", duration),
                    "samples",
                ),
                input("normalised power", format!("{np:.0} W"), "samples"),
                resolved("FTP", ftp, "W"),
                input(
                    "intensity factor",
                    format!("{:.3}", np / ftp.value),
                    "computed",
                ),
            ],
            reference:
                "Allen H, Coggan A. Training and Racing with a Power Meter (VeloPress, 2010)".into(),
            notes: vec![],
        },
    ))
}

fn heart_rate_load(
    a: &Activity,
    th: &Thresholds,
    times: &[f64],
) -> Option<(f64, AerobicSource, Explanation)> {
    let mut hr = a.samples.channel(ChannelKind::HeartRate)?.clone();
    // A maximum set or estimated from the data bounds plausible readings.
    let known_max =
        (!matches!(th.max_hr.provenance, Provenance::Default { .. })).then_some(th.max_hr.value);
    let removed = clean_heart_rate(&mut hr, known_max);
    let covered: f64 = (0..times.len().saturating_sub(1))
        .filter(|i| hr[*i].is_some())
        .map(|i| times[i + 1] - times[i])
        .filter(|dt| *dt > 0.0 && *dt <= super::hr::MAX_GAP_S)
        .sum();
    if covered < 120.0 {
        return None;
    }
    let lthr = if a.sport.is_cycling() {
        &th.lthr_ride
    } else {
        &th.lthr_run
    };
    let (rest, max) = (th.resting_hr.value, th.max_hr.value);
    if max <= rest + 20.0 || lthr.value <= rest {
        return None;
    }
    let t = trimp(times, &hr, rest, max, th.sex);
    let load = hrss(t, lthr.value, rest, max, th.sex);
    let (ca, cb) = th.sex.coefficients();
    let mut notes = vec![];
    if removed > 0 {
        notes.push(format!("{removed} heart-rate readings removed as artefacts (outside 30–230 bpm or above max + 10, or spikes > 25 bpm from their 9-sample median)"));
    }
    if !th.sex_known {
        notes.push(
            "sex not set: men's coefficients used (cairn profile set sex female|male)".into(),
        );
    }
    Some((
        load,
        AerobicSource::HeartRate,
        Explanation {
            method: "heart rate: Banister TRIMP, one hour at LTHR = 100".into(),
            formula: format!(
                "x = (HR − rest) / (max − rest); TRIMP = Σ Δt_min · x · {ca}·e^({cb}·x); load = 100 × TRIMP / TRIMP(60 min at LTHR)"
            ),
            inputs: vec![
                input("heart-rate time", format!("{:.0} s", covered), "samples"),
                resolved("max HR", &th.max_hr, "bpm"),
                resolved("resting HR", &th.resting_hr, "bpm"),
                resolved(if a.sport.is_cycling() { "LTHR (ride)" } else { "LTHR (run)" }, lthr, "bpm"),
                input("sex", if th.sex == Sex::Female { "female".into() } else { "male".into() }, if th.sex_known { "profile" } else { "default" }),
                input("TRIMP", format!("{t:.1}"), "computed"),
            ],
            reference: "Banister EW et al. 1975, Aust J Sports Med 7:57–61; Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69:1171–1177; normalisation as GoldenCheetah TRIMP100 / Elevate HRSS".into(),
            notes,
        },
    ))
}

/// Grade per sample over 50 m (science.md pitfall 4); level without altitude.
fn grade_of(a: &Activity, distance: &[Option<f64>]) -> Vec<f64> {
    match a.samples.channel(ChannelKind::Altitude) {
        Some(alt) => grade_series(distance, alt, 50.0),
        None => vec![0.0; a.samples.len()],
    }
}

/// Graded speed of every moving second (1 Hz).
fn graded_speed_1hz(
    a: &Activity,
    times: &[f64],
    distance: &[Option<f64>],
    speed: &[Option<f64>],
) -> (Vec<f64>, Vec<f64>) {
    let grade = grade_of(a, distance);
    let gap: Vec<Option<f64>> = (0..times.len())
        .map(|i| speed[i].map(|v| grade_adjusted_speed(v.min(12.0), grade[i])))
        .collect();
    let g: Vec<Option<f64>> = grade.iter().map(|g| Some(*g)).collect();
    (to_1hz(times, &gap, MAX_GAP_S), to_1hz(times, &g, MAX_GAP_S))
}

fn graded_pace_load(
    a: &Activity,
    th: &Thresholds,
    times: &[f64],
    distance: &[Option<f64>],
    speed: &[Option<f64>],
) -> Option<(f64, AerobicSource, Explanation)> {
    if !a.sport.is_running() || speed.iter().flatten().count() < 60 {
        return None;
    }
    let pace = th.threshold_pace.as_ref()?;
    let threshold_speed = 1000.0 / pace.value;
    let (gap, _) = graded_speed_1hz(a, times, distance, speed);
    let ngs = normalized_power(&gap)?;
    let intensity = ngs / threshold_speed;
    let load = stress_score(gap.len() as f64, ngs, threshold_speed);
    Some((
        load,
        AerobicSource::GradedPace,
        Explanation {
            method: "pace with grade: Minetti grade-adjusted speed against threshold pace".into(),
            formula: "GAP = v × Cr(grade) / Cr(0) (grade over 50 m); NGS = (mean of 30-s rolling GAP⁴)^¼; IF = NGS / threshold speed; load = hours × IF² × 100".into(),
            inputs: vec![
                input("running time (1-Hz, pauses over 5 s left out)", format!("{} s", gap.len()), "samples"),
                input("normalised graded pace", format!("{:.0} s/km", 1000.0 / ngs.max(1e-9)), "computed"),
                resolved("threshold pace", pace, "s/km"),
                input("intensity factor", format!("{intensity:.3}"), "computed"),
            ],
            reference: "Minetti AE et al. 2002, J Appl Physiol 93:1039–1046; rTSS form as TrainingPeaks/Elevate".into(),
            notes: vec!["Minetti over-credits steep descents (science.md §2a)".into()],
        },
    ))
}

/// Metabolic power at threshold running, gross (standing cost 1.5 W/kg as in
/// Pandolf, plus Minetti's level running cost): the "100 per hour" of hiking energy.
pub fn threshold_metabolic_w(mass_kg: f64, threshold_speed_mps: f64) -> f64 {
    mass_kg * (1.5 + running_cost(0.0) * threshold_speed_mps)
}

/// Threshold pace assumed when the athlete has none: 5:30/km, a recreational adult.
pub const DEFAULT_THRESHOLD_PACE_S_PER_KM: f64 = 330.0;

fn hiking_energy_load(
    a: &Activity,
    th: &Thresholds,
    times: &[f64],
    distance: &[Option<f64>],
    speed: &[Option<f64>],
    pack: f64,
) -> Option<(f64, AerobicSource, Explanation)> {
    if !matches!(a.sport, Sport::Walk | Sport::Hike) || speed.iter().flatten().count() < 60 {
        return None;
    }
    let mass = th.body_mass.value;
    let (threshold_pace, pace_source) = match &th.threshold_pace {
        Some(p) => (p.value, provenance(&p.provenance)),
        None => (
            DEFAULT_THRESHOLD_PACE_S_PER_KM,
            "default: no threshold pace known; 5:30/km assumed".to_string(),
        ),
    };
    let p_thr = threshold_metabolic_w(mass, 1000.0 / threshold_pace);
    let grade = grade_of(a, distance);
    let metabolic: Vec<Option<f64>> = (0..times.len())
        .map(|i| {
            speed[i].map(|v| walking_metabolic_w(mass, pack, v.min(3.0), grade[i] * 100.0, 1.0))
        })
        .collect();
    let series = to_1hz(times, &metabolic, MAX_GAP_S);
    if series.len() < 60 {
        return None;
    }
    let mean_w = series.iter().sum::<f64>() / series.len() as f64;
    let intensity = mean_w / p_thr;
    let load = stress_score(series.len() as f64, mean_w, p_thr);
    Some((
        load,
        AerobicSource::HikingEnergy,
        Explanation {
            method: "hiking energy: Pandolf metabolic power with the pack, against threshold running".into(),
            formula: "M = 1.5W + 2(W+L)(L/W)² + η(W+L)(1.5V² + 0.35VG), minus Santee's correction downhill; IF = mean M / (W × (1.5 + Cr(0) × v_threshold)); load = hours × IF² × 100".into(),
            inputs: vec![
                input("walking time (1-Hz, pauses over 5 s left out)", format!("{} s", series.len()), "samples"),
                resolved("body mass W", &th.body_mass, "kg"),
                input("pack L", format!("{pack:.1} kg"), "activity, else profile pack_mass"),
                input("terrain factor η", "1.0".into(), "assumed (road/treadmill); trails cost more"),
                input("mean metabolic power", format!("{mean_w:.0} W"), "computed"),
                input("threshold pace", format!("{threshold_pace:.0} s/km"), pace_source),
                input("threshold metabolic power", format!("{p_thr:.0} W"), "computed"),
                input("intensity factor", format!("{intensity:.3}"), "computed"),
            ],
            reference: "Pandolf KB, Givoni B, Goldman RF 1977, J Appl Physiol 43:577–581; Santee WR et al. 2001/2003 downhill correction; Minetti AE et al. 2002".into(),
            notes: vec!["Santee's correction is not confirmed against the primary report (science.md §3b)".into()],
        },
    ))
}

fn rpe_load(rpe: Option<f64>, moving_s: f64) -> Option<(f64, AerobicSource, Explanation)> {
    let rpe = rpe?;
    let minutes = moving_s / 60.0;
    let au = srpe::session_load_au(rpe, minutes);
    Some((
        srpe::on_common_scale(au),
        AerobicSource::SessionRpe,
        Explanation {
            method: "session RPE: the athlete's rating × minutes".into(),
            formula: format!(
                "AU = RPE × minutes; load = AU × 100 / ({} × 60)",
                srpe::THRESHOLD_HOUR_RPE
            ),
            inputs: vec![
                input("session RPE (CR-10)", format!("{rpe}"), "cairn rate"),
                input("moving time", format!("{minutes:.1} min"), "computed"),
                input("session load", format!("{au:.0} AU"), "computed"),
            ],
            reference: "Foster C et al. 2001, J Strength Cond Res 15:109–115".into(),
            notes: vec![format!(
                "calibration (cairn's assumption): one hour at threshold is rated {} on the CR-10",
                srpe::THRESHOLD_HOUR_RPE
            )],
        },
    ))
}

fn mechanical_load(
    a: &Activity,
    th: &Thresholds,
    times: &[f64],
    speed: &[Option<f64>],
    pack: f64,
    mass: f64,
) -> (MechanicalParts, Explanation) {
    let mut parts = MechanicalParts {
        carriage_factor: (mass + pack) / mass,
        ..Default::default()
    };
    let reference = "Keller TS et al. 1996, Clin Biomech 11:253–259 (ground reaction force vs speed); Bontemps B et al. 2020, Sports Med 50:2083–2110 (downhill, eccentric)".to_string();
    let formula = "MLU = 100 × Σ(steps × peak GRF [BW]) × (W+L)/W / (170 steps/min × 60 min × 1.975 BW) + 0.1 × descent m × (W+L)/W".to_string();
    if !a.sport.is_on_foot() {
        let why = match a.sport {
            s if s.is_cycling() => "cycling: no impact and no descent on foot",
            Sport::PoolSwim | Sport::OpenWaterSwim => "swimming: no ground impact",
            _ => "no on-foot impact modelled for this sport",
        };
        return (
            parts,
            Explanation {
                method: format!("mechanical load: 0 ({why})"),
                formula,
                inputs: vec![],
                reference,
                notes: vec![],
            },
        );
    }
    let running_sport = a.sport.is_running();
    let cadence = a.samples.channel(ChannelKind::Cadence);
    let default_speed = if running_sport { 2.8 } else { 1.3 };
    let has_speed = speed.iter().flatten().count() >= 2;
    for i in 0..times.len().saturating_sub(1) {
        let dt = times[i + 1] - times[i];
        if !(dt > 0.0 && dt <= MAX_GAP_S) {
            continue;
        }
        let v = if has_speed {
            speed[i].unwrap_or(0.0)
        } else {
            default_speed
        };
        if v < 0.3 {
            continue; // standing still
        }
        let running = is_running_gait(running_sport, v);
        let step_rate = match cadence.and_then(|c| c[i]).map(|c| c * 2.0 / 60.0) {
            Some(r) if (1.0..=4.0).contains(&r) => {
                parts.steps_from_cadence = true;
                r
            }
            _ => default_step_rate(running),
        };
        let steps = step_rate * dt;
        parts.steps += steps;
        parts.impact_bw_steps += steps * peak_grf_bw(running, v);
        if running {
            parts.running_s += dt;
        } else {
            parts.walking_s += dt;
        }
    }
    let (_, descent) = match a.samples.channel(ChannelKind::Altitude) {
        Some(alt) => crate::metrics::ascent::ascent_descent(
            alt.iter().copied(),
            crate::metrics::ascent::HYSTERESIS_M,
        ),
        None => (0.0, 0.0),
    };
    parts.descent_m = a.declared.descent_m.unwrap_or(descent);
    let explanation = Explanation {
        method: "mechanical load: impact (steps × ground-reaction force) plus eccentric descent, scaled by the weight carried".into(),
        formula,
        inputs: vec![
            input("steps", format!("{:.0}", parts.steps), if parts.steps_from_cadence { "cadence channel (per-leg × 2)" } else { "estimated: 170/min running, 110/min walking" }),
            input("running / walking time", format!("{:.0} s / {:.0} s", parts.running_s, parts.walking_s), "speed per sample (runner walking below 1.9 m/s)"),
            input("impact", format!("{:.0} BW·steps → {:.1} MLU", parts.impact_bw_steps, parts.impact_mlu()), "computed"),
            input("descent", format!("{:.0} m → {:.1} MLU", parts.descent_m, parts.eccentric_mlu()), if a.declared.descent_m.is_some() { "file" } else { "altitude, 5 m hysteresis" }),
            resolved("body mass W", &th.body_mass, "kg"),
            input("pack L", format!("{pack:.1} kg"), "activity, else profile pack_mass"),
        ],
        reference,
        notes: vec!["calibration (cairn's assumption): 100 MLU = 1 h level running at 3 m/s; 1,000 m of descent = 100 MLU".into()],
    };
    (parts, explanation)
}
