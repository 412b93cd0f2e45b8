//! Candidate pairs, label-model fitting and constrained clustering, block by block.

use crate::candidates::{candidate_pairs, linked_pairs};
use crate::model::{FsModel, Pattern, MISSING};
use crate::prepare::Prepared;
use crate::profile::{evidence, prior, Dist};
use crate::union_find::UnionFind;
use crate::{constraint, pair_pattern, Config, Constraint, Model, NameMatch};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Mutex;

/// Pseudo-pairs per class given to the hand-set priors in EM.
const PRIOR_STRENGTH: f64 = 50.0;
/// Pseudo-pairs pulling a block's match rate towards the global one.
pub(crate) const LAMBDA_SHRINK: f64 = 30.0;

pub(crate) struct Run {
    pub cluster: Vec<u32>,
    pub block_lambda: Vec<f64>,
    pub model: Model,
}

/// Maps `f` over `items` on `threads` threads, keeping the order.
fn par_map<T: Send, R: Send>(items: Vec<T>, threads: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let n = items.len();
    if threads <= 1 || n < 2 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let out: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(n));
    std::thread::scope(|s| {
        for _ in 0..threads.min(n) {
            s.spawn(|| loop {
                let next = queue.lock().unwrap().next();
                let Some((i, item)) = next else { break };
                let r = f(item);
                out.lock().unwrap().push((i, r));
            });
        }
    });
    let mut out = out.into_inner().unwrap();
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|x| x.1).collect()
}

/// A cluster under construction.
#[derive(Clone, Debug)]
pub(crate) struct Clus {
    pub(crate) members: Vec<usize>,
    works: HashSet<u32>,
    source: Option<u32>,
    homonym: Option<u16>,
    /// The generational suffix of its mentions where it tells people apart (see [`Prepared::generation`]).
    generation: Option<u8>,
    /// The group of [`Prepared::apart`] it holds mentions of, if any.
    apart: Option<u32>,
    /// One mention per distinct parsed name.
    names: Vec<usize>,
}

impl Clus {
    fn single(ctx: &Prepared, i: usize) -> Clus {
        Clus {
            members: vec![i],
            works: [ctx.work[i]].into_iter().collect(),
            source: ctx.source[i],
            homonym: ctx.names[i].homonym,
            generation: ctx.generation[i],
            apart: if ctx.apart.is_empty() { None } else { ctx.apart.get(&i).copied() },
            names: vec![i],
        }
    }

    pub(crate) fn can_merge(&self, other: &Clus, ctx: &Prepared) -> bool {
        self.can_merge_allowing(other, ctx, |_, _| false)
    }

    /// [`Clus::can_merge`], except that two mentions' conflicting names may meet where `allowed` says so.
    pub(crate) fn can_merge_allowing(
        &self,
        other: &Clus,
        ctx: &Prepared,
        allowed: impl Fn(usize, usize) -> bool,
    ) -> bool {
        if let (Some(a), Some(b)) = (self.source, other.source) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (self.homonym, other.homonym) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (self.generation, other.generation) {
            if a != b {
                return false;
            }
        }
        if let (Some(a), Some(b)) = (self.apart, other.apart) {
            if a != b {
                return false;
            }
        }
        let (small, big) = if self.works.len() < other.works.len() { (self, other) } else { (other, self) };
        if small.works.iter().any(|w| big.works.contains(w)) {
            return false;
        }
        self.names
            .iter()
            .all(|&a| other.names.iter().all(|&b| ctx.names_match(a, b) != NameMatch::Conflict || allowed(a, b)))
    }

    pub(crate) fn absorb(&mut self, other: Clus, ctx: &Prepared) {
        self.members.extend(other.members);
        self.works.extend(other.works);
        self.source = self.source.or(other.source);
        self.homonym = self.homonym.or(other.homonym);
        self.generation = self.generation.or(other.generation);
        self.apart = self.apart.or(other.apart);
        for n in other.names {
            if !self.names.iter().any(|&m| ctx.name_id[m] == ctx.name_id[n]) {
                self.names.push(n);
            }
        }
    }
}

/// Circle members (see `profile::circle`), apart from coauthors so that one person counts once in each list.
const TAG_CIRCLE: u64 = 0;
const TAG_COAUTHOR: u64 = 1 << 62;
const TAG_VENUE: u64 = 2 << 62;
const TAG_WORD: u64 = 3 << 62;

/// Stage 1 input of one block: must-link groups and scored candidate pairs (local indices into the block).
pub(crate) struct BlockPairs {
    groups: Vec<Vec<u32>>,
    pub(crate) pairs: Vec<(u32, u32, Pattern)>,
    /// Patterns of candidate pairs whose names conflict: known different people, found by the same candidate
    /// generation, so their levels estimate the non-match distribution `u`.
    negatives: Vec<Pattern>,
    /// Patterns of random compatible pairs (no selection by shared features): what the label model is fitted on.
    pub(crate) sample: Vec<Pattern>,
}

