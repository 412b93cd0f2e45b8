//! The input side shared by the JSON source formats (OpenAlex, Crossref, Semantic Scholar, arXiv snapshot).
//!
//! Accepts both shapes the sources publish:
//! - JSON lines (the snapshots and dumps): streamed line by line; a bad line is one located error and
//!   parsing goes on with the next line.
//! - A whole JSON document (an API response, pretty-printed or not, or several concatenated): recognised
//!   when the first non-blank line is not a complete JSON value. The document is read whole (API
//!   responses are small) and every work in it is located at the line where its object starts.
//!
//! Each format supplies `expand`, which finds the work objects in one top-level value (unwrapping
//! `{"message":{"items":[..]}}`, `{"data":[..]}`, arrays, ...), and `convert`, which maps one work object.

use super::lines::LineReader;
use crate::{ParseError, Record};
use arrow_model::Work;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::collections::{HashMap, VecDeque};
use std::io::BufRead;

/// Finds the work objects inside one top-level JSON value.
pub(crate) type Expand = for<'a> fn(&'a RawValue) -> Result<Vec<&'a RawValue>, String>;
/// Maps one work object to a work; the error is the reason, without location.
pub(crate) type Convert = fn(&RawValue) -> Result<Work, String>;

#[derive(Clone, Copy)]
pub(crate) struct JsonFormat {
    pub expand: Expand,
    pub convert: Convert,
}

#[derive(PartialEq)]
enum Mode {
    Undecided,
    Lines,
    Done,
}

struct State<R> {
    lines: LineReader<R>,
    name: String,
    mode: Mode,
    pending: VecDeque<Result<Record, ParseError>>,
    format: JsonFormat,
}

/// Parses `reader` as JSON lines or as one JSON document, whichever it is.
pub(crate) fn parse<R: BufRead>(
    name: String,
    reader: R,
    format: JsonFormat,
) -> impl Iterator<Item = Result<Record, ParseError>> {
    let mut state = State {
        lines: LineReader::new(name.clone(), reader),
        name,
        mode: Mode::Undecided,
        pending: VecDeque::new(),
        format,
    };
    std::iter::from_fn(move || state.next())
}

impl<R: BufRead> State<R> {
    fn next(&mut self) -> Option<Result<Record, ParseError>> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return Some(r);
            }
            if self.mode == Mode::Done {
                return None;
            }
            let (line, bytes) = match self.lines.next_line() {
                None => {
                    self.mode = Mode::Done;
                    continue;
                }
                Some(Err(e)) => {
                    self.mode = Mode::Done;
                    return Some(Err(e));
                }
                Some(Ok(x)) => x,
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    self.mode = Mode::Lines;
                    self.pending.push_back(Err(ParseError::new(&self.name, line, format!("not UTF-8: {e}"))));
                    continue;
                }
            };
            if self.mode == Mode::Undecided {
                if let Err(e) = serde_json::from_str::<&RawValue>(text) {
                    if e.is_eof() {
                        // The first value spans lines: a whole document.
                        let first = text.to_string();
                        self.mode = Mode::Done;
                        self.read_document(line, first);
                        continue;
                    }
                }
                self.mode = Mode::Lines;
            }
            handle_line(&self.format, &self.name, line, text, &mut self.pending);
        }
    }

    /// Reads the rest of the input after the document's first line and parses it whole.
    fn read_document(&mut self, first_line: u64, first: String) {
        // Blank lines in front keep serde_json's line numbers equal to the file's.
        let mut doc = "\n".repeat(usize::try_from(first_line.saturating_sub(1)).unwrap_or(0));
        doc.push_str(&first);
        doc.push('\n');
        while let Some(r) = self.lines.next_line() {
            match r {
                Ok((no, bytes)) => match std::str::from_utf8(bytes) {
                    Ok(s) => {
                        doc.push_str(s);
                        doc.push('\n');
                    }
                    Err(e) => {
                        self.pending.push_back(Err(ParseError::new(&self.name, no, format!("not UTF-8: {e}"))));
                        return;
                    }
                },
                Err(e) => {
                    self.pending.push_back(Err(e));
                    return;
                }
            }
        }
        let starts = line_starts(&doc);
        let locate = |raw: &RawValue| line_of(&doc, &starts, raw.get());
        let mut out = VecDeque::new();
        for value in serde_json::Deserializer::from_str(&doc).into_iter::<&RawValue>() {
            match value {
                Ok(raw) => emit(&self.format, &self.name, raw, &locate, &mut out),
                Err(e) => {
                    if out.is_empty() && looks_like_lines(&doc) {
                        // JSON lines whose first line is broken: go line by line instead.
                        for (i, text) in doc.lines().enumerate() {
                            if !text.trim().is_empty() {
                                handle_line(&self.format, &self.name, i as u64 + 1, text, &mut self.pending);
                            }
                        }
                        return;
                    }
                    let line = if e.line() > 0 { e.line() as u64 } else { first_line };
                    out.push_back(Err(ParseError::new(&self.name, line, format!("invalid JSON: {e}"))));
                    break;
                }
            }
        }
        self.pending.extend(out);
    }
}

