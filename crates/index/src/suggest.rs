//! Title suggestions as you type: a phrase-prefix query on the title field. (Author names are suggested from the
//! store's name table, not from the index: as index terms they cost a quarter of the indexing time.)

use crate::fields::analyzer;
use crate::search::Hit;
use crate::{IndexError, SearchIndex};
use tantivy::collector::TopDocs;
use tantivy::query::PhrasePrefixQuery;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

/// Words a title prefix may stand for ("hy" → hybrid, hydra, hyena, ...).
const MAX_TITLE_EXPANSIONS: u32 = 200;

pub(crate) fn folded_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

impl SearchIndex {
    /// Works whose title contains the typed words, the last one as a prefix ("hyena hier" finds "Hyena
    /// Hierarchy: ..."), best first. Runs on the title field's own terms: nothing extra is indexed.
    pub fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<Hit>, IndexError> {
        let mut analyzer = analyzer();
        let terms: Vec<Term> =
            folded_tokens(&mut analyzer, prefix).iter().map(|t| Term::from_field_text(self.fields.title, t)).collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = PhrasePrefixQuery::new(terms);
        query.set_max_expansions(MAX_TITLE_EXPANSIONS);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        let columns = self.columns.of(&searcher)?;
        for (score, addr) in top {
            if let Some(key) = columns.key(addr) {
                hits.push(Hit { key, score });
            }
        }
        Ok(hits)
    }
}
