//! Printing for `summary` and `athletes`.

use crate::output::{json_out, table};
use crate::units::{duration, Units};
use anyhow::Result;
use cairn_app::summary::{SummaryQuery, SummaryReport};
use cairn_app::Cairn;
use cairn_core::summary::{FormAtEnd, Totals};
use std::io::Write;
use std::process::ExitCode;

pub fn summary(
    cairn: &mut Cairn,
    q: &SummaryQuery,
    week_start: Option<&str>,
    units: Units,
    as_json: bool,
) -> Result<ExitCode> {
    if let Some(day) = week_start {
        cairn.set_week_start(day)?;
    }
    let r = cairn.summary(q)?;
    if as_json {
        return json_out(&r);
    }
    print(&r, units)
}

fn form(f: Option<FormAtEnd>) -> String {
    f.map(|f| format!("{:.0} / {:+.0}", f.fitness, f.form))
        .unwrap_or_else(|| "-".into())
}

fn row(label: String, t: &Totals, units: Units) -> Vec<String> {
    let km = |m: f64| (t.sessions > 0 && m > 0.0).then_some(m);
    vec![
        label,
        t.sport.clone().unwrap_or_else(|| "all".into()),
        t.sessions.to_string(),
        duration(Some(t.time_s)),
        units.distance(km(t.distance_m)),
        units.elevation(km(t.ascent_m)),
        format!("{:.0}", t.aerobic_load),
        format!("{:.0}", t.mechanical_load),
        t.longest
            .map(|l| format!("{} ({})", duration(Some(l.time_s)), l.activity_id))
            .unwrap_or_else(|| "-".into()),
        form(t.aerobic),
        form(t.mechanical),
    ]
}

fn print(r: &SummaryReport, units: Units) -> Result<ExitCode> {
    let mut t = table();
    t.set_header([
        r.by,
        "sport",
        "sessions",
        "time",
        "distance",
        "ascent",
        "aerobic",
        "mechanical",
        "longest (id)",
        "aerobic fitness / form",
        "mechanical fitness / form",
    ]);
    for p in &r.periods {
        let label = match r.by {
            "week" => cairn_app::day_text(p.period.from_day),
            "month" => cairn_app::day_text(p.period.from_day)[..7].to_string(),
            _ => cairn_app::day_text(p.period.from_day)[..4].to_string(),
        };
        if p.sports.len() == 1 {
            // One sport: its row is the period's total.
            let mut only = p.sports[0].clone();
            only.aerobic = p.total.aerobic;
            only.mechanical = p.total.mechanical;
            t.add_row(row(label, &only, units));
            continue;
        }
        t.add_row(row(label.clone(), &p.total, units));
        for s in &p.sports {
            t.add_row(row(String::new(), s, units));
        }
    }
    for s in r.sports.iter().filter(|_| r.sports.len() > 1) {
        t.add_row(row("all periods".into(), s, units));
    }
    t.add_row(row("all periods".into(), &r.total, units));
    outln!("{t}");
    outln!(
        "{} to {}; weeks start on {}; time is moving time; fitness / form at each period's end (`cairn form` explains them).",
        cairn_app::day_text(r.range.from_day),
        cairn_app::day_text(r.range.to_day),
        r.week_start
    );
    Ok(ExitCode::SUCCESS)
}

pub fn athletes(data_dir: &std::path::Path, as_json: bool) -> Result<ExitCode> {
    let list = Cairn::athletes_in(data_dir)?;
    if as_json {
        return json_out(&list);
    }
    let mut t = table();
    t.set_header(["athlete", "activities", "first", "last"]);
    for a in &list {
        t.add_row([
            a.name.clone(),
            a.activities.to_string(),
            a.first_day.map(cairn_app::day_text).unwrap_or_default(),
            a.last_day.map(cairn_app::day_text).unwrap_or_default(),
        ]);
    }
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}
