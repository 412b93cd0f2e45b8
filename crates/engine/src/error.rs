use arrow_ingest::{IngestError, ParseError};

/// Engine failures. `Parse` and `Input` are the user's input; the rest are internal.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Input(#[from] IngestError),
    /// A bad record stopped the ingest; everything before it was committed.
    #[error("{0}")]
    Parse(ParseError),
    #[error(transparent)]
    Store(#[from] arrow_store::StoreError),
    #[error(transparent)]
    Index(#[from] arrow_index::IndexError),
}
