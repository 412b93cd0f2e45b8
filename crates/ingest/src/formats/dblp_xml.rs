//! DBLP's XML dump (`dblp.xml`, described by `dblp.dtd`), streamed with quick-xml: memory stays bounded by
//! one record, whatever the size of the file.
//!
//! - Encoding: the declaration's `encoding` is honoured for UTF-8 (the default) and ISO-8859-1 / Latin-1
//!   (each byte is one character); other encodings are an error.
//! - Entities: the XML ones, every entity `dblp.dtd` declares, and the common Latin Extended ones
//!   (see [`super::entities`]); numeric references `&#233;` `&#xE9;` too. An unknown named entity cannot be
//!   resolved without the DTD and is kept verbatim as `&name;` in the text (the record is not lost).
//! - Records: `article`, `inproceedings`, `proceedings`, `incollection`, `book`, `phdthesis`,
//!   `mastersthesis` and `www` become works; `www` records whose key starts with `homepages/` are person
//!   records, not works: [`parse`] skips them, [`parse_all`] yields them as [`Item::Person`].
//! - Mapping: id `dblp:<key>`; `Identifiers.dblp` = key; title with its inner markup (`<i>`, `<sub>`,
//!   `<sup>`, `<tt>`, `<ref>`) flattened to text, whitespace collapsed, and DBLP's closing period removed
//!   (DBLP ends every title with "." unless it ends with "?" or "!"; the JSON lines corpus has it removed);
//!   authors as written (homonym numbers kept), editors when there are no authors; an `orcid` attribute
//!   gives `source_id` `orcid:<id>`; venue = booktitle, journal, series, school or publisher, the first
//!   present; venue kind from the record kind (a `CoRR` article is a preprint); `pub_type` = the record kind;
//!   DOI from `<doi>` or the first `<ee>` on a DOI resolver (doi.org, dx.doi.org, doi.acm.org); the other
//!   `<ee>` links and `<url>` (relative DBLP paths made absolute on https://dblp.org/) go to `urls`; an
//!   `<ee>` to an arXiv abstract page also gives `Identifiers.arxiv` (without version).
//!   `<crossref>` (the key of the containing proceedings) has no place in the model and is dropped.
//! - Errors: a record without key or title, with a bad year, invalid UTF-8 or ill-formed markup is one error
//!   located at the record's first line, and parsing goes on with the next record. Read failures (a truncated
//!   `.gz`), XML syntax errors and an input that ends inside an element (a truncated file) end the stream with
//!   an error.

use super::entities;
use crate::{Item, ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// A DBLP person record (`<www key="homepages/...">`): the person's names (the first is the primary name,
/// the others aliases), ORCID, and the pages about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The DBLP key, e.g. `homepages/l/JiLiu2`.
    pub key: String,
    pub names: Vec<String>,
    /// `orcid:<id>` from the first name carrying an `orcid` attribute, else from a `<url>` on orcid.org.
    pub orcid: Option<String>,
    pub urls: Vec<String>,
    /// 1-based line of the record's start.
    pub line: u64,
}

/// Whether the head of an input looks like DBLP XML: an XML declaration and a `<dblp>` root or doctype, or
/// such a root or doctype first.
pub fn looks_like(head: &str) -> bool {
    let root = |s: &str| s.starts_with("<dblp>") || s.starts_with("<dblp ") || s.starts_with("<!DOCTYPE dblp");
    root(head)
        || head.starts_with("<?xml")
            && (head.contains("<dblp>") || head.contains("<dblp ") || head.contains("<!DOCTYPE dblp"))
}

/// Works only (person records are skipped).
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    parse_all(name, reader).filter_map(|item| match item {
        Ok(Item::Work(r)) => Some(Ok(r)),
        Ok(Item::Person(_)) => None,
        Err(e) => Some(Err(e)),
    })
}

/// Works and person records.
pub fn parse_all<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Item, ParseError>> {
    let mut p = Parser::new(name, reader);
    std::iter::from_fn(move || p.next_item())
}

/// How the input's bytes become the UTF-8 text the XML reader is given (quick-xml 0.42 reads UTF-8 only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decoding {
    /// Before the first event: UTF-8, decoded only up to the next `>` at a time, so that an XML declaration
    /// naming another encoding is seen before any byte after it is decoded.
    Start,
    Utf8,
    /// ISO-8859-1: each byte is one character.
    Latin1,
}

