//! Altitude and heat use cases: stays, weather, the conditions of each
//! session, exposure and acclimatisation by day.

use crate::{day_text, training::local_day, AppError, Cairn, Result};
use cairn_core::environment::altitude::{
    check_stay, daily_exposure, hbmass_course, AltitudeExposure, DayExposure, Stay,
};
use cairn_core::environment::heat::{
    acclimatisation_course, dew_point_c, is_heat, TempSource, PLAUSIBLE_TEMP_C,
};
use cairn_core::load::facts::ActivityFacts;
use cairn_core::load::session::parse_day;
use cairn_store::{ActivityFilter, ActivityRecord, WeatherRow};
use serde::Serialize;
use std::collections::BTreeMap;

/// A session's temperature and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SessionConditions {
    pub temp_c: f64,
    pub dew_point_c: Option<f64>,
    pub source: TempSource,
}

/// Exposure by day, and the haemoglobin-mass course.
#[derive(Debug, Clone, Serialize)]
pub struct AltitudeReport {
    pub days: Vec<DayExposure>,
    pub stays: Vec<Stay>,
    /// (day, % above baseline) from the first exposure to `until`.
    #[serde(with = "cairn_core::time::json::day_pairs")]
    pub hbmass: Vec<(i32, f64)>,
    #[serde(with = "cairn_core::time::json::day")]
    pub today: i32,
    pub hbmass_today_pct: f64,
    pub dose_km_h_total: f64,
    pub hours_high_total: f64,
}

