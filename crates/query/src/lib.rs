//! Arrow's query language: text to a syntax tree ([`Query`]), with no dependency on the index.
//!
//! Grammar (lenient: anything that does not parse is read as plain words, never an error):
//!
//! ```text
//! query   := clause*                      adjacent clauses are ANDed
//! clause  := ('+' | '-')? or_expr         '+' required (the default), '-' excluded
//! or_expr := unary ('OR' unary)*          OR binds tighter than adjacency
//! unary   := '(' query ')' | field? atom
//! field   := ('title' | 'abstract' | 'author' | 'venue' | 'type' | 'year' | 'doi' | 'arxiv') ':'
//! atom    := '"' chars '"' | word
//! ```
//!
//! ```
//! use arrow_query::{parse, Field, Query};
//! let q = parse("author:ré \"weak supervision\" -snorkel");
//! assert!(matches!(q, Query::And(_)));
//! ```

mod ast;
mod parser;

pub use ast::{Field, IdKind, Query};
pub use parser::parse;
