//! Write operations over HTTP. They exist only when the server is started with an admin token, and every
//! request must carry it (`Authorization: Bearer TOKEN`); without it the answer is 401. Without a token
//! configured the routes do not exist at all (404), so a server is read-only by default.

use crate::{blocking_local, ApiError, AppState};
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use axum::{Json, Router};
use std::sync::Arc;

/// Largest body `POST /api/v1/ingest` accepts; bigger dumps go through `arrow ingest`.
pub const MAX_INGEST_BYTES: usize = 256 * 1024 * 1024;

pub fn routes(token: String) -> Router<AppState> {
    let token = Arc::new(token);
    Router::new()
        .route("/ingest", post(ingest).layer(DefaultBodyLimit::max(MAX_INGEST_BYTES)))
        .route("/works/{*id}", delete(remove))
        .route("/disambiguate", post(disambiguate))
        .route("/curate/merge", post(merge))
        .route("/curate/split", post(split))
        .route("/curate/claim", post(claim))
        .route("/curate/undo/{id}", post(undo))
        .route("/curate/history", axum::routing::get(history))
        .layer(axum::middleware::from_fn(move |req: Request, next: Next| {
            let token = token.clone();
            async move {
                require_token(&token, "this operation needs the admin token (Authorization: Bearer ...)", req, next)
                    .await
            }
        }))
}

/// Passes the request on only if it carries `Authorization: Bearer TOKEN`; else a 401 saying `refusal`.
pub(crate) async fn require_token(token: &str, refusal: &str, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
        return ApiError { status: StatusCode::UNAUTHORIZED, code: "unauthorized", message: refusal.into() }
            .into_response();
    }
    next.run(req).await
}

/// Compares without stopping at the first differing byte, so timing does not reveal the token.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Ingests the request body (any format Arrow reads, detected from content; gzip/xz accepted).
async fn ingest(State(arrow): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let report = blocking_local(&arrow, "writing", move |a| {
        let mut file = tempfile_in(a.dir())?;
        std::io::Write::write_all(&mut file.1, &body)
            .map_err(|e| arrow_engine::EngineError::Io { path: file.0.display().to_string(), source: e })?;
        let path = file.0.display().to_string();
        let result = a.ingest_paths(&[path], &arrow_engine::IngestOptions::default(), &Quiet);
        let _ = std::fs::remove_file(&file.0);
        result
    })
    .await?;
    Ok(Json(report).into_response())
}

struct Quiet;
impl arrow_engine::Progress for Quiet {}

/// Removes the uploads of ingests whose server was killed mid-request (`upload-PID-N.tmp` of a process that no
/// longer runs): nothing else ever would. Where processes cannot be looked up (not Linux), none is removed.
pub(crate) fn remove_stale_uploads(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.strip_prefix("upload-").filter(|_| name.ends_with(".tmp")).and_then(|r| r.split('-').next());
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { continue };
        let running = pid == std::process::id() || std::path::Path::new(&format!("/proc/{pid}")).exists();
        if cfg!(target_os = "linux") && !running {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::info!(file = %entry.path().display(), "removed the upload of a stopped ingest"),
                Err(e) => tracing::warn!(file = %entry.path().display(), error = %e, "could not remove a stale upload"),
            }
        }
    }
}

fn tempfile_in(dir: &std::path::Path) -> Result<(std::path::PathBuf, std::fs::File), arrow_engine::EngineError> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let path = dir.join(format!("upload-{}-{nanos}.tmp", std::process::id()));
    let file = std::fs::File::create(&path)
        .map_err(|e| arrow_engine::EngineError::Io { path: path.display().to_string(), source: e })?;
    Ok((path, file))
}

