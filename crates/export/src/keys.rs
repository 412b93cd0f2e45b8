//! Names and cite keys.

use arrow_model::Work;
use std::collections::HashMap;

const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "das", "ter", "ten", "bin",
    "al",
];
const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];
const SKIPPED_WORDS: &[&str] =
    &["a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "is", "are", "at", "by"];

/// Splits a display name ("Jan van der Berg, Jr.", "Ji Liu 0002") into (given, family, suffix).
/// DBLP homonym numbers are dropped; lowercase particles go with the family name.
pub fn split_name(name: &str) -> (String, String, String) {
    let (main, mut suffix) = match name.split_once(',') {
        Some((m, s)) => (m.trim(), s.trim().to_string()),
        None => (name.trim(), String::new()),
    };
    let mut words: Vec<&str> = main.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit())) {
        words.pop();
    }
    if suffix.is_empty() && words.len() > 2 && words.last().is_some_and(|w| is_personal_suffix(w)) {
        suffix = words.pop().unwrap_or_default().to_string();
    }
    let Some(last) = words.pop() else { return (String::new(), String::new(), suffix) };
    let mut family = vec![last];
    while words.len() > 1 && words.last().is_some_and(|w| PARTICLES.contains(w)) {
        family.insert(0, words.pop().unwrap_or_default());
    }
    (words.join(" "), family.join(" "), suffix)
}

/// "Jr.", "III": a suffix of a person's name, not a company's ("Inc.").
pub(crate) fn is_personal_suffix(word: &str) -> bool {
    SUFFIXES.contains(&word.to_lowercase().as_str())
}

/// "Inc.", "Ltd": the end of a company's name written "IsoQuest, Inc.".
pub(crate) fn is_company_suffix(word: &str) -> bool {
    const COMPANY: &[&str] = &["inc", "ltd", "llc", "corp", "co", "gmbh", "ag", "plc", "sa", "s.a", "bv", "nv"];
    COMPANY.contains(&word.trim_end_matches('.').to_lowercase().as_str())
}

/// The surname without particles, for keys: "Berg" for "Jan van der Berg".
pub fn surname(name: &str) -> String {
    let (_, family, _) = split_name(name);
    family.split_whitespace().last().unwrap_or("").to_string()
}

/// Folds to lower-case ASCII letters and digits: "Ré" → "re", "Søren" → "soren".
fn ascii_fold(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let folded = match c {
            'à'..='å' | 'À'..='Å' | 'ā' | 'ă' | 'ą' | 'Ā' | 'Ă' | 'Ą' => "a",
            'æ' | 'Æ' => "ae",
            'ç' | 'Ç' | 'ć' | 'č' | 'Ć' | 'Č' => "c",
            'ď' | 'đ' | 'Ď' | 'Đ' | 'ð' | 'Ð' => "d",
            'è'..='ë' | 'È'..='Ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "e",
            'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'ı' | 'Ī' | 'İ' => "i",
            'ł' | 'Ł' | 'ľ' | 'Ľ' => "l",
            'ñ' | 'Ñ' | 'ń' | 'ň' | 'Ń' | 'Ň' => "n",
            'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' | 'ō' | 'ő' | 'Ō' | 'Ő' => "o",
            'œ' | 'Œ' => "oe",
            'ř' | 'Ř' => "r",
            'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
            'ß' => "ss",
            'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
            'þ' | 'Þ' => "th",
            'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' | 'Ū' | 'Ů' | 'Ű' => "u",
            'ý' | 'ÿ' | 'Ý' => "y",
            'ž' | 'ź' | 'ż' | 'Ž' | 'Ź' | 'Ż' => "z",
            _ => "",
        };
        out.push_str(folded);
    }
    out
}

/// The key before deduplication: surname + year + first significant title word, ASCII only.
pub fn base_key(work: &Work) -> String {
    let first = work.ordered_authors().first().map(|a| surname(&a.name)).unwrap_or_default();
    let mut key = ascii_fold(&first);
    if key.is_empty() {
        key.push_str("anon");
    }
    if let Some(y) = work.year {
        key.push_str(&y.to_string());
    }
    let words = work.title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let mut chosen = None;
    for w in words {
        let lower = w.to_lowercase();
        if chosen.is_none() {
            chosen = Some(lower.clone());
        }
        if !SKIPPED_WORDS.contains(&lower.as_str()) {
            chosen = Some(lower);
            break;
        }
    }
    key.push_str(&ascii_fold(&chosen.unwrap_or_default()));
    key
}

/// Hands out unique keys within one stream: the second `liu2014asynchronous` is `liu2014asynchronousa`.
#[derive(Default, Debug)]
pub struct CiteKeys {
    seen: HashMap<String, usize>,
}

impl CiteKeys {
    pub fn next(&mut self, work: &Work) -> String {
        // A DBLP record keeps DBLP's own key, as DBLP's exports write it: read back, it joins its DBLP record again
        // instead of becoming a second work.
        let dblp = work.ids.dblp.as_deref().or_else(|| work.id.0.strip_prefix("dblp:")).filter(|k| k.contains('/'));
        // A second DBLP key alike would take a suffix, a key DBLP does not have: it gets an author-year key instead.
        let dblp = dblp.map(|k| format!("DBLP:{k}")).filter(|k| !self.seen.contains_key(k));
        let base = dblp.unwrap_or_else(|| base_key(work));
        loop {
            let n = self.seen.entry(base.clone()).or_insert(0);
            let key = if *n == 0 { base.clone() } else { format!("{base}{}", suffix(*n - 1)) };
            *n += 1;
            // A generated suffix may collide with another work's base key ("xa"); skip taken ones.
            if key == base || !self.seen.contains_key(&key) {
                if key != base {
                    self.seen.insert(key.clone(), 1);
                }
                return key;
            }
        }
    }
}

/// 0 → "a", 25 → "z", 26 → "aa", ...
fn suffix(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::Authorship;

    #[test]
    fn names_split() {
        assert_eq!(split_name("Ji Liu 0002"), ("Ji".into(), "Liu".into(), String::new()));
        assert_eq!(split_name("Jan van der Berg, Jr."), ("Jan".into(), "van der Berg".into(), "Jr.".into()));
        assert_eq!(split_name("Christopher Ré"), ("Christopher".into(), "Ré".into(), String::new()));
        assert_eq!(split_name("Plato"), (String::new(), "Plato".into(), String::new()));
        assert_eq!(surname("Ludwig van Beethoven"), "Beethoven");
    }

    #[test]
    fn keys_are_ascii_and_unique() {
        let mut w = Work::new("x:1", "The Hyena Hierarchy");
        w.year = Some(2023);
        w.authors.push(Authorship::at(1, "Christopher Ré"));
        let mut keys = CiteKeys::default();
        assert_eq!(keys.next(&w), "re2023hyena");
        assert_eq!(keys.next(&w), "re2023hyenaa");
        assert_eq!(keys.next(&w), "re2023hyenab");
        let anon = Work::new("x:2", "¿");
        assert_eq!(keys.next(&anon), "anon");
        assert_eq!(suffix(26), "aa");
    }
}
