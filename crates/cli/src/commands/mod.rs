//! One function per subcommand, grouped by what they work on; `run` only dispatches.

mod ingest;
mod maintain;
mod people;
mod search;

use crate::args::{Args, BatchCommand, BenchCommand, Command, CurateCommand, EvalCommand};
use anyhow::{Context, Result};
use arrow_engine::Arrow;
use arrow_ingest::Format;

pub fn run(args: Args) -> Result<()> {
    let data = args.data_dir;
    match args.command {
        Command::Ingest { files, format, skip_bad, batch_size, delete_missing } => {
            ingest::ingest(&data, files, format, skip_bad, batch_size, delete_missing)
        }
        Command::Search { query, limit, json, mode } => search::search(&data, query, limit, json, mode),
        Command::Name { name, json } => search::name(&data, name, json),
        Command::Delete { ids } => ingest::delete(&data, ids),
        Command::Check { json } => maintain::check(&data, json),
        Command::Backup { dest } => maintain::backup(&data, dest),
        Command::Split { shards, out } => maintain::split(&data, shards as usize, out),
        Command::Disambiguate { within_blocks } => people::disambiguate(&data, within_blocks),
        Command::Versions { sample } => people::versions(&data, sample),
        Command::People { name, json } => people::people(&data, name, json),
        Command::Person { id, json } => people::person(&data, id, json),
        Command::Explain { a, b, json } => people::explain(&data, a, b, json),
        Command::Curate { which } => match which {
            CurateCommand::Merge { people: ids, note, by } => {
                people::curated(open(&data)?.curate_merge(&ids, &who(by), &note))
            }
            CurateCommand::Split { person, mentions, note, by } => {
                let refs = mentions
                    .iter()
                    .map(|m| m.parse().map_err(|e: String| anyhow::anyhow!(e)))
                    .collect::<Result<Vec<_>>>()?;
                people::curated(open(&data)?.curate_split(&person, &refs, &who(by), &note))
            }
            CurateCommand::Claim { person, orcid, note, by } => {
                people::curated(open(&data)?.curate_claim(&person, &orcid, &who(by), &note))
            }
            CurateCommand::History { person, json } => people::history(&data, person.as_deref(), json),
            CurateCommand::Undo { id, note, by } => people::undo(&data, id, &who(by), &note),
        },
        Command::Eval { which: EvalCommand::Disambiguation { gold, people: file } } => {
            people::eval_disambiguation(&data, gold, file)
        }
        Command::Eval { which: EvalCommand::Search { queries, mode } } => {
            crate::eval_search::run(&open(&data)?, &queries, &mode)
        }
        Command::Embed { model, fast, transformer } => {
            let fast = (fast || transformer).then_some(fast);
            crate::embed::embed(&open(&data)?, model.as_deref(), fast)
        }
        Command::Reindex => maintain::reindex(&data),
        Command::Stats { json } => maintain::stats(&data, json),
        Command::Serve { addr, admin_token, cluster_token, shards: None } => {
            // A new, empty directory is fine: data can come through the ingest API.
            serve_engine(std::sync::Arc::new(create(&data)?), &addr, admin_token, cluster_token)
        }
        Command::Serve { addr, cluster_token, shards: Some(spec), .. } => {
            let token = cluster_token.unwrap_or_default();
            let root = std::sync::Arc::new(arrow_cluster::Root::new(&spec, &token).map_err(anyhow::Error::msg)?);
            root.start_probes();
            serve_engine(root, &addr, None, None)
        }
        Command::Demo { addr, admin_token } => maintain::demo(&data, addr, admin_token),
        Command::Bench { which } => match which {
            BenchCommand::Assign { data, works, seed } => crate::bench::assign(&data, works, seed),
            BenchCommand::Semantic { data, queries, mode, rounds } => {
                crate::embed::bench_search(&data, &queries, mode, rounds)
            }
            BenchCommand::Embed { data, model, works, fast } => crate::embed::bench(&data, &model, works, fast),
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
        Command::Convert { files, format } => ingest::convert(files, format),
        Command::Batch { which } => batch(&data, which),
    }
}

/// A batch stage over standard input and output, buffered (a stage moves millions of lines).
fn batch(data: &std::path::Path, which: BatchCommand) -> Result<()> {
    let input = std::io::BufReader::with_capacity(1 << 20, std::io::stdin());
    let out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    match which {
        BatchCommand::Parse => arrow_batch::parse(input, out)?,
        BatchCommand::Merge => arrow_batch::merge(input, out)?,
        BatchCommand::Mentions => arrow_batch::mentions(input, out)?,
        BatchCommand::People => arrow_batch::people(input, out)?,
        BatchCommand::Curate { curations } => arrow_batch::curate(&read(&curations)?, input, out)?,
        BatchCommand::Relabel { labels } => arrow_batch::relabel(&read(&labels)?, input, out)?,
        BatchCommand::ReadingNames { names } => arrow_batch::reading_names(open_file(&names)?, out)?,
        BatchCommand::Readings { names } => arrow_batch::readings(open_file(&names)?, input, out)?,
        BatchCommand::Rename { renames } => arrow_batch::rename(&read(&renames)?, input, out)?,
        BatchCommand::VersionKeys => arrow_batch::version_keys(input, out)?,
        BatchCommand::VersionLinks => arrow_batch::version_links(input, out)?,
        BatchCommand::Build => arrow_batch::build(input, out)?,
        BatchCommand::Settings => arrow_batch::settings(out)?,
        BatchCommand::DumpPeople => arrow_batch::dump_people(&open(data)?, out)?,
        BatchCommand::DumpWorks => arrow_batch::dump_works(&open(data)?, out)?,
        BatchCommand::DumpVersions => arrow_batch::dump_versions(&open(data)?, out)?,
    }
    Ok(())
}

pub(crate) fn parse_format(name: Option<&str>) -> Result<Option<Format>> {
    name.map(|n| n.parse::<Format>().map_err(usage)).transpose()
}

/// A command typed wrong (a flag's value out of range, an unknown format): exit code 2, as clap's own.
#[derive(Debug)]
pub(crate) struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

pub(crate) fn usage(why: impl Into<String>) -> anyhow::Error {
    Usage(why.into()).into()
}

/// The library says what was wrong with an input; the binary adds what to do about it.
pub(crate) fn advise(e: arrow_engine::EngineError) -> anyhow::Error {
    if e.is_unknown_format() {
        anyhow::anyhow!("{e}; name it with --format ({})", Format::names())
    } else {
        e.into()
    }
}

/// Opens a data directory that already holds Arrow data: only commands that add data create one, so a mistyped
/// `--data-dir` is an error rather than an empty store that looks as if everything were lost.
pub(crate) fn open(dir: &std::path::Path) -> Result<Arrow> {
    if !dir.join("arrow.sqlite").is_file() {
        anyhow::bail!(
            "no Arrow data in {} (ingest a file there first, or point --data-dir or ARROW_DATA at your data directory)",
            dir.display()
        );
    }
    create(dir)
}

/// Opens a data directory, creating it when it does not exist (for commands that add data).
pub(crate) fn create(dir: &std::path::Path) -> Result<Arrow> {
    Arrow::open(dir).with_context(|| format!("opening data directory {}", dir.display()))
}

pub(crate) fn serve(arrow: Arrow, addr: &str, admin_token: Option<String>) -> Result<()> {
    serve_engine(std::sync::Arc::new(arrow), addr, admin_token, None)
}

fn serve_engine(
    engine: arrow_server::AppState,
    addr: &str,
    admin_token: Option<String>,
    cluster_token: Option<String>,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(arrow_server::serve_engine(engine, addr, admin_token, cluster_token))?;
    Ok(())
}

/// Who made a curation: `--by`, else the login name (from the environment, else the account of the process's user:
/// a container or a cron job often sets no `USER`).
fn who(by: Option<String>) -> String {
    let given = by.into_iter().chain(["USER", "LOGNAME"].iter().filter_map(|v| std::env::var(v).ok()));
    given.chain(account()).find(|s| !s.trim().is_empty()).unwrap_or_else(|| "unknown".into())
}

/// The account name of this process's real user, from `/proc/self/status` and `/etc/passwd` (Linux).
fn account() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status.lines().find_map(|l| l.strip_prefix("Uid:"))?.split_whitespace().next()?.to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let name = passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() > 2 && f[2] == uid).then(|| f[0].to_string())
    });
    Some(name.unwrap_or_else(|| format!("uid {uid}")))
}

fn open_file(path: &std::path::Path) -> Result<std::io::BufReader<std::fs::File>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(std::io::BufReader::with_capacity(1 << 20, f))
}

fn read(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod who_tests {
    #[test]
    fn a_curator_is_named_even_without_a_user_variable() {
        assert_eq!(super::who(Some("ana".into())), "ana");
        // CI and containers run as an account that /etc/passwd names, with or without USER set.
        let name = super::account().expect("an account on Linux");
        assert!(!name.is_empty() && name != "unknown", "{name}");
    }
}
