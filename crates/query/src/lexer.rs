//! Text to tokens. Every input lexes; what cannot be an operator becomes a word, and stray
//! operators (a lone `-`, a `)` with no `(`, an empty field or phrase) are dropped here so the
//! parser only ever sees balanced (or merely unclosed) parentheses.

use crate::{Field, IdKind};

/// Deeper parentheses are ignored (with their matching `)`), so recursion in the parser and in
/// `Display` stays bounded whatever the input.
const MAX_DEPTH: usize = 32;

/// A field prefix as it governs its value: text fields keep the term, `year:` and ids reinterpret it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldName {
    Text(Field),
    Year,
    Id(IdKind),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Body {
    Word(String),
    /// Whitespace-collapsed and non-empty.
    Phrase(String),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Open { negated: bool, field: Option<FieldName> },
    Close,
    Or,
    Term { negated: bool, field: Option<FieldName>, body: Body },
}

pub(crate) fn lex(input: &str) -> Vec<Tok> {
    let mut lexer = Lexer { s: input, pos: 0, toks: Vec::new(), depth: 0, excess: 0, not: false };
    lexer.run();
    lexer.toks
}

/// The field named `name` (case-insensitive), if it is one.
pub(crate) fn field_named(name: &str) -> Option<FieldName> {
    const NAMES: [(&str, FieldName); 9] = [
        ("title", FieldName::Text(Field::Title)),
        ("abstract", FieldName::Text(Field::Abstract)),
        ("author", FieldName::Text(Field::Author)),
        ("venue", FieldName::Text(Field::Venue)),
        ("type", FieldName::Text(Field::Type)),
        ("year", FieldName::Year),
        ("doi", FieldName::Id(IdKind::Doi)),
        ("arxiv", FieldName::Id(IdKind::Arxiv)),
        ("id", FieldName::Id(IdKind::Work)),
    ];
    NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, f)| f)
}

struct Lexer<'a> {
    s: &'a str,
    /// Byte offset, always on a char boundary.
    pos: usize,
    toks: Vec<Tok>,
    depth: usize,
    /// Opening parentheses dropped for exceeding `MAX_DEPTH`, still waiting for their `)`.
    excess: usize,
    /// A bare `NOT` was read: the next term or group is excluded.
    not: bool,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    /// True if a term starts after the whitespace here.
    fn term_follows(&self) -> bool {
        self.s[self.pos..].trim_start().chars().next().is_some_and(|c| c != ')')
    }

    /// True if a term can start here: something other than whitespace, `)` or the end.
    fn value_follows(&self) -> bool {
        self.peek().is_some_and(|c| !c.is_whitespace() && c != ')')
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else if c == ')' {
                self.pos += 1;
                self.close();
            } else {
                self.token();
            }
        }
    }

    fn close(&mut self) {
        if self.excess > 0 {
            self.excess -= 1;
        } else if self.depth > 0 {
            self.depth -= 1;
            self.toks.push(Tok::Close);
        } // else a stray `)`: ignored.
    }

    fn open(&mut self, negated: bool, field: Option<FieldName>) {
        if self.depth >= MAX_DEPTH {
            self.excess += 1;
        } else {
            self.depth += 1;
            self.toks.push(Tok::Open { negated, field });
        }
    }

    /// One token at a token start (not whitespace, not `)`).
    fn token(&mut self) {
        let mut signed = false;
        let mut negated = std::mem::take(&mut self.not);
        if let Some(sign @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            if !self.value_follows() {
                return; // a dangling sign
            }
            signed = true;
            negated = sign == '-';
        }
        let field = self.field_prefix();
        if field.is_some() && !self.value_follows() {
            return; // `title:` with nothing after it
        }
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                self.open(negated, field);
            }
            Some('"') => {
                self.pos += 1;
                let text = self.phrase();
                if !text.is_empty() {
                    self.toks.push(Tok::Term { negated, field, body: Body::Phrase(text) });
                }
            }
            _ => {
                let word = self.word();
                // Only a bare, unsigned `OR` is the operator; `+OR` is how to search for the word. `|` is OR too,
                // `AND` what adjacency means already, `NOT` the `-` of the next term: as Lucene users type them.
                let bare = !signed && !negated && field.is_none();
                if bare && (word == "OR" || word == "|" || word == "||") {
                    self.toks.push(Tok::Or);
                } else if bare && (word == "AND" || word == "&&") {
                } else if bare && word == "NOT" && self.term_follows() {
                    self.not = true;
                } else {
                    self.toks.push(Tok::Term { negated, field, body: Body::Word(word.to_string()) });
                }
            }
        }
    }

    /// Consumes `name:` if `name` is a known field.
    fn field_prefix(&mut self) -> Option<FieldName> {
        let rest = &self.s[self.pos..];
        let len = rest.find(|c: char| !c.is_ascii_alphabetic())?;
        if len == 0 || !rest[len..].starts_with(':') {
            return None;
        }
        let field = field_named(&rest[..len])?;
        self.pos += len + 1;
        Some(field)
    }

    /// After an opening quote: up to the closing quote, or the end of input if there is none.
    fn phrase(&mut self) -> String {
        let rest = &self.s[self.pos..];
        let (inner, used) = match rest.find('"') {
            Some(end) => (&rest[..end], end + 1),
            None => (rest, rest.len()),
        };
        self.pos += used;
        arrow_normalize::collapse_whitespace(inner)
    }

    /// Up to whitespace or a `)` that closes nothing opened inside the word, so `f(x)` is one word
    /// while `(gibbs OR mcmc)` still closes its group.
    fn word(&mut self) -> &'a str {
        let rest: &'a str = &self.s[self.pos..];
        let mut open = 0usize;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if c.is_whitespace() {
                end = i;
                break;
            }
            if c == '(' {
                open += 1;
            } else if c == ')' {
                if open == 0 {
                    end = i;
                    break;
                }
                open -= 1;
            }
        }
        self.pos += end;
        &rest[..end]
    }
}
