use crate::{Identifiers, VenueKind, WorkId};
use serde::{Deserialize, Serialize};

/// One author slot of a work: the name exactly as the source wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorship {
    /// 1-based place in the author list; `None` when the source says the person is an author but not where
    /// (the seed page cuts lists at eight names yet states the page's name is on every paper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    pub name: String,
    /// The source's own id for this author record (DBLP person, ORCID, OpenAlex author), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "id")]
    pub source_id: Option<String>,
}

impl Authorship {
    pub fn at(position: u32, name: impl Into<String>) -> Self {
        Authorship { position: Some(position), name: name.into(), source_id: None }
    }
}

/// Where a record came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The source format or feed: `jsonl`, `seed`, `dblp`, `openalex`, ...
    pub source: String,
    /// The record's id in that source.
    pub record_id: String,
    /// Unix seconds at ingest; 0 when not yet stored.
    #[serde(default)]
    pub ingested_at: i64,
    /// The name of the file it was last read from (`-`: standard input), so that a full re-import of one file
    /// (`--delete-missing`) drops only what that file held. `None` for records stored before it was noted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A bibliographic work: the unit that is stored, indexed and shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    pub id: WorkId,
    pub title: String,
    /// Kept verbatim, TeX included.
    #[serde(default, rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The venue's short name as shown ("ICML").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(default)]
    pub venue_kind: VenueKind,
    /// Publication type as the source states it ("Conference Paper", "inproceedings").
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub pub_type: Option<String>,
    #[serde(default)]
    pub authors: Vec<Authorship>,
    /// True when the source showed only part of the author list.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authors_truncated: bool,
    #[serde(flatten)]
    pub ids: Identifiers,
    /// Works this one cites, as the source names them, in Arrow's prefixed form (`openalex:W…`, `doi:10.…`), so
    /// that they meet the identifiers of stored works.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Provenance>,
}

impl Work {
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Work { id: WorkId(id.into()), title: title.into(), ..Default::default() }
    }

    /// Authors in display order: known positions first in order, then unknown ones in source order.
    pub fn ordered_authors(&self) -> Vec<&Authorship> {
        let mut v: Vec<&Authorship> = self.authors.iter().collect();
        v.sort_by_key(|a| a.position.unwrap_or(u32::MAX));
        v
    }
}
