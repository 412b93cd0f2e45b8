//! RIS (`TY  - JOUR` ... `ER  - `), read record by record; also the Web of Science "field tagged" export
//! (`FN Clarivate Analytics Web of Science`, `PT J` ... `ER`), which has the same shape with `XX value` lines.
//!
//! - Lines: `XX  - value` (two letters/digits, spaces, hyphen); a line that is not a tag line continues the
//!   previous tag's value (joined with a space, or a line break in abstracts). Text outside `TY`..`ER`
//!   (export headers, `1.` counters) and unknown tags are ignored; a BOM and leading blank lines are fine.
//!   The input is UTF-8; a line that is not valid UTF-8 is read as Latin-1.
//! - Mapping: authors from `AU`/`A1` in order (`A2`, the secondary authors, i.e. editors, only when there
//!   are none); names written "Last, First" or "Last, First, Suffix" are shown as "First Last, Suffix";
//!   title `TI`/`T1` (`CT`, the short title `ST`, or `BT` for whole books, when missing); abstract `AB`/`N2`; year: the first four
//!   digits of `PY`/`Y1` (`DA` when missing); venue `T2`/`JF`/`JO`/`BT`/`J2`/`JA` (the first present); DOI
//!   from `DO` (or a doi.org `UR`); `UR` (split at `;` and spaces) into urls; `pub_type` = `TY` as written;
//!   venue kind from `TY` (JOUR → journal, CONF/CPAPER → conference, BOOK/CHAP → book, THES → thesis,
//!   UNPB → preprint, ELEC and others → other; unknown words such as "Journal Article" are guessed).
//!   Id `ris:<ID>`, else `ris:<AN>`, else `ris:<DOI>`, else `ris:<16 hex digits>` hashing (FNV-1a) the
//!   lower-cased title and year. Web of Science: `AF` (full names) before `AU`, `SO` venue, `DI` DOI, `UT`
//!   id, `DT` the type.
//! - Errors: a record without a title, a `TY` before the previous record's `ER`, and a record still open at
//!   the end of the input (a truncated file) are errors located at the record's `TY` line; read failures end
//!   the stream with an error.

use super::lines::LineReader;
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use std::collections::VecDeque;
use std::io::BufRead;

/// Whether the head of an input looks like RIS (a `TY  - ` line among the first lines, after a BOM, blank
/// lines or export headers) or a Web of Science tagged export (`FN ` then `VR `/`PT ` lines).
pub fn looks_like(head: &str) -> bool {
    let mut lines = head.lines().map(|l| l.trim_start_matches('\u{feff}')).filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else { return false };
    if first.starts_with("FN ") {
        return lines.take(3).any(|l| l.starts_with("VR ") || l.starts_with("PT "));
    }
    std::iter::once(first).chain(lines).take(30).any(|l| tag_line(l, false).is_some_and(|(t, _)| t == "TY"))
}

/// Splits `XX  - value` (RIS) or `XX value` (WoS) into tag and value.
fn tag_line(line: &str, wos: bool) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_uppercase() || !(b[1].is_ascii_uppercase() || b[1].is_ascii_digit()) {
        return None;
    }
    let tag = &line[..2];
    let rest = &line[2..];
    if wos {
        return match rest.as_bytes().first() {
            None => Some((tag, "")),
            Some(b' ') => Some((tag, rest[1..].trim())),
            _ => None,
        };
    }
    // One or two spaces, a hyphen, then the value (after one optional space).
    let spaces = rest.bytes().take_while(|&c| c == b' ').count();
    if !(1..=2).contains(&spaces) || rest.as_bytes().get(spaces) != Some(&b'-') {
        return None;
    }
    let value = &rest[spaces + 1..];
    if !value.is_empty() && !value.starts_with(' ') {
        return None;
    }
    Some((tag, value.trim()))
}

/// Parses RIS (or a Web of Science tagged export), one record or one located error per record.
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    let mut p = Parser {
        lines: LineReader::new(name.clone(), reader),
        name,
        wos: None,
        rec: None,
        out: VecDeque::new(),
        ended: false,
    };
    std::iter::from_fn(move || p.next_item())
}

struct Rec {
    line: u64,
    /// (tag, value) in order.
    fields: Vec<(String, String)>,
}

