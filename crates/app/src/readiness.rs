//! `cairn ready`: the active goal's demands against the athlete's recent
//! sessions, altitude exposure, race prediction and fitness trend
//! (cairn_core::readiness holds the method).

use crate::training::local_day;
use crate::{AppError, Cairn, Result};
use cairn_core::plan::GoalKind;
use cairn_core::readiness::{self, Evidence, Proof, Readiness, Session, Trend};

impl Cairn {
    /// How ready the athlete is, on `today`, for the active plan's goal;
    /// its texts write heights and masses as `say` does
    /// (`cairn_core::readiness::Si` for JSON, the display units on screen).
    pub fn readiness(&mut self, today: i32, say: &dyn readiness::Say) -> Result<Readiness> {
        let Some(active) = self.active_plan()? else {
            return Err(AppError::Invalid(
                "no active goal: add one with `cairn goal add --kind trek --date YYYY-MM-DD …`"
                    .into(),
            ));
        };
        let goal = active.plan.goal.clone();
        // Kept until the archive changes: the plan page asks on every view.
        let key = format!("readiness {today} {:?} {:?}", goal.kind, goal.distance_m);
        let evidence = self.memoized(key, |c| c.readiness_evidence(&goal, today))?;
        Ok(readiness::assess(
            &goal,
            &evidence,
            today,
            Some(&active.plan),
            say,
        ))
    }

    fn readiness_evidence(
        &mut self,
        goal: &cairn_core::plan::Goal,
        today: i32,
    ) -> Result<Evidence> {
        let from = today - readiness::WINDOW_DAYS + 1;
        let notes = self.store.notes(self.athlete)?;
        let sessions = self
            .primary_facts()?
            .into_iter()
            .filter(|(r, _)| (from..=today).contains(&local_day(r)))
            .map(|(r, f)| Session {
                activity_id: r.id,
                day: local_day(&r),
                sport: cairn_core::model::Sport::from_id(&r.sport)
                    .unwrap_or(cairn_core::model::Sport::Other),
                moving_s: r.summary.moving_s.unwrap_or(0.0),
                distance_m: r.summary.distance_m,
                ascent_m: r.summary.ascent_m,
                descent_m: r.summary.descent_m,
                max_altitude_m: r.summary.max_altitude_m,
                pack_kg: notes.get(&r.id).and_then(|n| n.pack_kg),
                vertical_60min_m: f.best.vertical_60min_m,
            })
            .collect();
        let exposure = self.altitude(today, today)?.days;
        let predicted = match (goal.kind, goal.distance_m) {
            (GoalKind::Race, Some(d)) => self
                .predict_races(today - 179, today, &[d], None)?
                .rows
                .first()
                .map(|row| {
                    let p = &row.prediction;
                    (
                        p.vdot_s,
                        Proof {
                            activity_id: p.vdot_from.activity_id,
                            day: p.vdot_from.day,
                        },
                    )
                }),
            _ => None,
        };
        let series = self.series_shared(today)?;
        let trend = |dimension: &str| {
            let s = series
                .iter()
                .find(|s| s.dimension == dimension && s.sport.is_none())?;
            let at = |day: i32| {
                s.points
                    .iter()
                    .rev()
                    .find(|p| p.day <= day)
                    .map_or(0.0, |p| p.fitness)
            };
            Some(Trend {
                now: at(today),
                four_weeks_ago: at(today - 28),
            })
        };
        Ok(Evidence {
            sessions,
            exposure,
            predicted,
            aerobic_fitness: trend("aerobic"),
            mechanical_fitness: trend("mechanical"),
        })
    }
}

/// A demand's value as the CLI and the dashboard show it.
pub fn value_text(units: crate::units::Units, d: &readiness::Demand, v: f64) -> String {
    match (d.id, d.unit) {
        (_, "s") => cairn_core::plan::session::duration_text(v),
        ("distance", _) => units.distance(Some(v)),
        (_, "m") => units.elevation(Some(v)),
        (_, "m/h") => format!("{}/h", units.elevation(Some(v))),
        (_, "kg") => units.mass(Some(v)),
        (_, "days") => format!("{v:.0} days"),
        (_, "h") => format!("{v:.0} h"),
        (_, unit) => format!("{v:.1} {unit}"),
    }
}

/// On screen, in the display units.
impl readiness::Say for crate::units::Units {
    fn height(&self, m: f64) -> String {
        self.elevation(Some(m))
    }
    fn mass(&self, kg: f64) -> String {
        crate::units::Units::mass(*self, Some(kg))
    }
}
