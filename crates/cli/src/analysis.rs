//! `curve`, `compare`, `predict`: looking back at what the training did and
//! ahead at races and routes.

use crate::output::{json_out, table};
use crate::units::{clock, Units};
use anyhow::Result;
use cairn_app::analysis::{CompareReport, RouteReport};
use cairn_app::{day_text, AppError, Cairn};
use cairn_core::compare::Metric;
use cairn_core::environment::Conditions;
use cairn_core::metrics::curve::CurveKind;
use std::io::Write;
use std::process::ExitCode;

/// A curve value as the athlete reads it.
fn curve_value(kind: CurveKind, v: f64, units: Units) -> String {
    match kind {
        CurveKind::Power => format!("{v:.0} W"),
        CurveKind::Pace | CurveKind::Gap => units.pace_or_speed(Some(v), false),
        CurveKind::HeartRate => format!("{v:.0} bpm"),
        CurveKind::Vertical => format!("{v:.0} m/h"),
    }
}

/// The sport family for `--sport`.
pub fn sport_family(text: &str) -> Result<&'static str> {
    Ok(match text {
        "run" | "running" => "run",
        "ride" | "cycling" | "bike" => "ride",
        "hike" | "walk" | "hiking" => "hike",
        other => {
            return Err(
                AppError::Invalid(format!("--sport {other}: one of run, ride, hike")).into(),
            )
        }
    })
}

pub struct CurveArgs<'a> {
    pub kind: &'a str,
    pub sport: Option<&'a str>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub svg: Option<&'a std::path::Path>,
}