/// The XML reader's input: the source decoded to UTF-8 in its own buffer, counting line breaks lazily (in
/// whole runs of consumed bytes, only when a line number is asked for), so that events can be located by
/// line. Invalid UTF-8 is replaced by U+FFFD and noted, so that the record holding it becomes an error.
struct LineCounter<R> {
    inner: R,
    /// Bytes read from the source; `raw[rpos..rfilled]` not yet decoded.
    raw: Box<[u8]>,
    rpos: usize,
    rfilled: usize,
    /// Source offset of `raw[0]`.
    raw_base: u64,
    eof: bool,
    decoding: Decoding,
    /// Decoded bytes; `buf[pos..]` not yet consumed.
    buf: Vec<u8>,
    pos: usize,
    /// Offset of `buf[0]` in the decoded stream.
    base: u64,
    /// `buf[..counted]` is already counted in `breaks`.
    counted: usize,
    breaks: u64,
    /// Invalid UTF-8 met: the decoded offset of its replacement and the message, in order.
    invalid: VecDeque<(u64, String)>,
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            raw: vec![0; CHUNK].into_boxed_slice(),
            rpos: 0,
            rfilled: 0,
            raw_base: 0,
            eof: false,
            decoding: Decoding::Start,
            buf: Vec::with_capacity(CHUNK),
            pos: 0,
            base: 0,
            counted: 0,
            breaks: 0,
            invalid: VecDeque::new(),
        }
    }

    fn count_to(&mut self, upto: usize) {
        if upto > self.counted {
            let newlines = self.buf[self.counted..upto].iter().fold(0u64, |n, &b| n + u64::from(b == b'\n'));
            self.breaks += newlines;
            self.counted = upto;
        }
    }

    /// The 1-based line of the next unread byte.
    fn line(&mut self) -> u64 {
        self.count_to(self.pos);
        self.breaks + 1
    }

    /// Sets the encoding once known (the XML declaration, or the first event without one); bytes already
    /// decoded stay as they are.
    fn decided(&mut self, latin1: bool) {
        if self.decoding == Decoding::Start {
            self.decoding = if latin1 { Decoding::Latin1 } else { Decoding::Utf8 };
        }
    }

    /// The message of the first invalid UTF-8 consumed so far and not yet taken (all of them are dropped).
    fn take_invalid(&mut self) -> Option<String> {
        let consumed = self.base + self.pos as u64;
        let mut first = None;
        while self.invalid.front().is_some_and(|&(at, _)| at < consumed) {
            let (_, msg) = self.invalid.pop_front()?;
            first.get_or_insert(msg);
        }
        first
    }

    /// Moves the undecoded bytes to the front of `raw` and reads more after them.
    fn read_raw(&mut self) -> io::Result<()> {
        let left = self.rfilled - self.rpos;
        self.raw.copy_within(self.rpos..self.rfilled, 0);
        self.raw_base += self.rpos as u64;
        self.rpos = 0;
        self.rfilled = left;
        let n = loop {
            match self.inner.read(&mut self.raw[left..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.eof = n == 0;
        self.rfilled += n;
        Ok(())
    }

    /// Decodes what it can of `raw[rpos..rfilled]` into `buf`.
    fn decode(&mut self) {
        let src = &self.raw[self.rpos..self.rfilled];
        match self.decoding {
            Decoding::Latin1 => {
                // ASCII runs are copied whole; each other byte is its code point, two bytes in UTF-8.
                self.buf.reserve(src.len());
                let mut rest = src;
                while let Some(i) = rest.iter().position(|&b| !b.is_ascii()) {
                    let b = rest[i];
                    self.buf.extend_from_slice(&rest[..i]);
                    self.buf.extend_from_slice(&[0xC0 | (b >> 6), 0x80 | (b & 0x3F)]);
                    rest = &rest[i + 1..];
                }
                self.buf.extend_from_slice(rest);
                self.rpos = self.rfilled;
            }
            Decoding::Start => {
                let end = src.iter().position(|&b| b == b'>').map_or(src.len(), |i| i + 1);
                self.decode_utf8(self.rpos + end);
            }
            Decoding::Utf8 => self.decode_utf8(self.rfilled),
        }
    }

    /// Decodes `raw[rpos..end]` as UTF-8, but an incomplete character at the end when more input may follow.
    fn decode_utf8(&mut self, end: usize) {
        while self.rpos < end {
            let src = &self.raw[self.rpos..end];
            match std::str::from_utf8(src) {
                Ok(_) => {
                    self.buf.extend_from_slice(src);
                    self.rpos = end;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.buf.extend_from_slice(&src[..valid]);
                    let what = match e.error_len() {
                        Some(n) => format!("invalid utf-8 sequence of {n} bytes"),
                        None if end == self.rfilled && !self.eof => {
                            self.rpos += valid;
                            return;
                        }
                        None => "incomplete utf-8 byte sequence".to_string(),
                    };
                    let at = self.raw_base + (self.rpos + valid) as u64;
                    let msg = format!("invalid UTF-8 ({what} at byte {at}); is the encoding declared?");
                    self.invalid.push_back((self.base + self.buf.len() as u64, msg));
                    self.buf.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut [0; 4]).as_bytes());
                    self.rpos += valid + e.error_len().unwrap_or(src.len() - valid);
                }
            }
        }
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.buf.len() {
            self.count_to(self.buf.len());
            self.base += self.buf.len() as u64;
            self.buf.clear();
            self.pos = 0;
            self.counted = 0;
            loop {
                self.decode();
                if !self.buf.is_empty() || self.eof {
                    break;
                }
                self.read_raw()?;
            }
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.buf.len());
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Article,
    Inproceedings,
    Proceedings,
    Incollection,
    Book,
    Phdthesis,
    Mastersthesis,
    Www,
}

impl Kind {
    fn from_tag(tag: &str) -> Option<Kind> {
        Some(match tag {
            "article" => Kind::Article,
            "inproceedings" => Kind::Inproceedings,
            "proceedings" => Kind::Proceedings,
            "incollection" => Kind::Incollection,
            "book" => Kind::Book,
            "phdthesis" => Kind::Phdthesis,
            "mastersthesis" => Kind::Mastersthesis,
            "www" => Kind::Www,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Inproceedings => "inproceedings",
            Kind::Proceedings => "proceedings",
            Kind::Incollection => "incollection",
            Kind::Book => "book",
            Kind::Phdthesis => "phdthesis",
            Kind::Mastersthesis => "mastersthesis",
            Kind::Www => "www",
        }
    }

    fn venue_kind(self) -> VenueKind {
        match self {
            Kind::Article => VenueKind::Journal,
            Kind::Inproceedings | Kind::Proceedings => VenueKind::Conference,
            Kind::Incollection | Kind::Book => VenueKind::Book,
            Kind::Phdthesis | Kind::Mastersthesis => VenueKind::Thesis,
            Kind::Www => VenueKind::Other,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Author,
    Editor,
    Title,
    Booktitle,
    Journal,
    Series,
    School,
    Publisher,
    Year,
    Ee,
    Url,
    Doi,
    Ignored,
}

impl Field {
    fn from_tag(tag: &str) -> Field {
        match tag {
            "author" => Field::Author,
            "editor" => Field::Editor,
            "title" => Field::Title,
            "booktitle" => Field::Booktitle,
            "journal" => Field::Journal,
            "series" => Field::Series,
            "school" => Field::School,
            "publisher" => Field::Publisher,
            "year" => Field::Year,
            "ee" => Field::Ee,
            "url" => Field::Url,
            "doi" => Field::Doi,
            _ => Field::Ignored,
        }
    }
}

/// The record being read; reused from record to record.
#[derive(Default)]
struct Rec {
    kind: Option<Kind>,
    line: u64,
    key: String,
    publtype: String,
    title: Option<String>,
    authors: Vec<(String, Option<String>)>,
    editors: Vec<(String, Option<String>)>,
    booktitle: Option<String>,
    journal: Option<String>,
    series: Option<String>,
    school: Option<String>,
    publisher: Option<String>,
    year: Option<String>,
    ee: Vec<String>,
    urls: Vec<String>,
    doi: Option<String>,
    /// The first problem found; the record becomes this error at its end.
    error: Option<String>,
}

impl Rec {
    fn reset(&mut self, kind: Kind, line: u64) {
        *self = Rec { kind: Some(kind), line, ..Rec::default() };
    }

    fn fail(&mut self, msg: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(msg.into());
        }
    }
}

struct Parser<R> {
    reader: Reader<LineCounter<R>>,
    buf: Vec<u8>,
    st: State,
}

/// Everything but the reader, so that events (which borrow the buffer) can be handled by `&mut State`.
struct State {
    name: String,
    /// Open elements, by this parser's count: 1 inside `<dblp>`, 2 inside a record, 3 inside a field.
    depth: usize,
    /// Whether the element at depth 2 is a record being read (unknown elements are skipped).
    in_record: bool,
    field: Option<Field>,
    field_orcid: Option<String>,
    text: String,
    rec: Rec,
    root_seen: bool,
    done: bool,
}

/// Resolves a reference (the bytes between `&` and `;`) and appends it: numeric, XML or DTD entity; an
/// unknown name is kept as `&name;`.
fn push_ref(out: &mut String, name: &[u8]) -> Result<(), String> {
    if let Some(num) = name.strip_prefix(b"#") {
        let code = match num.strip_prefix(b"x").or_else(|| num.strip_prefix(b"X")) {
            Some(hex) => std::str::from_utf8(hex).ok().and_then(|h| u32::from_str_radix(h, 16).ok()),
            None => std::str::from_utf8(num).ok().and_then(|d| d.parse::<u32>().ok()),
        };
        match code.and_then(char::from_u32).filter(|&c| c != '\0') {
            Some(c) => out.push(c),
            None => return Err(format!("bad character reference &{};", String::from_utf8_lossy(name))),
        }
    } else if let Some(c) = entities::lookup(name) {
        out.push(c);
    } else {
        out.push('&');
        out.push_str(&String::from_utf8_lossy(name));
        out.push(';');
    }
    Ok(())
}

/// An attribute value with its references resolved; `invalid` is the message of invalid UTF-8 in the tag
/// (replaced by U+FFFD), an error if it is in this value.
fn attr_value(raw: &str, invalid: Option<&str>) -> Result<String, String> {
    if let Some(msg) = invalid.filter(|_| raw.contains(char::REPLACEMENT_CHARACTER)) {
        return Err(msg.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').ok_or("unterminated reference in an attribute")?;
        push_ref(&mut out, &after.as_bytes()[..semi])?;
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

pub(crate) use arrow_normalize::collapse_whitespace as squashed;

/// `orcid:<id>` of a link to an ORCID record (`https://orcid.org/0000-0002-3803-8368`).
fn orcid_of_link(link: &str) -> Option<String> {
    let rest = link.trim().strip_prefix("https://").or_else(|| link.trim().strip_prefix("http://"))?;
    let id = rest.strip_prefix("orcid.org/").or_else(|| rest.strip_prefix("www.orcid.org/"))?;
    Identifiers::clean_orcid(id).map(|id| format!("orcid:{id}"))
}

/// The DOI of an `<ee>` link on a DOI resolver.
fn doi_of_link(link: &str) -> Option<String> {
    let lower = link.trim();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    matches!(host.to_ascii_lowercase().as_str(), "doi.org" | "dx.doi.org" | "www.doi.org" | "doi.acm.org")
        .then(|| Identifiers::clean_doi(path))
        .flatten()
}

/// The arXiv id of an `<ee>` link to an arXiv abstract page (`https://arxiv.org/abs/1810.04805v2`), without
/// its version.
fn arxiv_of_link(link: &str) -> Option<String> {
    let rest = link.trim().strip_prefix("https://").or_else(|| link.trim().strip_prefix("http://"))?;
    let id = rest.strip_prefix("arxiv.org/abs/").or_else(|| rest.strip_prefix("www.arxiv.org/abs/"))?;
    Identifiers::clean_arxiv(id)
}

impl<R: Read> Parser<R> {
    fn new(name: String, reader: R) -> Self {
        let mut reader = Reader::from_reader(LineCounter::new(reader));
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        let st = State {
            name,
            depth: 0,
            in_record: false,
            field: None,
            field_orcid: None,
            text: String::with_capacity(256),
            rec: Rec::default(),
            root_seen: false,
            done: false,
        };
        Parser { reader, buf: Vec::with_capacity(4096), st }
    }

    fn next_item(&mut self) -> Option<Result<Item, ParseError>> {
        let Parser { reader, buf, st } = self;
        st.next_item(reader, buf)
    }
}

impl State {
    fn err(&self, line: u64, msg: impl Into<String>) -> ParseError {
        ParseError::new(&self.name, line, msg)
    }

    fn fatal(&mut self, line: u64, msg: impl Into<String>) -> Option<Result<Item, ParseError>> {
        self.done = true;
        Some(Err(self.err(line, msg)))
    }

    fn next_item<R: Read>(
        &mut self,
        reader: &mut Reader<LineCounter<R>>,
        buf: &mut Vec<u8>,
    ) -> Option<Result<Item, ParseError>> {
        loop {
            if self.done {
                return None;
            }
            let line = reader.get_mut().line();
            buf.clear();
            let event = match reader.read_event_into(buf) {
                Ok(ev) => {
                    if !matches!(ev, Event::Decl(_)) {
                        reader.get_mut().decided(false);
                    }
                    ev
                }
                Err(quick_xml::Error::IllFormed(e)) => {
                    let ended = matches!(e, quick_xml::errors::IllFormedError::MismatchedEndTag { .. });
                    let msg = format!("ill-formed XML: {e}");
                    if self.in_record {
                        self.rec.fail(msg);
                        if ended {
                            if let Some(item) = self.end_element(line) {
                                return Some(item);
                            }
                        }
                        continue;
                    }
                    if ended {
                        self.depth = self.depth.saturating_sub(1);
                    }
                    return Some(Err(self.err(line, msg)));
                }
                Err(quick_xml::Error::Io(e)) => return self.fatal(line, format!("read failed: {e}")),
                Err(e) => {
                    let at = reader.error_position();
                    return self.fatal(line, format!("XML error at byte {at}: {e}"));
                }
            };
            match event {
                Event::Decl(d) => {
                    let mut latin1 = false;
                    if let Some(Ok(enc)) = d.encoding() {
                        let enc = enc.to_ascii_lowercase();
                        match enc.as_str() {
                            "utf-8" | "utf8" | "us-ascii" | "ascii" => {}
                            "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => latin1 = true,
                            other => {
                                let other = other.to_string();
                                return self.fatal(line, format!("unsupported XML encoding {other:?}"));
                            }
                        }
                    }
                    reader.get_mut().decided(latin1);
                }
                Event::Start(e) => {
                    self.depth += 1;
                    let invalid = reader.get_mut().take_invalid();
                    if let Some(item) = self.start_element(&e, line, invalid.as_deref()) {
                        return Some(item);
                    }
                }
                Event::Empty(e) => {
                    self.depth += 1;
                    let invalid = reader.get_mut().take_invalid();
                    if let Some(item) = self.start_element(&e, line, invalid.as_deref()) {
                        return Some(item);
                    }
                    if let Some(item) = self.end_element(line) {
                        return Some(item);
                    }
                }
                Event::End(_) => {
                    if let Some(item) = self.end_element(line) {
                        return Some(item);
                    }
                }
                Event::Text(t) => {
                    let invalid = reader.get_mut().take_invalid();
                    if self.collecting() {
                        self.text.push_str(&t);
                        if let Some(m) = invalid {
                            self.rec.fail(m);
                        }
                    } else if self.depth == 0 && !t.bytes().all(|b| b.is_ascii_whitespace()) {
                        return self.fatal(line, "not DBLP XML: text outside the root element");
                    }
                }
                Event::CData(t) => {
                    let invalid = reader.get_mut().take_invalid();
                    if self.collecting() {
                        self.text.push_str(&t);
                        if let Some(m) = invalid {
                            self.rec.fail(m);
                        }
                    }
                }
                Event::GeneralRef(r) => {
                    if self.collecting() {
                        if let Err(m) = push_ref(&mut self.text, r.as_bytes()) {
                            self.rec.fail(m);
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => {
                    self.done = true;
                    if self.depth > 0 {
                        let what = if self.in_record {
                            format!("the record {} starting at line {}", self.rec.key, self.rec.line)
                        } else {
                            "<dblp>".to_string()
                        };
                        return Some(Err(self.err(line, format!("input ends inside {what} (truncated file?)"))));
                    }
                    if !self.root_seen {
                        return Some(Err(self.err(line, "not DBLP XML: no <dblp> element")));
                    }
                    return None;
                }
            }
        }
    }

    fn collecting(&self) -> bool {
        self.in_record && matches!(self.field, Some(f) if f != Field::Ignored)
    }

    /// Handles a start tag; `self.depth` already counts it. An empty element (`<article key=".."/>`) is ended
    /// by the caller right after.
    /// `invalid`: the message of invalid UTF-8 in the tag (an error if in an attribute value read).
    fn start_element(&mut self, e: &BytesStart, line: u64, invalid: Option<&str>) -> Option<Result<Item, ParseError>> {
        match self.depth {
            1 => {
                if e.name().as_ref() != "dblp" {
                    let tag = e.name().as_ref().to_string();
                    return self.fatal(line, format!("not DBLP XML: the root element is <{tag}>, not <dblp>"));
                }
                self.root_seen = true;
            }
            2 => {
                let Some(kind) = Kind::from_tag(e.name().as_ref()) else {
                    // Not a record kind dblp.dtd knows: skipped with everything inside.
                    self.in_record = false;
                    return None;
                };
                self.in_record = true;
                self.rec.reset(kind, line);
                for attr in e.attributes().with_checks(false) {
                    match attr {
                        Ok(a) => match a.key.as_ref() {
                            "key" => match attr_value(&a.value, invalid) {
                                Ok(v) => self.rec.key = v,
                                Err(m) => self.rec.fail(m),
                            },
                            "publtype" => match attr_value(&a.value, invalid) {
                                Ok(v) => self.rec.publtype = v,
                                Err(m) => self.rec.fail(m),
                            },
                            _ => {}
                        },
                        Err(err) => self.rec.fail(format!("bad attribute: {err}")),
                    }
                }
            }
            3 if self.in_record => {
                let field = Field::from_tag(e.name().as_ref());
                self.field = Some(field);
                self.text.clear();
                self.field_orcid = None;
                if matches!(field, Field::Author | Field::Editor) {
                    match e.try_get_attribute("orcid") {
                        Ok(Some(a)) => match attr_value(&a.value, invalid) {
                            Ok(v) if !v.trim().is_empty() => {
                                self.field_orcid = Identifiers::clean_orcid(&v).map(|id| format!("orcid:{id}"))
                            }
                            Ok(_) => {}
                            Err(m) => self.rec.fail(m),
                        },
                        Ok(None) => {}
                        Err(err) => self.rec.fail(format!("bad attribute: {err}")),
                    }
                }
            }
            _ => {} // markup inside a field (<i>, <sub>, ...) is flattened; deeper levels of skipped elements
        }
        None
    }

    /// Handles an end tag (or the end of an empty element) at the current depth.
    fn end_element(&mut self, line: u64) -> Option<Result<Item, ParseError>> {
        let depth = self.depth;
        self.depth = depth.saturating_sub(1);
        match depth {
            3 if self.in_record => {
                if let Some(field) = self.field.take() {
                    self.finish_field(field);
                }
                None
            }
            2 if self.in_record => {
                self.in_record = false;
                Some(self.finish_record())
            }
            0 => Some(Err(self.err(line, "unmatched end tag"))),
            _ => None,
        }
    }

    fn finish_field(&mut self, field: Field) {
        if field == Field::Ignored {
            return;
        }
        let value = squashed(&self.text);
        self.text.clear();
        if value.is_empty() {
            return;
        }
        let rec = &mut self.rec;
        let set = |slot: &mut Option<String>, v: String| {
            if slot.is_none() {
                *slot = Some(v);
            }
        };
        match field {
            Field::Author => rec.authors.push((value, self.field_orcid.take())),
            Field::Editor => rec.editors.push((value, self.field_orcid.take())),
            Field::Title => set(&mut rec.title, value),
            Field::Booktitle => set(&mut rec.booktitle, value),
            Field::Journal => set(&mut rec.journal, value),
            Field::Series => set(&mut rec.series, value),
            Field::School => set(&mut rec.school, value),
            Field::Publisher => set(&mut rec.publisher, value),
            Field::Year => set(&mut rec.year, value),
            Field::Ee => rec.ee.push(value),
            Field::Url => rec.urls.push(value),
            Field::Doi => set(&mut rec.doi, value),
            Field::Ignored => {}
        }
    }

    fn finish_record(&mut self) -> Result<Item, ParseError> {
        let rec = std::mem::take(&mut self.rec);
        let line = rec.line;
        let kind = rec.kind.unwrap_or(Kind::Www);
        let located = |msg: String| ParseError::new(&self.name, line, msg);
        if rec.key.trim().is_empty() {
            let msg = rec.error.unwrap_or_else(|| format!("<{}> record without a key", kind.name()));
            return Err(located(msg));
        }
        let key = rec.key.trim().to_string();
        if let Some(e) = rec.error {
            return Err(located(format!("record {key}: {e}")));
        }
        let mut urls = Vec::with_capacity(rec.ee.len() + rec.urls.len());
        let mut doi = rec.doi.as_deref().and_then(Identifiers::clean_doi);
        let arxiv = rec.ee.iter().find_map(|l| arxiv_of_link(l));
        for link in rec.ee {
            if doi.is_none() {
                if let Some(d) = doi_of_link(&link) {
                    doi = Some(d);
                    continue;
                }
            } else if doi_of_link(&link).as_deref() == doi.as_deref() {
                continue;
            }
            urls.push(link);
        }
        for u in rec.urls {
            if u.contains("://") {
                urls.push(u);
            } else {
                urls.push(format!("https://dblp.org/{}", u.trim_start_matches('/')));
            }
        }
        if kind == Kind::Www && key.starts_with("homepages/") {
            // DBLP gives a person's ORCID as an `orcid` attribute of a name or as a link to orcid.org.
            let orcid =
                rec.authors.iter().find_map(|(_, o)| o.clone()).or_else(|| urls.iter().find_map(|u| orcid_of_link(u)));
            let names = rec.authors.into_iter().map(|(n, _)| n).collect();
            return Ok(Item::Person(Person { key, names, orcid, urls, line }));
        }
        let mut title = match rec.title {
            Some(t) => t,
            None => return Err(located(format!("record {key} has no title"))),
        };
        if title.ends_with('.') && !title.ends_with("..") {
            title.pop();
            let kept = title.trim_end().len();
            title.truncate(kept);
        }
        if title.is_empty() {
            return Err(located(format!("record {key} has an empty title")));
        }
        let year = match rec.year {
            None => None,
            Some(y) => match y.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => return Err(located(format!("record {key}: year {y:?} is not a number"))),
            },
        };
        let people = if rec.authors.is_empty() { rec.editors } else { rec.authors };
        let authors = people
            .into_iter()
            .enumerate()
            .map(|(i, (name, orcid))| Authorship {
                position: Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                name,
                source_id: orcid,
            })
            .collect();
        let venue = rec.booktitle.or(rec.journal).or(rec.series).or(rec.school).or(rec.publisher);
        let venue_kind =
            if kind == Kind::Article && (venue.as_deref() == Some("CoRR") || rec.publtype.contains("informal")) {
                VenueKind::Preprint
            } else {
                kind.venue_kind()
            };
        let work = Work {
            id: WorkId(format!("dblp:{key}")),
            title,
            abstract_text: None,
            year,
            venue,
            venue_kind,
            pub_type: Some(kind.name().to_string()),
            authors,
            authors_truncated: false,
            ids: Identifiers { doi, arxiv, dblp: Some(key.clone()), openalex: None, urls },
            references: Vec::new(),
            provenance: vec![Provenance { source: "dblp".into(), record_id: key, ingested_at: 0, file: None }],
        };
        Ok(Item::Work(Record { work, line }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &[u8]) -> Vec<Result<Item, ParseError>> {
        parse_all("t.xml".into(), s).collect()
    }

    fn works(s: &[u8]) -> Vec<Result<Record, ParseError>> {
        parse("t.xml".into(), s).collect()
    }

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!DOCTYPE dblp SYSTEM \"dblp.dtd\">\n<dblp>\n";

    #[test]
    fn latin1_entities_markup_and_orcid() {
        let mut doc = HEAD.as_bytes().to_vec();
        doc.extend_from_slice(
            b"<inproceedings mdate=\"2020-01-01\" key=\"conf/icml/LiuWRBS14\">\n\
              <author orcid=\"0000-0001-2345-6789\">Ji Liu 0002</author>\n\
              <author>J\xfcrgen B&ouml;rstler</author>\n\
              <author>Christopher R&eacute;</author>\n\
              <title>An <i>O</i>(n<sup>2</sup>) Algorithm for H<sub>2</sub>O &amp; &Lstrok;&oacute;d&#x17A; &foo;.</title>\n\
              <booktitle>ICML</booktitle><year>2014</year><crossref>conf/icml/2014</crossref>\n\
              <ee>https://doi.org/10.5555/ABC</ee><ee>http://proceedings.mlr.press/v32/liub14.html</ee>\n\
              <url>db/conf/icml/icml2014.html#LiuWRBS14</url>\n\
              </inproceedings>\n</dblp>\n",
        );
        let out = works(&doc);
        assert_eq!(out.len(), 1, "{out:?}");
        let r = out[0].as_ref().unwrap();
        assert_eq!(r.line, 4);
        let w = &r.work;
        assert_eq!(w.id.0, "dblp:conf/icml/LiuWRBS14");
        assert_eq!(w.ids.dblp.as_deref(), Some("conf/icml/LiuWRBS14"));
        assert_eq!(w.title, "An O(n2) Algorithm for H2O & Łódź &foo;");
        assert_eq!(w.authors[0].name, "Ji Liu 0002");
        assert_eq!(w.authors[0].source_id.as_deref(), Some("orcid:0000-0001-2345-6789"));
        assert_eq!(w.authors[1], Authorship::at(2, "Jürgen Börstler"));
        assert_eq!(w.authors[2].name, "Christopher Ré");
        assert_eq!(w.venue.as_deref(), Some("ICML"));
        assert_eq!(w.venue_kind, VenueKind::Conference);
        assert_eq!(w.pub_type.as_deref(), Some("inproceedings"));
        assert_eq!(w.year, Some(2014));
        assert_eq!(w.ids.doi.as_deref(), Some("10.5555/abc"));
        assert_eq!(
            w.ids.urls,
            vec![
                "http://proceedings.mlr.press/v32/liub14.html".to_string(),
                "https://dblp.org/db/conf/icml/icml2014.html#LiuWRBS14".to_string()
            ]
        );
    }

    #[test]
    fn every_record_kind_and_persons() {
        let doc = "<?xml version=\"1.0\"?>\n<dblp>\n\
            <article key=\"journals/corr/abs-1234\" publtype=\"informal\"><author>A</author><title>T1.</title><journal>CoRR</journal><year>2020</year><ee>https://arxiv.org/abs/1810.04805v2</ee></article>\n\
            <proceedings key=\"conf/x/2020\"><editor>Ed One</editor><editor>Ed Two</editor><title>Proc.</title><booktitle>X</booktitle><year>2020</year></proceedings>\n\
            <incollection key=\"a/b/c\"><author>A</author><title>Chapter?</title><booktitle>Book</booktitle></incollection>\n\
            <book key=\"books/x\"><author>A</author><title>B</title><publisher>Springer</publisher></book>\n\
            <phdthesis key=\"phd/x\"><author>Ö</author><title>Th</title><school>TU München</school><year>1999</year></phdthesis>\n\
            <mastersthesis key=\"ms/x\"><author>M</author><title>M</title><school>S</school></mastersthesis>\n\
            <www key=\"www/org/w3\"><title>W3C</title><url>https://w3.org/</url></www>\n\
            <www key=\"homepages/l/JiLiu2\"><author orcid=\"0000-0002-1825-0097\">Ji Liu 0002</author><author>J. Liu 0002</author><title>Home Page</title><url>https://x.org</url></www>\n\
            <data key=\"x\"><title>unknown kind, skipped</title></data>\n\
            </dblp>";
        let out = all(doc.as_bytes());
        assert_eq!(out.len(), 8, "{out:?}");
        let work = |i: usize| match &out[i] {
            Ok(Item::Work(r)) => r.work.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(work(0).venue_kind, VenueKind::Preprint);
        assert_eq!(work(0).title, "T1");
        assert_eq!(work(0).ids.arxiv.as_deref(), Some("1810.04805"));
        assert_eq!(work(0).ids.urls, ["https://arxiv.org/abs/1810.04805v2"]);
        let p = work(1);
        assert_eq!(p.authors, vec![Authorship::at(1, "Ed One"), Authorship::at(2, "Ed Two")]);
        assert_eq!(p.venue_kind, VenueKind::Conference);
        assert_eq!(work(2).title, "Chapter?");
        assert_eq!(work(2).venue_kind, VenueKind::Book);
        assert_eq!(work(3).venue.as_deref(), Some("Springer"));
        assert_eq!(work(4).venue.as_deref(), Some("TU München"));
        assert_eq!(work(4).authors[0].name, "Ö");
        assert_eq!(work(4).venue_kind, VenueKind::Thesis);
        assert_eq!(work(5).pub_type.as_deref(), Some("mastersthesis"));
        assert_eq!(work(6).venue_kind, VenueKind::Other);
        match &out[7] {
            Ok(Item::Person(p)) => {
                assert_eq!(p.key, "homepages/l/JiLiu2");
                assert_eq!(p.names, vec!["Ji Liu 0002", "J. Liu 0002"]);
                assert_eq!(p.orcid.as_deref(), Some("orcid:0000-0002-1825-0097"));
                assert_eq!(p.line, 10);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(works(doc.as_bytes()).len(), 7);
    }

    #[test]
    fn bad_records_are_located_and_parsing_goes_on() {
        let doc = "<?xml version=\"1.0\"?>\n<dblp>\n\
            <article key=\"a/1\"><title>One</title></article>\n\
            <article key=\"a/2\">\n<author>X</author>\n</article>\n\
            <article key=\"a/3\"><title>Three</title><year>19x9</year></article>\n\
            <article key=\"a/4\"><title>Four</titel></article>\n\
            <article key=\"a/5\"><title>Five</title></article>\n\
            </dblp>\n";
        let out = works(doc.as_bytes());
        let shown: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(r) => format!("ok {} {}", r.line, r.work.title),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(shown[0], "ok 3 One");
        assert_eq!(shown[1], "t.xml:4: record a/2 has no title");
        assert_eq!(shown[2], "t.xml:7: record a/3: year \"19x9\" is not a number");
        assert!(shown[3].starts_with("t.xml:8: record a/4: ill-formed XML"), "{shown:?}");
        assert_eq!(shown[4], "ok 9 Five");
        assert_eq!(shown.len(), 5, "{shown:?}");
    }

    #[test]
    fn lines_stay_exact_across_buffer_refills() {
        let mut doc = String::from("<?xml version=\"1.0\"?>\n<dblp>\n");
        let mut expected = Vec::new();
        let mut line = 3;
        for i in 0..6000 {
            expected.push((i, line));
            if i % 7 == 0 {
                // A start tag spanning two lines, and a field spanning three.
                doc.push_str(&format!("<article\n key=\"a/{i}\"><title>T\n{i}\n</title><year>2000</year></article>\n"));
                line += 4;
            } else {
                doc.push_str(&format!("<article key=\"a/{i}\"><title>Title number {i}</title></article>\n"));
                line += 1;
            }
        }
        doc.push_str("</dblp>\n");
        assert!(doc.len() > 3 * 64 * 1024);
        let got: Vec<(usize, u64)> = works(doc.as_bytes())
            .into_iter()
            .map(|r| r.unwrap())
            .map(|r| (r.work.id.0["dblp:a/".len()..].parse().unwrap(), r.line))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn truncated_input_is_an_error() {
        let doc = "<?xml version=\"1.0\"?>\n<dblp>\n<article key=\"a/1\"><title>One</title></article>\n<article key=\"a/2\"><title>Tw";
        let out = works(doc.as_bytes());
        assert!(out[0].is_ok());
        let e = out[1].as_ref().unwrap_err();
        assert!(e.message.contains("truncated"), "{e}");
        assert_eq!(e.line, 4);
        assert_eq!(out.len(), 2);
        let out = works(b"<?xml version=\"1.0\"?>\n<dblp>\n<article key=\"a/1\"><title>One</title></article>\n");
        assert!(out[1].as_ref().unwrap_err().message.contains("inside <dblp>"));
    }

    #[test]
    fn invalid_utf8_and_wrong_roots() {
        let out = works(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dblp><article key=\"k\"><title>\xff</title></article></dblp>");
        assert!(out[0].as_ref().unwrap_err().message.contains("invalid UTF-8"));
        let out = works(b"<feed><entry/></feed>");
        assert!(out[0].as_ref().unwrap_err().message.contains("not DBLP XML"));
        let out = works(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><dblp/>");
        assert!(out[0].as_ref().unwrap_err().message.contains("unsupported XML encoding"));
        assert!(works(b"").first().is_some_and(|r| r.is_err()));
    }

    /// A reader handing out `step` bytes at a time, to split characters across refills.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn decoding_across_refills_and_invalid_bytes_in_attributes() {
        let utf8 =
            "<?xml version=\"1.0\"?>\n<dblp>\n<article key=\"a/1\"><title>Łódź über €</title></article>\n</dblp>\n";
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<dblp>\n<article key=\"a/\xe9\"><title>J\xfcrgen</title></article>\n</dblp>\n";
        for step in [1, 2, 3, 5, 7, 64 * 1024] {
            let got: Vec<_> = parse("t.xml".into(), io::BufReader::new(Trickle(utf8.as_bytes(), step))).collect();
            let r = got[0].as_ref().unwrap();
            assert_eq!((r.work.title.as_str(), r.line), ("Łódź über €", 3), "{step}");
            let got: Vec<_> = parse("t.xml".into(), io::BufReader::new(Trickle(latin1, step))).collect();
            let r = got[0].as_ref().unwrap();
            assert_eq!((r.work.title.as_str(), r.work.ids.dblp.as_deref()), ("Jürgen", Some("a/é")), "{step}");
        }
        let doc = b"<?xml version=\"1.0\"?>\n<dblp>\n<article key=\"a/\xff\"><title>One</title></article>\n\
            <article key=\"a/2\"><title>Two \xe2\x82</title></article>\n<article key=\"a/3\"><title>Three</title></article>\n</dblp>\n";
        let out = works(doc);
        assert_eq!(out.len(), 3, "{out:?}");
        let e = out[0].as_ref().unwrap_err();
        assert!(e.line == 3 && e.message.contains("invalid UTF-8"), "{e}");
        let e = out[1].as_ref().unwrap_err();
        assert!(e.line == 4 && e.message.contains("invalid UTF-8"), "{e}");
        assert_eq!(out[2].as_ref().unwrap().work.title, "Three");
    }
}
