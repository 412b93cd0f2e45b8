use crate::args::{Args, BenchCommand, Command, EvalCommand};
use crate::progress::Bar;
use anyhow::{Context, Result};
use arrow_engine::{Arrow, IngestOptions, SearchOptions};
use arrow_ingest::Format;
use std::io::{BufWriter, Write};

pub fn run(args: Args) -> Result<()> {
    let data = args.data_dir;
    match args.command {
        Command::Ingest { files, format, skip_bad, batch_size, delete_missing } => {
            let format = parse_format(format.as_deref())?;
            let arrow = open(&data)?;
            let opts = IngestOptions { format, skip_bad, batch_size: batch_size as usize, delete_missing };
            let bar = Bar::new();
            let report = arrow.ingest_paths(&files, &opts, &bar)?;
            bar.clear();
            eprintln!(
                "ingested: read {}, added {}, updated {}, merged {}, unchanged {}, skipped {}, deleted {}",
                report.read,
                report.added,
                report.updated,
                report.merged,
                report.unchanged,
                report.skipped,
                report.deleted
            );
            if report.persons > 0 || report.persons_deleted > 0 {
                eprintln!(
                    "person records (DBLP homepages): read {}, added or changed {}, deleted {}",
                    report.persons, report.persons_changed, report.persons_deleted
                );
            }
            if report.joined_people + report.new_people > 0 {
                eprintln!(
                    "people: {} authorships joined existing people, {} started new people",
                    report.joined_people, report.new_people
                );
            }
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
        Command::Delete { ids } => {
            let arrow = open(&data)?;
            let n = arrow.delete(&ids)?;
            eprintln!("deleted {n} of {} works", ids.len());
            if n < ids.len() {
                anyhow::bail!("{} of the ids were not found", ids.len() - n);
            }
            Ok(())
        }
        Command::Check { json } => {
            let arrow = open(&data)?;
            let r = arrow.check()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "store_works: {}\nindex_docs: {}\nstore_seq: {}\nindex_seq: {}\nmissing_from_index: {}\nstale_in_index: {}\nstore_integrity: {}",
                    r.store_works, r.index_docs, r.store_seq, r.index_seq, r.missing_count, r.stale_in_index, r.store_integrity
                );
                for id in &r.missing_from_index {
                    println!("missing: {id}");
                }
            }
            if !r.ok {
                anyhow::bail!("the index has drifted from the store; run `arrow reindex`");
            }
            Ok(())
        }
        Command::Backup { dest } => {
            let arrow = open(&data)?;
            arrow.backup(&dest).with_context(|| format!("backing up to {}", dest.display()))?;
            eprintln!("backed up the store to {}", dest.display());
            Ok(())
        }
        Command::Disambiguate => {
            let arrow = open(&data)?;
            eprintln!("disambiguating authors ...");
            let r = arrow.disambiguate()?;
            eprintln!("{} mentions grouped into {} people in {:.1} s", r.mentions, r.people, r.seconds);
            Ok(())
        }
        Command::Versions { sample } => {
            let arrow = open(&data)?;
            eprintln!("grouping versions of one work ...");
            let r = arrow.group_versions()?;
            println!("groups: {}", r.groups);
            println!("works_grouped: {}", r.works_grouped);
            println!("seconds: {:.2}", r.seconds);
            for (i, group) in arrow.version_groups_sample(sample)?.iter().enumerate() {
                println!();
                for v in group {
                    println!(
                        "{:>3}. {} | {} | {} | {}",
                        i + 1,
                        v.venue.as_deref().unwrap_or("-"),
                        v.year.map(|y| y.to_string()).unwrap_or_else(|| "-".into()),
                        v.title,
                        v.id
                    );
                }
            }
            Ok(())
        }
        Command::People { name, json } => {
            let arrow = open(&data)?;
            let name = name.join(" ");
            let people = arrow.people_named(&name)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&people)?);
                return Ok(());
            }
            if people.is_empty() {
                println!("no people named {name:?} (run `arrow disambiguate` first?)");
            }
            for p in &people {
                let profile = arrow.person(&p.id)?;
                let variants =
                    profile.map(|pr| pr.variants.iter().map(|v| v.0.clone()).collect::<Vec<_>>().join(" / "));
                println!("{}  {} works as {name}  ({})", p.id, p.works_with_name, variants.unwrap_or_default());
            }
            Ok(())
        }
        Command::Person { id, json } => {
            let arrow = open(&data)?;
            let Some(p) = arrow.person(&id)? else { anyhow::bail!("no person {id}") };
            if json {
                println!("{}", serde_json::to_string_pretty(&p)?);
                return Ok(());
            }
            println!("{} ({})", p.name, p.id);
            let show = |v: &[(String, u64)]| {
                v.iter().take(10).map(|(n, c)| format!("{n} ({c})")).collect::<Vec<_>>().join(", ")
            };
            println!("written as: {}", show(&p.variants));
            println!("coauthors: {}", show(&p.coauthors));
            println!("venues: {}", show(&p.venues));
            for w in &p.works {
                println!(
                    "  {} {} — {}",
                    w.year.map(|y| y.to_string()).unwrap_or_default(),
                    w.venue.as_deref().unwrap_or("-"),
                    w.title
                );
            }
            Ok(())
        }
        Command::Explain { a, b } => {
            let arrow = open(&data)?;
            let a = a.parse().map_err(anyhow::Error::msg)?;
            let b = b.parse().map_err(anyhow::Error::msg)?;
            match arrow.explain(&a, &b)? {
                Some(e) => println!("{}", serde_json::to_string_pretty(&e)?),
                None => anyhow::bail!("no explanation: unknown mention, or `arrow disambiguate` has not run"),
            }
            Ok(())
        }
        Command::Eval { which: EvalCommand::Disambiguation { gold } } => {
            let arrow = open(&data)?;
            let r = arrow.evaluate_people(&gold)?;
            println!("mentions: {}\nmissing: {}", r.mentions, r.missing);
            for (k, v) in [
                ("b3_precision", r.b3_precision),
                ("b3_recall", r.b3_recall),
                ("b3_f1", r.b3_f1),
                ("pairwise_precision", r.pairwise_precision),
                ("pairwise_recall", r.pairwise_recall),
                ("pairwise_f1", r.pairwise_f1),
                ("baseline_b3_precision", r.baseline_b3_precision),
                ("baseline_b3_recall", r.baseline_b3_recall),
                ("baseline_b3_f1", r.baseline_b3_f1),
            ] {
                println!("{k}: {v:.4}");
            }
            Ok(())
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
        Command::Serve { addr, admin_token } => serve(open(&data)?, &addr, admin_token),
        Command::Demo { addr } => {
            let arrow = open(&data)?;
            let added = arrow.load_demo()?;
            if added > 0 {
                let people = arrow.disambiguate()?;
                eprintln!("loaded {added} demo works into {} ({} people)", data.display(), people.people);
            }
            serve(arrow, &addr, None)
        }
        Command::Bench { which } => match which {
            BenchCommand::Assign { data, works, seed } => crate::bench::assign(&data, works, seed),
            BenchCommand::Ingest { files, format, no_parse_pass } => {
                crate::bench::ingest(&files, parse_format(format.as_deref())?, !no_parse_pass)
            }
            BenchCommand::Search { corpus, queries, rounds, topk, keep, per_query } => crate::bench::search(
                &corpus,
                &queries,
                rounds.max(1),
                topk.as_ref(),
                keep.as_deref(),
                per_query.as_ref(),
            ),
        },
        Command::Export { format, limit, query } => crate::export::run(&open(&data)?, &format, &query.join(" "), limit),
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

fn serve(arrow: Arrow, addr: &str, admin_token: Option<String>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(arrow_server::serve(arrow, addr, admin_token))?;
    Ok(())
}
