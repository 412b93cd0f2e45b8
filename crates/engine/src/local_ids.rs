//! Record ids that are local to one file. A BibTeX cite key ("smith2010") or a RIS `ID` ("1") names an entry
//! within its file, not a paper the world over: two files, or two entries of one file, may give one key to two
//! papers. Stored as they are, the second would overwrite the first. A record whose id is already held by a
//! clearly different paper is stored under the id with a stable suffix instead, and the ingest says so; the same
//! file ingested again reaches the same ids.

use crate::EngineError;
use arrow_model::Work;

/// Id prefixes of the sources whose record ids are local to a file (DBLP keys in BibTeX are `dblp:` ids).
const LOCAL: &[&str] = &["bibtex:", "ris:"];

/// Whether a work's id is of a source whose ids are local to a file.
pub(crate) fn is_local(id: &str) -> bool {
    LOCAL.iter().any(|p| id.starts_with(p))
}

/// Gives `work` an id of its own when its local id is already held by a clearly different paper; returns the
/// message to report then.
pub(crate) fn keep_apart(batch: &arrow_store::Batch<'_>, work: &mut Work) -> Result<Option<String>, EngineError> {
    if !is_local(&work.id.0) {
        return Ok(None);
    }
    let mut id = work.id.0.clone();
    // A suffixed id may itself be taken (three papers under one key): suffixes chain until free or the same paper.
    for _ in 0..4 {
        let Some((key, _)) = batch.key_and_id(&id)? else { break };
        let stored = batch.work_by_key(key)?;
        if !different_papers(&stored, work) {
            break;
        }
        let was = id.clone();
        id = format!(
            "{}~{:08x}",
            work.id.0,
            fold32(fnv1a(&format!("{id}|{}|{:?}", words(&work.title).join(" "), work.year)))
        );
        if batch.key_and_id(&id)?.is_none() {
            let message = format!(
                "{was} already names another paper (\u{201c}{}\u{201d}); \u{201c}{}\u{201d} is stored as {id}",
                stored.title, work.title
            );
            let local = id.split_once(':').map_or(id.as_str(), |(_, k)| k).to_string();
            for p in &mut work.provenance {
                p.record_id = local.clone();
            }
            work.id.0 = id;
            return Ok(Some(message));
        }
    }
    if id != work.id.0 {
        let local = id.split_once(':').map_or(id.as_str(), |(_, k)| k).to_string();
        for p in &mut work.provenance {
            p.record_id = local.clone();
        }
        work.id.0 = id;
    }
    Ok(None)
}

/// Two records are of different papers when their DOIs differ, or without two DOIs when their titles share less
/// than half of their words (a corrected title keeps most of them).
fn different_papers(a: &Work, b: &Work) -> bool {
    if let (Some(x), Some(y)) = (&a.ids.doi, &b.ids.doi) {
        return !x.eq_ignore_ascii_case(y);
    }
    let (x, y) = (words(&a.title), words(&b.title));
    if x.is_empty() || y.is_empty() {
        return false;
    }
    let shared = x.iter().filter(|w| y.contains(w)).count();
    let union = x.len() + y.len() - shared;
    (shared as f64) < 0.5 * union as f64
}

fn words(title: &str) -> Vec<String> {
    let mut out: Vec<String> = arrow_normalize::fold(title)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Eight hex digits are enough to tell a key's few papers apart.
fn fold32(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// FNV-1a: stable across builds and platforms, so that a file ingested again reaches the same ids.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(title: &str, doi: Option<&str>) -> Work {
        let mut w = Work { title: title.into(), ..Work::default() };
        w.ids.doi = doi.map(str::to_string);
        w
    }

    #[test]
    fn papers_differ_by_doi_or_by_most_of_their_title_words() {
        let a = work("Alpha paper about zebras", None);
        assert!(different_papers(&a, &work("Beta paper about giraffes", None)));
        assert!(!different_papers(&a, &work("Alpha paper about Zebras.", None)), "case and punctuation");
        assert!(!different_papers(&a, &work("An alpha paper about zebras", None)), "a corrected title");
        assert!(different_papers(&work("A", Some("10.1/a")), &work("A", Some("10.1/b"))));
        assert!(!different_papers(&work("A", Some("10.1/A")), &work("B", Some("10.1/a"))), "one DOI");
        assert!(!different_papers(&a, &work("", None)), "nothing to tell by");
    }
}
