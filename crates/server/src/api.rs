//! The JSON API under `/api/v1/`.

use crate::pages::name;
use crate::{blocking, ApiError, AppState};
use arrow_engine::{SearchOptions, Sort, MAX_PAGE};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/works/{*id}", get(work))
        .route("/names/{name}", get(name::json))
        .route("/stats", get(stats))
        .fallback(|| async { ApiError::not_found("no such API route") })
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    offset: Option<usize>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    facets: Option<bool>,
}

async fn search(State(arrow): State<AppState>, Query(p): Query<SearchParams>) -> Result<Response, ApiError> {
    let mut opts = SearchOptions::query(&p.q);
    let limit = p.limit.unwrap_or(10);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad_request(format!("limit must be between 1 and {}", MAX_PAGE)));
    }
    opts.limit = limit;
    opts.offset = p.offset.unwrap_or(0);
    opts.facets = p.facets.unwrap_or(false);
    opts.sort = match p.sort.as_deref() {
        None | Some("relevance") => Sort::Relevance,
        Some("year:desc") => Sort::YearDesc,
        Some("year:asc") => Sort::YearAsc,
        Some(other) => {
            return Err(ApiError::bad_request(format!("unknown sort {other:?}; use relevance, year:desc or year:asc")))
        }
    };
    let page = blocking(&arrow, move |a| a.search(&opts)).await?;
    Ok(Json(page).into_response())
}

async fn work(State(arrow): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let lookup = id.clone();
    match blocking(&arrow, move |a| a.work(&lookup)).await? {
        Some(w) => Ok(Json(w).into_response()),
        None => Err(ApiError::not_found(format!("no work with id {id}"))),
    }
}

async fn stats(State(arrow): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(blocking(&arrow, |a| a.stats()).await?).into_response())
}
