//! `cairn add`, `delete`, `restore`, `merge`: corrections and sessions
//! logged by hand.

use crate::commands::now_ms;
use crate::output::json_out;
use crate::units::UnitsInput;
use crate::units::{invalid, Units};
use anyhow::Result;
use cairn_app::Cairn;
use cairn_core::decode::manual::ManualEntry;
use std::io::Write;
use std::process::ExitCode;

pub struct AddArgs<'a> {
    pub sport: &'a str,
    pub duration: &'a str,
    pub date: Option<&'a str>,
    pub start: Option<&'a str>,
    pub distance: Option<&'a str>,
    pub ascent: Option<&'a str>,
    pub descent: Option<&'a str>,
    pub hr: Option<f64>,
    pub rpe: Option<f64>,
    pub pack: Option<&'a str>,
    pub name: Option<&'a str>,
    pub today: i32,
    pub units: Units,
}

/// The start as a UTC instant and the local offset, from a local date and
/// time in the machine's time zone.
fn local_start(date: jiff::civil::Date, time: jiff::civil::Time) -> Result<(i64, i32)> {
    let zoned = date
        .to_datetime(time)
        .to_zoned(jiff::tz::TimeZone::system())?;
    Ok((zoned.timestamp().as_millisecond(), zoned.offset().seconds()))
}