async fn remove(State(arrow): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let lookup = id.clone();
    match blocking_local(&arrow, "writing", move |a| a.delete(&[lookup])).await? {
        0 => Err(ApiError::not_found(format!("no work with id {id}"))),
        _ => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

async fn disambiguate(State(arrow): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(blocking_local(&arrow, "writing", |a| a.disambiguate()).await?).into_response())
}

/// A curator's request body: who and why, beside what the change needs. A field of another name is refused, not
/// ignored: a misspelt `"persons"` would otherwise read as no people at all.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Curate {
    #[serde(default)]
    people: Vec<String>,
    #[serde(default)]
    person: String,
    /// `WORK_ID#POSITION` each.
    #[serde(default)]
    mentions: Vec<String>,
    #[serde(default)]
    orcid: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    by: String,
}

fn body(b: Result<Json<Curate>, JsonRejection>) -> Result<Curate, ApiError> {
    let Json(c) = b.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large",
            message: format!("a curation request is at most {} KiB of JSON", crate::limits::MAX_BODY_BYTES / 1024),
        },
        _ => ApiError::bad_request(e.body_text()),
    })?;
    Ok(Curate { by: if c.by.trim().is_empty() { "api".into() } else { c.by }, ..c })
}

async fn merge(State(arrow): State<AppState>, b: Result<Json<Curate>, JsonRejection>) -> Result<Response, ApiError> {
    let c = body(b)?;
    need(!c.people.is_empty(), "\"people\", the ids to merge, the surviving one first")?;
    Ok(Json(blocking_local(&arrow, "writing", move |a| a.curate_merge(&c.people, &c.by, &c.note)).await?)
        .into_response())
}

async fn split(State(arrow): State<AppState>, b: Result<Json<Curate>, JsonRejection>) -> Result<Response, ApiError> {
    let c = body(b)?;
    need(!c.person.trim().is_empty() && !c.mentions.is_empty(), "\"person\" and \"mentions\"")?;
    let refs = c
        .mentions
        .iter()
        .map(|m| m.parse::<arrow_engine::MentionRef>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::bad_request)?;
    Ok(Json(blocking_local(&arrow, "writing", move |a| a.curate_split(&c.person, &refs, &c.by, &c.note)).await?)
        .into_response())
}

/// A field the route cannot do without, named in the error when it is missing.
fn need(given: bool, what: &str) -> Result<(), ApiError> {
    if given {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("the body needs {what}")))
    }
}

async fn claim(State(arrow): State<AppState>, b: Result<Json<Curate>, JsonRejection>) -> Result<Response, ApiError> {
    let c = body(b)?;
    need(!c.person.trim().is_empty() && !c.orcid.trim().is_empty(), "\"person\" and \"orcid\"")?;
    Ok(Json(blocking_local(&arrow, "writing", move |a| a.curate_claim(&c.person, &c.orcid, &c.by, &c.note)).await?)
        .into_response())
}

/// Who undoes a curation and why: an optional JSON body `{"by": ..., "note": ...}`.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct UndoBody {
    #[serde(default)]
    by: String,
    #[serde(default)]
    note: String,
}

async fn undo(
    State(arrow): State<AppState>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::bad_request("a curation id is a number, as /api/v1/curate/history lists them"));
    };
    let u: UndoBody = if body.iter().all(u8::is_ascii_whitespace) {
        UndoBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("the body is not {{\"by\", \"note\"}}: {e}")))?
    };
    let by = if u.by.trim().is_empty() { "api".to_string() } else { u.by };
    let conflicts = blocking_local(&arrow, "writing", move |a| a.curate_undo(id, &by, &u.note)).await?;
    Ok(Json(serde_json::json!({ "undone": id, "conflicts": conflicts })).into_response())
}

#[derive(serde::Deserialize)]
struct HistoryParams {
    person: Option<String>,
}

async fn history(State(arrow): State<AppState>, Query(p): Query<HistoryParams>) -> Result<Response, ApiError> {
    Ok(Json(blocking_local(&arrow, "writing", move |a| a.curation_history(p.person.as_deref())).await?).into_response())
}
