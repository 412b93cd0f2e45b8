use serde::{Deserialize, Serialize};
use std::fmt;

/// A work's stable id, as the source gave it with a source prefix (`dblp:conf/icml/LiuWRBS14`, `seed:...`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkId(pub String);

impl WorkId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WorkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for WorkId {
    fn from(s: &str) -> Self {
        WorkId(s.to_string())
    }
}

/// External identifiers of a work. All optional; `urls` may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifiers {
    /// Lower-cased DOI without any `https://doi.org/` prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dblp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openalex: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

impl Identifiers {
    /// Normalizes a DOI as written in the wild (`https://doi.org/10.1/X`, `doi:10.1/x`) to `10.1/x`.
    pub fn clean_doi(raw: &str) -> Option<String> {
        let s = raw.trim();
        let lower = s.to_ascii_lowercase();
        let start = lower.find("10.")?;
        let doi = lower[start..].trim().to_string();
        (doi.len() > 3 && doi.contains('/')).then_some(doi)
    }

    /// An arXiv id without its version, as every source and the store's merge must read it alike:
    /// `1706.03762v5`, `arXiv:1706.03762`, `https://arxiv.org/abs/1706.03762v2` and `arxiv.org/pdf/1706.03762v1.pdf`
    /// are `1706.03762`; old-style `hep-th/9901001v2` is `hep-th/9901001`. Versions of one preprint are one work.
    pub fn clean_arxiv(raw: &str) -> Option<String> {
        let mut s = raw.trim().trim_end_matches('/');
        for scheme in ["https://", "http://"] {
            s = s.strip_prefix(scheme).unwrap_or(s);
        }
        s = s.strip_prefix("www.").unwrap_or(s);
        for page in ["arxiv.org/abs/", "arxiv.org/pdf/"] {
            s = s.strip_prefix(page).unwrap_or(s);
        }
        if s.len() >= 6 && s.is_char_boundary(6) && s[..6].eq_ignore_ascii_case("arxiv:") {
            s = &s[6..];
        }
        s = s.strip_suffix(".pdf").unwrap_or(s).trim();
        // A version is `v` and digits right after the id's own digits (`hep-thv2` is no version).
        if let Some(v) = s.rfind(['v', 'V']) {
            let digits = &s[v + 1..];
            if v > 0
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && s.as_bytes()[v - 1].is_ascii_digit()
            {
                s = &s[..v];
            }
        }
        (!s.is_empty() && !s.contains(char::is_whitespace)).then(|| s.to_string())
    }

    /// An ORCID iD in its canonical form `0000-0002-1694-233X`, from a URL (`https://orcid.org/…`), an `orcid:`
    /// id, or the bare sixteen characters with or without hyphens. `None` unless the ISO 7064 11,2 check
    /// character agrees: ORCIDs are hard must-links in author disambiguation, and a mistyped one would join
    /// strangers, so it is dropped rather than trusted.
    pub fn clean_orcid(raw: &str) -> Option<String> {
        let s = raw.trim().trim_end_matches('/');
        let s = s.rsplit('/').next().unwrap_or(s);
        let s = s.strip_prefix("orcid:").unwrap_or(s);
        let chars: Vec<char> = s.chars().filter(|&c| c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if chars.len() != 16 || !chars[..15].iter().all(char::is_ascii_digit) {
            return None;
        }
        let total = chars[..15].iter().fold(0u32, |t, c| (t + c.to_digit(10).unwrap_or(0)) * 2);
        let check = (12 - total % 11) % 11;
        let expected = if check == 10 { 'X' } else { char::from_digit(check, 10)? };
        if chars[15] != expected {
            return None;
        }
        let id: String = chars.iter().collect();
        Some(format!("{}-{}-{}-{}", &id[0..4], &id[4..8], &id[8..12], &id[12..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_prefixes_are_removed() {
        assert_eq!(Identifiers::clean_doi("https://doi.org/10.1145/ABC").as_deref(), Some("10.1145/abc"));
        assert_eq!(Identifiers::clean_doi("doi:10.5555/1").as_deref(), Some("10.5555/1"));
        assert_eq!(Identifiers::clean_doi("not a doi"), None);
    }

    #[test]
    fn arxiv_ids_lose_prefixes_and_versions() {
        for raw in [
            "1706.03762",
            "1706.03762v5",
            "arXiv:1706.03762V2",
            "https://arxiv.org/abs/1706.03762v2/",
            "http://www.arxiv.org/pdf/1706.03762v1.pdf",
            " ARXIV:1706.03762 ",
        ] {
            assert_eq!(Identifiers::clean_arxiv(raw).as_deref(), Some("1706.03762"), "{raw}");
        }
        assert_eq!(Identifiers::clean_arxiv("hep-th/9901001v12").as_deref(), Some("hep-th/9901001"));
        assert_eq!(Identifiers::clean_arxiv("math.GT/0309136").as_deref(), Some("math.GT/0309136"));
        assert_eq!(Identifiers::clean_arxiv("solv-int/9901001").as_deref(), Some("solv-int/9901001"));
        assert_eq!(Identifiers::clean_arxiv("hep-thv2").as_deref(), Some("hep-thv2"), "no digits before the v");
        assert_eq!(Identifiers::clean_arxiv(""), None);
        assert_eq!(Identifiers::clean_arxiv("arXiv:"), None);
    }

    #[test]
    fn orcids_are_checked_and_written_one_way() {
        // Real iDs: one with a digit check character, one with X.
        for raw in ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "orcid:0000000218250097"] {
            assert_eq!(Identifiers::clean_orcid(raw).as_deref(), Some("0000-0002-1825-0097"), "{raw}");
        }
        for raw in ["0000-0002-1694-233X", "0000-0002-1694-233x", "http://orcid.org/0000-0002-1694-233x/"] {
            assert_eq!(Identifiers::clean_orcid(raw).as_deref(), Some("0000-0002-1694-233X"), "{raw}");
        }
        assert_eq!(Identifiers::clean_orcid("0000-0002-1825-0098"), None, "wrong check digit");
        assert_eq!(Identifiers::clean_orcid("0000-0002-1694-2339"), None, "wrong check digit");
        assert_eq!(Identifiers::clean_orcid("0000-0002-1825"), None);
        assert_eq!(Identifiers::clean_orcid("X000-0002-1825-0097"), None);
    }
}
