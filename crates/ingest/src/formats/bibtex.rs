//! BibTeX (`.bib`), read entry by entry.
//!
//! - Syntax: `@type{key, field = {..} # "..." # macro, ...}` or with `( )`; nested braces, quoted values,
//!   numbers, `@string` macros (and the predefined month macros `jan`..`dec`), `#` concatenation. `@comment`
//!   and `@preamble` are skipped, as is any text between entries; `%` comment lines between fields are
//!   skipped too. An undefined macro is kept as its name.
//!   Field names are case-insensitive; a repeated field keeps its first value, except `author` and `editor`,
//!   which are joined (DBLP exports repeat `editor`).
//! - Text: TeX is decoded by [`super::tex::decode`] (accents, special letters, case braces removed; math kept
//!   verbatim). The input is UTF-8; an entry that is not valid UTF-8 is read as Latin-1.
//! - Names: split at ` and ` outside braces; every BibTeX form ("First von Last", "von Last, First",
//!   "von Last, Jr, First") is shown as "First von Last, Jr" ("Ludwig van Beethoven"). `and others` marks
//!   the list truncated. Editors stand in for authors when there are none (proceedings).
//! - `crossref`: an entry inherits the fields it lacks (booktitle, year, publisher, series, ...; the parent's
//!   title becomes the booktitle when the parent has none) from the entry it names in the same file. Parents
//!   may come later (as BibTeX requires), so a child waits until its parent is read, or until the end of
//!   the input, when it is given out without inheritance. Only the inheritable fields of parent-like entries
//!   (proceedings, book, collection, ...) are remembered.
//! - Mapping: id `bibtex:<key>`, or `dblp:<key>` with `Identifiers.dblp` when the key is a DBLP key
//!   (`DBLP:conf/icml/X14`, or `conf/icml/X14` as in DBLP's own exports); `pub_type` = entry type;
//!   venue = journal, booktitle, school, institution, series, publisher, howpublished or organization, the
//!   first present; venue kind from the type (an article in `CoRR` or with an arXiv eprint is a preprint);
//!   DOI from `doi` (or a doi.org `url`), arXiv id from `eprint` when `eprinttype`/`archiveprefix` is arXiv
//!   or the journal is CoRR; `url` into urls; `abstract` decoded like the title.
//! - Errors: a syntax error, a missing key or title, or a year without four digits is one error located at
//!   the line where the problem is, and parsing continues with the next entry. An entry that is never closed
//!   is reported at its first line; a line starting with `@type{` inside an entry is taken as the start of the
//!   next entry (so one missing brace costs one entry). Read failures end the stream with an error.

use super::lines::LineReader;
use super::tex;
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use std::collections::{HashMap, VecDeque};
use std::io::BufRead;

/// Whether the head of an input looks like BibTeX: its first `@word{` or `@word(` comes before any other
/// markup, after optional comments (`%` lines) and free text.
pub fn looks_like(head: &str) -> bool {
    for line in head.lines().take(200) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('%') {
            continue;
        }
        if t.starts_with('@') {
            return entry_start(t.as_bytes()).is_some();
        }
        if t.starts_with('{') || t.starts_with('<') || t.starts_with('[') || t.starts_with("TY  -") {
            return false;
        }
    }
    false
}

/// Parses BibTeX, yielding one record or one located error per entry.
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    let mut p = Parser {
        lines: LineReader::new(name.clone(), reader),
        name,
        state: None,
        out: VecDeque::new(),
        macros: HashMap::new(),
        parents: HashMap::new(),
        waiting: HashMap::new(),
        line_buf: Vec::new(),
        ended: false,
    };
    std::iter::from_fn(move || p.next_item())
}

/// If `s` starts with `@ident{` or `@ident(` (spaces allowed), the type and the index after the delimiter.
fn entry_start(s: &[u8]) -> Option<(&[u8], usize)> {
    if s.first() != Some(&b'@') {
        return None;
    }
    let mut i = 1;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    let start = i;
    while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_' || s[i] == b'-') {
        i += 1;
    }
    if i == start || !s[start].is_ascii_alphabetic() {
        return None;
    }
    let ident = &s[start..i];
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    match s.get(i) {
        Some(b'{' | b'(') => Some((ident, i + 1)),
        _ => None,
    }
}

