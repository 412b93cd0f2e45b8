//! People and versions: disambiguation, its results, its explanation and its evaluation.

use super::open;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Groups every authorship into people.
pub fn disambiguate(data: &Path, within_blocks: bool) -> Result<()> {
    let arrow = open(data)?;
    eprintln!("disambiguating authors ...");
    let r = if within_blocks { arrow.disambiguate_within_blocks()? } else { arrow.disambiguate()? };
    eprintln!(
        "{} mentions grouped into {} people in {:.1} s ({} distinct name strings: {:.2} people per name string)",
        r.mentions,
        r.people,
        r.seconds,
        r.names,
        r.people as f64 / r.names.max(1) as f64
    );
    if r.joined_readings > 0 {
        eprintln!(
            "{} people were joined with another who writes the name otherwise in another block (family name first, a \
             double surname without its second part, \"ue\" for \"ü\")",
            r.joined_readings
        );
    }
    conflicts(&r.curation_conflicts);
    for c in &r.source_id_conflicts {
        eprintln!(
            "source id {} is on names that share no word, not followed between them: {}",
            c.source_id,
            c.names.join(" / ")
        );
    }
    Ok(())
}

pub(crate) fn conflicts(list: &[arrow_engine::CurationConflict]) {
    for c in list {
        eprintln!("curation conflict: {}", c.message);
    }
}

/// Prints a curation just made.
pub fn curated(result: Result<arrow_engine::Curation, arrow_engine::EngineError>) -> Result<()> {
    let c = result?;
    println!("curation {}: {}", c.id, c.correction.summary());
    conflicts(&c.conflicts);
    Ok(())
}

/// Lists curations, oldest first.
pub fn history(data: &Path, person: Option<&str>, json: bool) -> Result<()> {
    let list = open(data)?.curation_history(person)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    if list.is_empty() {
        match person {
            Some(p) => eprintln!("no curations of {p}"),
            None => eprintln!("no curations yet"),
        }
        return Ok(());
    }
    println!("id\twhen\tby\twhat\tnote");
    // One line per curation, whatever a note holds.
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for c in &list {
        let undone = match &c.undo {
            Some(u) => format!(" (undone {} by {}{})", arrow_engine::utc(u.at), flat(&u.by), note_of(&flat(&u.note))),
            None if c.undone => " (undone)".to_string(),
            None => c.replaced_by.map(|n| format!(" (replaced by {n})")).unwrap_or_default(),
        };
        println!("{}\t{}\t{}\t{}{undone}\t{}", c.id, c.when(), flat(&c.by), c.correction.summary(), flat(&c.note));
    }
    Ok(())
}

pub fn undo(data: &Path, id: i64, by: &str, note: &str) -> Result<()> {
    let left = open(data)?.curate_undo(id, by, note)?;
    println!("curation {id} undone");
    conflicts(&left);
    Ok(())
}

fn note_of(note: &str) -> String {
    if note.is_empty() {
        String::new()
    } else {
        format!(": {note}")
    }
}

/// Groups versions of one work and prints counts and a sample.
pub fn versions(data: &Path, sample: usize) -> Result<()> {
    let arrow = open(data)?;
    eprintln!("grouping versions of one work ...");
    let r = arrow.group_versions()?;
    println!("groups: {}", r.groups);
    println!("works_grouped: {}", r.works_grouped);
    println!("seconds: {:.2}", r.seconds);
    for (i, group) in arrow.version_groups_sample(sample)?.iter().enumerate() {
        println!();
        for v in group {
            println!(
                "{:>3}. {} | {} | {} | {}",
                i + 1,
                v.venue.as_deref().unwrap_or("-"),
                v.year.map(|y| y.to_string()).unwrap_or_else(|| "-".into()),
                v.title,
                v.id
            );
        }
    }
    Ok(())
}

/// The most other people whose names fit a name listed, as the API lists them.
const FITTING_SHOWN: usize = 20;