/// One session judged for heat.
#[derive(Debug, Clone, Serialize)]
pub struct HeatSession {
    pub id: i64,
    #[serde(with = "cairn_core::time::json::day")]
    pub day: i32,
    pub sport: String,
    pub minutes: f64,
    #[serde(flatten)]
    pub conditions: SessionConditions,
    pub in_heat: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeatReport {
    pub sessions: Vec<HeatSession>,
    /// (day, 0–1) from the first session in heat to `until`.
    #[serde(with = "cairn_core::time::json::day_pairs")]
    pub acclimatisation: Vec<(i32, f64)>,
    #[serde(with = "cairn_core::time::json::day")]
    pub today: i32,
    pub acclimatisation_today: f64,
    /// Sessions whose temperature is the device's (reads high when worn).
    pub from_device: usize,
}

/// Days of sessions `cairn heat` and `/api/v1/heat` list unless asked.
pub const HEAT_DAYS: i32 = 30;

impl HeatReport {
    /// The sessions of the `days` days ending today and the course from
    /// the first of them on: what is listed. Acclimatisation fades within
    /// weeks, so older heat shows only through today's state.
    pub fn recent(mut self, days: i32) -> HeatReport {
        let from = self.today - days.max(1) + 1;
        self.sessions
            .retain(|s| s.day >= from && s.day <= self.today);
        self.acclimatisation.retain(|p| p.0 >= from);
        self.from_device = self
            .sessions
            .iter()
            .filter(|s| s.conditions.source == TempSource::Device)
            .count();
        self
    }
}

/// What a weather import did.
#[derive(Debug, Clone, Serialize)]
pub struct WeatherImport {
    pub rows: usize,
    /// Rows whose day has an activity.
    pub matched: usize,
    /// Days with no activity (kept: they apply if such activities are imported).
    pub unmatched_days: Vec<String>,
}

/// Checks an air temperature and returns the dew point, given directly or
/// derived from relative humidity (not both); errors say which value is wrong.
pub fn checked_dew_point(
    temp_c: f64,
    dew_c: Option<f64>,
    humidity_pct: Option<f64>,
) -> Result<Option<f64>> {
    let outside =
        |what: &str, t: f64| AppError::Invalid(format!("{what} {t} °C is outside −60…60 °C"));
    if !PLAUSIBLE_TEMP_C.contains(&temp_c) {
        return Err(outside("temperature", temp_c));
    }
    match (dew_c, humidity_pct) {
        (Some(_), Some(_)) => Err(AppError::Invalid(
            "give a dew point or a humidity, not both".into(),
        )),
        (Some(d), None) if !PLAUSIBLE_TEMP_C.contains(&d) => Err(outside("dew point", d)),
        // Air cannot hold more water than saturation: dew point ≤ temperature.
        (Some(d), None) if d > temp_c + 0.5 => Err(AppError::Invalid(format!(
            "dew point {d} °C is above the air temperature {temp_c} °C"
        ))),
        (Some(d), None) => Ok(Some(d)),
        (None, Some(h)) if (1.0..=100.0).contains(&h) => Ok(Some(dew_point_c(temp_c, h))),
        (None, Some(h)) => Err(AppError::Invalid(format!(
            "humidity {h} % is outside 1–100 %"
        ))),
        (None, None) => Ok(None),
    }
}

/// Parses a weather CSV: a header naming `date`, `temp_c` (or
/// `temperature`), and optionally `place`, `dew_point_c` (or `dew_point`)
/// or `humidity_pct` (or `humidity`). Every row is checked before any is kept.
pub fn parse_weather(bytes: &[u8], file: &str) -> Result<Vec<WeatherRow>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| AppError::Invalid(format!("{file}: cannot read the header line ({e})")))?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let date = col(&["date", "day"]).ok_or_else(|| {
        AppError::Invalid(format!(
            "{file}: line 1: expected a `date` column (YYYY-MM-DD)"
        ))
    })?;
    let temp = col(&["temp_c", "temperature", "temperature_c", "temp"]).ok_or_else(|| {
        AppError::Invalid(format!("{file}: line 1: expected a `temp_c` column (°C)"))
    })?;
    let place = col(&["place", "location"]);
    let dew = col(&["dew_point_c", "dew_point", "dewpoint"]);
    let humidity = col(&["humidity_pct", "humidity", "rh"]);
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| AppError::Invalid(format!("{file}: line {line}: {e}")))?;
        let field = |c: usize| rec.get(c).unwrap_or("").trim();
        let number = |c: usize, what: &str| -> Result<Option<f64>> {
            let t = field(c);
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>().map(Some).map_err(|_| {
                AppError::Invalid(format!("{file}: line {line}: {what} `{t}` is not a number"))
            })
        };
        let day = parse_day(field(date)).ok_or_else(|| {
            AppError::Invalid(format!(
                "{file}: line {line}: date `{}` is not a date like 2026-07-14",
                field(date)
            ))
        })?;
        let temp_c = number(temp, "temperature")?.ok_or_else(|| {
            AppError::Invalid(format!("{file}: line {line}: the temperature is missing"))
        })?;
        let dew = dew.map(|c| number(c, "dew point")).transpose()?.flatten();
        let humidity = humidity
            .map(|c| number(c, "humidity"))
            .transpose()?
            .flatten();
        let dew_point_c = checked_dew_point(temp_c, dew, humidity)
            .map_err(|e| AppError::Invalid(format!("{file}: line {line}: {e}")))?;
        rows.push(WeatherRow {
            day,
            place: place.map(|c| field(c).to_string()).unwrap_or_default(),
            temp_c,
            dew_point_c,
        });
    }
    if rows.is_empty() {
        return Err(AppError::Invalid(format!(
            "{file}: no weather rows after the header"
        )));
    }
    Ok(rows)
}

impl Cairn {
    pub fn stays(&self) -> Result<Vec<Stay>> {
        Ok(self.store.stays(self.athlete)?)
    }

    /// Logs a stay at altitude; refuses overlaps and impossible values.
    pub fn add_stay(&mut self, mut stay: Stay) -> Result<Stay> {
        let existing = self.store.stays(self.athlete)?;
        check_stay(&stay, &existing, day_text).map_err(|e| AppError::Invalid(e.to_string()))?;
        stay.id = self.store.add_stay(self.athlete, &stay)?;
        Ok(stay)
    }

    pub fn remove_stay(&mut self, id: i64) -> Result<()> {
        if !self.store.remove_stay(self.athlete, id)? {
            return Err(AppError::NotFound(format!(
                "there is no stay {id}; `cairn stay list` shows them"
            )));
        }
        Ok(())
    }

