//! The last stage: one shard's records, people and version groups into a complete data directory.

use crate::lines::BuildLine;
use crate::stages::{read_lines, write_line};
use crate::BatchError;
use arrow_engine::{Arrow, IngestOptions, PersonRow, Progress};
use arrow_ingest::{ParseError, Record};
use std::io::{BufRead, Write};
use std::path::PathBuf;

struct Quiet;
impl Progress for Quiet {}

/// Builds the shard described by `input`: a `dir` line first, then the `model`, `person` and `versions` lines,
/// then the records in order. The directory is built beside its final place and moved there when complete, so a
/// task that Spark runs again (a lost executor) starts afresh and a reader never sees half a shard. Writes one
/// summary line.
pub fn build(input: impl BufRead + Send + 'static, mut out: impl Write) -> Result<(), BatchError> {
    let started = std::time::Instant::now();
    let mut lines = read_lines::<BuildLine>(input);
    let (mut dir, mut model) = (None::<PathBuf>, String::new());
    let (mut people, mut versions) = (Vec::new(), Vec::new());
    let mut first = None;
    for line in lines.by_ref() {
        match line? {
            BuildLine::Dir(d) => dir = Some(PathBuf::from(d)),
            BuildLine::Model(m) => model = m,
            BuildLine::Person(p) => people.push(PersonRow { work: p.work, slot: p.slot, person: p.person }),
            BuildLine::Versions(g) => versions.push(g),
            BuildLine::Record(r) => {
                first = Some(r);
                break;
            }
        }
    }
    let Some(dir) = dir else { return Err(BatchError::line(1, "the first line must name the shard's directory")) };
    let building = dir.with_extension("building");
    if building.exists() {
        std::fs::remove_dir_all(&building)?;
    }
    let arrow = Arrow::open(&building)?;
    // Records as the ingest pipeline takes them; a line that is not a record here is out of order.
    let records = first.into_iter().map(|r| Ok(BuildLine::Record(r))).chain(lines).map(|line| match line {
        Ok(BuildLine::Record(r)) => Ok(Record { work: r.w, line: r.line }),
        Ok(_) => Err(ParseError::new("standard input", 0, "a record was expected (records come last)")),
        Err(e) => Err(ParseError::new("standard input", 0, e.to_string())),
    });
    let report = arrow.ingest_records(Box::new(records), &IngestOptions::default(), &Quiet)?;
    let people_rows = arrow.import_people(&people, &model)?;
    let groups = arrow.import_versions(&versions)?;
    drop(arrow);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&building, &dir)?;
    write_line(
        &mut out,
        &serde_json::json!({
            "shard": dir.display().to_string(),
            "records": report.read,
            "works": report.added,
            "merged": report.merged,
            "authorships": people_rows,
            "version_groups": groups,
            "seconds": started.elapsed().as_secs_f64(),
        }),
    )?;
    out.flush()?;
    Ok(())
}
