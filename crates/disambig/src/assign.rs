//! Incremental assignment: one new mention joins a person already found in its block, or starts a new one, without
//! re-running the batch clustering.
//!
//! The decision mirrors stage 1 of the batch run (see the crate doc) with the new mention as a singleton cluster:
//! the same pair evidence and fitted label model, the same hard constraints (a shared source id or homonym number
//! links, different ones, a shared work or conflicting given names never do) and the same average-linkage score
//! against each existing person, over the pairs the batch would have scored (those sharing a coauthor, the venue
//! or a rare title word), unscored pairs weighted by [`Config::unscored_weight`]. Profile merging (stage 2) is not
//! repeated: a mention that would only join through it starts a new person until the next full run.

use crate::cluster::{sample_pairs, LAMBDA_SHRINK, SAMPLE_PER_ITEM};
use crate::prepare::{prepare, Prepared};
use crate::{constraint, pair_pattern, Config, Constraint, Mention, Model, Pattern};
use serde::Serialize;
use std::collections::BTreeMap;

/// An existing mention of the block and the person it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub person: String,
    pub mention: Mention,
}

/// Where a new mention goes, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// The existing person the mention joins; `None` when it starts a new person.
    pub person: Option<String>,
    /// Average match probability of the mention with the best candidate person (1 under a must-link, 0 when no
    /// person could take it); the mention joins when this reaches [`Config::threshold`].
    pub probability: f64,
    /// The best candidate, also when it stayed below the threshold.
    pub best: Option<String>,
    /// The hard constraint that linked the mention to `person`, if one did.
    pub constraint: Option<Constraint>,
    /// Prior match rate of the block, estimated on the mentions given.
    pub prior: f64,
    /// Mention pairs that were scored (the others count as probability 0 with a small weight).
    pub scored_pairs: usize,
}

/// Most random pairs used to estimate the block's match rate: a stable estimate that fits in one mention's budget.
const MAX_SAMPLE: usize = 4000;

#[derive(Default)]
struct Candidate {
    size: usize,
    sum: f64,
    scored: usize,
    link: Option<Constraint>,
    conflict: bool,
    forbidden: bool,
}

/// Decides the person of `new` given every existing mention of the people it could join (`known`: at least the
/// people with a name compatible with the new one; all their mentions, so that constraints see whole people).
pub fn assign(model: &Model, config: &Config, new: &Mention, known: &[Known]) -> Decision {
    let mut mentions: Vec<Mention> = Vec::with_capacity(known.len() + 1);
    mentions.extend(known.iter().map(|k| k.mention.clone()));
    mentions.push(new.clone());
    let ctx = prepare(&mentions);
    let me = known.len();
    let prior = block_prior(&ctx, model, mentions.len());
    let scored = scored_with(&ctx, me, config.max_posting);
    let mut people: BTreeMap<&str, Candidate> = BTreeMap::new();
    let mut scored_pairs = 0;
    for (j, k) in known.iter().enumerate() {
        let c = people.entry(k.person.as_str()).or_default();
        c.size += 1;
        match constraint(&ctx, me, j) {
            Some(l) if l.links() => c.link = Some(l),
            Some(Constraint::IncompatibleNames) => c.conflict = true,
            Some(_) => c.forbidden = true,
            None if scored[j] => {
                c.sum += model.pair.probability(&pair_pattern(&ctx, me, j), prior);
                c.scored += 1;
                scored_pairs += 1;
            }
            None => {}
        }
    }
    // Best first: a must-link beats any score; then the score, the larger person, the smaller id.
    let mut best: Option<(f64, Option<Constraint>, usize, &str)> = None;
    for (&person, c) in &people {
        if c.forbidden {
            continue;
        }
        let (score, link) = match c.link {
            Some(l) => (1.0, Some(l)),
            None if c.conflict || c.scored == 0 => continue,
            None => {
                let unscored = (c.size - c.scored) as f64;
                (c.sum / (c.scored as f64 + config.unscored_weight * unscored), None)
            }
        };
        let better = match best {
            None => true,
            Some((s, l, n, _)) => (link.is_some(), score, c.size) > (l.is_some(), s, n),
        };
        if better {
            best = Some((score, link, c.size, person));
        }
    }
    let (probability, constraint, best) = match best {
        Some((s, l, _, p)) => (s, l, Some(p.to_string())),
        None => (0.0, None, None),
    };
    let joins = constraint.is_some() || probability >= config.threshold;
    Decision {
        person: if joins { best.clone() } else { None },
        probability,
        best,
        constraint,
        prior,
        scored_pairs,
    }
}

