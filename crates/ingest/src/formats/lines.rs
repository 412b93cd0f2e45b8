use crate::ParseError;
use std::io::BufRead;

/// Reads raw lines (without the line break) and counts them, turning read failures (a truncated `.gz`,
/// invalid bytes) into located errors instead of a silent end of input.
pub(crate) struct LineReader<R> {
    reader: R,
    name: String,
    line: u64,
    buf: Vec<u8>,
    failed: bool,
}

impl<R: BufRead> LineReader<R> {
    pub(crate) fn new(name: String, reader: R) -> Self {
        LineReader { reader, name, line: 0, buf: Vec::with_capacity(4096), failed: false }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The next line's number and bytes, `None` at the end, or an error once (then `None`).
    pub(crate) fn next_line(&mut self) -> Option<Result<(u64, &[u8]), ParseError>> {
        if self.failed {
            return None;
        }
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => None,
            Ok(_) => {
                self.line += 1;
                while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                    self.buf.pop();
                }
                Some(Ok((self.line, &self.buf)))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(ParseError::new(&self.name, self.line + 1, format!("read failed: {e}"))))
            }
        }
    }
}
