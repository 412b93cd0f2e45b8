//! The transformer's element-wise functions, written so the compiler vectorises them: no calls into libm,
//! no branches (a libm `expf` or `erff` per element was a fifth of candle's time).

const LOG2E: f32 = std::f32::consts::LOG2_E;

/// e^x, relative error below 2e-7 (Cephes' `expf` polynomial); inputs are clamped to [-87, 88].
#[inline(always)]
pub(crate) fn exp(x: f32) -> f32 {
    // 1.5 × 2^23: adding and subtracting it rounds to the nearest integer without a rounding instruction.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * LOG2E + ROUND;
    let n = t - ROUND;
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 1.666_666_5e-1)
        * r
        + 0.5;
    let e = p * r * r + r + 1.0;
    // 2^n from t's bits, which hold n in their low end: `n as i32` would be a saturating conversion, one
    // value at a time.
    let biased = t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127);
    e * f32::from_bits(biased << 23)
}

/// erf(x), absolute error below 5e-7 (Abramowitz and Stegun 7.1.26: 1.5e-7, plus rounding in f32).
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = ((((1.061_405_4 * t - 1.453_152) * t + 1.421_413_8) * t - 0.284_496_74) * t + 0.254_829_6) * t;
    (1.0 - poly * exp(-a * a)).copysign(x)
}

/// GELU as BERT defines it, with erf (not the tanh approximation), in place.
pub(crate) fn gelu(xs: &mut [f32]) {
    for x in xs {
        *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// Each row of `scores` (rows `width` long) becomes softmax(row × scale).
pub(crate) fn softmax_rows(scores: &mut [f32], width: usize, scale: f32) {
    for row in scores.chunks_mut(width) {
        let max = max(row);
        // Separate passes: a running sum inside this loop would keep it from being vectorised.
        for x in row.iter_mut() {
            *x = exp((*x - max) * scale);
        }
        let inv = 1.0 / sum(row);
        for x in row.iter_mut() {
            *x *= inv;
        }
    }
}

/// Each row (`weight.len()` long) of `xs` becomes LayerNorm(row + the same row of `residual`).
pub(crate) fn add_norm(xs: &mut [f32], residual: &[f32], weight: &[f32], bias: &[f32], eps: f32) {
    let width = weight.len();
    for (row, res) in xs.chunks_mut(width).zip(residual.chunks(width)) {
        for (x, r) in row.iter_mut().zip(res) {
            *x += r;
        }
        norm_row(row, weight, bias, eps);
    }
}

/// LayerNorm of one row, in place.
pub(crate) fn norm_row(row: &mut [f32], weight: &[f32], bias: &[f32], eps: f32) {
    let n = row.len() as f32;
    let mean = sum(row) / n;
    let var = row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / n;
    let inv = 1.0 / (var + eps).sqrt();
    for ((x, w), b) in row.iter_mut().zip(weight).zip(bias) {
        *x = (*x - mean) * inv * w + b;
    }
}

/// A sum in eight lanes, so it vectorises (a plain fold must keep the sequential order).
fn sum(xs: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let chunks = xs.chunks_exact(8);
    let tail: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        for (l, x) in lanes.iter_mut().zip(c) {
            *l += x;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// The largest value, in eight lanes like [`sum`].
fn max(xs: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; 8];
    let chunks = xs.chunks_exact(8);
    let tail = chunks.remainder().iter().fold(f32::NEG_INFINITY, |m, &x| if x > m { x } else { m });
    for c in chunks {
        for (l, &x) in lanes.iter_mut().zip(c) {
            *l = if x > *l { x } else { *l };
        }
    }
    lanes.iter().fold(tail, |m, &x| if x > m { x } else { m })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_erf_match_the_standard_library() {
        for i in -2000..=2000 {
            let x = i as f32 * 0.04;
            let (got, want) = (exp(x), (x as f64).exp());
            assert!(((got as f64 - want) / want).abs() < 3e-7, "exp({x}) = {got}, want {want}");
            let want = if x.abs() <= 3.0 { erf_series(x as f64) } else { (x as f64).signum() };
            // Beyond 3, erf is within erfc(3) = 2.2e-5 of ±1.
            let tolerance = if x.abs() <= 3.0 { 5e-7 } else { 2.3e-5 };
            assert!((erf(x) as f64 - want).abs() < tolerance, "erf({x}) = {}, want {want}", erf(x));
        }
        assert_eq!(exp(-1000.0), exp(-87.0));
        assert!(exp(-87.0) > 0.0);
    }

    /// erf in f64 by its Taylor series, exact to 1e-12 for |x| ≤ 3: the test's own yardstick.
    fn erf_series(x: f64) -> f64 {
        let (mut term, mut total) = (x, x);
        for n in 1..200 {
            term *= -x * x / n as f64;
            total += term / (2 * n + 1) as f64;
        }
        total * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn softmax_and_norm_rows() {
        let mut s = vec![1.0, 2.0, 3.0, 0.0, 0.0, 0.0];
        softmax_rows(&mut s, 3, 0.5);
        let z: f32 = [0.5f32, 1.0, 1.5].iter().map(|x| x.exp()).sum();
        assert!((s[2] - 1.5f32.exp() / z).abs() < 1e-6);
        assert!((s[3] - 1.0 / 3.0).abs() < 1e-6);
        let mut row = vec![1.0, 2.0, 3.0, 6.0];
        add_norm(&mut row, &[1.0, 0.0, -1.0, -2.0], &[1.0; 4], &[0.5; 4], 0.0);
        // row + residual = 2, 2, 2, 4: mean 2.5, variance 0.75.
        let want = [
            -0.5 / 0.75f32.sqrt() + 0.5,
            -0.5 / 0.75f32.sqrt() + 0.5,
            -0.5 / 0.75f32.sqrt() + 0.5,
            1.5 / 0.75f32.sqrt() + 0.5,
        ];
        for (g, w) in row.iter().zip(want) {
            assert!((g - w).abs() < 1e-5, "{row:?}");
        }
    }
}
