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

    /// The work can't be done now but may be later (another process writes the index).
    pub fn busy() -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "busy",
            message: "the index is being written by another process; try again shortly".into(),
        }
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
        use arrow_engine::ErrorKind;
        match e.kind() {
            ErrorKind::BadInput => {
                let message = e.client_message().unwrap_or_else(|| "the request could not be used".into());
                ApiError::bad_request(message)
            }
            ErrorKind::Missing => ApiError {
                status: StatusCode::NOT_FOUND,
                code: "not_found",
                message: e.client_message().unwrap_or_else(|| "not found".into()),
            },
            ErrorKind::Busy => {
                tracing::warn!(error = %e, "request refused while the index is being written");
                ApiError::busy()
            }
            ErrorKind::Unavailable => {
                tracing::warn!(error = %e, "a shard could not be reached");
                ApiError {
                    status: StatusCode::SERVICE_UNAVAILABLE,
                    code: "unavailable",
                    message: "part of the index could not be reached; try again shortly".into(),
                }
            }
            ErrorKind::DataDir | ErrorKind::Internal => {
                tracing::error!(error = %e, "request failed");
                ApiError::internal()
            }
        }
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
