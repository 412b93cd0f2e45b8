use std::path::Path;

/// What went wrong in the store. `Open` and `Version` concern the data directory the user pointed at;
/// `Sqlite` and `Corrupt` are internal failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("the store at {path} has schema version {found}, newer than this Arrow understands ({supported}); upgrade Arrow")]
    Version { path: String, found: i64, supported: i64 },
    /// The data directory could not be written: a full disk, a read-only file system, a file size limit.
    /// Nothing half-written is kept (the transaction rolled back).
    #[error(
        "cannot write to the data directory (is the disk full or read-only?); nothing of this batch was kept: {0}"
    )]
    Disk(rusqlite::Error),
    #[error("store error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("the store holds a damaged record ({what}); run `arrow check`")]
    Corrupt { what: String },
}

impl StoreError {
    pub(crate) fn open(path: &Path, source: rusqlite::Error) -> Self {
        StoreError::Open { path: path.display().to_string(), source }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DiskFull, ReadOnly, SystemIoFailure};
        match e.sqlite_error_code() {
            Some(DiskFull | SystemIoFailure | ReadOnly) => StoreError::Disk(e),
            _ => StoreError::Sqlite(e),
        }
    }
}
