//! Planning use cases: goals with defaults from history, the active plan,
//! compliance, adaptation, the athlete's edits and feel log.

use crate::training::{local_day, warnings_of, LoadReport};
use crate::{AppError, Cairn, Result};
use cairn_core::load::series::{continued, daily_series, DayPoint};
use cairn_core::model::Sport;
use cairn_core::plan::adapt::{self, DoneSession, Edit, Feel, Signals, WeekCompliance};
use cairn_core::plan::goal::{self, History, DEFAULT_GROWTH_CAP};
use cairn_core::plan::{Change, Goal, GoalKind, Level, Plan, Start, Violation, Zones};
use cairn_store::ActivityFilter;

/// A goal as the athlete gives it; what is missing is inferred.
#[derive(Debug, Clone)]
pub struct GoalInput {
    pub kind: GoalKind,
    pub day: i32,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub max_altitude_m: Option<f64>,
    pub pack_kg: Option<f64>,
    /// Days the goal lasts (a trek's days on foot).
    pub days: Option<u32>,
    /// The race time aimed at, seconds.
    pub target_s: Option<f64>,
    pub days_per_week: Option<u8>,
    pub long_day: Option<u8>,
    pub level: Option<Level>,
    pub runner: Option<bool>,
    /// A non-runner's choice of walking, stairs and cycling instead of running.
    pub no_running: bool,
    pub growth_cap: Option<f64>,
}

/// The active plan with its id.
#[derive(Debug, Clone)]
pub struct ActivePlan {
    pub id: i64,
    pub plan: Plan,
}

