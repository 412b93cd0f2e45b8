//! Suggestions as a person types: author names (by word prefix, from the engine's name dictionary) and
//! titles (the typed words, the last as a prefix).

use arrow_engine::{AuthorSuggestion, Engine, EngineError, TitleSuggestion};
use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct Suggestions {
    pub authors: Vec<AuthorSuggestion>,
    pub titles: Vec<TitleSuggestion>,
}

/// Nothing for fewer than two typed characters (too many answers to be useful).
pub fn suggest(arrow: &dyn Engine, typed: &str, limit: usize) -> Result<Suggestions, EngineError> {
    if typed.trim().chars().count() < 2 {
        return Ok(Suggestions::default());
    }
    Ok(Suggestions { authors: arrow.suggest_authors(typed, limit)?, titles: arrow.suggest_titles(typed, limit)? })
}
