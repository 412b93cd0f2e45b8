//! Curators' corrections on a distributed run: a single node's curations (`arrow curate history --json`) applied
//! over the people the `people` stage found, by the same rule as `arrow disambiguate` ([`CuratedLabels`]).

use crate::lines::PersonLine;
use crate::stages::{read_lines, write_line};
use crate::BatchError;
use arrow_engine::{CuratedLabels, Curation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// What [`curate`] writes: the labels, and how many mentions the curations name that the run does not hold.
#[derive(Debug, Serialize, Deserialize)]
pub struct CurationLabels {
    pub labels: CuratedLabels,
    pub curations: usize,
    pub missing: usize,
}

/// Reads the people lines of the works the curations name (any key fields in front) and writes one line: the
/// [`CurationLabels`] of the active curations in `curations` (the JSON array `arrow curate history --json`
/// prints, oldest first).
pub fn curate(curations: &str, input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let list: Vec<Curation> = serde_json::from_str(curations).map_err(|e| BatchError::Curations(e.to_string()))?;
    let mut raw: HashMap<String, String> = HashMap::new();
    for row in read_lines::<PersonLine>(input) {
        let row = row?;
        raw.insert(format!("{}#{}", row.work, row.position), row.person);
    }
    let mut active: Vec<&Curation> = list.iter().filter(|c| !c.undone).collect();
    active.sort_by_key(|c| c.id);
    let named: std::collections::HashSet<&String> = active.iter().flat_map(|c| c.correction.mentions()).collect();
    let missing = named.iter().filter(|m| !raw.contains_key(m.as_str())).count();
    let labels = CuratedLabels::of(active.iter().map(|c| &c.correction), |m| raw.get(m).cloned());
    write_line(&mut out, &CurationLabels { labels, curations: active.len(), missing })?;
    out.flush()?;
    Ok(())
}

/// Rewrites people lines (`KEYS<TAB>`[`PersonLine`], keys kept as they are) with the person the curations give.
pub fn relabel(labels: &str, input: impl BufRead, out: impl Write) -> Result<(), BatchError> {
    let labels: CurationLabels = serde_json::from_str(labels).map_err(|e| BatchError::Curations(e.to_string()))?;
    rewrite_people(input, out, |row| {
        let mention = format!("{}#{}", row.work, row.position);
        labels.labels.person_of(Some(&mention), &row.person).to_string()
    })
}

/// Rewrites people lines (`KEYS<TAB>`[`PersonLine`], keys kept as they are) with the person `person_of` gives.
pub(crate) fn rewrite_people(
    input: impl BufRead,
    mut out: impl Write,
    person_of: impl Fn(&PersonLine) -> String,
) -> Result<(), BatchError> {
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (keys, json) = line.rsplit_once('\t').map_or(("", line.as_str()), |(k, j)| (k, j));
        let mut row: PersonLine = serde_json::from_str(json).map_err(|e| BatchError::line(i as u64 + 1, e))?;
        row.person = person_of(&row);
        if !keys.is_empty() {
            write!(out, "{keys}\t")?;
        }
        write_line(&mut out, &row)?;
    }
    out.flush()?;
    Ok(())
}
