use crate::Query;

/// Parses a query leniently. (Placeholder: every whitespace-separated token is a required word.)
pub fn parse(input: &str) -> Query {
    let words: Vec<Query> =
        input.split_whitespace().map(|w| Query::Word { field: None, text: w.to_string() }).collect();
    match words.len() {
        0 => Query::All,
        1 => words.into_iter().next().unwrap_or(Query::All),
        _ => Query::And(words),
    }
}
