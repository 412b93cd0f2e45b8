//! Evaluates author disambiguation on the DBLP 2016 corpus against the gold homonym file.
//!
//! ```text
//! cargo run --release -p arrow-disambig --example dblp_eval -- [--data DIR] [--gold FILE] [--cache FILE] [--all] [--no-rare-names]
//! ```
//! Default: builds every mention of the blocks of the gold names (labeled and unlabeled), disambiguates them and
//! prints B-cubed and pairwise scores on the labeled mentions, with exact-name grouping as the baseline.
//! `--cache FILE` stores / reuses those mentions as JSON lines. `--all` disambiguates every block of the corpus
//! and prints the elapsed time and peak RSS.

use arrow_disambig::{block_key, disambiguate, eval, Config, Mention};
use arrow_normalize::name_key;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

#[derive(Deserialize)]
struct Rec {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    venue: Option<String>,
    #[serde(default)]
    year: Option<i32>,
}

#[derive(Deserialize)]
struct Gold {
    work: String,
    position: u32,
    name: String,
    person: String,
}

fn read_corpus(dir: &str, threads: usize, each: impl Fn(Rec) + Sync) {
    let files: Vec<String> = (0..4).map(|i| format!("{dir}/works-{i:02}.jsonl.xz")).collect();
    let next = std::sync::Mutex::new(files.into_iter());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let Some(path) = next.lock().unwrap().next() else { break };
                let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
                let r = BufReader::with_capacity(1 << 20, xz2::read::XzDecoder::new(f));
                for line in r.lines() {
                    let line = line.expect("read");
                    if line.trim().is_empty() {
                        continue;
                    }
                    let rec: Rec = serde_json::from_str(&line).expect("json");
                    each(rec);
                }
            });
        }
    });
}

