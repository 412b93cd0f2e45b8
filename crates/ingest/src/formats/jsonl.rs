//! Arrow's canonical JSON lines (documented in `docs/jsonl.md`), which also accepts the minimal shape
//! used by the benchmarks: `{"id","title","abstract","authors":["Name",..],"venue","year","type","doi"}`.

use super::lines::LineReader;
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
#[serde(untagged)]
enum AuthorEntry {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        position: Option<u32>,
        #[serde(default)]
        id: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum YearValue {
    Number(i64),
    Text(String),
}

#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    title: String,
    #[serde(default, rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default)]
    year: Option<YearValue>,
    #[serde(default)]
    venue: Option<String>,
    #[serde(default)]
    venue_kind: Option<String>,
    #[serde(default, rename = "type")]
    pub_type: Option<String>,
    #[serde(default)]
    authors: Vec<AuthorEntry>,
    #[serde(default)]
    authors_truncated: bool,
    #[serde(default)]
    doi: Option<String>,
    #[serde(default)]
    arxiv: Option<String>,
    #[serde(default)]
    dblp: Option<String>,
    #[serde(default)]
    openalex: Option<String>,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    source_id: Option<String>,
}

/// Parses JSON lines; blank lines are skipped, each bad line is one located error.
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    let mut lines = LineReader::new(name, reader);
    std::iter::from_fn(move || loop {
        let (line, bytes) = match lines.next_line()? {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let mut warnings = Vec::new();
        let result = parse_line_warning(bytes, &mut |msg| warnings.push(msg)).map(|work| Record { work, line });
        for msg in warnings {
            tracing::warn!(file = lines.name(), line, "{msg}");
        }
        return Some(result.map_err(|msg| ParseError::new(lines.name(), line, msg)));
    })
}

/// serde_json's message with its place in the record: the caller names the file's line, so "at line 1 column 13"
/// of a one-line record would read as a second, wrong line number.
fn within_line(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())) {
        Some(message) if e.line() == 1 => format!("{message} (column {})", e.column()),
        _ => full,
    }
}

/// Parses one JSON object into a work; the error is the reason, without location.
pub fn parse_line(bytes: &[u8]) -> Result<Work, String> {
    parse_line_warning(bytes, &mut |msg| tracing::warn!("{msg}"))
}

/// [`parse_line`], telling `warn` what was dropped from a record that is kept.
fn parse_line_warning(bytes: &[u8], warn: &mut dyn FnMut(String)) -> Result<Work, String> {
    let l: Line = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {}", within_line(&e)))?;
    let id = match l.id {
        serde_json::Value::String(s) if !s.trim().is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err("\"id\" must be a non-empty string".into()),
    };
    // An empty title is real (DBLP has a few); it is kept, and shown as untitled.
    let year = match l.year {
        None => None,
        Some(YearValue::Number(n)) => Some(i32::try_from(n).map_err(|_| format!("work {id}: year {n} out of range"))?),
        Some(YearValue::Text(s)) if s.trim().is_empty() => None,
        Some(YearValue::Text(s)) => {
            Some(s.trim().parse::<i32>().map_err(|_| format!("work {id}: year {s:?} is not a number"))?)
        }
    };
    let venue_kind = match l.venue_kind.as_deref() {
        Some(k) => VenueKind::parse(k).ok_or_else(|| format!("work {id}: unknown venue_kind {k:?}"))?,
        None => match (l.pub_type.as_deref(), l.venue.as_deref()) {
            (Some(t), _) => VenueKind::from_record_type(t),
            (None, Some(v)) => VenueKind::from_venue_name(v),
            (None, None) => VenueKind::default(),
        },
    };
    let mut authors = Vec::with_capacity(l.authors.len());
    for (i, a) in l.authors.into_iter().enumerate() {
        let seq = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let authorship = match a {
            AuthorEntry::Name(name) => Authorship { position: Some(seq), name, source_id: None },
            AuthorEntry::Full { name, position, id } => Authorship { position, name, source_id: id },
        };
        // Real dumps have them (the ACL Anthology has one): the work is worth keeping, a nameless author is not.
        // The other authors keep their positions, as the source numbered them.
        if authorship.name.trim().is_empty() {
            warn(format!("work {id}: author {seq} has an empty name; that author is dropped, the work kept"));
            continue;
        }
        authors.push(authorship);
    }
    let source = l.source.unwrap_or_else(|| "jsonl".to_string());
    let record_id = l.source_id.unwrap_or_else(|| id.clone());
    Ok(Work {
        id: WorkId(id),
        title: l.title,
        abstract_text: l.abstract_text.filter(|a| !a.trim().is_empty()),
        year,
        venue: l.venue.filter(|v| !v.trim().is_empty()),
        venue_kind,
        pub_type: l.pub_type.filter(|t| !t.trim().is_empty()),
        authors,
        authors_truncated: l.authors_truncated,
        ids: Identifiers {
            doi: l.doi.as_deref().and_then(Identifiers::clean_doi),
            arxiv: l.arxiv,
            dblp: l.dblp,
            openalex: l.openalex,
            urls: l.urls,
        },
        references: l.references,
        provenance: vec![Provenance { source, record_id, ingested_at: 0, file: None }],
    })
}

