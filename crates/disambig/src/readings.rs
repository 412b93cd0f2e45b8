//! One name read another way: written family name first ("Rajkumar Rajakrishnan" for "Rajakrishnan
//! Rajkumar"), a double or compound surname without its second part ("Irene Langkilde" for "Irene
//! Langkilde-Geary", "Annette Rios" for "Annette Rios Gonzales"), or "ue" for "ü" ("Hinrich Schuetze" for
//! "Hinrich Schütze"). Blocks are a surname and a first initial, so such names lie in different blocks (or, for
//! "Guenter" and "Günter", conflict in one) and a run never compares them. A pass after the run (the engine's
//! `readings.rs`) joins the people holding two readings of one name where their papers or the names' rarity say
//! they are one; here is what counts as a reading.

use crate::name::{fold_name, ParsedName, PARTICLES};
use arrow_normalize::split_homonym;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How one name reads as another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reading {
    /// The same words in another order, the family name first ("Wang Wei", "Wei Wang").
    FamilyNameFirst,
    /// A double or compound surname without its second part ("Langkilde" of "Langkilde-Geary").
    ShortSurname,
    /// German umlauts written "ae", "oe", "ue" ("Schuetze" for "Schütze").
    Umlaut,
}

/// Whether two names read as each other by `reading` may be joined on their rarity alone, without a shared
/// coauthor: for "ue" as "ü", and for a hyphenated double surname shortened. Two words in either order are often
/// two people's names (Chinese, Korean, Vietnamese, Hungarian and Indian names are written both ways: "Ahmad
/// Rashid", "Rashid Ahmad"), and a third word written with a space is as often a middle name as a surname ("Jong
/// Yoon Lee", "Naveen Kumar Laskari"): those need a coauthor in common.
pub fn joins_on_rarity(a: &str, b: &str, reading: Reading) -> bool {
    match reading {
        Reading::Umlaut => true,
        Reading::FamilyNameFirst => false,
        Reading::ShortSurname => ParsedName::parse(a).double.is_some() || ParsedName::parse(b).double.is_some(),
    }
}

