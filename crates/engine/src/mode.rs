//! How a search ranks: by words (BM25), by meaning (sentence embeddings), or both fused.

use std::fmt;
use std::str::FromStr;

/// A search mode, as `mode=` in the API and `--mode` in the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    /// The query language over the index: exact words, phrases, fields, operators.
    Lexical,
    /// Nearest works by embedding of the query text (needs `arrow embed`).
    Semantic,
    /// Lexical and semantic rankings fused by reciprocal rank (needs `arrow embed`).
    Hybrid,
}

impl SearchMode {
    pub const ALL: [SearchMode; 3] = [SearchMode::Lexical, SearchMode::Semantic, SearchMode::Hybrid];

    pub fn name(self) -> &'static str {
        match self {
            SearchMode::Lexical => "lexical",
            SearchMode::Semantic => "semantic",
            SearchMode::Hybrid => "hybrid",
        }
    }

    /// Whether this mode reads the work vectors.
    pub fn needs_vectors(self) -> bool {
        self != SearchMode::Lexical
    }
}

impl fmt::Display for SearchMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A mode name that is none of `lexical`, `semantic`, `hybrid`.
#[derive(Debug, thiserror::Error)]
#[error("unknown search mode {0:?}: use lexical, semantic or hybrid")]
pub struct UnknownMode(pub String);

impl FromStr for SearchMode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SearchMode::ALL.into_iter().find(|m| m.name() == s.trim()).ok_or_else(|| UnknownMode(s.to_string()))
    }
}

/// Whether `q` reads as natural language (a question or claim) rather than a precise query: plain words
/// only, no field, quote, exclusion, operator or identifier, and at least [`arrow_index::LENIENT_MIN_WORDS`]
/// words. Such queries default to hybrid ranking when vectors exist.
pub fn is_natural_language(q: &str) -> bool {
    let query = arrow_query::parse(q);
    let plain = match &query {
        arrow_query::Query::Word { field: None, .. } => true,
        arrow_query::Query::And(children) => {
            children.iter().all(|c| matches!(c, arrow_query::Query::Word { field: None, .. }))
        }
        _ => false,
    };
    plain && q.split_whitespace().count() >= arrow_index::LENIENT_MIN_WORDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_by_name_only() {
        assert_eq!("hybrid".parse::<SearchMode>().unwrap(), SearchMode::Hybrid);
        assert_eq!(" lexical ".parse::<SearchMode>().unwrap(), SearchMode::Lexical);
        assert!("vector".parse::<SearchMode>().unwrap_err().to_string().contains("lexical, semantic or hybrid"));
    }

    #[test]
    fn questions_are_natural_language_and_precise_queries_are_not() {
        assert!(is_natural_language("vitamin D reduces the severity of respiratory infections"));
        assert!(!is_natural_language("hyena hierarchy"));
        assert!(!is_natural_language("author:re data programming weak supervision"));
        assert!(!is_natural_language("\"weak supervision\" for training data sets"));
        assert!(!is_natural_language("deep learning year:2019 survey of methods"));
    }
}
