//! Fellegi–Sunter label model: each signal is a noisy voter with a discrete level; given the latent match /
//! non-match class the signals are conditionally independent. The per-level probabilities `m` (given match) and
//! `u` (given non-match) and the match rate `lambda` are estimated by EM on the unlabeled candidate pairs.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Number of signals compared per pair.
pub const SIGNALS: usize = 6;
/// A level that is unknown (e.g. a missing year); it contributes nothing to the likelihood.
pub const MISSING: u8 = u8::MAX;

/// One pair's signal levels.
pub type Pattern = [u8; SIGNALS];

/// Conditional level probabilities of every signal under match (`m`) and non-match (`u`), and the match rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FsModel {
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub lambda: f64,
}

impl FsModel {
    /// Log-likelihood ratio of one signal at one level.
    pub fn weight(&self, signal: usize, level: u8) -> f64 {
        // A model stored before a signal existed has no row for it: the signal then counts for nothing.
        match (
            self.m.get(signal).and_then(|m| m.get(level as usize)),
            self.u.get(signal).and_then(|u| u.get(level as usize)),
        ) {
            (Some(m), Some(u)) if level != MISSING => (m / u).ln(),
            _ => 0.0,
        }
    }

    /// Sum of the signals' log-likelihood ratios.
    pub fn score(&self, p: &Pattern) -> f64 {
        (0..SIGNALS).map(|s| self.weight(s, p[s])).sum()
    }

    /// Posterior match probability of a pattern under prior match rate `lambda`.
    pub fn probability(&self, p: &Pattern, lambda: f64) -> f64 {
        let lambda = lambda.clamp(1e-6, 1.0 - 1e-6);
        let logit = self.score(p) + (lambda / (1.0 - lambda)).ln();
        1.0 / (1.0 + (-logit).exp())
    }

    /// EM over pattern counts. `self` is the starting point and also the Dirichlet prior (with `prior_strength`
    /// pseudo-pairs per class), which keeps rare levels from collapsing to zero.
    pub fn fit(&self, counts: &HashMap<Pattern, f64>, iterations: usize, prior_strength: f64) -> FsModel {
        self.fit_with(counts, iterations, prior_strength, false)
    }

    /// Like [`FsModel::fit`], but with `fixed_u` the non-match probabilities stay as given (estimated elsewhere,
    /// e.g. from pairs known to be different people) and only `m` and `lambda` are learned.
    pub fn fit_with(
        &self,
        counts: &HashMap<Pattern, f64>,
        iterations: usize,
        prior_strength: f64,
        fixed_u: bool,
    ) -> FsModel {
        let mut cur = self.clone();
        let total: f64 = counts.values().sum();
        if total <= 0.0 {
            return cur;
        }
        let mut items: Vec<(&Pattern, &f64)> = counts.iter().collect();
        items.sort_by(|a, b| a.0.cmp(b.0));
        for _ in 0..iterations {
            let mut mm: Vec<Vec<f64>> = self.m.iter().map(|v| v.iter().map(|x| x * prior_strength).collect()).collect();
            let mut uu: Vec<Vec<f64>> = self.u.iter().map(|v| v.iter().map(|x| x * prior_strength).collect()).collect();
            let mut matches = 0.0;
            for (p, &c) in &items {
                let g = cur.probability(p, cur.lambda);
                matches += g * c;
                for s in 0..SIGNALS {
                    if p[s] != MISSING {
                        mm[s][p[s] as usize] += g * c;
                        uu[s][p[s] as usize] += (1.0 - g) * c;
                    }
                }
            }
            let norm = |v: &mut Vec<f64>| {
                let t: f64 = v.iter().sum();
                for x in v.iter_mut() {
                    *x = (*x / t).max(1e-9);
                }
            };
            mm.iter_mut().for_each(norm);
            uu.iter_mut().for_each(norm);
            if fixed_u {
                uu = self.u.clone();
            }
            let lambda = (matches / total).clamp(1e-4, 1.0 - 1e-4);
            let done = (lambda - cur.lambda).abs() < 1e-7;
            cur = FsModel { m: mm, u: uu, lambda };
            if done {
                break;
            }
        }
        cur
    }

    /// Level distributions of known non-matching pairs, with `pseudo` added to every level; signals whose
    /// levels never occur keep `fallback`'s distribution.
    pub fn u_from_negatives(negatives: &HashMap<Pattern, f64>, pseudo: f64, fallback: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let mut u: Vec<Vec<f64>> = fallback.iter().map(|v| vec![0.0; v.len()]).collect();
        for (p, &c) in negatives {
            for s in 0..SIGNALS {
                if p[s] != MISSING {
                    u[s][p[s] as usize] += c;
                }
            }
        }
        for (s, v) in u.iter_mut().enumerate() {
            let t: f64 = v.iter().sum();
            if t <= 0.0 {
                v.clone_from(&fallback[s]);
                continue;
            }
            let t = t + pseudo * v.len() as f64;
            for x in v.iter_mut() {
                *x = (*x + pseudo) / t;
            }
        }
        u
    }

    /// The match rate of one block with `m`/`u` held fixed, shrunk towards the global rate with `shrink`
    /// pseudo-pairs.
    pub fn block_lambda(&self, patterns: &[Pattern], shrink: f64) -> f64 {
        let n = patterns.len() as f64;
        let mut lambda = self.lambda;
        for _ in 0..15 {
            let s: f64 = patterns.iter().map(|p| self.probability(p, lambda)).sum();
            let next = ((s + shrink * self.lambda) / (n + shrink)).clamp(1e-4, 1.0 - 1e-4);
            if (next - lambda).abs() < 1e-6 {
                return next;
            }
            lambda = next;
        }
        lambda
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn em_recovers_three_voters() {
        // Three binary voters, each 90% accurate, on 30% matches among 1000 pairs.
        let mut counts: HashMap<Pattern, f64> = HashMap::new();
        for bits in 0..8u8 {
            let lv = [bits & 1, (bits >> 1) & 1, (bits >> 2) & 1];
            let pm: f64 = lv.iter().map(|&l| if l == 1 { 0.9 } else { 0.1 }).product();
            let pu: f64 = lv.iter().map(|&l| if l == 1 { 0.1 } else { 0.9 }).product();
            counts.insert([lv[0], lv[1], lv[2], MISSING, MISSING, MISSING], 300.0 * pm + 700.0 * pu);
        }
        let init = FsModel {
            m: vec![vec![0.4, 0.6], vec![0.4, 0.6], vec![0.4, 0.6], vec![1.0], vec![1.0], vec![1.0]],
            u: vec![vec![0.6, 0.4], vec![0.6, 0.4], vec![0.6, 0.4], vec![1.0], vec![1.0], vec![1.0]],
            lambda: 0.5,
        };
        let fit = init.fit(&counts, 500, 0.0);
        assert!((fit.lambda - 0.3).abs() < 0.02, "{fit:?}");
        for s in 0..3 {
            assert!((fit.m[s][1] - 0.9).abs() < 0.02, "{fit:?}");
            assert!((fit.u[s][1] - 0.1).abs() < 0.02, "{fit:?}");
        }
    }
}
