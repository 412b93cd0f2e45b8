//! The JSON API under `/api/v1/`, in OpenAlex's conventions (`search`, `filter`, `sort`, `cursor`,
//! `per_page`, `select`, `group_by`), plus citation exports. The routes are described by
//! [`crate::openapi::document`]; a test keeps the two in step.

use crate::params::{parse_filter, parse_sort, sort_name, MAX_OFFSET};
use crate::{blocking, ApiError, AppState};
use arrow_engine::{SearchMode, SearchRequest, Sort, VersionRef, MAX_PAGE};
use arrow_export::Format;
use arrow_model::Work;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::time::Instant;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/works", get(works))
        .route("/works/{*id}", get(work))
        .route("/names/{name}", get(name))
        .route("/people/{id}", get(crate::pages::person::json))
        .route("/explain", get(explain))
        .route("/people", get(people))
        .route("/suggest", get(suggest))
        .route("/search", get(search))
        .route("/stats", get(stats))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError::not_found("no such API route; see /api/v1/openapi.json") })
}

/// The query string, or a JSON 400 saying what is wrong with it.
fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// Top-level fields of a work that `select` may name.
pub const WORK_FIELDS: [&str; 16] = [
    "id",
    "title",
    "abstract",
    "year",
    "venue",
    "venue_kind",
    "type",
    "authors",
    "authors_truncated",
    "doi",
    "arxiv",
    "dblp",
    "openalex",
    "urls",
    "references",
    "provenance",
];

fn parse_select(s: Option<&str>) -> Result<Option<Vec<String>>, ApiError> {
    let Some(s) = s.filter(|s| !s.trim().is_empty()) else { return Ok(None) };
    let mut out = Vec::new();
    for f in s.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        if !WORK_FIELDS.contains(&f) && f != "relevance_score" && f != "versions" {
            return Err(ApiError::bad_request(format!(
                "select: unknown field {f:?}; fields are {}, versions and relevance_score",
                WORK_FIELDS.join(", ")
            )));
        }
        out.push(f.to_string());
    }
    Ok(Some(out))
}

/// A work as JSON; `versions` (its other versions: one paper published more than once) only when it has some.
fn work_json(w: &Work, score: Option<f32>, versions: &[VersionRef], select: Option<&[String]>) -> Value {
    let mut v = serde_json::to_value(w).unwrap_or(Value::Null);
    if let (Some(s), Value::Object(m)) = (score, &mut v) {
        m.insert("relevance_score".into(), json!(s));
    }
    if let (false, Value::Object(m)) = (versions.is_empty(), &mut v) {
        m.insert("versions".into(), serde_json::to_value(versions).unwrap_or(Value::Null));
    }
    match (select, v) {
        (Some(fields), Value::Object(m)) => {
            let kept: Map<String, Value> = m.into_iter().filter(|(k, _)| fields.iter().any(|f| f == k)).collect();
            Value::Object(kept)
        }
        (_, v) => v,
    }
}

fn parse_format(s: Option<&str>) -> Result<Option<Format>, ApiError> {
    match s.map(str::trim) {
        None | Some("" | "json") => Ok(None),
        Some(f) => f.parse::<Format>().map(Some).map_err(ApiError::bad_request),
    }
}

