//! Gear use cases: register shoes and bikes, assign sessions to them, retire
//! them, and list what each has carried (`cairn_core::gear` does the sums).

use crate::training::local_day;
use crate::{AppError, Cairn, Result};
use cairn_core::gear::{self, Assignment, GearItem, GearKind, GearRef, GearSession, GearSource};
use cairn_core::model::Sport;
use cairn_store::{ActivityFilter, ActivityRecord};
use serde::Serialize;
use std::collections::HashMap;

/// A piece of gear to register.
#[derive(Debug, Clone)]
pub struct NewGear {
    pub name: String,
    pub kind: GearKind,
    pub default_for: Vec<String>,
    pub from_day: Option<i32>,
    pub retire_at_m: Option<f64>,
    pub initial_distance_m: f64,
}

/// Every piece of gear with what it carried, and the warnings.
#[derive(Debug, Clone, Serialize)]
pub struct GearReport {
    pub gear: Vec<gear::GearUsage>,
    pub warnings: Vec<String>,
}

/// The gear one activity counts on, as `show` says it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityGear {
    pub name: String,
    /// `assigned`, `strava` or `default`.
    pub source: GearSource,
}

fn session(a: &ActivityRecord, assignments: &HashMap<i64, Assignment>) -> GearSession {
    GearSession {
        activity_id: a.id,
        day: local_day(a),
        sport: Sport::from_id(&a.sport).unwrap_or(Sport::Other),
        strava_gear: a.gear.clone(),
        assignment: assignments.get(&a.id).copied(),
        distance_m: a.summary.distance_m,
        moving_s: a.summary.moving_s.or(a.summary.timer_s),
        ascent_m: a.summary.ascent_m,
    }
}

fn check_sport_words(words: &[String]) -> Result<()> {
    for w in words {
        if Sport::matching(w).is_none() {
            return Err(AppError::Invalid(format!(
                "no sport or family '{w}'; one of: {}",
                Sport::filter_words()
            )));
        }
    }
    Ok(())
}

impl Cairn {
    /// What every piece of gear has carried over the counted sessions
    /// (deleted activities and uncounted duplicates left out); retired gear
    /// only with `all`.
    pub fn gear_report(&self, all: bool) -> Result<GearReport> {
        let items = self.store.gear(self.athlete)?;
        let assignments = self.store.gear_assignments(self.athlete)?;
        let sessions: Vec<GearSession> = self
            .store
            .activities(self.athlete, &ActivityFilter::default())?
            .iter()
            .filter(|a| a.is_primary)
            .map(|a| session(a, &assignments))
            .collect();
        let gear: Vec<_> = gear::usage(&items, &sessions)
            .into_iter()
            .filter(|u| all || u.retired_day.is_none())
            .collect();
        let warnings = gear
            .iter()
            .filter_map(|u| u.retire_warning.clone())
            .collect();
        Ok(GearReport { gear, warnings })
    }

    /// The gear each of these activities counts on, and why (activities on
    /// no known gear left out).
    pub fn gear_of_activities(
        &mut self,
        activities: &[ActivityRecord],
    ) -> Result<HashMap<i64, ActivityGear>> {
        let tables = self.gear_tables()?;
        let (items, assignments) = (&tables.items, &tables.assignments);
        Ok(activities
            .iter()
            .filter_map(|a| {
                let (g, source) = gear::gear_of(items, &session(a, assignments))?;
                let name = match g {
                    GearRef::Item(id) => items.iter().find(|i| i.id == id)?.name.clone(),
                    GearRef::Unregistered(name) => name,
                };
                Some((a.id, ActivityGear { name, source }))
            })
            .collect())
    }

