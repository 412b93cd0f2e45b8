//! `arrow export`: citations of every work, or of a query's results, streamed to standard output.

use anyhow::{Context, Result};
use arrow_engine::{Arrow, SearchRequest, MAX_PAGE};
use arrow_export::{Exporter, Format};
use std::io::{BufWriter, Write};

/// Writes `query`'s results (all of them, page by page), or every stored work when the query is empty.
pub fn run(arrow: &Arrow, format: &str, query: &str, limit: Option<usize>) -> Result<()> {
    let format: Format = format.parse().map_err(anyhow::Error::msg)?;
    let out = BufWriter::new(std::io::stdout().lock());
    let mut ex = Exporter::new(format, out);
    let limit = limit.unwrap_or(usize::MAX);
    if query.trim().is_empty() {
        let mut failed: Option<std::io::Error> = None;
        arrow.for_each_work(|w| {
            if failed.is_none() && ex.written() < limit {
                if let Err(e) = ex.write(&w) {
                    failed = Some(e);
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(e).context("writing the export");
        }
    } else {
        // Paged with the engine's cursor, so deep result lists cost no more per page than the first.
        let mut opts = SearchRequest::query(query);
        opts.limit = MAX_PAGE;
        opts.highlight = false;
        loop {
            let page = arrow.search_every_version(&opts)?;
            for hit in &page.hits {
                if ex.written() >= limit {
                    break;
                }
                ex.write(&hit.work).context("writing the export")?;
            }
            match page.next_cursor {
                Some(c) if !page.hits.is_empty() && ex.written() < limit => opts.cursor = Some(c),
                _ => break,
            }
        }
    }
    let n = ex.written();
    ex.finish().context("writing the export")?;
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let _ = writeln!(std::io::stderr(), "exported {n} works as {format}");
    }
    Ok(())
}
