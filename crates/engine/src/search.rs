use crate::{Arrow, EngineError, VersionRef};
use arrow_index::{Facets, Hit, SearchRequest, SearchResult, Snippet, Sort};
use arrow_model::Work;
use arrow_query::{IdKind, Query};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Largest page a caller may ask for.
pub const MAX_PAGE: usize = 100;
/// Most suggestions a caller may ask for.
pub const MAX_SUGGESTIONS: usize = 50;
/// Folded prefixes this short have their author suggestions cached per store sequence.
const CACHED_PREFIX_BYTES: usize = 3;

/// The matched words of a hit: the whole title and a fragment of the abstract, as text with byte ranges
/// and as ready, escaped HTML.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Highlight {
    pub title: Snippet,
    /// `title` as HTML: escaped, matches in `<mark>`.
    pub title_html: String,
    /// The abstract fragment with the most matched words (its opening when none matched); `None` without
    /// an abstract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet_html: Option<String>,
}

/// An author name matching what is being typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorSuggestion {
    /// The name as written in one of its works ("Christopher Ré").
    pub name: String,
    /// Works with an author of this name, diacritics and case aside.
    pub works: u64,
}

/// A work whose title matches what is being typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleSuggestion {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SearchHit {
    pub score: f32,
    pub work: Work,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlight: Option<Highlight>,
    /// The work's other versions (one paper published more than once), oldest first; in a search page,
    /// the best-ranked version stands for its group and the others are not listed separately.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionRef>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SearchPage {
    pub total: usize,
    /// Hits before this page.
    pub offset: usize,
    pub hits: Vec<SearchHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// True when no work matched exactly and these are one-edit (typo-tolerant) matches.
    pub fuzzy: bool,
    /// True when a long plain-word query was ranked leniently: works with most of its words, not all.
    pub lenient: bool,
    /// How the page was ranked.
    pub mode: crate::SearchMode,
    /// Pass as [`SearchRequest::cursor`] for the next page; `None` on the last page. Refused with
    /// [`arrow_index::IndexError::Cursor`] once the index has changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// True when some shards of a sharded index could not answer: the hits, total and facets are of the others.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Arrow {
    /// Runs a query in Arrow's query language. An empty query lists recent works. Ranked in the default
    /// mode (see [`Arrow::default_mode`]).
    pub fn search(&self, opts: &SearchRequest) -> Result<SearchPage, EngineError> {
        self.search_in(opts, None)
    }

    /// [`Arrow::search`] ranked in `mode` (`None`: the default mode for the query).
    pub fn search_in(&self, opts: &SearchRequest, mode: Option<crate::SearchMode>) -> Result<SearchPage, EngineError> {
        if let Some(page) = self.search_by_vectors(opts, mode)? {
            return Ok(page);
        }
        self.lexical_page(opts, false)
    }

    /// [`Arrow::search`] (words only) with each version of a paper as a hit of its own, as an export lists them:
    /// a bibliography may cite the tutorial of 2012 and its repeat of 2013 both.
    pub fn search_every_version(&self, opts: &SearchRequest) -> Result<SearchPage, EngineError> {
        self.lexical_page(opts, true)
    }

    /// A page ranked by words; a paper's versions folded into its best-ranked one unless `every_version`.
    fn lexical_page(&self, opts: &SearchRequest, every_version: bool) -> Result<SearchPage, EngineError> {
        let req = self.settled(opts)?;
        let result = self.index().search(&req)?;
        let keyed = self.keyed_hits(&result.hits)?;
        let mut hits = if every_version {
            keyed.into_iter().map(|(_, h)| h).collect()
        } else {
            self.collapse_versions(keyed, Some((&req, result.fuzzy, result.lenient)))?
        };
        if opts.highlight {
            self.highlight(&req.parsed(), result.fuzzy, &mut hits);
        }
        Ok(SearchPage {
            total: result.total,
            offset: result.offset,
            hits,
            facets: result.facets,
            fuzzy: result.fuzzy,
            lenient: result.lenient,
            mode: crate::SearchMode::Lexical,
            next_cursor: result.next_cursor,
            partial: false,
        })
    }

    /// The index's answer alone (store keys and scores), without reading the works from the store.
    pub fn search_keys(&self, opts: &SearchRequest) -> Result<SearchResult, EngineError> {
        Ok(self.index().search(&self.settled(opts)?)?)
    }

    /// Works related to the work `id`: similar title and abstract words, shared authors; the work itself
    /// left out. Empty for an unknown id.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<SearchHit>, EngineError> {
        let Some((key, work)) = self.reader().work(id)? else { return Ok(Vec::new()) };
        let limit = limit.clamp(1, MAX_PAGE);
        let found = self.index().related(key, &work, limit)?;
        // With vectors, the work's nearest neighbours by meaning are fused with the shared-words list.
        let by_meaning = match self.vectors()? {
            Some(v) => v.vector(key).map(|q| v.nearest(&q, limit + 1, |k| k != key)),
            None => None,
        };
        let Some(by_meaning) = by_meaning else { return self.hits(&found) };
        let lists = [found.iter().map(|h| h.key).collect(), by_meaning.iter().map(|h| h.0).collect()];
        let fused: Vec<Hit> =
            crate::fuse(&lists).into_iter().take(limit).map(|(key, score)| Hit { key, score }).collect();
        self.hits(&fused)
    }

    /// Author names as you type: `prefix` matches the start of any word of a name, folded ("chris", "ré",
    /// "christopher r" all find "Christopher Ré"); most works first.
    pub fn suggest_authors(&self, prefix: &str, limit: usize) -> Result<Vec<AuthorSuggestion>, EngineError> {
        let mut folded = arrow_normalize::suggest_fold(prefix);
        if folded.is_empty() {
            return Ok(Vec::new());
        }
        // "chris " is a whole word: it must not run on into "christopher".
        if prefix.ends_with(char::is_whitespace) {
            folded.push(' ');
        }
        let limit = limit.clamp(1, MAX_SUGGESTIONS);
        let found = if folded.len() <= CACHED_PREFIX_BYTES {
            // A short prefix reads many names: answer it once per store sequence, for the largest limit.
            let seq = self.store().seq()?;
            let cached = {
                let cache = self.name_cache.lock().unwrap_or_else(|p| p.into_inner());
                (cache.0 == seq).then(|| cache.1.get(&folded).cloned()).flatten()
            };
            let all = match cached {
                Some(all) => all,
                None => {
                    let all = self.store().names_with_prefix(&folded, MAX_SUGGESTIONS)?;
                    let mut cache = self.name_cache.lock().unwrap_or_else(|p| p.into_inner());
                    if cache.0 != seq {
                        *cache = (seq, HashMap::new());
                    }
                    cache.1.insert(folded.clone(), all.clone());
                    all
                }
            };
            all.into_iter().take(limit).collect()
        } else {
            self.store().names_with_prefix(&folded, limit)?
        };
        // Names are kept folded; the written form comes from a work of that author.
        let samples: Vec<i64> = found.iter().map(|s| s.sample).collect();
        let works: HashMap<i64, Work> = self.store().works_by_keys(&samples)?.into_iter().collect();
        Ok(found
            .into_iter()
            .map(|s| {
                let written = works
                    .get(&s.sample)
                    .and_then(|w| w.authors.iter().find(|a| arrow_normalize::suggest_fold(&a.name) == s.folded))
                    .map(|a| arrow_normalize::collapse_whitespace(&a.name));
                AuthorSuggestion { name: written.unwrap_or(s.folded), works: s.works as u64 }
            })
            .collect())
    }

    /// Works whose title has the typed words, the last one as a prefix ("hyena hier"), best first.
    pub fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<TitleSuggestion>, EngineError> {
        let found = self.index().suggest_titles(prefix, limit.clamp(1, MAX_SUGGESTIONS))?;
        Ok(self
            .hits(&found)?
            .into_iter()
            .map(|h| TitleSuggestion { id: h.work.id.0, title: h.work.title, year: h.work.year, venue: h.work.venue })
            .collect())
    }

    /// The works of index hits, in order (a hit whose work is gone from the store is skipped).
    fn hits(&self, found: &[Hit]) -> Result<Vec<SearchHit>, EngineError> {
        Ok(self.keyed_hits(found)?.into_iter().map(|(_, h)| h).collect())
    }

    /// Marks the query's words in the titles and abstract fragments of a page's hits.
    pub(crate) fn highlight(&self, query: &arrow_query::Query, fuzzy: bool, hits: &mut [SearchHit]) {
        if hits.is_empty() {
            return;
        }
        let h = self.index().highlighter(query, fuzzy);
        for hit in hits {
            let title = h.title(&hit.work.title);
            let snippet = hit.work.abstract_text.as_deref().and_then(|a| h.abstract_snippet(a));
            hit.highlight = Some(Highlight {
                title_html: title.to_html(),
                title,
                snippet_html: snippet.as_ref().map(Snippet::to_html),
                snippet,
            });
        }
    }

    /// [`Arrow::hits`] with each hit's store key.
    pub(crate) fn keyed_hits(&self, found: &[Hit]) -> Result<Vec<(i64, SearchHit)>, EngineError> {
        let keys: Vec<i64> = found.iter().map(|h| h.key).collect();
        let mut works: HashMap<i64, Work> = self.reader().works_by_keys(&keys)?.into_iter().collect();
        Ok(found
            .iter()
            .filter_map(|h| {
                works
                    .remove(&h.key)
                    .map(|work| (h.key, SearchHit { score: h.score, work, highlight: None, versions: Vec::new() }))
            })
            .collect())
    }

    /// One entry per version group on a page: the best-ranked version, with the others attached; later
    /// versions of a group already shown are dropped from the page. With `ranked` (the settled request and how
    /// its result was matched), a version is dropped too when another of its paper ranks above it on any page,
    /// so that each paper is listed once over all the pages, whatever their size; a page may then hold fewer
    /// hits than asked for.
    pub(crate) fn collapse_versions(
        &self,
        hits: Vec<(i64, SearchHit)>,
        ranked: Option<(&SearchRequest, bool, bool)>,
    ) -> Result<Vec<SearchHit>, EngineError> {
        let keys: Vec<i64> = hits.iter().map(|(k, _)| *k).collect();
        let mut refs = self.version_refs(&keys)?;
        if refs.is_empty() {
            return Ok(hits.into_iter().map(|(_, h)| h).collect());
        }
        // Where each version of the page's papers ranks for this search: one query for the whole page.
        let rank: HashMap<i64, usize> = match ranked {
            Some((req, fuzzy, lenient)) => {
                let mut among: Vec<i64> = refs.iter().flat_map(|(k, v)| v.members.iter().chain([k])).copied().collect();
                among.sort_unstable();
                among.dedup();
                let order = self.index().order_among(req, &among, fuzzy, lenient)?;
                order.into_iter().enumerate().map(|(i, k)| (k, i)).collect()
            }
            None => HashMap::new(),
        };
        let mut shown = HashSet::new();
        let mut out = Vec::with_capacity(hits.len());
        for (key, mut hit) in hits {
            if let Some(v) = refs.remove(&key) {
                if shown.contains(&v.group) {
                    continue;
                }
                // Another version ranked above it is listed where it ranks, on this page or another.
                // (Unranked, as when the index changed in between: kept, never lost from every page.)
                if let Some(&mine) = rank.get(&key) {
                    if v.members.iter().filter_map(|o| rank.get(o)).any(|&r| r < mine) {
                        continue;
                    }
                }
                shown.insert(v.group);
                hit.versions = v.refs;
            }
            out.push(hit);
        }
        Ok(out)
    }
}

