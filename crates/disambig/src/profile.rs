//! Stage 2: merging clusters by their profiles.
//!
//! Each cluster is a small generative model of the person behind it: which venues, coauthors, title words,
//! circle (rare coauthors and the people they have written with; weight [`Config::circle_weight`]) and fields
//! (their venues' fields, see `fields.rs`; weight [`Config::field_weight`]) their papers have. Years are left
//! out: clusters that stage 1 left apart are mostly one person's different periods, so a profile's years
//! (unlike a pair's, in stage 1) tell people apart worse than chance (on the DBLP development set, same-person
//! cluster pairs had more negative year evidence than different-person ones). A value the cluster has seen `n`
//! times out of `T` is drawn again with probability `(1-β)·n/T`, and a new value with probability
//! `β·P_block(x)`, where `β = (distinct+1)/(T+2)` (a Chinese restaurant-style estimate of how often this person
//! uses something new). The evidence that a smaller cluster F
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
    fn absorb(&mut self, other: Counts) {
        for (value, n) in other.map {
            *self.map.entry(value).or_default() += n;
        }
        self.total += other.total;
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
    /// ln of P(x | this person) / P(x | anyone else), where "anyone else" is the block without this cluster and
    /// without the candidate cluster. Both sides draw a value they have not seen with the same novelty rate, from
    /// the block's base distribution, so values new to both are neutral.
    fn llr(&self, x: u32, block: &Counts, candidate: &Counts) -> f64 {
        let rest = (block.count(x) - self.count(x) - candidate.count(x)).max(0.0);
        let rest_total = (block.total as f64 - self.total as f64 - candidate.total as f64).max(1.0);
        let base = (block.count(x) + 0.5) / (block.total as f64 + 1.0);
        let beta = self.novelty();
        let p_person = (1.0 - beta) * self.share(x) + beta * base;
        let p_others = (1.0 - beta) * rest / rest_total + beta * base;
        (p_person / p_others).ln()
    }
}

/// The feature distributions of a set of mentions.
#[derive(Default, Clone, Debug)]
pub(crate) struct Dist {
    pub venues: Counts,
    pub coauthors: Counts,
    pub words: Counts,
    /// The circle: rare coauthors and the people they have written with (see [`circle`]).
    pub circle: Counts,
    /// The fields of the venues (see `fields.rs`).
    pub fields: Counts,
    pub size: u32,
}

impl Dist {
    pub(crate) fn of(ctx: &Prepared, members: &[usize]) -> Dist {
        let mut dist = Dist::default();
        for &i in members {
            dist.add(ctx, i);
        }
        dist
    }

    pub(crate) fn absorb(&mut self, other: Dist) {
        self.venues.absorb(other.venues);
        self.coauthors.absorb(other.coauthors);
        self.words.absorb(other.words);
        self.circle.absorb(other.circle);
        self.fields.absorb(other.fields);
        self.size += other.size;
    }

    pub(crate) fn add(&mut self, ctx: &Prepared, i: usize) {
        if let Some(v) = ctx.venue[i] {
            self.venues.add(v);
        }
        if let Some(f) = ctx.field[i] {
            self.fields.add(f);
        }
        for &c in &ctx.coauthors[i] {
            self.coauthors.add(c);
        }
        for &(w, _) in &ctx.words[i] {
            self.words.add(w);
        }
        for x in circle(ctx, i) {
            self.circle.add(x);
        }
        self.size += 1;
    }
}

/// A mention's circle: its rare coauthors (on at most [`crate::COMMON_COAUTHOR_WORKS`] works) and everyone they
/// have written with in the run, each once, never a name of the mention's own block (other works list the
/// person's names beside the same coauthors, so such a name would be in nearly every cluster's circle). One
/// person's papers with different coauthors often share it: the coauthors of a lab write with each other.
pub(crate) fn circle(ctx: &Prepared, i: usize) -> Vec<u32> {
    let mut out = Vec::new();
    for &c in &ctx.coauthors[i] {
        if ctx.coauthor_df[c as usize] <= crate::COMMON_COAUTHOR_WORKS {
            out.push(c);
            out.extend_from_slice(&ctx.coauthor_links[c as usize]);
        }
    }
    out.sort_unstable();
    out.dedup();
    let own = &ctx.block_names[ctx.block_of[i] as usize];
    out.retain(|x| own.binary_search(x).is_err());
    out
}

