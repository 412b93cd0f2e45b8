use std::fmt;

/// One bad record, located in its input. Displays as `FILE:LINE: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    /// 1-based line; 0 when only a byte offset is known.
    pub line: u64,
    pub message: String,
}

impl ParseError {
    pub fn new(file: &str, line: u64, message: impl Into<String>) -> Self {
        ParseError { file: file.to_string(), line, message: message.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Failures before or around parsing: the input could not be opened or recognised.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: cannot tell the format from the content")]
    UnknownFormat { path: String },
    #[error("{path}: the file is UTF-16 text; Arrow reads UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)")]
    Utf16 { path: String },
    #[error(transparent)]
    Parse(#[from] ParseError),
}
