//! arXiv API responses (Atom feeds): one work per `<entry>`.
//!
//! Mapping: id `arxiv:<id without version>` (new `1707.08567` and old `hep-th/9901001` styles), Identifiers.arxiv
//! the same, title and summary with whitespace collapsed (TeX kept verbatim), authors in order, year from
//! `<published>` (the first version), `<arxiv:doi>`, the `rel="alternate"` abstract page as URL. The venue is
//! always "arXiv" with venue kind Preprint; the primary category is kept in the publication type as
//! `arXiv cs.LG` (so the type alone still reads as a preprint). `<arxiv:journal_ref>` and `<arxiv:comment>`
//! are free text with no field in the model and are dropped; the DOI links the published version.
//!
//! An error feed (an entry titled "Error" with an `api/errors` id) is a located error; an empty feed yields
//! nothing.

use super::text::collapse_ws;
use super::xml_tree::{works, Element, XmlRecords};
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use std::io::BufRead;

/// Parses an arXiv Atom feed.
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    works(XmlRecords::new(name, reader, &["entry"]), "feed", "an Atom <feed>", convert)
}

/// The arXiv id in an abstract URL (`http://arxiv.org/abs/astro-ph/0601001v1`), without version.
fn id_from_url(url: &str) -> Option<String> {
    Identifiers::clean_arxiv(&url[url.find("/abs/")? + 5..])
}

fn convert(entry: &Element) -> Result<Work, String> {
    let raw_id = entry.text_at(&["id"]).ok_or("entry has no <id>")?;
    let title = entry.text_at(&["title"]);
    if raw_id.contains("/api/errors") || title.as_deref() == Some("Error") {
        let why = entry.text_at(&["summary"]).unwrap_or_else(|| raw_id.clone());
        return Err(format!("arXiv API error: {why}"));
    }
    let id = id_from_url(&raw_id).ok_or_else(|| format!("entry id {raw_id:?} is not an arXiv abstract URL"))?;
    let title = title.ok_or_else(|| format!("entry {id}: no title"))?;
    let authors = entry
        .children_named("author")
        .filter_map(|a| a.text_at(&["name"]))
        .enumerate()
        .map(|(i, name)| Authorship::at(u32::try_from(i + 1).unwrap_or(u32::MAX), name))
        .collect();
    let year =
        entry.text_at(&["published"]).or_else(|| entry.text_at(&["updated"])).and_then(|d| super::text::year_in(&d));
    let category = entry
        .child("arxiv:primary_category")
        .and_then(|c| c.attr("term"))
        .or_else(|| entry.child("category").and_then(|c| c.attr("term")))
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let url = entry
        .children_named("link")
        .find(|l| l.attr("rel") == Some("alternate"))
        .and_then(|l| l.attr("href"))
        .map(|h| h.trim().to_string());
    Ok(Work {
        id: WorkId(format!("arxiv:{id}")),
        title,
        abstract_text: entry.path(&["summary"]).map(|s| collapse_ws(&s.text())).filter(|s| !s.is_empty()),
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
            doi: entry.text_at(&["arxiv:doi"]).as_deref().and_then(Identifiers::clean_doi),
            arxiv: Some(id.clone()),
            dblp: None,
            openalex: None,
            urls: url.into_iter().collect(),
        },
        references: Vec::new(),
        provenance: vec![Provenance { source: "arxiv".into(), record_id: id, ingested_at: 0, file: None }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_stripped() {
        assert_eq!(id_from_url("http://arxiv.org/abs/astro-ph/0601001v1").as_deref(), Some("astro-ph/0601001"));
    }

    #[test]
    fn entries_errors_and_truncation() {
        let feed = r#"<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/1605.08386v1</id>
    <title>Heat-bath random walks with Markov
      bases &amp; $\ell_p$ norms</title>
    <summary>  We  study $O(n^{1/2})$ &lt; x.
</summary>
    <published>2016-05-26T17:59:46Z</published>
    <author><name>Caprice Stanley</name></author>
    <author><name>Tobias Windisch</name></author>
    <arxiv:doi>10.1016/J.AAM.2017.04.007</arxiv:doi>
    <arxiv:primary_category term="math.CO"/>
  </entry>
  <entry>
    <id>https://arxiv.org/api/errors#incorrect_id_format_for_abc</id>
    <title>Error</title>
    <summary>incorrect id format for abc</summary>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2104.12255v1</id>
    <title>0</title>
"#;
        let out: Vec<_> = parse("f.xml".into(), feed.as_bytes()).collect();
        assert_eq!(out.len(), 3, "{out:?}");
        let w = &out[0].as_ref().unwrap().work;
        assert_eq!(out[0].as_ref().unwrap().line, 3);
        assert_eq!(w.title, "Heat-bath random walks with Markov bases & $\\ell_p$ norms");
        assert_eq!(w.abstract_text.as_deref(), Some("We study $O(n^{1/2})$ < x."));
        assert_eq!(w.ids.doi.as_deref(), Some("10.1016/j.aam.2017.04.007"));
        assert_eq!(w.pub_type.as_deref(), Some("arXiv math.CO"));
        assert_eq!(w.year, Some(2016));
        assert_eq!(out[1].as_ref().unwrap_err().to_string(), "f.xml:15: arXiv API error: incorrect id format for abc");
        let e = out[2].as_ref().unwrap_err().to_string();
        assert!(e.contains("input ends inside <entry> started at line 20"), "{e}");
    }

    #[test]
    fn not_a_feed() {
        let out: Vec<_> = parse("f.xml".into(), &b"<html><body/></html>"[..]).collect();
        assert!(out[0].as_ref().unwrap_err().message.contains("expected an Atom <feed>"));
        let out: Vec<_> = parse("f.xml".into(), &b"<feed><entry><id>x</entry></feed>"[..]).collect();
        assert!(out[0].as_ref().unwrap_err().message.contains("invalid XML"), "{out:?}");
    }
}