/// An entry being collected across lines.
struct Open {
    line: u64,
    bytes: Vec<u8>,
    /// Brace depth inside the entry (the entry's own `{` counts when it is the delimiter).
    depth: usize,
    paren: bool,
    in_quote: bool,
}

/// A parsed entry, before mapping.
struct Entry {
    line: u64,
    kind: String,
    key: String,
    /// Field name (lower case) → raw value (TeX), with where the value started, in order.
    fields: Vec<(String, String, u64)>,
}

impl Entry {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _, _)| n == name).map(|(_, v, _)| v.as_str())
    }

    fn line_of(&self, name: &str) -> u64 {
        self.fields.iter().find(|(n, _, _)| n == name).map_or(self.line, |f| f.2)
    }
}

const INHERITED: &[&str] = &[
    "booktitle",
    "year",
    "month",
    "publisher",
    "series",
    "address",
    "volume",
    "organization",
    "journal",
    "school",
    "institution",
];

fn is_parent_kind(kind: &str) -> bool {
    matches!(
        kind,
        "proceedings"
            | "book"
            | "collection"
            | "mvbook"
            | "mvproceedings"
            | "mvcollection"
            | "reference"
            | "periodical"
    )
}

struct Parser<R> {
    lines: LineReader<R>,
    name: String,
    state: Option<Open>,
    out: VecDeque<Result<Record, ParseError>>,
    macros: HashMap<String, String>,
    /// Inheritable fields of parent-like entries, by lower-case key.
    parents: HashMap<String, Vec<(String, String, u64)>>,
    /// Entries waiting for their crossref parent, by the parent's lower-case key.
    waiting: HashMap<String, Vec<Entry>>,
    /// The current line, reused.
    line_buf: Vec<u8>,
    ended: bool,
}

impl<R: BufRead> Parser<R> {
    fn next_item(&mut self) -> Option<Result<Record, ParseError>> {
        loop {
            if let Some(item) = self.out.pop_front() {
                return Some(item);
            }
            if self.ended {
                return None;
            }
            let no = match self.lines.next_line() {
                None => {
                    self.finish();
                    continue;
                }
                Some(Err(e)) => {
                    // A read failure: the entry being read is lost with it; nothing after it is trusted.
                    self.state = None;
                    self.out.push_back(Err(e));
                    self.finish();
                    continue;
                }
                Some(Ok((no, line))) => {
                    self.line_buf.clear();
                    self.line_buf.extend_from_slice(line);
                    no
                }
            };
            let line = std::mem::take(&mut self.line_buf);
            self.feed_line(no, &line);
            self.line_buf = line;
        }
    }

    /// End of input: an open entry is unterminated; waiting children are given out without inheritance.
    fn finish(&mut self) {
        self.ended = true;
        if let Some(open) = self.state.take() {
            self.out.push_back(Err(ParseError::new(
                &self.name,
                open.line,
                "entry is not closed before the end of the input (missing '}' or truncated file?)",
            )));
        }
        let mut rest: Vec<Entry> = self.waiting.drain().flat_map(|(_, v)| v).collect();
        rest.sort_by_key(|e| e.line);
        for e in rest {
            let r = self.build(e);
            self.out.push_back(r);
        }
    }

    fn feed_line(&mut self, no: u64, line: &[u8]) {
        let mut i = 0;
        if self.state.is_some() {
            let t = line.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(line.len());
            if entry_start(&line[t..]).is_some() {
                let open = self.state.take().unwrap_or_else(|| unreachable!());
                self.out.push_back(Err(ParseError::new(
                    &self.name,
                    open.line,
                    format!("entry is not closed before the next entry at line {no} (missing '}}'?)"),
                )));
            }
        }
        while i <= line.len() {
            match self.state.as_mut() {
                None => {
                    let Some(at) = line[i..].iter().position(|&b| b == b'@') else { return };
                    let at = i + at;
                    match entry_start(&line[at..]) {
                        Some((_, after)) => {
                            let paren = line[at + after - 1] == b'(';
                            self.state = Some(Open {
                                line: no,
                                bytes: line[at..at + after].to_vec(),
                                depth: usize::from(!paren),
                                paren,
                                in_quote: false,
                            });
                            i = at + after;
                        }
                        None => i = at + 1,
                    }
                }
                Some(open) => {
                    let base = usize::from(!open.paren);
                    let mut closed_at = None;
                    for (k, &b) in line.iter().enumerate().skip(i) {
                        match b {
                            b'{' => open.depth += 1,
                            b'}' => {
                                if open.depth == 0 {
                                    // A stray '}' in a parenthesised entry: ignored here, reported by the parser.
                                    continue;
                                }
                                open.depth -= 1;
                                if !open.paren && open.depth == 0 {
                                    closed_at = Some(k);
                                    break;
                                }
                            }
                            b'"' if open.depth == base => open.in_quote = !open.in_quote,
                            b')' if open.paren && open.depth == 0 && !open.in_quote => {
                                closed_at = Some(k);
                                break;
                            }
                            _ => {}
                        }
                    }
                    match closed_at {
                        Some(k) => {
                            open.bytes.extend_from_slice(&line[i..=k]);
                            let open = self.state.take().unwrap_or_else(|| unreachable!());
                            self.entry_done(open);
                            i = k + 1;
                        }
                        None => {
                            open.bytes.extend_from_slice(&line[i..]);
                            open.bytes.push(b'\n');
                            return;
                        }
                    }
                }
            }
        }
    }

