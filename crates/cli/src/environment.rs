//! `altitude`, `heat`, `stay`, `weather`, `adjust`: the environment commands.

use crate::output::{json_out, table};
use crate::training::{parse_day, today};
use crate::units::UnitsInput;
use crate::units::{clock, Units};
use anyhow::Result;
use cairn_app::{day_text, AppError, Cairn};
use cairn_core::environment::altitude::{Stay, BANDS_M};
use cairn_core::environment::heat::{HeatCost, TempSource, DEVICE_BIAS_C};
use cairn_core::environment::{adjust, Conditions};
use std::io::Write;
use std::process::ExitCode;

/// A stay to add, as typed.
pub struct StayArgs<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub altitude: &'a str,
    pub sleep_altitude: Option<&'a str>,
    pub note: Option<&'a str>,
    pub units: crate::units::Units,
}

pub fn stay_add(cairn: &mut Cairn, a: StayArgs) -> Result<ExitCode> {
    let stay = Stay {
        id: 0,
        from_day: parse_day(a.from, "from")?,
        to_day: parse_day(a.to, "to")?,
        altitude_m: a.units.parse_altitude_m(a.altitude, "altitude")?,
        sleep_altitude_m: a
            .sleep_altitude
            .map(|s| a.units.parse_altitude_m(s, "sleep-altitude"))
            .transpose()?,
        note: a.note.map(str::to_string),
    };
    let s = cairn.add_stay(stay)?;
    outln!(
        "stay {}: {} to {} at {}{} ({} days)",
        s.id,
        day_text(s.from_day),
        day_text(s.to_day),
        a.units.elevation(Some(s.altitude_m)),
        s.sleep_altitude_m
            .map(|h| format!(", sleeping at {}", a.units.elevation(Some(h))))
            .unwrap_or_default(),
        s.to_day - s.from_day + 1
    );
    Ok(ExitCode::SUCCESS)
}

