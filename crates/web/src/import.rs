//! Import through the browser: each uploaded file (a FIT, GPX or TCX, or a
//! whole Garmin or Strava export zip) is streamed to disk, never held in
//! memory, then imported by the same pipeline as `cairn import` as a job
//! whose progress the page polls.

use crate::{AppState, Problem};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;

/// Largest upload taken (a decade's Garmin export is a few GB).
pub const MAX_UPLOAD_BYTES: u64 = 32 << 30;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for the archive (another job or request has it).
    Queued,
    Importing,
    Done,
    Failed,
}

/// One upload and its import.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Job {
    pub id: u64,
    /// The file's name as uploaded.
    pub file: String,
    pub bytes: u64,
    pub state: JobState,
    pub files_done: usize,
    pub files_total: usize,
    pub activities: usize,
    pub samples: u64,
    /// Seconds since the import started.
    pub elapsed_s: f64,
    /// Samples imported per second so far.
    pub samples_per_s: f64,
    /// What `cairn import --json` prints, once done (failed files, records…).
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Value>,
    /// Why the job failed as a whole (a file that failed is in the report).
    pub error: Option<String>,
}

/// The server's jobs, newest last.
#[derive(Debug, Default)]
pub struct Jobs {
    next: u64,
    list: Vec<Job>,
}

impl Jobs {
    fn get(&self, id: u64) -> Option<&Job> {
        self.list.iter().find(|j| j.id == id)
    }

    fn update(&mut self, id: u64, f: impl FnOnce(&mut Job)) {
        if let Some(j) = self.list.iter_mut().find(|j| j.id == id) {
            f(j);
        }
    }
}

pub type SharedJobs = Arc<Mutex<Jobs>>;

fn lock(jobs: &SharedJobs) -> std::sync::MutexGuard<'_, Jobs> {
    jobs.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's own name: its extension says the format.
    pub name: Option<String>,
}

/// The last part of an uploaded name, with only characters safe in a path;
/// `None` when nothing is left.
fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.').trim().to_string();
    (!clean.is_empty()).then_some(clean)
}

/// `POST /api/v1/imports?name=FILE` with the file as the body: 202 and the
/// job, whose `Location` the page polls.
#[utoipa::path(post, path = "/api/v1/imports", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file as it is"),
    responses((status = 202, description = "The job, whose Location to poll", body = Job), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the most one upload may be", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn upload(
    State(state): State<AppState>,
    Query(q): Query<UploadQuery>,
    body: Body,
) -> Result<Response, Problem> {
    let given = q.name.ok_or_else(|| {
        Problem::bad_request("name=FILE is missing: the file's name says its format")
    })?;
    let name = safe_name(&given)
        .ok_or_else(|| Problem::bad_request(format!("name={given}: not a file name")))?;
    let id = {
        let mut jobs = lock(&state.jobs);
        jobs.next += 1;
        jobs.next
    };
    let dir = state
        .spool
        .join(format!("upload-{}-{id}", std::process::id()));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| Problem::internal(format!("cannot make {}: {e}", dir.display())))?;
    let path = dir.join(&name);
    let bytes = match receive(body, &path).await {
        Ok(n) => n,
        Err(p) => {
            let _ = tokio::fs::remove_dir_all(&dir).await;
            return Err(p);
        }
    };
    let job = Job {
        id,
        file: name,
        bytes,
        state: JobState::Queued,
        files_done: 0,
        files_total: 0,
        activities: 0,
        samples: 0,
        elapsed_s: 0.0,
        samples_per_s: 0.0,
        report: None,
        error: None,
    };
    lock(&state.jobs).list.push(job.clone());
    let jobs = Arc::clone(&state.jobs);
    let run = state.clone();
    tokio::spawn(async move {
        let outcome = run
            .with({
                let jobs = Arc::clone(&jobs);
                let path = path.clone();
                move |cairn| {
                    import_one(cairn, &jobs, id, &path);
                    Ok(())
                }
            })
            .await;
        if let Err(p) = outcome {
            lock(&jobs).update(id, |j| {
                j.state = JobState::Failed;
                j.error = Some(p.detail);
            });
        }
        // The archive keeps the original byte for byte; the upload is spare.
        let _ = tokio::fs::remove_dir_all(&dir).await;
    });
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/imports/{id}"))],
        Json(job),
    )
        .into_response())
}

