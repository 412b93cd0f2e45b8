//! The read side as one interface: what the pages, the API and exports ask of Arrow. [`Arrow`] answers from its
//! own data directory; a sharded root (`arrow-cluster`) answers by asking its shards. The server holds a
//! `dyn Engine` and so is written once for both.

use crate::{
    is_partial_name, Arrow, AuthorSuggestion, EngineError, NameCluster, PeopleFitting, PersonFit, PersonProfile,
    PersonSummary, SearchHit, SearchMode, SearchPage, SearchRequest, Stats, TitleSuggestion, VersionRef,
};
use arrow_model::Work;

pub trait Engine: Send + Sync {
    /// A search ranked in `mode` (`None`: the default mode for the query).
    fn search_in(&self, opts: &SearchRequest, mode: Option<SearchMode>) -> Result<SearchPage, EngineError>;
    fn search(&self, opts: &SearchRequest) -> Result<SearchPage, EngineError> {
        self.search_in(opts, None)
    }
    fn work(&self, id: &str) -> Result<Option<Work>, EngineError>;
    fn versions_of(&self, id: &str) -> Result<Vec<VersionRef>, EngineError>;
    fn related(&self, id: &str, limit: usize) -> Result<Vec<SearchHit>, EngineError>;
    fn name_cluster(&self, name: &str) -> Result<NameCluster, EngineError>;
    fn people_named(&self, name: &str) -> Result<Vec<PersonSummary>, EngineError>;
    /// People whose names fit a looser name (see [`Arrow::people_fitting`]).
    fn people_fitting(&self, name: &str, limit: usize) -> Result<PeopleFitting, EngineError>;
    /// Beside the people `named` exactly `name`, the others whose names fit it, at most `limit`: all of them when no
    /// one wrote it, the others when it is a surname alone or with one initial ([`is_partial_name`]). A
    /// written-out first name is taken as written, but the same name written otherwise
    /// ([`arrow_disambig::same_name`]: "John McCarthy 0001", "Y Zhang" for "Y. Zhang"), listed first, with
    /// middle names added or dropped ("Andrew Y. Ng" for "Andrew Ng"), or with a nickname's formal name ("Chris
    /// Manning", "Christopher D. Manning") are still listed; `None` when there is nothing to list beside `named`.
    fn people_also_fitting(
        &self,
        name: &str,
        named: &[PersonSummary],
        limit: usize,
    ) -> Result<Option<PeopleFitting>, EngineError> {
        let mut fit = self.people_fitting(name, usize::MAX)?.without(named, usize::MAX);
        let same = |p: &PersonFit| p.names.iter().any(|(n, _)| arrow_disambig::same_name(n, name));
        if !named.is_empty() && !is_partial_name(name) {
            // The first name as written or as its nickname ("Chris Manning" for "Christopher D. Manning"), not
            // as an initial.
            let first_name_kept = |p: &PersonFit| {
                p.names.iter().any(|(n, _)| {
                    use arrow_disambig::NameMatch::{Exact, FullCompatible, Nickname};
                    matches!(arrow_disambig::compare_names(name, n), Exact | FullCompatible | Nickname)
                })
            };
            fit.people.retain(|p| same(p) || first_name_kept(p));
            fit.total = fit.people.len();
        }
        fit.people.sort_by_cached_key(|p| !same(p));
        fit.people.truncate(limit);
        Ok((named.is_empty() || !fit.people.is_empty()).then_some(fit))
    }
    fn person(&self, id: &str) -> Result<Option<PersonProfile>, EngineError>;
    /// The person of each author of a work (see [`Arrow::people_of_work`]).
    fn people_of_work(&self, id: &str) -> Result<Vec<Option<String>>, EngineError>;
    fn suggest_authors(&self, prefix: &str, limit: usize) -> Result<Vec<AuthorSuggestion>, EngineError>;
    fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<TitleSuggestion>, EngineError>;
    fn stats(&self) -> Result<Stats, EngineError>;
    fn has_vectors(&self) -> bool;
    /// The data directory behind this engine, for what only a single node can do (ingest, curation, the
    /// cluster-internal API); `None` on a sharded root.
    fn local(&self) -> Option<&Arrow> {
        None
    }
}

impl Engine for Arrow {
    fn search_in(&self, opts: &SearchRequest, mode: Option<SearchMode>) -> Result<SearchPage, EngineError> {
        Arrow::search_in(self, opts, mode)
    }
    fn work(&self, id: &str) -> Result<Option<Work>, EngineError> {
        Arrow::work(self, id)
    }
    fn versions_of(&self, id: &str) -> Result<Vec<VersionRef>, EngineError> {
        Arrow::versions_of(self, id)
    }
    fn related(&self, id: &str, limit: usize) -> Result<Vec<SearchHit>, EngineError> {
        Arrow::related(self, id, limit)
    }
    fn name_cluster(&self, name: &str) -> Result<NameCluster, EngineError> {
        Arrow::name_cluster(self, name)
    }
    fn people_named(&self, name: &str) -> Result<Vec<PersonSummary>, EngineError> {
        Arrow::people_named(self, name)
    }
    fn people_fitting(&self, name: &str, limit: usize) -> Result<PeopleFitting, EngineError> {
        Arrow::people_fitting(self, name, limit)
    }
    fn person(&self, id: &str) -> Result<Option<PersonProfile>, EngineError> {
        Arrow::person(self, id)
    }
    fn people_of_work(&self, id: &str) -> Result<Vec<Option<String>>, EngineError> {
        Arrow::people_of_work(self, id)
    }
    fn suggest_authors(&self, prefix: &str, limit: usize) -> Result<Vec<AuthorSuggestion>, EngineError> {
        Arrow::suggest_authors(self, prefix, limit)
    }
    fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<TitleSuggestion>, EngineError> {
        Arrow::suggest_titles(self, prefix, limit)
    }
    fn stats(&self) -> Result<Stats, EngineError> {
        Arrow::stats(self)
    }
    fn has_vectors(&self) -> bool {
        Arrow::has_vectors(self)
    }
    fn local(&self) -> Option<&Arrow> {
        Some(self)
    }
}
