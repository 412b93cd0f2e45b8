//! Record ids that are local to one file. A BibTeX cite key ("smith2010") or a RIS `ID` ("1") names an entry
//! within its file, not a paper the world over: two files, or two entries of one file, may give one key to two
//! papers. Stored as they are, the second would overwrite the first. A record whose id is already held by a
//! clearly different paper is stored under the id with a stable suffix instead, and the ingest says so; the same
//! file ingested again reaches the same ids.

use crate::EngineError;
use arrow_model::Work;
use std::collections::HashSet;

/// Id prefixes of the sources whose record ids are local to a file (DBLP keys in BibTeX are `dblp:` ids).
const LOCAL: &[&str] = &["bibtex:", "ris:"];

/// Whether a work's id is of a source whose ids are local to a file.
pub(crate) fn is_local(id: &str) -> bool {
    LOCAL.iter().any(|p| id.starts_with(p))
}

/// Suffixed ids of one key read at most (a key held by more papers than this is not a key).
const SIBLINGS: usize = 64;

/// Gives `work` an id of its own when its local id is already held by a clearly different paper, or by an earlier
/// entry of the same file (`written`: the local ids this file's records were stored under so far); returns the
/// message to report then. A paper stored under a suffix before keeps it when its file is ingested again, even
/// with its DOI, title or year corrected since.
pub(crate) fn keep_apart(
    batch: &arrow_store::Batch<'_>,
    work: &mut Work,
    written: &mut HashSet<String>,
) -> Result<Option<String>, EngineError> {
    let id = work.id.0.clone();
    if !is_local(&id) {
        return Ok(None);
    }
    let kept = keep_apart_from(batch, work, written.contains(&id), written);
    written.insert(work.id.0.clone());
    kept
}

fn keep_apart_from(
    batch: &arrow_store::Batch<'_>,
    work: &mut Work,
    twice_in_file: bool,
    written: &HashSet<String>,
) -> Result<Option<String>, EngineError> {
    let id = work.id.0.clone();
    let Some((key, _)) = batch.key_and_id(&id)? else { return Ok(None) };
    let holder = batch.work_by_key(key)?;
    // Two entries of one file under one id are two entries, however alike: the second overwrote the first, and
    // every ingest of the file again ("updated 2" each time).
    if !twice_in_file && same_paper(&holder, work) {
        return Ok(None);
    }
    let prefix = format!("{id}~");
    let siblings = batch.ids_starting_with(&prefix, SIBLINGS)?;
    for (key, sibling) in siblings.iter().filter(|(_, s)| !written.contains(s)) {
        if same_paper(&batch.work_by_key(*key)?, work) {
            rename(work, sibling);
            return Ok(None);
        }
    }
    // Named by what is least likely to be corrected: the DOI, else the title's words.
    let basis = work.ids.doi.as_deref().map(str::to_ascii_lowercase).unwrap_or_else(|| words(&work.title).join(" "));
    let mut new = format!("{prefix}{:08x}", fold32(fnv1a(&basis)));
    let mut n = 1;
    while siblings.iter().any(|(_, s)| *s == new) || batch.key_and_id(&new)?.is_some() {
        n += 1;
        new = format!("{prefix}{:08x}-{n}", fold32(fnv1a(&basis)));
    }
    let what = if twice_in_file { "an earlier entry of this file" } else { "another paper" };
    let message = format!(
        "{id} already names {what} (\u{201c}{}\u{201d}); \u{201c}{}\u{201d} is stored as {new}",
        holder.title, work.title
    );
    rename(work, &new);
    Ok(Some(message))
}

fn rename(work: &mut Work, id: &str) {
    let local = id.split_once(':').map_or(id, |(_, k)| k).to_string();
    for p in &mut work.provenance {
        p.record_id = local.clone();
    }
    work.id.0 = id.to_string();
}

/// Two records are of one paper when they carry one DOI, or when their titles share at least half of their words
/// (a corrected title keeps most of them, a corrected DOI leaves the title as it was).
fn same_paper(a: &Work, b: &Work) -> bool {
    if let (Some(x), Some(y)) = (&a.ids.doi, &b.ids.doi) {
        if x.eq_ignore_ascii_case(y) {
            return true;
        }
    }
    let (x, y) = (words(&a.title), words(&b.title));
    if x.is_empty() || y.is_empty() {
        return true;
    }
    let shared = x.iter().filter(|w| y.contains(w)).count();
    let union = x.len() + y.len() - shared;
    2 * shared >= union
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
    fn one_paper_by_its_doi_or_most_of_its_title_words() {
        let a = work("Alpha paper about zebras", None);
        assert!(!same_paper(&a, &work("Beta paper about giraffes", None)));
        assert!(same_paper(&a, &work("Alpha paper about Zebras.", None)), "case and punctuation");
        assert!(same_paper(&a, &work("An alpha paper about zebras", None)), "a corrected title");
        assert!(!same_paper(&work("A b", Some("10.1/a")), &work("C d", Some("10.1/b"))));
        assert!(same_paper(&work("A b", Some("10.1/a")), &work("A b", Some("10.1/b"))), "a corrected DOI");
        assert!(same_paper(&work("A", Some("10.1/A")), &work("B", Some("10.1/a"))), "one DOI");
        assert!(same_paper(&a, &work("", None)), "nothing to tell by");
    }
}