/// Small deterministic generator for pair sampling.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
}

/// Random pairs of `0..n` (all pairs when there are few), at most `per_item * n` of them, deterministic per seed.
pub(crate) fn sample_pairs(n: usize, per_item: usize, seed: u64) -> Vec<(u32, u32)> {
    let all = n * n.saturating_sub(1) / 2;
    if all <= per_item * n {
        return (0..n as u32).flat_map(|a| (a + 1..n as u32).map(move |b| (a, b))).collect();
    }
    let mut rng = SplitMix(seed);
    (0..per_item * n)
        .filter_map(|_| {
            let a = (rng.next() % n as u64) as u32;
            let b = (rng.next() % n as u64) as u32;
            (a != b).then_some((a.min(b), a.max(b)))
        })
        .collect()
}

/// Pairs drawn per mention for fitting the label models.
pub(crate) const SAMPLE_PER_ITEM: usize = 8;

pub(crate) fn block_pairs(ctx: &Prepared, config: &Config, b: usize) -> BlockPairs {
    let ms = &ctx.blocks[b];
    let n = ms.len();
    // Must-links: union-find over same source id / same homonym number (with compatible names).
    let mut sets = UnionFind::new(n);
    // Per key, the first mention of each group it formed: a mention the key may not join to one group (its
    // names differ) may still join another, or start its own.
    let mut by_key: HashMap<(u8, u64), Vec<u32>> = HashMap::default();
    for (li, &i) in ms.iter().enumerate() {
        let mut keys = Vec::new();
        if let Some(s) = ctx.source[i] {
            keys.push((0u8, s as u64));
        }
        if let Some(h) = ctx.names[i].homonym {
            keys.push((1u8, h as u64));
        }
        for k in keys {
            let firsts = by_key.entry(k).or_default();
            let apart =
                |a: usize, b: usize| matches!((ctx.apart.get(&a), ctx.apart.get(&b)), (Some(x), Some(y)) if x != y);
            let links = |&first: &u32| {
                let f = ms[first as usize];
                constraint(ctx, f, i).is_some_and(|c| c.links()) && !apart(f, i)
            };
            match firsts.iter().find(|f| links(f)) {
                Some(&first) => {
                    sets.join_into(first as usize, li);
                }
                None => firsts.push(li as u32),
            }
        }
    }
    let mut group_of: HashMap<u32, usize> = HashMap::default();
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for li in 0..n as u32 {
        let r = sets.find(li as usize) as u32;
        let g = *group_of.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(li);
    }
    let keys = ms.iter().enumerate().flat_map(|(li, &i)| {
        let li = li as u32;
        let co = ctx.coauthors[i].iter().map(move |&c| (TAG_COAUTHOR | c as u64, li));
        let ve = ctx.venue[i].map(|v| (TAG_VENUE | v as u64, li));
        let wo = ctx.rare_words[i].iter().map(move |&w| (TAG_WORD | w as u64, li));
        co.chain(ve).chain(wo)
    });
    // Long lists are paired along (venue, year): a prolific coauthor's papers at one venue and time first.
    let order: Vec<(Option<u32>, Option<i32>)> = ms.iter().map(|&i| (ctx.venue[i], ctx.year[i])).collect();
    let mut candidates = candidate_pairs(keys, config.max_posting, &order);
    candidates.extend(linked_pairs(ctx, ms, config.max_posting));
    candidates.sort_unstable();
    candidates.dedup();
    let mut pairs = Vec::new();
    for (a, b) in candidates {
        let (i, j) = (ms[a as usize], ms[b as usize]);
        if constraint(ctx, i, j).is_none() {
            pairs.push((a, b, pair_pattern(ctx, i, j)));
        }
    }
    let mut negatives = Vec::new();
    let mut sample = Vec::new();
    for (a, b) in sample_pairs(n, SAMPLE_PER_ITEM, b as u64) {
        let (i, j) = (ms[a as usize], ms[b as usize]);
        match constraint(ctx, i, j) {
            None => sample.push(pair_pattern(ctx, i, j)),
            // Nickname pairs are mostly two people: known non-matches for the model, as before nicknames were known.
            Some(Constraint::IncompatibleNames | Constraint::Nickname) => {
                let mut p = pair_pattern(ctx, i, j);
                p[0] = MISSING;
                negatives.push(p);
            }
            Some(_) => {}
        }
    }
    BlockPairs { groups, pairs, negatives, sample }
}

#[derive(PartialEq)]
struct HeapItem(f64, u32, u32, u32, u32);
impl Eq for HeapItem {}
impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then_with(|| (other.1, other.2).cmp(&(self.1, self.2)))
    }
}

