//! Candidate mention (or cluster) pairs: only pairs that share something are scored, so blocks stay far below
//! quadratic.

use crate::prepare::Prepared;
use crate::COMMON_COAUTHOR_WORKS;
use rustc_hash::FxHashMap as HashMap;

/// Neighbours each item of an inverted list longer than the cap is paired with (see [`candidate_pairs`]). Average
/// linkage joins two adjacent stretches of such a list through the `k(k+1)/2` pairs across their boundary, against
/// the unscored rest of their pairs (weighted by [`crate::Config::unscored_weight`]): with 10 neighbours and the
/// default weight, stretches of a few dozen mentions still join on confident pairs, so a list of a few hundred
/// leaves only a handful of clusters for profile merging; the cost is 10 pairs per posting.
pub(crate) const LONG_LIST_NEIGHBOURS: usize = 10;

/// Pairs of local indices (into `items`) that share a key. An inverted list of at most `cap` items gives all its
/// pairs. A longer one (a prolific coauthor, a big venue) still carries evidence, but all its pairs would make a
/// big block quadratic: its items are sorted by `order[item]` (then by index), which should put likely-same items
/// next to each other, and each is paired with its next [`LONG_LIST_NEIGHBOURS`], so that chains of pairs can join
/// the whole list. The work stays linear in the postings. Deterministic: the result is sorted.
pub(crate) fn candidate_pairs<K: Ord>(
    keys: impl Iterator<Item = (u64, u32)>,
    cap: usize,
    order: &[K],
) -> Vec<(u32, u32)> {
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::default();
    for (k, i) in keys {
        postings.entry(k).or_default().push(i);
    }
    let mut pairs: Vec<u64> = Vec::new();
    let mut push = |a: u32, b: u32| {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        if a != b {
            pairs.push(((a as u64) << 32) | b as u64);
        }
    };
    for list in postings.values_mut() {
        if list.len() < 2 {
            continue;
        }
        let window = if list.len() <= cap {
            list.len()
        } else {
            list.sort_unstable_by(|&a, &b| order[a as usize].cmp(&order[b as usize]).then(a.cmp(&b)));
            LONG_LIST_NEIGHBOURS
        };
        for (x, &a) in list.iter().enumerate() {
            for &b in list[x + 1..].iter().take(window) {
                push(a, b);
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}

/// Pairs of local indices whose rare coauthors have worked together (see [`Prepared::coauthors_linked`]): found
/// from each mention's rare coauthors' rare collaborators, through the lists of mentions that have them as
/// coauthors. Lists longer than `cap` are skipped; a rare coauthor is on at most [`COMMON_COAUTHOR_WORKS`] works,
/// so its list is that short unless one work holds many mentions of the block, and the cap is only a guard.
pub(crate) fn linked_pairs(ctx: &Prepared, ms: &[usize], cap: usize) -> Vec<(u32, u32)> {
    let rare = |x: &u32| ctx.coauthor_df[*x as usize] <= COMMON_COAUTHOR_WORKS;
    let mut having: HashMap<u32, Vec<u32>> = HashMap::default();
    for (li, &i) in ms.iter().enumerate() {
        for &c in ctx.coauthors[i].iter().filter(|x| rare(x)) {
            having.entry(c).or_default().push(li as u32);
        }
    }
    let mut pairs: Vec<u64> = Vec::new();
    for (li, &i) in ms.iter().enumerate() {
        let a = li as u32;
        for &x in ctx.coauthors[i].iter().filter(|x| rare(x)) {
            for z in ctx.coauthor_links[x as usize].iter().filter(|z| rare(z)) {
                let Some(list) = having.get(z).filter(|l| l.len() <= cap) else { continue };
                for &b in list {
                    if a < b {
                        pairs.push(((a as u64) << 32) | b as u64);
                    }
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}

#[cfg(test)]
mod tests {
    use super::{candidate_pairs, LONG_LIST_NEIGHBOURS};
    use crate::{disambiguate, Config, Mention};
    use std::collections::HashSet;

    #[test]
    fn long_lists_pair_each_item_with_its_next_neighbours_in_order() {
        // Key 1: a short list, all pairs. Key 2: 40 items, which `order` sorts even indices first, then odd ones.
        let keys = [(1u64, 0u32), (1, 1), (1, 2)].into_iter().chain((0..40).map(|i| (2u64, i)));
        let order: Vec<u32> = (0..40).map(|i| i % 2).collect();
        let pairs = candidate_pairs(keys, 10, &order);
        let sorted: Vec<u32> = (0..40).step_by(2).chain((1..40).step_by(2)).collect();
        let mut expected: HashSet<(u32, u32)> = [(0, 1), (0, 2), (1, 2)].into_iter().collect();
        for (x, &a) in sorted.iter().enumerate() {
            for &b in sorted[x + 1..].iter().take(LONG_LIST_NEIGHBOURS) {
                expected.insert((a.min(b), a.max(b)));
            }
        }
        assert_eq!(pairs.iter().copied().collect::<HashSet<_>>(), expected);
        // Neighbours in `order`, not in index.
        let k = LONG_LIST_NEIGHBOURS as u32;
        assert!(pairs.contains(&(0, 2 * k)) && !pairs.contains(&(0, 2 * k + 1)));
        assert!(pairs.windows(2).all(|w| w[0] < w[1]), "sorted and deduplicated");
        // Nothing is dropped from a list at the cap.
        let all = candidate_pairs((0..10u32).map(|i| (7u64, i)), 10, &[(); 10]);
        assert_eq!(all.len(), 45);
    }

    fn mention(work: String, coauthor: &str, venue: &str, year: i32, title: String) -> Mention {
        Mention {
            work,
            position: 1,
            name: "Wei Wang".into(),
            source_id: None,
            coauthors: vec![coauthor.into()],
            venue: Some(venue.into()),
            year: Some(year),
            title,
            cites: Vec::new(),
        }
    }

    /// 130 papers of one person share one coauthor and the venue, and nothing else (distinct title words): both
    /// inverted lists are longer than `max_posting`. A second person in the block has a coauthor and venue of
    /// their own.
    #[test]
    fn mentions_sharing_only_a_long_listed_coauthor_and_venue_are_one_person() {
        let mut ms: Vec<Mention> = (0..130)
            .map(|i| {
                let title = format!("On q{i}x r{i}y");
                mention(format!("a{i:03}"), "Jiawei Han", "ICDE", 2000 + i % 15, title)
            })
            .collect();
        ms.extend((0..20).map(|i| {
            let title = format!("About s{i}z t{i}w");
            mention(format!("b{i:03}"), "Hans Schmidt", "Physical Review B", 1995 + i % 10, title)
        }));
        let config = Config::default();
        assert!(130 > config.max_posting);
        let a = disambiguate(&ms, &config);
        let first: HashSet<&String> = a.person[..130].iter().collect();
        let second: HashSet<&String> = a.person[130..].iter().collect();
        assert!(first.len() <= 2, "{} people for one person's 130 papers", first.len());
        assert!(first.is_disjoint(&second), "two people merged");
    }
}