    fn entry_done(&mut self, open: Open) {
        let text = match String::from_utf8(open.bytes) {
            Ok(s) => s,
            Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
        };
        let parsed = EntryParser { s: text.as_bytes(), text: &text, pos: 0, line0: open.line }.entry(&self.macros);
        let entry = match parsed {
            Ok(Parsed::Skip) => return,
            Ok(Parsed::Macro(name, value)) => {
                self.macros.insert(name, value);
                return;
            }
            Ok(Parsed::Entry(e)) => e,
            Err((line, msg)) => {
                self.out.push_back(Err(ParseError::new(&self.name, line, msg)));
                return;
            }
        };
        let key_lc = entry.key.to_lowercase();
        if is_parent_kind(&entry.kind) {
            let mut inherit: Vec<(String, String, u64)> =
                entry.fields.iter().filter(|(n, _, _)| INHERITED.contains(&n.as_str())).cloned().collect();
            if entry.get("booktitle").is_none() {
                if let Some((_, t, l)) = entry.fields.iter().find(|(n, _, _)| n == "title") {
                    inherit.push(("booktitle".into(), t.clone(), *l));
                }
            }
            self.parents.insert(key_lc.clone(), inherit);
        }
        let children = self.waiting.remove(&key_lc);
        match entry.get("crossref").map(str::to_lowercase) {
            Some(parent) if parent != key_lc && !self.parents.contains_key(&parent) => {
                self.waiting.entry(parent).or_default().push(entry);
            }
            Some(parent) => {
                let mut entry = entry;
                if let Some(fields) = self.parents.get(&parent) {
                    inherit(&mut entry, fields);
                }
                let r = self.build(entry);
                self.out.push_back(r);
            }
            None => {
                let r = self.build(entry);
                self.out.push_back(r);
            }
        }
        if let Some(children) = children {
            let fields = self.parents.get(&key_lc).cloned().unwrap_or_default();
            for mut child in children {
                inherit(&mut child, &fields);
                let r = self.build(child);
                self.out.push_back(r);
            }
        }
    }

    fn build(&self, e: Entry) -> Result<Record, ParseError> {
        build_work(e).map_err(|(line, msg)| ParseError::new(&self.name, line, msg))
    }
}

fn inherit(child: &mut Entry, fields: &[(String, String, u64)]) {
    for (n, v, l) in fields {
        if child.get(n).is_none() {
            child.fields.push((n.clone(), v.clone(), *l));
        }
    }
}

enum Parsed {
    Skip,
    Macro(String, String),
    Entry(Entry),
}

type Located = (u64, String);

struct EntryParser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    line0: u64,
}

fn month_macro(name: &str) -> Option<&'static str> {
    Some(match name {
        "jan" => "January",
        "feb" => "February",
        "mar" => "March",
        "apr" => "April",
        "may" => "May",
        "jun" => "June",
        "jul" => "July",
        "aug" => "August",
        "sep" => "September",
        "oct" => "October",
        "nov" => "November",
        "dec" => "December",
        _ => return None,
    })
}

