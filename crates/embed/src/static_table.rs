//! The fast path: a static embedding table distilled from the transformer (as model2vec does). Every
//! vocabulary token is run once through the model as a one-token sentence; a text's vector is then the
//! weighted mean of its tokens' vectors, looked up rather than computed: thousands of works a second
//! where the transformer manages a few, at some cost in quality (docs/semantic.md has both figures).
//!
//! Weights follow SIF (Arora et al., 2017) with Zipf's law standing in for token frequencies: BERT's
//! uncased vocabulary lists whole words from "the" on roughly by frequency, so a token's rank there gives
//! p(token) ≈ 1 / (rank · ln V) and its weight a / (a + p): "the" counts a hundredth of a rare word.
//! The table is centred (its weighted mean removed): every one-token sentence shares the [CLS]/[SEP]
//! part, which would otherwise dominate each pooled text.

use crate::model::Transformer;
use crate::wordpiece::WordPiece;
use crate::EmbedError;
use std::io::{Read, Write};
use std::path::Path;

/// SIF's smoothing constant.
const SIF_A: f32 = 1e-3;
/// One-token sentences run through the model together while distilling.
const DISTILL_BATCH: usize = 512;
/// Tokens read per text (far more than the transformer's 256: a lookup costs nothing).
const MAX_TOKENS: usize = 1024;
const MAGIC: &[u8; 8] = b"ARROWSTE";

pub struct StaticTable {
    tokenizer: WordPiece,
    dim: usize,
    /// `vocab × dim`, centred.
    table: Vec<f32>,
    weights: Vec<f32>,
}

impl StaticTable {
    /// Runs every token of the model's vocabulary through it (a minute or two on 2 cores).
    pub fn distill(model: Transformer) -> Result<StaticTable, EmbedError> {
        let vocab = model.tokenizer().vocab_size();
        let dim = model.dim();
        let (cls, sep) = (model.tokenizer().cls, model.tokenizer().sep);
        let mut table = Vec::with_capacity(vocab * dim);
        let ids: Vec<u32> = (0..vocab as u32).collect();
        for chunk in ids.chunks(DISTILL_BATCH) {
            let rows: Vec<[u32; 3]> = chunk.iter().map(|&t| [cls, t, sep]).collect();
            let batch: Vec<&[u32]> = rows.iter().map(|r| r.as_slice()).collect();
            let rows = if std::env::var_os("ARROW_STATIC_POOLED").is_some() {
                model.encode_batch(&batch)
            } else {
                model.states_at(&batch, 1)
            };
            for v in rows {
                table.extend(v);
            }
        }
        let weights = zipf_weights(model.tokenizer(), vocab);
        let mut mean = vec![0f32; dim];
        let total: f32 = weights.iter().sum();
        for (t, w) in weights.iter().enumerate() {
            for (m, x) in mean.iter_mut().zip(&table[t * dim..(t + 1) * dim]) {
                *m += w * x / total;
            }
        }
        for row in table.chunks_mut(dim) {
            for (x, m) in row.iter_mut().zip(&mean) {
                *x -= m;
            }
        }
        Ok(StaticTable { tokenizer: model.into_tokenizer(), dim, table, weights })
    }

    /// The table saved by [`StaticTable::save`] for the model whose vocabulary is `vocab_file`.
    pub fn open(path: &Path, vocab_file: &Path) -> Result<Option<StaticTable>, EmbedError> {
        let mut bytes = Vec::new();
        match std::fs::File::open(path) {
            Ok(mut f) => f.read_to_end(&mut bytes).map_err(|e| EmbedError::io(path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(EmbedError::io(path, e)),
        };
        let corrupt = |reason: &str| EmbedError::Corrupt { path: path.display().to_string(), reason: reason.into() };
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(corrupt("not an Arrow static embedding table"));
        }
        let word = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap_or_default()) as usize;
        let (vocab, dim) = (word(8), word(12));
        let floats: Vec<f32> =
            bytes[16..].chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap_or_default())).collect();
        if floats.len() != vocab * (dim + 1) {
            return Err(corrupt("cut short"));
        }
        let tokenizer = WordPiece::from_file(vocab_file)?;
        if tokenizer.vocab_size() != vocab {
            return Err(corrupt("made from another vocabulary"));
        }
        let (table, weights) = floats.split_at(vocab * dim);
        Ok(Some(StaticTable { tokenizer, dim, table: table.to_vec(), weights: weights.to_vec() }))
    }

    pub fn save(&self, path: &Path) -> Result<(), EmbedError> {
        let tmp = path.with_extension("tmp");
        let write = || -> std::io::Result<()> {
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            w.write_all(MAGIC)?;
            w.write_all(&(self.weights.len() as u32).to_le_bytes())?;
            w.write_all(&(self.dim as u32).to_le_bytes())?;
            for x in self.table.iter().chain(&self.weights) {
                w.write_all(&x.to_le_bytes())?;
            }
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| EmbedError::io(path, e))
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The unit vector of `text`: its tokens' weighted mean.
    pub fn encode(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0f32; self.dim];
        let ids = self.tokenizer.encode(text, MAX_TOKENS);
        for &t in ids.iter().filter(|&&t| t != self.tokenizer.cls && t != self.tokenizer.sep) {
            let t = t as usize;
            let w = self.weights[t];
            for (x, y) in v.iter_mut().zip(&self.table[t * self.dim..(t + 1) * self.dim]) {
                *x += w * y;
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        v
    }
}

/// SIF weights from each token's rank among the vocabulary's words (see the module comment). Tokens before
/// "the" (padding, unused slots, single characters) rank as the most frequent.
fn zipf_weights(tokenizer: &WordPiece, vocab: usize) -> Vec<f32> {
    let first_word = tokenizer.id("the").map_or(0, |id| id as usize);
    let ln_v = (vocab.max(2) as f32).ln();
    (0..vocab)
        .map(|t| {
            let rank = t.saturating_sub(first_word) + 1;
            let p = 1.0 / (rank as f32 * ln_v);
            SIF_A / (SIF_A + p)
        })
        .collect()
}