/// Constrained average linkage over the sparse probability graph of one block.
pub(crate) fn average_linkage(ctx: &Prepared, config: &Config, b: usize, bp: &BlockPairs, probs: &[f64]) -> Vec<Clus> {
    let ms = &ctx.blocks[b];
    let mut of = vec![0u32; ms.len()];
    let mut clus: Vec<Option<Clus>> = Vec::with_capacity(bp.groups.len());
    for (g, members) in bp.groups.iter().enumerate() {
        let mut c = Clus::single(ctx, ms[members[0] as usize]);
        of[members[0] as usize] = g as u32;
        for &li in &members[1..] {
            of[li as usize] = g as u32;
            c.absorb(Clus::single(ctx, ms[li as usize]), ctx);
        }
        clus.push(Some(c));
    }
    let mut adj: Vec<HashMap<u32, (f64, u32)>> = vec![HashMap::default(); clus.len()];
    for (&(x, y, _), &p) in bp.pairs.iter().zip(probs) {
        let (cx, cy) = (of[x as usize], of[y as usize]);
        if cx == cy {
            continue;
        }
        let edge = adj[cx as usize].entry(cy).or_insert((0.0, 0));
        edge.0 += p;
        edge.1 += 1;
        let edge = adj[cy as usize].entry(cx).or_insert((0.0, 0));
        edge.0 += p;
        edge.1 += 1;
    }
    let mut stamp = vec![0u32; clus.len()];
    let size = |c: &Option<Clus>| c.as_ref().map_or(0, |c| c.members.len()) as f64;
    // Average linkage over all mention pairs of two clusters, where a pair no candidate generation scored counts
    // as `unscored_weight` of a pair of probability 0.
    let linkage = |sum: f64, scored: u32, size_a: f64, size_b: f64| {
        let unscored = (size_a * size_b - scored as f64).max(0.0);
        sum / (scored as f64 + config.unscored_weight * unscored)
    };
    let mut heap = BinaryHeap::new();
    for a in 0..clus.len() {
        for (&c, &(sum, scored)) in &adj[a] {
            if (a as u32) < c {
                let l = linkage(sum, scored, size(&clus[a]), size(&clus[c as usize]));
                if l >= config.threshold {
                    heap.push(HeapItem(l, a as u32, c, 0, 0));
                }
            }
        }
    }
    // An item is stale once either cluster has changed since it was pushed (its stamp moved on).
    while let Some(HeapItem(_, a, c, stamp_a, stamp_c)) = heap.pop() {
        if stamp[a as usize] != stamp_a
            || stamp[c as usize] != stamp_c
            || clus[a as usize].is_none()
            || clus[c as usize].is_none()
        {
            continue;
        }
        let ok = clus[a as usize].as_ref().unwrap().can_merge(clus[c as usize].as_ref().unwrap(), ctx);
        if !ok {
            adj[a as usize].remove(&c);
            adj[c as usize].remove(&a);
            continue;
        }
        // Merge the smaller into the larger.
        let (keep, gone) = if size(&clus[a as usize]) >= size(&clus[c as usize]) { (a, c) } else { (c, a) };
        let g = clus[gone as usize].take().unwrap();
        clus[keep as usize].as_mut().unwrap().absorb(g, ctx);
        let gone_adj = std::mem::take(&mut adj[gone as usize]);
        adj[keep as usize].remove(&gone);
        for (other, (sum, scored)) in gone_adj {
            if other == keep {
                continue;
            }
            adj[other as usize].remove(&gone);
            let edge = adj[keep as usize].entry(other).or_insert((0.0, 0));
            edge.0 += sum;
            edge.1 += scored;
            let edge = *edge;
            adj[other as usize].insert(keep, edge);
        }
        stamp[keep as usize] += 1;
        stamp[gone as usize] += 1;
        let keep_size = size(&clus[keep as usize]);
        let mut neighbours: Vec<(u32, f64, u32)> =
            adj[keep as usize].iter().map(|(&other, &(sum, scored))| (other, sum, scored)).collect();
        neighbours.sort_by_key(|x| x.0);
        for (other, sum, scored) in neighbours {
            let l = linkage(sum, scored, keep_size, size(&clus[other as usize]));
            if l >= config.threshold {
                let (x, y) = if keep < other { (keep, other) } else { (other, keep) };
                heap.push(HeapItem(l, x, y, stamp[x as usize], stamp[y as usize]));
            }
        }
    }
    clus.into_iter().flatten().collect()
}

/// Stage 2 on one block: every cluster F links to the larger cluster C whose profile best explains F's papers
/// (see [`crate::profile`]) when the evidence plus prior log-odds is positive; links are applied best first under
/// the hard constraints. Returns the new clusters and whether any merged.
pub(crate) struct ProfileState {
    pub(crate) clus: Vec<Clus>,
    pub(crate) dists: Vec<Dist>,
    pub(crate) bg: Dist,
}

/// Order of clusters along long inverted lists in profile merging: by their most frequent venue, then their
/// median year, so that neighbours are clusters of one community and time.
fn profile_order(ctx: &Prepared, clus: &[Clus], dists: &[Dist]) -> Vec<(Option<u32>, Option<i32>)> {
    clus.iter()
        .zip(dists)
        .map(|(c, d)| {
            let venue = d.venues.map.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(&v, _)| v);
            let mut years: Vec<i32> = c.members.iter().filter_map(|&i| ctx.year[i]).collect();
            years.sort_unstable();
            (venue, years.get(years.len() / 2).copied())
        })
        .collect()
}

