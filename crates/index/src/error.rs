/// Index failures. All are internal (the user cannot cause them by a query) except `Locked`.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the index is being written by another Arrow process; wait for it to finish")]
    Locked,
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("index directory error: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("bad cursor: {0}")]
    Cursor(String),
}