/// The name's words, folded, without dots or commas ("K.V. Subbarao" → k, v, subbarao); `None` for a name a
/// source numbered as a homonym ("Ce Zhang 0001"), which says it is not any other name.
fn words(raw: &str) -> Option<Vec<String>> {
    let (head, number) = split_homonym(raw);
    if number.is_some() {
        return None;
    }
    let folded = fold_name(head);
    let words: Vec<String> = folded
        .split(|c: char| c.is_whitespace() || c == '.' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (words.len() >= 2).then_some(words)
}

/// The name with its umlauts written "ae", "oe", "ue" (case kept: "Ü" as "Ue"); `None` without umlauts.
fn umlauts_written_out(raw: &str) -> Option<String> {
    let raw = arrow_normalize::nfc(raw);
    if !raw.chars().any(|c| "äöüÄÖÜ".contains(c)) {
        return None;
    }
    let mut spelled = String::with_capacity(raw.len() + 4);
    for c in raw.chars() {
        match c {
            'ä' => spelled.push_str("ae"),
            'ö' => spelled.push_str("oe"),
            'ü' => spelled.push_str("ue"),
            'Ä' => spelled.push_str("Ae"),
            'Ö' => spelled.push_str("Oe"),
            'Ü' => spelled.push_str("Ue"),
            c => spelled.push(c),
        }
    }
    Some(spelled)
}

/// The words of the name with its umlauts written "ae", "oe", "ue"; `None` without umlauts.
fn umlauts_spelled_out(raw: &str) -> Option<Vec<String>> {
    words(&umlauts_written_out(raw)?)
}

/// The words of the name without the second part of its surname: "irene langkilde" of "Irene Langkilde-Geary",
/// "annette rios" of "Annette Rios Gonzales". A compound surname written with a space needs a first name and two
/// surname words of more than one letter, the first no particle ("Hung Van Tran" has none to shorten).
fn shortened(raw: &str, words: &[String]) -> Option<Vec<String>> {
    let n = ParsedName::parse(raw);
    let (last, rest) = words.split_last()?;
    if n.double.is_some() {
        let (first, _) = last.rsplit_once('-')?;
        let mut out = rest.to_vec();
        out.push(first.to_string());
        return Some(out);
    }
    let long = |w: &String| w.chars().filter(|c| c.is_alphanumeric()).count() > 1;
    let before = rest.last()?;
    (rest.len() >= 2 && long(&rest[0]) && long(before) && long(last) && !PARTICLES.contains(&before.as_str()))
        .then(|| rest.to_vec())
}

/// The words of a name, sorted: one key for every order of them.
fn sorted(words: &[String]) -> String {
    let mut w = words.to_vec();
    w.sort();
    w.join(" ")
}

/// How `b` reads as `a` (or `a` as `b`), if it does.
pub fn reading_of(a: &str, b: &str) -> Option<Reading> {
    let (wa, wb) = (words(a)?, words(b)?);
    let family = |raw: &str| ParsedName::parse(raw).family().to_string();
    if sorted(&wa) == sorted(&wb) && family(a) != family(b) {
        return Some(Reading::FamilyNameFirst);
    }
    if shortened(a, &wa).as_ref() == Some(&wb) || shortened(b, &wb).as_ref() == Some(&wa) {
        return Some(Reading::ShortSurname);
    }
    if umlauts_spelled_out(a).as_ref() == Some(&wb) || umlauts_spelled_out(b).as_ref() == Some(&wa) {
        return Some(Reading::Umlaut);
    }
    None
}

/// Whether two names of people joined by `reading` agree, as the names of one cluster must: as written, read
/// otherwise, or, joined by an umlaut, with "ue" read as "u" in both ("Hinrich Schutze" beside "Hinrich
/// Schuetze", once "Schütze" joined them).
pub fn names_agree(a: &str, b: &str, reading: Reading) -> bool {
    let agree = |a: &str, b: &str| crate::compare_names(a, b) != crate::NameMatch::Conflict;
    if agree(a, b) || reading_of(a, b).is_some() {
        return true;
    }
    let plain = |s: &str| fold_name(s).replace("ae", "a").replace("oe", "o").replace("ue", "u");
    reading == Reading::Umlaut && agree(&plain(a), &plain(b))
}

/// Names as a source may have written `raw` otherwise, each with its reading, for looking them up among stored
/// names: its words in every other order with another family name (for names of at most four words), without
/// the second part of its surname, with "ae", "oe", "ue" as umlauts and its umlauts as "ae", "oe", "ue" (the long
/// forms of a short surname are found by [`lengthened_prefixes`]). Words are kept as written, so a lookup
/// finds the names a source wrote with the same case and diacritics as `raw` (a name key folds case only).
pub fn written_readings(raw: &str) -> Vec<(String, Reading)> {
    let Some(folded) = words(raw) else { return Vec::new() };
    let (head, _) = split_homonym(raw);
    let written: Vec<&str> = head.split_whitespace().collect();
    let mut out: Vec<(String, Reading)> = Vec::new();
    if (2..=4).contains(&written.len()) {
        let family = ParsedName::parse(raw).family().to_string();
        // From the written order, the first, through every other.
        let mut order: Vec<usize> = (0..written.len()).collect();
        while next_permutation(&mut order) {
            let name = order.iter().map(|&i| written[i]).collect::<Vec<_>>().join(" ");
            if ParsedName::parse(&name).family() != family {
                out.push((name, Reading::FamilyNameFirst));
            }
        }
    }
    if shortened(raw, &folded).is_some() {
        if let Some((last, rest)) = written.split_last() {
            let short = match last.rsplit_once('-') {
                Some((first, _)) if ParsedName::parse(raw).double.is_some() => format!("{} {first}", rest.join(" ")),
                _ => rest.join(" "),
            };
            out.push((short, Reading::ShortSurname));
        }
    }
    for (from, to) in [("ue", "ü"), ("oe", "ö"), ("ae", "ä")] {
        if head.contains(from) {
            out.push((head.replace(from, to), Reading::Umlaut));
        }
    }
    if let Some(spelled) = umlauts_written_out(head) {
        out.push((spelled, Reading::Umlaut));
    }
    out.retain(|(name, reading)| reading_of(raw, name) == Some(*reading));
    out.sort();
    out.dedup();
    out
}

/// Prefixes of the name keys (see `arrow_normalize::name_key`) of the names `raw` may be a shortened reading of:
/// "irene langkilde-" and "irene langkilde " for "Irene Langkilde", whose stored long form ("Langkilde-Geary")
/// no lookup of written names can guess. Whether a name found under them is one is [`reading_of`]'s to say.
pub fn lengthened_prefixes(raw: &str) -> Vec<String> {
    if words(raw).is_none() {
        return Vec::new();
    }
    let key = arrow_normalize::name_key(raw);
    vec![format!("{key}-"), format!("{key} ")]
}

/// Steps `v` to its next permutation in lexicographic order; false (and `v` unchanged) at the last.
fn next_permutation(v: &mut [usize]) -> bool {
    let Some(i) = (1..v.len()).rev().find(|&i| v[i - 1] < v[i]) else { return false };
    let j = (i..v.len()).rev().find(|&j| v[j] > v[i - 1]).unwrap_or(i);
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

/// Most names one key of [`reading_pairs`] may gather: more are common words in every order ("Li Wei", "Wei
/// Li", ...), which evidence alone could join, and comparing all of them is quadratic.
const MAX_PER_KEY: usize = 16;

/// Every pair of distinct names in `names` where one reads as the other, each once, in a stable order.
pub fn reading_pairs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, &'a str, Reading)> {
    let mut by_words: HashMap<String, Vec<&'a str>> = HashMap::new();
    let mut by_sorted: HashMap<String, Vec<&'a str>> = HashMap::new();
    let mut derived: Vec<(&'a str, String, Reading)> = Vec::new();
    for raw in names {
        let Some(w) = words(raw) else { continue };
        by_sorted.entry(sorted(&w)).or_default().push(raw);
        if let Some(short) = shortened(raw, &w) {
            derived.push((raw, short.join(" "), Reading::ShortSurname));
        }
        if let Some(spelled) = umlauts_spelled_out(raw) {
            derived.push((raw, spelled.join(" "), Reading::Umlaut));
        }
        by_words.entry(w.join(" ")).or_default().push(raw);
    }
    let mut out: Vec<(&'a str, &'a str, Reading)> = Vec::new();
    for group in by_sorted.values().filter(|g| g.len() > 1 && g.len() <= MAX_PER_KEY) {
        let families: Vec<String> = group.iter().map(|n| ParsedName::parse(n).family().to_string()).collect();
        for i in 0..group.len() {
            for j in i + 1..group.len() {
                if families[i] != families[j] {
                    out.push((group[i], group[j], Reading::FamilyNameFirst));
                }
            }
        }
    }
    for (raw, key, reading) in derived {
        for &other in by_words.get(&key).filter(|v| v.len() <= MAX_PER_KEY).map_or(&[][..], |v| &v[..]) {
            if other != raw {
                out.push((raw, other, reading));
            }
        }
    }
    for p in &mut out {
        if p.1 < p.0 {
            *p = (p.1, p.0, p.2);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_otherwise() {
        assert_eq!(reading_of("Rajkumar Rajakrishnan", "Rajakrishnan Rajkumar"), Some(Reading::FamilyNameFirst));
        assert_eq!(reading_of("Subbarao K V.", "K.V. Subbarao"), Some(Reading::FamilyNameFirst));
        assert_eq!(reading_of("Irene Langkilde-Geary", "Irene Langkilde"), Some(Reading::ShortSurname));
        assert_eq!(reading_of("Annette Rios", "Annette Rios Gonzales"), Some(Reading::ShortSurname));
        assert_eq!(reading_of("Hinrich Schuetze", "Hinrich Schütze"), Some(Reading::Umlaut));
        assert_eq!(reading_of("Günter Neumann", "Guenter Neumann"), Some(Reading::Umlaut));
        // The same order, a particle, a number, another name: none.
        assert_eq!(reading_of("Jan Hajič", "Jan HAJIC"), None);
        assert_eq!(reading_of("Hung Van Tran", "Hung Van"), None);
        assert_eq!(reading_of("Wei Wang 0001", "Wang Wei"), None);
        assert_eq!(reading_of("Xu Xue", "Xu Xu"), None, "ue is not ü unless an umlaut was written");
        assert_eq!(reading_of("Mark Hasegawa-Johnson", "Mark Johnson"), None, "the first part stays");
        assert_eq!(reading_of("Chen, Mayee", "Mayee Chen"), None, "one family name, written first with a comma");
        assert!(names_agree("Hinrich Schutze", "Hinrich Schuetze", Reading::Umlaut));
        let written = |raw: &str| written_readings(raw).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(written("Rajkumar Rajakrishnan"), vec!["Rajakrishnan Rajkumar"]);
        assert_eq!(written("Sobha Lalitha Devi").len(), 5, "every other order of three words with another family");
        assert!(written("Irene Langkilde-Geary").contains(&"Irene Langkilde".to_string()));
        assert!(written("Annette Rios Gonzales").contains(&"Annette Rios".to_string()));
        assert_eq!(written("Hinrich Schuetze"), vec!["Hinrich Schütze", "Schuetze Hinrich"]);
        assert_eq!(written("Jörn Wübker"), vec!["Joern Wuebker", "Wübker Jörn"]);
        assert_eq!(written("Ömer Kırnap"), vec!["Kırnap Ömer", "Oemer Kırnap"]);
        assert!(written("Jo\u{308}rn Wu\u{308}bker").contains(&"Joern Wuebker".to_string()), "decomposed umlauts");
        assert_eq!(lengthened_prefixes("Irene Langkilde"), vec!["irene langkilde-", "irene langkilde "]);
        assert!(lengthened_prefixes("Ce Zhang 0001").is_empty());
        assert!(written("Ce Zhang 0001").is_empty());
        assert!(!names_agree("Hinrich Schutze", "Hinrich Schuetze", Reading::FamilyNameFirst));
        assert!(!names_agree("Juan José Rodríguez Soler", "Juan Soler-Company", Reading::ShortSurname));
    }

    #[test]
    fn pairs_of_a_corpus_are_each_found_once() {
        let names = [
            "Rajakrishnan Rajkumar",
            "Rajkumar Rajakrishnan",
            "Irene Langkilde",
            "Irene Langkilde-Geary",
            "Hinrich Schütze",
            "Hinrich Schuetze",
            "Hinrich Schutze",
            "Jan Hajič",
        ];
        let pairs = reading_pairs(names);
        assert_eq!(
            pairs,
            vec![
                ("Hinrich Schuetze", "Hinrich Schütze", Reading::Umlaut),
                ("Irene Langkilde", "Irene Langkilde-Geary", Reading::ShortSurname),
                ("Rajakrishnan Rajkumar", "Rajkumar Rajakrishnan", Reading::FamilyNameFirst),
            ]
        );
        for (a, b, r) in pairs {
            assert_eq!(reading_of(a, b), Some(r));
        }
    }
}
