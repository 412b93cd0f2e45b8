//! Clustering metrics over (predicted cluster, gold cluster) labels, one pair per scored mention.

use std::collections::HashMap;
use std::hash::Hash;

/// Precision, recall and their harmonic mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Scores {
    fn new(precision: f64, recall: f64) -> Scores {
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Scores { precision, recall, f1 }
    }
}

/// Cluster sizes of the predicted labels, of the gold labels, and of their intersections.
type Counts<P, G> = (HashMap<P, usize>, HashMap<G, usize>, HashMap<(P, G), usize>);

fn counts<P: Hash + Eq + Clone, G: Hash + Eq + Clone>(labels: &[(P, G)]) -> Counts<P, G> {
    let mut pred: HashMap<P, usize> = HashMap::new();
    let mut gold: HashMap<G, usize> = HashMap::new();
    let mut both: HashMap<(P, G), usize> = HashMap::new();
    for (p, g) in labels {
        *pred.entry(p.clone()).or_default() += 1;
        *gold.entry(g.clone()).or_default() += 1;
        *both.entry((p.clone(), g.clone())).or_default() += 1;
    }
    (pred, gold, both)
}

/// B-cubed: for each mention, precision = |pred ∩ gold| / |pred| and recall = |pred ∩ gold| / |gold| (clusters
/// restricted to the scored mentions), averaged over mentions. Empty input scores 1.
pub fn b_cubed<P: Hash + Eq + Clone, G: Hash + Eq + Clone>(labels: &[(P, G)]) -> Scores {
    if labels.is_empty() {
        return Scores::new(1.0, 1.0);
    }
    let (pred, gold, both) = counts(labels);
    let (mut p, mut r) = (0.0, 0.0);
    // Sum over cells: each of the n_pg mentions in a cell contributes n_pg/|pred| and n_pg/|gold|.
    for ((pl, gl), &n) in &both {
        let n = n as f64;
        p += n * n / pred[pl] as f64;
        r += n * n / gold[gl] as f64;
    }
    let total = labels.len() as f64;
    Scores::new(p / total, r / total)
}

/// Pairwise: precision = same-person pairs among predicted same-cluster pairs; recall = predicted same-cluster
/// pairs among gold same-person pairs. With no predicted (or gold) pairs the ratio is 1.
pub fn pairwise<P: Hash + Eq + Clone, G: Hash + Eq + Clone>(labels: &[(P, G)]) -> Scores {
    let (pred, gold, both) = counts(labels);
    let pairs = |n: usize| (n * n.saturating_sub(1) / 2) as f64;
    let tp: f64 = both.values().map(|&n| pairs(n)).sum();
    let pp: f64 = pred.values().map(|&n| pairs(n)).sum();
    let gp: f64 = gold.values().map(|&n| pairs(n)).sum();
    Scores::new(if pp > 0.0 { tp / pp } else { 1.0 }, if gp > 0.0 { tp / gp } else { 1.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Gold: A = {1,2,3}, B = {4,5}. Predicted: X = {1,2}, Y = {3,4,5}.
    fn case() -> Vec<(&'static str, &'static str)> {
        vec![("X", "A"), ("X", "A"), ("Y", "A"), ("Y", "B"), ("Y", "B")]
    }

    #[test]
    fn b_cubed_hand_computed() {
        // Precision per mention: 1, 1, 1/3, 2/3, 2/3 → 11/15. Recall: 2/3, 2/3, 1/3, 1, 1 → 11/15.
        let s = b_cubed(&case());
        assert!(close(s.precision, 11.0 / 15.0), "{s:?}");
        assert!(close(s.recall, 11.0 / 15.0), "{s:?}");
        assert!(close(s.f1, 11.0 / 15.0), "{s:?}");
    }

    #[test]
    fn pairwise_hand_computed() {
        // Predicted pairs: X 1 + Y 3 = 4; gold pairs: A 3 + B 1 = 4; true pairs: (1,2) and (4,5) = 2.
        let s = pairwise(&case());
        assert!(close(s.precision, 0.5) && close(s.recall, 0.5) && close(s.f1, 0.5), "{s:?}");
    }

    #[test]
    fn perfect_and_lumped() {
        let perfect = vec![(1, "A"), (1, "A"), (2, "B")];
        assert_eq!(b_cubed(&perfect), Scores::new(1.0, 1.0));
        assert_eq!(pairwise(&perfect), Scores::new(1.0, 1.0));
        // Everything in one cluster: B3 precision = (2/3·2 + 1/3)/3 = 5/9, recall 1.
        let lumped = vec![(0, "A"), (0, "A"), (0, "B")];
        let s = b_cubed(&lumped);
        assert!(close(s.precision, 5.0 / 9.0) && close(s.recall, 1.0));
        let s = pairwise(&lumped);
        assert!(close(s.precision, 1.0 / 3.0) && close(s.recall, 1.0));
    }
}
