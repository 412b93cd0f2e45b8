//! The root: [`Engine`] over leaves. Searches run in three rounds (statistics, top k, the page's works) so that
//! the merged page ranks as one index holding every shard's works would; everything else is asked of every shard
//! and merged (works, name clusters, people), or of the shard that holds the work.

use crate::client::{CallError, ShardSet};
use crate::spec::Spec;
use arrow_engine::{
    merge_facets, settled, AuthorSuggestion, Engine, EngineError, IndexError, NameCluster, PeopleFitting, PersonFit,
    PersonProfile, PersonSummary, Plan, SearchHit, SearchMode, SearchPage, SearchRequest, ShardCall, ShardHits,
    ShardPrep, Stats, TermStats, TitleSuggestion, VersionRef,
};
use arrow_model::Work;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Instant, SystemTime};

/// Where the shard layout comes from: given once, or a file re-read when it changes (a snapshot swap: start the
/// new leaves, rewrite the file, stop the old leaves once no request uses them).
enum Source {
    Fixed,
    File { path: PathBuf, seen: Mutex<(Option<SystemTime>, Instant)> },
}

pub struct Root {
    current: RwLock<Arc<ShardSet>>,
    source: Source,
    token: String,
}

fn unavailable(e: CallError) -> EngineError {
    match e {
        CallError::Unavailable(m) => EngineError::Unavailable(m),
        CallError::Refused(m) => EngineError::Remote(m),
    }
}

fn decode<T: DeserializeOwned>(v: Value) -> Result<T, EngineError> {
    serde_json::from_value(v)
        .map_err(|e| EngineError::Unavailable(format!("a shard answered something unreadable: {e}")))
}

impl Root {
    /// `spec` is a shard list (see [`Spec`]) or the path of a file holding one, re-read when it changes.
    pub fn new(spec: &str, token: &str) -> Result<Root, String> {
        let (parsed, source) = if spec.trim_start().starts_with("http://") {
            (spec.parse::<Spec>()?, Source::Fixed)
        } else {
            let path = PathBuf::from(spec);
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{spec}: {e}"))?;
            let mtime = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            let parsed = text.parse::<Spec>().map_err(|e| format!("{spec}: {e}"))?;
            (parsed, Source::File { path, seen: Mutex::new((mtime, Instant::now())) })
        };
        Ok(Root { current: RwLock::new(Arc::new(ShardSet::new(&parsed, token))), source, token: token.to_string() })
    }

    /// The shard set to answer with; a request keeps the set it started with even if a swap happens meanwhile.
    pub fn shards(&self) -> Arc<ShardSet> {
        if let Source::File { path, seen } = &self.source {
            let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
            if seen.1.elapsed().as_millis() >= 200 {
                seen.1 = Instant::now();
                let mtime = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                if mtime != seen.0 {
                    match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| t.parse::<Spec>()) {
                        Ok(spec) => {
                            seen.0 = mtime;
                            tracing::info!(shards = spec.shards.len(), "shard list changed; swapping in the new set");
                            *self.current.write().unwrap_or_else(|p| p.into_inner()) =
                                Arc::new(ShardSet::new(&spec, &self.token));
                        }
                        Err(e) => tracing::warn!(error = %e, "shard list unreadable; keeping the current set"),
                    }
                }
            }
        }
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Health checks every second, for as long as the root lives.
    pub fn start_probes(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        std::thread::spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            match weak.upgrade() {
                Some(root) => root.shards().probe(),
                None => break,
            }
        });
    }

    /// Every shard's answer that came, and whether any did not.
    fn gather<T: DeserializeOwned>(&self, set: &ShardSet, call: &ShardCall) -> Result<(Vec<T>, bool), EngineError> {
        let mut partial = false;
        let found = answered(0..set.len(), set.all(call), &mut partial)?;
        Ok((found.into_iter().map(|(_, t)| t).collect(), partial))
    }

    /// Every shard's answer, or an error if any shard could not answer (for results that would be wrong partial).
    fn gather_all<T: DeserializeOwned>(&self, call: &ShardCall) -> Result<Vec<T>, EngineError> {
        let set = self.shards();
        set.all(call).into_iter().map(|r| r.map_err(unavailable).and_then(decode)).collect()
    }
}

