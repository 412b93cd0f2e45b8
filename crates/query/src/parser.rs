//! Tokens to a [`Query`], by recursive descent over the grammar in the crate doc.

use std::iter::Peekable;
use std::vec::IntoIter;

use crate::lexer::{lex, Body, FieldName, Tok};
use crate::{IdKind, Query};

/// Parses a query leniently: every input gives a query, never an error or a panic.
///
/// The result is in normal form: `And`/`Or` have at least two children and no child of their own
/// kind, the empty query is [`Query::All`], and every `Not` is a direct child of an `And` with at
/// least one positive child. When nothing positive was asked for (`-foo`), that child is
/// `Query::All`: `And[All, Not(foo)]`, everything except `foo`.
pub fn parse(input: &str) -> Query {
    Parser { toks: lex(input).into_iter().peekable() }.query(None)
}

struct Parser {
    toks: Peekable<IntoIter<Tok>>,
}

impl Parser {
    fn starts_unary(&mut self) -> bool {
        matches!(self.toks.peek(), Some(Tok::Term { .. } | Tok::Open { .. }))
    }

    /// Clauses up to the end or the `)` closing the current group (which it consumes). `ctx` is
    /// the field of an enclosing `field:( ... )`.
    fn query(&mut self, ctx: Option<FieldName>) -> Query {
        let mut clauses = Vec::new();
        loop {
            match self.toks.peek() {
                None => break,
                Some(Tok::Close) => {
                    self.toks.next();
                    break;
                }
                Some(Tok::Or) => {
                    self.toks.next(); // an OR with nothing on its left
                }
                Some(_) => clauses.extend(self.or_expr(ctx)),
            }
        }
        Query::all_of(clauses)
    }

    /// `unary (OR+ unary)*`; repeated and trailing ORs are ignored. Call only if `starts_unary`.
    fn or_expr(&mut self, ctx: Option<FieldName>) -> Option<Query> {
        let mut parts = Vec::new();
        loop {
            parts.extend(self.unary(ctx));
            if !matches!(self.toks.peek(), Some(Tok::Or)) {
                break;
            }
            while matches!(self.toks.peek(), Some(Tok::Or)) {
                self.toks.next();
            }
            if !self.starts_unary() {
                break;
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Query::any_of(parts)),
        }
    }

    fn unary(&mut self, ctx: Option<FieldName>) -> Option<Query> {
        let (negated, q) = match self.toks.next()? {
            Tok::Term { negated, field, body } => (negated, term(field.or(ctx), body)),
            Tok::Open { negated, field } => match self.query(field.or(ctx)) {
                Query::All => return None, // `()`: nothing asked for
                q => (negated, q),
            },
            Tok::Close | Tok::Or => return None, // not reached: callers check `starts_unary`
        };
        Some(if negated { Query::Not(Box::new(q)) } else { q })
    }
}

fn term(field: Option<FieldName>, body: Body) -> Query {
    match (field, body) {
        (None, Body::Word(text)) => match pasted_id(&text) {
            Some((kind, value)) => Query::Id { kind, value },
            None => Query::Word { field: None, text },
        },
        (None, Body::Phrase(text)) => Query::Phrase { field: None, text },
        (Some(FieldName::Text(f)), Body::Word(text)) => Query::Word { field: Some(f), text },
        (Some(FieldName::Text(f)), Body::Phrase(text)) => Query::Phrase { field: Some(f), text },
        (Some(FieldName::Id(kind)), Body::Word(value) | Body::Phrase(value)) => Query::Id { kind, value },
        (Some(FieldName::Year), body) => {
            let text = match &body {
                Body::Word(t) | Body::Phrase(t) => t,
            };
            match crate::YearRange::parse(text) {
                Ok(range) => Query::Year(range),
                // Not a year: keep what was typed, as plain text.
                Err(_) => match body {
                    Body::Word(t) => Query::Word { field: None, text: format!("year:{t}") },
                    Body::Phrase(text) => Query::Phrase { field: None, text },
                },
            }
        }
    }
}