pub fn stay_list(cairn: &Cairn, as_json: bool, units: Units) -> Result<ExitCode> {
    let stays = cairn.stays()?;
    if as_json {
        return json_out(&stays);
    }
    if stays.is_empty() {
        outln!("no stays logged; add one with `cairn stay add --from DATE --to DATE --altitude M`");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    t.set_header(["id", "from", "to", "days", "altitude", "sleeping", "note"]);
    for s in &stays {
        t.add_row([
            s.id.to_string(),
            day_text(s.from_day),
            day_text(s.to_day),
            (s.to_day - s.from_day + 1).to_string(),
            units.elevation(Some(s.altitude_m)),
            units.elevation(s.sleep_altitude_m),
            s.note.clone().unwrap_or_default(),
        ]);
    }
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}

pub fn weather_import(
    cairn: &mut Cairn,
    path: &std::path::Path,
    as_json: bool,
) -> Result<ExitCode> {
    let bytes =
        std::fs::read(path).map_err(|e| AppError::Invalid(format!("{}: {e}", path.display())))?;
    let r = cairn.import_weather(&bytes, &path.display().to_string())?;
    if as_json {
        return json_out(&r);
    }
    outln!(
        "{} weather rows imported; {} on days with an activity.",
        r.rows,
        r.matched
    );
    if !r.unmatched_days.is_empty() {
        let shown: Vec<&str> = r
            .unmatched_days
            .iter()
            .take(8)
            .map(String::as_str)
            .collect();
        outln!(
            "{} day(s) have no activity yet ({}{}); their rows are kept and apply if you import those activities.",
            r.unmatched_days.len(),
            shown.join(", "),
            if r.unmatched_days.len() > 8 { ", …" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Today, and the day a projection runs to (today without `--until`).
fn today_and_until(now_ms: i64, until: Option<&str>) -> Result<(i32, i32)> {
    let today = today(now_ms);
    let until = until.map(|u| parse_day(u, "until")).transpose()?;
    Ok((today, until.unwrap_or(today)))
}

fn band_label(i: usize, units: Units) -> String {
    match BANDS_M.get(i + 1) {
        Some(top) => format!(
            "{}–{}",
            units
                .elevation(Some(BANDS_M[i]))
                .trim_end_matches(units.elevation_unit())
                .trim_end(),
            units.elevation(Some(*top))
        ),
        None => format!("≥{}", units.elevation(Some(BANDS_M[i]))),
    }
}

pub fn altitude(
    cairn: &mut Cairn,
    now_ms: i64,
    days: i32,
    until: Option<&str>,
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let (today, until) = today_and_until(now_ms, until)?;
    let r = cairn.altitude(today, until)?;
    if as_json {
        return json_out(&r);
    }
    let from = today - days + 1;
    let shown: Vec<_> = r
        .days
        .iter()
        .filter(|d| d.day >= from && d.day <= until.max(today))
        .collect();
    if shown.is_empty() {
        outln!(
            "No time at or above {} in the last {days} days.",
            units.elevation(Some(BANDS_M[1]))
        );
    } else {
        let mut t = table();
        let mut header = vec!["day".to_string()];
        header.extend((1..BANDS_M.len()).map(|i| band_label(i, units)));
        header.extend([
            format!("≥{}", units.elevation(Some(2000.0))),
            "dose km·h".into(),
            "highest".into(),
            "from".into(),
        ]);
        t.set_header(header);
        for d in &shown {
            let mut row = vec![day_text(d.day)];
            row.extend(d.band_h[1..].iter().map(|h| {
                if *h > 0.0 {
                    format!("{h:.1} h")
                } else {
                    "-".into()
                }
            }));
            row.push(format!("{:.1} h", d.hours_high));
            row.push(format!("{:.0}", d.dose_km_h));
            row.push(units.elevation(d.max_altitude_m));
            row.push(
                d.stay
                    .map(|s| format!("stay {s}"))
                    .unwrap_or_else(|| "activities".into()),
            );
            t.add_row(row);
        }
        outln!(
            "Altitude exposure, last {days} days{}:",
            if until > today {
                " and planned stays"
            } else {
                ""
            }
        );
        outln!("{t}");
    }
    outln!(
        "Hypoxic dose, all time: {:.0} km·h; {:.0} h at or above {}.",
        r.dose_km_h_total,
        r.hours_high_total,
        units.elevation(Some(2000.0))
    );
    outln!(
        "Haemoglobin mass today: about +{:.1} % above your baseline.",
        r.hbmass_today_pct
    );
    if until > today {
        if let Some((_, g)) = r.hbmass.iter().find(|p| p.0 == until) {
            outln!(
                "Projected for {}: about +{g:.1} % (counting the stays logged until then).",
                day_text(until)
            );
        }
    }
    outln!(
        "How: +1.1 % per 100 h at or above 2000 m (Gore 2013), up to +5.3 % after ~3 weeks; after descent the gain halves every 7 days, back near baseline within about two weeks (J Appl Physiol 2015). The popular \"red cells live 120 days, so the benefit lasts months\" is not what measurements show. Individual responses range from +1 to +6 % after 300 h."
    );
    Ok(ExitCode::SUCCESS)
}

fn source_text(s: TempSource) -> &'static str {
    match s {
        TempSource::Logged => "logged",
        TempSource::Weather => "weather",
        TempSource::Device => "device",
    }
}

pub fn heat(
    cairn: &mut Cairn,
    now_ms: i64,
    days: i32,
    until: Option<&str>,
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let (today, until) = today_and_until(now_ms, until)?;
    let r = cairn.heat(today, until)?.recent(days);
    if as_json {
        return json_out(&r);
    }
    let shown = &r.sessions;
    let mut t = table();
    t.set_header([
        "day",
        "activity",
        "sport",
        "minutes",
        "temperature",
        "dew point",
        "source",
        "heat",
    ]);
    for s in shown {
        t.add_row([
            day_text(s.day),
            s.id.to_string(),
            s.sport.clone(),
            format!("{:.0}", s.minutes),
            units.temperature(Some(s.conditions.temp_c)),
            units.temperature(s.conditions.dew_point_c),
            source_text(s.conditions.source).into(),
            if s.in_heat {
                "yes".into()
            } else {
                String::new()
            },
        ]);
    }
    if shown.is_empty() {
        outln!("No session with a temperature in the last {days} days.");
    } else {
        outln!("Sessions of the last {days} days:\n{t}");
    }
    outln!(
        "Heat acclimatisation today: {:.0} % of full.",
        r.acclimatisation_today * 100.0
    );
    if until > today {
        if let Some((_, s)) = r.acclimatisation.iter().find(|p| p.0 == until) {
            outln!(
                "On {} without more heat: {:.0} %.",
                day_text(until),
                s * 100.0
            );
        }
    }
    outln!(
        "How: each day with ≥60 min of exercise in heat closes 22 % of the gap to full (≈75 % after 5–6 days, Pandolf 1998); each day without heat loses 2.5 points (Daanen 2018). Heat means ≥{}, or temperature + dew point above 120 °F.",
        units.temperature(Some(cairn_core::environment::heat::HEAT_FROM_C))
    );
    if r.from_device > 0 {
        outln!(
            "{} sessions use the device's sensor, which reads high when worn; cairn takes {} off before judging heat. `cairn weather import FILE` or `cairn edit ID --temp {}` replace it.",
            r.from_device,
            units.temperature_change(DEVICE_BIAS_C),
            match units {
                Units::Metric => "C",
                Units::Imperial => "F",
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `cairn adjust`, as typed.
pub struct AdjustArgs {
    pub distance_m: f64,
    pub time_s: f64,
    pub from: Conditions,
    pub to: Conditions,
}

pub fn adjust_cmd(a: AdjustArgs, units: Units, as_json: bool) -> Result<ExitCode> {
    let r = adjust(a.distance_m, a.time_s, a.from, a.to).ok_or_else(|| {
        AppError::Invalid("the time or distance is outside the models' range".into())
    })?;
    if as_json {
        return json_out(&r);
    }
    let pace = |s: f64| units.pace_or_speed(Some(a.distance_m / s), false);
    let place = |c: &Conditions| {
        let mut p = units.elevation(Some(c.altitude_m));
        if let Some(t) = c.temp_c {
            p += &format!(", {}", units.temperature(Some(t)));
        }
        if let Some(d) = c.dew_point_c {
            p += &format!(" (dew point {})", units.temperature(Some(d)));
        }
        p
    };
    outln!(
        "{} over {} ({}) at {}:",
        clock(a.time_s),
        units.distance(Some(a.distance_m)),
        pace(a.time_s),
        place(&a.from)
    );
    // Going down, VO2max is higher: "-29.7 % lower" said the opposite.
    let change = (r.to_vo2max_loss - r.from_vo2max_loss) / (1.0 - r.from_vo2max_loss) * 100.0;
    outln!(
        "  at {}: {} ({}); VO2max {:.1} % {} than at {}",
        units.elevation(Some(a.to.altitude_m)),
        clock(r.altitude_time_s),
        pace(r.altitude_time_s),
        change.abs(),
        if change >= 0.0 { "lower" } else { "higher" },
        units.elevation(Some(a.from.altitude_m))
    );
    match r.heat {
        Some(HeatCost::NotAdvised) => outln!(
            "  at {}: temperature + dew point above 180 °F: hard running is not advised",
            place(&a.to)
        ),
        Some(HeatCost::Slower { low, high }) => outln!(
            "  at {}: {}–{} ({}–{}), {:.1}–{:.1} % slower for the heat",
            place(&a.to),
            clock(r.low_s),
            clock(r.high_s),
            pace(r.low_s),
            pace(r.high_s),
            low * 100.0,
            high * 100.0
        ),
        None if a.to.temp_c.is_some() => {
            outln!("  heat: give --dew-point or --humidity too; the table needs both")
        }
        None => {}
    }
    outln!("Altitude: Wehrlin & Hallén 2006 (−6.3 % VO2max per 1000 m above 300 m, acute) through Daniels' VDOT; heat: temperature + dew point table (Hadley), half of it for short repeats.");
    Ok(ExitCode::SUCCESS)
}
