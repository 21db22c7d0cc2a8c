//! Everything cairn derives from one activity, in one place: the import, a
//! correction (sport, deletion of a copy) and a rebuild of the archive all
//! call [`derive`], so a derived number never lags behind what it came from.

use crate::load::facts::ActivityFacts;
use crate::metrics::curve::{activity_curves, CurveKind};
use crate::metrics::{summarize, Summary};
use crate::model::Activity;
use crate::timeline::Timeline;

/// Version of the definitions behind [`Derived`]: stored with every
/// activity, so a change here re-derives every stored activity once, from its
/// stored samples (the app does it when it opens an archive).
pub const DERIVED_VERSION: u32 = 2;

/// The summary, the profile-independent facts (best efforts, exposure,
/// efficiency) and the mean-maximal curves of one activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub summary: Summary,
    pub facts: ActivityFacts,
    pub curves: Vec<(CurveKind, Vec<Option<f64>>)>,
}

/// Derives everything from one timeline of the activity.
pub fn derive(a: &Activity) -> Derived {
    let tl = Timeline::of(a);
    Derived {
        summary: summarize(a, &tl),
        facts: ActivityFacts::of(a, &tl),
        curves: activity_curves(a, &tl),
    }
}
