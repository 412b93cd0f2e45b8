//! Candidate mention (or cluster) pairs: only pairs that share something are scored, so blocks stay far below
//! quadratic.

use crate::prepare::Prepared;
use crate::COMMON_COAUTHOR_WORKS;
use rustc_hash::FxHashMap as HashMap;

/// Pairs of local indices (into `items`) that share a key whose inverted list is at most `cap` long.
pub(crate) fn candidate_pairs(keys: impl Iterator<Item = (u64, u32)>, cap: usize) -> Vec<(u32, u32)> {
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::default();
    for (k, i) in keys {
        postings.entry(k).or_default().push(i);
    }
    let mut pairs: Vec<u64> = Vec::new();
    for list in postings.values() {
        if list.len() < 2 || list.len() > cap {
            continue;
        }
        for (x, &a) in list.iter().enumerate() {
            for &b in &list[x + 1..] {
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                if a != b {
                    pairs.push(((a as u64) << 32) | b as u64);
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}

/// Pairs of local indices whose rare coauthors have worked together (see [`Prepared::coauthors_linked`]): found
/// from each mention's rare coauthors' rare collaborators, through the lists of mentions that have them as
/// coauthors (lists longer than `cap` are skipped, as in [`candidate_pairs`]).
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
