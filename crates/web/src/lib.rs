//! `cairn serve`: the web dashboard and the JSON API, served by the same
//! binary from the embedded archive. Pages are rendered on the server
//! (maud escapes every value); `/api/v1/…` serves the JSON every `--json`
//! prints (docs/json.md), from the same functions of `cairn-app`. This
//! crate calls `cairn-app` only: the archive, the models and their numbers
//! live there.

mod api;
mod assets;
mod calendar;
mod compare;
mod curves;
mod edit;
mod environment;
mod etag;
mod fitness;
mod guard;
mod import;
mod map;
mod openapi;
mod pages;
mod plan;
mod predict;
mod problem;
mod profile;
mod records;
mod tiles;

use axum::routing::{get, post};
use axum::Router;
use cairn_app::Cairn;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use api::MAX_BODY_BYTES;
pub use assets::sizes as asset_sizes;
pub use calendar::parse_day;
pub use openapi::document as openapi_document;
pub use problem::Problem;

pub use tiles::Tiles;

/// The archive the server reads: a few `Cairn`s on the same archive (one
/// SQLite connection each; WAL lets them read at once), so requests run
/// on every core. Each request takes a free one, or waits for one.
#[derive(Clone)]
pub struct AppState {
    cairns: Arc<Vec<Mutex<Cairn>>>,
    next: Arc<std::sync::atomic::AtomicUsize>,
    /// The day taken as today (`--today`), else the system's.
    today: Option<i32>,
    /// Where uploads are written before their import (beside the archive,
    /// so a multi-GB export needs no room elsewhere).
    spool: PathBuf,
    jobs: import::SharedJobs,
    /// How pages print numbers when `--units` says (else the archive's
    /// setting); the API is always SI.
    units: Option<cairn_app::units::Units>,
    /// A map underlay, only when the athlete named a tile server.
    tiles: Option<Arc<Tiles>>,
    /// The recomputation of loads after the last change to the profile.
    recompute: Arc<profile::Recompute>,
}

impl AppState {
    /// The archive, with uploads spooled in `spool`.
    pub fn new(cairn: Cairn, spool: PathBuf) -> AppState {
        AppState::pooled(vec![cairn], spool)
    }

    /// Several connections to one archive (opened as the same athlete).
    pub fn pooled(cairns: Vec<Cairn>, spool: PathBuf) -> AppState {
        assert!(!cairns.is_empty(), "at least one connection");
        AppState {
            cairns: Arc::new(cairns.into_iter().map(Mutex::new).collect()),
            next: Arc::default(),
            today: None,
            spool,
            jobs: Default::default(),
            units: None,
            tiles: None,
            recompute: Arc::default(),
        }
    }

    /// Maps drawn over tiles from this server (`--tiles`).
    pub fn with_tiles(mut self, tiles: Option<Tiles>) -> AppState {
        self.tiles = tiles.map(Arc::new);
        self
    }

    pub(crate) fn tiles(&self) -> Option<&Tiles> {
        self.tiles.as_deref()
    }

    /// Pages in these units whatever the archive's setting (the API stays
    /// SI); `None` follows the setting.
    pub fn in_units(mut self, units: Option<cairn_app::units::Units>) -> AppState {
        self.units = units;
        self
    }

    /// The units pages print in: `--units`, else the athlete's setting,
    /// read on each request so a change shows on the next page.
    pub(crate) async fn units(&self) -> Result<cairn_app::units::Units, Problem> {
        match self.units {
            Some(u) => Ok(u),
            None => self.with(|cairn| Ok(cairn.units()?)).await,
        }
    }

    /// The same, with `day` (days since 1970) as today, as `--today` says.
    pub fn on(mut self, day: Option<i32>) -> AppState {
        self.today = day;
        self
    }

    /// Today's local day.
    pub(crate) fn today(&self) -> i32 {
        self.today.unwrap_or_else(calendar::today)
    }

    /// Runs `f` on the archive off the async threads; an error becomes
    /// the response's problem.
    pub(crate) async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Cairn) -> Result<T, Problem> + Send + 'static,
    ) -> Result<T, Problem> {
        let cairns = Arc::clone(&self.cairns);
        let start = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            // A free connection if there is one, else wait for one in turn.
            // A request that panicked leaves the archive as SQLite left it
            // (every write is a transaction): the next one may go on.
            let n = cairns.len();
            let free = (0..n).find_map(|k| match cairns[(start + k) % n].try_lock() {
                Ok(g) => Some(g),
                Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            });
            let mut guard = match free {
                Some(g) => g,
                None => cairns[start % n]
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            };
            f(&mut guard)
        })
        .await
        .map_err(|e| Problem::internal(format!("the request stopped: {e}")))?
    }
}

