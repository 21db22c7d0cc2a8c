//! `cairn goal`, `cairn plan` and `cairn log`: printing only.

use crate::output::{json_out, table};
use crate::units::{invalid, Units};
use anyhow::{Context, Result};
use cairn_app::plan::{ActivePlan, GoalInput};
use cairn_app::{day_text, Cairn};
use cairn_core::plan::adapt::{Edit, Feel, Status, WeekCompliance};
use cairn_core::plan::goal::WEEKDAYS;
use cairn_core::plan::session::duration_text;
use cairn_core::plan::{Change, Kind, Mode, Plan, PlannedSession, Rule, Violation, Week};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Tables wrap their reason column to fit the terminal, else a page.
fn plan_table() -> comfy_table::Table {
    let mut t = table();
    if t.width().is_none() {
        t.set_width(150);
    }
    t
}

/// The goal's distance, ascent and pack in the display units, each after
/// " · " (empty when none is set).
fn goal_measures(g: &cairn_core::plan::Goal, units: Units) -> String {
    let mut out = String::new();
    if let Some(d) = g.distance_m {
        out.push_str(&format!(" · {}", units.distance(Some(d))));
    }
    if let Some(a) = g.ascent_m {
        out.push_str(&format!(" · +{}", units.elevation(Some(a))));
    }
    if let Some(a) = g.max_altitude_m {
        out.push_str(&format!(" · up to {}", units.elevation(Some(a))));
    }
    if let Some(p) = g.pack_kg.filter(|p| *p > 0.0) {
        out.push_str(&format!(" · pack {}", units.mass(Some(p))));
    }
    out
}

pub fn goal_add(
    cairn: &mut Cairn,
    input: &GoalInput,
    today: i32,
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let active = cairn.add_goal(input, today)?;
    if as_json {
        return json_out(&serde_json::json!({ "id": active.id, "plan": active.plan }));
    }
    let p = &active.plan;
    let g = &p.goal;
    outln!(
        "goal {}: {} on {}{} ({} weeks from Monday {})",
        active.id,
        g.kind.id(),
        day_text(g.day),
        goal_measures(g, units),
        p.weeks.len(),
        day_text(p.first_day())
    );
    outln!(
        "  {} · {} days a week · long day {} · runner {} · growth cap {:.0} %",
        g.level.id(),
        g.days_per_week,
        WEEKDAYS[g.long_day as usize],
        if g.runner { "yes" } else { "no" },
        g.growth_cap * 100.0
    );
    for why in &g.inferred {
        outln!("  inferred: {why}");
    }
    phases(p)?;
    for n in &p.notes {
        outln!("  note: {n}");
    }
    outln!("see the weeks with `cairn plan show`; the rules with `cairn plan rules`");
    Ok(ExitCode::SUCCESS)
}

fn phases(p: &Plan) -> Result<()> {
    let mut spans: Vec<(String, u32, u32)> = Vec::new();
    for w in &p.weeks {
        match spans.last_mut() {
            Some((name, _, last)) if name == w.phase.id() => *last = w.number,
            _ => spans.push((w.phase.id().to_string(), w.number, w.number)),
        }
    }
    let text: Vec<String> = spans
        .iter()
        .map(|(n, a, b)| {
            if a == b {
                format!("{n} {a}")
            } else {
                format!("{n} {a}–{b}")
            }
        })
        .collect();
    let recovery: Vec<String> = p
        .weeks
        .iter()
        .filter(|w| w.is_recovery())
        .map(|w| w.number.to_string())
        .collect();
    outln!(
        "  weeks: {}{}",
        text.join(", "),
        if recovery.is_empty() {
            String::new()
        } else {
            format!("; recovery weeks {}", recovery.join(", "))
        }
    );
    Ok(())
}

