//! The per-partition stages of Arrow's distributed batch pipeline (`spark/job.py` runs them on Apache Spark).
//!
//! Each stage reads JSON lines on standard input and writes JSON lines on standard output, so that Spark's
//! `RDD.pipe` can run it over one partition; Spark does the partitioning, shuffles and joins, and every
//! decision about the data is made here, by the same code as single-node Arrow:
//!
//! | stage | reads | writes | single-node code it runs |
//! |---|---|---|---|
//! | [`parse`] | `FILE_INDEX<TAB>PATH` lines | records with their order and identifiers | the ingest parsers |
//! | [`merge`] | the records of whole identifier components | the works they make | the store's upsert |
//! | [`mentions`] | works | authorships with their block key | the disambiguation's mentions |
//! | [`people`] | mentions of whole batches, in order | a person per authorship | `arrow_disambig::disambiguate` |
//! | [`reading_names`] / [`readings`] / [`rename`] | all names / the mentions of people holding names that read as another / all people | those names / people joined / people as joined | `arrow_engine::join_readings` |
//! | [`curate`] / [`relabel`] | the people of curated works / all people | labels / people as curated | `CuratedLabels` |
//! | [`version_keys`] / [`version_links`] | works / title buckets | pairs of versions | the version rule |
//! | [`build`] | one shard's records, people and versions | a complete data directory | ingest, index |
//!
//! A record's *order* is `file index << 40 | record index`: single-node Arrow stores the inputs in that order,
//! which decides a merged work's id and the order of mentions in a disambiguation batch. Carrying it keeps the
//! distributed result equal to the single-node one.

mod build;
mod curate;
mod error;
mod lines;
mod readings;
mod stages;

pub use build::build;
pub use curate::{curate, relabel, CurationLabels};
pub use error::BatchError;
pub use lines::{order_of, BuildLine, MentionLine, PersonLine, RecordLine, WorkLine};
pub use readings::{reading_names, readings, rename, Renames};
pub use stages::{
    dump_people, dump_versions, dump_works, mentions, merge, parse, people, settings, version_keys, version_links,
};
