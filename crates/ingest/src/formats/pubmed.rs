//! PubMed XML (`<PubmedArticleSet>` as from E-utilities efetch or the baseline files): one work per
//! `<PubmedArticle>`.
//!
//! Mapping: id `pubmed:<PMID>`, `ArticleTitle` (else `VernacularTitle`; inline markup flattened), the abstract's
//! `AbstractText` sections joined by blank lines, each prefixed by its `Label` ("METHODS: ..."), authors in order
//! (`ForeName LastName Suffix`, else initials; `CollectiveName` for groups; authors marked `ValidYN="N"` are
//! skipped; an ORCID `Identifier` becomes the author's `orcid:` id), the journal `Title` (else `ISOAbbreviation`,
//! else `MedlineTA`) as venue, kind Journal (Preprint when a publication type says so), the publication types
//! joined by ", ", the year from `PubDate/Year` (else `MedlineDate`'s first four digits, else `ArticleDate`), the
//! DOI from `ELocationID` or the article's own `ArticleIdList` (references' ids are ignored), and the PubMed URL.
//! `PubmedBookArticle` records are reported as unsupported.

use super::text::{collapse_ws, join_name, orcid_id, year_in};
use super::xml_tree::{works, Element, XmlRecords};
use crate::{ParseError, Record};
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};
use std::io::BufRead;

/// Parses PubMed XML.
pub fn parse<R: BufRead>(name: String, reader: R) -> impl Iterator<Item = Result<Record, ParseError>> {
    works(
        XmlRecords::new(name, reader, &["PubmedArticle", "PubmedBookArticle"]),
        "PubmedArticleSet",
        "<PubmedArticleSet>",
        convert,
    )
}

fn author(a: &Element, position: u32) -> Option<Authorship> {
    if a.attr("ValidYN") == Some("N") {
        return None;
    }
    let name = match a.text_at(&["CollectiveName"]) {
        Some(group) => group,
        None => {
            let given = a.text_at(&["ForeName"]).or_else(|| a.text_at(&["Initials"]));
            join_name(&[given.as_deref(), a.text_at(&["LastName"]).as_deref(), a.text_at(&["Suffix"]).as_deref()])
        }
    };
    if name.is_empty() {
        return None;
    }
    let orcid = a
        .children_named("Identifier")
        .filter(|i| i.attr("Source").is_some_and(|s| s.eq_ignore_ascii_case("ORCID")))
        .find_map(|i| orcid_id(&i.text()));
    Some(Authorship { position: Some(position), name, source_id: orcid })
}

