//! The query's syntax tree. It knows field names but nothing of the index; `arrow-index` resolves it.

/// A field a term can be restricted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Abstract,
    Author,
    Venue,
    /// Publication type ("Conference Paper", "inproceedings").
    Type,
}

/// An identifier lookup: `doi:10.1145/...`, `arxiv:2101.00001`, `id:dblp:conf/acl/Smith18`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdKind {
    Doi,
    Arxiv,
    /// A work's id in the store, or the id of a record merged into it: resolved by the engine, which has the store.
    Work,
}

/// A parsed query. Adjacent clauses are all required (AND); `OR` binds tighter than adjacency, so
/// `a OR b c` means `(a OR b) AND c`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// Nothing to match on: the empty query, which lists recent works.
    All,
    /// One word as typed (the index tokenizes and folds it; it may become several tokens).
    Word { field: Option<Field>, text: String },
    /// `"exact phrase"`, optionally fielded: `title:"graph neural"`.
    Phrase { field: Option<Field>, text: String },
    /// `year:2020` (from = to) or `year:2018..2022`; an open end is `None` (`year:..2010`, `year:2020..`).
    Year(crate::YearRange),
    /// `doi:` / `arxiv:` lookups, value as typed.
    Id { kind: IdKind, value: String },
    /// Every child must match.
    And(Vec<Query>),
    /// At least one child must match.
    Or(Vec<Query>),
    /// Matches what the child does not. Only meaningful beside a positive clause; alone it excludes from all.
    Not(Box<Query>),
}

impl Query {
    /// `self` and `other` must both match, e.g. a search refined by a facet:
    /// `parse(q).and(Query::Word { field: Some(Field::Venue), text: "NeurIPS".into() })`.
    /// The result stays in the normal form [`crate::parse`] produces (flattened, `All` absorbed).
    #[must_use]
    pub fn and(self, other: Query) -> Query {
        Query::all_of(vec![self, other])
    }

    /// A normalized `And`: nested `And`s flattened, `All` children dropped, and `All` put first
    /// when every child is a `Not`, so exclusions always have something to exclude from.
    pub(crate) fn all_of(children: Vec<Query>) -> Query {
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match child {
                Query::And(inner) => out.extend(inner.into_iter().filter(|c| *c != Query::All)),
                Query::All => {}
                child => out.push(child),
            }
        }
        if !out.is_empty() && out.iter().all(|c| matches!(c, Query::Not(_))) {
            out.insert(0, Query::All);
        }
        match out.len() {
            0 => Query::All,
            1 => out.pop().unwrap_or(Query::All),
            _ => Query::And(out),
        }
    }

    /// A normalized `Or`: nested `Or`s flattened and a `Not` child made `And[All, Not]`.
    pub(crate) fn any_of(children: Vec<Query>) -> Query {
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match child {
                Query::Or(inner) => out.extend(inner),
                Query::All => return Query::All, // anything OR everything
                not @ Query::Not(_) => out.push(Query::all_of(vec![not])),
                child => out.push(child),
            }
        }
        match out.len() {
            0 => Query::All,
            1 => out.pop().unwrap_or(Query::All),
            _ => Query::Or(out),
        }
    }
}
