//! Crossref works: JSON lines (one work per line, as in the public data file), or an API response: a list
//! (`{"message":{"items":[..]}}`, or just `{"items":[..]}`), one work (`{"message":{..}}`), a bare work or a
//! JSON array of works.
//!
//! Mapping: id `doi:<doi lower-cased>`, `title[0]` (with `subtitle[0]` after a colon when present), the
//! abstract with its JATS markup (`<jats:p>`, `<jats:italic>`) removed, authors in order (`given family
//! suffix` where the suffix is generational ("Jr.", "III"; degrees such as "Ph.D" are dropped),
//! or `name` for organisations; the ORCID as `orcid:…` id; nameless entries are skipped but keep
//! their place), `container-title[0]` as venue, `type` as publication type and venue kind (`dissertation` is a
//! thesis), and the year from `published`, `published-print`, `published-online`, `issued` then `created`.
//! HTML entities (`&amp;`) and inline tags in titles and venues are decoded. References with a DOI are kept as
//! `doi:…`. Editors, funders
//! and affiliations are not part of the model.

use super::json_input::{self, decode, elements, fields, is_array, JsonFormat};
use super::text::{collapse_ws, distinct, join_name, non_empty, orcid_id, strip_markup};
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::io::BufRead;

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrWork {
    #[serde(rename = "DOI")]
    doi: Option<String>,
    #[serde(rename = "URL")]
    url: Option<String>,
    title: Option<Vec<String>>,
    subtitle: Option<Vec<String>>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    author: Option<Vec<CrAuthor>>,
    #[serde(rename = "container-title")]
    container_title: Option<Vec<String>>,
    #[serde(rename = "type")]
    work_type: Option<String>,
    published: Option<CrDate>,
    #[serde(rename = "published-print")]
    published_print: Option<CrDate>,
    #[serde(rename = "published-online")]
    published_online: Option<CrDate>,
    issued: Option<CrDate>,
    created: Option<CrDate>,
    reference: Option<Vec<CrReference>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrReference {
    #[serde(rename = "DOI")]
    doi: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrAuthor {
    given: Option<String>,
    family: Option<String>,
    suffix: Option<String>,
    name: Option<String>,
    #[serde(rename = "ORCID")]
    orcid: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CrDate {
    #[serde(rename = "date-parts")]
    date_parts: Option<Vec<Vec<serde_json::Value>>>,
}

impl CrDate {
    fn year(&self) -> Option<i32> {
        let first = self.date_parts.as_ref()?.first()?.first()?;
        json_input::year_value(&Some(first.clone()))
    }
}

/// Parses Crossref works (JSON lines or one API response).
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    json_input::parse(name, reader, JsonFormat { expand, convert })
}

fn expand(raw: &RawValue) -> Result<Vec<&RawValue>, String> {
    if is_array(raw) {
        return elements(raw).ok_or_else(|| "invalid JSON array".to_string());
    }
    if !raw.get().contains("\"message\"") && !raw.get().contains("\"items\"") {
        // Fast path for JSON lines: a work, no wrapper to look into.
        return Ok(vec![raw]);
    }
    let f = fields(raw).ok_or_else(|| "expected a Crossref work object".to_string())?;
    if f.contains_key("DOI") {
        return Ok(vec![raw]);
    }
    if let Some(message) = f.get("message") {
        if let Some(status) = f.get("status").and_then(|s| serde_json::from_str::<String>(s.get()).ok()) {
            if status != "ok" {
                return Err(format!("Crossref API status {status:?}: {}", message.get()));
            }
        }
        return expand(message);
    }
    if let Some(items) = f.get("items") {
        return elements(items).ok_or_else(|| "\"items\" is not a list".to_string());
    }
    Ok(vec![raw])
}

/// Titles and venues: inline markup removed, entities decoded, whitespace collapsed.
fn clean(s: &str) -> String {
    collapse_ws(&strip_markup(s))
}

fn first(v: &Option<Vec<String>>) -> Option<String> {
    v.as_ref()?.iter().map(|s| clean(s)).find(|s| !s.is_empty())
}

/// "Jr.", "III": suffixes that belong to the name (depositors also put degrees such as "Ph.D" there).
fn is_generational(suffix: &str) -> bool {
    let s: String = suffix.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
    matches!(s.as_str(), "jr" | "sr" | "ii" | "iii" | "iv" | "v" | "2nd" | "3rd" | "4th")
}

/// The cited works that carry a DOI, as `doi:…` (references given only as text are skipped), each once.
fn references(refs: &[CrReference]) -> Vec<String> {
    distinct(refs.iter().filter_map(|r| r.doi.as_deref().and_then(Identifiers::clean_doi)).map(|d| format!("doi:{d}")))
}

fn convert(raw: &RawValue) -> Result<Work, String> {
    let w: CrWork = decode(raw, "Crossref work")?;
    let doi = w.doi.as_deref().and_then(Identifiers::clean_doi).ok_or("work has no \"DOI\"")?;
    let mut title = first(&w.title).ok_or_else(|| format!("work {doi}: no title"))?;
    if let Some(sub) = first(&w.subtitle) {
        if !title.contains(&sub) {
            title = format!("{title}: {sub}");
        }
    }
    let authors = w
        .author
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let suffix = a.suffix.as_deref().filter(|s| is_generational(s));
            let personal = join_name(&[a.given.as_deref(), a.family.as_deref(), suffix]);
            let name =
                if personal.is_empty() { non_empty(a.name.as_deref()).map(|n| collapse_ws(&n))? } else { personal };
            Some(Authorship {
                position: Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                name,
                source_id: a.orcid.as_deref().and_then(orcid_id),
            })
        })
        .collect();
    let year = [&w.published, &w.published_print, &w.published_online, &w.issued, &w.created]
        .into_iter()
        .flatten()
        .find_map(CrDate::year);
    let work_type = non_empty(w.work_type.as_deref());
    let venue_kind = match work_type.as_deref() {
        Some("dissertation") => VenueKind::Thesis,
        Some("posted-content") => VenueKind::Preprint,
        Some(t) => VenueKind::from_record_type(t),
        None => VenueKind::Other,
    };
    Ok(Work {
        id: WorkId(format!("doi:{doi}")),
        title,
        abstract_text: w.abstract_text.as_deref().map(strip_markup).filter(|a| !a.is_empty()),
        year,
        venue: first(&w.container_title),
        venue_kind,
        pub_type: work_type,
        authors,
        authors_truncated: false,
        ids: Identifiers {
            doi: Some(doi.clone()),
            arxiv: None,
            dblp: None,
            openalex: None,
            urls: non_empty(w.url.as_deref()).into_iter().collect(),
        },
        references: references(w.reference.as_deref().unwrap_or_default()),
        provenance: vec![Provenance { source: "crossref".into(), record_id: doi, ingested_at: 0, file: None }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_work_message_and_organisations() {
        let input = r#"{"status":"ok","message-type":"work","message":{"DOI":"10.1000/ABC","title":["A <i>B</i> &amp; C"],"subtitle":["the sequel"],"type":"dissertation","author":[{"name":"The ATLAS Collaboration","sequence":"first"},{"sequence":"additional"},{"given":"Ana","family":"Núñez","ORCID":"https://orcid.org/0000-0002-1825-0097"}],"issued":{"date-parts":[[null]]},"created":{"date-parts":[[2019,1,2]]}}}"#;
        let out: Vec<_> = parse("c.json".into(), input.as_bytes()).collect();
        let w = &out[0].as_ref().unwrap().work;
        assert_eq!(w.id.0, "doi:10.1000/abc");
        assert_eq!(w.title, "A B & C: the sequel");
        assert_eq!(w.venue_kind, VenueKind::Thesis);
        assert_eq!(w.year, Some(2019));
        assert_eq!(w.authors.len(), 2);
        assert_eq!(w.authors[0].name, "The ATLAS Collaboration");
        assert_eq!(
            w.authors[1],
            Authorship {
                position: Some(3),
                name: "Ana Núñez".into(),
                source_id: Some("orcid:0000-0002-1825-0097".into())
            }
        );
    }

    #[test]
    fn api_errors_and_missing_doi_are_located() {
        let input = "{\"status\":\"failed\",\"message\":[{\"type\":\"x\"}]}\n{\"title\":[\"no doi\"]}\n";
        let out: Vec<_> = parse("c.json".into(), input.as_bytes()).collect();
        assert!(out[0].as_ref().unwrap_err().to_string().starts_with("c.json:1: Crossref API status \"failed\""));
        assert_eq!(out[1].as_ref().unwrap_err().to_string(), "c.json:2: work has no \"DOI\"");
    }
}