fn convert(record: &Element) -> Result<Work, String> {
    if record.name == "PubmedBookArticle" {
        let pmid = record.text_at(&["BookDocument", "PMID"]).unwrap_or_else(|| "?".into());
        return Err(format!("PMID {pmid}: PubmedBookArticle records are not supported"));
    }
    let citation = record.child("MedlineCitation").ok_or("PubmedArticle has no <MedlineCitation>")?;
    let pmid = citation.text_at(&["PMID"]).ok_or("article has no <PMID>")?;
    let article = citation.child("Article").ok_or_else(|| format!("PMID {pmid}: no <Article>"))?;
    let title = article
        .text_at(&["ArticleTitle"])
        .or_else(|| article.text_at(&["VernacularTitle"]))
        .ok_or_else(|| format!("PMID {pmid}: no title"))?;
    let sections: Vec<String> = article
        .path(&["Abstract"])
        .map(|abs| {
            abs.children_named("AbstractText")
                .filter_map(|t| {
                    let text = collapse_ws(&t.text());
                    let label = t.attr("Label").map(str::trim).filter(|l| !l.is_empty());
                    match (label, text.is_empty()) {
                        (_, true) => None,
                        (Some(l), false) => Some(format!("{l}: {text}")),
                        (None, false) => Some(text),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let mut authors = Vec::new();
    if let Some(list) = article.child("AuthorList") {
        for a in list.children_named("Author") {
            let position = u32::try_from(authors.len() + 1).unwrap_or(u32::MAX);
            authors.extend(author(a, position));
        }
    }
    let journal = article.child("Journal");
    let venue = journal
        .and_then(|j| j.text_at(&["Title"]).or_else(|| j.text_at(&["ISOAbbreviation"])))
        .or_else(|| citation.text_at(&["MedlineJournalInfo", "MedlineTA"]));
    let pub_date = journal.and_then(|j| j.path(&["JournalIssue", "PubDate"]));
    let year = pub_date
        .and_then(|d| d.text_at(&["Year"]).or_else(|| d.text_at(&["MedlineDate"])))
        .and_then(|y| year_in(&y))
        .or_else(|| article.text_at(&["ArticleDate", "Year"]).and_then(|y| year_in(&y)));
    let types: Vec<String> = article
        .child("PublicationTypeList")
        .map(|l| {
            l.children_named("PublicationType").map(|t| collapse_ws(&t.text())).filter(|t| !t.is_empty()).collect()
        })
        .unwrap_or_default();
    let venue_kind =
        if types.iter().any(|t| t.eq_ignore_ascii_case("Preprint")) { VenueKind::Preprint } else { VenueKind::Journal };
    let doi = article
        .children_named("ELocationID")
        .filter(|e| e.attr("EIdType") == Some("doi") && e.attr("ValidYN") != Some("N"))
        .find_map(|e| Identifiers::clean_doi(&e.text()))
        .or_else(|| {
            record
                .path(&["PubmedData", "ArticleIdList"])?
                .children_named("ArticleId")
                .filter(|e| e.attr("IdType") == Some("doi"))
                .find_map(|e| Identifiers::clean_doi(&e.text()))
        });
    Ok(Work {
        id: WorkId(format!("pubmed:{pmid}")),
        title,
        abstract_text: (!sections.is_empty()).then(|| sections.join("\n\n")),
        year,
        venue,
        venue_kind,
        pub_type: (!types.is_empty()).then(|| types.join(", ")),
        authors,
        authors_truncated: article.child("AuthorList").is_some_and(|l| l.attr("CompleteYN") == Some("N")),
        ids: Identifiers {
            doi,
            arxiv: None,
            dblp: None,
            openalex: None,
            urls: vec![format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")],
        },
        references: Vec::new(),
        provenance: vec![Provenance { source: "pubmed".into(), record_id: pmid, ingested_at: 0, file: None }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medline_dates_collective_names_and_located_errors() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet>
<PubmedArticleSet>
 <PubmedArticle>
  <MedlineCitation>
   <PMID Version="1">1</PMID>
   <Article>
    <Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
     <ISOAbbreviation>J Biol</ISOAbbreviation></Journal>
    <ArticleTitle>H<sub>2</sub>O &amp; <i>E. coli</i>&#8212;a study.</ArticleTitle>
    <Abstract><AbstractText Label="AIM">Go.</AbstractText><AbstractText>Done
      here.</AbstractText></Abstract>
    <AuthorList CompleteYN="N">
     <Author><LastName>Ødegård</LastName><Initials>K</Initials></Author>
     <Author><CollectiveName>SPRINT Group</CollectiveName></Author>
    </AuthorList>
    <PublicationTypeList><PublicationType>Preprint</PublicationType></PublicationTypeList>
   </Article>
  </MedlineCitation>
  <PubmedData><ReferenceList><Reference><ArticleIdList><ArticleId IdType="doi">10.9/ref</ArticleId></ArticleIdList></Reference></ReferenceList></PubmedData>
 </PubmedArticle>
 <PubmedArticle>
  <MedlineCitation><Article><ArticleTitle>No id</ArticleTitle></Article></MedlineCitation>
 </PubmedArticle>
</PubmedArticleSet>
"#;
        let out: Vec<_> = parse("p.xml".into(), xml.as_bytes()).collect();
        assert_eq!(out.len(), 2);
        let r = out[0].as_ref().unwrap();
        assert_eq!(r.line, 4);
        let w = &r.work;
        assert_eq!(w.title, "H2O & E. coli—a study.");
        assert_eq!(w.year, Some(1998));
        assert_eq!(w.venue.as_deref(), Some("J Biol"));
        assert_eq!(w.venue_kind, VenueKind::Preprint);
        assert_eq!(w.abstract_text.as_deref(), Some("AIM: Go.\n\nDone here."));
        assert_eq!(w.authors[0].name, "K Ødegård");
        assert_eq!(w.authors[1].name, "SPRINT Group");
        assert!(w.authors_truncated);
        assert_eq!(w.ids.doi, None, "a reference's DOI is not the article's");
        assert_eq!(out[1].as_ref().unwrap_err().to_string(), "p.xml:22: article has no <PMID>");
    }
}
