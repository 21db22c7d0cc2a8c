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
use super::grade::{grade_adjusted_speed, running_cost};
use super::hr::{hrss, trimp_per_second, Sex};
use super::mechanical::{default_step_rate, is_running_gait, peak_grf_bw, MechanicalParts};
use super::power::{normalized_power, stress_score};
use super::profile::{Provenance, Resolved, Thresholds};
use super::srpe;
use crate::metrics::summary::moving_time_s;
use crate::model::{Activity, Sport};
use crate::timeline::{HoldReport, Timeline};
use serde::{Deserialize, Serialize};

/// Version of the load models: stored with every computed load, so a change
/// here recomputes everything and nothing else does.
pub const MODEL_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub name: String,
    pub value: String,
    /// Where the value came from (file, profile, estimate, default).
    pub source: String,
}

/// How a number was obtained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub method: String,
    pub formula: String,
    pub inputs: Vec<Input>,
    pub reference: String,
    pub notes: Vec<String>,
}

/// Serialised into the load cache and read back from it by the activity page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Computes the load of one session from its [`Timeline`], so no load
/// depends on how often the device recorded.
pub fn session_load(
    a: &Activity,
    tl: &Timeline,
    th: &Thresholds,
    notes: SessionNotes,
) -> SessionLoad {
    let moving_s = moving_time_s(a, tl).unwrap_or(0.0);
    let pack = notes
        .pack_kg
        .unwrap_or(if matches!(a.sport, Sport::Hike | Sport::Walk) {
            th.pack_mass.value
        } else {
            0.0
        });
    let mass = th.body_mass.value;

    let aerobic = power_load(a, tl, th)
        .or_else(|| heart_rate_load(a, tl, th))
        .or_else(|| graded_pace_load(a, tl, th))
        .or_else(|| hiking_energy_load(a, tl, th, pack))
        .or_else(|| rpe_load(notes.rpe, moving_s));
    let (aerobic, aerobic_source, aerobic_explanation, aerobic_missing) = match aerobic {
        Some((value, source, explanation)) => (Some(value), Some(source), Some(explanation), None),
        None => (None, None, None, Some(missing_reason(a, tl, th, notes))),
    };
    let (parts, mechanical_explanation) = mechanical_load(a, tl, th, pack, mass);
    SessionLoad {
        aerobic,
        aerobic_source,
        aerobic_explanation,
        aerobic_missing,
        mechanical: parts.total(),
        mechanical_parts: parts,
        mechanical_explanation,
        moving_s,
    }
}

/// The heart-rate gap rule and what it dropped, in words for `explain`.
fn hold_note(what: &str, r: &HoldReport) -> String {
    let mut text = format!(
        "{what} held between readings up to {:.0} s apart",
        r.limit_s
    );
    if r.dropped_gaps > 0 {
        text.push_str(&format!(
            "; {} longer gap{} ({}) left without {what}",
            r.dropped_gaps,
            if r.dropped_gaps == 1 { "" } else { "s" },
            crate::time::duration_text(r.dropped_s)
        ));
    } else {
        text.push_str("; no longer gaps");
    }
    text
}

fn missing_reason(a: &Activity, tl: &Timeline, th: &Thresholds, notes: SessionNotes) -> String {
    let mut why = Vec::new();
    let lthr = if a.sport.is_cycling() {
        &th.lthr_ride
    } else {
        &th.lthr_run
    };
    let (rest, max) = (&th.resting_hr, &th.max_hr);
    match &tl.report.heart_rate {
        None => why.push("no heart rate".to_string()),
        Some(_) if max.value <= rest.value + 20.0 => why.push(format!(
            "heart rate, but max HR {:.0} bpm ({}) is not 20 bpm above resting HR {:.0} bpm ({}): correct one with cairn profile set",
            max.value,
            provenance(&max.provenance),
            rest.value,
            provenance(&rest.provenance)
        )),
        Some(_) if lthr.value <= rest.value => why.push(format!(
            "heart rate, but LTHR {:.0} bpm ({}) is not above resting HR {:.0} bpm: correct one with cairn profile set",
            lthr.value,
            provenance(&lthr.provenance),
            rest.value
        )),
        Some(r) => why.push(format!(
            "heart rate on {} only, under the 2 minutes needed ({})",
            crate::time::duration_text(r.covered_s),
            hold_note("heart rate", r)
        )),
    }
    if a.sport.is_cycling() {
        why.push(if tl.power_w.is_some() {
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
    tl: &Timeline,
    th: &Thresholds,
) -> Option<(f64, AerobicSource, Explanation)> {
    let power = tl.power_w.as_ref()?;
    if !a.sport.is_cycling() || !power.iter().flatten().any(|p| *p > 0.0) {
        return None;
    }
    let ftp = th.ftp.as_ref()?;
    // NP over every recorded second: coasting and stops are 0 W, and a
    // reading missing for longer than the hold limit counts as 0 W too
    // (science.md pitfall 6: zeros for power). Spikes above 2,500 W are not
    // human: read as 0.
    let series: Vec<f64> = power
        .iter()
        .map(|p| p.filter(|w| (0.0..=2500.0).contains(w)).unwrap_or(0.0))
        .collect();
    let np = normalized_power(&series)?;
    let riding_s = tl.moving_s();
    let load = stress_score(riding_s, np, ftp.value);
    let mut notes = vec![format!(
        "NP over {} recorded s; duration is the riding (moving) time, as GoldenCheetah's time riding (science.md pitfall 6)",
        series.len()
    )];
    if let Some(r) = &tl.report.power {
        notes.push(hold_note("power", r));
    }
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
                    "riding time",
                    format!("{riding_s:.0} s"),
                    "timeline, moving seconds",
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
            notes,
        },
    ))
}

