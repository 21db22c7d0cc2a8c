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
    zones: bool,
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
    print(&r, units)?;
    if zones {
        print_zones(&r)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `cairn settings [NAME VALUE]`: sets one if asked, then prints them all.
pub fn settings(
    cairn: &mut Cairn,
    change: Option<(&str, &str)>,
    as_json: bool,
) -> Result<ExitCode> {
    use cairn_app::settings::SettingsEdit;
    let edit = match change {
        None => SettingsEdit::default(),
        Some((name, value)) => {
            let v = Some(value.to_string());
            match name {
                "units" => SettingsEdit {
                    units: v,
                    ..Default::default()
                },
                "week-start" | "week_start" => SettingsEdit {
                    week_start: v,
                    ..Default::default()
                },
                "smoothing" => SettingsEdit {
                    smoothing: v,
                    ..Default::default()
                },
                _ => {
                    return Err(crate::units::invalid(format!(
                        "setting '{name}': one of units, week-start, smoothing"
                    )))
                }
            }
        }
    };
    let s = cairn.set_settings(&edit)?;
    if as_json {
        return json_out(&s);
    }
    let mut t = table();
    t.set_header(["setting", "value"]);
    t.add_row(["units", s.units.as_str()]);
    t.add_row(["week-start", s.week_start.as_str()]);
    t.add_row(["smoothing", s.smoothing.as_str()]);
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}

fn period_label(by: &str, from_day: i32) -> String {
    let d = cairn_app::day_text(from_day);
    match by {
        "week" => d,
        "month" => d[..7].to_string(),
        _ => d[..4].to_string(),
    }
}

/// Time in zones per period: one row per signal with data.
fn print_zones(r: &SummaryReport) -> Result<()> {
    let width = r
        .total
        .time_in_zones
        .iter()
        .map(|z| z.seconds.len())
        .max()
        .unwrap_or(0);
    if width == 0 {
        outln!("No time in zones: no heart rate, power or pace with zones in this range.");
        return Ok(());
    }
    let mut t = table();
    let mut header = vec![r.by.to_string(), "zones".into()];
    header.extend((1..=width).map(|z| format!("Z{z}")));
    t.set_header(header);
    let periods = r
        .periods
        .iter()
        .map(|p| (period_label(r.by, p.period.from_day), &p.total))
        .chain(std::iter::once(("all periods".to_string(), &r.total)));
    for (label, total) in periods {
        for (i, z) in total.time_in_zones.iter().enumerate() {
            let sum: f64 = z.seconds.iter().sum::<f64>().max(1.0);
            let mut row = vec![
                if i == 0 { label.clone() } else { String::new() },
                z.signal.label().to_string(),
            ];
            row.extend((0..width).map(|k| match z.seconds.get(k) {
                Some(s) if *s > 0.0 => format!("{} {:.0}%", duration(Some(*s)), 100.0 * s / sum),
                Some(_) => "-".into(),
                None => String::new(),
            }));
            t.add_row(row);
        }
    }
    outln!("{t}");
    outln!("Each session counts in the zones in force on its day (`cairn profile show` lists them); pace zones count runs only, power zones rides only.");
    Ok(())
}

fn form(f: Option<FormAtEnd>) -> String {
    f.map(|f| format!("{:.0} / {}", f.fitness, cairn_app::units::signed(f.form, 0)))
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

fn print(r: &SummaryReport, units: Units) -> Result<()> {
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
        let label = period_label(r.by, p.period.from_day);
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
    Ok(())
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