/// Per-signal log-likelihood ratios that `members` (whose distribution is `from`) were written by the person of
/// the cluster `to` rather than by someone drawn from the `block`: [venue, coauthors, title words, circle, field].
pub(crate) fn evidence(
    ctx: &Prepared,
    config: &Config,
    members: &[usize],
    from: &Dist,
    to: &Dist,
    block: &Dist,
) -> [f64; 5] {
    let mut sums = [0.0; 5];
    for &i in members {
        if let Some(v) = ctx.venue[i] {
            sums[0] += to.venues.llr(v, &block.venues, &from.venues);
        }
        if let Some(f) = ctx.field[i] {
            sums[4] += config.field_weight * to.fields.llr(f, &block.fields, &from.fields);
        }
        for &x in &ctx.coauthors[i] {
            sums[1] += to.coauthors.llr(x, &block.coauthors, &from.coauthors);
        }
        for &(w, _) in &ctx.words[i] {
            sums[2] += config.title_weight * to.words.llr(w, &block.words, &from.words);
        }
    }
    // The members' circles, as counted in their profile.
    if config.circle_weight > 0.0 {
        for (&x, &n) in &from.circle.map {
            sums[3] += config.circle_weight * f64::from(n) * to.circle.llr(x, &block.circle, &from.circle);
        }
    }
    sums
}

/// Prior log-odds that cluster F (`f` mentions) belongs to the person of cluster C (`c` mentions) rather than
/// to anyone else among the block's `n` mentions.
pub(crate) fn prior(f: usize, c: usize, n: usize) -> f64 {
    let rest = n.saturating_sub(c + f).max(1) as f64;
    (c as f64 / rest).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(u32, u32)]) -> Counts {
        let mut c = Counts::default();
        for &(value, n) in pairs {
            for _ in 0..n {
                c.add(value);
            }
        }
        c
    }

    #[test]
    fn a_value_the_person_uses_is_evidence_for_them() {
        // The person used venue 7 three times in four papers; the block has it 5 times in 10; the candidate once.
        let person = counts(&[(7, 3), (9, 1)]);
        let block = counts(&[(7, 5), (9, 3), (11, 2)]);
        let candidate = counts(&[(7, 1)]);
        // rest = 5-3-1 = 1 of 10-4-1 = 5; base = 5.5/11 = 0.5; beta = (2+1)/(4+2) = 0.5;
        // P(person) = 0.5*0.75 + 0.5*0.5 = 0.625; P(others) = 0.5*0.2 + 0.5*0.5 = 0.35.
        let llr = person.llr(7, &block, &candidate);
        assert!((llr - (0.625f64 / 0.35).ln()).abs() < 1e-12, "{llr}");
        // A venue the person never used, common among the others, is evidence against.
        assert!(person.llr(11, &block, &candidate) < 0.0);
    }

    #[test]
    fn a_value_new_to_everyone_is_neutral() {
        let person = counts(&[(7, 3)]);
        let block = counts(&[(7, 3), (8, 4)]);
        assert_eq!(person.llr(42, &block, &Counts::default()), 0.0);
    }

    #[test]
    fn merged_profiles_add_their_counts() {
        let mut a = Dist { venues: counts(&[(1, 2)]), coauthors: counts(&[(5, 1)]), size: 2, ..Dist::default() };
        let b = Dist { venues: counts(&[(1, 1), (2, 1)]), words: counts(&[(9, 3)]), size: 2, ..Dist::default() };
        a.absorb(b);
        assert_eq!((a.venues.count(1), a.venues.count(2), a.venues.total), (3.0, 1.0, 4));
        assert_eq!((a.coauthors.total, a.words.count(9), a.size), (1, 3.0, 4));
        assert!((a.venues.novelty() - 3.0 / 6.0).abs() < 1e-12, "(2 distinct + 1) / (4 + 2)");
    }

    #[test]
    fn the_prior_favours_the_larger_cluster_and_survives_tiny_blocks() {
        assert!((prior(2, 6, 20) - 0.5f64.ln()).abs() < 1e-12, "6 against the 12 others");
        assert!((prior(3, 5, 6) - 5f64.ln()).abs() < 1e-12, "no one else: the rest counts as one");
    }
}