impl EntryParser<'_> {
    fn line_at(&self, pos: usize) -> u64 {
        self.line0 + self.s[..pos.min(self.s.len())].iter().filter(|&&b| b == b'\n').count() as u64
    }

    fn fail<T>(&self, msg: impl Into<String>) -> Result<T, Located> {
        Err((self.line_at(self.pos), msg.into()))
    }

    /// Skips whitespace, and `%` comments (to the end of the line) between fields as biber allows.
    fn ws(&mut self) {
        while self.pos < self.s.len() {
            match self.s[self.pos] {
                b if b.is_ascii_whitespace() => self.pos += 1,
                b'%' => {
                    while self.pos < self.s.len() && self.s[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn ident(&mut self) -> &str {
        let start = self.pos;
        while self.pos < self.s.len() {
            let b = self.s[self.pos];
            if b.is_ascii_whitespace() || matches!(b, b'=' | b',' | b'#' | b'{' | b'}' | b'(' | b')' | b'"') {
                break;
            }
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    fn entry(mut self, macros: &HashMap<String, String>) -> Result<Parsed, Located> {
        let Some((kind, after)) = entry_start(self.s) else { return self.fail("not an entry") };
        let kind = String::from_utf8_lossy(kind).to_ascii_lowercase();
        let paren = self.s[after - 1] == b'(';
        let close = if paren { b')' } else { b'}' };
        self.pos = after;
        match kind.as_str() {
            "comment" | "preamble" => return Ok(Parsed::Skip),
            "string" => {
                self.ws();
                let name = self.ident().to_ascii_lowercase();
                if name.is_empty() {
                    return self.fail("@string without a name");
                }
                self.ws();
                if self.peek() != Some(b'=') {
                    return self.fail(format!("expected '=' after @string name {name:?}"));
                }
                self.pos += 1;
                let value = self.value(macros, close)?;
                return Ok(Parsed::Macro(name, value));
            }
            _ => {}
        }
        let line = self.line0;
        self.ws();
        let key_start = self.pos;
        while self.pos < self.s.len() && !matches!(self.s[self.pos], b',' | b'}' | b')') {
            if self.s[self.pos].is_ascii_whitespace() {
                break;
            }
            self.pos += 1;
        }
        let key = self.text[key_start..self.pos].to_string();
        self.ws();
        if key.is_empty() || key.contains('=') {
            return Err((line, format!("@{kind} entry without a citation key")));
        }
        let mut fields: Vec<(String, String, u64)> = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                Some(b) if b == close => break,
                Some(b',') => self.pos += 1,
                None => return self.fail(format!("entry {key} is not closed")),
                Some(_) => return self.fail(format!("entry {key}: expected ',' or the end of the entry")),
            }
            self.ws();
            if self.peek() == Some(close) {
                break;
            }
            let field_line = self.line_at(self.pos);
            let name = self.ident().to_ascii_lowercase();
            if name.is_empty() {
                return self.fail(format!("entry {key}: expected a field name"));
            }
            self.ws();
            if self.peek() != Some(b'=') {
                return self.fail(format!("entry {key}: expected '=' after field name {name:?}"));
            }
            self.pos += 1;
            let value = self.value(macros, close)?;
            match fields.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, v, _)) if name == "author" || name == "editor" => {
                    if v.trim().is_empty() {
                        *v = value;
                    } else if !value.trim().is_empty() {
                        v.push_str(" and ");
                        v.push_str(&value);
                    }
                }
                Some(_) => {}
                None => fields.push((name, value, field_line)),
            }
        }
        Ok(Parsed::Entry(Entry { line, kind, key, fields }))
    }

    /// A value: parts joined by `#`.
    fn value(&mut self, macros: &HashMap<String, String>, close: u8) -> Result<String, Located> {
        let mut out = String::new();
        loop {
            self.ws();
            match self.peek() {
                Some(b'{') => {
                    let start = self.pos + 1;
                    let mut depth = 0usize;
                    while self.pos < self.s.len() {
                        match self.s[self.pos] {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        self.pos += 1;
                    }
                    if self.pos >= self.s.len() {
                        return Err((self.line_at(start), "unbalanced braces in a value".into()));
                    }
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                }
                Some(b'"') => {
                    let start = self.pos + 1;
                    self.pos += 1;
                    let mut depth = 0usize;
                    while self.pos < self.s.len() {
                        match self.s[self.pos] {
                            b'{' => depth += 1,
                            b'}' => depth = depth.saturating_sub(1),
                            b'"' if depth == 0 => break,
                            _ => {}
                        }
                        self.pos += 1;
                    }
                    if self.pos >= self.s.len() {
                        return Err((self.line_at(start), "unterminated quoted value".into()));
                    }
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                }
                Some(b) if b.is_ascii_digit() => {
                    let start = self.pos;
                    while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
                Some(b) if b != close && !matches!(b, b',' | b'#' | b'=') => {
                    let name = self.ident().to_ascii_lowercase();
                    if name.is_empty() {
                        return self.fail("expected a value");
                    }
                    match macros.get(&name).map(String::as_str).or_else(|| month_macro(&name)) {
                        Some(v) => out.push_str(v),
                        None => out.push_str(&name),
                    }
                }
                _ => return self.fail("expected a value"),
            }
            self.ws();
            if self.peek() == Some(b'#') {
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }
}

/// Splits at `sep` (a byte) outside braces.
fn split_top(s: &str, sep: u8) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ if b == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Splits a name list at ` and ` (any case, any whitespace) outside braces.
pub fn split_names(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            c if depth == 0
                && c.is_ascii_whitespace()
                && i + 4 < b.len()
                && b[i + 1..i + 4].eq_ignore_ascii_case(b"and")
                && b[i + 4].is_ascii_whitespace() =>
            {
                out.push(&s[start..i]);
                start = i + 4;
                i += 4;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&s[start..]);
    out.into_iter().map(str::trim).filter(|n| !n.is_empty()).collect()
}

/// Words of a name part, split at whitespace (and `~`) outside braces.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    for (i, c) in s.char_indices() {
        let space = depth == 0 && (c.is_whitespace() || c == '~');
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if space {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

/// Whether a word starts in lower case, by BibTeX's rule: the first letter outside braces decides; a brace
/// group starting with a command (`{\'e}`, `{\o}`) counts by its letter; other brace groups are caseless.
fn is_lower(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            if chars.get(i + 1) == Some(&'\\') {
                // A special character: the first letter after the command name decides.
                let mut j = i + 2;
                let cmd_start = j;
                while j < chars.len() && chars[j].is_ascii_alphabetic() {
                    j += 1;
                }
                let cmd: String = chars[cmd_start..j].iter().collect();
                if j > cmd_start && !matches!(cmd.as_str(), "c" | "v" | "u" | "H" | "k" | "r" | "d" | "b" | "t") {
                    return chars[cmd_start].is_lowercase();
                }
                if j == cmd_start {
                    j += 1;
                }
                return chars[j..].iter().find(|c| c.is_alphabetic()).is_some_and(|c| c.is_lowercase());
            }
            let mut depth = 0;
            while i < chars.len() {
                match chars[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        } else if c.is_alphabetic() {
            return c.is_lowercase();
        }
        i += 1;
    }
    false
}

/// Turns one BibTeX name (any of the three forms) into "First von Last, Jr", TeX decoded.
pub fn display_name(raw: &str) -> String {
    let parts: Vec<&str> = split_top(raw, b',').into_iter().map(str::trim).collect();
    let (first, von, last, jr): (Vec<&str>, Vec<&str>, Vec<&str>, &str) = match parts.as_slice() {
        [whole] => {
            let w = words(whole);
            if w.len() <= 1 {
                (Vec::new(), Vec::new(), w, "")
            } else {
                // von: from the first to the last lower-case word, the last word excluded.
                let body = &w[..w.len() - 1];
                match body.iter().position(|x| is_lower(x)) {
                    Some(a) => {
                        let b = body.iter().rposition(|x| is_lower(x)).unwrap_or(a);
                        (w[..a].to_vec(), w[a..=b].to_vec(), w[b + 1..].to_vec(), "")
                    }
                    None => (w[..w.len() - 1].to_vec(), Vec::new(), w[w.len() - 1..].to_vec(), ""),
                }
            }
        }
        [vl, rest @ ..] => {
            let w = words(vl);
            let (jr, first) = match rest {
                [f] => ("", *f),
                [j, f, ..] => (*j, *f),
                [] => ("", ""),
            };
            let split =
                if w.len() > 1 { w[..w.len() - 1].iter().rposition(|x| is_lower(x)).map_or(0, |b| b + 1) } else { 0 };
            (words(first), w[..split].to_vec(), w[split..].to_vec(), jr)
        }
        [] => (Vec::new(), Vec::new(), Vec::new(), ""),
    };
    let mut s = String::new();
    for w in first.iter().chain(von.iter()).chain(last.iter()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    if !jr.is_empty() {
        s.push_str(", ");
        s.push_str(jr);
    }
    tex::decode(&s)
}

/// Whether a citation key is a DBLP key; returns the DBLP key.
fn dblp_key(key: &str) -> Option<&str> {
    if let Some(k) = key.strip_prefix("DBLP:").or_else(|| key.strip_prefix("dblp:")) {
        return (!k.is_empty()).then_some(k);
    }
    let mut parts = key.split('/');
    let top = parts.next()?;
    let known = matches!(
        top,
        "conf" | "journals" | "books" | "series" | "reference" | "phd" | "ms" | "tr" | "www" | "homepages" | "persons"
    );
    let rest: Vec<&str> = parts.collect();
    (known && rest.len() >= 2 && rest.iter().all(|p| !p.is_empty()) && !key.contains(char::is_whitespace))
        .then_some(key)
}

fn venue_kind(kind: &str, journal: Option<&str>, arxiv: bool) -> VenueKind {
    match kind {
        "article" if arxiv || journal.is_some_and(|j| j.eq_ignore_ascii_case("corr")) => VenueKind::Preprint,
        "article" | "periodical" => VenueKind::Journal,
        "inproceedings" | "conference" | "proceedings" | "mvproceedings" => VenueKind::Conference,
        "book" | "inbook" | "incollection" | "booklet" | "collection" | "mvbook" | "mvcollection" | "reference" => {
            VenueKind::Book
        }
        "phdthesis" | "mastersthesis" | "thesis" => VenueKind::Thesis,
        "unpublished" | "misc" | "online" | "preprint" if arxiv => VenueKind::Preprint,
        "preprint" => VenueKind::Preprint,
        _ => VenueKind::Other,
    }
}

fn build_work(e: Entry) -> Result<Record, Located> {
    let key = e.key.clone();
    let title = match e.get("title").map(tex::decode) {
        Some(t) if !t.is_empty() => t,
        _ => return Err((e.line, format!("entry {key} has no title"))),
    };
    let year = match e.get("year") {
        None => None,
        Some(y) => {
            let digits: Vec<usize> = y.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
            let four = digits.windows(4).find(|w| w[3] == w[0] + 3).map(|w| &y[w[0]..w[0] + 4]);
            match four.and_then(|s| s.parse::<i32>().ok()) {
                Some(n) => Some(n),
                None if y.trim().is_empty() => None,
                None => return Err((e.line_of("year"), format!("entry {key}: year {:?} is not a year", y.trim()))),
            }
        }
    };
    let names = |field: &str| -> (Vec<String>, bool) {
        let mut out = Vec::new();
        let mut truncated = false;
        for n in split_names(e.get(field).unwrap_or("")) {
            if n.eq_ignore_ascii_case("others") {
                truncated = true;
            } else {
                let d = display_name(n);
                if !d.is_empty() {
                    out.push(d);
                }
            }
        }
        (out, truncated)
    };
    let (mut people, mut truncated) = names("author");
    if people.is_empty() {
        (people, truncated) = names("editor");
    }
    let authors = people
        .into_iter()
        .enumerate()
        .map(|(i, name)| Authorship::at(u32::try_from(i + 1).unwrap_or(u32::MAX), name))
        .collect();
    let field = |n: &str| e.get(n).map(tex::decode).filter(|v| !v.is_empty());
    let journal = field("journal");
    let venue = journal
        .clone()
        .or_else(|| field("booktitle"))
        .or_else(|| field("school"))
        .or_else(|| field("institution"))
        .or_else(|| field("series"))
        .or_else(|| field("publisher"))
        .or_else(|| field("howpublished"))
        .or_else(|| field("organization"));
    let eprint_kind = e.get("eprinttype").or_else(|| e.get("archiveprefix")).map(str::to_ascii_lowercase);
    let arxiv = e.get("eprint").and_then(|v| Identifiers::clean_arxiv(&tex::squash(v))).filter(|_| {
        eprint_kind.as_deref() == Some("arxiv") || journal.as_deref().is_some_and(|j| j.eq_ignore_ascii_case("corr"))
    });
    let mut urls: Vec<String> = Vec::new();
    let mut doi = e.get("doi").and_then(|d| Identifiers::clean_doi(&tex::squash(d).replace("\\_", "_")));
    if let Some(u) = e.get("url") {
        for u in u.split_whitespace() {
            let u = u.replace("\\_", "_").replace("\\%", "%").replace("\\&", "&");
            if doi.is_none() && (u.contains("doi.org/10.") || u.contains("doi.acm.org/10.")) {
                doi = Identifiers::clean_doi(&u);
                continue;
            }
            urls.push(u);
        }
    }
    let (id, dblp) = match dblp_key(&key) {
        Some(k) => (format!("dblp:{k}"), Some(k.to_string())),
        None => (format!("bibtex:{key}"), None),
    };
    let work = Work {
        id: WorkId(id),
        title,
        abstract_text: field("abstract"),
        year,
        venue,
        venue_kind: venue_kind(&e.kind, journal.as_deref(), arxiv.is_some()),
        pub_type: Some(e.kind.clone()),
        authors,
        authors_truncated: truncated,
        ids: Identifiers { doi, arxiv, dblp, openalex: None, urls },
        references: Vec::new(),
        provenance: vec![Provenance { source: "bibtex".into(), record_id: key, ingested_at: 0, file: None }],
    };
    Ok(Record { work, line: e.line })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Vec<Result<Record, ParseError>> {
        parse("t.bib".into(), s.as_bytes()).collect()
    }

    #[test]
    fn name_forms() {
        assert_eq!(display_name("Ludwig van Beethoven"), "Ludwig van Beethoven");
        assert_eq!(display_name("van Beethoven, Ludwig"), "Ludwig van Beethoven");
        assert_eq!(display_name("Beethoven, Ludwig van"), "Ludwig van Beethoven");
        assert_eq!(display_name("van der Berg, Jr., Jan"), "Jan van der Berg, Jr.");
        assert_eq!(display_name("Ford, Jr, Henry"), "Henry Ford, Jr");
        assert_eq!(display_name("Ji Liu 0002"), "Ji Liu 0002");
        assert_eq!(display_name(r"Christopher R{\'e}"), "Christopher Ré");
        assert_eq!(display_name(r"R{\'e}, Christopher"), "Christopher Ré");
        assert_eq!(display_name(r"{\'E}mile Zola"), "Émile Zola");
        assert_eq!(display_name(r"Jean de la Fontaine"), "Jean de la Fontaine");
        assert_eq!(display_name("{Barnes and Noble, Inc.}"), "Barnes and Noble, Inc.");
        assert_eq!(display_name(r"S{\o}ren Kierkegaard"), "Søren Kierkegaard");
        assert_eq!(display_name("Plato"), "Plato");
    }

    #[test]
    fn names_split_only_at_top_level_and() {
        assert_eq!(split_names("A and B AND C\nand {D and E}"), vec!["A", "B", "C", "{D and E}"]);
        assert_eq!(split_names("Alexandra Andersen"), vec!["Alexandra Andersen"]);
    }

    #[test]
    fn values_macros_concatenation_and_crossref() {
        let input = r#"% a comment
@string{ jmlr = "Journal of Machine Learning Research" }
@preamble{ "\newcommand{\noop}[1]{}" }
@comment{ anything @article{ here } }

@inproceedings{DBLP:conf/icml/LiuWRBS14,
  author    = {Ji Liu 0002 and Stephen J. Wright and Christopher R{\'{e}} and others},
  title     = {An Asynchronous Parallel {Stochastic} Coordinate Descent Algorithm for $\ell_1$},
  crossref  = {DBLP:conf/icml/2014},
  doi = "10.5555/X" # "Y",
  month = jun,
}
@article(key2,
  author = "van Beethoven, Ludwig",
  title = "{Sonata} " # jmlr,
  journal = jmlr,
  year = 1802
)
@proceedings{DBLP:conf/icml/2014,
  editor = {Eric P. Xing},
  editor = {Tony Jebara},
  title = {Proceedings of ICML 2014},
  booktitle = {ICML},
  publisher = {JMLR.org},
  year = {2014}
}
"#;
        let out = run(input);
        assert_eq!(out.len(), 3, "{out:?}");
        let rec = |id: &str| out.iter().flatten().find(|r| r.work.id.0 == id).unwrap().clone();
        let b = rec("bibtex:key2");
        assert_eq!(b.line, 13);
        assert_eq!(b.work.authors, vec![Authorship::at(1, "Ludwig van Beethoven")]);
        assert_eq!(b.work.title, "Sonata Journal of Machine Learning Research");
        assert_eq!(b.work.venue.as_deref(), Some("Journal of Machine Learning Research"));
        assert_eq!(b.work.year, Some(1802));
        assert_eq!(b.work.venue_kind, VenueKind::Journal);
        let a = rec("dblp:conf/icml/LiuWRBS14");
        assert_eq!(a.line, 6);
        assert_eq!(a.work.ids.dblp.as_deref(), Some("conf/icml/LiuWRBS14"));
        assert_eq!(a.work.title, r"An Asynchronous Parallel Stochastic Coordinate Descent Algorithm for $\ell_1$");
        let names: Vec<&str> = a.work.authors.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["Ji Liu 0002", "Stephen J. Wright", "Christopher Ré"]);
        assert!(a.work.authors_truncated);
        assert_eq!(a.work.venue.as_deref(), Some("ICML"), "inherited from the crossref");
        assert_eq!(a.work.year, Some(2014));
        assert_eq!(a.work.ids.doi.as_deref(), Some("10.5555/xy"));
        assert_eq!(a.work.venue_kind, VenueKind::Conference);
        assert_eq!(a.work.pub_type.as_deref(), Some("inproceedings"));
        let p = rec("dblp:conf/icml/2014");
        let names: Vec<&str> = p.work.authors.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["Eric P. Xing", "Tony Jebara"]);
    }

    #[test]
    fn errors_are_located_and_parsing_resumes() {
        let input = "@article{a, title = {One}, year = 2001}\n\
                     @article{b,\n  title = {Two},\n  year  {2002}\n}\n\
                     @article{c,\n  author = {X},\n}\n\
                     @article{d, title = {Four},\n  year = {soon}}\n\
                     @article{e, title = {Unclosed {brace}\n\
                     @article{f, title = {Six}}\n\
                     @misc{, title = {no key}}\n\
                     @article{g, title = {Seven}";
        let shown: Vec<String> = run(input)
            .iter()
            .map(|r| match r {
                Ok(r) => format!("ok {} {}", r.line, r.work.title),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                "ok 1 One",
                "t.bib:4: entry b: expected '=' after field name \"year\"",
                "t.bib:6: entry c has no title",
                "t.bib:10: entry d: year \"soon\" is not a year",
                "t.bib:11: entry is not closed before the next entry at line 12 (missing '}'?)",
                "ok 12 Six",
                "t.bib:13: @misc entry without a citation key",
                "t.bib:14: entry is not closed before the end of the input (missing '}' or truncated file?)",
            ]
        );
    }

    #[test]
    fn corr_export_is_a_preprint_with_its_arxiv_id() {
        let input = r"@article{DBLP:journals/corr/abs-1810-04805,
  author    = {Jacob Devlin and Ming{-}Wei Chang and Kenton Lee and Kristina Toutanova},
  title     = {{BERT:} Pre-training of Deep Bidirectional Transformers for Language Understanding},
  journal   = {CoRR},
  volume    = {abs/1810.04805},
  year      = {2018},
  url       = {http://arxiv.org/abs/1810.04805},
  eprinttype = {arXiv},
  eprint    = {1810.04805v1},
  abstract  = {We introduce {BERT} with $O(n^2)$ attention.}
}";
        let r = run(input).remove(0).unwrap().work;
        assert_eq!(r.id.0, "dblp:journals/corr/abs-1810-04805");
        assert_eq!(r.title, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding");
        assert_eq!(r.authors[1].name, "Ming-Wei Chang");
        assert_eq!(r.venue_kind, VenueKind::Preprint);
        assert_eq!(r.ids.arxiv.as_deref(), Some("1810.04805"));
        assert_eq!(r.ids.urls, ["http://arxiv.org/abs/1810.04805"]);
        assert_eq!(r.abstract_text.as_deref(), Some("We introduce BERT with $O(n^2)$ attention."));
    }

    #[test]
    fn percent_comments_between_fields() {
        let out = run("@book{k,\n  % title = {Old},\n  title = {New}, % the new one\n  year = 2001\n}\n");
        assert_eq!(out[0].as_ref().unwrap().work.title, "New");
    }

    #[test]
    fn detection() {
        assert!(looks_like("% comment\n\n@inproceedings{conf/x/Y,\n"));
        assert!(looks_like("@Article (k,\n"));
        assert!(looks_like("Some preamble text\n@book{k,"));
        assert!(!looks_like("{\"id\": 1}"));
        assert!(!looks_like("user@example.org wrote"));
    }
}
