//! Which stored activity a new one probably duplicates: the rule every
//! backend applies inside its import transaction, kept here once.

use crate::ActivityRecord;
use cairn_core::model::Sport;

/// Two activities are probable duplicates when they overlap in time by at
/// least half of the shorter one and belong to the same family of sports
/// (a watch may call a run what its GPX export calls a hike); an unknown
/// sport ("other", e.g. a TCX export's `Sport="Other"`) matches any family.
/// Only activities that started at most [`SEARCH_BACK_MS`] before are
/// searched (the time index bounds the scan; longer activities are flagged
/// implausible).
pub const DUPLICATE_OVERLAP: f64 = 0.5;

/// How far before a new activity's start the search for its duplicate goes.
pub const SEARCH_BACK_MS: i64 = 8 * 86_400_000;

fn family(sport: &str) -> &'static str {
    match Sport::from_id(sport) {
        Some(s) if s.is_on_foot() => "foot",
        Some(s) if s.is_cycling() => "cycling",
        Some(Sport::PoolSwim | Sport::OpenWaterSwim) => "swim",
        _ => "other",
    }
}

/// The first of `candidates` (id, start, end, sport: the counted
/// activities overlapping `r`, in the backend's order) that `r` duplicates.
pub fn probable_duplicate_of(
    r: &ActivityRecord,
    candidates: &[(i64, i64, i64, String)],
) -> Option<i64> {
    candidates.iter().find_map(|(id, s, e, sport)| {
        let overlap = (e.min(&r.end_ms) - s.max(&r.start_ms)) as f64;
        let shorter = ((e - s).min(r.end_ms - r.start_ms)).max(1) as f64;
        let (f1, f2) = (family(sport), family(&r.sport));
        let same_family = f1 == f2 || f1 == "other" || f2 == "other";
        (overlap / shorter >= DUPLICATE_OVERLAP && same_family).then_some(*id)
    })
}

/// The activity's flags, with `probable_duplicate` when it is one.
pub fn flags_with(flags: &[String], dup_of: Option<i64>) -> Vec<String> {
    let mut flags = flags.to_vec();
    if dup_of.is_some() {
        flags.push("probable_duplicate".into());
        flags.sort();
        flags.dedup();
    }
    flags
}