/// Papers each of two clusters needs before different fields keep them apart in profile merging (see
/// [`crate::fields::apart`]).
const PROFILE_VETO_PAPERS: u64 = 20;

pub(crate) fn profile_merge(ctx: &Prepared, config: &Config, b: usize, st: ProfileState) -> (ProfileState, bool) {
    if st.clus.len() < 2 {
        return (st, false);
    }
    let ms = &ctx.blocks[b];
    let ProfileState { clus, dists, bg } = st;
    let keys = clus.iter().enumerate().flat_map(|(ci, c)| {
        let ci = ci as u32;
        let d = &dists[ci as usize];
        let circle = if config.circle_weight > 0.0 { Some(d.circle.map.keys()) } else { None };
        let circle = circle.into_iter().flatten().map(move |&x| (TAG_CIRCLE | x as u64, ci));
        let co = d.coauthors.map.keys().map(move |&x| (TAG_COAUTHOR | x as u64, ci)).chain(circle);
        let ve = d.venues.map.keys().map(move |&v| (TAG_VENUE | v as u64, ci));
        let mut words: Vec<u32> = c.members.iter().flat_map(|&i| ctx.rare_words[i].iter().copied()).collect();
        words.sort_unstable();
        words.dedup();
        let wo = words.into_iter().map(move |w| (TAG_WORD | w as u64, ci));
        co.chain(ve).chain(wo)
    });
    let mut best: Vec<Option<(f64, u32)>> = vec![None; clus.len()];
    // Few clusters: compare them all, so that papers sharing nothing can still join on the prior (a rare name
    // is usually one person). Many clusters: only those sharing a coauthor, venue or rare word.
    let k = clus.len() as u32;
    let pairs = if clus.len() <= config.all_pairs_below {
        (0..k).flat_map(|a| (a + 1..k).map(move |b| (a, b))).collect()
    } else {
        candidate_pairs(keys, config.profile_max_posting, &profile_order(ctx, &clus, &dists))
    };
    for (x, y) in pairs {
        // The smaller cluster F ("from") is explained by the larger C ("to"); ties by index.
        let (size_x, size_y) = (clus[x as usize].members.len(), clus[y as usize].members.len());
        let (f, c) = if (size_x, y) < (size_y, x) { (x, y) } else { (y, x) };
        let (from, to) = (&clus[f as usize], &clus[c as usize]);
        if !from.can_merge(to, ctx) {
            continue;
        }
        // Two large clusters in different fields are two people, whatever they share (a common coauthor name, a
        // broad venue); at 10 papers this cost the ACL variants, whose one person's clusters can be narrow.
        if crate::fields::apart(ctx, &from.members, &to.members, PROFILE_VETO_PAPERS) {
            continue;
        }
        let n = ms.len();
        let directed = |from: &Clus, from_dist: &Dist, to: &Clus, to_dist: &Dist| {
            let signals = evidence(ctx, config, &from.members, from_dist, to_dist, &bg);
            // Papers of one cluster are not independent draws: the summed evidence is damped by |F|^γ.
            let damp = (from.members.len() as f64).powf(config.evidence_exponent);
            signals.iter().sum::<f64>() / damp + prior(from.members.len(), to.members.len(), n) - config.profile_margin
        };
        let (from_dist, to_dist) = (&dists[f as usize], &dists[c as usize]);
        let mut score = directed(from, from_dist, to, to_dist);
        if score > 0.0 && from.members.len() >= config.symmetric_min_size {
            // Two sizable clusters must each explain the other.
            score = score.min(directed(to, to_dist, from, from_dist));
        }
        if score <= 0.0 {
            continue;
        }
        let best_of_f = &mut best[f as usize];
        if best_of_f.is_none_or(|(best_score, best_c)| score > best_score || score == best_score && c < best_c) {
            *best_of_f = Some((score, c));
        }
    }
    let mut links: Vec<(f64, u32, u32)> =
        best.iter().enumerate().filter_map(|(x, b)| b.map(|(p, y)| (p, x as u32, y))).collect();
    if links.is_empty() {
        return (ProfileState { clus, dists, bg }, false);
    }
    links.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut slots: Vec<Option<(Clus, Dist)>> = clus.into_iter().zip(dists).map(Some).collect();
    let mut sets = UnionFind::new(slots.len());
    let mut merged = false;
    for (_, x, y) in links {
        let (rx, ry) = (sets.find(x as usize) as u32, sets.find(y as usize) as u32);
        if rx == ry {
            continue;
        }
        let ok = slots[rx as usize].as_ref().unwrap().0.can_merge(&slots[ry as usize].as_ref().unwrap().0, ctx);
        if !ok {
            continue;
        }
        let (keep, gone) = if slots[rx as usize].as_ref().unwrap().0.members.len()
            >= slots[ry as usize].as_ref().unwrap().0.members.len()
        {
            (rx, ry)
        } else {
            (ry, rx)
        };
        let (gone_clus, gone_dist) = slots[gone as usize].take().unwrap();
        let kept = slots[keep as usize].as_mut().unwrap();
        kept.0.absorb(gone_clus, ctx);
        kept.1.absorb(gone_dist);
        sets.join_into(keep as usize, gone as usize);
        merged = true;
    }
    let (clus, dists) = slots.into_iter().flatten().unzip();
    (ProfileState { clus, dists, bg }, merged)
}

