//! Everything the dashboard's activity page and `cairn show` read. What
//! only the whole recording gives (the reduced series, the splits, the
//! load and time in zones) is read from what was kept when the activity
//! was derived and its load cached; the samples are decoded and the
//! timeline derived again only when something kept is missing or stale.
//! `tests/page_data.rs` holds both ways equal on the corpus.

use crate::gear::ActivityGear;
use crate::records::ActivityEffort;
use crate::training::load_inputs;
use crate::{ActivityDetail, Cairn, Result};
use cairn_core::derived::{PageData, DERIVED_VERSION};
use cairn_core::load::{session_load, SessionLoad};
use cairn_core::metrics::zones::{activity_time_in_zones, TimeInZones};
use cairn_core::metrics::{best::BestEfforts, splits};
use cairn_core::model::Activity;
use cairn_core::streams::Streams;
use cairn_core::timeline::Timeline;
use cairn_store::{ActivityRecord, StoredNotes};

/// One activity as its page shows it.
#[derive(Debug, Clone)]
pub struct ActivityView {
    pub detail: ActivityDetail,
    pub load: SessionLoad,
    /// The series reduced to [`cairn_core::streams::VIEW_POINTS`], for the map.
    pub streams: Streams,
    pub notes: StoredNotes,
    pub efforts: Vec<ActivityEffort>,
    /// Other copies of the session that are not counted.
    pub copies: Vec<i64>,
    pub gear: Option<ActivityGear>,
}

/// Where the derived parts of a shown activity come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// What was kept, where it is current (the samples otherwise).
    Kept,
    /// The samples, whatever was kept: to check what was kept.
    Samples,
}

/// What `show` and the page share.
pub(crate) struct Shown {
    pub detail: ActivityDetail,
    pub load: SessionLoad,
    pub page: PageData,
}

/// The activity and its timeline, derived on first need.
fn derived_now<'s>(
    slot: &'s mut Option<(Activity, Timeline)>,
    cairn: &Cairn,
    record: &ActivityRecord,
) -> Result<&'s (Activity, Timeline)> {
    match slot {
        Some(d) => Ok(d),
        None => {
            let a = cairn.load_activity(record)?;
            let tl = Timeline::of(&a);
            Ok(slot.insert((a, tl)))
        }
    }
}

impl Cairn {
    /// Activity `id` as its page shows it.
    pub fn activity_view(&mut self, id: i64, split_length_m: f64) -> Result<ActivityView> {
        self.activity_view_from(id, split_length_m, Source::Kept)
    }

    /// [`Cairn::activity_view`], its derived parts taken from `source`.
    pub fn activity_view_from(
        &mut self,
        id: i64,
        split_length_m: f64,
        source: Source,
    ) -> Result<ActivityView> {
        let Shown { detail, load, page } = self.shown(id, split_length_m, source)?;
        let gear = self
            .gear_of_activities(std::slice::from_ref(&detail.record))?
            .remove(&id);
        let notes = self.session_notes(id)?;
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
            streams: page.streams,
            notes,
            efforts,
            copies,
            gear,
        })
    }

    pub(crate) fn shown(&mut self, id: i64, split_length_m: f64, source: Source) -> Result<Shown> {
        let record = self.store.activity(self.athlete, id)?;
        let kept = source == Source::Kept;
        let page = if kept && record.derived_version == DERIVED_VERSION {
            self.kept_page(id)?
        } else {
            None
        };
        let (profile, estimates) = self.estimates()?;
        let notes = self.all_notes()?;
        let own_zones = self.own_heart_rate_zones()?;
        let inputs = load_inputs(&record, &profile, &estimates, &notes, &own_zones);
        // A cached load answers when it was computed from the same inputs.
        let cached: Option<(SessionLoad, Vec<TimeInZones>)> = if kept {
            self.store
                .load(self.athlete, id)?
                .filter(|c| c.inputs_key == inputs.key)
                .and_then(|c| {
                    Some((
                        serde_json::from_str(&c.detail).ok()?,
                        serde_json::from_str(&c.zones).ok()?,
                    ))
                })
        } else {
            None
        };
        // The stored facts hold the efforts found and refused.
        let rejected = if kept {
            self.all_facts()?
                .iter()
                .find(|(r, _)| r.id == id)
                .map(|(_, f)| f.best.rejected.clone())
        } else {
            None
        };
        let mut now = None;
        let page = match page {
            Some(p) => p,
            None => {
                let (a, tl) = derived_now(&mut now, self, &record)?;
                PageData::of(a, tl)
            }
        };
        let (load, time_in_zones) = match cached {
            Some(c) => c,
            None => {
                let (a, tl) = derived_now(&mut now, self, &record)?;
                (
                    session_load(a, tl, &inputs.thresholds, inputs.notes),
                    activity_time_in_zones(tl, &inputs.schemes),
                )
            }
        };
        let splits = match page.splits_every(split_length_m) {
            Some(s) => s.to_vec(),
            None => splits::splits(&derived_now(&mut now, self, &record)?.1, split_length_m),
        };
        let rejected_efforts = match rejected {
            Some(r) => r,
            None => {
                let (a, tl) = derived_now(&mut now, self, &record)?;
                BestEfforts::of(a, tl).rejected
            }
        };
        let lap_list = self.store.laps(self.athlete, id)?;
        Ok(Shown {
            detail: ActivityDetail {
                time_in_zones,
                record,
                lap_list,
                splits,
                split_length_m,
                rejected_efforts,
            },
            load,
            page,
        })
    }
}