/// The answers that came, with the shard each is from (`shards` in the order of `results`); `partial` is set
/// when a shard could not answer. A shard refusing the request as bad input makes it the request's error.
fn answered<T: DeserializeOwned>(
    shards: impl IntoIterator<Item = usize>,
    results: Vec<Result<Value, CallError>>,
    partial: &mut bool,
) -> Result<Vec<(usize, T)>, EngineError> {
    let mut out = Vec::new();
    for (i, r) in shards.into_iter().zip(results) {
        match r {
            Ok(v) => out.push((i, decode(v)?)),
            Err(CallError::Unavailable(m)) => {
                tracing::warn!(error = %m, "a shard is unavailable");
                *partial = true;
            }
            Err(e) => return Err(unavailable(e)),
        }
    }
    Ok(out)
}

/// A cursor of the root: the position in the merged list, and what it belongs to.
fn cursor_for(pos: usize, request: u64) -> String {
    format!("s{pos}-{request:016x}")
}

fn read_cursor(text: &str, request: u64) -> Result<usize, EngineError> {
    let bad = || EngineError::Index(IndexError::Cursor(text.to_string()));
    let (pos, hash) = text.strip_prefix('s').and_then(|t| t.split_once('-')).ok_or_else(bad)?;
    if u64::from_str_radix(hash, 16).ok() != Some(request) {
        return Err(bad());
    }
    pos.parse().map_err(|_| bad())
}

/// What a cursor belongs to: the search (not its page) and the shard set.
fn request_hash(req: &SearchRequest, generation: u64) -> u64 {
    let search = serde_json::to_string(&(&req.q, &req.filters, req.sort, req.facets)).unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&(search, generation), &mut h);
    std::hash::Hasher::finish(&h)
}

