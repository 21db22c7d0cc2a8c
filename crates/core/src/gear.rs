//! Gear: the shoes and bikes an athlete trains in, what each has carried
//! (distance, moving time, ascent) and when it is due to be retired.
//!
//! Which gear a session used is decided in this order: the athlete's own
//! assignment (which may be "none"), then the gear named by Strava's export,
//! then the gear that is the default for the session's sport on that day.

use crate::model::Sport;
use serde::{Deserialize, Serialize};

/// Share of the retirement distance at which cairn starts to warn. Shoe
/// makers' guidance is a range (roughly 500–800 km) rather than a point, so
/// the last tenth of the athlete's own figure is cairn's choice of "near".
pub const RETIRE_WARNING_SHARE: f64 = 0.9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GearKind {
    Shoes,
    Bike,
    Other,
}

impl GearKind {
    pub fn id(self) -> &'static str {
        match self {
            GearKind::Shoes => "shoes",
            GearKind::Bike => "bike",
            GearKind::Other => "other",
        }
    }

    pub fn from_id(text: &str) -> Option<GearKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "shoes" | "shoe" => Some(GearKind::Shoes),
            "bike" | "bicycle" => Some(GearKind::Bike),
            "other" => Some(GearKind::Other),
            _ => None,
        }
    }

    /// What a piece of gear named only by a Strava export probably is.
    pub fn guess_for(sport: Sport) -> GearKind {
        if sport.is_cycling() {
            GearKind::Bike
        } else if sport.is_on_foot() {
            GearKind::Shoes
        } else {
            GearKind::Other
        }
    }
}

/// One piece of gear as the athlete registered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GearItem {
    pub id: i64,
    pub name: String,
    pub kind: GearKind,
    /// Sport words (a family such as `run`, or a sport such as `trail_run`)
    /// for which this is the default while it is in use.
    pub default_for: Vec<String>,
    /// First local day in use; `None`: always.
    pub from_day: Option<i32>,
    /// Local day it was retired (it still counts that day); `None`: in use.
    pub retired_day: Option<i32>,
    pub retire_at_m: Option<f64>,
    /// Distance it already had when it was added to cairn.
    pub initial_distance_m: f64,
}

impl GearItem {
    fn in_use_on(&self, day: i32) -> bool {
        self.from_day.is_none_or(|f| day >= f) && self.retired_day.is_none_or(|r| day <= r)
    }

    /// How closely this item is the default for `sport`: 2 for the sport
    /// itself, 1 for its family, `None` when it is not a default for it.
    fn default_rank(&self, sport: Sport) -> Option<u8> {
        self.default_for
            .iter()
            .filter_map(|word| {
                if Sport::from_id(word) == Some(sport) {
                    Some(2)
                } else {
                    Sport::matching(word)
                        .filter(|sports| sports.contains(&sport))
                        .map(|_| 1)
                }
            })
            .max()
    }
}

/// What the athlete said about one session's gear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    /// This gear, whatever Strava or the default says.
    Gear(i64),
    /// No tracked gear at all.
    NoGear,
}

/// One counted session, as gear sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct GearSession {
    pub activity_id: i64,
    pub day: i32,
    pub sport: Sport,
    /// The gear named by Strava's export, if any.
    pub strava_gear: Option<String>,
    pub assignment: Option<Assignment>,
    pub distance_m: Option<f64>,
    pub moving_s: Option<f64>,
    pub ascent_m: Option<f64>,
}

/// Why a session counts on a piece of gear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GearSource {
    Assigned,
    Strava,
    Default,
}

