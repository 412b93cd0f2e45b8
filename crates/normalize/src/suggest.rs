//! The words a name is suggested by as someone types it.

use crate::fold;

/// In a rotated name term, separates the words from the typed one on from the words before it.
pub const ROTATION_SEP: char = '\u{1}';

/// A name folded for suggestions: case and diacritics folded, split on anything not a letter or digit, words
/// joined by one space ("Christopher  RÉ" and "christopher re" alike; "Jean-Pierre" is "jean pierre").
pub fn suggest_fold(name: &str) -> String {
    fold(name).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The suggestion terms of a name: its folded form, and a rotation starting at each later word that someone
/// might type first ("re\u{1}christopher"). Initials and DBLP homonym numbers ("Ce Zhang 0001") are not a way in,
/// which keeps the terms few.
pub fn suggest_terms(name: &str) -> Vec<String> {
    let folded = suggest_fold(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::with_capacity(words.len());
    if words.is_empty() {
        return out;
    }
    out.push(words.join(" "));
    for i in 1..words.len() {
        let w = words[i];
        if w.len() < 2 || w.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut term = words[i..].join(" ");
        term.push(ROTATION_SEP);
        term.push_str(&words[..i].join(" "));
        out.push(term);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folded name a term stands for.
    fn unrotate(term: &str) -> String {
        match term.split_once(ROTATION_SEP) {
            Some((from, before)) => format!("{before} {from}"),
            None => term.to_string(),
        }
    }

    #[test]
    fn terms_are_the_folded_name_and_its_rotations() {
        assert_eq!(suggest_terms("Christopher Ré"), ["christopher re", "re\u{1}christopher"]);
        assert_eq!(suggest_terms("Ce Zhang 0001"), ["ce zhang 0001", "zhang 0001\u{1}ce"]);
        assert_eq!(suggest_terms("Mayee F. Chen"), ["mayee f chen", "chen\u{1}mayee f"]);
        assert_eq!(suggest_fold("Jean-Pierre  LÉVY"), "jean pierre levy");
        assert!(suggest_terms(" - ").is_empty());
        for t in suggest_terms("Jean-Pierre Lévy") {
            assert_eq!(unrotate(&t), "jean pierre levy");
        }
    }
}
