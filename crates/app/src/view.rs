//! Everything the dashboard's activity page shows, read and derived once:
//! one decode of the samples and one timeline serve the summary, the
//! splits, the zones, the load, the series and the best efforts.

use crate::gear::ActivityGear;
use crate::records::ActivityEffort;
use crate::training::local_day;
use crate::{ActivityDetail, Cairn, Result};
use cairn_core::load::{session_load, SessionLoad, SessionNotes};
use cairn_core::streams::Streams;
use cairn_core::timeline::Timeline;
use cairn_store::{Store, StoredNotes};

/// One activity as its page shows it.
#[derive(Debug, Clone)]
pub struct ActivityView {
    pub detail: ActivityDetail,
    pub load: SessionLoad,
    /// Every recorded second; the page reduces it for the map.
    pub streams: Streams,
    pub notes: StoredNotes,
    pub efforts: Vec<ActivityEffort>,
    /// Other copies of the session that are not counted.
    pub copies: Vec<i64>,
    pub gear: Option<ActivityGear>,
}

impl Cairn {
    /// Activity `id` as its page shows it.
    pub fn activity_view(&mut self, id: i64, split_length_m: f64) -> Result<ActivityView> {
        let record = self.store.activity(self.athlete, id)?;
        let a = self.load_activity(&record)?;
        let timeline = Timeline::of(&a);
        let gear = self
            .gear_of_activities(std::slice::from_ref(&record))?
            .remove(&id);
        let (profile, estimates) = self.estimates()?;
        let thresholds = profile.thresholds(local_day(&record), &estimates);
        let notes = self.session_notes(id)?;
        let load = session_load(
            &a,
            &timeline,
            &thresholds,
            SessionNotes {
                rpe: notes.rpe,
                pack_kg: notes.pack_kg,
            },
        );
        let streams = Streams::of(&a, &timeline);
        let detail = self.detail_of(record, &a, &timeline, split_length_m)?;
        let efforts = self.activity_efforts(id)?;
        let copies = self
            .all_records()?
            .iter()
            .filter(|o| o.duplicate_of == Some(id))
            .map(|o| o.id)
            .collect();
        Ok(ActivityView {
            detail,
            load,
            streams,
            notes,
            efforts,
            copies,
            gear,
        })
    }
}
