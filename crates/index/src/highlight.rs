//! Highlighted titles and abstract snippets for the hits of one page, built with tantivy's
//! [`SnippetGenerator`] from the query's words (not its exclusions) and the work's text. Nothing here runs
//! during the search itself: the caller asks for the page it shows.

use crate::fields::analyzer;
use crate::resolve::FUZZY_MIN_CHARS;
use crate::typo::one_edit_variant;
use crate::SearchIndex;
use arrow_query::{Field as QField, Query};
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

/// Longest abstract snippet, in bytes (a fragment of whole words up to about this long).
pub const SNIPPET_CHARS: usize = 220;

/// A byte range of [`Snippet::text`] that matched the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A piece of a work's text with the matched words marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Snippet {
    /// The text shown (the whole title, or a fragment of the abstract), unescaped.
    pub text: String,
    /// Byte ranges of `text` that matched, sorted and disjoint.
    pub highlights: Vec<Span>,
    /// The fragment starts after the beginning of the full text (show an ellipsis before it).
    pub cut_start: bool,
    /// The fragment stops before the end of the full text (show an ellipsis after it).
    pub cut_end: bool,
}

impl Snippet {
    fn plain(text: &str) -> Snippet {
        Snippet { text: text.to_string(), highlights: Vec::new(), cut_start: false, cut_end: false }
    }

