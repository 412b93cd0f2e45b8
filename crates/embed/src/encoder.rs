//! The two ways a text becomes a vector: the transformer itself, or the static table distilled from it
//! (the fast path for corpora of millions). Work vectors and query vectors must come from the same one:
//! [`Encoder::kind`] names it, and is part of each work's text hash, so switching re-embeds everything.

use crate::model::{Transformer, BATCH};
use crate::static_table::StaticTable;
use crate::EmbedError;
use std::path::Path;

/// The static table's file name, cached beside the work vectors.
pub const STATIC_TABLE_FILE: &str = "static-table.bin";

pub enum Encoder {
    Transformer(Box<Transformer>),
    Static(StaticTable),
}

impl Encoder {
    /// The transformer from the model folder (see [`Transformer::load`]).
    pub fn load(dir: &Path) -> Result<Encoder, EmbedError> {
        Ok(Encoder::Transformer(Box::new(Transformer::load(dir)?)))
    }

    /// The static table of the model in `dir`, read from `cache` or distilled there on first use.
    pub fn load_static(dir: &Path, cache: &Path) -> Result<Encoder, EmbedError> {
        let vocab = Transformer::files(dir)?.join("vocab.txt");
        if let Some(table) = StaticTable::open(cache, &vocab)? {
            return Ok(Encoder::Static(table));
        }
        let table = StaticTable::distill(Transformer::load(dir)?)?;
        if let Some(parent) = cache.parent() {
            std::fs::create_dir_all(parent).map_err(|e| EmbedError::io(parent, e))?;
        }
        table.save(cache)?;
        Ok(Encoder::Static(table))
    }

    /// `transformer` or `static`.
    pub fn kind(&self) -> &'static str {
        match self {
            Encoder::Transformer(_) => "transformer",
            Encoder::Static(_) => "static",
        }
    }

    pub fn dim(&self) -> usize {
        match self {
            Encoder::Transformer(t) => t.dim(),
            Encoder::Static(s) => s.dim(),
        }
    }

    /// Unit vectors of `texts`, in order.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        match self {
            Encoder::Transformer(t) => t.encode(texts),
            Encoder::Static(s) => Ok(texts.iter().map(|t| s.encode(t)).collect()),
        }
    }

    /// Texts worth handing to [`Encoder::encode`] at once.
    pub fn batch(&self) -> usize {
        match self {
            Encoder::Transformer(_) => BATCH * 4,
            Encoder::Static(_) => 4096,
        }
    }
}
