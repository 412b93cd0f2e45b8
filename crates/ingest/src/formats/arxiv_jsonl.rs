//! The arXiv metadata snapshot (the Kaggle "arxiv-metadata-oai-snapshot" layout): one paper per line with
//! `id, submitter, authors, title, comments, journal-ref, doi, report-no, categories, license, abstract,
//! versions [{version, created}], update_date, authors_parsed [[last, first, suffix], ..]`.
//!
//! Mapping as for the Atom feed: id `arxiv:<id>`, venue "arXiv" (Preprint), publication type `arXiv <first
//! category>`, title and abstract whitespace-collapsed with TeX kept. Authors come from `authors_parsed` as
//! "First Last Suffix" (else from splitting `authors` on commas and "and"). The year is the first version's
//! (`created`, RFC 2822 dates), else `update_date`'s. `journal-ref`, `comments`, `report-no` and `license`
//! have no field in the model and are dropped.

use super::json_input::{self, decode, elements, is_array, JsonFormat};
use super::text::{collapse_ws, non_empty, year_in};
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::io::BufRead;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Line {
    id: Option<serde_json::Value>,
    authors: Option<String>,
    title: Option<String>,
    doi: Option<String>,
    categories: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    versions: Option<Vec<Version>>,
    update_date: Option<String>,
    authors_parsed: Option<Vec<Vec<Option<String>>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Version {
    created: Option<String>,
}

/// Parses the arXiv snapshot's JSON lines (a JSON array of the same objects is accepted too).
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    json_input::parse(name, reader, JsonFormat { expand, convert })
}

fn expand(raw: &RawValue) -> Result<Vec<&RawValue>, String> {
    if is_array(raw) {
        return elements(raw).ok_or_else(|| "invalid JSON array".to_string());
    }
    Ok(vec![raw])
}

fn split_authors(s: &str) -> Vec<String> {
    let s = collapse_ws(s);
    s.split(',')
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

fn convert(raw: &RawValue) -> Result<Work, String> {
    let l: Line = decode(raw, "arXiv snapshot")?;
    let id = match &l.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            Identifiers::clean_arxiv(s).ok_or_else(|| format!("\"id\" {s:?} is not an arXiv id"))?
        }
        Some(serde_json::Value::Number(n)) => {
            return Err(format!("\"id\" is the number {n}: arXiv ids must be strings (leading zeros are lost)"))
        }
        _ => return Err("paper has no \"id\"".into()),
    };
    let title =
        l.title.as_deref().map(collapse_ws).filter(|t| !t.is_empty()).ok_or_else(|| format!("paper {id}: no title"))?;
    let names: Vec<String> = match &l.authors_parsed {
        Some(parsed) if !parsed.is_empty() => parsed
            .iter()
            .map(|p| {
                let part = |i: usize| p.get(i).and_then(|s| s.as_deref());
                super::text::join_name(&[part(1), part(0), part(2)])
            })
            .collect(),
        _ => l.authors.as_deref().map(split_authors).unwrap_or_default(),
    };
    let authors = names
        .into_iter()
        .filter(|n| !n.is_empty())
        .enumerate()
        .map(|(i, n)| Authorship::at(u32::try_from(i + 1).unwrap_or(u32::MAX), n))
        .collect();
    let year = l
        .versions
        .as_ref()
        .and_then(|v| v.first())
        .and_then(|v| v.created.as_deref())
        .and_then(year_in)
        .or_else(|| l.update_date.as_deref().and_then(year_in));
    let category = l.categories.as_deref().and_then(|c| c.split_whitespace().next());
    Ok(Work {
        id: WorkId(format!("arxiv:{id}")),
        title,
        abstract_text: l.abstract_text.as_deref().map(collapse_ws).filter(|a| !a.is_empty()),
        year,
        venue: Some("arXiv".into()),
        venue_kind: VenueKind::Preprint,
        pub_type: Some(match category {
            Some(c) => format!("arXiv {c}"),
            None => "arXiv".to_string(),
        }),
        authors,
        authors_truncated: false,
        ids: Identifiers {
            doi: non_empty(l.doi.as_deref()).as_deref().and_then(Identifiers::clean_doi),
            arxiv: Some(id.clone()),
            dblp: None,
            openalex: None,
            urls: vec![format!("https://arxiv.org/abs/{id}")],
        },
        references: Vec::new(),
        provenance: vec![Provenance { source: "arxiv".into(), record_id: id, ingested_at: 0, file: None }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks_and_errors() {
        let input = concat!(
            r#"{"id":"0704.0002","authors":"Ileana Streinu and Louis Theran","title":"Sparsity-certifying Graph Decompositions","versions":[],"update_date":"2008-12-13"}"#,
            "\n",
            r#"{"id":704.0003,"title":"x"}"#,
            "\n",
            r#"{"id":"0704.0004","title":"  "}"#,
            "\n"
        );
        let out: Vec<_> = parse("a.json".into(), input.as_bytes()).collect();
        let w = &out[0].as_ref().unwrap().work;
        assert_eq!(w.authors[1].name, "Louis Theran");
        assert_eq!(w.year, Some(2008));
        assert!(out[1].as_ref().unwrap_err().to_string().starts_with("a.json:2: \"id\" is the number"));
        assert_eq!(out[2].as_ref().unwrap_err().to_string(), "a.json:3: paper 0704.0004: no title");
    }
}
