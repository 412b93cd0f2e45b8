//! The JSON lines the stages exchange. Field names are short: a DBLP run moves tens of millions of them.

use arrow_disambig::Mention;
use arrow_model::Work;
use serde::{Deserialize, Serialize};

/// Bits of a record's order that number records within one file.
const RECORD_BITS: u32 = 40;

/// A record's place in the whole input: files in the order given, records in file order.
pub fn order_of(file: u64, record: u64) -> i64 {
    ((file << RECORD_BITS) | record) as i64
}

/// A parsed record (`parse`), or one to merge or store (`merge`, `build`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordLine {
    /// Order (see [`order_of`]).
    pub o: i64,
    /// 1-based line of the record in its file.
    #[serde(default)]
    pub line: u64,
    /// The identifier values under which records merge (`doi:…`, `arxiv:…`, `dblp:…`, `id:…`); the driver joins
    /// records on them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub k: Vec<String>,
    /// The record's identifier component (the least order in it), once the driver knows it.
    #[serde(default)]
    pub c: i64,
    pub w: Work,
}

/// A stored work: from `merge`, with the order of the record that made it and its component.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkLine {
    pub o: i64,
    pub c: i64,
    pub w: Work,
}

/// One authorship to disambiguate: its block key, its work's order and slot, and (for `people`) its batch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MentionLine {
    pub b: String,
    pub o: i64,
    /// The work's identifier component (its shard follows from it).
    #[serde(default)]
    pub c: i64,
    pub s: u32,
    #[serde(default)]
    pub t: u64,
    pub m: Mention,
}

/// One authorship's person, as `people.jsonl` has it (position 1-based, as in the gold files).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonLine {
    pub work: String,
    pub position: u32,
    pub person: String,
    /// 0-based slot in the author list (what the store keys people by).
    pub slot: u32,
}

/// One line of a shard's input to `build`: its directory, the label model, people, version groups, and the
/// records (sent last, in order).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuildLine {
    Dir(String),
    Model(String),
    Person(PersonLine),
    Versions(Vec<String>),
    Record(Box<RecordLine>),
}
