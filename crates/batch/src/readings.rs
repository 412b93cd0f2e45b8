//! Names written otherwise across blocks ("Wang Wei" / "Wei Wang", "Schuetze" / "Schütze") on a distributed run,
//! by the pass `arrow disambiguate` makes after its batches ([`arrow_engine::join_readings`]). Partitions are
//! blocks, so the pass runs on the driver over the few people it can touch: [`reading_names`] finds the names that
//! read as another among all the run's names, the driver gathers every mention of the people holding them, and
//! [`readings`] joins them; [`rename`] then rewrites every partition's people lines.

use crate::curate::rewrite_people;
use crate::lines::MentionLine;
use crate::stages::write_line;
use crate::BatchError;
use arrow_engine::Authorship;
use arrow_store::PersonMention;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};

/// What [`readings`] writes: people joined, as (absorbed person, person kept).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Renames {
    pub renames: Vec<(String, String)>,
}

/// Reads the run's distinct names, one JSON string a line (as the `people` stage's `N` lines carry them).
fn read_names(input: impl BufRead) -> Result<Vec<String>, BatchError> {
    let mut names = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if !line.trim().is_empty() {
            let name = serde_json::from_str(&line);
            names.push(name.map_err(|e| BatchError::Names { line: i as u64 + 1, message: e.to_string() })?);
        }
    }
    Ok(names)
}

/// Reads the run's distinct names and writes those that read as another of them, one JSON string a line.
pub fn reading_names(names: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let names = read_names(names)?;
    for name in arrow_engine::involved_names(names.iter().map(String::as_str)) {
        write_line(&mut out, &name)?;
    }
    out.flush()?;
    Ok(())
}

/// Reads the run's distinct names (`names`) and, on `input`, every mention of the people holding a name that
/// reads as another (`PERSON<TAB>`[`MentionLine`] lines), and writes one line: the [`Renames`] that join them.
pub fn readings(names: impl BufRead, input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let names = read_names(names)?;
    let distinct: HashSet<&str> = names.iter().map(String::as_str).collect();
    let totals = arrow_disambig::name_totals(distinct.iter().copied());
    let mut rows: Vec<PersonMention> = Vec::new();
    let mut mentions: Vec<arrow_disambig::Mention> = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let n = i as u64 + 1;
        let (person, json) =
            line.split_once('\t').ok_or_else(|| BatchError::line(n, "expected a person and a tab before the JSON"))?;
        let m: MentionLine = serde_json::from_str(json).map_err(|e| BatchError::line(n, e))?;
        rows.push(PersonMention { work: m.o, slot: i64::from(m.s), person: person.to_string() });
        mentions.push(m.m);
    }
    let renames = arrow_engine::join_readings(
        totals,
        &distinct,
        &rows,
        |i| Some(mentions[i].name.as_str()),
        |i| {
            let m = &mentions[i];
            Some(Authorship {
                work: &m.work,
                position: m.position,
                name: &m.name,
                source_id: m.source_id.as_deref(),
                coauthors: m.coauthors.iter().map(String::as_str).collect(),
            })
        },
    );
    write_line(&mut out, &Renames { renames })?;
    out.flush()?;
    Ok(())
}

/// Rewrites people lines (`KEYS<TAB>`[`PersonLine`], keys kept as they are) with the person the renames give.
pub fn rename(renames: &str, input: impl BufRead, out: impl Write) -> Result<(), BatchError> {
    let renames: Renames = serde_json::from_str(renames).map_err(|e| BatchError::Renames(e.to_string()))?;
    let to: HashMap<&str, &str> = renames.renames.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    rewrite_people(input, out, |row| to.get(row.person.as_str()).map_or(&row.person[..], |k| k).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention_line(o: i64, work: &str, name: &str, coauthors: &[&str]) -> String {
        let m = arrow_disambig::Mention {
            work: work.into(),
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: coauthors.iter().map(|c| c.to_string()).collect(),
            venue: None,
            year: None,
            title: String::new(),
            cites: Vec::new(),
        };
        let line = MentionLine { b: arrow_disambig::block_key(name), o, c: o, s: 0, t: 0, m };
        serde_json::to_string(&line).unwrap()
    }

    #[test]
    fn names_written_otherwise_join_on_a_shared_coauthor_and_every_line_is_renamed() {
        let names: String =
            ["Wei Wang", "Wang Wei", "Jiawei Han", "Ann Other"].iter().map(|n| format!("\"{n}\"\n")).collect();
        let mut found = Vec::new();
        reading_names(names.as_bytes(), &mut found).unwrap();
        assert_eq!(String::from_utf8(found).unwrap(), "\"Wang Wei\"\n\"Wei Wang\"\n");

        let p0 = arrow_disambig::person_id("w0", 1);
        let input = format!(
            "{p0}\t{}\np1\t{}\np2\t{}\n",
            mention_line(0, "w0", "Wei Wang", &["Jiawei Han"]),
            mention_line(1, "w1", "Wang Wei", &["Jiawei Han"]),
            mention_line(2, "w2", "Wang Wei", &["Ann Other"]),
        );
        let mut out = Vec::new();
        readings(names.as_bytes(), input.as_bytes(), &mut out).unwrap();
        let r: Renames = serde_json::from_slice(&out).unwrap();
        assert_eq!(r.renames, vec![("p1".to_string(), p0.clone())], "only the pair sharing a coauthor joins");

        let people = "P\tw1\t1\t{\"work\":\"w1\",\"position\":1,\"person\":\"p1\",\"slot\":0}\n\
                      P\tw2\t2\t{\"work\":\"w2\",\"position\":1,\"person\":\"p2\",\"slot\":0}\n";
        let mut renamed = Vec::new();
        rename(&String::from_utf8(out).unwrap(), people.as_bytes(), &mut renamed).unwrap();
        let renamed = String::from_utf8(renamed).unwrap();
        assert!(renamed.starts_with(&format!("P\tw1\t1\t{{\"work\":\"w1\",\"position\":1,\"person\":\"{p0}\"")));
        assert!(renamed.contains("\"person\":\"p2\""), "{renamed}");
    }

    #[test]
    fn names_whose_holders_were_not_sent_join_no_one() {
        let mut out = Vec::new();
        readings("\"Wei Wang\"\n\"Wang Wei\"\n".as_bytes(), "".as_bytes(), &mut out).unwrap();
        let r: Renames = serde_json::from_slice(&out).unwrap();
        assert!(r.renames.is_empty());
    }

    #[test]
    fn a_bad_names_file_is_named_with_its_line() {
        let e = reading_names("\"Wei Wang\"\nWang Wei\n".as_bytes(), Vec::new()).unwrap_err().to_string();
        assert!(e.starts_with("the names file, line 2:"), "{e}");
        let e = readings("\"Wei Wang\"\n".as_bytes(), "p0 no tab\n".as_bytes(), Vec::new()).unwrap_err().to_string();
        assert!(e.contains("line 1: expected a person and a tab"), "{e}");
    }
}
