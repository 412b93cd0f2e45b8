//! The "Arrow Research search" author name cluster page, as pasted text (the seed page).
//!
//! Layout: a header naming the cluster's name, then entries of the form
//!
//! ```text
//! ICLR Conference 2025 Conference Paper      <- venue, venue kind, year, publication type
//! Aioli: A Unified Optimization Framework    <- title
//!   • Mayee F. Chen                          <- authors, at most eight shown
//! Language model performance depends ...     <- abstract (one or more paragraphs)
//! ```
//!
//! The page states that every entry has an author of the page's name. Where the shown list lacks it, the
//! list is marked truncated and the name is added at an unknown position.

use super::lines::LineReader;
use crate::{IngestError, ParseError, Record};
use arrow_model::{Authorship, Provenance, VenueKind, Work, WorkId};
use arrow_normalize::name_key;
use std::io::BufRead;

const MAX_SHOWN_AUTHORS: usize = 8;

/// The parts of an entry header line.
#[derive(Debug, PartialEq)]
struct Header<'a> {
    venue: &'a str,
    kind: VenueKind,
    year: i32,
    pub_type: &'a str,
}

fn parse_header(line: &str) -> Option<Header<'_>> {
    let words: Vec<&str> = line.split(' ').collect();
    if words.iter().any(|w| w.is_empty()) {
        return None;
    }
    // venue... KIND YEAR type...: find the first KIND followed by a four-digit year, with words on both sides.
    (1..words.len().saturating_sub(2)).find_map(|i| {
        let kind = VenueKind::ALL.into_iter().find(|k| k.label() == words[i])?;
        let y = words[i + 1];
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let venue_end = words[..i].iter().map(|w| w.len() + 1).sum::<usize>() - 1;
        let type_start = venue_end + 1 + words[i].len() + 1 + 4 + 1;
        Some(Header { venue: &line[..venue_end], kind, year: y.parse().ok()?, pub_type: &line[type_start..] })
    })
}

fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    ["• ", "- ", "* "].iter().find_map(|b| t.strip_prefix(b)).map(str::trim).filter(|n| !n.is_empty())
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in arrow_normalize::fold(s).chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Reads the whole page (pages are small) and yields its entries.
pub fn parse<R: BufRead>(
    name: String,
    reader: R,
) -> Result<impl Iterator<Item = Result<Record, ParseError>>, IngestError> {
    let mut lines = LineReader::new(name.clone(), reader);
    let mut text: Vec<(u64, String)> = Vec::new();
    while let Some(r) = lines.next_line() {
        let (no, bytes) = r?;
        let s = std::str::from_utf8(bytes).map_err(|e| ParseError::new(&name, no, format!("not UTF-8: {e}")))?;
        text.push((no, s.trim_end().to_string()));
    }
    let nonempty: Vec<(u64, String)> = text.into_iter().filter(|(_, l)| !l.trim().is_empty()).collect();
    let (first_no, first) = nonempty.first().cloned().unwrap_or((1, String::new()));
    if first.trim_start_matches('\u{feff}') != "Arrow Research search" {
        return Err(
            ParseError::new(&name, first_no, "not a seed page: expected \"Arrow Research search\" first").into()
        );
    }
    let marker = nonempty
        .iter()
        .position(|(_, l)| l == "Author name cluster")
        .ok_or_else(|| ParseError::new(&name, first_no, "missing the \"Author name cluster\" line"))?;
    let (_, page_name) = nonempty
        .get(marker + 1)
        .cloned()
        .ok_or_else(|| ParseError::new(&name, nonempty[marker].0, "the page names no author"))?;
    let page_name = page_name.trim().to_string();
    let page_key = name_key(&page_name);

    let starts: Vec<usize> = (0..nonempty.len()).filter(|&i| parse_header(&nonempty[i].1).is_some()).collect();
    let mut entries = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(nonempty.len());
        entries.push(entry(&name, &page_name, &page_key, &nonempty[start..end]));
    }
    if entries.is_empty() {
        return Err(ParseError::new(&name, first_no, "the page lists no papers").into());
    }
    Ok(entries.into_iter())
}