/// Writes a work as one canonical JSON line (without the newline), fields in the documented order.
pub fn to_line(work: &Work) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        #[serde(flatten)]
        work: &'a Work,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        source_id: Option<&'a str>,
    }
    // Provenance is the store's business; a canonical line carries only the record's own source.
    let mut bare = work.clone();
    bare.provenance.clear();
    let first = work.provenance.first();
    let line = Line {
        work: &bare,
        source: first.map(|p| p.source.as_str()).filter(|s| *s != "jsonl"),
        source_id: first.map(|p| p.record_id.as_str()).filter(|r| *r != work.id.0),
    };
    serde_json::to_string(&line).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Result<Record, ParseError> {
        parse("t.jsonl".into(), s.as_bytes()).next().unwrap()
    }

    #[test]
    fn minimal_shape_from_the_benchmark_corpus() {
        let r = one(r#"{"id":"dblp:conf/sigir/RaveendranC12","title":"T","authors":["Gobaan Raveendran","Charles L. A. Clarke"],"venue":"SIGIR","year":2012,"type":"inproceedings","doi":"10.1145/X"}"#).unwrap();
        assert_eq!(r.work.authors[1], Authorship::at(2, "Charles L. A. Clarke"));
        assert_eq!(r.work.venue_kind, VenueKind::Conference);
        assert_eq!(r.work.ids.doi.as_deref(), Some("10.1145/x"));
        assert_eq!(r.work.year, Some(2012));
    }

    #[test]
    fn canonical_lines_round_trip() {
        let mut w = Work::new("seed:x", "A $\\ell_p$ title");
        w.abstract_text = Some("TeX $O(n^{1/2})$ kept".into());
        w.authors = vec![
            Authorship::at(1, "Ji Liu 0002"),
            Authorship {
                position: None,
                name: "Christopher Ré".into(),
                source_id: Some("dblp:r/ChristopherRe".into()),
            },
        ];
        w.authors_truncated = true;
        w.venue = Some("ICML".into());
        w.venue_kind = VenueKind::Conference;
        w.pub_type = Some("Conference Paper".into());
        w.references = vec!["openalex:W2963403868".into(), "doi:10.1145/3035918.3035929".into()];
        w.provenance =
            vec![Provenance { source: "seed".into(), record_id: "page:1".into(), ingested_at: 0, file: None }];
        let back = one(&to_line(&w)).unwrap().work;
        assert_eq!(back, w);
    }

    #[test]
    fn bad_lines_are_located_and_parsing_goes_on() {
        let input = "{\"id\":\"a\",\"title\":\"A\"}\n\n{\"id\":\"b\",\"title\":\n{\"id\":\"c\",\"title\":\"C\",\"year\":\"soon\"}\n{\"id\":\"d\",\"title\":\"D\"}\n";
        let out: Vec<_> = parse("f.jsonl".into(), input.as_bytes()).collect();
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].as_ref().unwrap().line, 1);
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("f.jsonl:3: invalid JSON"), "{e}");
        assert!(!e.contains("line 1"), "one line number, the file's: {e}");
        let e = out[2].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("f.jsonl:4: work c: year \"soon\""), "{e}");
        assert_eq!(out[3].as_ref().unwrap().work.id.0, "d");
    }

    #[test]
    fn missing_title_is_an_error() {
        assert!(one(r#"{"id":"a"}"#).unwrap_err().message.contains("title"));
        assert!(one(r#"{"id":"","title":"x"}"#).unwrap_err().message.contains("id"));
    }
}
