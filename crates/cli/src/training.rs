//! Printing for the load commands: profile, rate, load, explain, form,
//! warnings, equivalent.

use crate::output::table;
use crate::units::{clock, Units};
use anyhow::Result;
use cairn_app::profile::{profile_value, provenance_text};
use cairn_app::training::LoadRow;
use cairn_app::{AppError, Cairn};
use cairn_core::load::series::DayPoint;
use cairn_core::load::{ProfileKey, Thresholds};
use std::io::Write;
use std::process::ExitCode;

pub fn today(now_ms: i64) -> i32 {
    now_ms.div_euclid(86_400_000) as i32
}

pub fn parse_day(text: &str, what: &str) -> Result<i32> {
    cairn_core::load::session::parse_day(text).ok_or_else(|| {
        AppError::Invalid(format!("--{what} {text}: expected a date like 2026-06-01")).into()
    })
}

pub fn profile_show(
    cairn: &mut Cairn,
    now_ms: i64,
    as_json: bool,
    units: crate::units::Units,
) -> Result<ExitCode> {
    let r = cairn.profile_report(today(now_ms))?;
    if as_json {
        crate::commands::print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    t.set_header(["key", "value today", "where it comes from"]);
    for (k, v) in &r.today {
        match v {
            Some(v) => t.add_row([
                k.id().to_string(),
                profile_value(*k, v.value, units),
                provenance_text(&v.provenance),
            ]),
            None => t.add_row([
                k.id().to_string(),
                "-".into(),
                "unknown: set it or record efforts it can be estimated from".into(),
            ]),
        };
    }
    let sex_value = match r.sex {
        Some(s) => ProfileKey::Sex.display(if s == cairn_core::load::hr::Sex::Male {
            1.0
        } else {
            0.0
        }),
        None => "-".into(),
    };
    t.add_row([
        "sex".to_string(),
        sex_value,
        if r.sex.is_some() {
            "set".into()
        } else {
            "unknown: men's TRIMP coefficients are used".into()
        },
    ]);
    outln!("{t}");
    if !r.history.is_empty() {
        let mut h = table();
        h.set_header(["key", "value", "in force from"]);
        for e in &r.history {
            h.add_row([
                e.key.id().to_string(),
                profile_value(e.key, e.value, units),
                e.from_day
                    .map(cairn_app::day_text)
                    .unwrap_or_else(|| "always".into()),
            ]);
        }
        outln!("History\n{h}");
    }
    outln!(
        "Zones in force today\n{}",
        crate::zones::schemes_table(&r.zones, units)
    );
    Ok(ExitCode::SUCCESS)
}

pub fn load_list(
    cairn: &mut Cairn,
    from: Option<i32>,
    to: Option<i32>,
    as_json: bool,
) -> Result<ExitCode> {
    let report = cairn.loads(false)?;
    let rows: Vec<&LoadRow> = report
        .rows
        .iter()
        .filter(|r| from.is_none_or(|f| r.day >= f) && to.is_none_or(|t| r.day <= t))
        .collect();
    if as_json {
        let v: Vec<_> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "day": cairn_app::day_text(r.day), "start_time": r.start_time, "sport": r.sport,
                    "is_primary": r.is_primary, "aerobic": r.aerobic, "aerobic_source": r.aerobic_source,
                    "aerobic_missing": r.detail.get("aerobic_missing"), "mechanical": r.mechanical,
                })
            })
            .collect();
        crate::commands::print_json(&serde_json::to_value(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    t.set_header([
        "id",
        "day",
        "sport",
        "aerobic",
        "source",
        "mechanical (MLU)",
        "note",
    ]);
    for r in &rows {
        let note = if !r.is_primary {
            "duplicate: not counted".to_string()
        } else {
            r.detail
                .get("aerobic_missing")
                .and_then(|m| m.as_str())
                .map(|m| format!("no aerobic load: {m}"))
                .unwrap_or_default()
        };
        t.add_row([
            r.id.to_string(),
            cairn_app::day_text(r.day),
            r.sport.clone(),
            r.aerobic
                .map(|a| format!("{a:.0}"))
                .unwrap_or_else(|| "-".into()),
            r.aerobic_source.clone().unwrap_or_else(|| "-".into()),
            format!("{:.0}", r.mechanical),
            note,
        ]);
    }
    outln!("{t}");
    outln!(
        "{} activities ({} recomputed, {} unchanged since last time)",
        rows.len(),
        report.recomputed,
        report.reused
    );
    Ok(ExitCode::SUCCESS)
}

fn print_explanation(label: &str, e: &cairn_core::load::Explanation) -> Result<()> {
    outln!("{label}: {}", e.method);
    outln!("  formula:   {}", e.formula);
    for i in &e.inputs {
        outln!("  {:<34} {:<22} ({})", i.name, i.value, i.source);
    }
    for n in &e.notes {
        outln!("  note: {n}");
    }
    outln!("  source:    {}", e.reference);
    Ok(())
}

/// The inputs are shown as the formula takes them (SI, as its paper states
/// it); only the headline follows `--units`.
pub fn explain(cairn: &mut Cairn, id: i64, as_json: bool, units: Units) -> Result<ExitCode> {
    let (record, th, load) = cairn.explain(id)?;
    if as_json {
        let v = serde_json::json!({ "id": id, "sport": record.sport, "load": load, "thresholds": thresholds_json(&th) });
        crate::commands::print_json(&serde_json::to_value(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "Activity {id} · {} · {}",
        record.sport,
        cairn_core::time::rfc3339(record.start_ms)
    );
    match (&load.aerobic, &load.aerobic_explanation) {
        (Some(a), Some(e)) => {
            outln!("Aerobic load {a:.0} (1 hour at threshold ≈ 100)");
            print_explanation("  source", e)?;
        }
        _ => outln!(
            "Aerobic load: none — {}",
            load.aerobic_missing.clone().unwrap_or_default()
        ),
    }
    outln!(
        "Mechanical load {:.0} MLU (100 ≈ 1 hour of level running at {})",
        load.mechanical,
        units.pace_or_speed(Some(3.0), false)
    );
    print_explanation("  method", &load.mechanical_explanation)?;
    Ok(ExitCode::SUCCESS)
}

fn thresholds_json(th: &Thresholds) -> serde_json::Value {
    serde_json::json!({
        "max_hr": th.max_hr, "resting_hr": th.resting_hr, "lthr_run": th.lthr_run, "lthr_ride": th.lthr_ride,
        "ftp": th.ftp, "threshold_pace_s_per_km": th.threshold_pace, "body_mass_kg": th.body_mass, "pack_kg": th.pack_mass,
    })
}

/// A terminal chart of fitness, fatigue and form: one column per day (or per
/// group of days when the range is wider than 100 columns).
fn terminal_chart(points: &[DayPoint], height: usize) -> Vec<String> {
    let width = points.len().clamp(1, 100);
    let per = points.len().div_ceil(width).max(1);
    let cols: Vec<(f64, f64, f64)> = points
        .chunks(per)
        .map(|c| {
            let last = c[c.len() - 1];
            (last.fitness, last.fatigue, last.form)
        })
        .collect();
    let max = cols
        .iter()
        .flat_map(|(a, b, c)| [*a, *b, *c])
        .fold(f64::NEG_INFINITY, f64::max)
        .max(1.0);
    let min = cols
        .iter()
        .flat_map(|(a, b, c)| [*a, *b, *c])
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let row_of = |v: f64| (((max - v) / (max - min)) * (height - 1) as f64).round() as usize;
    let mut grid = vec![vec![' '; cols.len()]; height];
    let zero = row_of(0.0);
    for cell in grid[zero].iter_mut() {
        *cell = '·';
    }
    for (x, (fit, fat, form)) in cols.iter().enumerate() {
        grid[row_of(*form)][x] = '+';
        grid[row_of(*fat)][x] = 'x';
        grid[row_of(*fit)][x] = '#';
    }
    grid.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let v = max - (max - min) * i as f64 / (height - 1) as f64;
            format!("{v:>7.0} │{}", row.into_iter().collect::<String>())
        })
        .collect()
}

pub fn form(
    cairn: &mut Cairn,
    now_ms: i64,
    days: usize,
    as_json: bool,
    svg: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let today = today(now_ms);
    let series = cairn.series(today)?;
    let from = today - days as i32 + 1;
    if series.is_empty() {
        outln!("No activities yet: import some with `cairn import PATH`.");
        return Ok(ExitCode::SUCCESS);
    }
    let window = |pts: &[DayPoint]| {
        pts.iter()
            .copied()
            .filter(|p| p.day >= from && p.day <= today)
            .collect::<Vec<_>>()
    };
    if as_json {
        crate::commands::print_json(&cairn_app::json::form(&series, from, today))?;
    } else {
        for s in series.iter().filter(|s| s.sport.is_none()) {
            let pts = window(&s.points);
            let Some(last) = pts.last() else { continue };
            outln!(
                "{}{} — fitness {:.0}, fatigue {:.0}, form {}, ramp {}/week{}",
                s.dimension,
                if s.unit.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.unit)
                },
                last.fitness,
                last.fatigue,
                cairn_app::units::signed(last.form, 0),
                cairn_app::units::signed(last.ramp, 1),
                last.acwr
                    .map(|r| format!(", acute:chronic {r:.2}"))
                    .unwrap_or_default()
            );
            for line in terminal_chart(&pts, 10) {
                outln!("{line}");
            }
            let w = cairn_app::json::weeks(&s.points, today, 4)
                .iter()
                .map(|w| {
                    format!(
                        "{:.0}{}",
                        w.load,
                        w.monotony
                            .map(|m| format!(
                                " (monotony {m:.1}, strain {:.0})",
                                w.strain.unwrap_or(0.0)
                            ))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(" · ");
            outln!("        weekly load, last four weeks, latest first: {w}");
            outln!(
                "        {} … {}   # fitness (42 d)  x fatigue (7 d)  + form",
                cairn_app::day_text(pts[0].day),
                cairn_app::day_text(last.day)
            );
        }
        let mut t = table();
        t.set_header([
            "sport",
            "dimension",
            "fitness",
            "fatigue",
            "form",
            "acute:chronic",
        ]);
        for s in series.iter().filter(|s| s.sport.is_some()) {
            if let Some(last) = window(&s.points).last() {
                t.add_row([
                    s.sport.unwrap_or_default().to_string(),
                    s.dimension.to_string(),
                    format!("{:.0}", last.fitness),
                    format!("{:.0}", last.fatigue),
                    cairn_app::units::signed(last.form, 0),
                    last.acwr
                        .map(|r| format!("{r:.2}"))
                        .unwrap_or_else(|| "-".into()),
                ]);
            }
        }
        outln!("Per sport\n{t}");
    }
    if let Some(path) = svg {
        crate::chart::form_svg(path, &series, from, today)?;
        if !as_json {
            outln!("Chart written to {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn warnings(cairn: &mut Cairn, now_ms: i64, as_json: bool) -> Result<ExitCode> {
    let w = cairn.warnings(today(now_ms))?;
    if as_json {
        crate::commands::print_json(&serde_json::to_value(&w)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if w.is_empty() {
        outln!(
            "No warnings for the week ending {}.",
            cairn_app::day_text(today(now_ms))
        );
    }
    for x in &w {
        outln!(
            "{} {}: {}",
            crate::output::paint(crate::output::WARN, "•"),
            cairn_app::day_text(x.day),
            x.message
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// "60min", "1h30", "90" (minutes).
pub fn parse_minutes(text: &str) -> Result<f64> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        AppError::Invalid(format!(
            "duration '{text}': expected e.g. 60min, 1h30 or 90"
        ))
    };
    if let Some((h, m)) = t.split_once('h') {
        let h: f64 = h.parse().map_err(|_| bad())?;
        let m: f64 = if m.trim_end_matches("min").is_empty() {
            0.0
        } else {
            m.trim_end_matches("min").parse().map_err(|_| bad())?
        };
        return Ok(h * 60.0 + m);
    }
    t.trim_end_matches("min")
        .trim_end_matches('m')
        .parse()
        .map_err(|_| bad().into())
}

/// What `cairn equivalent` compares.
pub struct EquivalentQuery {
    pub minutes: f64,
    pub grade_pct: f64,
    pub pack_kg: f64,
    pub intensity: f64,
}

pub fn equivalent(
    cairn: &mut Cairn,
    now_ms: i64,
    q: EquivalentQuery,
    units: Units,
    as_json: bool,
) -> Result<ExitCode> {
    let EquivalentQuery {
        minutes,
        grade_pct,
        pack_kg,
        intensity,
    } = q;
    if !(0.0..=45.0).contains(&grade_pct.abs()) {
        return Err(AppError::Invalid(format!(
            "--grade {grade_pct}%: the energy models hold from 0 to 45 %"
        ))
        .into());
    }
    if !(0.3..=1.1).contains(&intensity) {
        return Err(AppError::Invalid(format!(
            "--intensity {intensity}: expected 0.3–1.1 of threshold"
        ))
        .into());
    }
    let (profile, estimates) = cairn.estimates()?;
    let th = profile.thresholds(today(now_ms), &estimates);
    let pace = th
        .threshold_pace
        .as_ref()
        .map(|p| p.value)
        .unwrap_or(cairn_core::load::session::DEFAULT_THRESHOLD_PACE_S_PER_KM);
    let e = cairn_core::load::equivalent::trail_run_vs_hike(
        minutes,
        grade_pct / 100.0,
        intensity,
        th.body_mass.value,
        pack_kg,
        pace,
    );
    if as_json {
        crate::commands::print_json(&serde_json::to_value(&e)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "Trail run: {} on a rolling ±{grade_pct:.0} % course at {:.0} % of threshold effort ({} threshold pace, {}):",
        clock(minutes * 60.0),
        intensity * 100.0,
        units.for_sport("run", Some(1000.0 / pace)),
        units.mass(Some(th.body_mass.value))
    );
    outln!(
        "  {} up at {}, down at {}; aerobic load {:.0}, mechanical load {:.0} MLU",
        units.distance(Some(e.run_distance_m)),
        units.for_sport("run", Some(e.run_speed_up_mps)),
        units.for_sport("run", Some(e.run_speed_down_mps)),
        e.run_aerobic,
        e.run_mechanical
    );
    outln!(
        "Hike on the same gradient with {}: Tobler speeds {} up, {} down; {:.0} W, {:.0} % of threshold metabolic power ({:.0} W)",
        if pack_kg > 0.0 {
            format!("a pack of {}", units.mass(Some(pack_kg)))
        } else {
            "no pack".into()
        },
        units.pace_or_speed(Some(e.hike_speed_up_mps), true),
        units.pace_or_speed(Some(e.hike_speed_down_mps), true),
        e.hike_metabolic_w,
        e.hike_intensity * 100.0,
        e.threshold_metabolic_w
    );
    outln!(
        "  same aerobic load: {} of hiking ({:.0} load per hour); same net energy (Minetti): {}",
        clock(e.hike_hours_same_aerobic * 3600.0),
        e.hike_aerobic_per_hour,
        clock(e.hike_hours_same_energy * 3600.0)
    );
    outln!(
        "  mechanical: the run is {:.0} MLU; {} of hiking is {:.0} MLU ({:.1}× less per hour)",
        e.run_mechanical,
        clock(minutes * 60.0),
        e.hike_mechanical_same_duration,
        e.run_mechanical / e.hike_mechanical_same_duration.max(1e-9)
    );
    outln!("Assumptions: Minetti running cost for the run's graded effort; Tobler speeds and Pandolf/Santee power (terrain factor 1.0) for the hike; load = hours × intensity² × 100. See DESIGN.md.");
    Ok(ExitCode::SUCCESS)
}