pub fn add(cairn: &mut Cairn, a: &AddArgs<'_>, as_json: bool) -> Result<ExitCode> {
    let u = a.units;
    let duration_s = crate::units::parse_minutes_s(a.duration, "duration")?;
    let today = jiff::civil::Date::from(
        jiff::Timestamp::from_second(i64::from(a.today) * 86_400)?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .datetime(),
    );
    let date = match a.date {
        Some(d) => d
            .parse::<jiff::civil::Date>()
            .map_err(|e| invalid(format!("--date {d}: expected a date like 2026-12-01 ({e})")))?,
        None => today,
    };
    let (start_time, utc_offset_s) = match a.start {
        Some(t) => {
            let time = t.parse::<jiff::civil::Time>().map_err(|e| {
                invalid(format!(
                    "--start {t}: expected a local time like 18:30 ({e})"
                ))
            })?;
            local_start(date, time)?
        }
        // Logged today without a time: it has just ended.
        None if date == today && a.date.is_none() => {
            let start = now_ms() - (duration_s * 1000.0) as i64;
            let offset = jiff::Timestamp::from_millisecond(start)?
                .to_zoned(jiff::tz::TimeZone::system())
                .offset()
                .seconds();
            (start, offset)
        }
        None => local_start(date, jiff::civil::time(12, 0, 0, 0))?,
    };
    let entry = ManualEntry {
        cairn_manual_activity: 1,
        sport: a.sport.to_string(),
        start_time,
        utc_offset_s: Some(utc_offset_s),
        duration_s,
        distance_m: a
            .distance
            .map(|d| u.parse_distance_m(d, "distance"))
            .transpose()?,
        ascent_m: a.ascent.map(|v| u.parse_climb_m(v, "ascent")).transpose()?,
        descent_m: a
            .descent
            .map(|v| u.parse_climb_m(v, "descent"))
            .transpose()?,
        avg_hr_bpm: a.hr,
        name: a.name.map(str::to_string).filter(|n| !n.trim().is_empty()),
        rpe: a.rpe,
        pack_kg: a.pack.map(|p| u.parse_mass_kg(p, "pack")).transpose()?,
    };
    if cairn_core::model::Sport::from_id(a.sport).is_none() {
        return Err(invalid(format!(
            "unknown sport '{}'; one of: {}",
            a.sport,
            cairn_core::model::Sport::ALL
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let logged = cairn.log_session(&entry, now_ms())?;
    if as_json {
        return json_out(&logged);
    }
    let id = logged.activity_id;
    if logged.already_logged {
        outln!("this session was logged before, as activity {id}: nothing added");
        return Ok(ExitCode::SUCCESS);
    }
    let r = cairn.activity(id)?;
    let mut parts = vec![crate::units::duration(Some(duration_s))];
    if entry.distance_m.is_some() {
        parts.push(u.distance(entry.distance_m));
    }
    if entry.ascent_m.is_some() {
        parts.push(format!("↑ {}", u.elevation(entry.ascent_m)));
    }
    if let Some(rpe) = entry.rpe {
        parts.push(format!("RPE {rpe}"));
    }
    if entry.pack_kg.is_some() {
        parts.push(format!("pack {}", u.mass(entry.pack_kg)));
    }
    outln!(
        "logged activity {id}: {} {} · {}",
        r.sport,
        cairn_app::day_text(cairn_app::training::local_day(&r)),
        parts.join(" · ")
    );
    if let Some(other) = logged.duplicate_of {
        outln!(
            "it overlaps activity {other}, so it is kept as a probable duplicate and does not count; `cairn primary {id}` makes it the one that counts, `cairn delete {id}` removes it"
        );
    }
    if entry.rpe.is_none() && entry.avg_hr_bpm.is_none() {
        outln!(
            "no effort given: its aerobic load is unknown until rated (cairn rate {id} --rpe 1-10)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn delete(cairn: &mut Cairn, id: i64) -> Result<ExitCode> {
    let d = cairn.delete(id, now_ms())?;
    outln!("deleted activity {id}: it no longer counts anywhere; its original file and your notes are kept (cairn restore {id} undoes it)");
    if let Some(other) = d.now_counted {
        outln!("activity {other}, another copy of the same session, counts instead");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn restore(cairn: &mut Cairn, id: i64) -> Result<ExitCode> {
    let a = cairn.restore(id)?;
    match (a.is_primary, a.duplicate_of) {
        (false, Some(other)) => outln!(
            "restored activity {id}, as a duplicate of activity {other} which counts (cairn primary {id} swaps them)"
        ),
        _ => outln!("restored activity {id}"),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn merge(cairn: &mut Cairn, keep: i64, other: i64) -> Result<ExitCode> {
    let m = cairn.merge(keep, other, now_ms())?;
    outln!(
        "merged activity {other} into {keep}: {keep} counts{}; {other} is deleted (cairn restore {other} brings it back)",
        if m.carried.is_empty() {
            String::new()
        } else {
            format!(" and took {}", m.carried.join(", "))
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub struct SplitArgs<'a> {
    pub at: Option<&'a str>,
    pub after: Option<&'a str>,
    pub sport: Option<&'a str>,
    pub undo: bool,
}

/// The cut as a UTC instant: a local time on the activity's day (the next
/// day if that is before the start), a local date and time, or a time from
/// the start.
fn cut_ms(a: &cairn_store::ActivityRecord, s: &SplitArgs<'_>) -> Result<i64> {
    let offset_ms = i64::from(a.utc_offset_s.unwrap_or(0)) * 1000;
    if let Some(after) = s.after {
        // "90s" as well as "45min" or "1h05".
        let secs = match after
            .trim()
            .strip_suffix('s')
            .and_then(|n| n.trim().parse::<f64>().ok())
        {
            Some(secs) if secs.is_finite() && secs >= 0.0 => secs,
            _ => crate::units::parse_minutes_s(after, "after")?,
        };
        return Ok(a.start_ms + (secs * 1000.0) as i64);
    }
    let Some(at) = s.at else {
        return Err(invalid(
            "say where to cut: --at 10:32 (local time) or --after 45min".into(),
        ));
    };
    let local_start = jiff::Timestamp::from_millisecond(a.start_ms + offset_ms)?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .datetime();
    let local = if let Ok(dt) = at.parse::<jiff::civil::DateTime>() {
        dt
    } else {
        let time = at.parse::<jiff::civil::Time>().map_err(|e| {
            invalid(format!(
                "--at {at}: expected a local time like 10:32 or 2026-11-20T10:32 ({e})"
            ))
        })?;
        let same_day = local_start.date().to_datetime(time);
        if same_day < local_start {
            same_day.checked_add(jiff::Span::new().days(1))?
        } else {
            same_day
        }
    };
    let ms = local
        .to_zoned(jiff::tz::TimeZone::UTC)?
        .timestamp()
        .as_millisecond();
    Ok(ms - offset_ms)
}

fn part_text(p: &cairn_store::ActivityRecord, units: Units) -> String {
    format!(
        "activity {} · {} · {} · {}",
        p.id,
        p.sport,
        units.distance(p.summary.distance_m),
        crate::units::duration(p.summary.moving_s)
    )
}

pub fn split(cairn: &mut Cairn, id: i64, s: &SplitArgs<'_>, units: Units) -> Result<ExitCode> {
    if s.undo {
        let whole = cairn.unsplit(id, now_ms())?;
        outln!(
            "put the recording back together: {} (the first part's name, note and rating carried over)",
            part_text(&whole, units)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let a = cairn.activity(id)?;
    let sport_after = match s.sport {
        Some(word) => cairn_core::model::Sport::from_id(word).ok_or_else(|| {
            invalid(format!(
                "--sport {word}: one of {}",
                cairn_core::model::Sport::ALL
                    .iter()
                    .map(|s| s.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
        None => {
            cairn_core::model::Sport::from_id(&a.sport).unwrap_or(cairn_core::model::Sport::Other)
        }
    };
    let at = cut_ms(&a, s)?;
    let parts = cairn.split(id, at, sport_after, now_ms())?;
    let texts: Vec<String> = parts.iter().map(|p| part_text(p, units)).collect();
    outln!("split activity {id} into {}", texts.join(" and "));
    outln!(
        "the original file is unchanged; cairn split {} --undo puts the parts back together",
        parts[0].id
    );
    Ok(ExitCode::SUCCESS)
}
