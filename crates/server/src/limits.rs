//! Limits that protect the server: a long URL is refused (414), a request body is capped, at most
//! [`MAX_IN_FLIGHT`] requests are worked on at once (more are answered 503 at once rather than queued
//! without bound), and a read that takes longer than [`TIMEOUT`] is answered 503. Each answer is the
//! API's JSON error, never a dropped connection. A write that carries a curator's credentials (an ingest, a full
//! disambiguation, a curation) runs to the end however long it takes: cut off, the client would be told that work
//! had failed which the server goes on to finish. The routes check those credentials before reading the body, so
//! false ones are refused at once; a write without them (signing in) keeps the limit, so that nobody can hold
//! the server's slots by sending a body slowly.

use crate::ApiError;
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tower::ServiceBuilder;

/// Longest accepted request target (path and query), in bytes. Queries far longer than any person types
/// only cost parsing time.
pub const MAX_URI_BYTES: usize = 4096;
pub const MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_IN_FLIGHT: usize = 256;
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Wraps the application in the limits.
pub fn protect(app: axum::Router) -> axum::Router {
    app.layer(axum::middleware::from_fn(uri_limit))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(|req, next| time_limit(TIMEOUT, req, next)))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async move { overloaded() }))
                .load_shed()
                .concurrency_limit(MAX_IN_FLIGHT),
        )
}

fn overloaded() -> Response {
    let message = "the server is busy; try again in a moment".into();
    ApiError { status: StatusCode::SERVICE_UNAVAILABLE, code: "overloaded", message }.into_response()
}

/// A write with a curator's credentials: any method but GET and HEAD, except a sharded root's calls to its shards
/// (searches), with an `Authorization` header or the curator's session cookie.
fn is_curators_write(req: &Request<Body>) -> bool {
    let method = req.method();
    let write = method != axum::http::Method::GET
        && method != axum::http::Method::HEAD
        && !req.uri().path().starts_with("/internal/");
    let headers = req.headers();
    let cookie = headers.get_all(axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(';').any(|c| c.trim().strip_prefix(crate::pages::curator::COOKIE).is_some_and(|r| r.starts_with('=')))
    });
    write && (headers.contains_key(axum::http::header::AUTHORIZATION) || cookie)
}

async fn time_limit(limit: Duration, req: Request<Body>, next: Next) -> Response {
    if is_curators_write(&req) {
        return next.run(req).await;
    }
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            let message = "the request took too long; try a narrower query".into();
            ApiError { status: StatusCode::SERVICE_UNAVAILABLE, code: "timeout", message }.into_response()
        }
    }
}

async fn uri_limit(req: Request<Body>, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return ApiError {
            status: StatusCode::URI_TOO_LONG,
            code: "uri_too_long",
            message: format!("the request address is {len} bytes; at most {MAX_URI_BYTES} are accepted"),
        }
        .into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "done"
    }

    async fn status(app: &axum::Router, method: &str, uri: &str) -> StatusCode {
        let mut req = Request::builder().method(method).uri(uri);
        if uri.contains("ingest") {
            req = req.header("authorization", "Bearer t");
        }
        if uri.contains("curator/merge") {
            req = req.header("cookie", "theme=dark; arrow_curator=abc");
        }
        app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap().status()
    }

    #[tokio::test]
    async fn a_slow_read_or_anonymous_write_is_cut_off_and_a_curators_write_runs_to_the_end() {
        let app = axum::Router::new()
            .route("/api/v1/search", get(slow))
            .route("/api/v1/ingest", axum::routing::post(slow))
            .route("/internal/v1/call", axum::routing::post(slow))
            .route("/curator/sign-in", axum::routing::post(slow))
            .route("/curator/merge", axum::routing::post(slow))
            .layer(axum::middleware::from_fn(|req, next| time_limit(Duration::from_millis(50), req, next)));
        assert_eq!(status(&app, "GET", "/api/v1/search").await, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status(&app, "POST", "/api/v1/ingest").await, StatusCode::OK);
        assert_eq!(status(&app, "POST", "/internal/v1/call").await, StatusCode::SERVICE_UNAVAILABLE, "a search");
        assert_eq!(status(&app, "POST", "/curator/merge").await, StatusCode::OK, "signed in");
        assert_eq!(status(&app, "POST", "/curator/sign-in").await, StatusCode::SERVICE_UNAVAILABLE, "anyone");
    }
}
