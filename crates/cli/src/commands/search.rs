//! Reading: searches and name clusters.

use super::open;
use anyhow::Result;
use arrow_engine::{SearchMode, SearchRequest};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Flags typed after the query.
#[derive(Debug, Default, PartialEq)]
struct Trailing {
    limit: Option<usize>,
    json: bool,
    mode: Option<SearchMode>,
    data_dir: Option<PathBuf>,
}

/// Takes back the flags typed after the query (`arrow search graph neural --limit 3`). The query keeps every
/// word after its first, since a word starting with '-' is an exclusion; but a double dash is never query syntax,
/// and `--limit 3` read as two query words found the wrong works without a word of warning.
fn trailing_flags(words: Vec<String>) -> Result<(Vec<String>, Trailing)> {
    let mut query = Vec::with_capacity(words.len());
    let mut flags = Trailing::default();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_string(), Some(value.to_string())),
            _ => (word.clone(), None),
        };
        let mut value = |flag: &str| -> Result<String> {
            inline.clone().or_else(|| words.next()).ok_or_else(|| super::usage(format!("{flag} needs a value")))
        };
        match name.as_str() {
            "--limit" => {
                let v = value("--limit")?;
                flags.limit = Some(v.parse().map_err(|_| super::usage(format!("--limit takes a number, not {v:?}")))?);
            }
            "--mode" => flags.mode = Some(value("--mode")?.parse().map_err(|e| super::usage(format!("{e}")))?),
            "--data-dir" => flags.data_dir = Some(PathBuf::from(value("--data-dir")?)),
            "--json" if inline.is_none() => flags.json = true,
            _ => query.push(word),
        }
    }
    Ok((query, flags))
}

/// Prints a search's results as text or JSON.
pub fn search(data: &Path, query: Vec<String>, limit: usize, json: bool, mode: Option<SearchMode>) -> Result<()> {
    let (query, after) = trailing_flags(query)?;
    let (limit, json, mode) = (after.limit.unwrap_or(limit), json || after.json, after.mode.or(mode));
    let data = after.data_dir.as_deref().unwrap_or(data);
    if limit == 0 || limit > arrow_engine::MAX_PAGE {
        // As the API answers: a page of 500 cut to 100 without a word looks like all there is.
        let why =
            format!("--limit must be between 1 and {} (a page); use `arrow export` for more", arrow_engine::MAX_PAGE);
        return Err(super::usage(why));
    }
    let arrow = open(data)?;
    let mut opts = SearchRequest::query(&query.join(" "));
    opts.limit = limit;
    let page = arrow.search_in(&opts, mode)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &page)?;
        writeln!(out)?;
    } else {
        let how = match (page.mode, page.lenient) {
            (SearchMode::Lexical, true) => " (ranked by how many of the words they have)".to_string(),
            (SearchMode::Lexical, false) => String::new(),
            (mode, _) => format!(" ({mode})"),
        };
        writeln!(out, "{} results{how}", page.total)?;
        for (i, hit) in page.hits.iter().enumerate() {
            let w = &hit.work;
            let authors: Vec<&str> = w.ordered_authors().iter().take(3).map(|a| a.name.as_str()).collect();
            writeln!(out, "{:>3}. {}", i + 1, w.title)?;
            writeln!(
                out,
                "     {} · {} · {}   [{}]",
                authors.join(", "),
                w.venue.as_deref().unwrap_or("-"),
                w.year.map(|y| y.to_string()).unwrap_or_default(),
                w.id
            )?;
        }
    }
    Ok(out.flush()?)
}

/// Prints a name cluster in the seed page's shape, or as JSON.
pub fn name(data: &Path, name: Vec<String>, json: bool) -> Result<()> {
    let arrow = open(data)?;
    let name = name.join(" ");
    if name.trim().is_empty() {
        anyhow::bail!("name an author: `arrow name 'Ce Zhang'` (the name as written, case aside)");
    }
    let cluster = arrow.name_cluster(&name)?;
    if cluster.works.is_empty() && !json {
        eprintln!("no paper has an author of exactly this name; `arrow people` also finds names that fit it");
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &cluster)?;
        writeln!(out)?;
    } else {
        let counted = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
        let (papers, rows) = (counted(cluster.works.len(), "paper"), counted(cluster.author_rows, "author row"));
        writeln!(out, "{}\n{papers}\n{rows}\n", cluster.name)?;
        for w in &cluster.works {
            writeln!(
                out,
                "{} {} {} {}\n{}",
                w.venue.as_deref().unwrap_or("-"),
                w.venue_kind.label(),
                w.year.map(|y| y.to_string()).unwrap_or_default(),
                w.pub_type.as_deref().unwrap_or(""),
                w.title
            )?;
            let authors = w.ordered_authors();
            for a in authors.iter().take(8) {
                writeln!(out, "  • {}", a.name)?;
            }
            if authors.len() > 8 {
                writeln!(out, "  +{} more", authors.len() - 8)?;
            }
            writeln!(out)?;
        }
    }
    Ok(out.flush()?)
}

#[cfg(test)]
mod tests {
    use super::{trailing_flags, Trailing};
    use arrow_engine::SearchMode;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn flags_after_the_query_are_flags_and_exclusions_stay_in_it() {
        let (q, f) = trailing_flags(words("graph neural -survey --limit 3 --json --mode=lexical")).unwrap();
        assert_eq!(q, words("graph neural -survey"));
        assert_eq!(f, Trailing { limit: Some(3), json: true, mode: Some(SearchMode::Lexical), data_dir: None });
        let (q, f) = trailing_flags(words("+data -mining --data-dir /tmp/x")).unwrap();
        assert_eq!(q, words("+data -mining"));
        assert_eq!(f.data_dir.as_deref(), Some(std::path::Path::new("/tmp/x")));
        assert!(trailing_flags(words("graph --limit")).is_err(), "a flag without its value");
        assert!(trailing_flags(words("graph --limit many")).unwrap_err().to_string().contains("many"));
        assert!(trailing_flags(words("graph --mode fast")).is_err());
    }
}
