//! `arrow bench`: measurements printed as `key: value` lines, the format of the Lucene peer, so that
//! `../shared/bench/compare-search` can put the two side by side.

mod assign;
mod index;
mod ingest;
mod search;

pub use assign::assign;
pub use ingest::ingest;
pub use search::search;

use std::path::Path;

/// The process's peak resident set size (VmHWM), in bytes; 0 where /proc is not available.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmHWM:").and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            })
        })
        .map_or(0, |kb| kb * 1024)
}

/// Starts [`peak_rss_bytes`] again from the current size (Linux's `clear_refs` 5); false where refused.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Total size of the files under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

/// A fresh temporary data directory, or the one asked for.
pub fn data_dir(keep: Option<&Path>) -> std::io::Result<(Option<tempfile::TempDir>, std::path::PathBuf)> {
    match keep {
        Some(p) => Ok((None, p.to_path_buf())),
        None => {
            let t = tempfile::Builder::new().prefix("arrow-bench-").tempdir()?;
            let p = t.path().to_path_buf();
            Ok((Some(t), p))
        }
    }
}