fn heart_rate_load(
    a: &Activity,
    tl: &Timeline,
    th: &Thresholds,
) -> Option<(f64, AerobicSource, Explanation)> {
    let held = tl.heart_rate_bpm.as_ref()?;
    let report = tl.report.heart_rate.clone().unwrap_or_default();
    // A maximum set or estimated from the data bounds plausible readings.
    let known_max =
        (!matches!(th.max_hr.provenance, Provenance::Default { .. })).then_some(th.max_hr.value);
    let ceiling = known_max.map(|m| m + 10.0).unwrap_or(f64::INFINITY);
    let hr: Vec<Option<f64>> = held.iter().map(|h| h.filter(|v| *v <= ceiling)).collect();
    let above_max = held.iter().flatten().count() - hr.iter().flatten().count();
    let covered = hr.iter().flatten().count() as f64;
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
    let t = trimp_per_second(&hr, rest, max, th.sex);
    let load = hrss(t, lthr.value, rest, max, th.sex);
    let (ca, cb) = th.sex.coefficients();
    let mut notes = vec![format!(
        "{}; every recorded second with heart rate counts, standing still too",
        hold_note("heart rate", &report)
    )];
    if report.artefacts_removed > 0 {
        notes.push(format!("{} heart-rate readings removed as artefacts (outside 30–230 bpm, or spikes > 25 bpm from their 9-reading median)", report.artefacts_removed));
    }
    if above_max > 0 {
        notes.push(format!(
            "{above_max} s above max HR + 10 bpm left out (a strap stuck high)"
        ));
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
                "x = (HR − rest) / (max − rest); TRIMP = Σ over seconds (1/60) · x · {ca}·e^({cb}·x); load = 100 × TRIMP / TRIMP(60 min at LTHR)"
            ),
            inputs: vec![
                input("heart-rate time", format!("{covered:.0} s"), "timeline"),
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

/// Graded speed (m/s) of every moving second.
fn graded_speed_moving(tl: &Timeline) -> Option<Vec<f64>> {
    let speed = tl.speed_mps.as_ref()?;
    let grade = tl.grade(50.0);
    Some(
        tl.moving_indices()
            .map(|k| grade_adjusted_speed(speed[k].min(12.0), grade[k]))
            .collect(),
    )
}

fn graded_pace_load(
    a: &Activity,
    tl: &Timeline,
    th: &Thresholds,
) -> Option<(f64, AerobicSource, Explanation)> {
    if !a.sport.is_running() {
        return None;
    }
    let pace = th.threshold_pace.as_ref()?;
    let threshold_speed = 1000.0 / pace.value;
    let gap = graded_speed_moving(tl)?;
    if gap.len() < 60 {
        return None;
    }
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
                input("running time", format!("{} s", gap.len()), "timeline, moving seconds"),
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
    tl: &Timeline,
    th: &Thresholds,
    pack: f64,
) -> Option<(f64, AerobicSource, Explanation)> {
    if !matches!(a.sport, Sport::Walk | Sport::Hike) {
        return None;
    }
    let speed = tl.speed_mps.as_ref()?;
    let mass = th.body_mass.value;
    let (threshold_pace, pace_source) = match &th.threshold_pace {
        Some(p) => (p.value, provenance(&p.provenance)),
        None => (
            DEFAULT_THRESHOLD_PACE_S_PER_KM,
            "default: no threshold pace known; 5:30/km assumed".to_string(),
        ),
    };
    let p_thr = threshold_metabolic_w(mass, 1000.0 / threshold_pace);
    let grade = tl.grade(50.0);
    let series: Vec<f64> = tl
        .moving_indices()
        .map(|k| walking_metabolic_w(mass, pack, speed[k].min(3.0), grade[k] * 100.0, 1.0))
        .collect();
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
                input("walking time", format!("{} s", series.len()), "timeline, moving seconds"),
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
    tl: &Timeline,
    th: &Thresholds,
    pack: f64,
    mass: f64,
) -> (MechanicalParts, Explanation) {
    let mut parts = MechanicalParts {
        carriage_factor: (mass + pack) / mass,
        ..Default::default()
    };
    let reference = "Keller TS et al. 1996, Clin Biomech 11:253–259 (ground reaction force vs speed); Bontemps B et al. 2020, Sports Med 50:2083–2110 (downhill, eccentric)".to_string();
    let formula = "MLU = 100 × Σ over moving seconds (step rate × peak GRF [BW]) × (W+L)/W / (170 steps/min × 60 min × 1.975 BW) + 0.1 × descent m × (W+L)/W".to_string();
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
    let default_speed = if running_sport { 2.8 } else { 1.3 };
    for k in tl.moving_indices() {
        let v = tl.speed_mps.as_ref().map_or(default_speed, |m| m[k]);
        let running = is_running_gait(running_sport, v);
        let step_rate = match tl
            .cadence_rpm
            .as_ref()
            .and_then(|c| c[k])
            .map(|c| c * 2.0 / 60.0)
        {
            Some(r) if (1.0..=4.0).contains(&r) => {
                parts.steps_from_cadence = true;
                r
            }
            _ => default_step_rate(running),
        };
        parts.steps += step_rate;
        parts.impact_bw_steps += step_rate * peak_grf_bw(running, v);
        if running {
            parts.running_s += 1.0;
        } else {
            parts.walking_s += 1.0;
        }
    }
    // A session logged by hand has no samples: its stated duration is
    // taken as moving time at its stated average speed (else the default).
    let logged_without_samples = tl.is_empty() && a.declared.timer_s.is_some();
    if let (true, Some(t)) = (logged_without_samples, a.declared.timer_s) {
        let v = a
            .declared
            .distance_m
            .map(|d| d / t)
            .filter(|v| *v > 0.0)
            .unwrap_or(default_speed);
        let running = is_running_gait(running_sport, v);
        let step_rate = default_step_rate(running);
        parts.steps = step_rate * t;
        parts.impact_bw_steps = parts.steps * peak_grf_bw(running, v);
        if running {
            parts.running_s = t;
        } else {
            parts.walking_s = t;
        }
    }
    let counted = crate::metrics::ascent::altitude_for_ascent(tl);
    let descent = counted
        .as_ref()
        .map(|(alt, _)| {
            crate::metrics::ascent::ascent_descent(
                alt.iter().copied(),
                crate::metrics::ascent::HYSTERESIS_M,
            )
            .1
        })
        .unwrap_or(0.0);
    parts.descent_m = a.declared.descent_m.unwrap_or(descent);
    let explanation = Explanation {
        method: "mechanical load: impact (steps × ground-reaction force) plus eccentric descent, scaled by the weight carried".into(),
        formula,
        inputs: vec![
            input("steps", format!("{:.0}", parts.steps), if parts.steps_from_cadence { "cadence (per-leg × 2) × time, held between readings up to 30 s" } else { "estimated: 170/min running, 110/min walking, × moving time" }),
            input("running / walking time", format!("{:.0} s / {:.0} s", parts.running_s, parts.walking_s), if logged_without_samples { "no samples: the logged duration, at the logged distance ÷ duration (else 2.8 m/s running, 1.3 m/s walking)" } else { "timeline, moving seconds, speed over the trailing 10 s (runner walking below 1.9 m/s)" }),
            input("impact", format!("{:.0} BW·steps → {:.1} MLU", parts.impact_bw_steps, parts.impact_mlu()), "computed"),
            input("descent", format!("{:.0} m → {:.1} MLU", parts.descent_m, parts.eccentric_mlu()), match (a.declared.descent_m, counted.as_ref().map(|c| c.1)) { (Some(_), _) => "file", (None, Some(crate::metrics::ascent::AscentMethod::Gps)) => "GPS altitude, filtered along the distance, 5 m hysteresis", _ => "altitude, 5 m hysteresis" }),
            resolved("body mass W", &th.body_mass, "kg"),
            input("pack L", format!("{pack:.1} kg"), "activity, else profile pack_mass"),
        ],
        reference,
        notes: vec!["calibration (cairn's assumption): 100 MLU = 1 h level running at 3 m/s; 1,000 m of descent = 100 MLU".into()],
    };
    (parts, explanation)
}
