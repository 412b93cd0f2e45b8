//! Work vectors: computed by `arrow embed` into `vectors/` of the data directory, read by semantic and
//! hybrid searches. Derived data beside the index, outside the store: deleting `vectors/` only costs
//! embedding again. The model folder given to `arrow embed` is remembered there (`vectors/model-path`), so
//! searches can embed queries with the same model; `ARROW_MODEL` overrides it.

use crate::{Arrow, EngineError, SearchRequest};
use arrow_embed::{text_hash, work_text, Encoder, Vectors};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The vector file, under the data directory.
pub const VECTORS_FILE: &str = "vectors/minilm.vec";
const MODEL_PATH_FILE: &str = "vectors/model-path";
/// The vector file is saved once both this many works and [`SAVE_INTERVAL`] have passed since the last save.
const SAVE_EVERY: usize = 2048;
const SAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Loaded vectors (reloaded when the file changes) and the query encoder (loaded on first use).
#[derive(Default)]
pub(crate) struct Semantic {
    vectors: Mutex<Option<(SystemTime, Arc<Vectors>)>>,
    encoder: Mutex<Option<Arc<Encoder>>>,
}

/// What `arrow embed` did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EmbedReport {
    /// Works in the store.
    pub works: usize,
    /// Works whose vector was computed now (new, or their title or abstract changed).
    pub embedded: usize,
    /// Works whose stored vector was kept: their text is unchanged.
    pub unchanged: usize,
    /// Vectors dropped because their work is gone.
    pub removed: usize,
    /// Groups of the approximate nearest-neighbour index (0: too few vectors to need one; searches scan).
    pub ann_groups: usize,
}

impl Arrow {
    /// Computes the vector of every work whose title and abstract changed since its last vector (all of
    /// them the first time), with the model in `model` (else the one used last time), and drops the
    /// vectors of deleted works. `progress(done, todo)` is called after each batch.
    /// `fast` chooses the static table distilled from the model (see `arrow_embed::StaticTable`) over the
    /// transformer; `None` keeps the last choice (the transformer the first time).
    pub fn embed(
        &self,
        model: Option<&Path>,
        fast: Option<bool>,
        progress: &dyn Fn(usize, usize),
    ) -> Result<EmbedReport, EngineError> {
        let (remembered, was_fast) = self.model_choice();
        let fast = fast.unwrap_or(was_fast);
        let dir = match model {
            Some(dir) => std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
            None => remembered.ok_or(EngineError::NoModel)?,
        };
        let encoder = Arc::new(self.load_encoder(&dir, fast)?);
        let path = self.dir().join(VECTORS_FILE);
        let mut vectors = match Vectors::open(&path)? {
            Some(v) if v.dim() == encoder.dim() => v,
            _ => Vectors::new(encoder.dim()),
        };
        let mut todo: Vec<(i64, u64, String)> = Vec::new();
        let mut keys = std::collections::HashSet::new();
        self.store().for_each_work(|key, w| {
            keys.insert(key);
            let text = work_text(&w.title, w.abstract_text.as_deref());
            let hash = text_hash(&format!("{}\0{text}", encoder.kind()));
            if vectors.hash_of(key) != Some(hash) {
                todo.push((key, hash, text));
            }
        })?;
        let before = vectors.len();
        vectors.retain(|k| keys.contains(&k));
        let mut report = EmbedReport {
            works: keys.len(),
            embedded: todo.len(),
            unchanged: keys.len() - todo.len(),
            removed: before - vectors.len(),
            ann_groups: 0,
        };
        let file = self.dir().join(MODEL_PATH_FILE);
        let choice = format!("{}\n{}\n", dir.display(), encoder.kind());
        std::fs::create_dir_all(file.parent().unwrap_or(self.dir()))
            .and_then(|()| std::fs::write(&file, choice))
            .map_err(|e| EngineError::Io { path: file.display().to_string(), source: e })?;
        *self.semantic.encoder.lock().unwrap_or_else(|p| p.into_inner()) = Some(encoder.clone());
        let mut done = 0;
        let mut saved = (0, std::time::Instant::now());
        progress(0, todo.len());
        for batch in todo.chunks(encoder.batch()) {
            let texts: Vec<&str> = batch.iter().map(|(_, _, t)| t.as_str()).collect();
            for ((key, hash, _), v) in batch.iter().zip(encoder.encode(&texts)?) {
                vectors.put(*key, *hash, &v);
            }
            done += batch.len();
            progress(done, todo.len());
            // Each save rewrites the whole file: often enough that a killed run loses little, rarely enough
            // that a fast encoder over millions of works is not spent writing.
            if done - saved.0 >= SAVE_EVERY && saved.1.elapsed() >= SAVE_INTERVAL {
                vectors.save(&path)?;
                saved = (done, std::time::Instant::now());
            }
        }
        let changed = report.embedded + report.removed > 0;
        if changed || !vectors.is_indexed() {
            report.ann_groups = vectors.index(&path)?;
        } else {
            report.ann_groups = vectors.ann_groups();
        }
        // Saved last, after the index: readers reload when the vector file changes.
        vectors.save(&path)?;
        Ok(report)
    }

