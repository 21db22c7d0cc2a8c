//! The athlete's settings, kept in the archive so the CLI and the dashboard
//! agree: display units, the first day of the week, and the smoothing of
//! fitness and fatigue. Each one's reader and writer lives with what it
//! changes (units here, the week in `summary`, smoothing in `training`);
//! this gathers them for `cairn settings` and `/api/v1/settings`.

use crate::units::Units;
use crate::{AppError, Cairn, Result};
use serde::{Deserialize, Serialize};

/// Every setting as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settings {
    /// `metric` or `imperial`: how pages and the CLI print numbers (JSON is
    /// always SI).
    pub units: String,
    /// `monday` … `sunday`: where weeks start in the calendar and summaries.
    pub week_start: String,
    /// `exponential`, `inverse` or `ewma`: the smoothing constant of fitness
    /// and fatigue.
    pub smoothing: String,
}

/// A change: each field left out (or `null`) stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SettingsEdit {
    pub units: Option<String>,
    pub week_start: Option<String>,
    pub smoothing: Option<String>,
}

impl SettingsEdit {
    pub fn is_empty(&self) -> bool {
        self.units.is_none() && self.week_start.is_none() && self.smoothing.is_none()
    }
}

impl Cairn {
    /// The display units chosen, metric unless chosen.
    pub fn units(&self) -> Result<Units> {
        Ok(self
            .store
            .setting(self.athlete, "units")?
            .as_deref()
            .and_then(Units::from_id)
            .unwrap_or(Units::Metric))
    }

    /// Chooses (and remembers) the display units.
    pub fn set_units(&mut self, text: &str) -> Result<Units> {
        let u = Units::from_id(text)
            .ok_or_else(|| AppError::Invalid(format!("units '{text}': metric or imperial")))?;
        self.store.set_setting(self.athlete, "units", u.id())?;
        Ok(u)
    }

    pub fn settings(&self) -> Result<Settings> {
        Ok(Settings {
            units: self.units()?.id().to_string(),
            week_start: crate::summary::weekday_name(self.week_start()?).to_string(),
            smoothing: self.series_config()?.smoothing.id().to_string(),
        })
    }

    /// Applies a change, every field checked before any is written, and
    /// returns the settings afterwards.
    pub fn set_settings(&mut self, e: &SettingsEdit) -> Result<Settings> {
        if let Some(u) = e.units.as_deref() {
            Units::from_id(u)
                .ok_or_else(|| AppError::Invalid(format!("units '{u}': metric or imperial")))?;
        }
        if let Some(w) = e.week_start.as_deref() {
            crate::summary::parse_weekday(w).ok_or_else(|| {
                AppError::Invalid(format!("week start '{w}': one of mon, tue, … sun"))
            })?;
        }
        if let Some(s) = e.smoothing.as_deref() {
            cairn_core::load::Smoothing::from_id(s).ok_or_else(|| {
                AppError::Invalid(format!(
                    "smoothing '{s}': one of exponential, inverse, ewma"
                ))
            })?;
        }
        if let Some(u) = e.units.as_deref() {
            self.set_units(u)?;
        }
        if let Some(w) = e.week_start.as_deref() {
            self.set_week_start(w)?;
        }
        if let Some(s) = e.smoothing.as_deref() {
            self.set_smoothing(s)?;
        }
        self.settings()
    }
}
