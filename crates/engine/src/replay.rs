//! Measuring incremental assignment on a disambiguated store: works forget their people and are assigned again,
//! one at a time, in a transaction that is rolled back, so the data directory is left as it was.

use crate::{Arrow, EngineError};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;

/// What a replay measured.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    pub works: usize,
    pub mentions: usize,
    /// Mentions assigned to the person the batch run gave them.
    pub same_person: usize,
    /// Mentions that joined an existing person (the others started one).
    pub joined: usize,
    /// Milliseconds per work, in replay order.
    pub millis: Vec<f64>,
    /// Seconds spent noting name blocks, on the first run over a store disambiguated before they were kept.
    pub setup_seconds: f64,
}

/// Random works drawn before giving up on finding ones with people (keys may be sparse after deletions).
const DRAWS_PER_WORK: usize = 50;

impl Arrow {
    /// Takes `n` random works that have people (deterministic per `seed`), forgets their people, assigns them again
    /// one work at a time and compares with the batch run. Everything is rolled back. `None` before disambiguation.
    pub fn replay_assignment(&self, n: usize, seed: u64) -> Result<Option<ReplayReport>, EngineError> {
        let t = Instant::now();
        let Some(assigner) = self.assigner()? else { return Ok(None) };
        let setup_seconds = t.elapsed().as_secs_f64();
        let mut store = self.store();
        let mut batch = store.batch()?;
        let max = batch.max_person_work()?.unwrap_or(0);
        let mut rng = seed | 1;
        let mut chosen: Vec<(i64, Vec<(i64, String)>)> = Vec::new();
        for _ in 0..n.saturating_mul(DRAWS_PER_WORK) {
            if chosen.len() == n || max < 1 {
                break;
            }
            // xorshift64: deterministic, dependency-free.
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let key = (rng % max as u64) as i64 + 1;
            if chosen.iter().any(|c| c.0 == key) {
                continue;
            }
            let people = batch.people_of_work(key)?;
            if !people.is_empty() {
                chosen.push((key, people));
            }
        }
        for (key, _) in &chosen {
            batch.forget_people(*key)?;
        }
        let mut report = ReplayReport {
            works: chosen.len(),
            mentions: 0,
            same_person: 0,
            joined: 0,
            millis: Vec::with_capacity(chosen.len()),
            setup_seconds,
        };
        for (key, before) in &chosen {
            let t = Instant::now();
            let work = batch.work_by_key(*key)?;
            let placed = assigner.assign_work(&mut batch, *key, &work)?;
            report.millis.push(t.elapsed().as_secs_f64() * 1000.0);
            let before: HashMap<i64, &String> = before.iter().map(|(s, p)| (*s, p)).collect();
            for p in placed {
                report.mentions += 1;
                report.joined += usize::from(p.joined());
                report.same_person += usize::from(before.get(&(p.slot as i64)) == Some(&&p.person));
            }
        }
        // Dropping the batch rolls everything back.
        drop(batch);
        Ok(Some(report))
    }
}
