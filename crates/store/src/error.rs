use std::path::Path;

/// What went wrong in the store. `Open` and `Version` concern the data directory the user pointed at;
/// `Sqlite` and `Corrupt` are internal failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("the store at {path} has schema version {found}, newer than this Arrow understands ({supported}); upgrade Arrow")]
    Version { path: String, found: i64, supported: i64 },
    #[error("store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the store holds a damaged record ({what}); run `arrow check`")]
    Corrupt { what: String },
}

impl StoreError {
    pub(crate) fn open(path: &Path, source: rusqlite::Error) -> Self {
        StoreError::Open { path: path.display().to_string(), source }
    }
}
