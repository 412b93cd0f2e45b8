//! Small text helpers shared by the OpenAlex, Crossref, Semantic Scholar, arXiv and PubMed parsers.

use arrow_model::Identifiers;

pub(crate) use arrow_normalize::{collapse_whitespace as collapse_ws, year_in};

/// `Some(trimmed)` when the string has visible content.
pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Decodes the XML/HTML entities found in API text (`&amp;`, `&lt;`, `&#233;`, `&#x2013;`, ...). Unknown
/// entities are kept as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest[1..].find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..1 + end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse::<u32>().ok()?,
                    };
                    char::from_u32(code).filter(|&c| c != '\0')
                }
            }?;
            Some((ch, end + 2))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Is `tag` (the text between `<` and `>`) markup rather than a stray `<` in prose or maths?
fn is_tag(tag: &str) -> bool {
    let name = tag.strip_prefix('/').unwrap_or(tag);
    let name_end = name.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(name.len());
    let n = &name[..name_end];
    !n.is_empty()
        && n.starts_with(|c: char| c.is_ascii_alphabetic())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        && (name_end == name.len() || tag.starts_with('/') || name[name_end..].contains(['=', '/']) || n.contains(':'))
}

/// Element names that start a new block of text (paragraphs, sections, titles, list items).
fn is_block(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    let name = name.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    matches!(local.as_str(), "p" | "sec" | "title" | "list-item" | "list" | "br" | "div")
}

/// Turns JATS/HTML-marked text (Crossref abstracts: `<jats:p>`, `<jats:italic>`, `<i>`) into plain text:
/// tags are removed, entities decoded, whitespace collapsed within blocks, and blocks (paragraphs,
/// sections) separated by a blank line. A leading section title "Abstract" is dropped. A `<` that does not
/// open a tag (`a < b`) is kept.
pub(crate) fn strip_markup(s: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        cur.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(['>', '<']) {
            Some(j) if after.as_bytes()[j] == b'>' && is_tag(&after[..j]) => {
                if is_block(&after[..j]) {
                    blocks.push(std::mem::take(&mut cur));
                }
                rest = &after[j + 1..];
            }
            _ => {
                cur.push('<');
                rest = after;
            }
        }
    }
    cur.push_str(rest);
    blocks.push(cur);
    let mut paras: Vec<String> =
        blocks.iter().map(|b| collapse_ws(&decode_entities(b))).filter(|b| !b.is_empty()).collect();
    if paras.len() > 1 && paras[0].eq_ignore_ascii_case("abstract") {
        paras.remove(0);
    }
    paras.join("\n\n")
}

/// `items` without repeats, in their first order.
pub(crate) fn distinct(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The last path segment of an id URL (`https://openalex.org/W123` → `W123`).
pub(crate) fn last_segment(s: &str) -> &str {
    let s = s.trim().trim_end_matches('/');
    s.rsplit('/').next().unwrap_or(s)
}

/// `orcid:0000-0002-1825-0097` from an ORCID as written (`https://orcid.org/0000-...`, bare); `None` when it
/// is not a valid ORCID iD (see [`Identifiers::clean_orcid`]).
pub(crate) fn orcid_id(raw: &str) -> Option<String> {
    Identifiers::clean_orcid(raw).map(|id| format!("orcid:{id}"))
}

/// Joins name parts with single spaces, skipping empty ones.
pub(crate) fn join_name(parts: &[Option<&str>]) -> String {
    collapse_ws(&parts.iter().flatten().copied().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_removed_and_blocks_kept() {
        let s = "<jats:title>Abstract</jats:title><jats:p>A &amp; B for <jats:italic>x</jats:italic> &lt; 3,\n  a < b.</jats:p>\n<jats:p>Second.</jats:p>";
        assert_eq!(strip_markup(s), "A & B for x < 3, a < b.\n\nSecond.");
        assert_eq!(strip_markup("x<y and z>w"), "x<y and z>w");
        assert_eq!(strip_markup("<i>E. coli</i> in <sub>2</sub>"), "E. coli in 2");
    }

    #[test]
    fn entities_and_years() {
        assert_eq!(
            decode_entities("Plastic, Reconstructive &amp; Aesthetic &#233;&#x2013;&bogus; & x"),
            "Plastic, Reconstructive & Aesthetic é–&bogus; & x"
        );
        assert_eq!(orcid_id("http://orcid.org/0000-0002-1694-233x").as_deref(), Some("orcid:0000-0002-1694-233X"));
        assert_eq!(orcid_id("http://orcid.org/0000-0003-2946-632x"), None, "a wrong check character");
    }
}
