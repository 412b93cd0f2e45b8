//! Suggestions as a person types: author names (by word prefix, from the engine's name dictionary) and
//! titles (the typed words, the last as a prefix).

use arrow_engine::{Arrow, EngineError};
use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct Suggestions {
    pub authors: Vec<AuthorSuggestion>,
    pub titles: Vec<TitleSuggestion>,
}

#[derive(Debug, Serialize)]
pub struct AuthorSuggestion {
    pub name: String,
    /// Works with an author of this name.
    pub works: u64,
}

#[derive(Debug, Serialize)]
pub struct TitleSuggestion {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
}

/// Nothing for fewer than two typed characters (too many answers to be useful).
pub fn suggest(arrow: &Arrow, typed: &str, limit: usize) -> Result<Suggestions, EngineError> {
    if typed.trim().chars().count() < 2 {
        return Ok(Suggestions::default());
    }
    let authors = arrow
        .suggest_authors(typed, limit)?
        .into_iter()
        .map(|a| AuthorSuggestion { name: a.name, works: a.works })
        .collect();
    let titles = arrow
        .suggest_titles(typed, limit)?
        .into_iter()
        .map(|t| TitleSuggestion { id: t.id, title: t.title, year: t.year, venue: t.venue })
        .collect();
    Ok(Suggestions { authors, titles })
}
