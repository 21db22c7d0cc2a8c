//! Corrections from the browser and the API: the sport, the athlete's own
//! name and note, the effort rating (CR-10), the pack and the conditions.
//! The same `cairn-app` calls as `cairn edit` and `cairn rate`, so loads and
//! records follow; only what changed is written.

use crate::{AppState, Problem};
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::Json;
use cairn_app::units::{Units, KG_PER_POUND};
use cairn_app::Cairn;
use serde::Deserialize;

/// A correction: every field left out (or `null`) stays as it is.
#[derive(Debug, Default, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub sport: Option<String>,
    /// `""` goes back to the file's name.
    pub name: Option<String>,
    /// `""` removes the note.
    pub note: Option<String>,
    /// Effort on the CR-10 scale, 0–10.
    pub rpe: Option<f64>,
    pub pack_kg: Option<f64>,
    pub temp_c: Option<f64>,
    pub dew_point_c: Option<f64>,
}

/// The page's form: every field a string, a blank number left as it is.
#[derive(Debug, Default, Deserialize)]
pub struct EditForm {
    pub sport: Option<String>,
    pub name: Option<String>,
    pub note: Option<String>,
    pub rpe: Option<String>,
    pub pack_kg: Option<String>,
    pub temp_c: Option<String>,
    pub dew_point_c: Option<String>,
}

/// A form's number field (a comma taken as the decimal point), or `None`
/// when blank.
pub(crate) fn number(text: Option<&str>, field: &str) -> Result<Option<f64>, Problem> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| Problem::bad_request(format!("{field}={t}: expected a number"))),
    }
}

impl EditForm {
    /// The correction, read in the units the form showed (°F and lb under
    /// imperial).
    fn edit(&self, u: Units) -> Result<Edit, Problem> {
        let pack = number(self.pack_kg.as_deref(), "pack_kg")?;
        Ok(Edit {
            sport: self.sport.clone().filter(|s| !s.is_empty()),
            name: self.name.clone(),
            note: self.note.clone(),
            rpe: number(self.rpe.as_deref(), "rpe")?,
            pack_kg: match u {
                Units::Metric => pack,
                Units::Imperial => pack.map(|lb| lb * KG_PER_POUND),
            },
            temp_c: u.temperature_input(number(self.temp_c.as_deref(), "temp_c")?),
            dew_point_c: u.temperature_input(number(self.dew_point_c.as_deref(), "dew_point_c")?),
        })
    }
}

/// Applies what differs from the activity as it is.
fn apply(cairn: &mut Cairn, id: i64, e: &Edit) -> Result<(), Problem> {
    let a = cairn.activity(id)?;
    if e.dew_point_c.is_some() && e.temp_c.is_none() {
        return Err(Problem::bad_request(
            "dew_point_c needs temp_c: a dew point is logged with the air temperature",
        ));
    }
    if let Some(sport) = e.sport.as_deref().filter(|s| *s != a.sport) {
        cairn.edit_sport(id, sport)?;
    }
    if let Some(name) = e.name.as_deref() {
        if Some(name) != a.name.as_deref() {
            cairn.rename(id, name)?;
        }
    }
    if let Some(note) = e.note.as_deref() {
        if Some(note) != a.note.as_deref() && !(note.is_empty() && a.note.is_none()) {
            cairn.annotate(id, note)?;
        }
    }
    let notes = cairn.session_notes(id)?;
    let rpe = e.rpe.filter(|r| Some(*r) != notes.rpe);
    let pack = e.pack_kg.filter(|p| Some(*p) != notes.pack_kg);
    if rpe.is_some() || pack.is_some() {
        cairn.rate(id, rpe, pack)?;
    }
    if let Some(t) = e.temp_c {
        if Some(t) != notes.temp_c || e.dew_point_c != notes.dew_point_c {
            cairn.set_conditions(id, t, e.dew_point_c)?;
        }
    }
    Ok(())
}

/// `POST /activity/{id}` from the page's form: back to the page.
pub async fn form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<axum::Form<EditForm>, axum::extract::rejection::FormRejection>,
) -> Result<Redirect, Problem> {
    let f = crate::api::form_body(body, "sport, name, note, rpe, pack_kg, temp_c, dew_point_c")?;
    let id = crate::api::id_of(&id)?;
    let e = f.edit(state.units().await?)?;
    state.with(move |cairn| apply(cairn, id, &e)).await?;
    Ok(Redirect::to(&format!("/activity/{id}")))
}

/// `PATCH /api/v1/activities/{id}` with a JSON [`Edit`]: the activity as
/// `show --json` prints it afterwards.
#[utoipa::path(patch, path = "/api/v1/activities/{id}", params(("id" = i64, Path, description = "The activity's id")), request_body = Edit,
    responses((status = 200, description = "The activity afterwards, as show --json prints it", body = crate::openapi::ActivityDoc), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such activity", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 413, description = "A body over 64 KiB, the most the route takes", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn api(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<Edit>, axum::extract::rejection::JsonRejection>,
) -> Result<crate::api::JsonBody, Problem> {
    let id = crate::api::id_of(&id)?;
    let e = crate::api::json_body(body, "sport, name, note, rpe, pack_kg, temp_c, dew_point_c")?;
    state
        .with(move |cairn| {
            apply(cairn, id, &e)?;
            let d = cairn.show(id, 1000.0)?;
            let gear = cairn.gear_of_activities(std::slice::from_ref(&d.record))?;
            crate::api::json(cairn_app::json::activity_detail(&d, gear.get(&id)))
        })
        .await
}

/// The form on the activity page, filled with what is logged now.
pub fn form_markup(
    a: &cairn_store::ActivityRecord,
    notes: &cairn_store::StoredNotes,
    u: Units,
) -> maud::Markup {
    use cairn_core::model::Sport;
    use maud::html;
    let num = |v: Option<f64>| {
        v.map(|v| cairn_app::units::trim_number(v, 1))
            .unwrap_or_default()
    };
    let (mass_unit, pack, temp_unit, temp, dew) = match u {
        Units::Metric => ("kg", notes.pack_kg, "°C", notes.temp_c, notes.dew_point_c),
        Units::Imperial => (
            "lb",
            notes.pack_kg.map(|kg| kg / KG_PER_POUND),
            "°F",
            notes.temp_c.map(|c| c * 9.0 / 5.0 + 32.0),
            notes.dew_point_c.map(|c| c * 9.0 / 5.0 + 32.0),
        ),
    };
    html! {
        details.edit {
            summary { "Correct this activity" }
            form method="post" action={ "/activity/" (a.id) } {
                label { "Sport " select name="sport" {
                    @for s in Sport::ALL {
                        option value=(s.id()) selected[s.id() == a.sport] { (s.id()) }
                    }
                } }
                label { "Name " input type="text" name="name" maxlength="200" value=(a.name.clone().unwrap_or_default()); }
                label { "Note " textarea name="note" rows="2" { (a.note.clone().unwrap_or_default()) } }
                label { "Effort, CR-10 (0–10) " input type="number" name="rpe" min="0" max="10" step="0.5" value=(num(notes.rpe)); }
                label { "Pack (" (mass_unit) ") " input type="number" name="pack_kg" min="0" step="0.5" value=(num(pack)); }
                label { "Air temperature (" (temp_unit) ") " input type="number" name="temp_c" step="0.1" value=(num(temp)); }
                label { "Dew point (" (temp_unit) ") " input type="number" name="dew_point_c" step="0.1" value=(num(dew)); }
                button type="submit" { "Save" }
            }
        }
    }
}