/// Writes the body to `path` as it arrives, refusing past the cap.
async fn receive(body: Body, path: &std::path::Path) -> Result<u64, Problem> {
    use http_body_util::BodyExt;
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| Problem::internal(format!("cannot write {}: {e}", path.display())))?;
    let mut body = body;
    let mut bytes: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            Problem::bad_request(format!("the upload broke off after {bytes} bytes: {e}"))
        })?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        bytes += chunk.len() as u64;
        if bytes > MAX_UPLOAD_BYTES {
            return Err(Problem {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                detail: format!(
                    "the upload is larger than {} GiB, the most one file may be; import it with `cairn import` instead",
                    MAX_UPLOAD_BYTES >> 30
                ),
            });
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| Problem::internal(format!("cannot write {}: {e}", path.display())))?;
    }
    file.flush()
        .await
        .map_err(|e| Problem::internal(format!("cannot write {}: {e}", path.display())))?;
    if bytes == 0 {
        return Err(Problem::bad_request("the upload is empty"));
    }
    Ok(bytes)
}

/// Runs the import of one spooled file, telling the job how it goes.
fn import_one(cairn: &mut cairn_app::Cairn, jobs: &SharedJobs, id: u64, path: &std::path::Path) {
    let started = std::time::Instant::now();
    lock(jobs).update(id, |j| j.state = JobState::Importing);
    let opts = cairn_app::import::ImportOptions {
        limits: Default::default(),
        now_ms: jiff::Timestamp::now().as_millisecond(),
        threads: 0,
    };
    let result = cairn.import(&[path.to_path_buf()], &opts, &mut |p| {
        let elapsed = started.elapsed().as_secs_f64();
        lock(jobs).update(id, |j| {
            j.files_done = p.files_done;
            j.files_total = p.files_total;
            j.activities = p.activities;
            j.samples = p.samples;
            j.elapsed_s = elapsed;
            j.samples_per_s = if elapsed > 0.0 {
                p.samples as f64 / elapsed
            } else {
                0.0
            };
        });
    });
    let elapsed = started.elapsed().as_secs_f64();
    lock(jobs).update(id, |j| {
        j.elapsed_s = elapsed;
        match result {
            Ok(report) => {
                j.state = JobState::Done;
                j.files_done = report.files_seen;
                j.files_total = report.files_seen;
                j.activities = report.activities_imported;
                j.samples = report.samples_imported;
                j.report = serde_json::to_value(&report)
                    .ok()
                    .map(cairn_app::json::rounded);
            }
            Err(e) => {
                j.state = JobState::Failed;
                j.error = Some(e.to_string());
            }
        }
    });
}

/// `GET /api/v1/imports/{id}`: one job.
#[utoipa::path(get, path = "/api/v1/imports/{id}", params(("id" = u64, Path, description = "The job's id")),
    responses((status = 200, description = "The job", body = Job), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such job since the server started", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn job(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Job>, Problem> {
    let n: u64 = id
        .parse()
        .map_err(|_| Problem::bad_request(format!("{id}: an import id is a whole number")))?;
    lock(&state.jobs)
        .get(n)
        .cloned()
        .map(Json)
        .ok_or_else(|| Problem::not_found(format!("no import {n} since the server started")))
}

/// `GET /api/v1/imports`: every job since the server started, newest first.
#[utoipa::path(get, path = "/api/v1/imports", responses((status = 200, description = "The jobs, newest first", body = Vec<Job>)))]
pub async fn jobs(State(state): State<AppState>) -> Json<Vec<Job>> {
    Json(lock(&state.jobs).list.iter().rev().cloned().collect())
}

/// `GET /import`: the drop zone; the page's script uploads and polls.
pub async fn page() -> maud::Markup {
    use maud::html;
    let body = html! {
        p {
            "Drop FIT, GPX or TCX files (or their .gz), folders of them, or a whole Garmin Connect or Strava export zip. "
            "Each is streamed to this machine and imported as " code { "cairn import" } " would: "
            "files already in the archive are recognised, broken ones are reported one by one."
        }
        form #upload.dropzone {
            p { "Drop files or folders here, or choose them:" }
            label { "files " input #files type="file" name="files" multiple; }
            " "
            label { "a folder " input #folder type="file" name="folder" webkitdirectory; }
        }
        div #jobs aria-live="polite" {}
    };
    crate::pages::page_with("Import", body, &[], &["import.js"])
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn an_uploaded_name_cannot_leave_the_spool_folder() {
        assert_eq!(safe_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(safe_name("C:\\x\\run.fit").as_deref(), Some("run.fit"));
        assert_eq!(safe_name("..").as_deref(), None);
        assert_eq!(safe_name("a<b>.fit").as_deref(), Some("a_b_.fit"));
        assert_eq!(safe_name(".hidden.fit").as_deref(), Some("hidden.fit"));
    }
}