/// Fits a label model: `u` of every signal but the name comes from the known non-matches, then EM learns `m`
/// and the match rate with `u` fixed. With too few known non-matches (a small run), `u` stays at the hand-set
/// priors: EM over a few hundred unlabeled pairs cannot tell `m` from `u`, and on a run that is mostly one
/// person it drifted into calling shared coauthors a sign of different people.
fn fit(
    prior: &FsModel,
    counts: &std::collections::HashMap<Pattern, f64>,
    negatives: &std::collections::HashMap<Pattern, f64>,
    config: &Config,
) -> FsModel {
    let n_neg: f64 = negatives.values().sum();
    if n_neg < 100.0 {
        return prior.fit_with(counts, config.em_iterations, PRIOR_STRENGTH, true);
    }
    let mut start = prior.clone();
    start.u = FsModel::u_from_negatives(negatives, 1.0, &prior.u);
    start.fit_with(counts, config.em_iterations, PRIOR_STRENGTH, true)
}

pub(crate) fn run(ctx: &Prepared, config: &Config, priors: &Model) -> Run {
    let nb = ctx.blocks.len();
    let threads = config.threads.max(1);
    let block_ids: Vec<usize> = (0..nb).collect();
    let trace = std::env::var_os("DISAMBIG_TRACE").is_some();
    let t0 = std::time::Instant::now();
    let pairs: Vec<BlockPairs> = par_map(block_ids.clone(), threads, |b| block_pairs(ctx, config, b));
    if trace {
        let n: usize = pairs.iter().map(|p| p.pairs.len()).sum();
        let s: usize = pairs.iter().map(|p| p.sample.len()).sum();
        eprintln!("pairs: {n} candidates, {s} sampled, {:.1}s", t0.elapsed().as_secs_f64());
    }
    let mut counts: std::collections::HashMap<Pattern, f64> = Default::default();
    let mut negatives: std::collections::HashMap<Pattern, f64> = Default::default();
    for bp in &pairs {
        for p in &bp.sample {
            *counts.entry(*p).or_default() += 1.0;
        }
        for p in &bp.negatives {
            *negatives.entry(*p).or_default() += 1.0;
        }
    }
    let pair_model = fit(&priors.pair, &counts, &negatives, config);
    let stage1: Vec<(f64, Vec<Clus>)> = par_map(pairs.into_iter().enumerate().collect(), threads, |(b, bp)| {
        let lambda = pair_model.block_lambda(&bp.sample, LAMBDA_SHRINK);
        let probs: Vec<f64> = bp.pairs.iter().map(|p| pair_model.probability(&p.2, lambda)).collect();
        (lambda, average_linkage(ctx, config, b, &bp, &probs))
    });
    let block_lambda: Vec<f64> = stage1.iter().map(|x| x.0).collect();
    if trace {
        eprintln!("stage 1 done: {:.1}s", t0.elapsed().as_secs_f64());
    }
    let clusters: Vec<Vec<Clus>> = stage1.into_iter().map(|x| x.1).collect();
    let mut states: Vec<ProfileState> = par_map(clusters.into_iter().enumerate().collect(), threads, |(b, clus)| {
        let (dists, bg) = if clus.len() > 1 && config.profile_rounds > 0 {
            (clus.iter().map(|c| Dist::of(ctx, &c.members)).collect(), Dist::of(ctx, &ctx.blocks[b]))
        } else {
            (Vec::new(), Dist::default())
        };
        ProfileState { clus, dists, bg }
    });
    let mut active: Vec<bool> = vec![true; nb];
    for _round in 0..config.profile_rounds {
        let work: Vec<(usize, ProfileState)> = states.into_iter().enumerate().collect();
        let merged: Vec<(ProfileState, bool)> =
            par_map(work, threads, |(b, st)| if active[b] { profile_merge(ctx, config, b, st) } else { (st, false) });
        active = merged.iter().map(|x| x.1).collect();
        if trace {
            let n = active.iter().filter(|&&x| x).count();
            eprintln!("profile round: {n} blocks merged, {:.1}s", t0.elapsed().as_secs_f64());
        }
        states = merged.into_iter().map(|x| x.0).collect();
        if !active.iter().any(|&x| x) {
            break;
        }
    }
    let clusters: Vec<Vec<Clus>> = if config.rare_names {
        let rarity = crate::rarity::Rarity::of(ctx);
        states.into_iter().map(|s| crate::rarity::join_rare(ctx, s.clus, &rarity)).collect()
    } else {
        states.into_iter().map(|s| s.clus).collect()
    };
    let mut cluster = vec![0u32; ctx.names.len()];
    let mut next = 0u32;
    for cl in &clusters {
        for c in cl {
            for &i in &c.members {
                cluster[i] = next;
            }
            next += 1;
        }
    }
    Run { cluster, block_lambda, model: Model { pair: pair_model } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::prepare;
    use crate::Mention;

    fn mention(work: &str, position: u32, venue: &str, coauthor: &str, source: Option<&str>) -> Mention {
        Mention {
            work: work.into(),
            position,
            name: "John Smith".into(),
            source_id: source.map(String::from),
            coauthors: vec![coauthor.into()],
            venue: Some(venue.into()),
            year: Some(2020),
            // No title word in common: the tests decide what is shared through venues and coauthors alone.
            title: format!("Topic{work}"),
            cites: Vec::new(),
        }
    }

    /// The clusters as sets of mention indices, sorted, so tests read them whatever the block's order.
    fn as_sets(ctx: &Prepared, clus: &[Clus]) -> Vec<Vec<usize>> {
        let _ = ctx;
        let mut out: Vec<Vec<usize>> = clus
            .iter()
            .map(|c| {
                let mut m = c.members.clone();
                m.sort_unstable();
                m
            })
            .collect();
        out.sort();
        out
    }

    /// A cluster of the given mentions, as stage 1 would leave it.
    fn cluster_of(ctx: &Prepared, members: &[usize]) -> Clus {
        let mut c = Clus::single(ctx, members[0]);
        for &i in &members[1..] {
            c.absorb(Clus::single(ctx, i), ctx);
        }
        c
    }

    /// Two communities of ten authors, each publishing six papers in each of its own six venues ("Db0"…"Db5",
    /// "Gen0"…"Gen5"): enough for the run to learn two fields.
    fn two_fields() -> Vec<Mention> {
        let mut ms = Vec::new();
        for tag in ["Db", "Gen"] {
            for v in 0..6 {
                for w in 0..6 {
                    let pick = |x: usize| format!("{tag} Author{}", (v * 3 + w * 7 + x * 4) % 10);
                    let mut m = mention(&format!("{tag}{v}-{w}"), 1, &format!("{tag}{v}"), &pick(1), None);
                    m.name = pick(0);
                    m.coauthors.push(pick(2));
                    ms.push(m);
                }
            }
        }
        ms
    }

    /// One block of four mentions, scored pairs (0,1), (1,2), (2,3) with the given probabilities (mention indices).
    fn chain(mentions: &[Mention], probs: [f64; 3], config: &Config) -> Vec<Vec<usize>> {
        let ctx = prepare(mentions);
        assert_eq!(ctx.blocks.len(), 1, "one name, one block");
        let ms = &ctx.blocks[0];
        let local = |i: usize| ms.iter().position(|&m| m == i).unwrap() as u32;
        let bp = BlockPairs {
            groups: (0..ms.len() as u32).map(|li| vec![li]).collect(),
            pairs: vec![(0, 1), (1, 2), (2, 3)].into_iter().map(|(a, b)| (local(a), local(b), [0; 6])).collect(),
            negatives: Vec::new(),
            sample: Vec::new(),
        };
        as_sets(&ctx, &average_linkage(&ctx, config, 0, &bp, &probs))
    }

    fn four() -> Vec<Mention> {
        (0..4).map(|i| mention(&format!("w{i}"), 1, "VLDB", "Ann Lee", None)).collect()
    }

    #[test]
    fn average_linkage_merges_down_to_the_threshold() {
        let config = Config { threshold: 0.5, unscored_weight: 0.0, ..Config::default() };
        // 0-1 (0.9) merge first; {0,1}-2 averages the one scored pair, 0.8: merges; {0,1,2}-3 is 0.1: stays apart.
        assert_eq!(chain(&four(), [0.9, 0.8, 0.1], &config), vec![vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn pairs_nobody_scored_pull_the_average_down() {
        // With unscored pairs weighing fully, {0,1}-2 averages 0.8 over two pairs (0-2 unscored): 0.4 < 0.5.
        let config = Config { threshold: 0.5, unscored_weight: 1.0, ..Config::default() };
        assert_eq!(chain(&four(), [0.9, 0.8, 0.1], &config), vec![vec![0, 1], vec![2], vec![3]]);
    }

    #[test]
    fn cannot_links_hold_whatever_the_probability() {
        let config = Config { threshold: 0.5, unscored_weight: 0.0, ..Config::default() };
        // 0 and 1 are two authors of one paper; 2 and 3 carry different ORCIDs.
        let mut ms = four();
        ms[1].work = "w0".into();
        ms[1].position = 2;
        ms[2].source_id = Some("orcid:0000-0002-1825-0097".into());
        ms[3].source_id = Some("orcid:0000-0002-1694-233X".into());
        assert_eq!(chain(&ms, [0.99, 0.1, 0.99], &config), vec![vec![0], vec![1], vec![2], vec![3]]);
    }

    #[test]
    fn a_shared_source_id_is_a_must_link_group() {
        let mut ms = four();
        ms[0].source_id = Some("orcid:0000-0002-1825-0097".into());
        ms[3].source_id = Some("orcid:0000-0002-1825-0097".into());
        let ctx = prepare(&ms);
        let bp = block_pairs(&ctx, &Config::default(), 0);
        let mut groups: Vec<Vec<usize>> = bp
            .groups
            .iter()
            .map(|g| {
                let mut m: Vec<usize> = g.iter().map(|&li| ctx.blocks[0][li as usize]).collect();
                m.sort_unstable();
                m
            })
            .collect();
        groups.sort();
        assert_eq!(groups, vec![vec![0, 3], vec![1], vec![2]]);
        assert!(
            bp.pairs.iter().all(|&(a, b, _)| {
                let (i, j) = (ctx.blocks[0][a as usize], ctx.blocks[0][b as usize]);
                !(i.min(j) == 0 && i.max(j) == 3)
            }),
            "a must-linked pair is not scored"
        );
    }

    #[test]
    fn profile_merging_joins_a_cluster_its_person_explains_and_leaves_a_stranger() {
        // A: three papers at VLDB with Ann Lee. B: one more such paper. C: two papers at Nature Genetics with Bob Roe,
        // sharing nothing with A or B, so never compared with them (today's rule; a rare name's prior alone would
        // join them in a block this small).
        let mut ms: Vec<Mention> = (0..4).map(|i| mention(&format!("w{i}"), 1, "VLDB", "Ann Lee", None)).collect();
        ms.push(mention("w4", 1, "Nature Genetics", "Bob Roe", None));
        ms.push(mention("w5", 1, "Nature Genetics", "Bob Roe", None));
        let ctx = prepare(&ms);
        let config = Config::default();
        let clus: Vec<Clus> = [vec![0, 1, 2], vec![3], vec![4, 5]]
            .iter()
            .map(|members: &Vec<usize>| {
                let mut c = Clus::single(&ctx, members[0]);
                for &i in &members[1..] {
                    c.absorb(Clus::single(&ctx, i), &ctx);
                }
                c
            })
            .collect();
        let dists = clus.iter().map(|c| Dist::of(&ctx, &c.members)).collect();
        let bg = Dist::of(&ctx, &ctx.blocks[0]);
        let (state, merged) = profile_merge(&ctx, &config, 0, ProfileState { clus, dists, bg });
        assert!(merged);
        assert_eq!(as_sets(&ctx, &state.clus), vec![vec![0, 1, 2, 3], vec![4, 5]]);
        assert_eq!(state.dists.iter().map(|d| d.size).sum::<u32>(), 6, "profiles merged with their clusters");
    }

    #[test]
    fn a_cluster_whose_coauthors_wrote_with_the_persons_coauthors_joins_through_the_circle() {
        // A: three papers at VLDB with Ann Lee. B: one at ICDE with Carl Diaz, who has written with Ann Lee
        // elsewhere (Mary Poe's paper). B shares no coauthor, venue or title word with A: only the circle joins
        // them. C: Bob Roe's two papers, whom nobody of A's circle has written with, stays apart.
        let mut ms: Vec<Mention> = (0..3).map(|i| mention(&format!("w{i}"), 1, "VLDB", "Ann Lee", None)).collect();
        ms.push(mention("w3", 1, "ICDE", "Carl Diaz", None));
        ms.push(mention("w4", 1, "Nature Genetics", "Bob Roe", None));
        ms.push(mention("w5", 1, "Nature Genetics", "Bob Roe", None));
        let mut other = mention("w6", 1, "SIGMOD", "Ann Lee", None);
        other.name = "Mary Poe".into();
        other.coauthors.push("Carl Diaz".into());
        ms.push(other);
        let ctx = prepare(&ms);
        let block = ctx.block_of[0] as usize;
        let run = |config: &Config| {
            let clus: Vec<Clus> = [vec![0, 1, 2], vec![3], vec![4, 5]].iter().map(|m| cluster_of(&ctx, m)).collect();
            let dists = clus.iter().map(|c| Dist::of(&ctx, &c.members)).collect();
            let bg = Dist::of(&ctx, &ctx.blocks[block]);
            let (state, _) = profile_merge(&ctx, config, block, ProfileState { clus, dists, bg });
            as_sets(&ctx, &state.clus)
        };
        let config = Config::default();
        assert!(config.circle_weight > 0.0);
        assert_eq!(run(&config), vec![vec![0, 1, 2, 3], vec![4, 5]]);
        let (a, b) = (Dist::of(&ctx, &[0, 1, 2]), Dist::of(&ctx, &[3]));
        let bg = Dist::of(&ctx, &ctx.blocks[block]);
        assert!(crate::profile::evidence(&ctx, &config, &[3], &b, &a, &bg)[3] > 0.0, "the circle is evidence");
        let without = Config { circle_weight: 0.0, ..Config::default() };
        assert_eq!(run(&without), vec![vec![0, 1, 2], vec![3], vec![4, 5]], "never compared without the circle");
    }

    #[test]
    fn a_circle_never_holds_a_name_of_its_own_block() {
        // Every authorship is a mention, so Ann Lee's paper with John Smith and Carl Diaz links John Smith to
        // Carl Diaz: without care, "John Smith" would be in the circle of every John Smith paper with Carl Diaz.
        let mut ms = vec![mention("w0", 2, "VLDB", "Carl Diaz", None)];
        let mut ann = mention("w1", 1, "SIGMOD", "John Smith", None);
        ann.name = "Ann Lee".into();
        ann.coauthors.push("Carl Diaz".into());
        ms.push(ann);
        let mut theirs = mention("w1", 2, "SIGMOD", "Ann Lee", None);
        theirs.coauthors.push("Carl Diaz".into());
        ms.push(theirs);
        let ctx = prepare(&ms);
        let circle = crate::profile::circle(&ctx, 0);
        assert!(!circle.is_empty(), "Carl Diaz and Ann Lee");
        let own = &ctx.block_names[ctx.block_of[0] as usize];
        assert!(circle.iter().all(|x| own.binary_search(x).is_err()), "{circle:?} holds {own:?}");
    }

    #[test]
    fn a_venue_of_the_persons_field_is_evidence_for_them_and_one_of_another_field_against() {
        // Two fields (see `two_fields`). John Smith A: three papers at Db0 with Ann Lee. F: one at Db3 with a
        // stranger; G: one at Gen2 with a stranger. The block's other John Smith papers are at Gen0 and Gen1.
        // Neither F nor G shares a venue or coauthor with A: only fields differ.
        let mut ms = two_fields();
        let first = ms.len();
        for i in 0..3 {
            ms.push(mention(&format!("a{i}"), 1, "Db0", "Ann Lee", None));
        }
        ms.push(mention("f", 1, "Db3", "Zed Quux", None));
        ms.push(mention("g", 1, "Gen2", "Yan Ox", None));
        for i in 0..3 {
            ms.push(mention(&format!("r{i}"), 1, &format!("Gen{}", i % 2), "Bob Roe", None));
        }
        let ctx = prepare(&ms);
        let (a, f, g) = (first, first + 3, first + 4);
        assert_eq!(ctx.field[a], ctx.field[f], "Db0 and Db3 are one field");
        assert_ne!(ctx.field[a], ctx.field[g], "Db0 and Gen2 are not");
        let block = ctx.block_of[a] as usize;
        let config = Config::default();
        assert!(config.field_weight > 0.0);
        let bg = Dist::of(&ctx, &ctx.blocks[block]);
        let to = Dist::of(&ctx, &[a, a + 1, a + 2]);
        let field_evidence =
            |i: usize| crate::profile::evidence(&ctx, &config, &[i], &Dist::of(&ctx, &[i]), &to, &bg)[4];
        assert!(field_evidence(f) > 0.0, "{}", field_evidence(f));
        assert!(field_evidence(g) < 0.0, "{}", field_evidence(g));
        let without = Config { field_weight: 0.0, ..Config::default() };
        assert_eq!(crate::profile::evidence(&ctx, &without, &[f], &Dist::of(&ctx, &[f]), &to, &bg)[4], 0.0);
    }

    #[test]
    fn large_clusters_in_different_fields_stay_apart_whatever_they_share() {
        // Two fields (see `two_fields`). John Smith A: n papers at Db venues with Ann Lee; B: n papers at Gen
        // venues with Ann Lee too (a common coauthor name). At 20 papers each their fields keep them apart; at 10
        // the shared coauthor joins them.
        let run = |n: usize| {
            let mut ms = two_fields();
            let first = ms.len();
            for i in 0..n {
                ms.push(mention(&format!("a{i}"), 1, &format!("Db{}", i % 3), "Ann Lee", None));
            }
            for i in 0..n {
                ms.push(mention(&format!("b{i}"), 1, &format!("Gen{}", i % 3), "Ann Lee", None));
            }
            let ctx = prepare(&ms);
            let block = ctx.block_of[first] as usize;
            let a: Vec<usize> = (first..first + n).collect();
            let b: Vec<usize> = (first + n..first + 2 * n).collect();
            let clus = vec![cluster_of(&ctx, &a), cluster_of(&ctx, &b)];
            let dists = clus.iter().map(|c| Dist::of(&ctx, &c.members)).collect();
            let bg = Dist::of(&ctx, &ctx.blocks[block]);
            let (state, _) = profile_merge(&ctx, &Config::default(), block, ProfileState { clus, dists, bg });
            state.clus.len()
        };
        assert_eq!(run(10), 1, "ten papers each: the shared coauthor joins them");
        assert_eq!(run(20), 2, "twenty papers each in different fields: two people");
    }
}
