/// What stops a stage. Bad records are not errors here: `parse` reports them as lines, and the driver decides.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("standard input, line {line}: {message}")]
    Line { line: u64, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Engine(#[from] arrow_engine::EngineError),
    #[error(transparent)]
    Store(#[from] arrow_store::StoreError),
    #[error(
        "the curations or labels file is not what `arrow curate history --json` / `arrow batch curate` write: {0}"
    )]
    Curations(String),
    #[error("the names file, line {line}: {message} (expected one JSON string a line)")]
    Names { line: u64, message: String },
    #[error("the renames file is not what `arrow batch readings` writes: {0}")]
    Renames(String),
}

impl BatchError {
    pub(crate) fn line(line: u64, e: impl std::fmt::Display) -> BatchError {
        BatchError::Line { line, message: e.to_string() }
    }
}