/// A citation export as a response; `name` is the file name without extension.
pub fn export_response<'a>(format: Format, works: impl IntoIterator<Item = &'a Work>, name: &str) -> Response {
    let body = arrow_export::to_string(format, works);
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(80)
        .collect();
    let disposition =
        format!("inline; filename=\"{}.{}\"", if safe.is_empty() { "arrow" } else { &safe }, format.extension());
    ([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

#[derive(Deserialize, Default)]
struct WorksParams {
    #[serde(default)]
    search: Option<String>,
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
    #[serde(default)]
    page: Option<usize>,
    #[serde(default)]
    per_page: Option<usize>,
    #[serde(default)]
    select: Option<String>,
    #[serde(default)]
    group_by: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

async fn works(
    State(arrow): State<AppState>,
    q: Result<Query<WorksParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let p = params(q)?;
    let per_page = p.per_page.unwrap_or(25);
    if per_page == 0 || per_page > MAX_PAGE {
        return Err(ApiError::bad_request(format!("per_page must be between 1 and {MAX_PAGE}")));
    }
    if p.page.is_some() && p.cursor.is_some() {
        return Err(ApiError::bad_request("use either page or cursor, not both"));
    }
    // Cursors are the engine's, opaque to clients: `*` starts, each response's `meta.next_cursor` continues.
    let cursor = p.cursor.clone().filter(|c| c != "*");
    let offset = match (&p.cursor, p.page) {
        (Some(_), _) => 0,
        (None, Some(0)) => return Err(ApiError::bad_request("page starts at 1")),
        (None, Some(n)) => (n - 1).saturating_mul(per_page),
        (None, None) => 0,
    };
    if offset > MAX_OFFSET {
        return Err(ApiError::bad_request(format!("results past {MAX_OFFSET} are not available; narrow the search")));
    }
    let filters = parse_filter(p.filter.as_deref().unwrap_or("")).map_err(ApiError::bad_request)?;
    let sort = parse_sort(p.sort.as_deref()).map_err(ApiError::bad_request)?;
    let select = parse_select(p.select.as_deref())?;
    let format = parse_format(p.format.as_deref())?;
    let group_by = match p.group_by.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(g @ ("year" | "venue" | "type")) => Some(g.to_string()),
        Some(other) => {
            return Err(ApiError::bad_request(format!("cannot group by {other:?}; use year, venue or type")))
        }
    };
    let mode = parse_mode(p.mode.as_deref(), cursor.is_some())?;
    let search = p.search.clone().unwrap_or_default();
    let mut opts = SearchRequest::query(&search);
    opts.filters = filters;
    opts.sort = sort;
    opts.limit = per_page;
    opts.offset = offset;
    opts.cursor = cursor;
    opts.highlight = false;
    opts.facets = group_by.is_some();
    let page = blocking(&arrow, move |a| a.search_in(&opts, mode)).await?;
    if let Some(format) = format {
        let name = if search.trim().is_empty() { "arrow-works".to_string() } else { format!("arrow-{search}") };
        return Ok(export_response(format, page.hits.iter().map(|h| &h.work), &name));
    }
    let next_cursor = page.next_cursor.clone();
    let results: Vec<Value> = page
        .hits
        .iter()
        .map(|h| {
            work_json(
                &h.work,
                (sort == Sort::Relevance && !search.trim().is_empty()).then_some(h.score),
                &h.versions,
                select.as_deref(),
            )
        })
        .collect();
    let groups: Option<Vec<Value>> = group_by.as_deref().map(|g| {
        let facets = page.facets.clone().unwrap_or_default();
        let counts = match g {
            "year" => facets.years,
            "venue" => facets.venues,
            _ => facets.types,
        };
        counts.iter().map(|c| json!({ "key": c.value, "key_display_name": c.value, "count": c.count })).collect()
    });
    let mut meta = json!({
        "count": page.total,
        "db_response_time_ms": started.elapsed().as_millis() as u64,
        "page": p.page,
        "per_page": per_page,
        "next_cursor": next_cursor,
        // The empty search has no relevance: the engine lists it newest first.
        "sort": if sort == Sort::Relevance && search.trim().is_empty() { "year:desc" } else { sort_name(sort) },
        "fuzzy": page.fuzzy,
        "mode": page.mode,
        // A long plain-word query ranked by most of its words rather than all of them.
        "lenient": page.lenient,
        "groups_count": groups.as_ref().map(Vec::len),
    });
    if let Value::Object(m) = &mut meta {
        if p.cursor.is_none() {
            m.remove("next_cursor");
        }
        // A sharded root some of whose shards could not answer: the results are of the others only.
        if page.partial {
            m.insert("partial".into(), Value::Bool(true));
        }
    }
    let mut body = json!({ "meta": meta, "results": results });
    if let (Some(g), Value::Object(m)) = (groups, &mut body) {
        m.insert("group_by".into(), Value::Array(g));
    }
    Ok(Json(body).into_response())
}

#[derive(Deserialize, Default)]
struct FormatParams {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    select: Option<String>,
}

const SUFFIXES: [(&str, Format); 3] = [(".bib", Format::Bibtex), (".ris", Format::Ris), (".csl.json", Format::CslJson)];

async fn work(
    State(arrow): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<FormatParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params(q)?;
    let mut format = parse_format(p.format.as_deref())?;
    let select = parse_select(p.select.as_deref())?;
    let lookup = id.clone();
    let found = blocking(&arrow, move |a| {
        if let Some(w) = a.work(&lookup)? {
            let versions = a.versions_of(&lookup)?;
            let people = a.people_of_work(&lookup)?;
            return Ok(Some((w, None, (versions, people))));
        }
        for (suffix, f) in SUFFIXES {
            if let Some(bare) = lookup.strip_suffix(suffix) {
                if let Some(w) = a.work(bare)? {
                    return Ok(Some((w, Some(f), (Vec::new(), Vec::new()))));
                }
            }
        }
        Ok(None)
    })
    .await?;
    let Some((w, suffix_format, (versions, people))) = found else {
        return Err(ApiError::not_found(format!("no work with id {id}")));
    };
    if suffix_format.is_some() {
        format = suffix_format;
    }
    match format {
        Some(f) => Ok(export_response(f, [&w], w.id.as_str())),
        None => {
            let mut v = work_json(&w, None, &versions, select.as_deref());
            // Each author's person, after `disambiguate` (authors are in the order of `people`).
            if let Some(Value::Array(authors)) = v.get_mut("authors") {
                for (a, p) in authors.iter_mut().zip(&people) {
                    if let (Value::Object(a), Some(p)) = (a, p) {
                        a.insert("person".into(), json!(p));
                    }
                }
            }
            Ok(Json(v).into_response())
        }
    }
}

async fn name(
    State(arrow): State<AppState>,
    Path(name): Path<String>,
    q: Result<Query<FormatParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params(q)?;
    let format = parse_format(p.format.as_deref())?;
    let cluster = blocking(&arrow, move |a| a.name_cluster(&name)).await?;
    match format {
        Some(f) => Ok(export_response(f, &cluster.works, &cluster.name)),
        None => Ok(Json(cluster).into_response()),
    }
}

#[derive(Deserialize, Default)]
struct SuggestParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    limit: Option<usize>,
}

async fn suggest(
    State(arrow): State<AppState>,
    q: Result<Query<SuggestParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params(q)?;
    let limit = p.limit.unwrap_or(6).clamp(1, 20);
    let typed = p.q.clone();
    let s = blocking(&arrow, move |a| crate::suggest::suggest(a, &typed, limit)).await?;
    Ok(Json(json!({ "query": p.q, "authors": s.authors, "titles": s.titles })).into_response())
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
    #[serde(default)]
    mode: Option<String>,
}

/// The first API: `q`, `limit`, `offset`, `sort`, `facets`; answers the engine's page as it is.
async fn search(
    State(arrow): State<AppState>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params(q)?;
    let mut opts = SearchRequest::query(&p.q);
    let limit = p.limit.unwrap_or(10);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad_request(format!("limit must be between 1 and {}", MAX_PAGE)));
    }
    opts.limit = limit;
    opts.offset = p.offset.unwrap_or(0);
    if opts.offset > MAX_OFFSET {
        return Err(ApiError::bad_request(format!("offset must be at most {MAX_OFFSET}")));
    }
    opts.facets = p.facets.unwrap_or(false);
    opts.sort = parse_sort(p.sort.as_deref()).map_err(ApiError::bad_request)?;
    let mode = parse_mode(p.mode.as_deref(), false)?;
    let page = blocking(&arrow, move |a| a.search_in(&opts, mode)).await?;
    Ok(Json(page).into_response())
}

