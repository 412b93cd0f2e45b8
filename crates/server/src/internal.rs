//! The cluster-internal API a sharded root (`arrow serve --shards`) calls on each shard: `POST /internal/v1/call`
//! with one [`ShardCall`] as JSON, and `GET /internal/v1/health`. It exists only when the shard is started with
//! `--cluster-token`, and every request must carry that token (`Authorization: Bearer TOKEN`), so the ranking
//! statistics and raw hits it answers with are not a public surface.

use crate::admin::require_token;
use crate::{blocking_local, ApiError, AppState};
use arrow_engine::ShardCall;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::sync::Arc;

pub fn routes(token: String) -> Router<AppState> {
    let token = Arc::new(token);
    Router::new().route("/call", post(call)).route("/health", get(health)).layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            let token = token.clone();
            async move { require_token(&token, "the cluster-internal API needs the cluster token", req, next).await }
        },
    ))
}

async fn call(
    State(arrow): State<AppState>,
    body: Result<Json<ShardCall>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(call) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok(Json(blocking_local(&arrow, "the cluster-internal API", move |a| a.answer(&call)).await?).into_response())
}

async fn health(State(arrow): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(blocking_local(&arrow, "the cluster-internal API", |a| a.stats()).await?).into_response())
}
