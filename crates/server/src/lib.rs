//! Arrow's HTTP face: server-rendered HTML pages and a JSON API under `/api/v1/`, both thin over
//! `arrow-engine`. Engine calls block (SQLite, tantivy), so handlers run them on the blocking pool.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let arrow = arrow_engine::Arrow::open(std::path::Path::new("./arrow-data")).unwrap();
//! arrow_server::serve(arrow, "127.0.0.1:7700", None).await
//! # }
//! ```

mod admin;
mod api;
mod error;
mod html;
mod internal;
mod limits;
mod math;
mod openapi;
mod pages;
mod params;
mod suggest;

pub use error::ApiError;
pub use openapi::document as openapi_document;

use arrow_engine::{Arrow, Engine};
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// What every page and API call reads through: one data directory ([`Arrow`]) or a sharded root.
pub type AppState = Arc<dyn Engine>;

/// The Content-Security-Policy every response carries: no inline script or style, nothing from elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application, without a socket (tests drive it with `tower::ServiceExt::oneshot`).
pub fn app(arrow: AppState) -> Router {
    app_with_admin(arrow, None)
}

/// The application with the write routes of [`admin`] when `admin_token` is given.
pub fn app_with_admin(arrow: AppState, admin_token: Option<String>) -> Router {
    app_with_tokens(arrow, admin_token, None)
}

/// The application with the write routes of [`admin`] when `admin_token` is given, and the cluster-internal
/// routes a sharded root calls ([`internal`]) when `cluster_token` is given. Both need a data directory.
pub fn app_with_tokens(arrow: AppState, admin_token: Option<String>, cluster_token: Option<String>) -> Router {
    let local = arrow.local().is_some();
    let mut api = api::routes();
    let admin_token = admin_token.filter(|t| !t.is_empty() && local);
    let curator = pages::curator::Curator::new(admin_token.clone());
    if let Some(token) = admin_token {
        if let Some(a) = arrow.local() {
            admin::remove_stale_uploads(a.dir());
        }
        api = api.merge(admin::routes(token));
    }
    // A known route asked with another method: JSON, as every API error (axum's own answer has no body).
    let api = api.method_not_allowed_fallback(|method: axum::http::Method| async move {
        ApiError {
            status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
            code: "method_not_allowed",
            message: format!("this route does not take {method}; see /api/v1/openapi.json"),
        }
    });
    let internal = cluster_token.filter(|t| !t.is_empty() && local).map(internal::routes);
    let app = Router::new()
        .route("/", get(pages::search::page))
        .route("/search", get(pages::search::page))
        .route("/help", get(pages::help::page))
        .route("/works/{*id}", get(pages::work::page))
        .route("/names/{name}", get(pages::name::page))
        .route("/people/{id}", get(pages::person::page))
        .route("/explain", get(pages::explain::page))
        .route("/static/arrow.css", get(pages::stylesheet))
        .route("/static/suggest.js", get(pages::script))
        .route("/static/favicon.svg", get(pages::favicon))
        .route("/favicon.ico", get(pages::favicon))
        .nest("/api/v1", api);
    let app = if curator.enabled() { app.merge(pages::curator::routes()) } else { app };
    let app = match internal {
        Some(routes) => app.nest("/internal/v1", routes),
        None => app,
    };
    let app = app.fallback(fallback).with_state(arrow).layer(axum::Extension(curator));
    // Outermost, so that even the limits' refusals carry the headers.
    limits::protect(app).layer(axum::middleware::map_response(security_headers))
}

/// An address nothing serves: a JSON error under `/api/` (a client mistyping the version gets JSON, as the API
/// promises), an HTML page elsewhere.
async fn fallback(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return error::ApiError::not_found("no such API route: the API is under /api/v1/ (see /api/v1/openapi.json)")
            .into_response();
    }
    pages::not_found().await.into_response()
}

async fn security_headers(mut res: axum::response::Response) -> axum::response::Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    res
}

/// Serves until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve(arrow: Arrow, addr: &str, admin_token: Option<String>) -> std::io::Result<()> {
    serve_engine(Arc::new(arrow), addr, admin_token, None).await
}

/// [`serve`] for any engine (a sharded root too), with the cluster-internal routes when `cluster_token` is given.
pub async fn serve_engine(
    engine: AppState,
    addr: &str,
    admin_token: Option<String>,
    cluster_token: Option<String>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
            ": another program serves there; choose another address with --addr (or ARROW_ADDR)"
        } else {
            ""
        };
        std::io::Error::new(e.kind(), format!("cannot serve on {addr}: {e}{hint}"))
    })?;
    let local = listener.local_addr()?;
    tracing::info!(target: "arrow", %local, "serving");
    eprintln!("Arrow is serving on http://{local}/");
    let app = app_with_tokens(engine, admin_token, cluster_token);
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Runs a blocking engine call off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    arrow: &AppState,
    f: impl FnOnce(&dyn Engine) -> Result<T, arrow_engine::EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    let arrow = arrow.clone();
    tokio::task::spawn_blocking(move || f(arrow.as_ref()))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(ApiError::from)
}

/// [`blocking`] for what needs the data directory itself (writes, the cluster-internal API).
pub(crate) async fn blocking_local<T: Send + 'static>(
    arrow: &AppState,
    what: &'static str,
    f: impl FnOnce(&Arrow) -> Result<T, arrow_engine::EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(arrow, move |e| match e.local() {
        Some(a) => f(a),
        None => Err(arrow_engine::EngineError::NotOnRoot(what)),
    })
    .await
}
