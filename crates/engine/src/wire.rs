//! What a sharded root asks a shard, as JSON: the one place both sides read (the leaf's answer is
//! [`Arrow::answer`], the root's client is `arrow-cluster`).

use crate::{Arrow, EngineError, Filters, Plan, SearchRequest, Sort, TermStats, YearRange};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A search request as sent between nodes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireRequest {
    pub q: String,
    #[serde(default)]
    pub from: Option<i32>,
    #[serde(default)]
    pub to: Option<i32>,
    /// The request had a year filter (`from` and `to` may both be open).
    #[serde(default)]
    pub years: bool,
    #[serde(default)]
    pub venues: Vec<String>,
    #[serde(default)]
    pub types: Vec<String>,
    /// `relevance`, `year_desc` or `year_asc`.
    pub sort: String,
    pub limit: usize,
    #[serde(default)]
    pub offset: usize,
    #[serde(default)]
    pub facets: bool,
    #[serde(default)]
    pub highlight: bool,
}

impl From<&SearchRequest> for WireRequest {
    fn from(r: &SearchRequest) -> Self {
        let sort = match r.sort {
            Sort::Relevance => "relevance",
            Sort::YearDesc => "year_desc",
            Sort::YearAsc => "year_asc",
        };
        WireRequest {
            q: r.q.clone(),
            from: r.filters.years.and_then(|y| y.from),
            to: r.filters.years.and_then(|y| y.to),
            years: r.filters.years.is_some(),
            venues: r.filters.venues.clone(),
            types: r.filters.types.clone(),
            sort: sort.into(),
            limit: r.limit,
            offset: r.offset,
            facets: r.facets,
            highlight: r.highlight,
        }
    }
}

impl From<&WireRequest> for SearchRequest {
    fn from(w: &WireRequest) -> Self {
        let sort = match w.sort.as_str() {
            "year_desc" => Sort::YearDesc,
            "year_asc" => Sort::YearAsc,
            _ => Sort::Relevance,
        };
        SearchRequest {
            q: w.q.clone(),
            filters: Filters {
                years: w.years.then_some(YearRange { from: w.from, to: w.to }),
                venues: w.venues.clone(),
                types: w.types.clone(),
            },
            sort,
            limit: w.limit,
            offset: w.offset,
            cursor: None,
            facets: w.facets,
            highlight: w.highlight,
        }
    }
}

/// One question to a shard.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ShardCall {
    Prepare { req: WireRequest },
    Search { req: WireRequest, plan: Plan, stats: TermStats, k: usize },
    Fetch { req: WireRequest, fuzzy: bool, keys: Vec<i64> },
    Work { id: String },
    VersionsOf { id: String },
    Related { id: String, limit: usize },
    NameCluster { name: String },
    PeopleNamed { name: String },
    Person { id: String },
    SuggestAuthors { prefix: String, limit: usize },
    SuggestTitles { prefix: String, limit: usize },
    Stats,
}

fn json<T: Serialize>(v: T) -> Result<Value, EngineError> {
    serde_json::to_value(v).map_err(|e| EngineError::Io { path: "a shard's answer".into(), source: e.into() })
}

impl Arrow {
    /// A shard's answer to one call from a root.
    pub fn answer(&self, call: &ShardCall) -> Result<Value, EngineError> {
        match call {
            ShardCall::Prepare { req } => json(self.shard_prepare(&req.into())?),
            ShardCall::Search { req, plan, stats, k } => json(self.shard_search(&req.into(), *plan, stats, *k)?),
            ShardCall::Fetch { req, fuzzy, keys } => json(self.shard_fetch(&req.into(), *fuzzy, keys)?),
            ShardCall::Work { id } => json(self.work(id)?),
            ShardCall::VersionsOf { id } => json(self.versions_of(id)?),
            ShardCall::Related { id, limit } => json(self.related(id, *limit)?),
            ShardCall::NameCluster { name } => json(self.name_cluster(name)?),
            ShardCall::PeopleNamed { name } => json(self.people_named(name)?),
            ShardCall::Person { id } => json(self.person(id)?),
            ShardCall::SuggestAuthors { prefix, limit } => json(self.suggest_authors(prefix, *limit)?),
            ShardCall::SuggestTitles { prefix, limit } => json(self.suggest_titles(prefix, *limit)?),
            ShardCall::Stats => json(self.stats()?),
        }
    }
}