/// The people who published under a name.
pub fn people(data: &Path, name: Vec<String>, json: bool) -> Result<()> {
    let arrow = open(data)?;
    let name = name.join(" ");
    let people = arrow.people_named(&name)?;
    if json {
        // The shape of `GET /api/v1/people?name=`: the exact people, and the others whose names fit.
        let fitting = arrow_engine::Engine::people_also_fitting(&arrow, &name, &people, FITTING_SHOWN)?;
        let out = serde_json::json!({ "name": name, "people": people, "fitting": fitting });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if people.is_empty() {
        if name.trim().is_empty() {
            anyhow::bail!("name a person: `arrow people 'Jan Hajič'` (the name as written, case aside)");
        }
        if !arrow.has_people()? {
            anyhow::bail!("no people yet: run `arrow disambiguate` first");
        }
        return fitting(&arrow, &name, &[]);
    }
    for p in &people {
        let works = if p.works_with_name == 1 { "work" } else { "works" };
        println!("{}  {} {works} under this name{}", p.id, p.works_with_name, arrow_engine::tell_apart(p, &name));
    }
    fitting(&arrow, &name, &people)
}

/// People whose names fit a name that no one wrote exactly, or that is a surname alone or with one initial
/// (initials, no diacritics, any given name), or that is the name written otherwise (a DBLP homonym number, the
/// dots of initials), apart from the people of `exact` listed already.
fn fitting(arrow: &arrow_engine::Arrow, name: &str, exact: &[arrow_engine::PersonSummary]) -> Result<()> {
    let Some(fit) = arrow_engine::Engine::people_also_fitting(arrow, name, exact, FITTING_SHOWN)? else {
        return Ok(());
    };
    let (people, total) = (fit.people, fit.total);
    if people.is_empty() {
        if !exact.is_empty() {
            return Ok(());
        }
        anyhow::bail!(
            "no people named {name:?}, nor with a name that fits it (`arrow name` lists the papers of a name, and \
             the search box finds partial names)"
        );
    }
    // The same name written otherwise ("Y. Zhang" for "Y Zhang", "John McCarthy 0001") comes first.
    let same = people.first().is_some_and(|p| p.names.iter().any(|(n, _)| arrow_engine::same_name(n, name)));
    let order =
        if same { "this name written otherwise first, then the most published" } else { "the most published first" };
    // Headings go with the list (on standard output), so that a list read from a pipe says which people fit.
    if exact.is_empty() {
        println!("no one is named {name:?} exactly; people whose names fit it, {order}:");
    } else {
        println!("other people whose names fit {name:?}, {order}:");
    }
    for p in &people {
        let names = p.names.iter().take(6).map(|(n, c)| format!("{n} ({c})")).collect::<Vec<_>>().join(" / ");
        let works = if p.works == 1 { "work" } else { "works" };
        println!("{}  {} {works} under these names  ({names})", p.id, p.works);
    }
    if total > people.len() {
        println!("… and {} more: give more of the name", total - people.len());
    }
    Ok(())
}

/// One person: variants, coauthors, venues, works.
pub fn person(data: &Path, id: String, json: bool) -> Result<()> {
    let arrow = open(data)?;
    let Some(p) = arrow.person(&id)? else {
        match arrow.where_went(&id)? {
            Some((why, _)) => anyhow::bail!("no person {id}: {why}"),
            None => anyhow::bail!(
                "no person {id} (person ids look like p0123456789abcdef; `arrow people NAME` lists those of a name)"
            ),
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&p)?);
        return Ok(());
    }
    let papers = if p.works.len() == 1 { "1 paper".to_string() } else { format!("{} papers", p.works.len()) };
    let span = match (p.years.first(), p.years.last()) {
        (Some((a, _)), Some((b, _))) if a != b => format!(", {a}–{b}"),
        (Some((a, _)), _) => format!(", {a}"),
        _ => String::new(),
    };
    println!("{} ({}): {papers}{span}", p.name, p.id);
    // The ten commonest, and how many more there are.
    let show = |label: &str, v: &[(String, u64)]| {
        if v.is_empty() {
            return;
        }
        let mut line = v.iter().take(10).map(|(n, c)| format!("{n} ({c})")).collect::<Vec<_>>().join(", ");
        if v.len() > 10 {
            line.push_str(&format!(", and {} more", v.len() - 10));
        }
        println!("{label}: {line}");
    };
    show("written as", &p.variants);
    // As the person page counts them: coauthors as people where disambiguation gave them (one person's
    // spellings together, two people of one name apart), else as names.
    if p.coauthor_people.is_empty() {
        show("coauthors", &p.coauthors);
    } else {
        let people: Vec<(String, u64)> = p.coauthor_people.iter().map(|c| (c.name().to_string(), c.works)).collect();
        show("coauthors", &people);
    }
    show("venues", &p.venues);
    if let Some(orcid) = &p.orcid {
        println!("ORCID: {orcid}");
    }
    // Each work with this person's mention as `curate split --mentions` takes it.
    for w in &p.works {
        let mention = p.positions.get(&w.id.0).map(|pos| format!("{}#{pos}", w.id.0)).unwrap_or_default();
        println!(
            "  {} {} — {}  [{mention}]",
            w.year.map(|y| y.to_string()).unwrap_or_default(),
            w.venue.as_deref().unwrap_or("-"),
            w.title
        );
    }
    Ok(())
}