/// A word that can only be a DOI or an arXiv id, pasted as such (`10.18653/v1/P18-1001`,
/// `https://doi.org/10.1145/3292500`, `arXiv:1706.03762`, `https://arxiv.org/abs/hep-th/9901001v2`, `1706.03762`),
/// with the sentence's punctuation after it dropped: looked up as one, since its pieces as words ("10", "v1") find
/// unrelated papers.
fn pasted_id(word: &str) -> Option<(IdKind, String)> {
    let word = word.trim_end_matches(['.', ',', ';']);
    let lower = word.to_ascii_lowercase();
    let mut rest = lower.as_str();
    for prefix in ["https://", "http://", "www.", "dx.", "doi.org/", "doi:"] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    if let Some(id) = linked_record(word, rest) {
        return Some((IdKind::Work, id));
    }
    if let Some((registrant, suffix)) = rest.strip_prefix("10.").and_then(|r| r.split_once('/')) {
        let digits = registrant.split('.').next().unwrap_or("");
        if (4..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !suffix.is_empty() {
            return Some((IdKind::Doi, word.to_string()));
        }
    }
    let mut linked = false;
    for prefix in ["arxiv.org/abs/", "arxiv.org/pdf/", "arxiv:"] {
        if let Some(r) = rest.strip_prefix(prefix) {
            (rest, linked) = (r, true);
        }
    }
    let rest = rest.strip_suffix(".pdf").unwrap_or(rest);
    let id = rest.rsplit_once('v').filter(|(_, v)| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
    let id = id.map_or(rest, |(id, _)| id);
    // New style, 0704.0001 on: YYMM.NNNN(N), a real month; old style only behind a link or `arXiv:` (hep-th/9901001).
    let new_style = id.split_once('.').is_some_and(|(yymm, n)| {
        let digits = yymm.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit());
        let month = yymm.get(2..).and_then(|m| m.parse::<u32>().ok()).is_some_and(|m| (1..=12).contains(&m));
        yymm.len() == 4 && (4..=5).contains(&n.len()) && digits && month
    });
    let old_style = linked
        && id
            .split_once('/')
            .is_some_and(|(archive, n)| !archive.is_empty() && n.len() == 7 && n.bytes().all(|b| b.is_ascii_digit()));
    (new_style || old_style).then(|| (IdKind::Arxiv, word.to_string()))
}

/// A DBLP or OpenAlex page of one work (`https://dblp.org/rec/conf/acl/Smith18.html`,
/// `https://openalex.org/W2741809807`) as the id Arrow stores its record under (`dblp:conf/acl/Smith18`,
/// `openalex:W2741809807`). `rest` is `word` lower-cased, past its scheme and `www.`; keys keep their case.
fn linked_record(word: &str, rest: &str) -> Option<String> {
    // Lower-casing ASCII keeps byte offsets, so `rest` is this suffix of `word` as typed.
    let typed = &word[word.len() - rest.len()..];
    let dblp = ["dblp.org/rec/", "dblp.uni-trier.de/rec/", "dblp.dagstuhl.de/rec/"];
    if let Some(prefix) = dblp.iter().find(|p| rest.starts_with(*p)) {
        let key = typed[prefix.len()..].split(['?', '#']).next().unwrap_or("");
        let ends = [".html", ".bib", ".xml", ".ris", ".nt", ".rdf", ".ttl"];
        let key = ends.iter().find_map(|e| key.strip_suffix(e)).unwrap_or(key).trim_end_matches('/');
        return (key.matches('/').count() >= 2).then(|| format!("dblp:{key}"));
    }
    let works = ["api.openalex.org/works/", "openalex.org/works/", "openalex.org/"];
    let prefix = works.iter().find(|p| rest.starts_with(*p))?;
    let id = rest[prefix.len()..].split(['?', '#', '/']).next().unwrap_or("");
    let digits = id.strip_prefix('w').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))?;
    Some(format!("openalex:W{digits}"))
}

#[cfg(test)]
mod tests;
