//! Arrow's query language: text to a syntax tree ([`Query`]), with no dependency on the index.
//!
//! Grammar (lenient: anything that does not parse is read as plain words, never an error):
//!
//! ```text
//! query   := clause*                      adjacent clauses are ANDed
//! clause  := unary ('OR'+ unary)*         OR binds tighter than adjacency: `a OR b c` = (a OR b) c
//! unary   := ('+' | '-')? (group | term)  '+' required (the default), '-' excluded
//! group   := field? '(' query ')'         a field on a group applies to each term inside
//! term    := field? ('"' chars '"' | word)
//! field   := ('title' | 'abstract' | 'author' | 'venue' | 'type' | 'year' | 'doi' | 'arxiv') ':'
//! word    := non-space chars, up to a ')' that closes nothing opened inside the word
//! ```
//!
//! - `OR` is an operator only uppercase, unsigned and alone; `+OR` is the word. So are `|` and `||` (OR),
//!   `AND` and `&&` (what adjacency means already) and `NOT` (the `-` of what follows). Signs and `(`,
//!   `"` and fields count only at the start of a token (`t-SNE`, `f(x)` are words).
//! - Field names are case-insensitive. `year:` takes a [`YearRange`]: `2020`, `2018..2022`, `2018-2022`,
//!   `..2010`, `2020..`, `>2019`, `<=2020` (a reversed range is read in order); `doi:`/`arxiv:` take the token as typed. Any other `name:value` is a plain word, as
//!   is a `year:` value that is not a year.
//! - Leniency: an unclosed quote runs to the end; stray `)`, dangling `OR`/`-`/`+`, empty `""`,
//!   `()` and `title:` with no value are ignored; parentheses nest at most 32 deep (deeper ones
//!   are ignored).
//! - The result is normalized (see [`parse`]); a query of only exclusions, `-foo`, is
//!   `And[All, Not(foo)]`: everything except `foo`. [`Query`]'s `Display` prints a canonical
//!   string that parses back to the same query.
//!
//! ```
//! use arrow_query::{parse, Field, Query};
//! let q = parse("author:ré \"weak supervision\" -snorkel");
//! assert!(matches!(q, Query::And(_)));
//! ```

mod ast;
mod display;
mod lexer;
mod parser;
mod year_range;

pub use ast::{Field, IdKind, Query};
pub use parser::parse;
pub use year_range::{YearRange, YearRangeError};