/// Why two authorships are or are not one person.
pub fn explain(data: &Path, a: String, b: String, json: bool) -> Result<()> {
    let arrow = open(data)?;
    let a = a.parse().map_err(anyhow::Error::msg)?;
    let b = b.parse().map_err(anyhow::Error::msg)?;
    match arrow.explain(&a, &b)? {
        Some(e) if json => println!("{}", serde_json::to_string_pretty(&e)?),
        Some(e) => print!("{}", explanation_text(&e)),
        None => match arrow.why_unexplained(&a, &b)? {
            Some(why) => anyhow::bail!("{why}"),
            None => anyhow::bail!("no people yet: run `arrow disambiguate` first"),
        },
    }
    Ok(())
}

/// An explanation for reading: the decision, each signal's evidence, and how rare each name is.
fn explanation_text(e: &arrow_engine::Explanation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "{}", e.names.join("  vs  "));
    let decision = match e.same_person {
        Some(true) => "one person",
        Some(false) => "two people",
        None => "not decided by a run",
    };
    let _ = write!(out, "decision: {decision}");
    match e.by_evidence {
        Some(raw) => {
            let raw = if raw { "one person" } else { "two people" };
            let _ = writeln!(out, " (by a curator's correction; the evidence alone said {raw})");
        }
        None => out.push('\n'),
    }
    if let Some(c) = e.constraint {
        let _ = writeln!(out, "rule: {}", c.describe());
    }
    if !e.shared_by_readings.is_empty() {
        let _ = writeln!(out, "their papers under the two names share: {}", e.shared_by_readings.join(", "));
    }
    if let Some(why) = &e.kept_apart {
        let _ = writeln!(out, "kept apart: {why}");
    }
    let _ = writeln!(out, "{}", e.verdict());
    for s in &e.signals {
        let _ = writeln!(out, "  {:<10} {:<48} {:+.2}", s.signal, s.level, s.weight);
    }
    if let Some(note) = e.run_note() {
        let _ = writeln!(out, "why the run decided otherwise: {note}");
    }
    if !e.rarity.is_empty() {
        let _ = writeln!(out, "name rarity:");
        for r in &e.rarity {
            let _ = writeln!(out, "  {}: {}", r.name, r.reason);
        }
    }
    out.push_str(
        "(people are built from clusters, not pairs: two mentions can be one person through other papers, or because \
         their full name is rare)\n",
    );
    out
}

/// Scores the stored people against gold clusters.
pub fn eval_disambiguation(data: &Path, gold: PathBuf, people: Option<PathBuf>) -> Result<()> {
    let r = match people {
        Some(file) => arrow_engine::evaluate_assignment(&gold, |refs| people_in_file(&file, refs))?,
        None => open(data)?.evaluate_people(&gold)?,
    };
    println!("mentions: {}\nmissing: {}", r.mentions, r.missing);
    if let Some(first) = &r.first_name_difference {
        eprintln!(
            "{} of the gold mentions name another author than the store has at that place (positions count from \
             1); the first: {first}",
            r.names_differ
        );
    }
    if r.missing > 0 {
        eprintln!(
            "{} of the gold mentions are not stored mentions with a person, and are not scored (a work id as \
             stored, a position counted from 1)",
            r.missing
        );
    }
    for (k, v) in [
        ("b3_precision", r.b3_precision),
        ("b3_recall", r.b3_recall),
        ("b3_f1", r.b3_f1),
        ("pairwise_precision", r.pairwise_precision),
        ("pairwise_recall", r.pairwise_recall),
        ("pairwise_f1", r.pairwise_f1),
        ("baseline_b3_precision", r.baseline_b3_precision),
        ("baseline_b3_recall", r.baseline_b3_recall),
        ("baseline_b3_f1", r.baseline_b3_f1),
    ] {
        println!("{k}: {v:.4}");
    }
    Ok(())
}

/// The person of each mention in a people.jsonl file (lines with work, position and person).
fn people_in_file(
    file: &Path,
    refs: &[arrow_engine::MentionRef],
) -> Result<Vec<Option<String>>, arrow_engine::EngineError> {
    #[derive(serde::Deserialize)]
    struct Line {
        work: String,
        position: u32,
        person: String,
    }
    let io = |e| arrow_engine::EngineError::Io { path: file.display().to_string(), source: e };
    let wanted: std::collections::HashSet<(&str, u32)> = refs.iter().map(|r| (r.work.as_str(), r.position)).collect();
    let mut found: std::collections::HashMap<(String, u32), String> = Default::default();
    let reader = std::io::BufReader::new(std::fs::File::open(file).map_err(io)?);
    for (i, line) in std::io::BufRead::lines(reader).enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(&line).map_err(|e| {
            arrow_engine::EngineError::Parse(arrow_ingest::ParseError::new(
                &file.display().to_string(),
                i as u64 + 1,
                e.to_string(),
            ))
        })?;
        if wanted.contains(&(l.work.as_str(), l.position)) {
            found.insert((l.work, l.position), l.person);
        }
    }
    Ok(refs.iter().map(|r| found.get(&(r.work.clone(), r.position)).cloned()).collect())
}
