use super::{data_dir, dir_bytes, peak_rss_bytes};
use anyhow::{Context, Result};
use arrow_engine::{Arrow, IngestOptions, Progress};
use arrow_ingest::{open_input, parse_reader, Format};
use std::io::{BufReader, Read};
use std::time::Instant;

struct Quiet;
impl Progress for Quiet {}

/// Counts decompressed bytes, to report parse speed in MB of text.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

pub fn ingest(files: &[String], format: Option<Format>, parse_pass: bool) -> Result<()> {
    if parse_pass {
        let (mut records, mut bytes, mut bad) = (0u64, 0u64, 0u64);
        let start = Instant::now();
        for f in files {
            let mut input = open_input(f, None)?;
            let fmt = match format {
                Some(x) => x,
                None => Format::detect(input.peek()?).with_context(|| format!("{f}: unknown format"))?,
            };
            let mut counting = Counting { inner: input.into_reader(), bytes: 0 };
            {
                let reader = BufReader::with_capacity(1 << 16, &mut counting);
                for r in parse_reader(fmt, f, reader)? {
                    match r {
                        Ok(_) => records += 1,
                        Err(_) => bad += 1,
                    }
                }
            }
            bytes += counting.bytes;
        }
        let secs = start.elapsed().as_secs_f64();
        println!("parse_records: {records}");
        println!("parse_bad_records: {bad}");
        println!("parse_input_bytes: {bytes}");
        println!("parse_seconds_alone: {secs:.2}");
        println!("parse_mb_per_second: {:.1}", bytes as f64 / 1e6 / secs);
        println!("parse_records_per_second: {:.0}", records as f64 / secs);
    }

    let (_tmp, dir) = data_dir(None)?;
    let arrow = Arrow::open(&dir)?;
    let start = Instant::now();
    let report = arrow.ingest_paths(files, &IngestOptions { format, skip_bad: true, ..Default::default() }, &Quiet)?;
    let ingested = start.elapsed().as_secs_f64();
    // Closing the store checkpoints what its write-ahead log still holds into the database file: `arrow ingest`
    // returns only after it, so it counts.
    drop(arrow);
    let secs = start.elapsed().as_secs_f64();
    let compressed: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    println!("records: {}", report.read);
    println!("added: {}", report.added);
    println!("skipped: {}", report.skipped);
    println!("seconds: {secs:.2}");
    println!("records_per_second: {:.0}", report.read as f64 / secs);
    println!("file_mb_per_second: {:.1}", compressed as f64 / 1e6 / secs);
    println!("parse_seconds: {:.2}", report.timings.parse_seconds);
    println!("store_seconds: {:.2}", report.timings.store_seconds);
    println!("index_seconds: {:.2}", report.timings.index_seconds);
    println!("finish_seconds: {:.2}", report.timings.finish_seconds);
    println!("names_seconds: {:.2}", report.timings.names_seconds);
    println!("close_seconds: {:.2}", secs - ingested);
    println!("store_bytes: {}", dir_bytes(&dir) - dir_bytes(&dir.join("index")));
    println!("index_bytes: {}", dir_bytes(&dir.join("index")));
    println!("peak_rss_bytes: {}", peak_rss_bytes());
    Ok(())
}
