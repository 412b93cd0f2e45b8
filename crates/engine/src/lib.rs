//! Arrow's library facade: one data directory holding the store (source of truth) and the search index
//! (derived), and the operations the CLI and the server share.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let arrow = arrow_engine::Arrow::open(dir.path()).unwrap();
//! arrow.load_demo().unwrap();
//! let cluster = arrow.name_cluster("christopher ré").unwrap();
//! assert_eq!(cluster.works.len(), 107);
//! let page = arrow.search(&arrow_engine::SearchRequest::query("hyena hierarchy")).unwrap();
//! assert!(page.total >= 1);
//! ```

mod arrivals;
mod assign;
mod check;
mod curate;
mod dblp_ids;
mod error;
mod eval;
mod hybrid;
mod ids;
mod import;
mod ingest;
mod leaf;
mod local_ids;
mod mode;
mod people;
mod read;
mod readings;
mod replay;
mod search;
mod semantic;
mod split;
mod sync;
mod versions;
mod wire;

pub use arrow_disambig::{same_name, Explanation};
pub use arrow_index::{
    merge_facets, FacetCount, Facets, Filters, IndexError, Plan, SearchRequest, SearchResult, ShardHit, ShardHits,
    ShardPrep, Snippet, Sort, Span, TermStats,
};
pub use arrow_query::YearRange;
pub use arrow_store::PersonDetails;
pub use arrow_store::{sort_for_cluster, NameCluster, Stats};
pub use check::CheckReport;
pub use curate::{place_of, utc, Correction, CurateError, CuratedLabels, Curation, CurationConflict, Undo};
pub use error::{EngineError, ErrorKind};
pub use eval::{mrr_at, ndcg_at, parse_judgements, recall_at, EvalScores, JudgedQuery, JudgementError, EVAL_DEPTH};
pub use hybrid::{combine, fuse, FUSION_DEPTH, LEXICAL_WEIGHT, RRF_K, STATIC_LEXICAL_WEIGHT};
pub use import::PersonRow;
pub use ingest::{IngestOptions, IngestReport, Progress, Timings, DEFAULT_BATCH, PLACE_PEOPLE_UP_TO};
pub use mode::{is_natural_language, SearchMode, UnknownMode};
pub use people::{
    batch_of, evaluate_assignment, is_partial_name, max_block_mentions, sub_block, sub_block_part, tell_apart,
    work_mentions, CoauthorPerson, DisambigReport, EvalReport, MentionRef, PeopleFitting, PersonFit, PersonProfile,
    PersonSummary, SourceIdConflict, DISAMBIG_BATCH, MAX_BLOCK_MENTIONS, SUB_BLOCK_PARTS,
};
pub use read::Engine;
pub use readings::{involved_names, join_readings, Authorship};
pub use replay::ReplayReport;
pub use search::{
    settled, AuthorSuggestion, Highlight, SearchHit, SearchPage, TitleSuggestion, MAX_PAGE, MAX_SUGGESTIONS,
};
pub use semantic::{EmbedReport, VECTORS_FILE};
pub use split::{shard_of, ShardReport};
pub use versions::{
    bucket_compared, hash_key, links as version_links, version_keys, Candidate, VersionRef, VersionsReport,
};
pub use wire::ShardCall;

use arrow_index::SearchIndex;
use arrow_model::Work;
use arrow_store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The bundled demo corpus: the seed page's papers as canonical JSON lines.
pub const DEMO_CORPUS: &str = include_str!("../../../data/demo/christopher-re.jsonl");

/// An open data directory.
pub struct Arrow {
    dir: PathBuf,
    /// A read-only connection for what searches and work pages read, so that they go on while an ingest holds
    /// `store` for a transaction (an API ingest's first 20,000 works held it for half a minute). Declared first to
    /// be closed first: the last connection to close checkpoints the write-ahead log and removes it, which a
    /// read-only one cannot do.
    reader: Mutex<Store>,
    store: Mutex<Store>,
    index: SearchIndex,
    /// Author suggestions of short prefixes (those read many names), for one store sequence.
    name_cache: Mutex<(i64, std::collections::HashMap<String, Vec<arrow_store::NameCount>>)>,
    /// Work vectors and the query encoder, loaded on first use.
    semantic: semantic::Semantic,
    /// The last placement of papers stored after splits, by what it was computed from (see `arrivals.rs`).
    arrivals_memo: Mutex<Option<arrivals::Memo>>,
}

impl Arrow {
    /// Opens (creating if needed) the data directory, and brings the index up to date with the store
    /// if an earlier run stopped between committing to the store and committing to the index.
    pub fn open(dir: &Path) -> Result<Arrow, EngineError> {
        std::fs::create_dir_all(dir).map_err(|e| EngineError::Io { path: dir.display().to_string(), source: e })?;
        let store = Store::open(&dir.join("arrow.sqlite"))?;
        let reader = Store::open_read_only(&dir.join("arrow.sqlite"))?;
        let index = SearchIndex::open(&dir.join("index"))?;
        let arrow = Arrow {
            dir: dir.to_path_buf(),
            store: Mutex::new(store),
            reader: Mutex::new(reader),
            index,
            name_cache: Mutex::default(),
            semantic: Default::default(),
            arrivals_memo: Mutex::default(),
        };
        match arrow.catch_up() {
            // Another process (an ingest) holds the index writer and will bring the index up to date
            // itself; a reader opened meanwhile serves what is committed.
            Err(EngineError::Index(arrow_index::IndexError::Locked)) => {
                tracing::info!("index is being written by another process; serving what is committed")
            }
            other => other?,
        }
        Ok(arrow)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back), so a
        // poisoned lock is still safe to use.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The read-only connection (see `reader`): it sees every committed transaction, none in progress.
    pub(crate) fn reader(&self) -> MutexGuard<'_, Store> {
        self.reader.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn stats(&self) -> Result<Stats, EngineError> {
        Ok(self.store().stats()?)
    }

    /// Store keys to work ids, in order (for tools that compare ranked lists).
    pub fn ids_of(&self, keys: &[i64]) -> Result<Vec<String>, EngineError> {
        Ok(self.reader().works_by_keys(keys)?.into_iter().map(|(_, w)| w.id.0).collect())
    }

    pub fn work(&self, id: &str) -> Result<Option<Work>, EngineError> {
        Ok(self.reader().work(id)?.map(|(_, w)| w))
    }

    /// Calls `f` with every stored work in store order, one at a time (for exports). Holds the store
    /// for the whole walk.
    pub fn for_each_work(&self, mut f: impl FnMut(Work)) -> Result<(), EngineError> {
        Ok(self.store().for_each_work(|_, w| f(w))?)
    }

    /// The seed page's grouping: works with an author of exactly this name, ignoring case.
    pub fn name_cluster(&self, name: &str) -> Result<NameCluster, EngineError> {
        Ok(self.store().name_cluster(name)?)
    }

    /// Loads the bundled demo corpus if the store is empty; returns how many works were added.
    pub fn load_demo(&self) -> Result<usize, EngineError> {
        if self.stats()?.works > 0 {
            return Ok(0);
        }
        let records = arrow_ingest::parse_reader(arrow_ingest::Format::Jsonl, "demo", DEMO_CORPUS.as_bytes())?;
        let report = self.ingest_records(records, &IngestOptions::default(), &ingest::NoProgress)?;
        Ok(report.added)
    }
}
