use std::fmt;
use std::str::FromStr;

/// A source format Arrow reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Arrow's canonical JSON lines, which also accepts the minimal benchmark shape.
    Jsonl,
    /// A pasted "Arrow Research search" author name cluster page (the seed page).
    SeedPage,
    /// OpenAlex works: the snapshot's JSON lines or an API response.
    OpenAlex,
    /// Crossref works: JSON lines or an API response (`{"message":{"items":[..]}}`, one work, `items`).
    Crossref,
    /// Semantic Scholar papers: Graph API responses (paper, author, citations, `data` lists) or dataset lines.
    SemanticScholar,
    /// An arXiv API response (Atom feed).
    ArxivAtom,
    /// The arXiv metadata snapshot (Kaggle layout), JSON lines.
    ArxivJsonl,
    /// PubMed XML (`<PubmedArticleSet>`).
    Pubmed,
    /// DBLP's XML dump (`dblp.xml`, ISO-8859-1 with DTD entities), streamed.
    DblpXml,
    /// BibTeX (`@inproceedings{key, ...}`), with `@string` macros, crossref and TeX decoding.
    Bibtex,
    /// RIS (`TY  - JOUR` ... `ER  - `), and the Web of Science tagged export of the same shape.
    Ris,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Jsonl,
        Format::SeedPage,
        Format::OpenAlex,
        Format::Crossref,
        Format::SemanticScholar,
        Format::ArxivAtom,
        Format::ArxivJsonl,
        Format::Pubmed,
        Format::DblpXml,
        Format::Bibtex,
        Format::Ris,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::SeedPage => "seed-page",
            Format::OpenAlex => "openalex",
            Format::Crossref => "crossref",
            Format::SemanticScholar => "semantic-scholar",
            Format::ArxivAtom => "arxiv-atom",
            Format::ArxivJsonl => "arxiv-jsonl",
            Format::Pubmed => "pubmed",
            Format::DblpXml => "dblp-xml",
            Format::Bibtex => "bibtex",
            Format::Ris => "ris",
        }
    }

    /// All names, comma separated, for messages.
    pub fn names() -> String {
        Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
    }

    /// Recognises a format from the first bytes of (decompressed) input.
    pub fn detect(head: &[u8]) -> Option<Format> {
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("Arrow Research search") {
            return Some(Format::SeedPage);
        }
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            // Which JSON source: sniffed from the first object's keys; plain objects are Arrow's own lines.
            return crate::formats::sniff::detect_json(trimmed);
        }
        if crate::formats::dblp_xml::looks_like(trimmed) {
            return Some(Format::DblpXml);
        }
        if let Some(f) = crate::formats::sniff::detect_xml(trimmed) {
            return Some(f);
        }
        if crate::formats::bibtex::looks_like(trimmed) {
            return Some(Format::Bibtex);
        }
        if crate::formats::ris::looks_like(trimmed) {
            return Some(Format::Ris);
        }
        None
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown format {s:?}; known formats: {}", Format::names()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(Format::detect(b"{\"id\":1}"), Some(Format::Jsonl));
        assert_eq!(Format::detect("\u{feff}Arrow Research search\n".as_bytes()), Some(Format::SeedPage));
        assert_eq!(Format::detect(b"hello"), None);
    }

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), *f);
        }
    }
}