impl Arrow {
    /// [`settled`], with the works the query names by id looked up in the store (see
    /// [`SearchRequest::work_keys`]).
    pub(crate) fn settled(&self, opts: &SearchRequest) -> Result<SearchRequest, EngineError> {
        let mut req = settled(opts);
        let query = req.parsed();
        let named: Vec<&str> = match &query {
            Query::Word { field: None, text } if could_be_work_id(text) => vec![text],
            other => work_ids(other),
        };
        if named.is_empty() {
            return Ok(req);
        }
        let store = self.reader();
        for typed in named {
            // A DBLP key as dblp.org shows it (`conf/acl/Smith18`) is stored under `dblp:`.
            let dblp = (!typed.contains(':')).then(|| format!("dblp:{typed}"));
            for id in std::iter::once(typed).chain(dblp.as_deref()) {
                if let Some((key, _)) = store.work(id)? {
                    req.work_keys.insert(typed.to_string(), key);
                    break;
                }
            }
        }
        Ok(req)
    }
}

/// The values of the `id:` clauses anywhere in `query`.
fn work_ids(query: &Query) -> Vec<&str> {
    match query {
        Query::Id { kind: IdKind::Work, value } => vec![value],
        Query::And(children) | Query::Or(children) => children.iter().flat_map(work_ids).collect(),
        Query::Not(inner) => work_ids(inner),
        _ => Vec::new(),
    }
}