    /// Logs the air temperature (and dew point) of a session.
    pub fn set_conditions(&mut self, id: i64, temp_c: f64, dew_point_c: Option<f64>) -> Result<()> {
        checked_dew_point(temp_c, dew_point_c, None)?;
        Ok(self
            .store
            .set_conditions(self.athlete, id, Some(temp_c), dew_point_c)?)
    }

    /// Imports a weather CSV (all rows or none).
    pub fn import_weather(&mut self, bytes: &[u8], file: &str) -> Result<WeatherImport> {
        let rows = parse_weather(bytes, file)?;
        let days: std::collections::HashSet<i32> = self
            .store
            .activities(self.athlete, &ActivityFilter::default())?
            .iter()
            .map(local_day)
            .collect();
        self.store.put_weather(self.athlete, &rows)?;
        let mut unmatched: Vec<i32> = rows
            .iter()
            .map(|r| r.day)
            .filter(|d| !days.contains(d))
            .collect();
        unmatched.sort_unstable();
        unmatched.dedup();
        Ok(WeatherImport {
            rows: rows.len(),
            matched: rows.iter().filter(|r| days.contains(&r.day)).count(),
            unmatched_days: unmatched.into_iter().map(day_text).collect(),
        })
    }

    /// Each primary activity's facts, the input of the environment views.
    pub(crate) fn primary_facts(&mut self) -> Result<Vec<(ActivityRecord, ActivityFacts)>> {
        let records = self
            .store
            .activities(self.athlete, &ActivityFilter::default())?;
        Ok(self
            .facts_for(&records)?
            .into_iter()
            .filter(|(r, _)| r.is_primary)
            .collect())
    }

    /// The conditions of each activity: logged, else the weather of its day
    /// (the row whose place the activity's name mentions, else the first),
    /// else the device's sensor.
    pub fn conditions(
        &mut self,
        facts: &[(ActivityRecord, ActivityFacts)],
    ) -> Result<BTreeMap<i64, SessionConditions>> {
        let notes = self.store.notes(self.athlete)?;
        let mut weather: BTreeMap<i32, Vec<WeatherRow>> = BTreeMap::new();
        for w in self.store.weather(self.athlete)? {
            weather.entry(w.day).or_default().push(w);
        }
        let mut out = BTreeMap::new();
        for (r, f) in facts {
            let logged = notes.get(&r.id).and_then(|n| {
                Some(SessionConditions {
                    temp_c: n.temp_c?,
                    dew_point_c: n.dew_point_c,
                    source: TempSource::Logged,
                })
            });
            let from_weather = || {
                let rows = weather.get(&local_day(r))?;
                let name = r.name.as_deref().unwrap_or("").to_lowercase();
                let row = rows
                    .iter()
                    .find(|w| !w.place.is_empty() && name.contains(&w.place.to_lowercase()))
                    .or_else(|| rows.first())?;
                Some(SessionConditions {
                    temp_c: row.temp_c,
                    dew_point_c: row.dew_point_c,
                    source: TempSource::Weather,
                })
            };
            let device = || {
                Some(SessionConditions {
                    temp_c: f
                        .efficiency
                        .device_temp_c
                        .filter(|t| PLAUSIBLE_TEMP_C.contains(t))?,
                    dew_point_c: None,
                    source: TempSource::Device,
                })
            };
            if let Some(c) = logged.or_else(from_weather).or_else(device) {
                out.insert(r.id, c);
            }
        }
        Ok(out)
    }

    /// Exposure by day from activities and stays; the haemoglobin-mass
    /// course to `until` (a later day projects, counting planned stays).
    pub fn altitude(&mut self, today: i32, until: i32) -> Result<AltitudeReport> {
        self.memoized(format!("altitude {today} {until}"), move |c| {
            c.compute_altitude(today, until)
        })
    }

