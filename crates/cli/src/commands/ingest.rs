//! Getting records in and out: ingest, delete, convert.

use super::{advise, create, open, parse_format};
use crate::progress::Bar;
use anyhow::Result;
use arrow_engine::IngestOptions;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Parses files into the store and the index, then prints what changed.
pub fn ingest(
    data: &Path,
    files: Vec<String>,
    format: Option<String>,
    skip_bad: bool,
    batch_size: u64,
    delete_missing: bool,
) -> Result<()> {
    let format = parse_format(format.as_deref())?;
    let arrow = create(data)?;
    let opts =
        IngestOptions { format, skip_bad, batch_size: batch_size as usize, delete_missing, ..IngestOptions::default() };
    let bar = Bar::new();
    let report = arrow.ingest_paths(&files, &opts, &bar).map_err(advise)?;
    bar.clear();
    eprintln!(
        "ingested: read {}, added {}, updated {}, merged {}, unchanged {}, skipped {}, deleted {}",
        report.read, report.added, report.updated, report.merged, report.unchanged, report.skipped, report.deleted
    );
    if report.persons > 0 || report.persons_deleted > 0 {
        eprintln!(
            "person records (DBLP homepages): read {}, added or changed {}, deleted {}",
            report.persons, report.persons_changed, report.persons_deleted
        );
    }
    if report.joined_people + report.new_people > 0 {
        let mut why = Vec::new();
        if report.joined_on_rare_name > 0 {
            why.push(format!("{} sharing nothing with them but a rare name", report.joined_on_rare_name));
        }
        if report.joined_on_reading > 0 {
            why.push(format!("{} writing their name otherwise (family name first, ...)", report.joined_on_reading));
        }
        let rare = if why.is_empty() { String::new() } else { format!(" ({})", why.join("; ")) };
        eprintln!(
            "people: {} authorships joined existing people{rare}, {} started new people",
            report.joined_people, report.new_people
        );
    }
    if let Some(people) = report.people_rerun {
        eprintln!(
            "people: more than {} works were new or changed, so disambiguation ran once over all of them: {people} \
             people",
            arrow_engine::PLACE_PEOPLE_UP_TO
        );
    }
    // Told as after a full run: new papers may bear out a curation no longer (two authors of one paper in a
    // person a curator merged).
    super::people::conflicts(&report.curation_conflicts);
    for e in &report.errors {
        eprintln!("skipped: {e}");
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    // Vectors, once made, are kept current: the new and changed works are embedded as `arrow embed` would.
    if arrow.has_vectors() && report.added + report.updated + report.merged + report.deleted > 0 {
        crate::embed::embed(&arrow, None, None)?;
    }
    Ok(())
}

/// Removes works by id.
pub fn delete(data: &Path, ids: Vec<String>) -> Result<()> {
    let arrow = open(data)?;
    let n = arrow.delete(&ids)?;
    eprintln!("deleted {n} of {} works", ids.len());
    if n < ids.len() {
        anyhow::bail!("{} of the ids were not found", ids.len() - n);
    }
    Ok(())
}

/// Parses files and prints canonical JSON lines; nothing is stored.
pub fn convert(files: Vec<String>, format: Option<String>) -> Result<()> {
    let format = parse_format(format.as_deref())?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for f in &files {
        let (_, records) = arrow_ingest::parse_path(f, format).map_err(|e| advise(e.into()))?;
        for r in records {
            let r = r?;
            writeln!(out, "{}", arrow_ingest::formats::jsonl::to_line(&r.work))?;
        }
    }
    Ok(out.flush()?)
}
