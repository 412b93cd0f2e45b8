//! What a sharded root asks a shard, as JSON: the one place both sides read (the leaf's answer is
//! [`Arrow::answer`], the root's client is `arrow-cluster`).

use crate::{Arrow, EngineError, Plan, SearchRequest, TermStats};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One question to a shard.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ShardCall {
    Prepare { req: SearchRequest },
    Search { req: SearchRequest, plan: Plan, stats: TermStats, k: usize },
    Fetch { req: SearchRequest, fuzzy: bool, keys: Vec<i64> },
    Work { id: String },
    VersionsOf { id: String },
    Related { id: String, limit: usize },
    NameCluster { name: String },
    PeopleNamed { name: String },
    PeopleDetails { ids: Vec<String> },
    PeopleFitting { name: String, limit: usize },
    Person { id: String },
    PeopleOfWork { id: String },
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
            ShardCall::Prepare { req } => json(self.shard_prepare(req)?),
            ShardCall::Search { req, plan, stats, k } => json(self.shard_search(req, *plan, stats, *k)?),
            ShardCall::Fetch { req, fuzzy, keys } => json(self.shard_fetch(req, *fuzzy, keys)?),
            ShardCall::Work { id } => json(self.work(id)?),
            ShardCall::VersionsOf { id } => json(self.versions_of(id)?),
            ShardCall::Related { id, limit } => json(self.related(id, *limit)?),
            ShardCall::NameCluster { name } => json(self.name_cluster(name)?),
            ShardCall::PeopleNamed { name } => json(self.people_named_counts(name)?),
            ShardCall::PeopleDetails { ids } => json(self.people_details(ids)?),
            ShardCall::PeopleFitting { name, limit } => json(self.people_fitting(name, *limit)?),
            ShardCall::Person { id } => json(self.person(id)?),
            ShardCall::PeopleOfWork { id } => json(self.people_of_work(id)?),
            ShardCall::SuggestAuthors { prefix, limit } => json(self.suggest_authors(prefix, *limit)?),
            ShardCall::SuggestTitles { prefix, limit } => json(self.suggest_titles(prefix, *limit)?),
            ShardCall::Stats => json(self.stats()?),
        }
    }
}
