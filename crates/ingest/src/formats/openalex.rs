//! OpenAlex works: the snapshot's JSON lines (one work per line), a single work as the API returns it, or an
//! API list response (`{"meta":..,"results":[..]}`) or a JSON array of works.
//!
//! Mapping: id `openalex:W…` (also `ids.openalex`), DOI, title (`title`, else `display_name`), the abstract
//! rebuilt from `abstract_inverted_index`, `publication_year` (else `publication_date`), `type`, the venue from
//! `host_venue` (2022 schema) or `primary_location.source`, its kind from the venue's type (else the work's
//! type), and authorships in order: `raw_author_name` when present, else `author.display_name`, with
//! `openalex:A…` as the author's id. An arXiv id is taken from an `arxiv.org/abs/` location when there is
//! one. Referenced works are kept as `openalex:W…` ids; related works, concepts, institutions and ORCIDs are not
//! part of the model and are skipped.

use super::json_input::{self, decode, elements, fields, is_array, JsonFormat};
use super::text::{collapse_ws, distinct, last_segment, non_empty, year_in};
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::io::BufRead;

#[derive(Deserialize, Default)]
#[serde(default)]
struct OaWork {
    id: Option<String>,
    doi: Option<String>,
    title: Option<String>,
    display_name: Option<String>,
    publication_year: Option<serde_json::Value>,
    publication_date: Option<String>,
    #[serde(rename = "type")]
    work_type: Option<String>,
    type_crossref: Option<String>,
    abstract_inverted_index: Option<HashMap<String, Vec<u64>>>,
    host_venue: Option<OaVenue>,
    primary_location: Option<OaLocation>,
    locations: Option<Vec<OaLocation>>,
    authorships: Option<Vec<OaAuthorship>>,
    referenced_works: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OaVenue {
    display_name: Option<String>,
    #[serde(rename = "type")]
    venue_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OaLocation {
    source: Option<OaVenue>,
    landing_page_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OaAuthorship {
    author: Option<OaAuthor>,
    raw_author_name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OaAuthor {
    id: Option<String>,
    display_name: Option<String>,
}

/// Parses OpenAlex works (JSON lines or one API response).
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    json_input::parse(name, reader, JsonFormat { expand, convert })
}

fn expand(raw: &RawValue) -> Result<Vec<&RawValue>, String> {
    if is_array(raw) {
        return elements(raw).ok_or_else(|| "invalid JSON array".to_string());
    }
    if !raw.get().contains("\"results\"") {
        // Fast path for snapshot lines: a work, no list to look into.
        return Ok(vec![raw]);
    }
    let f = fields(raw).ok_or_else(|| "expected an OpenAlex work object".to_string())?;
    if !f.contains_key("id") {
        if let Some(results) = f.get("results") {
            return elements(results).ok_or_else(|| "\"results\" is not a list".to_string());
        }
    }
    Ok(vec![raw])
}

/// Rebuilds the abstract from OpenAlex's inverted index (word → positions).
pub(crate) fn abstract_from_index(index: &HashMap<String, Vec<u64>>) -> String {
    let mut placed: Vec<(u64, &str)> =
        index.iter().flat_map(|(w, ps)| ps.iter().map(move |&p| (p, w.as_str()))).collect();
    placed.sort_unstable();
    placed.iter().map(|&(_, w)| w).collect::<Vec<_>>().join(" ")
}

fn venue_kind(venue_type: Option<&str>, work_type: Option<&str>, crossref_type: Option<&str>) -> VenueKind {
    let from_venue = match venue_type.map(str::to_ascii_lowercase).as_deref() {
        Some("journal") => VenueKind::Journal,
        Some("conference") => VenueKind::Conference,
        Some("repository") => VenueKind::Preprint,
        Some("book series") | Some("ebook platform") => VenueKind::Book,
        _ => VenueKind::Other,
    };
    if from_venue != VenueKind::Other {
        return from_venue;
    }
    match work_type.map(str::to_ascii_lowercase).as_deref() {
        Some("dissertation") => VenueKind::Thesis,
        Some("preprint") | Some("posted-content") => VenueKind::Preprint,
        Some("book") | Some("book-chapter") => VenueKind::Book,
        _ => crossref_type.or(work_type).map(VenueKind::from_record_type).unwrap_or_default(),
    }
}

fn arxiv_from_url(url: &str) -> Option<String> {
    Identifiers::clean_arxiv(&url[url.find("arxiv.org/abs/")? + "arxiv.org/abs/".len()..])
}

/// `referenced_works` (`https://openalex.org/W…`) as `openalex:W…` (as this parser names works), in order, each once.
fn references(urls: &[String]) -> Vec<String> {
    distinct(
        urls.iter().map(|u| last_segment(u)).filter(|w| w.starts_with(['W', 'w'])).map(|w| format!("openalex:{w}")),
    )
}

fn convert(raw: &RawValue) -> Result<Work, String> {
    let w: OaWork = decode(raw, "OpenAlex work")?;
    let oa = w.id.as_deref().map(last_segment).filter(|s| !s.is_empty()).ok_or("work has no \"id\"")?.to_string();
    if !oa.starts_with(['W', 'w']) {
        return Err(format!("{oa} is not an OpenAlex work id (W…)"));
    }
    let title = non_empty(w.title.as_deref())
        .or_else(|| non_empty(w.display_name.as_deref()))
        .map(|t| collapse_ws(&t))
        .ok_or_else(|| format!("work {oa}: no title"))?;
    let year = json_input::year_value(&w.publication_year).or_else(|| w.publication_date.as_deref().and_then(year_in));
    let (venue, venue_type) = match (&w.host_venue, w.primary_location.as_ref().and_then(|l| l.source.as_ref())) {
        (Some(v), _) if non_empty(v.display_name.as_deref()).is_some() => {
            (v.display_name.clone(), v.venue_type.clone())
        }
        (_, Some(s)) => (s.display_name.clone(), s.venue_type.clone()),
        _ => (None, None),
    };
    let authors = w
        .authorships
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let author = a.author.unwrap_or_default();
            let name = non_empty(a.raw_author_name.as_deref()).or_else(|| non_empty(author.display_name.as_deref()))?;
            Some(Authorship {
                position: Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
                name: collapse_ws(&name),
                source_id: author
                    .id
                    .as_deref()
                    .map(last_segment)
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("openalex:{s}")),
            })
        })
        .collect();
    let locations = w.primary_location.iter().chain(w.locations.iter().flatten());
    let arxiv = locations.filter_map(|l| l.landing_page_url.as_deref()).find_map(arxiv_from_url);
    let abstract_text = w.abstract_inverted_index.as_ref().map(abstract_from_index).filter(|a| !a.is_empty());
    Ok(Work {
        id: WorkId(format!("openalex:{oa}")),
        title,
        abstract_text,
        year,
        venue_kind: venue_kind(venue_type.as_deref(), w.work_type.as_deref(), w.type_crossref.as_deref()),
        venue: non_empty(venue.as_deref()),
        pub_type: non_empty(w.work_type.as_deref()),
        authors,
        authors_truncated: false,
        ids: Identifiers {
            doi: w.doi.as_deref().and_then(Identifiers::clean_doi),
            arxiv,
            dblp: None,
            openalex: Some(oa.clone()),
            urls: Vec::new(),
        },
        references: references(w.referenced_works.as_deref().unwrap_or_default()),
        provenance: vec![Provenance { source: "openalex".into(), record_id: oa, ingested_at: 0, file: None }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<Result<Record, ParseError>> {
        parse("t.json".into(), s.as_bytes()).collect()
    }

    #[test]
    fn inverted_index_is_put_back_in_order() {
        let idx: HashMap<String, Vec<u64>> =
            serde_json::from_str(r#"{"in":[3,5],"Despite":[0],"growing":[1],"interest":[2],"OA":[4,6]}"#).unwrap();
        assert_eq!(abstract_from_index(&idx), "Despite growing interest in OA in OA");
    }

    #[test]
    fn lines_and_2022_host_venue() {
        let input = concat!(
            r#"{"id":"https://openalex.org/W1","display_name":"T1","publication_year":2020,"type":"article","host_venue":{"display_name":"ICML","type":"conference"},"authorships":[{"author":{"id":"https://openalex.org/A9","display_name":"Christopher Ré"}}]}"#,
            "\n",
            r#"{"id":"https://openalex.org/W2","title":null}"#,
            "\n",
            r#"{"id":"https://openalex.org/W3","title":"T3","authorships":null,"primary_location":null}"#,
            "\n"
        );
        let out = all(input);
        assert_eq!(out.len(), 3);
        let w = &out[0].as_ref().unwrap().work;
        assert_eq!(w.id.0, "openalex:W1");
        assert_eq!(w.venue.as_deref(), Some("ICML"));
        assert_eq!(w.venue_kind, VenueKind::Conference);
        assert_eq!(w.authors[0].source_id.as_deref(), Some("openalex:A9"));
        assert_eq!(w.authors[0].name, "Christopher Ré");
        assert_eq!(out[1].as_ref().unwrap_err().to_string(), "t.json:2: work W2: no title");
        assert_eq!(out[2].as_ref().unwrap().line, 3);
    }

    #[test]
    fn api_list_response() {
        let input = "{\n \"meta\": {\"count\": 2},\n \"results\": [\n  {\"id\": \"https://openalex.org/W1\", \"title\": \"A\"},\n  {\"id\": \"https://openalex.org/W2\",\n   \"title\": \"B\", \"locations\": [{\"landing_page_url\": \"https://arxiv.org/abs/1707.08567v2\"}]}\n ]\n}\n";
        let out = all(input);
        let recs: Vec<_> = out.into_iter().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 2);
        assert_eq!((recs[0].line, recs[1].line), (4, 5));
        assert_eq!(recs[1].work.ids.arxiv.as_deref(), Some("1707.08567"));
    }
}
