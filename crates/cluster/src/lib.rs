//! One search over many Arrow data directories: a root ([`Root`]) that answers as [`arrow_engine::Engine`] by
//! asking leaves (`arrow serve --cluster-token`, one per shard replica) over their cluster-internal API, with
//! global ranking statistics, failover between replicas, and shard-list swaps without refusing a request.
//! No distributed writes, no consensus: shards are immutable snapshots built by `arrow split` or the Spark job.

mod client;
mod root;
mod spec;

pub use client::{ShardSet, CALL_TIMEOUT, DOWN_FOR};
pub use root::Root;
pub use spec::Spec;
