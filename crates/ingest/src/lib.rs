//! Streaming parsers, one per source format, each turning a byte stream into [`Work`] records with
//! located errors. Parsing is kept apart from storing: callers pull records from a [`Records`] iterator.
//!
//! ```
//! use arrow_ingest::{parse_reader, Format};
//! let data = br#"{"id":"x:1","title":"Data Programming","authors":["Alexander Ratner"],"year":2016}"#;
//! let mut records = parse_reader(Format::Jsonl, "inline", &data[..]).unwrap();
//! let work = records.next().unwrap().unwrap();
//! assert_eq!(work.work.title, "Data Programming");
//! ```

mod error;
mod format;
pub mod formats;
mod input;
mod item;
mod parser_thread;

pub use error::{IngestError, ParseError};
pub use format::Format;
pub use formats::dblp_xml::Person;
pub use input::{open_input, Input};
pub use item::Item;
pub use parser_thread::{ParserPanicked, ParserThread};

use arrow_model::Work;
use std::io::BufRead;

/// A parsed record and where it started, for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub work: Work,
    /// 1-based line of the record's start in the input.
    pub line: u64,
}

/// The stream of records from one input. Each item is one record or one located error; after an error
/// the parser resynchronises at the next record when the format allows it.
pub type Records<'a> = Box<dyn Iterator<Item = Result<Record, ParseError>> + Send + 'a>;

/// Parses `reader` as `format`; `name` is used in error messages (usually the file path).
pub fn parse_reader<'a, R: BufRead + Send + 'a>(
    format: Format,
    name: &str,
    reader: R,
) -> Result<Records<'a>, IngestError> {
    formats::parser_for(format, name.to_string(), reader)
}

/// Opens a path (`-` is standard input; `.gz` and `.xz` are decompressed), detects or takes the format,
/// and returns its records.
pub fn parse_path(path: &str, forced: Option<Format>) -> Result<(Format, Records<'static>), IngestError> {
    parse_path_counted(path, forced, None)
}

/// [`parse_path`], advancing `counter` by the bytes read from the file.
pub fn parse_path_counted(
    path: &str,
    forced: Option<Format>,
    counter: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
) -> Result<(Format, Records<'static>), IngestError> {
    let Some((format, input)) = open_detected(path, forced, counter)? else {
        return Ok((Format::Jsonl, Box::new(std::iter::empty())));
    };
    let records = formats::parser_for(format, path.to_string(), input.into_reader())?;
    Ok((format, records))
}

/// Works, and the person records that only DBLP XML has.
pub type Items<'a> = Box<dyn Iterator<Item = Result<Item, ParseError>> + Send + 'a>;

/// [`parse_path_counted`], but a DBLP XML input also yields its person records.
pub fn parse_path_items(
    path: &str,
    forced: Option<Format>,
    counter: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
) -> Result<(Format, Items<'static>), IngestError> {
    let Some((format, input)) = open_detected(path, forced, counter)? else {
        return Ok((Format::Jsonl, Box::new(std::iter::empty())));
    };
    let items: Items<'static> = match format {
        Format::DblpXml => Box::new(formats::dblp_xml::parse_all(path.to_string(), input.into_reader())),
        _ => Box::new(formats::parser_for(format, path.to_string(), input.into_reader())?.map(|r| r.map(Item::Work))),
    };
    Ok((format, items))
}

/// Opens a path and settles its format; `None` for an empty input, which holds no records (not an error).
fn open_detected(
    path: &str,
    forced: Option<Format>,
    counter: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
) -> Result<Option<(Format, Input)>, IngestError> {
    let mut input = open_input(path, counter)?;
    let format = match forced {
        Some(f) => f,
        None => {
            let head = input.peek()?;
            if head.iter().all(u8::is_ascii_whitespace) {
                return Ok(None);
            }
            Format::detect(head).ok_or_else(|| IngestError::UnknownFormat { path: path.to_string() })?
        }
    };
    Ok(Some((format, input)))
}
