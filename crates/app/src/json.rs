//! The JSON forms every interface shares (docs/json.md): the CLI's `--json`
//! and the web API serve these same values.

use crate::gear::ActivityGear;
use crate::ActivityDetail;
use cairn_store::ActivityRecord;
use serde_json::json;

/// An activity as `activities --json` prints it (SI units, null when unknown).
pub fn activity(a: &ActivityRecord, gear: Option<&ActivityGear>) -> serde_json::Value {
    let s = &a.summary;
    json!({
        "id": a.id,
        "source": a.source,
        "session_index": a.session_index,
        "multisport_group": a.multisport_group,
        "format": a.format,
        "sport": a.sport,
        "original_sport": a.original_sport,
        "name": a.name,
        "note": a.note,
        "deleted_time": a.deleted_time.map(cairn_core::time::rfc3339),
        "description": a.description,
        "gear": gear,
        "start_time": cairn_core::time::rfc3339(a.start_ms),
        "utc_offset_s": a.utc_offset_s,
        "device": a.device,
        "elapsed_s": s.elapsed_s,
        "timer_s": s.timer_s,
        "moving_s": s.moving_s,
        "distance_m": s.distance_m,
        "ascent_m": s.ascent_m,
        "descent_m": s.descent_m,
        "min_altitude_m": s.min_altitude_m,
        "max_altitude_m": s.max_altitude_m,
        "avg_speed_mps": s.avg_speed_mps,
        "max_speed_mps": s.max_speed_mps,
        "avg_hr_bpm": s.avg_hr_bpm,
        "max_hr_bpm": s.max_hr_bpm,
        "avg_power_w": s.avg_power_w,
        "max_power_w": s.max_power_w,
        "avg_cadence": s.avg_cadence,
        "calories_kcal": s.calories_kcal,
        "avg_temperature_c": s.avg_temperature_c,
        "samples": s.samples,
        "dropped_points": s.dropped_points,
        "ascent_method": s.ascent_method,
        "channels": s.channels,
        "computed": s.computed,
        "notes": s.notes,
        "laps": a.laps,
        "flags": a.flags,
        "duplicate_of": a.duplicate_of,
        "is_primary": a.is_primary,
        "sha256": a.file_sha256,
    })
}

/// One activity with its laps, splits, rejected efforts and time in zones,
/// as `show --json` prints it.
pub fn activity_detail(d: &ActivityDetail, gear: Option<&ActivityGear>) -> serde_json::Value {
    let mut v = activity(&d.record, gear);
    v["lap_list"] = serde_json::to_value(&d.lap_list).unwrap_or_default();
    v["splits"] = serde_json::to_value(&d.splits).unwrap_or_default();
    v["split_length_m"] = json!(d.split_length_m);
    v["rejected_efforts"] = json!(d.rejected_efforts);
    v["time_in_zones"] = serde_json::to_value(&d.time_in_zones).unwrap_or_default();
    v
}

/// Numbers to a millionth and no `-0` (docs/json.md), as every interface
/// serves them.
pub fn rounded(mut v: serde_json::Value) -> serde_json::Value {
    fn round(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Number(n) if n.is_f64() => {
                // `+ 0.0` turns a -0 (from rounding -0.0000001) into 0.
                if let Some(x) = n.as_f64().map(|x| (x * 1e6).round() / 1e6 + 0.0) {
                    if let Some(r) = serde_json::Number::from_f64(x) {
                        *n = r;
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(round),
            serde_json::Value::Object(o) => o.values_mut().for_each(round),
            _ => {}
        }
    }
    round(&mut v);
    v
}

/// Foster's weekly load, monotony and strain for the `n` seven-day blocks
/// ending on `today`, latest first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Week {
    pub last_day: String,
    pub load: f64,
    pub monotony: Option<f64>,
    pub strain: Option<f64>,
}

pub fn weeks(points: &[cairn_core::load::series::DayPoint], today: i32, n: i32) -> Vec<Week> {
    (0..n)
        .filter_map(|k| {
            let end = today - 7 * k;
            let days: Vec<f64> = points
                .iter()
                .filter(|p| p.day > end - 7 && p.day <= end)
                .map(|p| p.load)
                .collect();
            if days.len() < 7 {
                return None;
            }
            let (load, monotony, strain) = cairn_core::load::series::monotony_strain(&days);
            Some(Week {
                last_day: crate::day_text(end),
                load,
                monotony,
                strain,
            })
        })
        .collect()
}

/// Fitness, fatigue and form per dimension and sport from `from` to
/// `today`, with the last four weeks' load, monotony and strain, as
/// `form --json` prints them.
pub fn form(series: &[crate::training::Series], from: i32, today: i32) -> serde_json::Value {
    serde_json::Value::Array(
        series
            .iter()
            .map(|s| {
                let points: Vec<_> = s
                    .points
                    .iter()
                    .filter(|p| p.day >= from && p.day <= today)
                    .collect();
                json!({
                    "dimension": s.dimension, "sport": s.sport, "unit": s.unit,
                    "points": points, "weeks": weeks(&s.points, today, 4),
                })
            })
            .collect(),
    )
}

/// The active plan as `cairn plan show --json` prints it: the goal, the
/// notes, the chosen weeks each with its compliance, and every change.
pub fn plan(
    active: &crate::plan::ActivePlan,
    status: &[cairn_core::plan::adapt::WeekCompliance],
    weeks: &[usize],
) -> serde_json::Value {
    let p = &active.plan;
    let v: Vec<_> = weeks
        .iter()
        .map(|i| serde_json::json!({ "week": p.weeks[*i], "compliance": status[*i] }))
        .collect();
    serde_json::json!({ "id": active.id, "goal": p.goal, "notes": p.notes, "weeks": v, "changes": p.changes })
}