    /// The vector of a query text, as searches compute it (for benchmarks).
    pub fn embed_query(&self, q: &str) -> Result<Vec<f32>, EngineError> {
        Ok(self.encoder()?.encode(&[q])?.remove(0))
    }

    /// Recall@`k` of the approximate index against an exact scan, over the vectors of `queries` (for
    /// benchmarks); `None` without an index.
    pub fn ann_recall(&self, queries: &[&str], k: usize) -> Result<Option<f64>, EngineError> {
        let Some(vectors) = self.vectors()? else { return Ok(None) };
        if vectors.ann_groups() == 0 || queries.is_empty() {
            return Ok(None);
        }
        let encoder = self.encoder()?;
        let mut found = 0;
        for q in encoder.encode(queries)? {
            let exact = vectors.nearest_probing(&q, k, usize::MAX, |_| true);
            let approx = vectors.nearest(&q, k, |_| true);
            found += approx.iter().filter(|h| exact.iter().any(|e| e.0 == h.0)).count();
        }
        Ok(Some(found as f64 / (queries.len() * k) as f64))
    }

    /// How many works have a vector.
    pub fn vector_count(&self) -> Result<usize, EngineError> {
        Ok(self.vectors()?.map_or(0, |v| v.len()))
    }

    /// True when the data directory has work vectors.
    pub fn has_vectors(&self) -> bool {
        self.vectors().ok().flatten().is_some_and(|v| !v.is_empty())
    }

    /// The stored vectors, reread when the file has changed since they were loaded.
    pub(crate) fn vectors(&self) -> Result<Option<Arc<Vectors>>, EngineError> {
        let path = self.dir().join(VECTORS_FILE);
        let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) else { return Ok(None) };
        let mut cached = self.semantic.vectors.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, v)) = cached.as_ref() {
            if *at == modified {
                return Ok(Some(v.clone()));
            }
        }
        let Some(v) = Vectors::open(&path)? else { return Ok(None) };
        let v = Arc::new(v);
        *cached = Some((modified, v.clone()));
        Ok(Some(v))
    }

    /// The query encoder: the kind `arrow embed` last used (transformer or static table), from the model of
    /// `ARROW_MODEL`, else the one `arrow embed` last used.
    pub(crate) fn encoder(&self) -> Result<Arc<Encoder>, EngineError> {
        let mut cached = self.semantic.encoder.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = cached.as_ref() {
            return Ok(e.clone());
        }
        let (remembered, fast) = self.model_choice();
        let dir = std::env::var_os("ARROW_MODEL").map(PathBuf::from).or(remembered).ok_or(EngineError::NoModel)?;
        let e = Arc::new(self.load_encoder(&dir, fast)?);
        *cached = Some(e.clone());
        Ok(e)
    }

    /// The model folder and kind `arrow embed` last used (`vectors/model-path`: the folder, then the kind).
    fn model_choice(&self) -> (Option<PathBuf>, bool) {
        let text = std::fs::read_to_string(self.dir().join(MODEL_PATH_FILE)).unwrap_or_default();
        let mut lines = text.lines();
        let dir = lines.next().map(str::trim).filter(|d| !d.is_empty()).map(PathBuf::from);
        (dir, lines.next().map(str::trim) == Some("static"))
    }

    fn load_encoder(&self, dir: &Path, fast: bool) -> Result<Encoder, EngineError> {
        Ok(if fast {
            Encoder::load_static(dir, &self.dir().join("vectors").join(arrow_embed::STATIC_TABLE_FILE))?
        } else {
            Encoder::load(dir)?
        })
    }

    /// The `depth` works nearest to the query text by vector, best first, among those the search's
    /// filters admit (exactly: the index lists them).
    pub(crate) fn semantic_ranking(&self, opts: &SearchRequest, depth: usize) -> Result<Vec<(i64, f32)>, EngineError> {
        let Some(vectors) = self.vectors()? else {
            return Err(EngineError::NoVectors { mode: crate::SearchMode::Semantic });
        };
        let query = self.encoder()?.encode(&[opts.q.as_str()])?.remove(0);
        if opts.filters.is_empty() {
            return Ok(vectors.nearest(&query, depth, |_| true));
        }
        // The index says which works the filters admit, exactly as for lexical results.
        let admitted = self.index().keys_matching(&opts.filters)?;
        Ok(vectors.nearest(&query, depth, |k| admitted.contains(&k)))
    }
}