/// `mode=` as the engine takes it: `None` lets it choose. Vector rankings page by offset only, so a
/// continuing cursor asks for the lexical list it came from.
fn parse_mode(mode: Option<&str>, continuing_cursor: bool) -> Result<Option<SearchMode>, ApiError> {
    let mode = match mode.map(str::trim) {
        None | Some("") => None,
        Some(m) => Some(m.parse::<SearchMode>().map_err(|e| ApiError::bad_request(e.to_string()))?),
    };
    match mode {
        Some(m) if m.needs_vectors() && continuing_cursor => {
            Err(ApiError::bad_request(format!("{m} results page by page=N, not by cursor")))
        }
        None if continuing_cursor => Ok(Some(SearchMode::Lexical)),
        m => Ok(m),
    }
}

/// Why two mentions are or are not one person: the value `arrow explain --json` prints.
async fn explain(
    State(arrow): State<AppState>,
    q: Result<Query<crate::pages::explain::Params>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params(q)?;
    let (_, _, e) = crate::pages::explain::explanation(&arrow, &p).await?;
    Ok(Json(e).into_response())
}

async fn stats(State(arrow): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(blocking(&arrow, |a| a.stats()).await?).into_response())
}

async fn openapi() -> Response {
    Json(crate::openapi::document()).into_response()
}

#[derive(Deserialize, Default)]
struct PeopleParams {
    #[serde(default)]
    name: String,
}

/// People after `arrow disambiguate`: those who wrote under `name` (case aside), each with what tells them apart,
/// and up to 20 others whose names fit it ([`arrow_engine::Engine::people_also_fitting`]).
async fn people(
    State(arrow): State<AppState>,
    q: Result<Query<PeopleParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let p = params(q)?;
    let name = p.name.trim().to_string();
    if name.is_empty() {
        return Err(ApiError::bad_request("name is required: /api/v1/people?name=Jan%20Haji%C4%8D"));
    }
    let lookup = name.clone();
    let (named, fitting) = blocking(&arrow, move |a| {
        let named = a.people_named(&lookup)?;
        let fitting = a.people_also_fitting(&lookup, &named, 20)?;
        Ok((named, fitting))
    })
    .await?;
    Ok(Json(json!({ "name": name, "people": named, "fitting": fitting })).into_response())
}
