use crate::IngestError;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const PEEK: usize = 64 * 1024;

/// An opened input: decompressed transparently, with its head available for format detection.
pub struct Input {
    reader: BufReader<Box<dyn Read + Send>>,
    path: String,
}

/// Counts the bytes read from the underlying file (before decompression), for progress bars.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens `path` (`-` for standard input). Compression is recognised by magic bytes, not the file name.
/// When `counter` is given, it is advanced by the bytes read from the file as parsing proceeds.
pub fn open_input(path: &str, counter: Option<Arc<AtomicU64>>) -> Result<Input, IngestError> {
    let io_err = |source| IngestError::Io { path: path.to_string(), source };
    let raw: Box<dyn Read + Send> =
        if path == "-" { Box::new(io::stdin()) } else { Box::new(File::open(path).map_err(io_err)?) };
    let raw: Box<dyn Read + Send> = match counter {
        Some(count) => Box::new(Counted { inner: raw, count }),
        None => raw,
    };
    let mut raw = BufReader::with_capacity(PEEK, raw);
    let head = raw.fill_buf().map_err(io_err)?;
    let inner: Box<dyn Read + Send> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(raw))
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Box::new(xz2::bufread::XzDecoder::new_multi_decoder(raw))
    } else {
        Box::new(raw)
    };
    let mut reader = BufReader::with_capacity(PEEK, inner);
    let head = reader.fill_buf().map_err(io_err)?;
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Err(IngestError::Utf16 { path: path.to_string() });
    }
    // A UTF-8 byte order mark (Windows tools write one) is no part of the first record.
    if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        reader.consume(3);
    }
    Ok(Input { reader, path: path.to_string() })
}

impl Input {
    /// The first bytes of the decompressed stream (up to 64 KiB), without consuming them.
    pub fn peek(&mut self) -> Result<&[u8], IngestError> {
        let path = self.path.clone();
        self.reader.fill_buf().map_err(|source| IngestError::Io { path, source })
    }

    pub fn into_reader(self) -> BufReader<Box<dyn Read + Send>> {
        self.reader
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<String, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, bytes).unwrap();
        let mut out = String::new();
        open_input(path.to_str().unwrap(), None)?.into_reader().read_to_string(&mut out).unwrap();
        Ok(out)
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped_and_utf16_is_named() {
        assert_eq!(read(b"\xef\xbb\xbf{\"id\":1}\n").unwrap(), "{\"id\":1}\n");
        assert_eq!(read(b"{\"id\":1}\n").unwrap(), "{\"id\":1}\n");
        assert!(matches!(read(b"\xff\xfe{\x00"), Err(IngestError::Utf16 { .. })));
    }
}
