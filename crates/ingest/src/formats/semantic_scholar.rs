//! Semantic Scholar papers, from the Graph API or the datasets.
//!
//! Accepted shapes: a paper (`/paper/{id}`: the paper, then each of its `citations` and `references`), an
//! author (`/author/{id}` with `papers`: the papers), a citation or reference (`{"citingPaper":..}`,
//! `{"citedPaper":..}`), a list response (`{"data":[..]}`, from search, batch, citations or papers endpoints),
//! a JSON array of these, or JSON lines of any of them, including the datasets' paper lines, whose keys are
//! lower-case (`corpusid`, `externalids`, `publicationdate`, ...).
//!
//! Mapping: id `s2:<paperId>` (the datasets have no paperId: it is taken from the `url`, else
//! `s2:CorpusId:<n>`), title, abstract, year (else `publicationDate`'s), venue (`venue`, else `journal.name`,
//! else `publicationVenue.name`), venue kind from `publicationVenue.type`, else `publicationTypes`, else the
//! venue name ("arXiv.org" is a preprint), publication types joined with ", ", authors in order with
//! `s2:<authorId>`, DOI / ArXiv / DBLP from `externalIds`, and the paper's URL. Citing and cited papers that
//! Semantic Scholar could not resolve (null `paperId`) are skipped; a top-level paper without an id is an error.

use super::json_input::{self, decode, elements, fields, is_array, is_object, JsonFormat};
use super::text::{collapse_ws, last_segment, non_empty, year_in};
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::io::BufRead;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Paper {
    #[serde(alias = "paperid")]
    paper_id: Option<String>,
    #[serde(alias = "corpusid")]
    corpus_id: Option<serde_json::Value>,
    #[serde(alias = "externalids")]
    external_ids: Option<HashMap<String, serde_json::Value>>,
    url: Option<String>,
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    venue: Option<String>,
    #[serde(alias = "publicationvenue")]
    publication_venue: Option<Venue>,
    journal: Option<Venue>,
    year: Option<serde_json::Value>,
    #[serde(alias = "publicationdate")]
    publication_date: Option<String>,
    #[serde(alias = "publicationtypes")]
    publication_types: Option<Vec<String>>,
    authors: Option<Vec<Author>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Venue {
    name: Option<String>,
    #[serde(rename = "type")]
    venue_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Author {
    #[serde(rename = "authorId", alias = "authorid")]
    author_id: Option<serde_json::Value>,
    name: Option<String>,
}

/// Parses Semantic Scholar JSON (API responses or dataset lines).
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    json_input::parse(name, reader, JsonFormat { expand, convert })
}

/// A citation/reference wrapper's paper, or the value itself.
fn unwrap_paper(raw: &RawValue) -> Option<&RawValue> {
    if !is_object(raw) {
        return None;
    }
    let f = fields(raw)?;
    match f.get("citingPaper").or_else(|| f.get("citedPaper")) {
        Some(inner) => Some(*inner),
        None => Some(raw),
    }
}

/// Papers in a nested list, skipping unresolved ones (no paperId).
fn nested<'a>(list: Option<&&'a RawValue>, out: &mut Vec<&'a RawValue>) {
    for el in list.and_then(|l| elements(l)).unwrap_or_default() {
        if let Some(p) = unwrap_paper(el) {
            let f = fields(p).unwrap_or_default();
            let has_id = ["paperId", "paperid", "corpusid", "corpusId"]
                .iter()
                .any(|k| f.get(*k).is_some_and(|v| v.get() != "null" && v.get() != "\"\""));
            if has_id {
                out.push(p);
            }
        }
    }
}

fn expand(raw: &RawValue) -> Result<Vec<&RawValue>, String> {
    if is_array(raw) {
        let mut out = Vec::new();
        for el in elements(raw).ok_or("invalid JSON array")? {
            out.extend(expand(el)?);
        }
        return Ok(out);
    }
    let f = fields(raw).ok_or("expected a Semantic Scholar object")?;
    let mut out = Vec::new();
    if let Some(inner) = f.get("citingPaper").or_else(|| f.get("citedPaper")) {
        nested_one(inner, &mut out);
        return Ok(out);
    }
    let is_paper = ["paperId", "paperid", "corpusid", "corpusId", "title"].iter().any(|k| f.contains_key(*k));
    if let Some(data) = f.get("data").filter(|_| !is_paper) {
        nested(Some(data), &mut out);
        return Ok(out);
    }
    if f.contains_key("authorId") && !is_paper {
        if f.get("papers").is_none_or(|p| !is_array(p)) {
            let id = f.get("authorId").map(|v| v.get()).unwrap_or("?");
            return Err(format!("author {id} has no \"papers\" list: nothing to import"));
        }
        nested(f.get("papers"), &mut out);
        return Ok(out);
    }
    if let Some(message) = f.get("message").or_else(|| f.get("error")).filter(|_| !is_paper) {
        return Err(format!("Semantic Scholar API error: {}", message.get()));
    }
    out.push(raw);
    nested(f.get("citations"), &mut out);
    nested(f.get("references"), &mut out);
    Ok(out)
}

fn nested_one<'a>(inner: &'a RawValue, out: &mut Vec<&'a RawValue>) {
    if is_object(inner) {
        out.push(inner);
    }
}

