//! `cairn gear`: shoes and bikes, what each has carried, and when to retire it.

use crate::output::{json_out, table};
use crate::units::UnitsInput;
use crate::units::{duration, invalid, Units};
use crate::GearAction;
use anyhow::Result;
use cairn_app::gear::NewGear;
use cairn_app::{day_text, Cairn};
use cairn_core::gear::GearKind;
use std::io::Write;
use std::process::ExitCode;

/// The word that stands for "no gear" in `cairn gear assign`.
const NO_GEAR: &str = "none";

fn sport_words(list: &str) -> Vec<String> {
    list.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `today` is the retirement day when `--on` is not given.
pub fn run(cairn: &mut Cairn, action: &GearAction, units: Units, today: i32) -> Result<ExitCode> {
    match action {
        GearAction::Add {
            name,
            kind,
            default,
            retire_at,
            since,
            used,
        } => {
            if name.trim().eq_ignore_ascii_case(NO_GEAR) {
                return Err(invalid(format!(
                    "'{NO_GEAR}' stands for no gear in cairn gear assign; choose another name"
                )));
            }
            let kind = GearKind::from_id(kind)
                .ok_or_else(|| invalid(format!("--kind {kind}: one of shoes, bike, other")))?;
            let new = NewGear {
                name: name.clone(),
                kind,
                default_for: default.as_deref().map(sport_words).unwrap_or_default(),
                from_day: since
                    .as_deref()
                    .map(|d| crate::training::parse_day(d, "since"))
                    .transpose()?,
                retire_at_m: retire_at
                    .as_deref()
                    .map(|d| units.parse_distance_m(d, "retire-at"))
                    .transpose()?,
                initial_distance_m: used
                    .as_deref()
                    .map(|d| units.parse_distance_m(d, "used"))
                    .transpose()?
                    .unwrap_or(0.0),
            };
            let item = cairn.add_gear(&new)?;
            outln!("added {} ({})", item.name, item.kind.id());
            if !item.default_for.is_empty() {
                outln!(
                    "it counts for every {} session that names no other gear",
                    sports_text(&item.default_for)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GearAction::List { all, json } => list(cairn, *all, *json, units),
        GearAction::Assign { name, activities } => {
            let name = Some(name.as_str()).filter(|n| !n.trim().eq_ignore_ascii_case(NO_GEAR));
            match cairn.assign_gear(name, activities)? {
                Some(item) => outln!("{} on {}", ids_text(activities), item.name),
                None => outln!("{} on no gear", ids_text(activities)),
            }
            Ok(ExitCode::SUCCESS)
        }
        GearAction::Unassign { activities } => {
            cairn.unassign_gear(activities)?;
            outln!(
                "{} on the gear its file names, or the default, again",
                ids_text(activities)
            );
            Ok(ExitCode::SUCCESS)
        }
        GearAction::Retire { name, on, undo } => {
            let day = match (on, undo) {
                (_, true) => None,
                (Some(d), false) => Some(crate::training::parse_day(d, "on")?),
                (None, false) => Some(today),
            };
            let item = cairn.retire_gear(name, day)?;
            match item.retired_day {
                Some(d) => outln!(
                    "retired {} on {}: later sessions no longer count on it (cairn gear retire '{}' --undo brings it back)",
                    item.name,
                    day_text(d),
                    item.name
                ),
                None => outln!("{} is in use again", item.name),
            }
            Ok(ExitCode::SUCCESS)
        }
        GearAction::Default { name, sports } => {
            let item = cairn.set_gear_default(name, sports)?;
            if item.default_for.is_empty() {
                outln!("{} is the default for no sport", item.name);
            } else {
                outln!(
                    "{} is the default for {}: sessions that name no gear count on it",
                    item.name,
                    sports_text(&item.default_for)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// "trail run or hike".
fn sports_text(sports: &[String]) -> String {
    let words: Vec<String> = sports.iter().map(|s| s.replace('_', " ")).collect();
    words.join(" or ")
}

/// "activity 4 counts" or "activities 4, 5 count".
fn ids_text(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    if ids.len() == 1 {
        format!("activity {} counts", list.join(""))
    } else {
        format!("activities {} count", list.join(", "))
    }
}

fn list(cairn: &Cairn, all: bool, as_json: bool, units: Units) -> Result<ExitCode> {
    let report = cairn.gear_report(all)?;
    if as_json {
        return json_out(&report);
    }
    if report.gear.is_empty() {
        outln!(
            "no gear yet: cairn gear add NAME --kind shoes|bike [--default run,hike] [--retire-at 700km]; a Strava export's gear column is read on import"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    t.set_header([
        "gear",
        "kind",
        "default for",
        "sessions",
        "distance",
        "time",
        "ascent",
        "last used",
        "retire at",
    ]);
    for g in &report.gear {
        let mut name = g.name.clone();
        if g.id.is_none() {
            name.push_str(" (from Strava)");
        }
        if let Some(d) = g.retired_day {
            name.push_str(&format!(" (retired {})", day_text(d)));
        }
        t.add_row([
            name,
            g.kind.id().to_string(),
            if g.default_for.is_empty() {
                "-".into()
            } else {
                sports_text(&g.default_for)
            },
            g.sessions.to_string(),
            units.distance(Some(g.distance_m)),
            duration(Some(g.moving_s)),
            units.elevation(Some(g.ascent_m)),
            g.last_day.map_or_else(|| "-".into(), day_text),
            match g.retire_at_m {
                Some(m) => format!(
                    "{} ({:.0} %)",
                    units.distance(Some(m)),
                    100.0 * g.distance_m / m
                ),
                None => "-".into(),
            },
        ]);
    }
    outln!("{t}");
    for w in &report.warnings {
        outln!(
            "{} {w}",
            crate::output::paint(crate::output::WARN, "warning:")
        );
    }
    Ok(ExitCode::SUCCESS)
}
