//! Curators' corrections on a distributed run: a single node's curations (`arrow curate history --json`) applied
//! over the people the `people` stage found, by the same rule as `arrow disambiguate` ([`CuratedLabels`]).

use crate::lines::PersonLine;
use crate::stages::write_line;
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

/// Reads the people lines of the works the curations name (any key fields in front) and the names written at
/// them (`N<TAB>WORK<TAB>SLOT<TAB>NAME`, NAME a JSON string), and writes one line: the [`CurationLabels`] of the
/// active curations in `curations` (the JSON array `arrow curate history --json` prints, oldest first). A curated
/// mention follows its author where the work's author list has changed since ([`arrow_engine::place_of`]), as on
/// a single node.
pub fn curate(curations: &str, input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let list: Vec<Curation> = serde_json::from_str(curations).map_err(|e| BatchError::Curations(e.to_string()))?;
    let mut raw: HashMap<String, String> = HashMap::new();
    // Per work: (slot, position) of each author, and the name at each slot.
    let mut places: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    let mut names: HashMap<(String, u32), String> = HashMap::new();
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        let bad = |e: &dyn std::fmt::Display| BatchError::line(i as u64 + 1, e);
        if let Some(rest) = line.strip_prefix("N\t") {
            let mut f = rest.splitn(3, '\t');
            let (Some(work), Some(slot), Some(name)) = (f.next(), f.next(), f.next()) else {
                return Err(bad(&"expected N, a work, a slot and a name"));
            };
            let slot = slot.parse::<u32>().map_err(|e| bad(&e))?;
            names.insert((work.to_string(), slot), serde_json::from_str(name).map_err(|e| bad(&e))?);
        } else if !line.trim().is_empty() {
            let row: PersonLine =
                serde_json::from_str(line.rsplit('\t').next().unwrap_or(&line)).map_err(|e| bad(&e))?;
            places.entry(row.work.clone()).or_default().push((row.slot, row.position));
            raw.insert(format!("{}#{}", row.work, row.position), row.person);
        }
    }
    // Each work's authors in order, as (position, name).
    let authors: HashMap<String, Vec<(u32, String)>> = places
        .into_iter()
        .map(|(work, mut slots)| {
            slots.sort_unstable();
            let in_order: Vec<(u32, String)> =
                slots.iter().map(|&(slot, at)| (at, names.remove(&(work.clone(), slot)).unwrap_or_default())).collect();
            (work, in_order)
        })
        .collect();
    let mut active: Vec<Curation> = list.into_iter().filter(|c| !c.undone).collect();
    active.sort_by_key(|c| c.id);
    for c in &mut active {
        c.correction.settle(|mention, name| {
            let m = mention.parse::<arrow_engine::MentionRef>().ok()?;
            let written = authors.get(&m.work)?;
            let i = arrow_engine::place_of(written, m.position, name.map(String::as_str))?;
            Some(format!("{}#{}", m.work, written[i].0))
        });
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn person_line(work: &str, slot: u32, person: &str) -> String {
        let row = PersonLine { work: work.into(), position: slot + 1, person: person.into(), slot };
        format!("P\t{work}\t0\t{}", serde_json::to_string(&row).unwrap())
    }

    #[test]
    fn a_curated_mention_follows_its_author_to_another_place_of_the_work() {
        // Merged when "Ann Lee" was w's first author; the source has since put someone in front of her.
        let curations = r#"[{"id": 1, "at": 0, "by": "t", "note": "", "undone": false, "kind": "merge",
            "people": ["p1", "p2"], "mentions": ["w#1", "v#2"], "names": ["Ann Lee", "Bo Chen"]}]"#;
        let input = [
            person_line("w", 0, "pn"),
            person_line("w", 1, "p1"),
            person_line("v", 0, "px"),
            person_line("v", 1, "p2"),
            "N\tw\t0\t\"New Person\"".into(),
            "N\tw\t1\t\"Ann Lee\"".into(),
            "N\tv\t0\t\"X Y\"".into(),
            "N\tv\t1\t\"Bo Chen\"".into(),
        ]
        .join("\n");
        let mut out = Vec::new();
        curate(curations, input.as_bytes(), &mut out).unwrap();
        let labels: CurationLabels = serde_json::from_slice(&out).unwrap();
        assert_eq!(labels.missing, 0);
        let mut relabeled = Vec::new();
        let lines = [person_line("w", 0, "pn"), person_line("v", 1, "p2")].join("\n");
        relabel(&String::from_utf8(out).unwrap(), lines.as_bytes(), &mut relabeled).unwrap();
        let relabeled = String::from_utf8(relabeled).unwrap();
        assert!(relabeled.contains("\"person\":\"pn\""), "the author now first is not merged: {relabeled}");
        assert!(relabeled.contains("\"person\":\"p1\"") && !relabeled.contains("\"p2\""), "{relabeled}");
    }
}
