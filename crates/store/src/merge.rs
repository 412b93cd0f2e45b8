//! One work, many sources: records that share a DOI, arXiv id or DBLP key become one work. What each
//! source said is kept (table `records`, written only for works with more than one source); the work's
//! shown values are chosen from them by source priority.

use arrow_model::{Identifiers, Provenance, Work};

/// Sources in the order their values are preferred, best first. Curated bibliographies (DBLP) and
/// publishers' registries (Crossref, PubMed) describe the published version; aggregators follow;
/// preprints and personal files last. A source not listed ranks after all listed ones.
pub const SOURCE_PRIORITY: &[&str] =
    &["dblp", "crossref", "pubmed", "openalex", "semantic-scholar", "arxiv", "bibtex", "ris", "jsonl", "seed-page"];

pub fn priority(source: &str) -> usize {
    SOURCE_PRIORITY.iter().position(|s| *s == source).unwrap_or(SOURCE_PRIORITY.len())
}

/// The identifier values under which a work can be found by other sources.
pub fn identifier_values(ids: &Identifiers) -> Vec<String> {
    let mut out = Vec::with_capacity(3);
    if let Some(d) = &ids.doi {
        out.push(format!("doi:{}", d.to_lowercase()));
    }
    // Versions of one preprint are one work: the same reading of an id as every parser's.
    if let Some(a) = ids.arxiv.as_deref().and_then(Identifiers::clean_arxiv) {
        out.push(format!("arxiv:{}", a.to_lowercase()));
    }
    if let Some(k) = &ids.dblp {
        out.push(format!("dblp:{k}"));
    }
    out
}

/// The work shown for a set of source records: each value from the best-ranked record that has it.
pub(crate) fn merge(id: &str, records: &[Work]) -> Work {
    let mut ranked: Vec<&Work> = records.iter().collect();
    ranked.sort_by_key(|w| w.provenance.first().map_or(usize::MAX, |p| priority(&p.source)));
    let first = |f: &dyn Fn(&Work) -> bool| ranked.iter().copied().find(|w| f(w));
    let titled = first(&|w| !w.title.trim().is_empty()).or(ranked.first().copied());
    let venue_from = first(&|w| w.venue.is_some());
    let authors_from =
        first(&|w| !w.authors.is_empty() && !w.authors_truncated).or_else(|| first(&|w| !w.authors.is_empty()));
    let mut ids = Identifiers::default();
    let mut provenance: Vec<Provenance> = Vec::new();
    // What every source cites, the best-ranked source's first.
    let mut references: Vec<String> = Vec::new();
    for w in &ranked {
        ids.doi = ids.doi.take().or_else(|| w.ids.doi.clone());
        ids.arxiv = ids.arxiv.take().or_else(|| w.ids.arxiv.clone());
        ids.dblp = ids.dblp.take().or_else(|| w.ids.dblp.clone());
        ids.openalex = ids.openalex.take().or_else(|| w.ids.openalex.clone());
        for u in &w.ids.urls {
            if !ids.urls.contains(u) {
                ids.urls.push(u.clone());
            }
        }
        provenance.extend(w.provenance.iter().cloned());
        for r in &w.references {
            if !references.contains(r) {
                references.push(r.clone());
            }
        }
    }
    Work {
        id: arrow_model::WorkId(id.to_string()),
        title: titled.map(|w| w.title.clone()).unwrap_or_default(),
        abstract_text: ranked.iter().find_map(|w| w.abstract_text.clone()),
        year: ranked.iter().find_map(|w| w.year),
        venue: venue_from.and_then(|w| w.venue.clone()),
        venue_kind: venue_from.or(titled).map(|w| w.venue_kind).unwrap_or_default(),
        pub_type: venue_from.or(titled).and_then(|w| w.pub_type.clone()),
        authors: authors_from.map(|w| w.authors.clone()).unwrap_or_default(),
        authors_truncated: authors_from.is_some_and(|w| w.authors_truncated),
        ids,
        references,
        provenance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::{Authorship, VenueKind};

    fn rec(source: &str, title: &str) -> Work {
        let mut w = Work::new(format!("{source}:x"), title);
        w.provenance = vec![Provenance { source: source.into(), record_id: "x".into(), ingested_at: 0, file: None }];
        w
    }

    #[test]
    fn values_come_from_the_best_source_that_has_them() {
        let mut arxiv = rec("arxiv", "Hyena Hierarchy (preprint title)");
        arxiv.abstract_text = Some("Recent advances in deep learning...".into());
        arxiv.year = Some(2023);
        arxiv.ids.arxiv = Some("2302.10866".into());
        arxiv.venue = Some("arXiv".into());
        arxiv.venue_kind = VenueKind::Preprint;
        let mut dblp = rec("dblp", "Hyena Hierarchy: Towards Larger Convolutional Language Models");
        dblp.year = Some(2023);
        dblp.venue = Some("ICML".into());
        dblp.venue_kind = VenueKind::Conference;
        dblp.authors = vec![Authorship::at(1, "Michael Poli")];
        dblp.ids.dblp = Some("conf/icml/PoliMNFDBBER23".into());
        let m = merge("dblp:x", &[arxiv, dblp]);
        assert_eq!(m.title, "Hyena Hierarchy: Towards Larger Convolutional Language Models");
        assert_eq!(m.abstract_text.as_deref(), Some("Recent advances in deep learning..."));
        assert_eq!(m.venue.as_deref(), Some("ICML"));
        assert_eq!(m.venue_kind, VenueKind::Conference);
        assert_eq!(m.ids.arxiv.as_deref(), Some("2302.10866"));
        assert_eq!(m.ids.dblp.as_deref(), Some("conf/icml/PoliMNFDBBER23"));
        assert_eq!(m.provenance.len(), 2);
        assert_eq!(m.provenance[0].source, "dblp");
    }

    #[test]
    fn arxiv_versions_share_an_identifier() {
        let mut ids =
            Identifiers { arxiv: Some("2302.10866v3".into()), doi: Some("10.1/ABC".into()), ..Default::default() };
        assert_eq!(identifier_values(&ids), ["doi:10.1/abc", "arxiv:2302.10866"]);
        ids.arxiv = Some("hep-th/9901001v2".into());
        assert_eq!(identifier_values(&ids)[1], "arxiv:hep-th/9901001");
    }
}