impl Engine for Root {
    fn search_in(&self, opts: &SearchRequest, mode: Option<SearchMode>) -> Result<SearchPage, EngineError> {
        if mode.is_some_and(SearchMode::needs_vectors) {
            return Err(EngineError::NotOnRoot("ranking by meaning"));
        }
        let set = self.shards();
        let req = settled(opts);
        let request = request_hash(&req, set.generation);
        let pos = match req.cursor.as_deref() {
            Some(c) => read_cursor(c, request)?,
            None => req.offset,
        };
        // The root's cursor means nothing to a shard, which is asked for its top k instead.
        let leaf = SearchRequest { cursor: None, ..req.clone() };
        // Round 1: statistics and the plan. A shard that cannot answer is left out of all rounds.
        let mut partial = false;
        let preps = set.all(&ShardCall::Prepare { req: leaf.clone() });
        let (ids, prepared): (Vec<usize>, Vec<ShardPrep>) =
            answered(0..set.len(), preps, &mut partial)?.into_iter().unzip();
        let mut stats = TermStats::default();
        for p in &prepared {
            stats.add(&p.stats);
        }
        // Round 2: each shard's top k under the global statistics; once more with the fallback plan when nothing
        // matched exactly anywhere.
        let k = pos + req.limit;
        let mut plan = Plan::first(&prepared);
        let mut answers = loop {
            let calls: Vec<(usize, ShardCall)> = ids
                .iter()
                .map(|&i| (i, ShardCall::Search { req: leaf.clone(), plan, stats: stats.clone(), k }))
                .collect();
            let answers: Vec<(usize, ShardHits)> = answered(ids.iter().copied(), set.each(&calls), &mut partial)?;
            let exact: u64 = answers.iter().map(|(_, a)| a.total).sum();
            match Plan::fallback(&prepared, exact).filter(|_| plan == Plan::Exact) {
                Some(next) => plan = next,
                None => break answers,
            }
        };
        let total: u64 = answers.iter().map(|(_, a)| a.total).sum();
        let facets = req.facets.then(|| merge_facets(answers.iter_mut().filter_map(|(_, a)| a.facets.take())));
        // Rank, then shard, then the shard's own order: a total order, the same on every call.
        let mut merged: Vec<(u64, usize, usize, i64, f32)> = answers
            .iter()
            .flat_map(|(s, a)| a.hits.iter().enumerate().map(move |(n, h)| (h.rank, *s, n, h.key, h.score)))
            .collect();
        merged.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let page: Vec<(usize, i64, f32)> =
            merged.iter().skip(pos).take(req.limit).map(|&(_, s, _, key, score)| (s, key, score)).collect();
        // Round 3: the page's works, from the shards holding them.
        let mut by_shard: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
        for (s, key, _) in &page {
            by_shard.entry(*s).or_default().push(*key);
        }
        let fuzzy = plan == Plan::Fuzzy;
        let calls: Vec<(usize, ShardCall)> = by_shard
            .iter()
            .map(|(s, keys)| (*s, ShardCall::Fetch { req: leaf.clone(), fuzzy, keys: keys.clone() }))
            .collect();
        let fetched: Vec<(usize, Vec<Option<SearchHit>>)> =
            answered(by_shard.keys().copied(), set.each(&calls), &mut partial)?;
        let mut works: HashMap<(usize, i64), SearchHit> = HashMap::new();
        for (s, hits) in fetched {
            // `None` for a work deleted between rounds: left off the page.
            let keys = by_shard.get(&s).map(Vec::as_slice).unwrap_or_default();
            works.extend(keys.iter().zip(hits).filter_map(|(k, h)| Some(((s, *k), h?))));
        }
        let raw = page.len();
        let mut shown_groups: HashSet<String> = HashSet::new();
        let mut hits = Vec::with_capacity(page.len());
        for (s, key, score) in page {
            let Some(mut hit) = works.remove(&(s, key)) else { continue };
            hit.score = score;
            // One entry per version group, as one index shows it: the best-ranked version, the others attached.
            if !hit.versions.is_empty() {
                let group = hit.versions.iter().map(|v| v.id.as_str()).chain([hit.work.id.0.as_str()]).min();
                if !shown_groups.insert(group.unwrap_or_default().to_string()) {
                    continue;
                }
            }
            hits.push(hit);
        }
        let end = pos + raw;
        let total = total as usize;
        Ok(SearchPage {
            total,
            offset: pos,
            hits,
            facets,
            fuzzy,
            lenient: plan == Plan::Lenient,
            mode: SearchMode::Lexical,
            next_cursor: (raw == req.limit && end < total).then(|| cursor_for(end, request)),
            partial,
        })
    }

    fn work(&self, id: &str) -> Result<Option<Work>, EngineError> {
        let set = self.shards();
        let (found, partial): (Vec<Option<Work>>, bool) = self.gather(&set, &ShardCall::Work { id: id.into() })?;
        match found.into_iter().flatten().next() {
            Some(w) => Ok(Some(w)),
            None if partial => Err(EngineError::Unavailable(format!("the shard that may hold {id} is unavailable"))),
            None => Ok(None),
        }
    }

    fn versions_of(&self, id: &str) -> Result<Vec<VersionRef>, EngineError> {
        // Versions of one paper are kept in one shard; the others know nothing of the work.
        let found: Vec<Vec<VersionRef>> = self.gather_all(&ShardCall::VersionsOf { id: id.into() })?;
        Ok(found.into_iter().flatten().collect())
    }

    fn related(&self, id: &str, limit: usize) -> Result<Vec<SearchHit>, EngineError> {
        // Answered by the shard holding the work, from its own works.
        let set = self.shards();
        let (found, _): (Vec<Vec<SearchHit>>, bool) =
            self.gather(&set, &ShardCall::Related { id: id.into(), limit })?;
        Ok(found.into_iter().flatten().collect())
    }

