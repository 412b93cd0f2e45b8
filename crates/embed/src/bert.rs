//! BERT's forward pass, as all-MiniLM-L6-v2 needs it, over the weights of a safetensors file.
//!
//! Texts are not padded: the tokens of a batch are stacked into one matrix, so the dense layers are single
//! products over every real token, and attention runs per text and head on that text's rows. candle's BERT
//! padded every text of a batch to the longest, masked the padding, and ran its element-wise operations
//! one at a time on one core; this runs them fused and on every core.

use crate::math;
use crate::matmul::{matmul, View};
use rayon::prelude::*;

/// The model's shape, from its `config.json`.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Config {
    pub hidden_size: usize,
    pub num_attention_heads: usize,
    pub num_hidden_layers: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
    #[serde(default = "default_position")]
    pub position_embedding_type: String,
}

fn default_eps() -> f64 {
    1e-12
}
fn default_act() -> String {
    "gelu".into()
}
fn default_position() -> String {
    "absolute".into()
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

/// `y = x Wᵀ + b`, with W stored as the checkpoint has it (`out × in`).
struct Linear {
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
}

struct Layer {
    /// Query, key and value stacked: one product instead of three.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    up: Linear,
    down: Linear,
    out_norm: Norm,
}

pub(crate) struct Bert {
    config: Config,
    vocab: usize,
    words: Vec<f32>,
    positions: Vec<f32>,
    /// Every token is of type 0 (one segment), so only that row is kept.
    type0: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
}

/// The final hidden states of a batch: one row per token, texts one after another.
pub(crate) struct States {
    pub hidden: Vec<f32>,
    /// Where each text's rows start, and one past the last.
    pub starts: Vec<usize>,
    pub dim: usize,
}

impl States {
    /// The rows of text `i`.
    pub fn text(&self, i: usize) -> &[f32] {
        &self.hidden[self.starts[i] * self.dim..self.starts[i + 1] * self.dim]
    }
}

impl Bert {
    /// The model of `config` from the safetensors bytes `weights`; the error says which tensor is missing or
    /// has the wrong shape or type.
    pub fn load(config: Config, weights: &[u8]) -> Result<Bert, String> {
        if config.hidden_act != "gelu" {
            return Err(format!("activation {:?} is not supported (only gelu)", config.hidden_act));
        }
        if config.position_embedding_type != "absolute" {
            return Err(format!("position embeddings {:?} are not supported", config.position_embedding_type));
        }
        let (h, inter) = (config.hidden_size, config.intermediate_size);
        if config.num_attention_heads == 0 || h % config.num_attention_heads != 0 {
            return Err(format!("{h} hidden units do not split into {} heads", config.num_attention_heads));
        }
        let file = safetensors::SafeTensors::deserialize(weights).map_err(|e| e.to_string())?;
        // Checkpoints name their tensors with or without a `bert.` prefix.
        let prefix = if file.names().iter().any(|n| n.starts_with("bert.")) { "bert." } else { "" };
        let tensor = |name: &str, shape: &[usize]| -> Result<Vec<f32>, String> {
            let full = format!("{prefix}{name}");
            let t = file.tensor(&full).map_err(|_| format!("tensor {full} is missing"))?;
            if t.dtype() != safetensors::Dtype::F32 {
                return Err(format!("tensor {full} is {:?}; only F32 is supported", t.dtype()));
            }
            if t.shape() != shape {
                return Err(format!("tensor {full} has shape {:?}, expected {shape:?}", t.shape()));
            }
            Ok(t.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
        };
        let norm = |name: &str| -> Result<Norm, String> {
            Ok(Norm { weight: tensor(&format!("{name}.weight"), &[h])?, bias: tensor(&format!("{name}.bias"), &[h])? })
        };
        let linear = |name: &str, out: usize, inputs: usize| -> Result<Linear, String> {
            Ok(Linear {
                weight: tensor(&format!("{name}.weight"), &[out, inputs])?,
                bias: tensor(&format!("{name}.bias"), &[out])?,
                inputs,
            })
        };
        let words_view = file.tensor(&format!("{prefix}embeddings.word_embeddings.weight"));
        let vocab =
            words_view.map(|t| t.shape()[0]).map_err(|_| "tensor embeddings.word_embeddings.weight is missing")?;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for l in 0..config.num_hidden_layers {
            let at = |part: &str| format!("encoder.layer.{l}.{part}");
            let (q, k, v) = (
                linear(&at("attention.self.query"), h, h)?,
                linear(&at("attention.self.key"), h, h)?,
                linear(&at("attention.self.value"), h, h)?,
            );
            let qkv = Linear {
                weight: [q.weight, k.weight, v.weight].concat(),
                bias: [q.bias, k.bias, v.bias].concat(),
                inputs: h,
            };
            layers.push(Layer {
                qkv,
                attention_out: linear(&at("attention.output.dense"), h, h)?,
                attention_norm: norm(&at("attention.output.LayerNorm"))?,
                up: linear(&at("intermediate.dense"), inter, h)?,
                down: linear(&at("output.dense"), h, inter)?,
                out_norm: norm(&at("output.LayerNorm"))?,
            });
        }
        let types = tensor("embeddings.token_type_embeddings.weight", &[file_rows(&file, prefix)?, h])?;
        Ok(Bert {
            words: tensor("embeddings.word_embeddings.weight", &[vocab, h])?,
            positions: tensor("embeddings.position_embeddings.weight", &[config.max_position_embeddings, h])?,
            type0: types[..h].to_vec(),
            embedding_norm: norm("embeddings.LayerNorm")?,
            layers,
            vocab,
            config,
        })
    }

    pub fn dim(&self) -> usize {
        self.config.hidden_size
    }

    /// Token ids the embedding table has rows for.
    pub fn vocab(&self) -> usize {
        self.vocab
    }

    /// Longest text the position table allows.
    pub fn max_tokens(&self) -> usize {
        self.config.max_position_embeddings
    }

    /// The final hidden states of `texts` (token ids below [`Bert::vocab`], at most [`Bert::max_tokens`]
    /// each; longer texts are cut there).
    pub fn forward(&self, texts: &[&[u32]]) -> States {
        let h = self.config.hidden_size;
        let eps = self.config.layer_norm_eps as f32;
        let threads = rayon::current_num_threads();
        let mut starts = Vec::with_capacity(texts.len() + 1);
        starts.push(0);
        for t in texts {
            starts.push(starts.last().unwrap() + t.len().min(self.max_tokens()));
        }
        let tokens = *starts.last().unwrap();
        let mut x = vec![0f32; tokens * h];
        for (i, t) in texts.iter().enumerate() {
            let rows = &mut x[starts[i] * h..starts[i + 1] * h];
            for (p, (row, &id)) in rows.chunks_mut(h).zip(t.iter()).enumerate() {
                let id = (id as usize).min(self.vocab - 1);
                let (word, pos) = (&self.words[id * h..(id + 1) * h], &self.positions[p * h..(p + 1) * h]);
                for (j, v) in row.iter_mut().enumerate() {
                    *v = word[j] + pos[j] + self.type0[j];
                }
            }
        }
        let n = &self.embedding_norm;
        rows_par(&mut x, h).for_each(|rows| {
            rows.chunks_mut(h).for_each(|row| math::norm_row(row, &n.weight, &n.bias, eps));
        });
        let (mut qkv, mut context, mut y, mut up) = (Vec::new(), vec![0f32; tokens * h], Vec::new(), Vec::new());
        for layer in &self.layers {
            layer.qkv.apply(&x, tokens, &mut qkv, threads);
            self.attention(&qkv, &starts, &mut context);
            layer.attention_out.apply(&context, tokens, &mut y, threads);
            add_norm_par(&mut y, &x, &layer.attention_norm, eps);
            std::mem::swap(&mut x, &mut y);
            layer.up.apply(&x, tokens, &mut up, threads);
            rows_par(&mut up, self.config.intermediate_size).for_each(math::gelu);
            layer.down.apply(&up, tokens, &mut y, threads);
            add_norm_par(&mut y, &x, &layer.out_norm, eps);
            std::mem::swap(&mut x, &mut y);
        }
        States { hidden: x, starts, dim: h }
    }

    /// Scaled dot-product attention of every text and head; `qkv` holds each token's query, key and value.
    fn attention(&self, qkv: &[f32], starts: &[usize], context: &mut [f32]) {
        let h = self.config.hidden_size;
        let heads = self.config.num_attention_heads;
        let d = h / heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut pieces = Vec::with_capacity(starts.len());
        let mut rest = context;
        for w in starts.windows(2) {
            let (piece, tail) = rest.split_at_mut((w[1] - w[0]) * h);
            pieces.push((w[0], w[1] - w[0], piece));
            rest = tail;
        }
        pieces.into_par_iter().for_each_init(Vec::new, |scores, (start, len, out)| {
            let rows = &qkv[start * 3 * h..(start + len) * 3 * h];
            scores.resize(len * len, 0.0);
            for head in 0..heads {
                let q = View::rows(&rows[head * d..], len, d, 3 * h);
                let k = View::transposed(&rows[h + head * d..], len, d, 3 * h);
                matmul(scores, len, q, k, false, 1);
                math::softmax_rows(scores, len, scale);
                let v = View::rows(&rows[2 * h + head * d..], len, d, 3 * h);
                matmul(&mut out[head * d..], h, View::rows(scores, len, len, len), v, false, 1);
            }
        });
    }
}

impl Linear {
    /// `out = x Wᵀ + b` for the `rows` rows of `x`.
    fn apply(&self, x: &[f32], rows: usize, out: &mut Vec<f32>, threads: usize) {
        let width = self.bias.len();
        out.clear();
        out.reserve(rows * width);
        for _ in 0..rows {
            out.extend_from_slice(&self.bias);
        }
        let w = View::transposed(&self.weight, width, self.inputs, self.inputs);
        matmul(out, width, View::rows(x, rows, self.inputs, self.inputs), w, true, threads);
    }
}

/// `xs` in blocks of whole rows, for rayon.
fn rows_par(xs: &mut [f32], width: usize) -> rayon::slice::ChunksMut<'_, f32> {
    xs.par_chunks_mut(width * 32)
}

fn add_norm_par(xs: &mut [f32], residual: &[f32], norm: &Norm, eps: f32) {
    let width = norm.weight.len();
    xs.par_chunks_mut(width * 32)
        .zip(residual.par_chunks(width * 32))
        .for_each(|(x, r)| math::add_norm(x, r, &norm.weight, &norm.bias, eps));
}

/// Rows of the token-type table (2 for BERT; some checkpoints have 1).
fn file_rows(file: &safetensors::SafeTensors, prefix: &str) -> Result<usize, String> {
    let name = format!("{prefix}embeddings.token_type_embeddings.weight");
    file.tensor(&name).map(|t| t.shape()[0].max(1)).map_err(|_| format!("tensor {name} is missing"))
}
