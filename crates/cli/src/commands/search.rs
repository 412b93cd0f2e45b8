//! Reading: searches and name clusters.

use super::open;
use anyhow::Result;
use arrow_engine::{SearchMode, SearchRequest};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Prints a search's results as text or JSON.
pub fn search(data: &Path, query: Vec<String>, limit: usize, json: bool, mode: Option<SearchMode>) -> Result<()> {
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
    let cluster = arrow.name_cluster(&name.join(" "))?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &cluster)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}\n{} papers\n{} author rows\n", cluster.name, cluster.works.len(), cluster.author_rows)?;
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