fn string_id(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn kind_of(p: &Paper, venue: Option<&str>) -> VenueKind {
    if let Some(t) = p.publication_venue.as_ref().and_then(|v| v.venue_type.as_deref()) {
        let k = VenueKind::from_record_type(t);
        if k != VenueKind::Other {
            return k;
        }
    }
    let from_types = p.publication_types.iter().flatten().map(|t| match t.as_str() {
        "Conference" => VenueKind::Conference,
        "JournalArticle" => VenueKind::Journal,
        "Book" | "BookSection" => VenueKind::Book,
        _ => VenueKind::Other,
    });
    // A conference paper is also often typed JournalArticle; the conference wins.
    let kinds: Vec<VenueKind> = from_types.filter(|k| *k != VenueKind::Other).collect();
    if let Some(k) =
        [VenueKind::Conference, VenueKind::Journal, VenueKind::Book].into_iter().find(|k| kinds.contains(k))
    {
        return k;
    }
    venue.map(VenueKind::from_record_type).unwrap_or_default()
}

fn convert(raw: &RawValue) -> Result<Work, String> {
    let p: Paper = decode(raw, "Semantic Scholar paper")?;
    let sha = non_empty(p.paper_id.as_deref()).or_else(|| {
        p.url
            .as_deref()
            .filter(|u| u.contains("/paper/"))
            .map(last_segment)
            .filter(|s| s.len() == 40)
            .map(str::to_string)
    });
    let corpus = p.corpus_id.as_ref().and_then(string_id);
    let record_id = match (&sha, &corpus) {
        (Some(s), _) => s.clone(),
        (None, Some(c)) => format!("CorpusId:{c}"),
        (None, None) => return Err("paper has no \"paperId\" (nor corpus id)".into()),
    };
    let title = p
        .title
        .as_deref()
        .map(collapse_ws)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("paper {record_id}: no title"))?;
    let venue = non_empty(p.venue.as_deref())
        .or_else(|| non_empty(p.journal.as_ref().and_then(|j| j.name.as_deref())))
        .or_else(|| non_empty(p.publication_venue.as_ref().and_then(|v| v.name.as_deref())));
    let ext = |k: &str| {
        p.external_ids
            .as_ref()
            .and_then(|m| m.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)))
            .and_then(|(_, v)| string_id(v))
    };
    let authors = p
        .authors
        .iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, a)| {
            Some(Authorship {
                position: Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                name: non_empty(a.name.as_deref()).map(|n| collapse_ws(&n))?,
                source_id: a.author_id.as_ref().and_then(string_id).map(|id| format!("s2:{id}")),
            })
        })
        .collect();
    let types: Vec<&str> = p.publication_types.iter().flatten().map(String::as_str).filter(|t| !t.is_empty()).collect();
    Ok(Work {
        id: WorkId(format!("s2:{record_id}")),
        title,
        abstract_text: non_empty(p.abstract_text.as_deref()),
        year: json_input::year_value(&p.year).or_else(|| p.publication_date.as_deref().and_then(year_in)),
        venue_kind: kind_of(&p, venue.as_deref()),
        venue,
        pub_type: (!types.is_empty()).then(|| types.join(", ")),
        authors,
        authors_truncated: false,
        ids: Identifiers {
            doi: ext("DOI").as_deref().and_then(Identifiers::clean_doi),
            arxiv: ext("ArXiv"),
            dblp: ext("DBLP"),
            openalex: None,
            urls: non_empty(p.url.as_deref()).into_iter().collect(),
        },
        references: Vec::new(),
        provenance: vec![Provenance { source: "semantic-scholar".into(), record_id, ingested_at: 0, file: None }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<Result<Record, ParseError>> {
        parse("s.json".into(), s.as_bytes()).collect()
    }

    #[test]
    fn dataset_lines_with_lower_case_keys() {
        let line = r#"{"corpusid":123,"externalids":{"DOI":"10.1/X","ArXiv":"2101.00001","CorpusId":"123"},"url":"https://www.semanticscholar.org/paper/0123456789abcdef0123456789abcdef01234567","title":"T","authors":[{"authorId":"42","name":"Zoë Ma"}],"venue":"arXiv.org","year":null,"publicationdate":"2021-01-01","publicationtypes":null}"#;
        let w = all(line).remove(0).unwrap().work;
        assert_eq!(w.id.0, "s2:0123456789abcdef0123456789abcdef01234567");
        assert_eq!(w.year, Some(2021));
        assert_eq!(w.venue_kind, VenueKind::Preprint);
        assert_eq!(w.ids.arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(w.authors[0].source_id.as_deref(), Some("s2:42"));
        let w = all(r#"{"corpusid":7,"title":"U"}"#).remove(0).unwrap().work;
        assert_eq!(w.id.0, "s2:CorpusId:7");
    }

    #[test]
    fn data_lists_and_wrappers() {
        let input = "{\"offset\":0,\"data\":[\n{\"citingPaper\":{\"paperId\":\"a\",\"title\":\"A\",\"publicationTypes\":[\"JournalArticle\",\"Conference\"]}},\n{\"citingPaper\":{\"paperId\":null,\"title\":\"unresolved\"}},\n{\"citingPaper\":{\"paperId\":\"b\",\"title\":null}}\n]}\n";
        let out = all(input);
        assert_eq!(out.len(), 2);
        let r = out[0].as_ref().unwrap();
        assert_eq!((r.line, r.work.venue_kind), (2, VenueKind::Conference));
        assert_eq!(out[1].as_ref().unwrap_err().to_string(), "s.json:4: paper b: no title");
        assert!(all(r#"{"authorId":"1","papers":null}"#)[0].is_err());
        assert!(all(r#"{"message":"Too Many Requests"}"#)[0].as_ref().unwrap_err().message.contains("API error"));
    }
}
