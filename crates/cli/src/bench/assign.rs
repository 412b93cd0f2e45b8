use anyhow::{Context, Result};
use arrow_engine::Arrow;
use std::path::Path;
use std::time::Instant;

/// Reassigns `works` random works of a disambiguated data directory one at a time (rolled back afterwards) and
/// prints the time per work and the agreement with the batch run.
pub fn assign(data: &Path, works: usize, seed: u64) -> Result<()> {
    let t = Instant::now();
    let arrow = Arrow::open(data).with_context(|| format!("opening data directory {}", data.display()))?;
    // Opening migrates an older store; on a big one that is worth knowing.
    println!("open_seconds: {:.2}", t.elapsed().as_secs_f64());
    let Some(r) = arrow.replay_assignment(works, seed)? else {
        anyhow::bail!("{} has no people yet: run `arrow disambiguate` first", data.display());
    };
    let mut ms = r.millis.clone();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| -> f64 {
        if ms.is_empty() {
            return 0.0;
        }
        ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1]
    };
    println!("name_blocks_setup_seconds: {:.2}", r.setup_seconds);
    println!("works: {}", r.works);
    println!("mentions: {}", r.mentions);
    println!("ms_per_work_p50: {:.2}", pct(0.5));
    println!("ms_per_work_p90: {:.2}", pct(0.9));
    println!("ms_per_work_p99: {:.2}", pct(0.99));
    println!("ms_per_work_max: {:.2}", ms.last().copied().unwrap_or(0.0));
    println!("ms_per_work_mean: {:.2}", ms.iter().sum::<f64>() / ms.len().max(1) as f64);
    println!("joined_existing_share: {:.4}", r.joined as f64 / r.mentions.max(1) as f64);
    println!("same_person_as_batch_share: {:.4}", r.same_person as f64 / r.mentions.max(1) as f64);
    Ok(())
}
