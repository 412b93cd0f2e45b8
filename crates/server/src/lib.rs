//! Arrow's HTTP face: server-rendered HTML pages and a JSON API under `/api/v1/`, both thin over
//! `arrow-engine`. Engine calls block (SQLite, tantivy), so handlers run them on the blocking pool.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let arrow = arrow_engine::Arrow::open(std::path::Path::new("./arrow-data")).unwrap();
//! arrow_server::serve(arrow, "127.0.0.1:7700").await
//! # }
//! ```

mod api;
mod error;
mod html;
mod pages;

pub use error::ApiError;

use arrow_engine::Arrow;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

pub type AppState = Arc<Arrow>;

/// The whole application, without a socket (tests drive it with `tower::ServiceExt::oneshot`).
pub fn app(arrow: AppState) -> Router {
    Router::new()
        .route("/", get(pages::search::page))
        .route("/search", get(pages::search::page))
        .route("/works/{*id}", get(pages::work::page))
        .route("/names/{name}", get(pages::name::page))
        .route("/static/arrow.css", get(pages::stylesheet))
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .with_state(arrow)
}

/// Serves until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve(arrow: Arrow, addr: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!(target: "arrow", %local, "serving");
    eprintln!("Arrow is serving on http://{local}/");
    axum::serve(listener, app(Arc::new(arrow))).with_graceful_shutdown(shutdown()).await
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
    f: impl FnOnce(&Arrow) -> Result<T, arrow_engine::EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    let arrow = arrow.clone();
    tokio::task::spawn_blocking(move || f(&arrow)).await.map_err(|_| ApiError::internal())?.map_err(ApiError::from)
}
