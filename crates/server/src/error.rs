use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// An error as a client sees it: a status, a stable code and a message that never carries internals.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError { status: StatusCode::NOT_FOUND, code: "not_found", message: what.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, code: "bad_request", message: message.into() }
    }

    pub fn internal() -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "something went wrong on the server; it has been logged".into(),
        }
    }
}

impl From<arrow_engine::EngineError> for ApiError {
    fn from(e: arrow_engine::EngineError) -> Self {
        if let arrow_engine::EngineError::Index(arrow_engine::IndexError::Cursor(_)) = e {
            return ApiError::bad_request(
                "this cursor is not valid (or the index changed since it was given out); start again with cursor=*",
            );
        }
        // Bad input sent to a write route is the client's to fix: say where, without server paths.
        match &e {
            arrow_engine::EngineError::Parse(p) => {
                return ApiError::bad_request(format!("line {}: {}", p.line, p.message));
            }
            arrow_engine::EngineError::Input(arrow_ingest::IngestError::UnknownFormat { .. }) => {
                return ApiError::bad_request("cannot tell the format of the body from its content");
            }
            _ => {}
        }
        tracing::error!(error = %e, "request failed");
        ApiError::internal()
    }
}

#[derive(Serialize)]
struct Body<'a> {
    status: u16,
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body { status: self.status.as_u16(), code: self.code, message: &self.message };
        (self.status, Json(body)).into_response()
    }
}