/// The gear a session used, and why; `None` when it used none that is known.
///
/// A Strava name that matches no registered item is returned as
/// `GearRef::Unregistered`, so an imported export lists its gear before the
/// athlete registers any.
pub fn gear_of(items: &[GearItem], s: &GearSession) -> Option<(GearRef, GearSource)> {
    match s.assignment {
        Some(Assignment::Gear(id)) => return Some((GearRef::Item(id), GearSource::Assigned)),
        Some(Assignment::NoGear) => return None,
        None => {}
    }
    if let Some(name) = s.strava_gear.as_deref() {
        let found = items.iter().find(|g| g.name.eq_ignore_ascii_case(name));
        let gear = match found {
            Some(g) => GearRef::Item(g.id),
            None => GearRef::Unregistered(name.to_string()),
        };
        return Some((gear, GearSource::Strava));
    }
    items
        .iter()
        .filter(|g| g.in_use_on(s.day))
        .filter_map(|g| g.default_rank(s.sport).map(|rank| (rank, g.from_day, g.id)))
        .max()
        .map(|(_, _, id)| (GearRef::Item(id), GearSource::Default))
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GearRef {
    Item(i64),
    /// Named by a Strava export, not registered in cairn.
    Unregistered(String),
}

/// What one piece of gear has carried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GearUsage {
    /// `None` for gear known only by its Strava name.
    pub id: Option<i64>,
    pub name: String,
    pub kind: GearKind,
    pub default_for: Vec<String>,
    #[serde(with = "crate::time::json::day_opt")]
    pub from_day: Option<i32>,
    #[serde(with = "crate::time::json::day_opt")]
    pub retired_day: Option<i32>,
    pub sessions: usize,
    /// Including the distance it had when added.
    pub distance_m: f64,
    pub moving_s: f64,
    pub ascent_m: f64,
    #[serde(with = "crate::time::json::day_opt")]
    pub first_day: Option<i32>,
    #[serde(with = "crate::time::json::day_opt")]
    pub last_day: Option<i32>,
    pub retire_at_m: Option<f64>,
    /// Set once the distance reaches [`RETIRE_WARNING_SHARE`] of the
    /// retirement distance, for gear still in use.
    pub retire_warning: Option<String>,
}

/// Totals per piece of gear over the given sessions: every registered item
/// (used or not) and every unregistered Strava name, registered first.
pub fn usage(items: &[GearItem], sessions: &[GearSession]) -> Vec<GearUsage> {
    let mut out: Vec<GearUsage> = items
        .iter()
        .map(|g| GearUsage {
            id: Some(g.id),
            name: g.name.clone(),
            kind: g.kind,
            default_for: g.default_for.clone(),
            from_day: g.from_day,
            retired_day: g.retired_day,
            sessions: 0,
            distance_m: g.initial_distance_m,
            moving_s: 0.0,
            ascent_m: 0.0,
            first_day: None,
            last_day: None,
            retire_at_m: g.retire_at_m,
            retire_warning: None,
        })
        .collect();
    for s in sessions {
        let Some((gear, _)) = gear_of(items, s) else {
            continue;
        };
        let index = match &gear {
            GearRef::Item(id) => out.iter().position(|u| u.id == Some(*id)),
            GearRef::Unregistered(name) => out
                .iter()
                .position(|u| u.id.is_none() && u.name.eq_ignore_ascii_case(name))
                .or_else(|| {
                    out.push(GearUsage {
                        id: None,
                        name: name.clone(),
                        kind: GearKind::guess_for(s.sport),
                        default_for: Vec::new(),
                        from_day: None,
                        retired_day: None,
                        sessions: 0,
                        distance_m: 0.0,
                        moving_s: 0.0,
                        ascent_m: 0.0,
                        first_day: None,
                        last_day: None,
                        retire_at_m: None,
                        retire_warning: None,
                    });
                    Some(out.len() - 1)
                }),
        };
        let Some(u) = index.and_then(|i| out.get_mut(i)) else {
            continue; // assigned to an item that no longer exists
        };
        u.sessions += 1;
        u.distance_m += s.distance_m.unwrap_or(0.0);
        u.moving_s += s.moving_s.unwrap_or(0.0);
        u.ascent_m += s.ascent_m.unwrap_or(0.0);
        u.first_day = Some(u.first_day.map_or(s.day, |d| d.min(s.day)));
        u.last_day = Some(u.last_day.map_or(s.day, |d| d.max(s.day)));
    }
    for u in &mut out {
        u.retire_warning = retire_warning(u);
    }
    out
}