/// The block's match rate as the batch run estimates it (random compatible pairs, shrunk towards the model's
/// global rate), on a capped sample.
fn block_prior(ctx: &Prepared, model: &Model, n: usize) -> f64 {
    let per_item = (MAX_SAMPLE / n.max(1)).clamp(1, SAMPLE_PER_ITEM);
    let sample: Vec<Pattern> = sample_pairs(n, per_item, n as u64)
        .into_iter()
        .map(|(a, b)| (a as usize, b as usize))
        .filter(|&(a, b)| constraint(ctx, a, b).is_none())
        .map(|(a, b)| pair_pattern(ctx, a, b))
        .collect();
    model.pair.block_lambda(&sample, LAMBDA_SHRINK)
}

/// Which mentions the batch run would pair with mention `me`: those sharing one of its coauthors, its venue or one
/// of its rare title words, through a key held by at most `cap` mentions.
fn scored_with(ctx: &Prepared, me: usize, cap: usize) -> Vec<bool> {
    let n = ctx.names.len();
    let mut keys: Vec<Vec<usize>> = Vec::new();
    for &c in &ctx.coauthors[me] {
        keys.push((0..n).filter(|&j| ctx.coauthors[j].binary_search(&c).is_ok()).collect());
    }
    if let Some(v) = ctx.venue[me] {
        keys.push((0..n).filter(|&j| ctx.venue[j] == Some(v)).collect());
    }
    for &w in &ctx.rare_words[me] {
        keys.push((0..n).filter(|&j| ctx.rare_words[j].contains(&w)).collect());
    }
    let mut scored = vec![false; n];
    for list in keys.into_iter().filter(|l| l.len() <= cap) {
        for j in list {
            scored[j] = true;
        }
    }
    scored[me] = false;
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(work: &str, name: &str, co: &[&str], venue: &str, year: i32, title: &str) -> Mention {
        Mention {
            work: work.into(),
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: co.iter().map(|s| s.to_string()).collect(),
            venue: Some(venue.into()),
            year: Some(year),
            title: title.into(),
        }
    }

    fn block() -> Vec<Known> {
        let a = |w: &str, t: &str, y| Known {
            person: "pA".into(),
            mention: m(w, "Wei Wang", &["Jiawei Han", "Philip S. Yu"], "KDD", y, t),
        };
        let b = |w: &str, t: &str, y| Known {
            person: "pB".into(),
            mention: m(w, "Wei Wang", &["Hans Schmidt"], "Physical Review B", y, t),
        };
        vec![
            a("a1", "Mining frequent graph patterns", 2010),
            a("a2", "Frequent pattern mining in streams", 2011),
            a("a3", "Graph pattern mining at scale", 2012),
            b("b1", "Spin waves in thin magnetic films", 2005),
            b("b2", "Magnetic anisotropy of thin films", 2006),
        ]
    }

    #[test]
    fn a_mention_with_shared_coauthors_and_venue_joins_that_person() {
        let new = m("n1", "Wei Wang", &["Jiawei Han"], "KDD", 2013, "Pattern mining on graphs");
        let d = assign(&Model::priors(), &Config::default(), &new, &block());
        assert_eq!(d.person.as_deref(), Some("pA"), "{d:?}");
        assert!(d.probability >= 0.5 && d.scored_pairs >= 3, "{d:?}");
    }

    #[test]
    fn a_mention_sharing_nothing_starts_a_new_person() {
        let new = m("n2", "Wei Wang", &["Maria Rossi"], "Journal of Ancient History", 1990, "Roman coinage");
        let d = assign(&Model::priors(), &Config::default(), &new, &block());
        assert_eq!(d.person, None, "{d:?}");
        assert!(d.probability < 0.5);
    }

    #[test]
    fn hard_constraints_win_over_evidence() {
        let mut known = block();
        known[0].mention.source_id = Some("orcid:1".into());
        let mut new = m("n3", "Wei Wang", &["Jiawei Han", "Philip S. Yu"], "KDD", 2011, "Frequent graph mining");
        new.source_id = Some("orcid:2".into());
        let d = assign(&Model::priors(), &Config::default(), &new, &known);
        assert_ne!(d.person.as_deref(), Some("pA"), "different ORCIDs never link: {d:?}");
        // The same id links however little is shared.
        let mut far = m("n4", "Wei Wang", &[], "Physical Review B", 1990, "Spin glasses");
        far.source_id = Some("orcid:1".into());
        let d = assign(&Model::priors(), &Config::default(), &far, &known);
        assert_eq!((d.person.as_deref(), d.constraint), (Some("pA"), Some(Constraint::SameSourceId)));
        // Two authors of one paper are two people.
        let same_work = m("a1", "Wei Wang", &["Jiawei Han"], "KDD", 2010, "Mining frequent graph patterns");
        let d = assign(&Model::priors(), &Config::default(), &same_work, &block());
        assert_ne!(d.person.as_deref(), Some("pA"), "{d:?}");
        // Conflicting given names never link.
        let other = m("n5", "Wen Wang", &["Jiawei Han", "Philip S. Yu"], "KDD", 2011, "Frequent graph mining");
        let d = assign(&Model::priors(), &Config::default(), &other, &block());
        assert_eq!(d.person, None, "{d:?}");
    }
}
