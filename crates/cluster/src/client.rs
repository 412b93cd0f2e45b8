//! Calls to the leaves: one replica of a shard at a time, the next one when it errors or times out, within the
//! same request. A replica that failed is out for a while ([`DOWN_FOR`]): tried only when no other replica is
//! left, and probed back in by [`ShardSet::probe`] before then if it answers its health check.

use crate::spec::Spec;
use arrow_engine::ShardCall;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a failed replica is left out unless a health check finds it back.
pub const DOWN_FOR: Duration = Duration::from_secs(10);
/// Longest a leaf may take over one call before the next replica is asked. Below the server's own 10 s limit
/// per request, so that a hung replica leaves time for another.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(3);

pub(crate) struct Replica {
    pub(crate) url: String,
    down_until: Mutex<Option<Instant>>,
}

impl Replica {
    fn is_down(&self) -> bool {
        self.down_until.lock().unwrap_or_else(|p| p.into_inner()).is_some_and(|t| Instant::now() < t)
    }
    fn mark(&self, up: bool) {
        *self.down_until.lock().unwrap_or_else(|p| p.into_inner()) = (!up).then(|| Instant::now() + DOWN_FOR);
    }
}

pub(crate) struct Shard {
    pub(crate) replicas: Vec<Replica>,
    next: AtomicUsize,
}

/// Why a call failed.
#[derive(Debug)]
pub(crate) enum CallError {
    /// Every replica failed or timed out.
    Unavailable(String),
    /// A replica refused the request itself (400): retrying elsewhere would not help.
    Refused(String),
}

/// One generation of shards (a root swaps in a new one when its spec changes).
pub struct ShardSet {
    pub(crate) shards: Vec<Shard>,
    agent: ureq::Agent,
    token: String,
    /// Tells this set's cursors from another's.
    pub(crate) generation: u64,
}

impl ShardSet {
    pub fn new(spec: &Spec, token: &str) -> ShardSet {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(CALL_TIMEOUT))
            .http_status_as_error(false)
            .max_idle_connections_per_host(16)
            .build();
        let shards = spec
            .shards
            .iter()
            .map(|urls| Shard {
                replicas: urls.iter().map(|u| Replica { url: u.clone(), down_until: Mutex::new(None) }).collect(),
                next: AtomicUsize::new(0),
            })
            .collect();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&spec.shards, &mut h);
        ShardSet { shards, agent: config.into(), token: token.to_string(), generation: std::hash::Hasher::finish(&h) }
    }

    pub fn len(&self) -> usize {
        self.shards.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.is_empty()
    }

    /// Asks shard `i`, replica after replica: healthy ones first, in turn (spreading load), then those left out.
    pub(crate) fn call(&self, i: usize, call: &ShardCall) -> Result<Value, CallError> {
        let shard = &self.shards[i];
        let n = shard.replicas.len();
        let start = shard.next.fetch_add(1, Ordering::Relaxed);
        let mut order: Vec<usize> = (0..n).map(|k| (start + k) % n).collect();
        order.sort_by_key(|&k| shard.replicas[k].is_down());
        let mut last = String::new();
        for k in order {
            let r = &shard.replicas[k];
            match self.post(r, call) {
                Ok(v) => {
                    r.mark(true);
                    return Ok(v);
                }
                Err(CallError::Refused(m)) => return Err(CallError::Refused(m)),
                Err(CallError::Unavailable(m)) => {
                    tracing::warn!(replica = %r.url, error = %m, "replica failed; trying the next one");
                    r.mark(false);
                    last = m;
                }
            }
        }
        Err(CallError::Unavailable(format!("shard {i}: every replica failed (last: {last})")))
    }

    /// The same call to every shard in parallel, answers in shard order.
    pub(crate) fn all(&self, call: &ShardCall) -> Vec<Result<Value, CallError>> {
        self.each(&(0..self.len()).map(|i| (i, call.clone())).collect::<Vec<_>>())
    }

    /// Each (shard, call) in parallel, answers in the given order.
    pub(crate) fn each(&self, calls: &[(usize, ShardCall)]) -> Vec<Result<Value, CallError>> {
        if calls.len() == 1 {
            return vec![self.call(calls[0].0, &calls[0].1)];
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = calls.iter().map(|(i, c)| s.spawn(move || self.call(*i, c))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(CallError::Unavailable("a call panicked".into()))))
                .collect()
        })
    }

    fn post(&self, r: &Replica, call: &ShardCall) -> Result<Value, CallError> {
        let unavailable = |e: ureq::Error| CallError::Unavailable(format!("{}: {e}", r.url));
        let mut resp = self
            .agent
            .post(format!("{}/internal/v1/call", r.url))
            .header("Authorization", format!("Bearer {}", self.token))
            .send_json(call)
            .map_err(unavailable)?;
        let status = resp.status().as_u16();
        let body = resp.body_mut().with_config().limit(256 << 20).read_to_string().map_err(unavailable)?;
        match status {
            200 => {
                serde_json::from_str(&body).map_err(|e| CallError::Unavailable(format!("{}: bad answer: {e}", r.url)))
            }
            400 => {
                let message = serde_json::from_str::<Value>(&body)
                    .ok()
                    .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or(body);
                Err(CallError::Refused(message))
            }
            _ => Err(CallError::Unavailable(format!("{}: HTTP {status}", r.url))),
        }
    }

    /// Health checks of the replicas left out; those that answer are taken back at once.
    pub fn probe(&self) {
        for shard in &self.shards {
            for r in shard.replicas.iter().filter(|r| r.is_down()) {
                let ok = self
                    .agent
                    .get(format!("{}/internal/v1/health", r.url))
                    .header("Authorization", format!("Bearer {}", self.token))
                    .call()
                    .is_ok_and(|resp| resp.status().as_u16() == 200);
                if ok {
                    tracing::info!(replica = %r.url, "replica answers its health check again");
                    r.mark(true);
                }
            }
        }
    }
}