/// A word that may be a work's id as Arrow stores it (`acl:P18-1001`) or a DBLP key (`conf/acl/Smith18`).
fn could_be_work_id(word: &str) -> bool {
    word.split_once(':').is_some_and(|(source, rest)| !source.is_empty() && !rest.is_empty())
        || word.matches('/').count() >= 2
}

/// The request with the engine's defaults settled: a page size within bounds, and newest first for the empty
/// query, which has no relevance to order by.
pub fn settled(opts: &SearchRequest) -> SearchRequest {
    let mut req = opts.clone();
    req.limit = opts.limit.clamp(1, MAX_PAGE);
    if opts.q.trim().is_empty() && opts.sort == Sort::Relevance {
        req.sort = Sort::YearDesc;
    }
    req
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// An ingest holds the store for each transaction; searches and work pages read through their own connection.
    #[test]
    fn searches_go_on_while_a_write_holds_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let arrow = Arrow::open(dir.path()).unwrap();
        arrow.load_demo().unwrap();
        let held = arrow.store();
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let page = arrow.search(&SearchRequest::query("hyena")).unwrap();
                let work = arrow.work(&page.hits[0].work.id.0).unwrap();
                tx.send((page.total, work.is_some())).unwrap();
            });
            // Blocked on the store, the search would never answer while `held` lives.
            let answer = rx.recv_timeout(Duration::from_secs(60));
            drop(held);
            let (total, found) = answer.expect("the search waited for the store");
            assert!(total > 0 && found);
        });
    }
}
