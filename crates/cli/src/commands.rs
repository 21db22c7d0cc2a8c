//! One function per subcommand: parse nothing, print everything.

use crate::units::UnitsInput;
use crate::units::{self, duration, invalid, Units};
use crate::{
    analysis, data_dir, demo_data_dir, environment, integrity, plan, summary, training, Cli,
    Command, GoalAction, PlanAction, ProfileAction, StayAction, WeatherAction,
};
use anyhow::{Context, Result};
use cairn_app::{Cairn, ImportOptions, ImportReport, Progress};
use cairn_core::model::Sport;
use cairn_store::{ActivityFilter, ActivityRecord};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write;
use std::process::ExitCode;

pub fn run(cli: &Cli) -> Result<ExitCode> {
    if let Command::Demo {
        years,
        athletes,
        seed,
        out,
        no_import,
        replace,
        serve,
    } = &cli.command
    {
        return demo(
            cli,
            &DemoChoice {
                years: *years,
                athletes: *athletes,
                seed: *seed,
                out: out.as_deref(),
                no_import: *no_import,
                replace: *replace,
                serve: *serve,
            },
        );
    }
    if let Command::Serve {
        listen,
        database,
        tiles,
        tile_attribution,
        config,
        print_config,
    } = &cli.command
    {
        let given = crate::serve_config::Given {
            config: config.as_deref(),
            data_dir: cli.data_dir.as_deref(),
            database: database.as_deref(),
            listen: listen.as_deref(),
            units: cli.units,
            tiles: tiles.as_deref().zip(tile_attribution.as_deref()),
        };
        let config = crate::serve_config::ServeConfig::resolve(&given, data_dir(cli))?;
        if *print_config {
            outln!("{}", config.to_toml().trim_end());
            return Ok(ExitCode::SUCCESS);
        }
        return serve(cli, &config);
    }
    let dir = data_dir(cli);
    // These two work on a database that cannot be opened as usual.
    match &cli.command {
        Command::Verify { json } => return integrity::verify(&dir, *json),
        Command::Rebuild { json, accept_loss } => {
            return integrity::rebuild(&dir, *accept_loss, *json, now_ms())
        }
        _ => {}
    }
    match &cli.command {
        Command::Athletes { json } => return summary::athletes(&dir, *json),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(*shell, &mut Cli::command(), "cairn", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let mut cairn = Cairn::open_checked(&dir, &cli.athlete, cli.create)
        .with_context(|| format!("opening the archive in {}", dir.display()))?;
    // `--units` for this command, else the archive's setting.
    let units = match cli.units {
        Some(u) => u,
        None => cairn.units()?,
    };
    match &cli.command {
        Command::Demo { .. }
        | Command::Verify { .. }
        | Command::Rebuild { .. }
        | Command::Athletes { .. }
        | Command::Completions { .. }
        | Command::Serve { .. }
        | Command::Man => {
            unreachable!("handled above")
        }
        Command::Settings { name, value, json } => {
            summary::settings(&mut cairn, name.as_deref().zip(value.as_deref()), *json)
        }
        Command::Summary {
            by,
            sport,
            from,
            to,
            week_start,
            zones,
            json,
        } => {
            let q = cairn_app::summary::SummaryQuery {
                by: by.clone(),
                sports: sport_filter(sport.as_deref())?,
                from_day: optional_day(from, "from")?,
                to_day: optional_day(to, "to")?,
                today: today_of(cli)?,
            };
            summary::summary(&mut cairn, &q, week_start.as_deref(), *zones, units, *json)
        }
        Command::Import { paths, json } => {
            let code = import(&mut cairn, paths, *json, units)?;
            // The plan follows what was done, after every import.
            if let Some(changes) = cairn.adapt_plan(today_of(cli)?, false)? {
                if !*json && !changes.is_empty() {
                    outln!("plan adapted:");
                    plan::print_changes(&changes)?;
                }
            }
            Ok(code)
        }
        Command::Activities {
            sport,
            from,
            to,
            deleted,
            json,
        } => activities(&mut cairn, sport, from, to, *deleted, *json, units),
        Command::Show { id, json } => show(&mut cairn, *id, *json, units),
        Command::Edit {
            id,
            sport,
            temp,
            dew_point,
            name,
            note,
        } => {
            if sport.is_none() && temp.is_none() && name.is_none() && note.is_none() {
                return Err(cairn_app::AppError::Invalid(
                    "give --sport SPORT, --name TEXT, --note TEXT and/or --temp C [--dew-point C]"
                        .into(),
                )
                .into());
            }
            if let Some(sport) = sport {
                let s = cairn.edit_sport(*id, sport)?;
                outln!("activity {id} is now {s}");
            }
            if let Some(name) = name {
                let a = cairn.rename(*id, name)?;
                match &a.name {
                    Some(n) => outln!("activity {id} is named \"{n}\""),
                    None => outln!("activity {id} has no name"),
                }
            }
            if let Some(note) = note {
                let a = cairn.annotate(*id, note)?;
                match &a.note {
                    Some(_) => outln!("activity {id}: note kept"),
                    None => outln!("activity {id}: note removed"),
                }
            }
            match (
                units.temperature_input(*temp),
                units.temperature_input(*dew_point),
            ) {
                (Some(t), d) => {
                    cairn.set_conditions(*id, t, d)?;
                    outln!(
                        "activity {id}: {}{}",
                        units.temperature(Some(t)),
                        d.map(|d| format!(", dew point {}", units.temperature(Some(d))))
                            .unwrap_or_default()
                    );
                }
                (None, Some(_)) => {
                    return Err(cairn_app::AppError::Invalid(
                        "--dew-point needs --temp as well".into(),
                    )
                    .into())
                }
                (None, None) => {}
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Add {
            sport,
            duration,
            date,
            start,
            distance,
            ascent,
            descent,
            hr,
            rpe,
            pack,
            name,
            json,
        } => crate::corrections::add(
            &mut cairn,
            &crate::corrections::AddArgs {
                sport,
                duration,
                date: date.as_deref(),
                start: start.as_deref(),
                distance: distance.as_deref(),
                ascent: ascent.as_deref(),
                descent: descent.as_deref(),
                hr: *hr,
                rpe: *rpe,
                pack: pack.as_deref(),
                name: name.as_deref(),
                today: today_of(cli)?,
                units,
            },
            *json,
        ),
        Command::Delete { id } => crate::corrections::delete(&mut cairn, *id),
        Command::Restore { id } => crate::corrections::restore(&mut cairn, *id),
        Command::Merge { keep, other } => crate::corrections::merge(&mut cairn, *keep, *other),
        Command::Split {
            id,
            at,
            after,
            sport,
            undo,
        } => crate::corrections::split(
            &mut cairn,
            *id,
            &crate::corrections::SplitArgs {
                at: at.as_deref(),
                after: after.as_deref(),
                sport: sport.as_deref(),
                undo: *undo,
            },
            units,
        ),
        Command::Curve {
            kind,
            sport,
            from,
            to,
            json,
            svg,
        } => {
            let args = analysis::CurveArgs {
                kind,
                sport: sport.as_deref(),
                from: optional_day(from, "from")?,
                to: optional_day(to, "to")?,
                svg: svg.as_deref(),
            };
            analysis::curve(&mut cairn, args, units, *json)
        }
        Command::Compare { sport, a, b, json } => {
            let a = period(a, "a")?;
            let b = period(b, "b")?;
            analysis::compare(&mut cairn, sport, a, b, units, *json)
        }
        Command::Predict {
            route,
            distance,
            days,
            to,
            altitude,
            temp,
            dew_point,
            humidity,
            pack,
            leg,
            json,
        } => {
            if let Some(path) = route {
                let bytes =
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
                let pack_kg = pack
                    .as_deref()
                    .map(|p| units.parse_mass_kg(p, "pack"))
                    .transpose()?;
                let leg_m = match leg {
                    Some(l) => units.parse_distance_m(l, "leg")?,
                    None => units.split_length_m(),
                };
                let today = today_of(cli)?;
                let r = cairn.predict_route(
                    &bytes,
                    &path.display().to_string(),
                    pack_kg,
                    leg_m,
                    today,
                )?;
                return analysis::predict_route(&r, units, *json);
            }
            let to = optional_day(to, "to")?.unwrap_or(today_of(cli)?);
            let distances_m = if distance.is_empty() {
                cairn_core::predict::race::STANDARD_M.to_vec()
            } else {
                distance
                    .iter()
                    .map(|d| units.parse_distance_m(d, "distance"))
                    .collect::<Result<_>>()?
            };
            let race = match altitude {
                None if temp.is_none() => None,
                _ => Some(cairn_core::environment::Conditions {
                    altitude_m: altitude
                        .as_deref()
                        .map(|a| units.parse_altitude_m(a, "altitude"))
                        .transpose()?
                        .unwrap_or(0.0),
                    temp_c: units.temperature_input(*temp),
                    dew_point_c: dew_point_of(
                        units.temperature_input(*temp),
                        units.temperature_input(*dew_point),
                        *humidity,
                    )?,
                }),
            };
            let args = analysis::RaceArgs {
                from: to - days.max(&1) + 1,
                to,
                distances_m,
                race,
            };
            analysis::predict_races(&mut cairn, args, units, *json)
        }
        Command::Altitude { days, until, json } => environment::altitude(
            &mut cairn,
            now_of(cli)?,
            *days,
            until.as_deref(),
            *json,
            units,
        ),
        Command::Heat { days, until, json } => environment::heat(
            &mut cairn,
            now_of(cli)?,
            *days,
            until.as_deref(),
            *json,
            units,
        ),
        Command::Stay { action } => match action {
            StayAction::Add {
                from,
                to,
                altitude,
                sleep_altitude,
                note,
            } => environment::stay_add(
                &mut cairn,
                environment::StayArgs {
                    from,
                    to,
                    altitude,
                    sleep_altitude: sleep_altitude.as_deref(),
                    note: note.as_deref(),
                    units,
                },
            ),
            StayAction::List { json } => environment::stay_list(&cairn, *json, units),
            StayAction::Remove { id } => {
                cairn.remove_stay(*id)?;
                outln!("stay {id} removed");
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::Weather { action } => match action {
            WeatherAction::Import { file, json } => {
                environment::weather_import(&mut cairn, file, *json)
            }
        },
        Command::Adjust {
            pace,
            time,
            distance,
            altitude,
            temp,
            dew_point,
            humidity,
            from_altitude,
            from_temp,
            from_dew_point,
            json,
        } => {
            let distance_m = distance
                .as_deref()
                .map(|d| units.parse_distance_m(d, "distance"))
                .transpose()?;
            let (distance_m, time_s) = match (pace, time) {
                (Some(p), None) => {
                    let v = crate::units::parse_pace_mps(p, "pace")?;
                    let d = distance_m.unwrap_or(v * 3600.0);
                    (d, d / v)
                }
                (None, Some(t)) => {
                    let d = distance_m.ok_or_else(|| {
                        cairn_app::AppError::Invalid("--time needs --distance".into())
                    })?;
                    (d, crate::units::parse_clock_s(t, "time")?)
                }
                _ => {
                    return Err(cairn_app::AppError::Invalid(
                        "give either --pace (e.g. 5:20/km) or --time with --distance".into(),
                    )
                    .into())
                }
            };
            let to = cairn_core::environment::Conditions {
                altitude_m: units.parse_altitude_m(altitude, "altitude")?,
                temp_c: units.temperature_input(*temp),
                dew_point_c: dew_point_of(
                    units.temperature_input(*temp),
                    units.temperature_input(*dew_point),
                    *humidity,
                )?,
            };
            let from = cairn_core::environment::Conditions {
                altitude_m: units.parse_altitude_m(from_altitude, "from-altitude")?,
                temp_c: units.temperature_input(*from_temp),
                dew_point_c: dew_point_of(
                    units.temperature_input(*from_temp),
                    units.temperature_input(*from_dew_point),
                    None,
                )?,
            };
            environment::adjust_cmd(
                environment::AdjustArgs {
                    distance_m,
                    time_s,
                    from,
                    to,
                },
                units,
                *json,
            )
        }
        Command::Primary { id } => {
            cairn.make_primary(*id)?;
            outln!("activity {id} is now the primary copy; its duplicates no longer count");
            Ok(ExitCode::SUCCESS)
        }
        Command::Courses { json } => courses(&cairn, *json, units),
        Command::Profile { action } => match action {
            ProfileAction::Show { json } => {
                training::profile_show(&mut cairn, now_of(cli)?, *json, units)
            }
            ProfileAction::Zones { edges, bike, from } => {
                let from_day = from
                    .as_deref()
                    .map(|d| training::parse_day(d, "from"))
                    .transpose()?;
                let set = cairn.set_heart_rate_zones(*bike, edges, from_day)?;
                let what = if *bike { "on the bike" } else { "on foot" };
                let since = from_day
                    .map(|d| format!(" from {}", cairn_app::day_text(d)))
                    .unwrap_or_default();
                match set {
                    Some(e) => outln!(
                        "heart-rate zones {what}{since}: upper edges {} bpm ({} zones)",
                        e.iter()
                            .map(|v| format!("{v:.0}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        e.len() + 1
                    ),
                    None => outln!("heart-rate zones {what}{since}: Friel's, on LTHR"),
                }
                Ok(ExitCode::SUCCESS)
            }
            ProfileAction::Set { key, value, from } => {
                let from_day = from
                    .as_deref()
                    .map(|d| training::parse_day(d, "from"))
                    .transpose()?;
                let (k, v) = cairn.set_profile(key, value, from_day, now_of(cli)?)?;
                outln!(
                    "{} = {}{}",
                    k.id(),
                    k.display(v),
                    from_day
                        .map(|d| format!(" from {}", cairn_app::day_text(d)))
                        .unwrap_or_default()
                );
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::Rate { id, rpe, pack } => {
            if rpe.is_none() && pack.is_none() {
                return Err(cairn_app::AppError::Invalid(
                    "give --rpe 1-10 and/or --pack KG".into(),
                )
                .into());
            }
            let pack_kg = pack
                .as_deref()
                .map(|p| units.parse_mass_kg(p, "pack"))
                .transpose()?;
            cairn.rate(*id, *rpe, pack_kg)?;
            outln!(
                "activity {id}: {}",
                [
                    rpe.map(|r| format!("RPE {r}")),
                    pack_kg.map(|p| format!("pack {p:.1} kg"))
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Load { from, to, json } => {
            let from = from
                .as_deref()
                .map(|d| training::parse_day(d, "from"))
                .transpose()?;
            let to = to
                .as_deref()
                .map(|d| training::parse_day(d, "to"))
                .transpose()?;
            training::load_list(&mut cairn, from, to, *json)
        }
        Command::Explain { id, json } => training::explain(&mut cairn, *id, *json, units),
        Command::Records { sport, json } => records(&mut cairn, sport.as_deref(), *json, units),
        Command::Form {
            days,
            json,
            svg,
            smoothing,
            to,
        } => {
            if let Some(s) = smoothing {
                cairn.set_smoothing(s)?;
            }
            let as_of = as_of_ms(cli, to)?;
            training::form(&mut cairn, as_of, *days, *json, svg.as_deref())
        }
        Command::Ready { json } => crate::plan::ready(&mut cairn, today_of(cli)?, units, *json),
        Command::Warnings { json, to } => training::warnings(&mut cairn, as_of_ms(cli, to)?, *json),
        Command::Sync {
            watch,
            add,
            remove,
            list,
            mounts,
            json,
        } => crate::sync::run(
            &mut cairn,
            &crate::sync::SyncArgs {
                watch: *watch,
                add: add.as_ref(),
                remove: remove.as_ref(),
                list: *list,
                mounts,
                json: *json,
                units,
            },
        ),
        Command::Gear { action } => crate::gear::run(&mut cairn, action, units, today_of(cli)?),
        Command::Goal { action } => {
            let today = today_of(cli)?;
            match action {
                GoalAction::Add(args) => {
                    let crate::GoalAdd {
                        kind,
                        date,
                        distance,
                        ascent,
                        max_altitude,
                        pack,
                        days,
                        target,
                        days_per_week,
                        long_day,
                        level,
                        runner,
                        no_running,
                        growth_cap,
                        json,
                    } = args.as_ref();
                    let input = cairn_app::plan::GoalInput {
                        kind: cairn_core::plan::GoalKind::from_id(kind)
                            .ok_or_else(|| invalid(format!("--kind {kind}")))?,
                        day: training::parse_day(date, "date")?,
                        distance_m: distance
                            .as_deref()
                            .map(|d| units.parse_distance_m(d, "distance"))
                            .transpose()?,
                        ascent_m: ascent
                            .as_deref()
                            .map(|a| units.parse_climb_m(a, "ascent"))
                            .transpose()?,
                        max_altitude_m: max_altitude
                            .as_deref()
                            .map(|a| units.parse_altitude_m(a, "max-altitude"))
                            .transpose()?,
                        pack_kg: pack
                            .as_deref()
                            .map(|p| units.parse_mass_kg(p, "pack"))
                            .transpose()?,
                        days: *days,
                        target_s: target
                            .as_deref()
                            .map(|t| crate::units::parse_clock_s(t, "target"))
                            .transpose()?,
                        days_per_week: *days_per_week,
                        long_day: long_day
                            .as_deref()
                            .map(|d| {
                                cairn_core::plan::goal::parse_weekday(d).ok_or_else(|| {
                                    invalid(format!("--long-day {d}: one of mon … sun"))
                                })
                            })
                            .transpose()?,
                        level: level.as_deref().and_then(cairn_core::plan::Level::from_id),
                        runner: runner.as_deref().map(|r| r == "yes"),
                        no_running: *no_running,
                        growth_cap: growth_cap
                            .as_deref()
                            .map(|g| {
                                g.trim()
                                    .trim_end_matches('%')
                                    .parse::<f64>()
                                    .map(|x| x / 100.0)
                                    .map_err(|_| {
                                        invalid(format!("--growth-cap {g}: a percentage like 10%"))
                                    })
                            })
                            .transpose()?,
                    };
                    plan::goal_add(&mut cairn, &input, today, *json, units)
                }
                GoalAction::List { json } => plan::goal_list(&cairn, *json),
                GoalAction::Remove { id } => {
                    let (p, was_active) = cairn.remove_goal(*id)?;
                    outln!(
                        "goal {id} ({} on {}) set aside{}; `cairn goal activate {id}` brings it back",
                        p.goal.kind.id(),
                        cairn_app::day_text(p.goal.day),
                        if was_active {
                            ": no plan is active now"
                        } else {
                            " (it was not the active plan)"
                        }
                    );
                    Ok(ExitCode::SUCCESS)
                }
                GoalAction::Activate { id } => {
                    let p = cairn.activate_goal(*id)?;
                    outln!(
                        "goal {id} ({} on {}) is the active plan again",
                        p.goal.kind.id(),
                        cairn_app::day_text(p.goal.day)
                    );
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        Command::Plan { action } => {
            let today = today_of(cli)?;
            match action {
                PlanAction::Show { week, json } => {
                    plan::show(&mut cairn, today, *week, *json, units)
                }
                PlanAction::Adapt { dry_run, json } => {
                    plan::adapt(&mut cairn, today, *dry_run, *json)
                }
                PlanAction::Edit {
                    date,
                    sport,
                    kind,
                    duration,
                    rest,
                } => {
                    let e = cairn_core::plan::adapt::Edit {
                        mode: sport.as_deref().map(plan::parse_mode).transpose()?,
                        kind: kind.as_deref().map(plan::parse_kind).transpose()?,
                        duration_s: duration
                            .as_deref()
                            .map(|d| units::parse_minutes_s(d, "duration"))
                            .transpose()?,
                        rest: *rest,
                    };
                    if e == cairn_core::plan::adapt::Edit::default() {
                        anyhow::bail!(invalid(
                            "nothing to change: give --sport, --type, --duration or --rest".into()
                        ));
                    }
                    plan::edit(&mut cairn, training::parse_day(date, "date")?, &e)
                }
                PlanAction::Export {
                    ics,
                    fit_workouts,
                    markdown,
                } => plan::export(
                    &mut cairn,
                    units,
                    today,
                    ics.as_deref(),
                    fit_workouts.as_deref(),
                    markdown.as_deref(),
                ),
                PlanAction::Rules { json } => plan::rules(*json),
            }
        }
        Command::Log {
            date,
            fatigue,
            soreness,
            sleep,
            ill,
            note,
        } => {
            let day = match date {
                Some(d) => training::parse_day(d, "date")?,
                None => today_of(cli)?,
            };
            plan::log(
                &mut cairn,
                &cairn_core::plan::adapt::Feel {
                    day,
                    fatigue: *fatigue,
                    soreness: *soreness,
                    sleep: *sleep,
                    ill: *ill,
                    note: note.clone(),
                },
            )
        }
        Command::Equivalent {
            duration,
            activity,
            grade,
            pack,
            intensity,
            json,
        } => {
            if !matches!(Sport::from_id(activity), Some(Sport::TrailRun | Sport::Run)) {
                return Err(cairn_app::AppError::Invalid(format!(
                    "'{activity}': compare a trail-run or run with a hike"
                ))
                .into());
            }
            let minutes = training::parse_minutes(duration)?;
            let grade_pct: f64 = grade.trim().trim_end_matches('%').parse().map_err(|_| {
                cairn_app::AppError::Invalid(format!("--grade {grade}: expected e.g. 10%"))
            })?;
            let pack_kg = units.parse_mass_kg(pack, "pack")?;
            let q = training::EquivalentQuery {
                minutes,
                grade_pct,
                pack_kg,
                intensity: *intensity,
            };
            training::equivalent(&mut cairn, now_of(cli)?, q, units, *json)
        }
    }
}

/// Prints JSON with floats rounded to 6 decimals: sensor values are far
/// coarser, and `2782.2000000000003` helps nobody.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<()> {
    outln!(
        "{}",
        serde_json::to_string_pretty(&cairn_app::json::rounded(serde_json::to_value(value)?))?
    );
    Ok(())
}

/// What `cairn demo` was asked for.
struct DemoChoice<'a> {
    years: f64,
    athletes: usize,
    seed: u64,
    out: Option<&'a std::path::Path>,
    no_import: bool,
    replace: bool,
    serve: bool,
}

fn demo(cli: &Cli, choice: &DemoChoice<'_>) -> Result<ExitCode> {
    let DemoChoice {
        years,
        athletes,
        seed,
        out,
        no_import,
        replace,
        serve,
    } = *choice;
    if !(0.1..=30.0).contains(&years) || !(1..=9).contains(&athletes) {
        return Err(
            cairn_app::AppError::Invalid("--years 0.1–30 and --athletes 1–9".into()).into(),
        );
    }
    let dir = demo_data_dir(cli);
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => {
            if !no_import {
                cairn_app::demo::fresh_data_dir(&dir, replace)
                    .map_err(cairn_app::AppError::Invalid)?;
            }
            dir.join("files")
        }
    };
    let today = today_of(cli)?;
    let opts = cairn_app::demo::DemoOptions {
        years,
        athletes,
        seed,
        out: out.clone(),
        last_day: today,
    };
    let report = cairn_app::demo::generate(&opts)
        .with_context(|| format!("writing demo files to {}", out.display()))?;
    outln!(
        "Wrote {} files ({} samples, {:.0} MB) for {} athlete(s), {years} years to {}, in {:.1} s.",
        report.files,
        report.samples,
        report.bytes as f64 / 1e6,
        report.athletes.len(),
        cairn_app::day_text(today),
        report.seconds
    );
    for a in &report.athletes {
        outln!("  {}: {} files in {}", a.name, a.files, a.folder.display());
    }
    if no_import {
        return Ok(ExitCode::SUCCESS);
    }
    if out != dir.join("files") {
        cairn_app::demo::fresh_data_dir(&dir, replace).map_err(cairn_app::AppError::Invalid)?;
    }
    let import_opts = ImportOptions {
        limits: Default::default(),
        now_ms: now_ms(),
        threads: 0,
    };
    for (k, a) in report.athletes.iter().enumerate() {
        let name = if k == 0 {
            cairn_app::DEFAULT_ATHLETE
        } else {
            a.name
        };
        let mut cairn = Cairn::open_as(&dir, name)?;
        // The simulated athlete knows their thresholds, as a real one would set them.
        let sim = cairn_core::sim::Athlete::of(
            cairn_core::sim::Archetype::ALL[k % cairn_core::sim::Archetype::ALL.len()],
        );
        for (key, value) in [
            ("max_hr", format!("{}", sim.max_hr)),
            ("resting_hr", format!("{}", sim.rest_hr)),
            ("ftp", format!("{}", sim.ftp_w)),
            (
                "threshold_pace",
                format!("{:.0}", 1000.0 / sim.threshold_speed),
            ),
            ("body_mass", format!("{}", sim.mass_kg)),
        ] {
            cairn.set_profile(key, &value, None, now_ms())?;
        }
        let archetype = cairn_core::sim::Archetype::ALL[k % cairn_core::sim::Archetype::ALL.len()];
        let first_day = today - (years * 365.25).round() as i32 + 1;
        if let Some((from, to, altitude, sleep)) =
            cairn_core::sim::history::mountain_trip(archetype, first_day, today)
        {
            // Most of a trip is not recorded: the athlete logs the stay.
            cairn.add_stay(cairn_core::environment::altitude::Stay {
                id: 0,
                from_day: from,
                to_day: to,
                altitude_m: altitude,
                sleep_altitude_m: Some(sleep),
                note: Some("Peru".into()),
            })?;
        }
        let r = cairn.import(std::slice::from_ref(&a.folder), &import_opts, &mut |_| {})?;
        outln!(
            "Imported {} activities for athlete \"{name}\" ({} samples, {:.1} s).",
            r.activities_imported,
            r.samples_imported,
            r.elapsed_s
        );
        if !r.failed.is_empty() {
            outln!("  {} files failed: {:?}", r.failed.len(), r.failed.first());
        }
    }
    cairn_app::demo::seal(&dir).map_err(cairn_app::AppError::Invalid)?;
    let mut cairn = Cairn::open(&dir)?;
    let list = cairn.activities(&ActivityFilter::default())?;
    let mut by_sport: std::collections::BTreeMap<String, (usize, f64, f64)> = Default::default();
    for a in &list {
        let e = by_sport.entry(a.sport.clone()).or_default();
        e.0 += 1;
        e.1 += a.summary.moving_s.unwrap_or(0.0) / 3600.0;
        e.2 += a.summary.distance_m.unwrap_or(0.0) / 1000.0;
    }
    outln!("\nThe road runner (\"me\"): {} activities", list.len());
    for (sport, (n, h, km)) in &by_sport {
        outln!("  {sport:<14} {n:>5} sessions {h:>7.0} h {km:>8.0} km");
    }
    let records = cairn.records(None)?;
    let shown: Vec<String> = records
        .iter()
        .filter(|r| {
            [
                "mile",
                "5 km",
                "10 km",
                "half marathon",
                "vertical in 60 min",
                "20 min power",
            ]
            .contains(&r.effort.as_str())
        })
        .map(|r| format!("{} {} ({})", r.effort, r.all_time.text, r.all_time.day))
        .collect();
    if !shown.is_empty() {
        outln!("  records: {}", shown.join(" · "));
    }
    let series = cairn.series(today)?;
    for s in series.iter().filter(|s| s.sport.is_none()) {
        if let Some(p) = s.points.last() {
            outln!(
                "  {} load today: fitness {:.0}, fatigue {:.0}, form {}",
                s.dimension,
                p.fitness,
                p.fatigue,
                cairn_app::units::signed(p.form, 0)
            );
        }
    }
    let warnings = cairn.warnings(today)?;
    for w in warnings.iter().take(4) {
        outln!("  • {}", w.message);
    }
    let altitude = cairn.altitude(today, today)?;
    if let Some((day, peak)) = altitude
        .hbmass
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|p| p.1 > 0.0)
    {
        outln!(
            "  altitude: {:.0} km·h of hypoxic dose; haemoglobin mass peaked near +{peak:.1} % on {}, +{:.1} % today",
            altitude.dose_km_h_total,
            cairn_app::day_text(day),
            altitude.hbmass_today_pct
        );
    }
    let d = dir.display();
    outln!(
        "\nTry: cairn --data-dir {d} activities --from {}",
        cairn_app::day_text(today - 30)
    );
    outln!("     cairn --data-dir {d} form    |  cairn --data-dir {d} warnings  |  cairn --data-dir {d} explain ID");
    outln!("     cairn --data-dir {d} curve --kind pace --sport run  |  cairn --data-dir {d} predict  |  cairn --data-dir {d} altitude");
    if report.athletes.len() > 1 {
        outln!("     add --athlete hiker or --athlete cyclist for the others");
    }
    if !serve {
        outln!("In a browser: cairn --data-dir {d} serve, then open http://127.0.0.1:8080/");
        return Ok(ExitCode::SUCCESS);
    }
    let state = cairn_web::AppState::pooled(
        serve_pool(Cairn::open(&dir)?, &dir, cairn_app::DEFAULT_ATHLETE)?,
        dir.join("uploads"),
    )
    .in_units(cli.units)
    .on(Some(today));
    cairn_web::run(([127, 0, 0, 1], 8080).into(), state, |bound| {
        println!("\nThe calendar of the demo archive: http://{bound}/ (Ctrl-C stops)");
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `cairn serve` on the configuration in force.
fn serve(cli: &Cli, config: &crate::serve_config::ServeConfig) -> Result<ExitCode> {
    let listen = &config.listen.0;
    let addr: std::net::SocketAddr = listen.parse().map_err(|e| {
        invalid(format!(
            "listen = {listen}: expected an address like 127.0.0.1:8080 ({e})"
        ))
    })?;
    let tiles = match &config.tiles {
        Some(((url, attribution), _)) => {
            Some(cairn_web::Tiles::new(url, attribution).map_err(invalid)?)
        }
        None => None,
    };
    let dir = &config.data_dir.0;
    let pool = match &config.database {
        None => {
            let cairn = Cairn::open_checked(dir, &cli.athlete, cli.create)
                .with_context(|| format!("opening the archive in {}", dir.display()))?;
            serve_pool(cairn, dir, &cli.athlete)?
        }
        Some((address, _)) => postgres_pool(address, dir, &cli.athlete, cli.create)?,
    };
    let shown = match &config.database {
        None => dir.display().to_string(),
        Some((address, _)) => crate::serve_config::redacted(address),
    };
    let state = cairn_web::AppState::pooled(pool, dir.join("uploads"))
        .in_units(config.units.0)
        .with_tiles(tiles)
        .on(cli
            .today
            .as_deref()
            .map(|t| training::parse_day(t, "today"))
            .transpose()?);
    cairn_web::run(addr, state, |bound| {
        println!("cairn is serving {shown} on http://{bound}/ (Ctrl-C stops)");
    })
    .map_err(|e| match e {
        cairn_web::ServeError::NotLoopback(_) => invalid(e.to_string()),
        other => anyhow::Error::new(other),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The connections `cairn serve --database` reads a PostgreSQL archive
/// with, one client each (as many as for SQLite); originals in `dir`.
fn postgres_pool(
    address: &str,
    dir: &std::path::Path,
    athlete: &str,
    create: bool,
) -> Result<Vec<Cairn>> {
    let n = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    (0..n)
        .map(|_| {
            let store = cairn_store_postgres::PgStore::open(address, &dir.join("archive"))
                .with_context(|| {
                    format!(
                        "opening the database {}",
                        crate::serve_config::redacted(address)
                    )
                })?;
            Ok(Cairn::on_store(Box::new(store), athlete, create)?)
        })
        .collect()
}

/// The connections `cairn serve` reads the archive with: one per core (at
/// most four), the first the one already open.
fn serve_pool(first: Cairn, dir: &std::path::Path, athlete: &str) -> Result<Vec<Cairn>> {
    let n = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let mut pool = vec![first];
    for _ in 1..n {
        pool.push(Cairn::open_checked(dir, athlete, false)?);
    }
    Ok(pool)
}

/// An effort's name: race distances keep theirs; a climb's height is in
/// the display units.
fn effort_label(units: Units, e: cairn_app::records::Effort) -> String {
    match e {
        cairn_app::records::Effort::Climb(m) => format!("{} climb", units.elevation(Some(m))),
        _ => e.label(),
    }
}

/// An effort's value in the display units (times and watts have none).
fn effort_value(units: Units, e: cairn_app::records::Effort, v: f64) -> String {
    use cairn_app::records::Effort;
    match e {
        Effort::Vertical60 => units.elevation(Some(v)),
        Effort::DescentRate => format!("{}/h", units.elevation(Some(v))),
        _ => e.display(v),
    }
}

fn records(
    cairn: &mut Cairn,
    sport: Option<&str>,
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let family = match sport {
        None => None,
        Some(s) => Some(match s {
            "run" | "running" => "run",
            "ride" | "cycling" => "ride",
            "climb" | "hike" | "climbing" => "climb",
            other => {
                return Err(cairn_app::AppError::Invalid(format!(
                    "--sport {other}: one of run, ride, climb"
                ))
                .into())
            }
        }),
    };
    let rows = cairn.records(family)?;
    if as_json {
        print_json(&serde_json::to_value(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = crate::output::table();
    t.set_header([
        "effort",
        "all time",
        "when (activity)",
        "latest year",
        "latest season",
    ]);
    for r in &rows {
        let latest = |v: Option<(String, &cairn_app::records::Best)>| {
            v.map(|(scope, b)| format!("{} ({scope})", effort_value(units, r.kind, b.value)))
                .unwrap_or_else(|| "-".into())
        };
        t.add_row([
            effort_label(units, r.kind),
            effort_value(units, r.kind, r.all_time.value),
            format!("{} ({})", r.all_time.day, r.all_time.activity_id),
            latest(r.by_year.first().map(|(y, b)| (y.to_string(), b))),
            latest(r.by_season.first().map(|(s, b)| (s.clone(), b))),
        ]);
    }
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}

/// The sports a `--sport` word names (a family such as `run`, or one sport),
/// or every sport without one; an unknown word is answered with the valid ones.
pub(crate) fn sport_filter(word: Option<&str>) -> Result<Vec<String>> {
    let Some(word) = word else {
        return Ok(Vec::new());
    };
    let sports = Sport::matching(word).ok_or_else(|| {
        cairn_app::AppError::Invalid(format!(
            "--sport {word}: not a sport; one of {}",
            Sport::filter_words()
        ))
    })?;
    Ok(sports.iter().map(|s| s.id().to_string()).collect())
}

fn optional_day(day: &Option<String>, what: &str) -> Result<Option<i32>> {
    day.as_deref()
        .map(|d| training::parse_day(d, what))
        .transpose()
}

/// "2025-06-01..2025-08-31".
fn period(text: &str, what: &str) -> Result<(i32, i32)> {
    let (a, b) = text.split_once("..").ok_or_else(|| {
        cairn_app::AppError::Invalid(format!(
            "--{what} {text}: expected FROM..TO, like 2025-06-01..2025-08-31"
        ))
    })?;
    Ok((training::parse_day(a, what)?, training::parse_day(b, what)?))
}

/// A dew point given directly or from humidity, checked against `--temp`.
fn dew_point_of(temp: Option<f64>, dew: Option<f64>, humidity: Option<f64>) -> Result<Option<f64>> {
    match temp {
        Some(t) => Ok(cairn_app::environment::checked_dew_point(t, dew, humidity)?),
        None if dew.is_some() || humidity.is_some() => Err(cairn_app::AppError::Invalid(
            "a dew point or humidity needs --temp too".into(),
        )
        .into()),
        None => Ok(None),
    }
}

/// Noon of the given day, or now (noon of `--today` when it is given).
fn as_of_ms(cli: &Cli, day: &Option<String>) -> Result<i64> {
    match day {
        Some(d) => Ok(training::parse_day(d, "to")? as i64 * 86_400_000 + 43_200_000),
        None => now_of(cli),
    }
}

/// Now, or noon of `--today`: every command that depends on today reads it
/// here, so `--today` moves them all.
fn now_of(cli: &Cli) -> Result<i64> {
    Ok(match &cli.today {
        Some(t) => training::parse_day(t, "today")? as i64 * 86_400_000 + 43_200_000,
        None => now_ms(),
    })
}

/// `--today` (or `$CAIRN_TODAY`), else the system date.
fn today_of(cli: &Cli) -> Result<i32> {
    match &cli.today {
        Some(t) => training::parse_day(t, "today"),
        None => Ok(training::today(now_ms())),
    }
}

pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// An import's progress bar on a terminal (hidden otherwise), and what to
/// call with each step.
pub(crate) fn import_progress() -> (ProgressBar, impl Fn(&Progress)) {
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} files · {msg} · {per_sec} · ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let shown = bar.clone();
    let step = move |p: &Progress| {
        if p.waiting {
            eprintln!("Another import of this archive is running; waiting for it to finish…");
            return;
        }
        shown.set_length(p.files_total as u64);
        shown.set_position(p.files_done as u64);
        shown.set_message(format!(
            "{} activities, {} samples",
            p.activities, p.samples
        ));
    };
    (bar, step)
}

fn import(
    cairn: &mut Cairn,
    paths: &[std::path::PathBuf],
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms: now_ms(),
        threads: 0,
    };
    let (bar, step) = import_progress();
    let report = cairn.import(paths, &opts, &mut |p| step(p))?;
    bar.finish_and_clear();
    if as_json {
        print_json(&serde_json::to_value(&report)?)?;
    } else {
        print_report(cairn, &report, units)?;
    }
    Ok(if report.failed.is_empty() && report.stopped.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(crate) fn print_report(cairn: &Cairn, r: &ImportReport, units: Units) -> Result<()> {
    let rate = if r.elapsed_s > 0.0 {
        r.samples_imported as f64 / r.elapsed_s
    } else {
        0.0
    };
    outln!(
        "Imported {} activities ({} samples) from {} files in {:.1} s ({:.0} samples/s).",
        r.activities_imported,
        r.samples_imported,
        r.files_imported,
        r.elapsed_s,
        rate
    );
    if r.courses_imported > 0 {
        outln!(
            "Stored {} planned routes (courses; `cairn courses` lists them).",
            r.courses_imported
        );
    }
    if r.already_imported > 0 {
        outln!(
            "{} files were already imported (same bytes); nothing added for them.",
            r.already_imported
        );
    }
    if r.skipped_other_files > 0 {
        outln!("{} non-activity files were skipped.", r.skipped_other_files);
    }
    for d in &r.probable_duplicates {
        let other = cairn.activity(d.duplicate_of).ok();
        outln!(
            "Probable duplicate: activity {} ({}) overlaps activity {}{}; kept, not counted twice (`cairn primary {}` to prefer it).",
            d.activity_id,
            d.source,
            d.duplicate_of,
            other.map(|o| format!(" from {}", o.source)).unwrap_or_default(),
            d.activity_id
        );
    }
    for rec in &r.records {
        let was = rec
            .previous
            .map(|p| format!(" (was {})", effort_value(units, rec.kind, p)))
            .unwrap_or_default();
        let inside = rec
            .distance_m
            .map(|d| format!("{} ", units.distance(Some(d))))
            .unwrap_or_default();
        outln!(
            "{} new best {}: {}{was}, inside the {inside}{} of {} (activity {})",
            crate::output::paint(crate::output::GOOD, "Record:"),
            effort_label(units, rec.kind),
            effort_value(units, rec.kind, rec.value),
            rec.sport,
            rec.day,
            rec.activity_id
        );
    }
    for w in &r.warnings {
        outln!(
            "{} {}: {}",
            crate::output::paint(crate::output::WARN, "Warning:"),
            w.source,
            w.message
        );
    }
    if r.activities_imported > 0 {
        for w in cairn.gear_report(false)?.warnings {
            outln!(
                "{} {w} (cairn gear list)",
                crate::output::paint(crate::output::WARN, "Gear:")
            );
        }
    }
    for source in &r.restored {
        outln!("Restored the missing or damaged original of {source} into the archive.");
    }
    if !r.failed.is_empty() {
        outln!(
            "{}",
            crate::output::paint(
                crate::output::BAD,
                &format!("{} files failed:", r.failed.len())
            )
        );
        for f in &r.failed {
            outln!("  {}: {}", f.source, f.message);
        }
    }
    if let Some(stop) = &r.stopped {
        outln!("Stopped at {}: {}", stop.source, stop.message);
    }
    Ok(())
}

fn parse_date(text: &str, what: &str) -> Result<i64> {
    let date: jiff::civil::Date = text.parse().map_err(|e| {
        cairn_app::AppError::Invalid(format!(
            "--{what} {text}: expected a date like 2026-06-01 ({e})"
        ))
    })?;
    let ts = date.to_zoned(jiff::tz::TimeZone::UTC)?.timestamp();
    Ok(ts.as_millisecond())
}

pub(crate) fn local_start(a: &ActivityRecord) -> String {
    let ms = a.start_ms + a.utc_offset_s.unwrap_or(0) as i64 * 1000;
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.strftime("%Y-%m-%d %H:%M").to_string()
                + if a.utc_offset_s.is_none() { "Z" } else { "" }
        })
        .unwrap_or_else(|_| "?".into())
}

fn activities(
    cairn: &mut Cairn,
    sport: &Option<String>,
    from: &Option<String>,
    to: &Option<String>,
    deleted: bool,
    as_json: bool,
    units: Units,
) -> Result<ExitCode> {
    let filter = ActivityFilter {
        include_deleted: deleted,
        sports: sport_filter(sport.as_deref())?,
        from_ms: from.as_deref().map(|d| parse_date(d, "from")).transpose()?,
        to_ms: to
            .as_deref()
            .map(|d| parse_date(d, "to").map(|t| t + 86_400_000))
            .transpose()?,
    };
    let list: Vec<ActivityRecord> = cairn
        .activities(&filter)?
        .into_iter()
        .filter(|a| !deleted || a.deleted_time.is_some())
        .collect();
    if as_json {
        let gear = cairn.gear_of_activities(&list)?;
        print_json(
            &list
                .iter()
                .map(|a| cairn_app::json::activity(a, gear.get(&a.id)))
                .collect::<Vec<_>>(),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = crate::output::table();
    // The name column only when some activity has a name.
    let named = list.iter().any(|a| a.name.is_some());
    let mut header = vec!["id", "start (local)", "sport"];
    if named {
        header.push("name");
    }
    header.extend([
        "distance",
        "moving",
        "pace/speed",
        "ascent",
        "avg HR",
        "flags",
    ]);
    t.set_header(header);
    for a in &list {
        let s = &a.summary;
        let mut row = vec![a.id.to_string(), local_start(a), a.sport.clone()];
        if named {
            row.push(a.name.clone().unwrap_or_default());
        }
        row.extend([
            units.distance(s.distance_m),
            duration(s.moving_s),
            units.for_sport(&a.sport, s.avg_speed_mps),
            units.elevation(s.ascent_m),
            s.avg_hr_bpm
                .map(|h| format!("{h:.0}"))
                .unwrap_or_else(|| "-".into()),
            a.flags.join(" "),
        ]);
        t.add_row(row);
    }
    outln!("{t}");
    outln!(
        "{} {}",
        list.len(),
        if list.len() == 1 {
            "activity"
        } else {
            "activities"
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn show(cairn: &mut Cairn, id: i64, as_json: bool, units: Units) -> Result<ExitCode> {
    let d = cairn.show(id, units.split_length_m())?;
    let gear = cairn.gear_of_activities(std::slice::from_ref(&d.record))?;
    let gear = gear.get(&d.record.id);
    if as_json {
        print_json(&cairn_app::json::activity_detail(&d, gear))?;
        return Ok(ExitCode::SUCCESS);
    }
    let a = &d.record;
    let s = &a.summary;
    outln!("Activity {} · {} · {}", a.id, a.sport, local_start(a));
    if let Some(n) = &a.name {
        outln!("{n}");
    }
    if let Some(n) = &a.note {
        outln!("Note: {n}");
    }
    if let Some(at) = a.deleted_time {
        outln!(
            "Deleted {} (cairn restore {} brings it back)",
            cairn_core::time::rfc3339(at),
            a.id
        );
    }
    outln!(
        "Source: {} ({}){}",
        a.source,
        a.format,
        a.device
            .as_ref()
            .map(|d| format!(", recorded by {d}"))
            .unwrap_or_default()
    );
    let mut t = crate::output::table();
    let computed = |f: &str| {
        if s.computed.iter().any(|c| c == f) {
            " (computed)"
        } else {
            ""
        }
    };
    let rows: Vec<(&str, String)> = vec![
        (
            "Distance",
            units.distance(s.distance_m) + computed("distance_m"),
        ),
        ("Elapsed time", duration(s.elapsed_s)),
        ("Timer time", duration(s.timer_s)),
        ("Moving time", duration(s.moving_s) + " (computed)"),
        ("Avg pace/speed", units.for_sport(&a.sport, s.avg_speed_mps)),
        ("Max speed", units.pace_or_speed(s.max_speed_mps, true)),
        (
            "Ascent / descent",
            format!(
                "{} / {}{}",
                units.elevation(s.ascent_m),
                units.elevation(s.descent_m),
                match s.ascent_method {
                    Some(cairn_core::metrics::ascent::AscentMethod::Device) => {
                        " (device total)"
                    }
                    Some(cairn_core::metrics::ascent::AscentMethod::Gps) => {
                        " (computed from GPS altitude, filtered)"
                    }
                    Some(cairn_core::metrics::ascent::AscentMethod::Barometric) => {
                        " (computed, 5 m hysteresis)"
                    }
                    None => "",
                }
            ),
        ),
        (
            "Altitude min / max",
            format!(
                "{} / {}",
                units.elevation(s.min_altitude_m),
                units.elevation(s.max_altitude_m)
            ),
        ),
        (
            "Heart rate avg / max",
            format!("{} / {} bpm", opt0(s.avg_hr_bpm), opt0(s.max_hr_bpm)),
        ),
        (
            "Power avg / max",
            format!("{} / {} W", opt0(s.avg_power_w), opt0(s.max_power_w)),
        ),
        ("Cadence avg", opt0(s.avg_cadence)),
        ("Calories", format!("{} kcal", opt0(s.calories_kcal))),
        ("Temperature avg", units.temperature(s.avg_temperature_c)),
        (
            "Samples",
            format!("{} ({})", s.samples, s.channels.join(", ")),
        ),
        (
            "Gear",
            gear.map_or_else(
                || "-".into(),
                |g| match g.source {
                    cairn_core::gear::GearSource::Assigned => g.name.clone(),
                    cairn_core::gear::GearSource::Strava => format!("{} (from Strava)", g.name),
                    cairn_core::gear::GearSource::Default => {
                        format!("{} (the default for {})", g.name, a.sport)
                    }
                },
            ),
        ),
        (
            "Flags",
            if a.flags.is_empty() {
                "none".into()
            } else {
                a.flags.join(", ")
            },
        ),
    ];
    for (k, v) in rows {
        t.add_row([k.to_string(), v]);
    }
    outln!("{t}");
    for n in &s.notes {
        outln!("Note: {n}");
    }
    for r in &d.rejected_efforts {
        outln!("Not a record: {r}");
    }
    if !d.lap_list.is_empty() {
        let mut lt = crate::output::table();
        lt.set_header(["lap", "distance", "time", "pace/speed", "avg HR"]);
        for (i, l) in d.lap_list.iter().enumerate() {
            let secs = l.totals.timer_s.or(l.totals.elapsed_s);
            let spd = l
                .totals
                .avg_speed_mps
                .or_else(|| Some(l.totals.distance_m? / secs?));
            lt.add_row([
                (i + 1).to_string(),
                units.distance(l.totals.distance_m),
                duration(secs),
                units.for_sport(&a.sport, spd),
                opt0(l.totals.avg_hr_bpm),
            ]);
        }
        outln!("Laps\n{lt}");
    }
    if !d.splits.is_empty() {
        let mut st = crate::output::table();
        st.set_header([
            "split",
            "distance",
            "time",
            "pace/speed",
            "avg HR",
            "elev. change",
        ]);
        for sp in &d.splits {
            st.add_row([
                sp.index.to_string(),
                units.distance(Some(sp.distance_m)),
                duration(Some(sp.elapsed_s)),
                units.for_sport(&a.sport, Some(sp.distance_m / sp.elapsed_s)),
                opt0(sp.avg_hr_bpm),
                units.elevation(sp.elevation_change_m),
            ]);
        }
        outln!("Splits\n{st}");
    }
    if !d.time_in_zones.is_empty() {
        outln!("{}", crate::zones::time_table(&d.time_in_zones));
        for z in &d.time_in_zones {
            outln!("  {} zones: {}", z.scheme.signal.label(), z.scheme.source);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn opt0(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.0}")).unwrap_or_else(|| "-".into())
}

fn courses(cairn: &Cairn, as_json: bool, units: Units) -> Result<ExitCode> {
    let list = cairn.courses()?;
    if as_json {
        print_json(&serde_json::to_value(&list)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = crate::output::table();
    t.set_header(["id", "name", "distance", "points", "source"]);
    for c in &list {
        t.add_row([
            c.id.to_string(),
            c.name.clone().unwrap_or_default(),
            units.distance(Some(c.distance_m)),
            c.points.to_string(),
            c.source.clone(),
        ]);
    }
    outln!("{t}");
    Ok(ExitCode::SUCCESS)
}