    /// The snippet as HTML: the text escaped, matches wrapped in `<mark>`, `…` where the text was cut.
    /// Safe to insert into a page as is.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.text.len() + 16 * self.highlights.len() + 8);
        if self.cut_start {
            html.push('…');
        }
        let mut at = 0;
        for s in &self.highlights {
            escape_into(&mut html, &self.text[at..s.start]);
            html.push_str("<mark>");
            escape_into(&mut html, &self.text[s.start..s.end]);
            html.push_str("</mark>");
            at = s.end;
        }
        escape_into(&mut html, &self.text[at..]);
        if self.cut_end {
            html.push('…');
        }
        html
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The query's words for the title and the abstract, weighted like tantivy's generator does (rarer words
/// weigh more when choosing the abstract fragment). Build one per page with [`SearchIndex::highlighter`].
pub struct Highlighter {
    title: Terms,
    abstract_text: Terms,
    title_field: Field,
    abstract_field: Field,
}

#[derive(Default)]
struct Terms {
    exact: BTreeMap<String, f32>,
    /// Single words that may match with one edit (when the search was widened to typos), with weights.
    fuzzy: Vec<(String, f32)>,
}

impl SearchIndex {
    /// A highlighter for the hits of `query`. `typos`: also mark one-edit variants of long words (when the
    /// result was widened to typo-tolerant matches, see [`crate::SearchResult::fuzzy`]).
    pub fn highlighter(&self, query: &Query, typos: bool) -> Highlighter {
        let searcher = self.reader.searcher();
        let mut analyzer = analyzer();
        let mut words = Vec::new();
        positive_words(query, &mut words);
        let mut h = Highlighter {
            title: Terms::default(),
            abstract_text: Terms::default(),
            title_field: self.fields.title,
            abstract_field: self.fields.abstract_text,
        };
        for (field, text, single) in words {
            let tokens = tokens(&mut analyzer, text);
            let targets: &[(Field, bool)] = match field {
                None => &[(self.fields.title, true), (self.fields.abstract_text, false)],
                Some(QField::Title) => &[(self.fields.title, true)],
                Some(QField::Abstract) => &[(self.fields.abstract_text, false)],
                Some(_) => &[],
            };
            for &(f, is_title) in targets {
                let terms = if is_title { &mut h.title } else { &mut h.abstract_text };
                for t in &tokens {
                    let df = searcher.doc_freq(&Term::from_field_text(f, t)).unwrap_or(0);
                    let weight = 1.0 / (1.0 + df as f32);
                    terms.exact.insert(t.clone(), weight);
                    if typos && single && tokens.len() == 1 && t.chars().count() >= FUZZY_MIN_CHARS {
                        terms.fuzzy.push((t.clone(), weight));
                    }
                }
            }
        }
        h
    }
}

impl Highlighter {
    /// The whole title with the matched words marked.
    pub fn title(&self, title: &str) -> Snippet {
        let gen = self.generator(&self.title, self.title_field, title, usize::MAX);
        let s = gen.snippet(title);
        let mut out = Snippet::plain(title);
        let offset = s.fragment_range().start;
        out.highlights = spans(s.highlighted(), offset);
        out
    }

    /// The abstract fragment (about 220 bytes) with the most matched words; the abstract's
    /// opening when none matched; `None` for an empty abstract.
    pub fn abstract_snippet(&self, text: &str) -> Option<Snippet> {
        if text.trim().is_empty() {
            return None;
        }
        let gen = self.generator(&self.abstract_text, self.abstract_field, text, SNIPPET_CHARS);
        let s = gen.snippet(text);
        if s.is_empty() {
            return Some(opening(text));
        }
        let range = s.fragment_range();
        Some(Snippet {
            text: s.fragment().to_string(),
            highlights: spans(s.highlighted(), 0),
            cut_start: !text[..range.start].trim().is_empty(),
            cut_end: !text[range.end..].trim().is_empty(),
        })
    }

    /// True when the query has no word that could be highlighted (then snippets are plain text).
    pub fn is_empty(&self) -> bool {
        self.title.exact.is_empty() && self.abstract_text.exact.is_empty()
    }

    fn generator(&self, terms: &Terms, field: Field, text: &str, max_chars: usize) -> SnippetGenerator {
        let mut map = terms.exact.clone();
        if !terms.fuzzy.is_empty() {
            // One-edit variants that actually occur in this text join the words to mark.
            let mut a = analyzer();
            for t in tokens(&mut a, text) {
                if map.contains_key(&t) {
                    continue;
                }
                if let Some((_, w)) = terms.fuzzy.iter().find(|(word, _)| one_edit_variant(word, &t)) {
                    map.insert(t, *w);
                }
            }
        }
        SnippetGenerator::new(map, analyzer(), field, max_chars)
    }
}

fn spans(ranges: &[std::ops::Range<usize>], offset: usize) -> Vec<Span> {
    let mut sorted: Vec<Span> = ranges.iter().map(|r| Span { start: r.start - offset, end: r.end - offset }).collect();
    sorted.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(sorted.len());
    for s in sorted {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The abstract's first words, up to about [`SNIPPET_CHARS`] bytes, cut between words.
fn opening(text: &str) -> Snippet {
    let text = text.trim();
    if text.len() <= SNIPPET_CHARS {
        return Snippet::plain(text);
    }
    let mut end = SNIPPET_CHARS;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if let Some(space) = text[..end].rfind(char::is_whitespace) {
        end = space;
    }
    Snippet { text: text[..end].trim_end().to_string(), highlights: Vec::new(), cut_start: false, cut_end: true }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The words and phrases of `q` that a hit matched: (field, text, is a single word). Excluded words
/// (under a `Not`) are left out.
fn positive_words<'q>(q: &'q Query, out: &mut Vec<(Option<QField>, &'q str, bool)>) {
    match q {
        Query::Word { field, text } => out.push((*field, text, true)),
        Query::Phrase { field, text } => out.push((*field, text, false)),
        Query::And(c) | Query::Or(c) => c.iter().for_each(|c| positive_words(c, out)),
        Query::All | Query::Year(_) | Query::Id { .. } | Query::Not(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_and_marks() {
        let s = Snippet {
            text: "a <b> & \"Ré\"".into(),
            highlights: vec![Span { start: 9, end: 12 }],
            cut_start: true,
            cut_end: false,
        };
        assert_eq!(s.to_html(), "…a &lt;b&gt; &amp; &quot;<mark>Ré</mark>&quot;");
    }

    #[test]
    fn openings_cut_between_words() {
        let long = "word ".repeat(100);
        let s = opening(&long);
        assert!(s.cut_end && s.text.len() <= SNIPPET_CHARS && s.text.ends_with("word"));
    }
}
