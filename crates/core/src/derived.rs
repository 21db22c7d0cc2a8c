//! Everything cairn derives from one activity, in one place: the import, a
//! correction (sport, deletion of a copy) and a rebuild of the archive all
//! call [`derive`], so a derived number never lags behind what it came from.

use crate::load::facts::ActivityFacts;
use crate::metrics::curve::{activity_curves, CurveKind};
use crate::metrics::splits::{splits, Split, SPLIT_LENGTHS_M};
use crate::metrics::{summarize, Summary};
use crate::model::Activity;
use crate::streams::{Streams, VIEW_POINTS};
use crate::timeline::Timeline;

/// Version of the definitions behind [`Derived`]: stored with every
/// activity, so a change here re-derives every stored activity once, from its
/// stored samples (the app does it when it opens an archive).
pub const DERIVED_VERSION: u32 = 3;

/// The summary, the profile-independent facts (best efforts, exposure,
/// efficiency), the mean-maximal curves and what the activity's page draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub summary: Summary,
    pub facts: ActivityFacts,
    pub curves: Vec<(CurveKind, Vec<Option<f64>>)>,
    pub page: PageData,
}

/// What an activity's page and charts show that only the whole recording
/// gives: its series reduced to [`VIEW_POINTS`] and its splits per
/// kilometre and per mile. Kept beside the samples, so showing an activity
/// reads these instead of deriving the timeline again on every request.
#[derive(Debug, Clone, PartialEq)]
pub struct PageData {
    /// Seconds the timeline holds before reduction.
    pub recorded_seconds: usize,
    pub streams: Streams,
    /// Splits for each of [`SPLIT_LENGTHS_M`].
    pub splits: Vec<(f64, Vec<Split>)>,
}

impl PageData {
    pub fn of(a: &Activity, tl: &Timeline) -> PageData {
        let full = Streams::of(a, tl);
        PageData {
            recorded_seconds: full.len(),
            streams: full.reduced(VIEW_POINTS),
            splits: SPLIT_LENGTHS_M
                .iter()
                .map(|&every| (every, splits(tl, every)))
                .collect(),
        }
    }

    /// The splits every `every_m` metres, when they are kept.
    pub fn splits_every(&self, every_m: f64) -> Option<&[Split]> {
        self.splits
            .iter()
            .find(|(every, _)| (every - every_m).abs() < 1e-9)
            .map(|(_, s)| s.as_slice())
    }
}

/// Derives everything from one timeline of the activity.
pub fn derive(a: &Activity) -> Derived {
    let tl = Timeline::of(a);
    Derived {
        summary: summarize(a, &tl),
        facts: ActivityFacts::of(a, &tl),
        curves: activity_curves(a, &tl),
        page: PageData::of(a, &tl),
    }
}