fn retire_warning(u: &GearUsage) -> Option<String> {
    let limit = u.retire_at_m.filter(|l| *l > 0.0)?;
    if u.retired_day.is_some() || u.distance_m < RETIRE_WARNING_SHARE * limit {
        return None;
    }
    let share = (100.0 * u.distance_m / limit).round();
    Some(if u.distance_m >= limit {
        format!(
            "{} has passed its retirement distance ({share:.0} % of it)",
            u.name
        )
    } else {
        format!(
            "{} is near its retirement distance ({share:.0} % of it)",
            u.name
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, name: &str, default_for: &[&str], from: Option<i32>) -> GearItem {
        GearItem {
            id,
            name: name.into(),
            kind: GearKind::Shoes,
            default_for: default_for.iter().map(|s| s.to_string()).collect(),
            from_day: from,
            retired_day: None,
            retire_at_m: None,
            initial_distance_m: 0.0,
        }
    }

    fn session(id: i64, day: i32, sport: Sport, km: f64) -> GearSession {
        GearSession {
            activity_id: id,
            day,
            sport,
            strava_gear: None,
            assignment: None,
            distance_m: Some(km * 1000.0),
            moving_s: Some(km * 330.0),
            ascent_m: Some(km * 10.0),
        }
    }

    #[test]
    fn assignment_beats_strava_beats_default() {
        let items = [item(1, "Road", &["run"], None), item(2, "Trail", &[], None)];
        let mut s = session(10, 100, Sport::Run, 10.0);
        assert_eq!(
            gear_of(&items, &s),
            Some((GearRef::Item(1), GearSource::Default))
        );
        s.strava_gear = Some("trail".into());
        assert_eq!(
            gear_of(&items, &s),
            Some((GearRef::Item(2), GearSource::Strava))
        );
        s.assignment = Some(Assignment::Gear(1));
        assert_eq!(
            gear_of(&items, &s),
            Some((GearRef::Item(1), GearSource::Assigned))
        );
        s.assignment = Some(Assignment::NoGear);
        assert_eq!(gear_of(&items, &s), None);
    }

    #[test]
    fn the_sport_default_beats_the_family_and_the_newer_pair_takes_over() {
        let items = [
            item(1, "Old road", &["run"], Some(0)),
            item(2, "New road", &["run"], Some(50)),
            item(3, "Trail", &["trail_run"], None),
        ];
        let on = |day, sport| gear_of(&items, &session(0, day, sport, 1.0)).map(|g| g.0);
        assert_eq!(on(10, Sport::Run), Some(GearRef::Item(1)));
        assert_eq!(on(60, Sport::Run), Some(GearRef::Item(2)));
        assert_eq!(on(60, Sport::TrailRun), Some(GearRef::Item(3)));
        assert_eq!(on(60, Sport::Ride), None);
    }

    #[test]
    fn retired_gear_is_no_longer_the_default() {
        let mut old = item(1, "Old", &["run"], None);
        old.retired_day = Some(20);
        let items = [old];
        assert!(gear_of(&items, &session(0, 20, Sport::Run, 1.0)).is_some());
        assert!(gear_of(&items, &session(0, 21, Sport::Run, 1.0)).is_none());
    }

    #[test]
    fn usage_adds_up_and_warns_near_retirement() {
        let mut shoes = item(1, "Pegasus", &["run"], None);
        shoes.retire_at_m = Some(700_000.0);
        shoes.initial_distance_m = 600_000.0;
        let items = [shoes, item(2, "Spare", &[], None)];
        let mut sessions: Vec<_> = (0..3)
            .map(|i| session(i, 10 + i as i32, Sport::Run, 10.0))
            .collect();
        let mut hike = session(9, 30, Sport::Hike, 12.0);
        hike.strava_gear = Some("Boots".into());
        sessions.push(hike);
        let u = usage(&items, &sessions);
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].sessions, 3);
        assert!((u[0].distance_m - 630_000.0).abs() < 1e-6);
        assert!((u[0].ascent_m - 300.0).abs() < 1e-6);
        assert_eq!((u[0].first_day, u[0].last_day), (Some(10), Some(12)));
        assert_eq!(
            u[0].retire_warning.as_deref(),
            Some("Pegasus is near its retirement distance (90 % of it)")
        );
        assert_eq!(u[1].sessions, 0);
        assert_eq!(u[1].retire_warning, None);
        assert_eq!((u[2].id, u[2].name.as_str()), (None, "Boots"));
        assert_eq!(u[2].kind, GearKind::Shoes);
    }

    #[test]
    fn every_session_counts_on_at_most_one_piece_of_gear() {
        let items = [
            item(1, "A", &["run", "hike"], None),
            item(2, "B", &["run"], Some(5)),
        ];
        let sessions: Vec<_> = (0..40)
            .map(|i| {
                let mut s = session(i, i as i32, [Sport::Run, Sport::Hike][i as usize % 2], 5.0);
                if i % 7 == 0 {
                    s.strava_gear = Some("C".into());
                }
                if i % 11 == 0 {
                    s.assignment = Some(Assignment::NoGear);
                }
                s
            })
            .collect();
        let counted: usize = usage(&items, &sessions).iter().map(|u| u.sessions).sum();
        let with_gear = sessions
            .iter()
            .filter(|s| gear_of(&items, s).is_some())
            .count();
        assert_eq!(counted, with_gear);
        assert_eq!(with_gear, 40 - 4); // 0, 11, 22, 33 have none
    }
}
