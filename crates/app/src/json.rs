//! The JSON forms every interface shares (docs/json.md): the CLI's `--json`
//! and the web API serve these same values.

use crate::gear::ActivityGear;
use crate::ActivityDetail;
use cairn_store::ActivityRecord;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// An activity as `activities --json` prints it (SI units, null when
/// unknown): the record with its summary's fields beside the others.
#[derive(Debug, Clone, Copy)]
pub struct ActivityJson<'a> {
    pub record: &'a ActivityRecord,
    pub gear: Option<&'a ActivityGear>,
}

pub fn activity<'a>(a: &'a ActivityRecord, gear: Option<&'a ActivityGear>) -> ActivityJson<'a> {
    ActivityJson { record: a, gear }
}

impl ActivityJson<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let a = self.record;
        let s = &a.summary;
        m.serialize_entry("id", &a.id)?;
        m.serialize_entry("source", &a.source)?;
        m.serialize_entry("session_index", &a.session_index)?;
        m.serialize_entry("multisport_group", &a.multisport_group)?;
        m.serialize_entry("format", &a.format)?;
        m.serialize_entry("sport", &a.sport)?;
        m.serialize_entry("original_sport", &a.original_sport)?;
        m.serialize_entry("name", &a.name)?;
        m.serialize_entry("note", &a.note)?;
        m.serialize_entry(
            "deleted_time",
            &a.deleted_time.map(cairn_core::time::rfc3339),
        )?;
        m.serialize_entry("description", &a.description)?;
        m.serialize_entry("gear", &self.gear)?;
        m.serialize_entry("start_time", &cairn_core::time::rfc3339(a.start_ms))?;
        m.serialize_entry("utc_offset_s", &a.utc_offset_s)?;
        m.serialize_entry("device", &a.device)?;
        m.serialize_entry("elapsed_s", &s.elapsed_s)?;
        m.serialize_entry("timer_s", &s.timer_s)?;
        m.serialize_entry("moving_s", &s.moving_s)?;
        m.serialize_entry("distance_m", &s.distance_m)?;
        m.serialize_entry("ascent_m", &s.ascent_m)?;
        m.serialize_entry("descent_m", &s.descent_m)?;
        m.serialize_entry("min_altitude_m", &s.min_altitude_m)?;
        m.serialize_entry("max_altitude_m", &s.max_altitude_m)?;
        m.serialize_entry("avg_speed_mps", &s.avg_speed_mps)?;
        m.serialize_entry("max_speed_mps", &s.max_speed_mps)?;
        m.serialize_entry("avg_hr_bpm", &s.avg_hr_bpm)?;
        m.serialize_entry("max_hr_bpm", &s.max_hr_bpm)?;
        m.serialize_entry("avg_power_w", &s.avg_power_w)?;
        m.serialize_entry("max_power_w", &s.max_power_w)?;
        m.serialize_entry("avg_cadence", &s.avg_cadence)?;
        m.serialize_entry("calories_kcal", &s.calories_kcal)?;
        m.serialize_entry("avg_temperature_c", &s.avg_temperature_c)?;
        m.serialize_entry("samples", &s.samples)?;
        m.serialize_entry("dropped_points", &s.dropped_points)?;
        m.serialize_entry("ascent_method", &s.ascent_method)?;
        m.serialize_entry("channels", &s.channels)?;
        m.serialize_entry("computed", &s.computed)?;
        m.serialize_entry("notes", &s.notes)?;
        m.serialize_entry("laps", &a.laps)?;
        m.serialize_entry("flags", &a.flags)?;
        m.serialize_entry("duplicate_of", &a.duplicate_of)?;
        m.serialize_entry("is_primary", &a.is_primary)?;
        m.serialize_entry("sha256", &a.file_sha256)
    }
}

impl Serialize for ActivityJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        self.entries(&mut m)?;
        m.end()
    }
}

/// One activity with its laps, splits, rejected efforts and time in zones,
/// as `show --json` prints it.
#[derive(Debug, Clone, Copy)]
pub struct ActivityDetailJson<'a> {
    pub detail: &'a ActivityDetail,
    pub gear: Option<&'a ActivityGear>,
}

pub fn activity_detail<'a>(
    d: &'a ActivityDetail,
    gear: Option<&'a ActivityGear>,
) -> ActivityDetailJson<'a> {
    ActivityDetailJson { detail: d, gear }
}

impl Serialize for ActivityDetailJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.detail;
        let mut m = serializer.serialize_map(None)?;
        activity(&d.record, self.gear).entries(&mut m)?;
        m.serialize_entry("lap_list", &d.lap_list)?;
        m.serialize_entry("splits", &d.splits)?;
        m.serialize_entry("split_length_m", &d.split_length_m)?;
        m.serialize_entry("rejected_efforts", &d.rejected_efforts)?;
        m.serialize_entry("time_in_zones", &d.time_in_zones)?;
        m.end()
    }
}

