//! Limits that protect the server: a long URL is refused (414), a request body is capped, at most
//! [`MAX_IN_FLIGHT`] requests are worked on at once (more are answered 503 at once rather than queued
//! without bound), and a request that takes longer than [`TIMEOUT`] is answered 503. Each answer is the
//! API's JSON error, never a dropped connection.

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
    app.layer(axum::middleware::from_fn(uri_limit)).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)).layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(|err: tower::BoxError| async move { overloaded(&err) }))
            .load_shed()
            .concurrency_limit(MAX_IN_FLIGHT)
            .timeout(TIMEOUT),
    )
}

fn overloaded(err: &tower::BoxError) -> Response {
    let (status, code, message) = if err.is::<tower::timeout::error::Elapsed>() {
        (StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long; try a narrower query")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded", "the server is busy; try again in a moment")
    };
    ApiError { status, code, message: message.into() }.into_response()
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
