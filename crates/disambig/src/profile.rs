//! Stage 2: merging clusters by their profiles.
//!
//! Each cluster is a small generative model of the person behind it: which venues, coauthors and title words
//! their papers have. Years are left out: clusters that stage 1 left apart are mostly one person's different
//! periods, so a profile's years (unlike a pair's, in stage 1) tell people apart worse than chance (on the DBLP
//! development set, same-person cluster pairs had more negative year evidence than different-person ones). A value the cluster has seen `n` times out of `T` is drawn again with probability
//! `(1-β)·n/T`, and a new value with probability `β·P_block(x)`, where `β = (distinct+1)/(T+2)` (a Chinese
//! restaurant-style estimate of how often this person uses something new). The evidence that a smaller cluster F
//! was written by the person of cluster C is the log-likelihood ratio of F's features under C's model against
//! the rest of the block (without C and F), where both sides draw values they have not seen with the same
//! novelty rate, so values new to both are neutral. Title words count with weight [`Config::title_weight`]; the
//! summed evidence is divided by `|F|^γ` ([`Config::evidence_exponent`]) because one person's papers are not
//! independent draws. F joins its best C when that evidence plus the prior log-odds `ln(|C| / (N - |C| - |F|))`
//! is positive.

use crate::prepare::Prepared;
use crate::Config;
use rustc_hash::FxHashMap as HashMap;

/// Occurrence counts of one feature type.
#[derive(Default, Clone, Debug)]
pub(crate) struct Counts {
    pub map: HashMap<u32, u32>,
    pub total: u32,
}

impl Counts {
    fn add(&mut self, x: u32) {
        *self.map.entry(x).or_default() += 1;
        self.total += 1;
    }
    fn absorb(&mut self, o: Counts) {
        for (k, v) in o.map {
            *self.map.entry(k).or_default() += v;
        }
        self.total += o.total;
    }
    fn count(&self, x: u32) -> f64 {
        *self.map.get(&x).unwrap_or(&0) as f64
    }
    fn share(&self, x: u32) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.count(x) / self.total as f64
    }
    fn novelty(&self) -> f64 {
        (self.map.len() as f64 + 1.0) / (self.total as f64 + 2.0)
    }
    /// ln of P(x | this person) / P(x | anyone else), where "anyone else" is the block `bg` without this
    /// cluster and without the candidate `f`. Both sides draw a value they have not seen with the same novelty
    /// rate, from the block's base distribution, so values new to both are neutral.
    fn llr(&self, x: u32, bg: &Counts, f: &Counts) -> f64 {
        let rest = (bg.count(x) - self.count(x) - f.count(x)).max(0.0);
        let rest_total = (bg.total as f64 - self.total as f64 - f.total as f64).max(1.0);
        let base = (bg.count(x) + 0.5) / (bg.total as f64 + 1.0);
        let beta = self.novelty();
        let pc = (1.0 - beta) * self.share(x) + beta * base;
        let pa = (1.0 - beta) * rest / rest_total + beta * base;
        (pc / pa).ln()
    }
}

/// The feature distributions of a set of mentions.
#[derive(Default, Clone, Debug)]
pub(crate) struct Dist {
    pub venues: Counts,
    pub coauthors: Counts,
    pub words: Counts,
    pub size: u32,
}

impl Dist {
    pub(crate) fn of(ctx: &Prepared, members: &[usize]) -> Dist {
        let mut d = Dist::default();
        for &i in members {
            d.add(ctx, i);
        }
        d
    }

    pub(crate) fn absorb(&mut self, o: Dist) {
        self.venues.absorb(o.venues);
        self.coauthors.absorb(o.coauthors);
        self.words.absorb(o.words);
        self.size += o.size;
    }

    pub(crate) fn add(&mut self, ctx: &Prepared, i: usize) {
        if let Some(v) = ctx.venue[i] {
            self.venues.add(v);
        }
        for &c in &ctx.coauthors[i] {
            self.coauthors.add(c);
        }
        for &(w, _) in &ctx.words[i] {
            self.words.add(w);
        }
        self.size += 1;
    }
}

/// Per-signal log-likelihood ratios that `members` were written by the person of `c` rather than by someone
/// drawn from the block `bg`: [venue, coauthors, title words].
pub(crate) fn evidence(ctx: &Prepared, config: &Config, members: &[usize], f: &Dist, c: &Dist, bg: &Dist) -> [f64; 3] {
    let mut e = [0.0; 3];
    for &i in members {
        if let Some(v) = ctx.venue[i] {
            e[0] += c.venues.llr(v, &bg.venues, &f.venues);
        }
        for &x in &ctx.coauthors[i] {
            e[1] += c.coauthors.llr(x, &bg.coauthors, &f.coauthors);
        }
        for &(w, _) in &ctx.words[i] {
            e[2] += config.title_weight * c.words.llr(w, &bg.words, &f.words);
        }
    }
    e
}

/// Prior log-odds that cluster F (`f` mentions) belongs to the person of cluster C (`c` mentions) rather than
/// to anyone else among the block's `n` mentions.
pub(crate) fn prior(f: usize, c: usize, n: usize) -> f64 {
    let rest = n.saturating_sub(c + f).max(1) as f64;
    (c as f64 / rest).ln()
}