fn handle_line(format: &JsonFormat, name: &str, line: u64, text: &str, out: &mut VecDeque<Result<Record, ParseError>>) {
    match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) => emit(format, name, raw, &|_| line, out),
        Err(e) => out.push_back(Err(ParseError::new(name, line, format!("invalid JSON: {e}")))),
    }
}

fn emit(
    format: &JsonFormat,
    name: &str,
    raw: &RawValue,
    locate: &dyn Fn(&RawValue) -> u64,
    out: &mut VecDeque<Result<Record, ParseError>>,
) {
    match (format.expand)(raw) {
        Err(msg) => out.push_back(Err(ParseError::new(name, locate(raw), msg))),
        Ok(items) => {
            for item in items {
                let line = locate(item);
                out.push_back(
                    (format.convert)(item)
                        .map(|work| Record { work, line })
                        .map_err(|m| ParseError::new(name, line, m)),
                );
            }
        }
    }
}

fn looks_like_lines(doc: &str) -> bool {
    doc.lines().map(str::trim_start).filter(|l| !l.is_empty()).all(|l| l.starts_with('{') || l.starts_with('['))
}

fn line_starts(doc: &str) -> Vec<usize> {
    std::iter::once(0).chain(doc.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The 1-based line where `sub` (a slice of `doc`) starts.
fn line_of(doc: &str, starts: &[usize], sub: &str) -> u64 {
    let offset = (sub.as_ptr() as usize).checked_sub(doc.as_ptr() as usize).filter(|&o| o <= doc.len()).unwrap_or(0);
    starts.partition_point(|&s| s <= offset) as u64
}

/// What kind of JSON value `raw` is, by its first byte.
pub(crate) fn is_object(raw: &RawValue) -> bool {
    raw.get().starts_with('{')
}

pub(crate) fn is_array(raw: &RawValue) -> bool {
    raw.get().starts_with('[')
}

/// The top-level fields of an object (values left unparsed); `None` for other values.
pub(crate) fn fields(raw: &RawValue) -> Option<HashMap<String, &RawValue>> {
    if !is_object(raw) {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// The elements of an array; `None` for other values.
pub(crate) fn elements(raw: &RawValue) -> Option<Vec<&RawValue>> {
    if !is_array(raw) {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// Deserializes a work object into the format's record type.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawValue, what: &str) -> Result<T, String> {
    serde_json::from_str(raw.get()).map_err(|e| format!("not a {what} record: {e}"))
}

/// Lenient year: a JSON number or a string holding four digits.
pub(crate) fn year_value(v: &Option<serde_json::Value>) -> Option<i32> {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
        Some(serde_json::Value::String(s)) => super::text::year_in(s),
        _ => None,
    }
}