/// Every page and API route.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::calendar))
        .route("/activity/{id}", get(pages::activity).post(edit::form))
        .route("/fitness", get(fitness::page))
        .route("/api/v1/fitness", get(fitness::api))
        .route("/api/v1/fitness/planned", get(fitness::planned))
        .route("/api/v1/activities", get(api::activities))
        .route(
            "/api/v1/activities/{id}",
            get(api::activity).patch(edit::api),
        )
        .route("/api/v1/activities/{id}/original", get(api::original))
        .route("/api/v1/activities/{id}/streams", get(api::streams))
        .route("/api/v1/activities/{id}/efforts", get(api::efforts))
        .route("/api/v1/activities/{id}/curves", get(api::curves))
        .route("/api/v1/calendar", get(api::calendar))
        .route("/week", get(pages::week))
        .route("/activities", get(pages::activities))
        .route("/records", get(records::page))
        .route("/curves", get(curves::page))
        .route("/compare", get(compare::page))
        .route("/environment", get(environment::page))
        .route("/environment/stays", post(environment::add_stay))
        .route(
            "/environment/stays/{id}/remove",
            post(environment::remove_stay),
        )
        .route("/predict", get(predict::page))
        .route("/profile", get(profile::page).post(profile::set))
        .route("/profile/recompute", get(profile::recompute_fragment))
        .route("/profile/settings", post(profile::settings_form))
        .route("/api/v1/profile", get(profile::api).post(profile::set_api))
        .route("/api/v1/profile/recompute", get(profile::recompute_api))
        .route(
            "/api/v1/settings",
            get(profile::settings).patch(profile::patch_settings),
        )
        .route("/plan", get(plan::page))
        .route("/plan/feel", post(plan::feel))
        .route("/plan/adapt", post(plan::adapt))
        .route("/plan/edit", post(plan::edit))
        .route("/plan/calendar.ics", get(plan::calendar_ics))
        .route("/plan/workouts/{week}/{file}", get(plan::workout))
        .route("/api/v1/plan", get(plan::api))
        .route("/api/v1/plan/adapt", post(plan::adapt_api))
        .route(
            "/api/v1/plan/days/{date}",
            axum::routing::patch(plan::edit_api),
        )
        .route("/api/v1/feel", post(plan::feel_api))
        .route(
            "/api/v1/stays",
            get(environment::stays).post(environment::post_stay),
        )
        .route(
            "/api/v1/stays/{id}",
            axum::routing::delete(environment::delete_stay),
        )
        .route("/api/v1/ready", get(plan::ready))
        .route("/api/v1/predict", get(predict::races))
        .route(
            "/api/v1/predict/route",
            post(predict::route).layer(axum::extract::DefaultBodyLimit::max(
                predict::MAX_ROUTE_BYTES,
            )),
        )
        .route("/api/v1/altitude", get(environment::altitude))
        .route("/api/v1/heat", get(environment::heat))
        .route("/api/v1/compare", get(compare::api))
        .route("/api/v1/curves", get(curves::api))
        .route("/api/v1/records", get(records::api))
        .route("/api/v1/week", get(api::week))
        .route("/import", get(import::page))
        .route("/api/v1/imports", post(import::upload).get(import::jobs))
        .route("/api/v1/imports/{id}", get(import::job))
        .route("/assets/{name}", get(assets::asset))
        .route("/api/v1/openapi.json", get(openapi::openapi))
        .fallback(problem::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(api::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(etag::etag))
        .layer(axum::middleware::from_fn(guard::same_origin))
        .layer(axum::middleware::from_fn_with_state(
            guard::content_security_policy(state.tiles()),
            guard::headers,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cairn serve listens on this machine only (127.0.0.1 or ::1) until accounts exist: {0} would show your archive to the network")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Stopped(std::io::Error),
}

/// A listener on a loopback address; anything else is refused until the
/// server has accounts.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    if !addr.ip().is_loopback() {
        return Err(ServeError::NotLoopback(addr));
    }
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Serves until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> Result<(), ServeError> {
    axum::serve(listener, router(state))
        .await
        .map_err(ServeError::Stopped)
}

/// Serves the archive on `addr` until the process ends, on a runtime of its
/// own (the CLI has no async). `ready` gets the address bound (port 0
/// picks a free one) once the server accepts connections.
pub fn run(
    addr: SocketAddr,
    state: AppState,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Stopped)?;
    runtime.block_on(async move {
        let listener = bind(addr).await?;
        let bound = listener.local_addr().map_err(ServeError::Stopped)?;
        ready(bound);
        serve(listener, state).await
    })
}