    fn compute_altitude(&mut self, today: i32, until: i32) -> Result<AltitudeReport> {
        let facts = self.primary_facts()?;
        let acts: Vec<(i32, AltitudeExposure)> = facts
            .iter()
            .filter(|(_, f)| f.altitude.hours() > 0.0)
            .map(|(r, f)| (local_day(r), f.altitude.clone()))
            .collect();
        let stays = self.store.stays(self.athlete)?;
        let days = daily_exposure(&acts, &stays);
        let first = days.keys().next().copied().unwrap_or(today);
        let hbmass = hbmass_course(&days, first.min(today), until.max(today));
        let hbmass_today_pct = hbmass.iter().find(|p| p.0 == today).map_or(0.0, |p| p.1);
        let exposed: Vec<DayExposure> = days
            .into_values()
            .filter(|d| d.dose_km_h > 0.0 || d.hours_high > 0.0)
            .collect();
        Ok(AltitudeReport {
            dose_km_h_total: exposed.iter().map(|d| d.dose_km_h).sum(),
            hours_high_total: exposed.iter().map(|d| d.hours_high).sum(),
            days: exposed,
            stays,
            hbmass,
            today,
            hbmass_today_pct,
        })
    }

    /// Sessions judged for heat and the acclimatisation course to `until`.
    pub fn heat(&mut self, today: i32, until: i32) -> Result<HeatReport> {
        self.memoized(format!("heat {today} {until}"), move |c| {
            c.compute_heat(today, until)
        })
    }

    fn compute_heat(&mut self, today: i32, until: i32) -> Result<HeatReport> {
        let facts = self.primary_facts()?;
        let conditions = self.conditions(&facts)?;
        let mut sessions = Vec::new();
        let mut heat_min: BTreeMap<i32, f64> = BTreeMap::new();
        for (r, _) in &facts {
            let Some(c) = conditions.get(&r.id) else {
                continue;
            };
            let minutes = r.summary.moving_s.or(r.summary.timer_s).unwrap_or(0.0) / 60.0;
            let in_heat = is_heat(c.temp_c, c.dew_point_c, c.source);
            if in_heat {
                *heat_min.entry(local_day(r)).or_default() += minutes;
            }
            sessions.push(HeatSession {
                id: r.id,
                day: local_day(r),
                sport: r.sport.clone(),
                minutes,
                conditions: *c,
                in_heat,
            });
        }
        let first = heat_min.keys().next().copied().unwrap_or(today);
        let course = acclimatisation_course(&heat_min, first.min(today), until.max(today));
        let acclimatisation_today = course.iter().find(|p| p.0 == today).map_or(0.0, |p| p.1);
        Ok(HeatReport {
            from_device: sessions
                .iter()
                .filter(|s| s.conditions.source == TempSource::Device)
                .count(),
            sessions,
            acclimatisation: course,
            today,
            acclimatisation_today,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weather_rows_with_dew_point_or_humidity() {
        let csv = b"date,place,temp_c,humidity_pct\n2026-07-14,Home,30,50\n2026-07-15,Home,28,\n";
        let rows = parse_weather(csv, "w.csv").unwrap();
        assert_eq!(rows.len(), 2);
        assert!((rows[0].dew_point_c.unwrap() - dew_point_c(30.0, 50.0)).abs() < 1e-9);
        assert_eq!(rows[1].dew_point_c, None);
        assert_eq!(rows[0].place, "Home");
    }

    #[test]
    fn bad_weather_rows_name_the_line() {
        let err = |csv: &[u8]| parse_weather(csv, "w.csv").unwrap_err().to_string();
        assert!(err(b"date,temp_c\n2026-07-14,75\n").contains("line 2: temperature 75"));
        assert!(err(b"date,temp_c\n2026-07-14,20\n14/07/2026,20\n")
            .contains("line 3: date `14/07/2026`"));
        assert!(err(b"date,temp_c,dew_point_c\n2026-07-14,20,25\n")
            .contains("above the air temperature"));
        assert!(err(b"when,temp_c\n2026-07-14,20\n").contains("`date` column"));
        assert!(err(b"date,temp_c\n").contains("no weather rows"));
        assert!(err(b"date,temp_c,humidity\n2026-07-14,20,140\n").contains("humidity 140"));
        assert!(err(b"date,temp_c\n2026-07-14,warm\n").contains("`warm` is not a number"));
    }
}
