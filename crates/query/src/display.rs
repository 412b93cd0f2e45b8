//! A canonical query string for a [`Query`]: `parse(&q.to_string()) == q` for every parsed `q`,
//! so the UI can show and edit a query it built (e.g. after refining by a facet).
//!
//! Queries built by hand may contain what the syntax cannot say; those print as close as it
//! allows (a word that cannot stand bare is quoted, a `"` inside a phrase becomes a space).

use std::fmt;

use crate::{parse, Field, IdKind, Query};

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render(self))
    }
}

fn render(q: &Query) -> String {
    match q {
        Query::All => String::new(),
        // `All` beside exclusions is implied: `-foo` parses back to `And[All, Not(foo)]`.
        Query::And(children) => join(children.iter().filter(|c| **c != Query::All), " ", |c| match c {
            Query::And(_) => group(c),
            _ => render(c), // an `Or` needs no parentheses: OR binds tighter than adjacency
        }),
        Query::Or(children) => join(children.iter(), " OR ", |c| match c {
            // `a OR -b` parses to `Or[a, And[All, Not(b)]]`; printing it so adds no parentheses.
            Query::And(inner) if inner.len() == 2 && inner[0] == Query::All => render(&inner[1]),
            Query::And(_) | Query::Or(_) => group(c),
            _ => render(c),
        }),
        Query::Not(child) => match &**child {
            Query::All | Query::And(_) | Query::Or(_) | Query::Not(_) => format!("-{}", group(child)),
            leaf => format!("-{}", term(leaf)),
        },
        leaf => {
            let t = term(leaf);
            // Unsigned, these would read as operators; `+` is the harmless escape.
            if t.starts_with(['+', '-']) || ["OR", "|", "||", "AND", "&&", "NOT"].contains(&t.as_str()) {
                format!("+{t}")
            } else {
                t
            }
        }
    }
}

fn join<'a>(items: impl Iterator<Item = &'a Query>, sep: &str, f: impl Fn(&Query) -> String) -> String {
    items.map(f).collect::<Vec<_>>().join(sep)
}

fn group(q: &Query) -> String {
    let inner = render(q);
    // A last word with a `(` in it could swallow our `)` (`f(x` would read `f(x)`); keep them apart.
    let sep = if inner.rsplit(' ').next().is_some_and(|w| w.contains('(')) { " " } else { "" };
    format!("({inner}{sep})")
}

/// A leaf as it reads after a sign (no `OR` or sign handling there).
fn term(leaf: &Query) -> String {
    match leaf {
        Query::Word { field, text } => bare_or_quoted(leaf, field.map_or("", field_prefix), text),
        Query::Phrase { field, text } => quoted(field.map_or("", field_prefix), text),
        Query::Id { kind, value } => {
            let prefix = match kind {
                IdKind::Doi => "doi:",
                IdKind::Arxiv => "arxiv:",
                IdKind::Work => "id:",
            };
            bare_or_quoted(leaf, prefix, value)
        }
        // `..` rather than the range's own `-` form: `year:-2010` would read as an exclusion to a person.
        Query::Year(r) => {
            let end = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
            match (r.from, r.to) {
                (Some(a), Some(b)) if a == b => format!("year:{a}"),
                _ => format!("year:{}..{}", end(r.from), end(r.to)),
            }
        }
        other => group(other),
    }
}

/// `prefix` + `text` if that reads back as `leaf` on its own (after a sign), else quoted.
fn bare_or_quoted(leaf: &Query, prefix: &str, text: &str) -> String {
    let bare = format!("{prefix}{text}");
    let expected = Query::And(vec![Query::All, Query::Not(Box::new(leaf.clone()))]);
    if parse(&format!("-{bare}")) == expected {
        bare
    } else {
        quoted(prefix, text)
    }
}

fn quoted(prefix: &str, text: &str) -> String {
    format!("{prefix}\"{}\"", text.replace('"', " "))
}

fn field_prefix(field: Field) -> &'static str {
    match field {
        Field::Title => "title:",
        Field::Abstract => "abstract:",
        Field::Author => "author:",
        Field::Venue => "venue:",
        Field::Type => "type:",
    }
}
