//! BibTeX entries.
//!
//! - Entry type from the venue kind: conference and workshop → `@inproceedings` (venue in `booktitle`),
//!   journal → `@article` (`journal`), book → `@incollection` (`booktitle`), thesis → `@phdthesis`
//!   (`school`), preprint → `@misc` with `eprint`/`archiveprefix` when there is an arXiv id, otherwise
//!   `@unpublished`; anything else → `@misc` (`howpublished`).
//! - Text is escaped for BibTeX: `\ { } $ & % # _ ~` and the ligatures `--`, ``` `` ```, `''` are written so
//!   that TeX prints them as the characters they are. Non-ASCII is kept as UTF-8 (biber, and BibTeX with
//!   `inputenc`, read it). Math spans (`$..$`, `$$..$$`) with balanced braces are kept verbatim. In titles,
//!   words with capitals past their first letter ("FlashFFTConv", "H2O") are braced so styles keep their case.
//! - Names are written "First Last"; a name with a suffix ("Jan van der Berg, Jr.") as
//!   "van der Berg, Jr., Jan"; a name containing the word "and" is braced. A shortened list ends "and others".

use arrow_model::{VenueKind, Work};
use std::fmt::Write;

/// One entry, ending with a newline.
pub fn entry(work: &Work, key: &str) -> String {
    let venue = work.venue.as_deref().filter(|v| !v.trim().is_empty());
    let arxiv = work.ids.arxiv.as_deref().filter(|v| !v.trim().is_empty());
    let (kind, venue_field) = match work.venue_kind {
        VenueKind::Conference | VenueKind::Workshop => ("inproceedings", "booktitle"),
        VenueKind::Journal => ("article", "journal"),
        VenueKind::Book => ("incollection", "booktitle"),
        VenueKind::Thesis => ("phdthesis", "school"),
        VenueKind::Preprint if arxiv.is_some() => ("misc", "howpublished"),
        VenueKind::Preprint => ("unpublished", "howpublished"),
        VenueKind::Other => ("misc", "howpublished"),
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    let authors = work.ordered_authors();
    if !authors.is_empty() {
        let mut names: Vec<String> = authors.iter().map(|a| name(&a.name)).collect();
        if work.authors_truncated {
            names.push("others".into());
        }
        fields.push(("author", names.join(" and ")));
    }
    fields.push(("title", escape(&work.title, true)));
    if let Some(v) = venue {
        fields.push((venue_field, escape(v, false)));
    }
    if let Some(y) = work.year {
        fields.push(("year", y.to_string()));
    }
    if let Some(doi) = &work.ids.doi {
        fields.push(("doi", escape(doi, false)));
    }
    if let Some(a) = arxiv {
        fields.push(("eprint", escape(a, false)));
        fields.push(("archiveprefix", "arXiv".into()));
    }
    if let Some(u) = work.ids.urls.iter().find(|u| u.starts_with("http://") || u.starts_with("https://")) {
        fields.push(("url", escape_url(u)));
    }
    if let Some(a) = work.abstract_text.as_deref().filter(|a| !a.trim().is_empty()) {
        fields.push(("abstract", escape(a, false)));
    }
    let mut out = format!("@{kind}{{{key},\n");
    let n = fields.len();
    for (i, (f, v)) in fields.into_iter().enumerate() {
        let _ = write!(out, "  {f} = {{{v}}}");
        out.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    out.push_str("}\n");
    out
}

/// One author for the `author` field.
pub fn name(n: &str) -> String {
    let n = arrow_normalize::collapse_whitespace(n);
    if n.split(' ').any(|w| w.eq_ignore_ascii_case("and")) {
        return format!("{{{}}}", escape(&n, false));
    }
    if n.contains(',') {
        let (given, family, suffix) = crate::split_name(&n);
        // "IsoQuest, Inc.": a company, not "Inc. IsoQuest"; kept whole, as "Barnes and Noble".
        if given.is_empty() && crate::keys::is_company_suffix(&suffix) {
            return format!("{{{}}}", escape(&n, false));
        }
        let mut parts = vec![escape(&family, false)];
        if !suffix.is_empty() {
            parts.push(escape(&suffix, false));
        }
        if !given.is_empty() {
            parts.push(escape(&given, false));
        }
        return parts.join(", ");
    }
    escape(&n, false)
}

/// Escapes text for a braced BibTeX value (see the module doc). Whitespace runs become one space.
pub fn escape(s: &str, protect_caps: bool) -> String {
    let chars: Vec<char> = s.chars().map(|c| if c.is_whitespace() || c.is_control() { ' ' } else { c }).collect();
    let mut out = String::with_capacity(s.len() + 16);
    let mut i = 0;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let needs = protect_caps && word.chars().skip(1).any(|c| c.is_uppercase());
        if needs {
            out.push('{');
        }
        out.push_str(&escape_plain(word));
        if needs {
            out.push('}');
        }
        word.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '$' && !(i > 0 && chars[i - 1] == '\\') {
            if let Some(end) = math_end(&chars, i) {
                flush(&mut word, &mut out);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
        }
        if c == ' ' {
            flush(&mut word, &mut out);
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            word.push(c);
        }
        i += 1;
    }
    flush(&mut word, &mut out);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Where the math span starting at `chars[start] == '$'` ends (exclusive), if it is closed and its braces
/// balance.
fn math_end(chars: &[char], start: usize) -> Option<usize> {
    let double = chars.get(start + 1) == Some(&'$');
    let from = start + if double { 2 } else { 1 };
    let mut depth: i32 = 0;
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                i += 2;
                continue;
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            '$' => {
                if double {
                    return (chars.get(i + 1) == Some(&'$') && depth == 0 && i > from).then_some(i + 2);
                }
                return (depth == 0 && i > from).then_some(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn escape_plain(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '$' | '&' | '%' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '-' | '`' | '\'' if next == Some(c) => {
                out.push(c);
                out.push_str("{}");
            }
            c => out.push(c),
        }
    }
    out
}

/// URLs keep their characters (the `url` package reads them raw); only what would break the value goes.
fn escape_url(u: &str) -> String {
    u.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '{' => "%7B".to_string(),
            '}' => "%7D".to_string(),
            '\\' => "%5C".to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::Authorship;

    #[test]
    fn specials_are_escaped_and_math_kept() {
        assert_eq!(
            escape("50% of A&B #1 a_b {x} ~ \\", false),
            r"50\% of A\&B \#1 a\_b \{x\} \textasciitilde{} \textbackslash{}"
        );
        assert_eq!(escape("Weighted SGD for $\\ell_p$ Regression", true), r"Weighted {SGD} for $\ell_p$ Regression");
        assert_eq!(escape("costs $5", false), r"costs \$5");
        assert_eq!(escape("FFT---which ``x''", false), "FFT-{}-{}-which `{}`x'{}'");
        assert_eq!(escape("Christopher Ré", false), "Christopher Ré");
        assert_eq!(escape("  a\n\tb  ", false), "a b");
    }

    #[test]
    fn entry_types_follow_the_venue_kind() {
        let mut w = Work::new("x:1", "Snorkel");
        w.authors = vec![Authorship::at(1, "Jan van der Berg, Jr."), Authorship::at(2, "Barnes and Noble")];
        w.authors_truncated = true;
        w.venue = Some("VLDB J.".into());
        w.venue_kind = VenueKind::Journal;
        w.year = Some(2020);
        let e = entry(&w, "berg2020snorkel");
        assert!(e.starts_with("@article{berg2020snorkel,\n"), "{e}");
        assert!(e.contains("author = {van der Berg, Jr., Jan and {Barnes and Noble} and others},"), "{e}");
        assert_eq!(name("IsoQuest, Inc."), "{IsoQuest, Inc.}");
        assert_eq!(name("Smith, John"), "Smith, John", "a name written family name first stays so");
        assert!(e.contains("journal = {VLDB J.},"), "{e}");
        assert!(e.ends_with("  year = {2020}\n}\n"), "{e}");
        w.venue_kind = VenueKind::Preprint;
        w.ids.arxiv = Some("2301.00001".into());
        let e = entry(&w, "k");
        assert!(
            e.starts_with("@misc{k,") && e.contains("eprint = {2301.00001}") && e.contains("archiveprefix = {arXiv}")
        );
    }
}