    fn name_cluster(&self, name: &str) -> Result<NameCluster, EngineError> {
        let parts: Vec<NameCluster> = self.gather_all(&ShardCall::NameCluster { name: name.into() })?;
        let mut works: Vec<Work> = Vec::new();
        let mut variants = BTreeSet::new();
        let mut also: Vec<String> = Vec::new();
        let mut persons = Vec::new();
        let mut rows = BTreeSet::new();
        for p in parts {
            works.extend(p.works);
            variants.extend(p.variants);
            rows.extend(p.author_row_ids);
            for n in p.also_published_as {
                if !also.contains(&n) {
                    also.push(n);
                }
            }
            for d in p.dblp_persons {
                if !persons.contains(&d) {
                    persons.push(d);
                }
            }
        }
        arrow_engine::sort_for_cluster(&mut works);
        Ok(NameCluster {
            name: name.to_string(),
            author_rows: rows.len(),
            author_row_ids: rows.into_iter().collect(),
            variants: variants.into_iter().collect(),
            also_published_as: also,
            dblp_persons: persons,
            works,
        })
    }

    fn people_named(&self, name: &str) -> Result<Vec<PersonSummary>, EngineError> {
        let parts: Vec<Vec<PersonSummary>> = self.gather_all(&ShardCall::PeopleNamed { name: name.into() })?;
        let mut named: BTreeMap<String, u64> = BTreeMap::new();
        for p in parts.into_iter().flatten() {
            *named.entry(p.id).or_default() += p.works_with_name;
        }
        // A person's works may lie in several shards, under any name: their tallies are summed over all shards.
        let ids: Vec<String> = named.keys().cloned().collect();
        let tallies: Vec<Vec<arrow_engine::PersonDetails>> = self.gather_all(&ShardCall::PeopleDetails { ids })?;
        let mut details: HashMap<String, arrow_engine::PersonDetails> = HashMap::new();
        for d in tallies.into_iter().flatten() {
            match details.get_mut(&d.person) {
                Some(sum) => sum.absorb(d),
                None => {
                    details.insert(d.person.clone(), d);
                }
            }
        }
        let mut out: Vec<PersonSummary> =
            named.into_iter().map(|(id, n)| PersonSummary::new(id.clone(), n, details.remove(&id))).collect();
        out.sort_by(|a, b| b.works_with_name.cmp(&a.works_with_name).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    fn people_fitting(&self, name: &str, limit: usize) -> Result<PeopleFitting, EngineError> {
        // A person's works can lie in several shards: each shard's whole list, summed per person, then ranked.
        let call = ShardCall::PeopleFitting { name: name.into(), limit: usize::MAX };
        let parts: Vec<PeopleFitting> = self.gather_all(&call)?;
        let mut people: BTreeMap<String, PersonFit> = BTreeMap::new();
        for p in parts.into_iter().flat_map(|f| f.people) {
            let sum = people.entry(p.id.clone()).or_insert_with(|| PersonFit { id: p.id, works: 0, names: Vec::new() });
            sum.works += p.works;
            for (written, n) in p.names {
                match sum.names.iter_mut().find(|(w, _)| *w == written) {
                    Some(known) => known.1 += n,
                    None => sum.names.push((written, n)),
                }
            }
        }
        Ok(PeopleFitting::ranked(people.into_values().collect(), limit))
    }

    fn people_of_work(&self, id: &str) -> Result<Vec<Option<String>>, EngineError> {
        // A work is stored in one shard; the others know nothing of it.
        let parts: Vec<Vec<Option<String>>> = self.gather_all(&ShardCall::PeopleOfWork { id: id.into() })?;
        Ok(parts.into_iter().find(|p| !p.is_empty()).unwrap_or_default())
    }

    fn person(&self, id: &str) -> Result<Option<PersonProfile>, EngineError> {
        let parts: Vec<Option<PersonProfile>> = self.gather_all(&ShardCall::Person { id: id.into() })?;
        let parts: Vec<PersonProfile> = parts.into_iter().flatten().collect();
        if parts.is_empty() {
            return Ok(None);
        }
        // Counts are per work, and a work is in one shard: sums are exact.
        let sum = |lists: Vec<Vec<(String, u64)>>| {
            let mut m: HashMap<String, u64> = HashMap::new();
            for (k, v) in lists.into_iter().flatten() {
                *m.entry(k).or_default() += v;
            }
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let mut years: BTreeMap<i32, u64> = BTreeMap::new();
        let mut works = Vec::new();
        let orcid = parts.iter().find_map(|p| p.orcid.clone());
        let (mut variants, mut coauthors, mut venues) = (Vec::new(), Vec::new(), Vec::new());
        let mut positions = BTreeMap::new();
        // Each coauthor person's names, counted over the shards their shared works lie in.
        let mut coauthor_people: BTreeMap<String, HashMap<String, u64>> = BTreeMap::new();
        for p in parts {
            positions.extend(p.positions);
            for c in p.coauthor_people {
                let names = coauthor_people.entry(c.person).or_default();
                for (name, n) in c.names {
                    *names.entry(name).or_default() += n;
                }
            }
            for (y, n) in p.years {
                *years.entry(y).or_default() += n;
            }
            works.extend(p.works);
            variants.push(p.variants);
            coauthors.push(p.coauthors);
            venues.push(p.venues);
        }
        arrow_engine::sort_for_cluster(&mut works);
        let variants = sum(variants);
        Ok(Some(PersonProfile {
            id: id.to_string(),
            name: variants.first().map(|v| v.0.clone()).unwrap_or_default(),
            variants,
            works,
            coauthors: sum(coauthors),
            venues: sum(venues),
            years: years.into_iter().collect(),
            orcid,
            positions,
            coauthor_people: arrow_engine::CoauthorPerson::ranked(
                coauthor_people
                    .into_iter()
                    .map(|(person, names)| arrow_engine::CoauthorPerson::new(person, names.into_iter().collect())),
            ),
        }))
    }

    fn suggest_authors(&self, prefix: &str, limit: usize) -> Result<Vec<AuthorSuggestion>, EngineError> {
        // Each shard's best names, counts summed: a name just below every shard's cut can be missed.
        let set = self.shards();
        let call = ShardCall::SuggestAuthors { prefix: prefix.into(), limit };
        let (parts, _): (Vec<Vec<AuthorSuggestion>>, bool) = self.gather(&set, &call)?;
        let mut sums: HashMap<String, u64> = HashMap::new();
        for s in parts.into_iter().flatten() {
            *sums.entry(s.name).or_default() += s.works;
        }
        let mut out: Vec<AuthorSuggestion> =
            sums.into_iter().map(|(name, works)| AuthorSuggestion { name, works }).collect();
        out.sort_by(|a, b| b.works.cmp(&a.works).then_with(|| a.name.cmp(&b.name)));
        out.truncate(limit.max(1));
        Ok(out)
    }

    fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<TitleSuggestion>, EngineError> {
        // The shards' lists taken in turn (their scores are not comparable).
        let set = self.shards();
        let call = ShardCall::SuggestTitles { prefix: prefix.into(), limit };
        let (parts, _): (Vec<Vec<TitleSuggestion>>, bool) = self.gather(&set, &call)?;
        let longest = parts.iter().map(Vec::len).max().unwrap_or(0);
        let mut out = Vec::new();
        for n in 0..longest {
            out.extend(parts.iter().filter_map(|p| p.get(n).cloned()));
        }
        out.truncate(limit.max(1));
        Ok(out)
    }

    fn stats(&self) -> Result<Stats, EngineError> {
        let parts: Vec<Stats> = self.gather_all(&ShardCall::Stats)?;
        Ok(parts.into_iter().fold(Stats::default(), |a, s| Stats {
            works: a.works + s.works,
            authorships: a.authorships + s.authorships,
            // A name written in works of several shards counts once per shard.
            distinct_names: a.distinct_names + s.distinct_names,
            seq: a.seq.max(s.seq),
        }))
    }

    fn has_vectors(&self) -> bool {
        false
    }
}