pub fn goal_list(cairn: &Cairn, as_json: bool) -> Result<ExitCode> {
    let plans = cairn.plans()?;
    if as_json {
        let v: Vec<_> = plans
            .iter()
            .map(|(id, active, p)| serde_json::json!({ "id": id, "active": active, "goal": p.goal, "created": day_text(p.created_day) }))
            .collect();
        return json_out(&v);
    }
    if plans.is_empty() {
        outln!("no goals yet: cairn goal add --kind trek|hike|race|ride --date YYYY-MM-DD");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    t.set_header(["id", "goal", "date", "made", "weeks", "status"]);
    for (id, active, p) in &plans {
        t.add_row([
            id.to_string(),
            p.goal.kind.id().to_string(),
            day_text(p.goal.day),
            day_text(p.created_day),
            p.weeks.len().to_string(),
            if *active {
                "active".into()
            } else {
                "not active".into()
            },
        ]);
    }
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}

fn target(s: &PlannedSession) -> String {
    let hr = s.heart_rate.map(|hr| match hr.low_bpm {
        Some(lo) => format!("Z{} {lo:.0}–{:.0} bpm", s.zone.number(), hr.high_bpm),
        None => format!("Z{} ≤{:.0} bpm", s.zone.number(), hr.high_bpm),
    });
    let mut out = match (s.reps, hr) {
        (Some(r), Some(hr)) if s.kind == Kind::RunWalk => format!(
            "{}× run {} at {hr}, walk {}",
            r.count,
            duration_text(r.work_s),
            duration_text(r.recovery_s)
        ),
        (Some(r), Some(hr)) => format!("{}×{} at {hr}", r.count, duration_text(r.work_s)),
        (_, Some(hr)) => hr,
        _ => String::new(),
    };
    if let Some((lo, hi)) = s.power_w {
        out.push_str(&format!(", {lo:.0}–{hi:.0} W"));
    }
    out
}

fn session_text(s: &PlannedSession) -> String {
    if s.kind == Kind::Rest {
        return "rest".into();
    }
    let mut t = s.summary();
    if s.key {
        t.push_str(" ★");
    }
    if s.edited {
        t.push_str(" (yours)");
    }
    t
}

fn status_text(c: Option<&cairn_core::plan::adapt::SessionCompliance>) -> String {
    match c {
        Some(c) => match c.status {
            Status::Done | Status::Partial => format!(
                "{} {}{}",
                c.status.id(),
                duration_text(c.actual_s),
                c.actual_load
                    .map(|l| format!(" · load {l:.0}"))
                    .unwrap_or_default()
            ),
            Status::Rest => String::new(),
            s => s.id().to_string(),
        },
        None => String::new(),
    }
}

fn week_table(w: &Week, c: &WeekCompliance, units: Units) -> comfy_table::Table {
    let mut t = plan_table();
    t.set_header(["day", "session", "time", "target", "pack", "done", "why"]);
    for (i, s) in w.sessions.iter().enumerate() {
        if s.moved_to.is_some() {
            continue;
        }
        let day = format!(
            "{} {}",
            WEEKDAYS[cairn_core::plan::goal::weekday(s.day) as usize],
            &day_text(s.day)[5..]
        );
        t.add_row([
            day,
            session_text(s),
            if s.duration_s > 0.0 {
                duration_text(s.duration_s)
            } else {
                String::new()
            },
            target(s),
            s.pack_kg.map(|p| units.mass(Some(p))).unwrap_or_default(),
            status_text(c.sessions.iter().find(|x| x.index == i)),
            s.reason.clone(),
        ]);
    }
    t
}

/// The week to show: `--week N`, else the week holding today, else the first.
fn chosen_week(p: &Plan, week: Option<u32>, today: i32) -> Result<usize> {
    match week {
        Some(n) => {
            if n == 0 || n as usize > p.weeks.len() {
                return Err(invalid(format!(
                    "--week {n}: the plan has weeks 1–{}",
                    p.weeks.len()
                )));
            }
            Ok(n as usize - 1)
        }
        None => Ok(p
            .weeks
            .iter()
            .position(|w| today >= w.start_day && today < w.start_day + 7)
            .unwrap_or(if today < p.first_day() {
                0
            } else {
                p.weeks.len() - 1
            })),
    }
}

pub fn show(
    cairn: &mut Cairn,
    today: i32,
    week: Option<u32>,
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let (active, status) = cairn.plan_status(today)?;
    let p = &active.plan;
    let wi = chosen_week(p, week, today)?;
    if as_json {
        let weeks: Vec<_> = if week.is_some() {
            vec![wi]
        } else {
            (0..p.weeks.len()).collect()
        };
        return json_out(&cairn_app::json::plan(&active, &status, &weeks));
    }
    outln!(
        "{} on {}{} · week {} of {} · {} phase",
        p.goal.kind.id(),
        day_text(p.goal.day),
        goal_measures(&p.goal, units),
        wi + 1,
        p.weeks.len(),
        p.weeks[wi].phase.id()
    );
    if week.is_none() {
        let mut t = table();
        t.set_header([
            "week",
            "from",
            "phase",
            "progression",
            "load",
            "done",
            "sessions done",
        ]);
        for (w, c) in p.weeks.iter().zip(&status) {
            let mark = if w.number as usize == wi + 1 {
                "▶ "
            } else {
                ""
            };
            t.add_row([
                format!("{mark}{}", w.number),
                day_text(w.start_day),
                w.phase.id().to_string(),
                w.progression.id().to_string(),
                format!("{:.0}", w.load()),
                if c.planned_load_so_far > 0.0 || c.actual_load > 0.0 {
                    format!("{:.0}", c.actual_load)
                } else {
                    String::new()
                },
                c.session_compliance()
                    .map(|x| format!("{:.0} %", x * 100.0))
                    .unwrap_or_default(),
            ]);
        }
        outln!("{t}");
    }
    let w = &p.weeks[wi];
    let c = &status[wi];
    outln!(
        "week {} from {}: {} ({}), planned load {:.0}{}",
        w.number,
        day_text(w.start_day),
        w.phase.id(),
        w.progression.id(),
        w.load(),
        if c.planned_load_so_far > 0.0 {
            format!(
                ", done {:.0} of {:.0} so far",
                c.actual_load, c.planned_load_so_far
            )
        } else {
            String::new()
        }
    );
    outln!("{}", week_table(w, c, units));
    if !c.extra.is_empty() {
        outln!(
            "also done (not in the plan): activities {}",
            c.extra
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    outln!(
        "★ key session · targets are your zones (Friel, from LTHR {:.0} bpm on foot)",
        p.zones.lthr_run_bpm
    );
    Ok(ExitCode::SUCCESS)
}

pub fn print_changes(changes: &[Change]) -> Result<()> {
    if changes.is_empty() {
        outln!("no changes: the plan stands");
        return Ok(());
    }
    outln!(
        "{} change{}:",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    for c in changes {
        outln!(
            "  {} {}: {} → {} [{}] {}",
            WEEKDAYS[cairn_core::plan::goal::weekday(c.day) as usize],
            day_text(c.day),
            c.before,
            c.after,
            c.rule.id(),
            c.reason
        );
    }
    Ok(())
}

pub fn adapt(cairn: &mut Cairn, today: i32, dry_run: bool, as_json: bool) -> Result<ExitCode> {
    let Some(changes) = cairn.adapt_plan(today, dry_run)? else {
        return Err(invalid(
            "no plan yet: add a goal with `cairn goal add --kind … --date …`".into(),
        ));
    };
    if as_json {
        return json_out(&changes);
    }
    print_changes(&changes)?;
    if dry_run {
        outln!(
            "preview only: nothing was changed (run `cairn plan adapt` without --dry-run to apply)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn edit(cairn: &mut Cairn, day: i32, e: &Edit) -> Result<ExitCode> {
    let broken = cairn.edit_plan(day, e)?;
    outln!("{} changed; adaptation will not touch it", day_text(day));
    print_violations(&broken)?;
    Ok(ExitCode::SUCCESS)
}

fn print_violations(v: &[Violation]) -> Result<()> {
    for x in v {
        outln!(
            "  {} week {} now breaks {}: {}",
            crate::output::paint(crate::output::WARN, "warning:"),
            x.week,
            x.rule.id(),
            x.message
        );
    }
    Ok(())
}

pub fn rules(as_json: bool) -> Result<ExitCode> {
    if as_json {
        let v: Vec<_> = Rule::ALL
            .iter()
            .map(|r| serde_json::json!({ "id": r.id(), "rule": r.statement(), "evidence": r.evidence() }))
            .collect();
        return json_out(&v);
    }
    for r in Rule::ALL {
        outln!(
            "{}\n  {}\n  evidence: {}",
            r.id(),
            r.statement(),
            r.evidence()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn log(cairn: &mut Cairn, feel: &Feel) -> Result<ExitCode> {
    cairn.log_feel(feel)?;
    let part = |name: &str, v: Option<u8>| v.map(|x| format!("{name} {x}/5"));
    let parts: Vec<String> = [
        part("fatigue", feel.fatigue),
        part("soreness", feel.soreness),
        part("sleep", feel.sleep),
        feel.ill.then(|| "ill".to_string()),
        feel.note.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    outln!("{}: {}", day_text(feel.day), parts.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Markdown for printing: the goal, then every week as a table.
fn markdown(active: &ActivePlan, status: &[WeekCompliance], units: Units) -> String {
    let p = &active.plan;
    let g = &p.goal;
    let mut out = format!(
        "# {} on {}\n\n{} · {} days a week · long day {}{}\n\n",
        g.kind.id(),
        day_text(g.day),
        g.level.id(),
        g.days_per_week,
        WEEKDAYS[g.long_day as usize],
        goal_measures(g, units)
    );
    for n in &p.notes {
        out.push_str(&format!("- {n}\n"));
    }
    for (w, c) in p.weeks.iter().zip(status) {
        out.push_str(&format!(
            "\n## Week {} — {} ({}, {}), load {:.0}\n\n| day | session | time | target | pack | done | why |\n|---|---|---|---|---|---|---|\n",
            w.number,
            day_text(w.start_day),
            w.phase.id(),
            w.progression.id(),
            w.load()
        ));
        for (i, s) in w.sessions.iter().enumerate() {
            if s.moved_to.is_some() {
                continue;
            }
            let cell = |t: String| t.replace('|', "\\|");
            out.push_str(&format!(
                "| {} {} | {} | {} | {} | {} | {} | {} |\n",
                WEEKDAYS[cairn_core::plan::goal::weekday(s.day) as usize],
                day_text(s.day),
                cell(session_text(s)),
                if s.duration_s > 0.0 {
                    duration_text(s.duration_s)
                } else {
                    String::new()
                },
                cell(target(s)),
                s.pack_kg.map(|p| units.mass(Some(p))).unwrap_or_default(),
                cell(status_text(c.sessions.iter().find(|x| x.index == i))),
                cell(s.reason.clone())
            ));
        }
    }
    out
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

pub fn export(
    cairn: &mut Cairn,
    units: Units,
    today: i32,
    ics: Option<&Path>,
    fit_dir: Option<&Path>,
    md: Option<&Path>,
) -> Result<ExitCode> {
    if ics.is_none() && fit_dir.is_none() && md.is_none() {
        return Err(invalid(
            "nothing to export: give --ics FILE, --fit-workouts DIR or --markdown FILE".into(),
        ));
    }
    let (active, status) = cairn.plan_status(today)?;
    let p = &active.plan;
    if let Some(path) = ics {
        let text = cairn_core::encode::ics::plan_calendar(p, &format!("cairn-plan-{}", active.id));
        write_file(path, text.as_bytes())?;
        outln!(
            "{}: {} events",
            path.display(),
            text.matches("BEGIN:VEVENT").count()
        );
    }
    if let Some(dir) = fit_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut n = 0;
        for s in p.sessions().filter(|s| s.day >= today) {
            let Some(w) = cairn_core::plan::workout::session_workout(s, &p.zones) else {
                continue;
            };
            let name = format!("{}-{}-{}.fit", day_text(s.day), s.mode.id(), s.kind.id());
            write_file(
                &dir.join(name),
                &cairn_core::encode::fit::encode_workout(&w),
            )?;
            n += 1;
        }
        outln!(
            "{}: {n} workouts from {} (strength, mobility and rest are not watch workouts)",
            dir.display(),
            day_text(today)
        );
    }
    if let Some(path) = md {
        write_file(path, markdown(&active, &status, units).as_bytes())?;
        outln!("{}: {} weeks", path.display(), p.weeks.len());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn parse_mode(text: &str) -> Result<Mode> {
    Mode::from_id(text).ok_or_else(|| {
        invalid(format!(
            "--sport {text}: one of run, trail_run, hike, walk, stairs, ride, strength, mobility"
        ))
    })
}

pub fn parse_kind(text: &str) -> Result<Kind> {
    Kind::from_id(text).filter(|k| *k != Kind::Goal).ok_or_else(|| {
        invalid(format!(
            "--type {text}: one of easy, long, recovery, tempo, intervals, hill_repeats, run_walk, strength, mobility, rest"
        ))
    })
}

/// `cairn ready`: one row per demand of the active goal.
pub fn ready(cairn: &mut Cairn, today: i32, units: Units, as_json: bool) -> Result<ExitCode> {
    if as_json {
        return json_out(&cairn.readiness(today, &cairn_core::readiness::Si)?);
    }
    let r = cairn.readiness(today, &units)?;
    outln!(
        "Ready for the {} on {}? As of {}, from the last {} days.",
        r.kind.id(),
        day_text(r.goal_day),
        day_text(today),
        r.window_days
    );
    let mut t = plan_table();
    t.set_header(["demand", "goal", "shown", "status", "evidence", "the plan"]);
    for d in &r.demands {
        let shown = d.shown.map_or("—".to_string(), |v| {
            cairn_app::readiness::value_text(units, d, v)
        });
        let evidence: Vec<String> = d
            .evidence
            .iter()
            .map(|p| format!("#{} {}", p.activity_id, day_text(p.day)))
            .collect();
        t.add_row([
            cairn_core::readiness::label(d.id).to_string(),
            cairn_app::readiness::value_text(units, d, d.demand),
            shown,
            d.status.id().replace('_', " "),
            evidence.join(", "),
            d.plan.clone().unwrap_or_default(),
        ]);
    }
    outln!("{t}");
    outln!("{}", r.verdict);
    outln!("How each demand is judged:");
    for d in &r.demands {
        outln!("  {}: {}", cairn_core::readiness::label(d.id), d.rule);
    }
    Ok(ExitCode::SUCCESS)
}
