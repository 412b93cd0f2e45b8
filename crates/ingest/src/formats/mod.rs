//! One module per source format. Each exposes `parse(name, reader) -> Records`.

use crate::{Format, IngestError, Records};
use std::io::BufRead;

pub mod bibtex;
pub mod dblp_xml;
mod entities;
pub mod jsonl;
mod lines;
pub mod ris;
pub mod seed_page;
mod tex;

pub mod arxiv_atom;
pub mod arxiv_jsonl;
pub mod crossref;
mod json_input;
pub mod openalex;
pub mod pubmed;
pub mod semantic_scholar;
pub(crate) mod sniff;
mod text;
mod xml_tree;

pub(crate) fn parser_for<'a, R: BufRead + Send + 'a>(
    format: Format,
    name: String,
    reader: R,
) -> Result<Records<'a>, IngestError> {
    Ok(match format {
        Format::Jsonl => Box::new(jsonl::parse(name, reader)),
        Format::SeedPage => Box::new(seed_page::parse(name, reader)?),
        Format::OpenAlex => Box::new(openalex::parse(name, reader)),
        Format::Crossref => Box::new(crossref::parse(name, reader)),
        Format::SemanticScholar => Box::new(semantic_scholar::parse(name, reader)),
        Format::ArxivAtom => Box::new(arxiv_atom::parse(name, reader)),
        Format::ArxivJsonl => Box::new(arxiv_jsonl::parse(name, reader)),
        Format::Pubmed => Box::new(pubmed::parse(name, reader)),
        Format::DblpXml => Box::new(dblp_xml::parse(name, reader)),
        Format::Bibtex => Box::new(bibtex::parse(name, reader)),
        Format::Ris => Box::new(ris::parse(name, reader)),
    })
}