/// A float as every interface writes it: to a millionth (sensor values are
/// far coarser, and `2782.2000000000003` helps nobody), and no `-0`.
pub fn round6(x: f64) -> f64 {
    // `+ 0.0` turns a -0 (from rounding -0.0000001) into 0.
    let r = (x * 1e6).round() / 1e6 + 0.0;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// serde_json's compact form with every float through [`round6`].
struct Millionths;

impl serde_json::ser::Formatter for Millionths {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, x: f64) -> std::io::Result<()> {
        serde_json::ser::CompactFormatter.write_f64(w, round6(x))
    }

    fn write_f32<W: ?Sized + std::io::Write>(&mut self, w: &mut W, x: f32) -> std::io::Result<()> {
        self.write_f64(w, f64::from(x))
    }
}

/// `v` as compact JSON, rounded as [`rounded`] rounds, written straight
/// from the types: building a `Value` first and dropping it took a fifth of
/// an activity request's time on the server.
pub fn to_vec(v: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    v.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, Millionths,
    ))?;
    Ok(out)
}

/// Numbers to a millionth and no `-0` (docs/json.md), as every interface
/// serves them.
pub fn rounded(mut v: serde_json::Value) -> serde_json::Value {
    fn round(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Number(n) if n.is_f64() => {
                if let Some(r) = n
                    .as_f64()
                    .map(round6)
                    .and_then(serde_json::Number::from_f64)
                {
                    *n = r;
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
pub fn form(series: &[crate::training::Series], from: i32, today: i32) -> Vec<FormSeries<'_>> {
    series
        .iter()
        .map(|s| FormSeries {
            dimension: s.dimension,
            sport: s.sport,
            unit: s.unit,
            points: s
                .points
                .iter()
                .filter(|p| p.day >= from && p.day <= today)
                .collect(),
            weeks: weeks(&s.points, today, 4),
        })
        .collect()
}

/// One dimension's (and sport's) series in [`form`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct FormSeries<'a> {
    pub dimension: &'static str,
    pub sport: Option<&'static str>,
    pub unit: &'static str,
    pub points: Vec<&'a cairn_core::load::series::DayPoint>,
    pub weeks: Vec<Week>,
}

/// The active plan as `cairn plan show --json` prints it: the goal, the
/// notes, the chosen weeks each with its compliance, and every change.
pub fn plan<'a>(
    active: &'a crate::plan::ActivePlan,
    status: &'a [cairn_core::plan::adapt::WeekCompliance],
    weeks: &[usize],
) -> PlanJson<'a> {
    let p = &active.plan;
    PlanJson {
        id: active.id,
        goal: &p.goal,
        notes: &p.notes,
        weeks: weeks
            .iter()
            .map(|i| PlanWeekJson {
                week: &p.weeks[*i],
                compliance: &status[*i],
            })
            .collect(),
        changes: &p.changes,
    }
}

/// [`plan`]'s document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanJson<'a> {
    pub id: i64,
    pub goal: &'a cairn_core::plan::Goal,
    pub notes: &'a [String],
    pub weeks: Vec<PlanWeekJson<'a>>,
    pub changes: &'a [cairn_core::plan::Change],
}

/// One week of [`PlanJson`] with how it went.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanWeekJson<'a> {
    pub week: &'a cairn_core::plan::Week,
    pub compliance: &'a cairn_core::plan::adapt::WeekCompliance,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Fields in alphabetical order, the order a `Value`'s map keeps.
    #[derive(serde::Serialize)]
    struct Sample {
        list: Vec<Option<f64>>,
        n: i64,
        x: f64,
        y: Option<f32>,
    }

    proptest! {
        /// Writing straight from the types gives the bytes the `Value`
        /// path (`to_value` then [`rounded`]) gives, -0, NaN and huge
        /// values included.
        #[test]
        fn the_direct_writer_rounds_as_the_value_path_does(
            x in prop_oneof![any::<f64>(), -1e-7..1e-7f64, Just(-0.0), Just(f64::NAN), Just(1e305)],
            y in proptest::option::of(any::<f32>()),
            list in proptest::collection::vec(proptest::option::of(-1e9..1e9f64), 0..20),
            n in any::<i64>(),
        ) {
            // Bytes, not parsed values: serde_json's parser may land one
            // unit in the last place off on huge exponents.
            let v = Sample { list, n, x, y };
            let direct = String::from_utf8(to_vec(&v).unwrap()).unwrap();
            let via_value = serde_json::to_string(&rounded(serde_json::to_value(&v).unwrap())).unwrap();
            prop_assert_eq!(direct, via_value);
        }
    }
}