impl Rec {
    fn first(&self, tags: &[&str]) -> Option<&str> {
        tags.iter().find_map(|t| self.fields.iter().find(|(k, v)| k == t && !v.is_empty()).map(|(_, v)| v.as_str()))
    }

    fn all<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields.iter().filter(move |(k, v)| k == tag && !v.is_empty()).map(|(_, v)| v.as_str())
    }
}

struct Parser<R> {
    lines: LineReader<R>,
    name: String,
    /// Web of Science dialect; decided by the first non-blank line.
    wos: Option<bool>,
    rec: Option<Rec>,
    out: VecDeque<Result<Record, ParseError>>,
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
            match self.lines.next_line() {
                None => {
                    self.ended = true;
                    if let Some(rec) = self.rec.take() {
                        self.out.push_back(Err(ParseError::new(
                            &self.name,
                            rec.line,
                            "record is not closed with ER before the end of the input (truncated file?)",
                        )));
                    }
                }
                Some(Err(e)) => {
                    self.ended = true;
                    self.rec = None;
                    self.out.push_back(Err(e));
                }
                Some(Ok((no, bytes))) => {
                    let line = match std::str::from_utf8(bytes) {
                        Ok(s) => s.to_string(),
                        Err(_) => bytes.iter().map(|&b| b as char).collect(),
                    };
                    self.feed(no, line.trim_start_matches('\u{feff}').trim_end());
                }
            }
        }
    }

    fn feed(&mut self, no: u64, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        let wos = *self.wos.get_or_insert_with(|| line.starts_with("FN "));
        let start_tag = if wos { "PT" } else { "TY" };
        match tag_line(line, wos) {
            Some((tag, value)) if tag == start_tag => {
                if let Some(open) = self.rec.take() {
                    self.out.push_back(Err(ParseError::new(
                        &self.name,
                        open.line,
                        format!("record is not closed with ER before the next record at line {no}"),
                    )));
                }
                self.rec = Some(Rec { line: no, fields: vec![(tag.to_string(), value.to_string())] });
            }
            Some(("ER", _)) => {
                if let Some(rec) = self.rec.take() {
                    let line = rec.line;
                    self.out.push_back(build(rec, wos).map_err(|msg| ParseError::new(&self.name, line, msg)));
                }
            }
            Some((tag, value)) => {
                if let Some(rec) = self.rec.as_mut() {
                    rec.fields.push((tag.to_string(), value.to_string()));
                }
            }
            None => {
                // A continuation of the previous value (WoS indents them by three spaces).
                let Some(last) = self.rec.as_mut().and_then(|r| r.fields.last_mut()) else { return };
                let more = line.trim();
                if wos && matches!(last.0.as_str(), "AU" | "AF" | "ED" | "CR" | "DE") {
                    // Lists in WoS exports: one item per line, the tag written once.
                    let item = (last.0.clone(), more.to_string());
                    self.rec.as_mut().into_iter().for_each(|r| r.fields.push(item.clone()));
                    return;
                }
                let sep = if matches!(last.0.as_str(), "AB" | "N2") { '\n' } else { ' ' };
                if !last.1.is_empty() {
                    last.1.push(sep);
                }
                last.1.push_str(more);
            }
        }
    }
}

/// "Last, First" or "Last, First, Suffix" to "First Last, Suffix"; other forms as written.
fn display_name(raw: &str) -> String {
    let parts: Vec<&str> = raw.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [last, first] if !first.is_empty() && !last.is_empty() => format!("{first} {last}"),
        [last, first, suffix] if !first.is_empty() && !last.is_empty() => {
            if suffix.is_empty() {
                format!("{first} {last}")
            } else {
                format!("{first} {last}, {suffix}")
            }
        }
        _ => raw.trim().trim_end_matches(',').trim().to_string(),
    }
}