impl Cairn {
    /// The overall aerobic series continued past `today` by the active
    /// plan: each later day's load is the planned load of its sessions
    /// (the plan's own estimate, on the same scale), so the fitness chart
    /// shows where the plan leads. The days after `today` only; empty
    /// without a plan or without a planned day after today.
    pub fn planned_course(&mut self, today: i32) -> Result<Vec<DayPoint>> {
        let Some(active) = self.active_plan()? else {
            return Ok(Vec::new());
        };
        let sessions: Vec<_> = active
            .plan
            .weeks
            .iter()
            .flat_map(|w| &w.sessions)
            .filter(|s| s.counts() && s.day > today)
            .collect();
        let Some(last) = sessions.iter().map(|s| s.day).max() else {
            return Ok(Vec::new());
        };
        let series = self.series_shared(today)?;
        let history: Vec<DayPoint> = series
            .iter()
            .find(|s| s.dimension == "aerobic" && s.sport.is_none())
            .map(|s| {
                s.points
                    .iter()
                    .filter(|p| p.day <= today)
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        let mut loads = vec![0.0; (last - today) as usize];
        for s in &sessions {
            loads[(s.day - today - 1) as usize] += s.load;
        }
        let cfg = self.series_config()?;
        if history.is_empty() {
            return Ok(daily_series(today + 1, &loads, &cfg));
        }
        Ok(continued(&history, &loads, &cfg))
    }

    /// What the last weeks say about the athlete, for a goal's defaults.
    pub fn history(&mut self, today: i32) -> Result<History> {
        let series = self.series(today)?;
        let overall = series
            .iter()
            .find(|s| s.dimension == "aerobic" && s.sport.is_none());
        let fitness = overall
            .and_then(|s| s.points.iter().rfind(|p| p.day <= today))
            .map(|p| p.fitness)
            .filter(|f| *f > 0.0);
        let weekly_load = overall.map(|s| {
            s.points
                .iter()
                .filter(|p| p.day > today - 28 && p.day <= today)
                .map(|p| p.load)
                .sum::<f64>()
                / 4.0
        });
        let records = self.activities(&ActivityFilter::default())?;
        let recent = |days: i32| {
            records.iter().filter(move |r| {
                r.is_primary && local_day(r) > today - days && local_day(r) <= today
            })
        };
        let runs_90d = recent(90)
            .filter(|r| Sport::from_id(&r.sport).is_some_and(|s| s.is_running()))
            .count();
        let mut days: Vec<i32> = recent(56).map(local_day).collect();
        days.sort_unstable();
        days.dedup();
        Ok(History {
            fitness,
            runs_90d,
            days_per_week: (!days.is_empty()).then(|| days.len() as f64 / 8.0),
            weekly_load: weekly_load.filter(|w| *w > 0.0),
        })
    }

    /// The athlete's zones on `day`, from the profile and estimates.
    pub fn zones(&mut self, day: i32) -> Result<Zones> {
        let (profile, estimates) = self.estimates()?;
        Ok(Zones::from_thresholds(&profile.thresholds(day, &estimates)))
    }

    /// Resolves the goal's defaults, generates the plan from today and makes
    /// it the active plan (an earlier plan is kept, inactive).
    pub fn add_goal(&mut self, input: &GoalInput, today: i32) -> Result<ActivePlan> {
        let history = self.history(today)?;
        let mut inferred = Vec::new();
        let level = match input.level {
            Some(l) => l,
            None => {
                let (l, why) = goal::infer_level(&history);
                inferred.push(why);
                l
            }
        };
        let runner = match input.runner {
            Some(r) => r,
            None => {
                let (r, why) = goal::infer_runner(&history);
                inferred.push(why);
                r
            }
        };
        let days_per_week = match input.days_per_week {
            Some(d) => d,
            None => {
                let (d, why) = goal::infer_days_per_week(&history);
                inferred.push(why);
                d
            }
        };
        let long_day = input.long_day.unwrap_or_else(|| {
            inferred.push("long day sat: the default".into());
            5
        });
        let profile_pack = self
            .profile_entries()?
            .iter()
            .filter(|e| e.key == cairn_core::load::ProfileKey::PackMass)
            .map(|e| e.value)
            .next_back();
        let pack_kg = match input.pack_kg {
            Some(p) => Some(p),
            None => goal::default_pack_kg(input.kind, profile_pack).map(|(p, why)| {
                inferred.push(why);
                p
            }),
        };
        let g = Goal {
            kind: input.kind,
            day: input.day,
            distance_m: input.distance_m,
            ascent_m: input.ascent_m,
            max_altitude_m: input.max_altitude_m,
            pack_kg,
            days: input.days,
            target_s: input.target_s,
            days_per_week,
            long_day,
            level,
            runner,
            running: !input.no_running,
            growth_cap: input.growth_cap.unwrap_or(DEFAULT_GROWTH_CAP),
            inferred,
        };
        g.validate().map_err(AppError::Invalid)?;
        let start = Start {
            today,
            weekly_load: history.weekly_load,
            zones: self.zones(today)?,
        };
        let plan = cairn_core::plan::generate(&g, &start).map_err(AppError::Invalid)?;
        let id = self.store.add_plan(self.athlete, today, &to_json(&plan)?)?;
        Ok(ActivePlan { id, plan })
    }

    /// Every plan, newest first, with whether it is the active one.
    pub fn plans(&self) -> Result<Vec<(i64, bool, Plan)>> {
        self.store
            .plans(self.athlete)?
            .into_iter()
            .map(|(id, active, json)| Ok((id, active, from_json(&json)?)))
            .collect()
    }

    /// Makes an earlier goal's plan the active one again.
    pub fn activate_goal(&mut self, id: i64) -> Result<Plan> {
        if !self.store.set_active_plan(self.athlete, Some(id))? {
            return Err(self.no_such_goal(id));
        }
        self.require_plan().map(|a| a.plan)
    }

    /// Sets a goal aside: its plan is no longer active (nothing is deleted;
    /// `activate_goal` brings it back). Also says whether it was active.
    pub fn remove_goal(&mut self, id: i64) -> Result<(Plan, bool)> {
        let plans = self.plans()?;
        let Some((_, active, plan)) = plans.into_iter().find(|(p, _, _)| *p == id) else {
            return Err(self.no_such_goal(id));
        };
        if active {
            self.store.set_active_plan(self.athlete, None)?;
        }
        Ok((plan, active))
    }

    fn no_such_goal(&self, id: i64) -> AppError {
        let ids: Vec<String> = self
            .plans()
            .unwrap_or_default()
            .iter()
            .map(|(p, _, _)| p.to_string())
            .collect();
        AppError::Invalid(if ids.is_empty() {
            format!("no goal {id}: there are no goals yet")
        } else {
            format!(
                "no goal {id}; the goals are {} (cairn goal list)",
                ids.join(", ")
            )
        })
    }

    pub fn active_plan(&self) -> Result<Option<ActivePlan>> {
        Ok(self
            .plans()?
            .into_iter()
            .find(|(_, active, _)| *active)
            .map(|(id, _, plan)| ActivePlan { id, plan }))
    }

    fn require_plan(&self) -> Result<ActivePlan> {
        let set_aside = !self.plans()?.is_empty();
        self.active_plan()?.ok_or_else(|| {
            AppError::Invalid(if set_aside {
                "no plan is active: `cairn goal list` shows the goals, `cairn goal activate ID` takes one up again".into()
            } else {
                "no plan yet: add a goal with `cairn goal add --kind … --date …`".into()
            })
        })
    }

    /// The recorded activities on the plan's days, as adaptation sees them,
    /// from loads the caller already computed.
    fn done_sessions(&self, plan: &Plan, report: &LoadReport) -> Result<Vec<DoneSession>> {
        let first = plan.first_day();
        let filter = ActivityFilter {
            from_ms: Some(first as i64 * 86_400_000),
            ..ActivityFilter::default()
        };
        let duration: std::collections::HashMap<i64, f64> = self
            .activities(&filter)?
            .iter()
            .map(|r| {
                let s = &r.summary;
                let d = s
                    .moving_s
                    .or(s.timer_s)
                    .or(s.elapsed_s)
                    .unwrap_or(((r.end_ms - r.start_ms) as f64 / 1000.0).max(0.0));
                (r.id, d)
            })
            .collect();
        Ok(report
            .rows
            .iter()
            .filter(|r| r.is_primary && r.day >= first && r.day <= plan.goal.day)
            .map(|r| DoneSession {
                activity_id: r.id,
                day: r.day,
                sport: Sport::from_id(&r.sport).unwrap_or(Sport::Other),
                duration_s: duration.get(&r.id).copied().unwrap_or(0.0),
                load: r.aerobic,
            })
            .collect())
    }

    /// The active plan and its compliance as of `today`.
    /// Kept until the archive changes: the calendar asks on every page.
    pub fn plan_status(&mut self, today: i32) -> Result<(ActivePlan, Vec<WeekCompliance>)> {
        self.memoized(format!("plan status {today}"), move |c| {
            let active = c.require_plan()?;
            let report = c.loads_shared()?;
            let done = c.done_sessions(&active.plan, &report)?;
            let status = adapt::compliance(&active.plan, &done, today);
            Ok((active, status))
        })
    }

    /// Rewrites the coming weeks from what was done, the feel log and the
    /// load warnings; stores the plan (unless `preview`) and returns the
    /// changes. `None` when there is no plan.
    pub fn adapt_plan(&mut self, today: i32, preview: bool) -> Result<Option<Vec<Change>>> {
        let Some(active) = self.active_plan()? else {
            return Ok(None);
        };
        // One computation of the loads serves what was done and the warnings.
        let report = self.loads_shared()?;
        let done = self.done_sessions(&active.plan, &report)?;
        let feel = self.store.feel_log(self.athlete)?;
        let series = self.series_of(&report, today)?;
        let warnings: Vec<String> = warnings_of(&series, today)
            .into_iter()
            .map(|w| w.message)
            .collect();
        let signals = Signals {
            today,
            done: &done,
            feel: &feel,
            warnings: &warnings,
        };
        let (plan, changes) = adapt::adapt(&active.plan, &signals);
        if plan != active.plan && !preview {
            self.store
                .update_plan(self.athlete, active.id, &to_json(&plan)?)?;
        }
        Ok(Some(changes))
    }

    /// The athlete's change to a day of the plan; returns the rules the plan
    /// now breaks (the edit is kept regardless).
    pub fn edit_plan(&mut self, day: i32, e: &Edit) -> Result<Vec<Violation>> {
        let mut active = self.require_plan()?;
        let broken = adapt::edit(&mut active.plan, day, e).map_err(AppError::Invalid)?;
        self.store
            .update_plan(self.athlete, active.id, &to_json(&active.plan)?)?;
        Ok(broken)
    }

    /// Logs how a day felt (each score 1–5); replaces that day's entry.
    pub fn log_feel(&mut self, feel: &Feel) -> Result<()> {
        for (name, v) in [
            ("fatigue", feel.fatigue),
            ("soreness", feel.soreness),
            ("sleep", feel.sleep),
        ] {
            if let Some(x) = v {
                if !(1..=5).contains(&x) {
                    return Err(AppError::Invalid(format!(
                        "{name} {x} is outside 1–5 (1 none/poor … 5 severe/excellent)"
                    )));
                }
            }
        }
        if feel.fatigue.is_none()
            && feel.soreness.is_none()
            && feel.sleep.is_none()
            && !feel.ill
            && feel.note.is_none()
        {
            return Err(AppError::Invalid(
                "nothing to log: give --fatigue, --soreness, --sleep, --ill or --note".into(),
            ));
        }
        Ok(self.store.put_feel(self.athlete, feel)?)
    }

    pub fn feel_log(&self) -> Result<Vec<Feel>> {
        Ok(self.store.feel_log(self.athlete)?)
    }
}

fn to_json(plan: &Plan) -> Result<String> {
    serde_json::to_string(plan)
        .map_err(|e| AppError::Invalid(format!("plan does not serialise: {e}")))
}

fn from_json(json: &str) -> Result<Plan> {
    serde_json::from_str(json).map_err(|e| {
        AppError::Invalid(format!(
            "a stored plan does not read back ({e}); it was written by another version of cairn"
        ))
    })
}
