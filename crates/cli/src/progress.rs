use arrow_engine::{IngestReport, Progress};
use arrow_ingest::Format;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

/// A progress bar on a terminal; plain log lines every few seconds otherwise.
pub struct Bar {
    bar: Option<ProgressBar>,
    last_line: Mutex<Instant>,
    started: Mutex<Instant>,
}

impl Bar {
    pub fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta}) {prefix}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        Bar { bar, last_line: Mutex::new(Instant::now()), started: Mutex::new(Instant::now()) }
    }

    pub fn clear(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, path: &str, format: Format, size: Option<u64>) {
        *self.started.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        match &self.bar {
            Some(b) => {
                b.reset();
                b.set_length(size.unwrap_or(0));
                b.set_message(format!("{path} ({format})"));
            }
            None => tracing::info!(target: "arrow", path, %format, size, "ingest started"),
        }
    }

    fn advance(&self, records: u64, bytes: u64) {
        let secs = self.started.lock().unwrap_or_else(|p| p.into_inner()).elapsed().as_secs_f64().max(1e-3);
        match &self.bar {
            Some(b) => {
                b.set_position(bytes);
                b.set_prefix(format!("{records} records, {:.0}/s", records as f64 / secs));
            }
            None => {
                let mut last = self.last_line.lock().unwrap_or_else(|p| p.into_inner());
                if last.elapsed().as_secs() >= 5 {
                    *last = Instant::now();
                    tracing::info!(target: "arrow", records, bytes, rate = (records as f64 / secs) as u64, "ingesting");
                }
            }
        }
    }

    fn finish(&self, report: &IngestReport) {
        if self.bar.is_none() {
            tracing::info!(target: "arrow", read = report.read, added = report.added, skipped = report.skipped, "ingest finished");
        }
    }
}