fn mentions_of(rec: &Rec, keep: impl Fn(usize, &str) -> bool) -> Vec<Mention> {
    let mut out = Vec::new();
    for (i, a) in rec.authors.iter().enumerate() {
        if !keep(i, a) {
            continue;
        }
        out.push(Mention {
            work: rec.id.clone(),
            position: i as u32 + 1,
            name: a.clone(),
            source_id: None,
            coauthors: rec.authors.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| c.clone()).collect(),
            venue: rec.venue.clone(),
            year: rec.year,
            title: rec.title.clone(),
            cites: Vec::new(),
        });
    }
    out
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let data = opt("--data").unwrap_or_else(|| "/work/shared/data/dblp-2016".into());
    let gold_path = opt("--gold").unwrap_or_else(|| "/work/shared/data/disambiguation/dblp-homonyms-dev.jsonl".into());
    let mut config = Config::default();
    if let Some(t) = opt("--threads") {
        config.threads = t.parse().expect("--threads N");
    }
    if let Some(t) = opt("--unscored-weight") {
        config.unscored_weight = t.parse().expect("number");
    }
    if let Some(t) = opt("--rounds") {
        config.profile_rounds = t.parse().expect("number");
    }
    if let Some(t) = opt("--circle-weight") {
        config.circle_weight = t.parse().expect("--circle-weight W");
    }
    if let Some(t) = opt("--field-weight") {
        config.field_weight = t.parse().expect("--field-weight W");
    }
    if let Some(t) = opt("--title-weight") {
        config.title_weight = t.parse().expect("number");
    }
    if let Some(t) = opt("--max-posting") {
        config.max_posting = t.parse().expect("number");
    }
    if let Some(t) = opt("--gamma") {
        config.evidence_exponent = t.parse().expect("number");
    }
    if let Some(t) = opt("--symmetric") {
        config.symmetric_min_size = t.parse().expect("number");
    }
    if let Some(t) = opt("--all-pairs-below") {
        config.all_pairs_below = t.parse().expect("number");
    }
    if let Some(t) = opt("--margin") {
        config.profile_margin = t.parse().expect("number");
    }
    if let Some(t) = opt("--threshold") {
        config.threshold = t.parse().expect("number");
    }
    if args.iter().any(|a| a == "--no-rare-names") {
        config.rare_names = false;
    }
    let start = Instant::now();
    if args.iter().any(|a| a == "--all") {
        run_all(&data, &config, start);
        return;
    }

    let gold: Vec<Gold> = std::fs::read_to_string(&gold_path)
        .expect("gold file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("gold json"))
        .collect();
    let keys: HashSet<String> = gold.iter().map(|g| block_key(&g.name)).collect();

    let cache = opt("--cache");
    let mentions: Vec<Mention> = match cache.as_deref().filter(|p| std::path::Path::new(p).exists()) {
        Some(p) => std::fs::read_to_string(p)
            .expect("cache")
            .lines()
            .map(|l| serde_json::from_str(l).expect("cache json"))
            .collect(),
        None => {
            let out = std::sync::Mutex::new(Vec::new());
            read_corpus(&data, config.threads, |rec| {
                let ms = mentions_of(&rec, |_, a| keys.contains(&block_key(a)));
                if !ms.is_empty() {
                    out.lock().unwrap().extend(ms);
                }
            });
            let mut ms = out.into_inner().unwrap();
            ms.sort_by(|a, b| a.work.cmp(&b.work).then(a.position.cmp(&b.position)));
            if let Some(p) = &cache {
                let mut w = BufWriter::new(std::fs::File::create(p).expect("create cache"));
                for m in &ms {
                    serde_json::to_writer(&mut w, m).unwrap();
                    w.write_all(b"\n").unwrap();
                }
            }
            ms
        }
    };
    let loaded = start.elapsed();
    let t = Instant::now();
    let a = disambiguate(&mentions, &config);
    let took = t.elapsed();

    let index: HashMap<(&str, u32), usize> =
        mentions.iter().enumerate().map(|(i, m)| ((m.work.as_str(), m.position), i)).collect();
    let mut labels = Vec::new();
    let mut baseline = Vec::new();
    let mut missing = 0;
    for g in &gold {
        match index.get(&(g.work.as_str(), g.position)) {
            Some(&i) => {
                labels.push((a.person[i].clone(), g.person.clone()));
                baseline.push((name_key(&mentions[i].name), g.person.clone()));
            }
            None => missing += 1,
        }
    }
    let b3 = eval::b_cubed(&labels);
    let pw = eval::pairwise(&labels);
    let base = eval::b_cubed(&baseline);
    let persons: HashSet<&String> = a.person.iter().collect();
    println!("mentions: {}", mentions.len());
    println!("blocks: {}", keys.len());
    println!("labeled_mentions: {}", labels.len());
    println!("labeled_missing: {missing}");
    println!("persons: {}", persons.len());
    println!("b3_precision: {:.4}", b3.precision);
    println!("b3_recall: {:.4}", b3.recall);
    println!("b3_f1: {:.4}", b3.f1);
    println!("pairwise_precision: {:.4}", pw.precision);
    println!("pairwise_recall: {:.4}", pw.recall);
    println!("pairwise_f1: {:.4}", pw.f1);
    println!("baseline_b3_precision: {:.4}", base.precision);
    println!("baseline_b3_recall: {:.4}", base.recall);
    println!("baseline_b3_f1: {:.4}", base.f1);
    println!("load_seconds: {:.2}", loaded.as_secs_f64());
    println!("disambiguate_seconds: {:.2}", took.as_secs_f64());
    println!("peak_rss_mib: {}", peak_rss_kib() / 1024);
    if args.iter().any(|a| a == "--model") {
        println!("model: {}", serde_json::to_string(&a.model).unwrap());
    }
    if let Some(path) = opt("--dump") {
        let mut w = BufWriter::new(std::fs::File::create(path).expect("dump"));
        for g in &gold {
            if let Some(&i) = index.get(&(g.work.as_str(), g.position)) {
                writeln!(w, "{}\t{}\t{}\t{}\t{}", g.work, g.position, g.name, a.person[i], g.person).unwrap();
            }
        }
    }
    if args.iter().any(|a| a == "--per-name") {
        let mut by_name: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
        for g in &gold {
            if let Some(&i) = index.get(&(g.work.as_str(), g.position)) {
                by_name.entry(g.name.as_str()).or_default().push((a.person[i].clone(), g.person.clone()));
            }
        }
        for (n, l) in by_name {
            let s = eval::b_cubed(&l);
            println!("name {n}\t{}\t{:.3}\t{:.3}\t{:.3}", l.len(), s.precision, s.recall, s.f1);
        }
    }
}