    /// Registers a piece of gear. A name Strava's export already uses is
    /// allowed: the item then claims those sessions.
    pub fn add_gear(&mut self, g: &NewGear) -> Result<GearItem> {
        let name = g.name.trim();
        if name.is_empty() {
            return Err(AppError::Invalid("a piece of gear needs a name".into()));
        }
        check_sport_words(&g.default_for)?;
        if g.retire_at_m.is_some_and(|m| m <= 0.0) || g.initial_distance_m < 0.0 {
            return Err(AppError::Invalid(
                "--retire-at and --used are distances above zero".into(),
            ));
        }
        let mut item = GearItem {
            id: 0,
            name: name.to_string(),
            kind: g.kind,
            default_for: g.default_for.clone(),
            from_day: g.from_day,
            retired_day: None,
            retire_at_m: g.retire_at_m,
            initial_distance_m: g.initial_distance_m,
        };
        item.id = self.store.put_gear(self.athlete, &item)?;
        Ok(item)
    }

    /// The registered item with this name; one named only by Strava is
    /// registered first (its kind guessed from the sports it was used for).
    fn gear_named(&mut self, name: &str) -> Result<GearItem> {
        let items = self.store.gear(self.athlete)?;
        if let Some(item) = items
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name.trim()))
        {
            return Ok(item.clone());
        }
        let report = self.gear_report(true)?;
        let Some(strava) = report
            .gear
            .iter()
            .find(|u| u.id.is_none() && u.name.eq_ignore_ascii_case(name.trim()))
        else {
            let known: Vec<_> = report.gear.iter().map(|u| u.name.as_str()).collect();
            return Err(AppError::Invalid(if known.is_empty() {
                format!("no gear named '{name}': there is none yet (cairn gear add NAME)")
            } else {
                format!("no gear named '{name}'; there is: {}", known.join(", "))
            }));
        };
        let new = NewGear {
            name: strava.name.clone(),
            kind: strava.kind,
            default_for: Vec::new(),
            from_day: None,
            retire_at_m: None,
            initial_distance_m: 0.0,
        };
        self.add_gear(&new)
    }

    /// Counts these activities on the named gear (`None`: on no gear),
    /// whatever Strava or the defaults say; returns the gear.
    pub fn assign_gear(
        &mut self,
        name: Option<&str>,
        activities: &[i64],
    ) -> Result<Option<GearItem>> {
        // Checked first: a wrong id must not register a Strava name.
        for id in activities {
            self.store.activity(self.athlete, *id)?;
        }
        let item = name.map(|n| self.gear_named(n)).transpose()?;
        let assignment = match &item {
            Some(g) => Assignment::Gear(g.id),
            None => Assignment::NoGear,
        };
        self.store
            .assign_gear(self.athlete, activities, Some(assignment))?;
        Ok(item)
    }

    /// Forgets the athlete's choice for these activities: Strava's gear or
    /// the default applies again.
    pub fn unassign_gear(&mut self, activities: &[i64]) -> Result<()> {
        Ok(self.store.assign_gear(self.athlete, activities, None)?)
    }

    /// Retires the gear on `day` (it still counts that day), or with `None`
    /// brings it back into use.
    pub fn retire_gear(&mut self, name: &str, day: Option<i32>) -> Result<GearItem> {
        let mut item = self.gear_named(name)?;
        if let (Some(d), Some(from)) = (day, item.from_day) {
            if d < from {
                return Err(AppError::Invalid(format!(
                    "{} came into use on {}: it cannot be retired before",
                    item.name,
                    crate::day_text(from)
                )));
            }
        }
        item.retired_day = day;
        self.store.put_gear(self.athlete, &item)?;
        Ok(item)
    }

    /// Makes the gear the default for these sports or families (an empty
    /// list: the default for none).
    pub fn set_gear_default(&mut self, name: &str, sports: &[String]) -> Result<GearItem> {
        check_sport_words(sports)?;
        let mut item = self.gear_named(name)?;
        item.default_for = sports
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .collect();
        self.store.put_gear(self.athlete, &item)?;
        Ok(item)
    }
}