pub fn curve(cairn: &mut Cairn, a: CurveArgs, units: Units, as_json: bool) -> Result<ExitCode> {
    let kind = CurveKind::from_id(a.kind).ok_or_else(|| {
        AppError::Invalid(format!(
            "--kind {}: one of power, pace, gap, hr, vertical",
            a.kind
        ))
    })?;
    let family = cairn_app::analysis::curve_family(kind, a.sport)?;
    let points = cairn.curve(kind, family, a.from, a.to)?;
    if let Some(path) = a.svg {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.duration_s as f64, p.value))
            .collect();
        let title = format!("best {} by duration", kind.id());
        crate::chart::curve_svg(path, &title, &pts)?;
    }
    if as_json {
        return json_out(&points);
    }
    if points.is_empty() {
        outln!(
            "No activity in this period has data for a {} curve.",
            kind.id()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    t.set_header(["duration", "best", "day", "activity", "sport"]);
    for p in &points {
        t.add_row([
            clock(p.duration_s as f64),
            curve_value(kind, p.value, units),
            day_text(p.day),
            p.activity_id.to_string(),
            p.sport.clone(),
        ]);
    }
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}

pub fn compare(
    cairn: &mut Cairn,
    sport: &str,
    a: (i32, i32),
    b: (i32, i32),
    units: Units,
    as_json: bool,
) -> Result<ExitCode> {
    let family = sport_family(sport)?;
    let r: CompareReport = cairn.compare(family, a, b)?;
    if as_json {
        return json_out(&r);
    }
    let c = &r.comparison;
    let period = |(f, t): (i32, i32)| format!("{} to {}", day_text(f), day_text(t));
    outln!(
        "A: {} — {} sessions, {}, {}",
        period(a),
        c.a.sessions,
        units.distance(Some(c.a.distance_m)),
        clock(c.a.moving_s)
    );
    outln!(
        "B: {} — {} sessions, {}, {}",
        period(b),
        c.b.sessions,
        units.distance(Some(c.b.distance_m)),
        clock(c.b.moving_s)
    );
    let mut t = table();
    t.set_header(["", "A", "B", "B − A", "95 % interval", "verdict"]);
    let shown = cairn_app::compare_text::Shown {
        units,
        wheels: family == "ride",
    };
    let show =
        |v: Option<f64>, m: Metric| v.map(|v| shown.value(m, v)).unwrap_or_else(|| "-".into());
    for d in c.outcomes.iter().chain(&c.confounders) {
        t.add_row([
            format!(
                "{} (n={}/{})",
                cairn_app::compare_text::metric_name(d.metric, units),
                d.n_a,
                d.n_b
            ),
            show(d.mean_a, d.metric),
            show(d.mean_b, d.metric),
            d.difference
                .map(|x| shown.diff(d.metric, x, d.mean_a))
                .unwrap_or_else(|| "-".into()),
            d.ci95
                .map(|ci| shown.interval(d.metric, ci, d.mean_a))
                .unwrap_or_else(|| "-".into()),
            cairn_app::compare_text::verdict_text(d),
        ]);
    }
    outln!("{t}");
    for line in cairn_app::compare_text::conclusion(&r, units) {
        outln!("{line}");
    }
    if !r.efficiency_steady_only {
        outln!(
            "Efficiency uses all sessions: set max_hr to limit it to steady ones (65–85 % of max)."
        );
    }
    outln!(
        "Intervals: percentile bootstrap over sessions, 2000 resamples (Efron & Tibshirani 1993)."
    );
    Ok(ExitCode::SUCCESS)
}

pub struct RaceArgs {
    pub from: i32,
    pub to: i32,
    pub distances_m: Vec<f64>,
    pub race: Option<Conditions>,
}

pub fn predict_races(
    cairn: &mut Cairn,
    a: RaceArgs,
    units: Units,
    as_json: bool,
) -> Result<ExitCode> {
    let r = cairn.predict_races(a.from, a.to, &a.distances_m, a.race)?;
    if as_json {
        return json_out(&r);
    }
    if r.rows.is_empty() {
        outln!(
            "No running effort of 3.5 min to 4 h between {} and {}: nothing to predict from (try --days 365).",
            day_text(r.from_day),
            day_text(r.to_day)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = table();
    let mut header = vec!["race", "Riegel", "from", "VDOT", "from"];
    if a.race.is_some() {
        header.push("race conditions");
    }
    t.set_header(header);
    for row in &r.rows {
        let p = &row.prediction;
        let ev = |e: &cairn_core::predict::race::Evidence| {
            format!(
                "{} in {} on {} ({})",
                units.distance(Some(e.distance_m)),
                clock(e.time_s),
                day_text(e.day),
                e.activity_id
            )
        };
        let mut cells = vec![
            units.distance(Some(p.distance_m)),
            clock(p.riegel_s),
            ev(&p.riegel_from),
            format!("{} (VDOT {:.1})", clock(p.vdot_s), p.vdot),
            ev(&p.vdot_from),
        ];
        if let Some(adj) = &row.adjusted {
            cells.push(if adj.not_advised {
                "not advised (heat)".into()
            } else if (adj.high_s - adj.low_s).abs() > 0.5 {
                format!("{}–{}", clock(adj.low_s), clock(adj.high_s))
            } else {
                clock(adj.low_s)
            });
        }
        t.add_row(cells);
    }
    outln!(
        "From your best efforts between {} and {} ({} efforts):",
        day_text(r.from_day),
        day_text(r.to_day),
        r.efforts
    );
    outln!("{t}");
    outln!("Riegel (1981): T₂ = T₁·(D₂/D₁)^1.06 from the nearest distance. VDOT: Daniels & Gilbert, from your best effort. Both assume training for the distance; Riegel is optimistic for the marathon if you rarely run long.");
    if a.race.is_some() {
        outln!("Race conditions: the VDOT time moved from the evidence's altitude (and weather, when known) with `cairn adjust`'s models.");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn predict_route(r: &RouteReport, units: Units, as_json: bool) -> Result<ExitCode> {
    if as_json {
        return json_out(r);
    }
    outln!(
        "{}: {}, +{} / −{}{}, pack {}",
        r.name.as_deref().unwrap_or("route"),
        units.distance(Some(r.distance_m)),
        units.elevation(Some(r.ascent_m)),
        units.elevation(Some(r.descent_m)),
        match r.ascent_method {
            cairn_core::metrics::ascent::AscentMethod::Gps => " (GPS altitude, filtered)",
            _ => "",
        },
        units.mass(Some(r.pack_kg))
    );
    let mut t = table();
    t.set_header(["leg", "ascent", "descent", "you", "Tobler", "Naismith"]);
    let mut cum = (0.0, 0.0, 0.0);
    for l in &r.legs {
        cum.0 += l.personal_s.unwrap_or(0.0);
        cum.1 += l.tobler_s;
        cum.2 += l.naismith_s;
        t.add_row([
            format!(
                "{}–{}",
                units.distance(Some(l.from_m)),
                units.distance(Some(l.to_m))
            ),
            units.elevation(Some(l.ascent_m)),
            units.elevation(Some(l.descent_m)),
            l.personal_s
                .map(|s| format!("{} ({})", clock(s), clock(cum.0)))
                .unwrap_or_else(|| "-".into()),
            format!("{} ({})", clock(l.tobler_s), clock(cum.1)),
            format!("{} ({})", clock(l.naismith_s), clock(cum.2)),
        ]);
    }
    outln!("{t}");
    match (&r.model, r.personal_s) {
        (Some(m), Some(total)) => outln!(
            "You: {} moving — your speed model from {} hike(s): {} at best on a {:.0} % gradient, falling by e^(−{:.2}·|grade{:+.3}|) (Tobler-shaped, typical error ±{:.0} %){}.",
            clock(total),
            r.hikes_used,
            units.pace_or_speed(Some(m.a_kmh / 3.6), true),
            -m.c * 100.0,
            m.b,
            m.c,
            m.rms_log_error * 100.0,
            match m.pack_per_kg {
                Some(p) => match units {
                    Units::Metric => format!("; each kg of pack costs {:.1} % of speed", p * 100.0),
                    Units::Imperial => format!(
                        "; each lb of pack costs {:.1} % of speed",
                        p * 100.0 * 0.453_592_37
                    ),
                },
                None => "; pack effect by equal walking power (Pandolf)".into(),
            }
        ),
        _ => outln!("You: no personal model yet — it needs hikes with altitude covering ≥ 50 segments of 100 m, both up and down."),
    }
    outln!(
        "Tobler (1993): {} moving. Naismith (1892): {} moving. None of these include breaks.",
        clock(r.tobler_s),
        clock(r.naismith_s)
    );
    Ok(ExitCode::SUCCESS)
}
