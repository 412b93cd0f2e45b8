use crate::args::{Args, BenchCommand, Command};
use crate::progress::Bar;
use anyhow::{Context, Result};
use arrow_engine::{Arrow, IngestOptions, SearchOptions};
use arrow_ingest::Format;
use std::io::{BufWriter, Write};

pub fn run(args: Args) -> Result<()> {
    let data = args.data_dir;
    match args.command {
        Command::Ingest { files, format, skip_bad, batch_size } => {
            let format = parse_format(format.as_deref())?;
            let arrow = open(&data)?;
            let opts = IngestOptions { format, skip_bad, batch_size: batch_size as usize };
            let bar = Bar::new();
            let report = arrow.ingest_paths(&files, &opts, &bar)?;
            bar.clear();
            eprintln!(
                "ingested: read {}, added {}, updated {}, unchanged {}, skipped {}",
                report.read, report.added, report.updated, report.unchanged, report.skipped
            );
            for e in &report.errors {
                eprintln!("skipped: {e}");
            }
            Ok(())
        }
        Command::Search { query, limit, json } => {
            let arrow = open(&data)?;
            let mut opts = SearchOptions::query(&query.join(" "));
            opts.limit = limit;
            let page = arrow.search(&opts)?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            if json {
                serde_json::to_writer_pretty(&mut out, &page)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{} results", page.total)?;
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
        Command::Name { name, json } => {
            let arrow = open(&data)?;
            let cluster = arrow.name_cluster(&name.join(" "))?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            if json {
                serde_json::to_writer_pretty(&mut out, &cluster)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{}\n{} papers\n{} author rows\n",
                    cluster.name,
                    cluster.works.len(),
                    cluster.author_rows
                )?;
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
        Command::Reindex => {
            let arrow = open(&data)?;
            let n = arrow.reindex()?;
            eprintln!("reindexed {n} works");
            Ok(())
        }
        Command::Stats { json } => {
            let arrow = open(&data)?;
            let s = arrow.stats()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!(
                    "works: {}\nauthorships: {}\ndistinct_names: {}\nseq: {}",
                    s.works, s.authorships, s.distinct_names, s.seq
                );
            }
            Ok(())
        }
        Command::Serve { addr } => serve(open(&data)?, &addr),
        Command::Demo { addr } => {
            let arrow = open(&data)?;
            let added = arrow.load_demo()?;
            if added > 0 {
                eprintln!("loaded {added} demo works into {}", data.display());
            }
            serve(arrow, &addr)
        }
        Command::Bench { which } => match which {
            BenchCommand::Ingest { files, format, no_parse_pass } => {
                crate::bench::ingest(&files, parse_format(format.as_deref())?, !no_parse_pass)
            }
            BenchCommand::Search { corpus, queries, rounds, topk, keep } => {
                crate::bench::search(&corpus, &queries, rounds.max(1), topk.as_ref(), keep.as_deref())
            }
        },
        Command::Convert { files, format } => {
            let format = parse_format(format.as_deref())?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            for f in &files {
                let (_, records) = arrow_ingest::parse_path(f, format)?;
                for r in records {
                    let r = r?;
                    writeln!(out, "{}", arrow_ingest::formats::jsonl::to_line(&r.work))?;
                }
            }
            Ok(out.flush()?)
        }
    }
}

fn parse_format(name: Option<&str>) -> Result<Option<Format>> {
    name.map(|n| n.parse::<Format>().map_err(anyhow::Error::msg)).transpose()
}

fn open(dir: &std::path::Path) -> Result<Arrow> {
    Arrow::open(dir).with_context(|| format!("opening data directory {}", dir.display()))
}

fn serve(arrow: Arrow, addr: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(arrow_server::serve(arrow, addr))?;
    Ok(())
}
