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
}