fn entry(file: &str, page_name: &str, page_key: &str, block: &[(u64, String)]) -> Result<Record, ParseError> {
    let (line, header_text) = &block[0];
    let header = parse_header(header_text).ok_or_else(|| ParseError::new(file, *line, "bad entry header"))?;
    let (_, title) = block.get(1).ok_or_else(|| ParseError::new(file, *line, "entry has no title"))?;
    if bullet(title).is_some() {
        return Err(ParseError::new(file, *line + 1, "entry has no title before its authors"));
    }
    let mut authors = Vec::new();
    let mut rest = 2;
    while let Some(name) = block.get(rest).and_then(|(_, l)| bullet(l)) {
        let position = u32::try_from(authors.len() + 1).unwrap_or(u32::MAX);
        authors.push(Authorship::at(position, name));
        rest += 1;
    }
    if authors.is_empty() {
        return Err(ParseError::new(file, *line, format!("entry {title:?} lists no authors")));
    }
    let paragraphs: Vec<&str> = block[rest..].iter().map(|(_, l)| l.trim()).collect();
    let abstract_text = (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"));
    let shows_page_name = authors.iter().any(|a| name_key(&a.name) == page_key);
    let truncated = !shows_page_name && authors.len() >= MAX_SHOWN_AUTHORS;
    if !shows_page_name {
        authors.push(Authorship { position: None, name: page_name.to_string(), source_id: None });
    }
    let id = format!("seed:{}-{}-{}", slug(header.venue), header.year, slug(title));
    let work = Work {
        id: WorkId(id.clone()),
        title: title.trim().to_string(),
        abstract_text,
        year: Some(header.year),
        venue: Some(header.venue.to_string()),
        venue_kind: header.kind,
        pub_type: Some(header.pub_type.to_string()),
        authors,
        authors_truncated: truncated,
        ids: Default::default(),
        references: Vec::new(),
        provenance: vec![Provenance { source: "seed-page".into(), record_id: id, ingested_at: 0, file: None }],
    };
    Ok(Record { work, line: *line })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Arrow Research search\n\nAuthor name cluster\n\nChristopher Ré\n\nPossible papers\n\n2\n\n\
ICML Conference 2014 Conference Paper\n\nAn Asynchronous Parallel Stochastic Coordinate Descent Algorithm\n\n  • Ji Liu 0002\n  • Christopher Ré\n\nWe describe $O(n^{1/2})$.\n\n\
AAAI Conference 2019 System Paper\n\nA Title\n\n  • A One\n  • A Two\n  • A Three\n  • A Four\n  • A Five\n  • A Six\n  • A Seven\n  • A Eight\n\nFirst paragraph.\n\nSecond paragraph.\n";

    #[test]
    fn headers_split_into_parts() {
        let h = parse_header("AAAI Conference 2019 System Paper").unwrap();
        assert_eq!(h, Header { venue: "AAAI", kind: VenueKind::Conference, year: 2019, pub_type: "System Paper" });
        let h = parse_header("ACM SIGMOD Journal 2001 Journal Article").unwrap();
        assert_eq!(h.venue, "ACM SIGMOD");
        assert!(parse_header("Conference 2019 Paper").is_none());
        assert!(parse_header("We describe the Conference 20190 results").is_none());
    }

    #[test]
    fn entries_keep_order_tex_and_truncation() {
        let recs: Vec<Record> = parse("p.txt".into(), PAGE.as_bytes()).unwrap().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 2);
        let a = &recs[0].work;
        assert_eq!(a.authors[0].name, "Ji Liu 0002");
        assert_eq!(a.abstract_text.as_deref(), Some("We describe $O(n^{1/2})$."));
        assert!(!a.authors_truncated);
        assert_eq!(a.authors.len(), 2);
        let b = &recs[1].work;
        assert_eq!(b.pub_type.as_deref(), Some("System Paper"));
        assert!(b.authors_truncated);
        assert_eq!(
            b.authors.last().unwrap(),
            &Authorship { position: None, name: "Christopher Ré".into(), source_id: None }
        );
        assert_eq!(b.abstract_text.as_deref(), Some("First paragraph.\n\nSecond paragraph."));
        assert_eq!(recs[1].line, 20);
    }

    #[test]
    fn other_text_is_rejected_with_a_location() {
        let e = parse("x.txt".into(), "\nhello\n".as_bytes()).err().unwrap().to_string();
        assert_eq!(e, "x.txt:2: not a seed page: expected \"Arrow Research search\" first");
    }
}