/// Disambiguates every block of the corpus, in batches of whole blocks.
fn run_all(data: &str, config: &Config, start: Instant) {
    // Compact storage of the corpus: works, and each authorship's block.
    struct W {
        id: String,
        title: String,
        authors: Vec<String>,
        venue: Option<String>,
        year: Option<i32>,
    }
    let works = std::sync::Mutex::new(Vec::<(W, Vec<String>)>::new());
    read_corpus(data, config.threads, |rec| {
        let keys: Vec<String> = rec.authors.iter().map(|a| block_key(a)).collect();
        let w = W { id: rec.id, title: rec.title, authors: rec.authors, venue: rec.venue, year: rec.year };
        works.lock().unwrap().push((w, keys));
    });
    let mut works = works.into_inner().unwrap();
    works.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let mut blocks: BTreeMap<String, Vec<(u32, u16)>> = BTreeMap::new();
    let mut n_mentions = 0usize;
    for (wi, (_, keys)) in works.iter_mut().enumerate() {
        for (pi, k) in std::mem::take(keys).into_iter().enumerate() {
            blocks.entry(k).or_default().push((wi as u32, pi as u16));
            n_mentions += 1;
        }
    }
    let loaded = start.elapsed();
    let n_blocks_total = blocks.len();
    eprintln!(
        "loaded {} works, {n_mentions} mentions, {} blocks in {:.1}s",
        works.len(),
        blocks.len(),
        loaded.as_secs_f64()
    );
    let t = Instant::now();
    // Batches of whole blocks; the workers each disambiguate one batch at a time on one thread.
    let batch_size = 300_000usize;
    let mut batches: Vec<Vec<(u32, u16)>> = vec![Vec::new()];
    let mut biggest = 0usize;
    for list in blocks.values() {
        biggest = biggest.max(list.len());
        if batches.last().unwrap().len() >= batch_size {
            batches.push(Vec::new());
        }
        batches.last_mut().unwrap().extend_from_slice(list);
    }
    drop(blocks);
    let n_blocks = n_blocks_total;
    let next = std::sync::Mutex::new(batches.iter());
    let persons = std::sync::atomic::AtomicUsize::new(0);
    let one = Config { threads: 1, ..config.clone() };
    std::thread::scope(|s| {
        for _ in 0..config.threads.max(1) {
            s.spawn(|| loop {
                let Some(batch) = next.lock().unwrap().next() else { break };
                let ms: Vec<Mention> = batch
                    .iter()
                    .map(|&(wi, pi)| {
                        let w = &works[wi as usize].0;
                        let i = pi as usize;
                        Mention {
                            work: w.id.clone(),
                            position: i as u32 + 1,
                            name: w.authors[i].clone(),
                            source_id: None,
                            coauthors: w
                                .authors
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| *j != i)
                                .map(|(_, c)| c.clone())
                                .collect(),
                            venue: w.venue.clone(),
                            year: w.year,
                            title: w.title.clone(),
                            cites: Vec::new(),
                        }
                    })
                    .collect();
                let a = disambiguate(&ms, &one);
                let n = a.person.iter().collect::<HashSet<_>>().len();
                persons.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                eprintln!("batch of {} mentions done at {:.1}s", ms.len(), t.elapsed().as_secs_f64());
            });
        }
    });
    let persons = persons.into_inner();
    println!("mode: all");
    println!("works: {}", works.len());
    println!("mentions: {n_mentions}");
    println!("blocks: {n_blocks}");
    println!("largest_block: {biggest}");
    println!("persons: {persons}");
    println!("load_seconds: {:.1}", loaded.as_secs_f64());
    println!("disambiguate_seconds: {:.1}", t.elapsed().as_secs_f64());
    println!("elapsed_seconds: {:.1}", start.elapsed().as_secs_f64());
    println!("peak_rss_mib: {}", peak_rss_kib() / 1024);
}