fn venue_kind(ty: &str) -> VenueKind {
    match ty.trim().to_ascii_uppercase().as_str() {
        "JOUR" | "JFULL" | "EJOUR" | "INPR" | "J" => VenueKind::Journal,
        "CONF" | "CPAPER" | "C" => VenueKind::Conference,
        "BOOK" | "EBOOK" | "EDBOOK" | "CHAP" | "ECHAP" | "B" | "S" => VenueKind::Book,
        "THES" => VenueKind::Thesis,
        "UNPB" => VenueKind::Preprint,
        "ELEC" | "GEN" | "RPRT" | "MGZN" | "NEWS" | "PAT" | "P" | "DATA" | "COMP" | "WEB" | "BLOG" | "SER" => {
            VenueKind::Other
        }
        _ => VenueKind::from_record_type(ty),
    }
}

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn build(rec: Rec, wos: bool) -> Result<Record, String> {
    let line = rec.line;
    let ty = rec.fields.first().map(|f| f.1.clone()).unwrap_or_default();
    let title_tags: &[&str] = if wos { &["TI"] } else { &["TI", "T1", "CT", "ST"] };
    let mut title = rec.first(title_tags).map(str::to_string);
    let is_book = matches!(ty.to_ascii_uppercase().as_str(), "BOOK" | "EBOOK" | "EDBOOK");
    if title.is_none() && is_book {
        title = rec.first(&["BT"]).map(str::to_string);
    }
    let Some(title) = title.map(|t| arrow_normalize::collapse_whitespace(&t)) else {
        let what = rec.first(&["ID", "AN", "UT", "DO", "DI"]).map(|i| format!("record {i}")).unwrap_or("record".into());
        return Err(format!("{what} has no title (TI or T1)"));
    };
    let author_tags: &[&str] = if wos { &["AF", "AU"] } else { &["AU", "A1"] };
    let mut names: Vec<String> = Vec::new();
    if wos {
        // AF (full names) and AU (short names) list the same people: take one of them.
        if let Some(tag) = author_tags.iter().find(|t| rec.all(t).next().is_some()) {
            names = rec.all(tag).map(display_name).collect();
        }
    } else {
        for (k, v) in &rec.fields {
            if author_tags.contains(&k.as_str()) && !v.is_empty() {
                names.push(display_name(v));
            }
        }
        if names.is_empty() {
            names = rec.all("A2").map(display_name).collect();
        }
    }
    let authors = names
        .into_iter()
        .filter(|n| !n.is_empty())
        .enumerate()
        .map(|(i, n)| Authorship::at(u32::try_from(i + 1).unwrap_or(u32::MAX), n))
        .collect();
    let year_tags: &[&str] = if wos { &["PY"] } else { &["PY", "Y1", "DA"] };
    let year = rec.first(year_tags).and_then(arrow_normalize::year_in);
    let venue_tags: &[&str] = if wos {
        &["SO", "SE", "BS"]
    } else if is_book {
        &["T2", "T3", "JF", "JO", "J2", "JA"]
    } else {
        &["T2", "JF", "JO", "BT", "J2", "JA"]
    };
    let venue = rec.first(venue_tags).map(str::to_string);
    let abstract_text = rec.first(&["AB", "N2"]).map(str::to_string);
    let mut doi = rec.first(if wos { &["DI"] } else { &["DO"] }).and_then(Identifiers::clean_doi);
    let mut urls = Vec::new();
    for u in rec.all("UR") {
        for u in u.split(|c: char| c == ';' || c.is_whitespace()).filter(|u| !u.is_empty()) {
            if doi.is_none() && u.contains("doi.org/10.") {
                doi = Identifiers::clean_doi(u);
                continue;
            }
            urls.push(u.to_string());
        }
    }
    let source_id = if wos { rec.first(&["UT"]) } else { rec.first(&["ID", "AN"]) };
    let id = match (source_id, &doi) {
        (Some(i), _) => i.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => {
            let key = format!("{}|{}", title.to_lowercase(), year.map(|y| y.to_string()).unwrap_or_default());
            format!("{:016x}", fnv1a(&key))
        }
    };
    let (pub_type, kind) = if wos {
        let dt = rec.first(&["DT"]).map(str::to_string);
        let kind = match dt.as_deref() {
            Some(d) => VenueKind::from_record_type(d),
            None => venue_kind(&ty),
        };
        let kind = if kind == VenueKind::Other { venue_kind(&ty) } else { kind };
        (dt.or(Some(ty.clone())), kind)
    } else {
        (Some(ty.clone()).filter(|t| !t.is_empty()), venue_kind(&ty))
    };
    let work = Work {
        id: WorkId(format!("ris:{id}")),
        title,
        abstract_text,
        year,
        venue,
        venue_kind: kind,
        pub_type,
        authors,
        authors_truncated: false,
        ids: Identifiers { doi, arxiv: None, dblp: None, openalex: None, urls },
        references: Vec::new(),
        provenance: vec![Provenance { source: "ris".into(), record_id: id, ingested_at: 0, file: None }],
    };
    Ok(Record { work, line })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Vec<Result<Record, ParseError>> {
        parse("t.ris".into(), s.as_bytes()).collect()
    }

    #[test]
    fn fields_names_continuations() {
        let input = "\u{feff}\n\nTY  - JOUR\nID  - 12345\nAU  - Shannon,Claude E.\nA1  - van Beethoven, Ludwig, Jr.\n\
                     A2  - Editor, An\nTI  - A Mathematical\n  Theory of Communication\nPY  - 1948/07//\n\
                     JF  - Bell System Technical Journal\nN2  - First line.\nSecond line.\nDO  - http://dx.doi.org/10.1002/J.1538\n\
                     UR  - http://a.org; http://b.org\nXY  - unknown tag\nER  - \n";
        let out = run(input);
        assert_eq!(out.len(), 1);
        let r = out[0].as_ref().unwrap();
        assert_eq!(r.line, 3);
        let w = &r.work;
        assert_eq!(w.id.0, "ris:12345");
        assert_eq!(w.title, "A Mathematical Theory of Communication");
        let names: Vec<&str> = w.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Claude E. Shannon", "Ludwig van Beethoven, Jr."]);
        assert_eq!(w.year, Some(1948));
        assert_eq!(w.venue.as_deref(), Some("Bell System Technical Journal"));
        assert_eq!(w.venue_kind, VenueKind::Journal);
        assert_eq!(w.abstract_text.as_deref(), Some("First line.\nSecond line."));
        assert_eq!(w.ids.doi.as_deref(), Some("10.1002/j.1538"));
        assert_eq!(w.ids.urls, ["http://a.org", "http://b.org"]);
        assert_eq!(w.pub_type.as_deref(), Some("JOUR"));
    }

    #[test]
    fn ids_fall_back_to_doi_then_a_hash() {
        let out = run("TY  - CONF\nTI  - T\nDO  - 10.1/X\nER  -\nTY  - THES\nTI  - T\nPY  - 2001\nER  -\nTY  - UNPB\nTI  - t\nY1  - 2001\nER  -\n");
        let ids: Vec<String> = out.iter().map(|r| r.as_ref().unwrap().work.id.0.clone()).collect();
        assert_eq!(ids[0], "ris:10.1/x");
        assert!(ids[1].starts_with("ris:") && ids[1].len() == 20, "{}", ids[1]);
        assert_eq!(ids[1], ids[2], "same title (any case) and year give the same id");
        let kinds: Vec<VenueKind> = out.iter().map(|r| r.as_ref().unwrap().work.venue_kind).collect();
        assert_eq!(kinds, [VenueKind::Conference, VenueKind::Thesis, VenueKind::Preprint]);
    }

    #[test]
    fn errors_are_located() {
        let input = "TY  - JOUR\nTI  - One\nER  -\n\nTY  - JOUR\nAU  - X, Y\nER  -\nTY  - JOUR\nTI  - Three\nTY  - JOUR\nTI  - Four\nER  -\nTY  - JOUR\nTI  - Five\n";
        let shown: Vec<String> = run(input)
            .iter()
            .map(|r| match r {
                Ok(r) => format!("ok {} {}", r.line, r.work.title),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "ok 1 One",
                "t.ris:5: record has no title (TI or T1)",
                "t.ris:8: record is not closed with ER before the next record at line 10",
                "ok 10 Four",
                "t.ris:13: record is not closed with ER before the end of the input (truncated file?)",
            ]
        );
    }

    #[test]
    fn detection() {
        assert!(looks_like("\u{feff}TY  - JOUR\nER  - \n"));
        assert!(looks_like("\n\nTY  - JOUR\n"));
        assert!(looks_like("Record #1 of 2\nProvider: P\n1.\nTY  - JOUR\n"));
        assert!(looks_like("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\n"));
        assert!(!looks_like("TYPE - x\n"));
        assert!(!looks_like("@article{x,\n"));
    }
}
