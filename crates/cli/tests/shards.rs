//! A sharded root against one node on the same data, as a user runs them: `arrow split` into 3 shards, 2 replicas
//! of each served by `arrow serve --cluster-token`, a root `arrow serve --shards FILE`, all on loopback. Real
//! data: the 20,000-work DBLP slice the tests carry (set ARROW_SHARD_TEST_CORPUS to a bigger JSON-lines file,
//! such as 100,000 works of `../shared/data/dblp-2016/works-00.jsonl.xz`, for the full-size run).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "test-cluster-token";

fn arrow(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_arrow")).arg("--data-dir").arg(dir).args(args).output().unwrap();
    assert!(out.status.success(), "arrow {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_addr() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("127.0.0.1:{port}")
}

/// `arrow ARGS serve --addr … --cluster-token … SERVE_ARGS`, once it answers.
fn serve(args: &[&str], serve_args: &[&str]) -> Server {
    let addr = free_addr();
    let child = Command::new(env!("CARGO_BIN_EXE_arrow"))
        .args(args)
        .args(["serve", "--addr", &addr, "--cluster-token", TOKEN])
        .args(serve_args)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while get(&addr, "/api/v1/stats").is_none_or(|(s, _)| s != 200) {
        assert!(Instant::now() < deadline, "server {args:?} did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    Server { child, addr }
}

fn leaf(dir: &Path) -> Server {
    serve(&["--data-dir", dir.to_str().unwrap()], &[])
}

/// Status and body.
fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    let status = buf.get(9..12)?.parse().ok()?;
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

fn get_json(addr: &str, path: &str) -> Value {
    let (status, body) = get(addr, path).unwrap_or_else(|| panic!("{addr}{path}: no answer"));
    assert_eq!(status, 200, "{addr}{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn write_spec(path: &Path, shards: &[Vec<&Server>]) {
    let text: Vec<String> =
        shards.iter().map(|r| r.iter().map(|s| format!("http://{}", s.addr)).collect::<Vec<_>>().join(",")).collect();
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text.join("\n")).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// (score, id) of a results list.
fn scored(v: &Value) -> Vec<(f64, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["relevance_score"].as_f64().unwrap_or(0.0), r["id"].as_str().unwrap().to_string()))
        .collect()
}

/// Two pages agree when they have the same scores in the same order and the same works at every score but the
/// page's lowest (works of equal score are ordered by their index's document order, which sharding changes; at
/// the lowest score the page may cut the tie in another place).
fn same_page(a: &Value, b: &Value, what: &str) {
    assert_eq!(a["meta"]["count"], b["meta"]["count"], "{what}: totals");
    let (sa, sb) = (scored(a), scored(b));
    let scores = |s: &[(f64, String)]| s.iter().map(|x| x.0).collect::<Vec<_>>();
    assert_eq!(scores(&sa), scores(&sb), "{what}: scores");
    let Some(lowest) = sa.last().map(|x| x.0) else { return };
    let above = |s: &[(f64, String)]| {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (score, id) in s.iter().filter(|x| x.0 != lowest) {
            m.entry(score.to_string()).or_default().insert(id.clone());
        }
        m
    };
    assert_eq!(above(&sa), above(&sb), "{what}: works");
}

#[test]
fn a_sharded_root_answers_as_one_node_and_survives_losing_replicas() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    let corpus = std::env::var("ARROW_SHARD_TEST_CORPUS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dblp-20k.jsonl.xz").into());
    arrow(&single, &["ingest", &corpus]);
    arrow(&single, &["disambiguate"]);
    arrow(&single, &["versions"]);
    arrow(&single, &["split", "--shards", "3", tmp.path().join("s3").to_str().unwrap()]);
    let one = serve(&["--data-dir", single.to_str().unwrap()], &[]);
    let shard = |i: usize| tmp.path().join(format!("s3/shard-{i}"));
    // Each shard is a data directory whose index agrees with its store.
    for i in 0..3 {
        arrow(&shard(i), &["check"]);
    }
    let leaves: Vec<[Server; 2]> = (0..3).map(|i| [leaf(&shard(i)), leaf(&shard(i))]).collect();
    let spec = tmp.path().join("shards.txt");
    write_spec(&spec, &leaves.iter().map(|r| r.iter().collect()).collect::<Vec<_>>());
    let root = serve(&[], &["--shards", spec.to_str().unwrap()]);

    // The shards hold the corpus between them, and the internal API wants the token.
    let works = |a: &str| get_json(a, "/api/v1/stats")["works"].as_i64().unwrap();
    assert_eq!(works(&root.addr), works(&one.addr));
    assert_eq!(get(&leaves[0][0].addr, "/internal/v1/health").unwrap().0, 401);

    // Every query shape of the benchmark queries: same totals, scores and works; facets summed exactly.
    let queries = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/queries.txt")).unwrap();
    let queries: Vec<&str> = queries.lines().filter(|q| !q.trim().is_empty()).take(300).collect();
    for (n, q) in queries.iter().enumerate() {
        let path = format!("/api/v1/works?search={}&per_page=10", enc(q));
        same_page(&get_json(&one.addr, &path), &get_json(&root.addr, &path), q);
        if n % 10 == 0 {
            for g in ["year", "venue", "type"] {
                let path = format!("/api/v1/works?search={}&per_page=10&group_by={g}", enc(q));
                assert_eq!(get_json(&one.addr, &path)["group_by"], get_json(&root.addr, &path)["group_by"], "{q}: {g}");
            }
        }
    }
    // Sorted by year, and filtered.
    for path in [
        "/api/v1/works?search=learning&sort=publication_year:desc&per_page=25",
        "/api/v1/works?search=&filter=year:2015&per_page=25",
    ] {
        let (a, b) = (get_json(&one.addr, path), get_json(&root.addr, path));
        assert_eq!(a["meta"]["count"], b["meta"]["count"], "{path}");
        let years = |v: &Value| v["results"].as_array().unwrap().iter().map(|r| r["year"].clone()).collect::<Vec<_>>();
        assert_eq!(years(&a), years(&b), "{path}");
    }

    // Cursor paging over the root returns every hit once.
    let mut seen = BTreeSet::new();
    let mut cursor = "*".to_string();
    let total = loop {
        let page = get_json(&root.addr, &format!("/api/v1/works?search=learning&per_page=100&cursor={}", enc(&cursor)));
        for r in page["results"].as_array().unwrap() {
            assert!(seen.insert(r["id"].as_str().unwrap().to_string()), "a hit came twice");
        }
        match page["meta"]["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break page["meta"]["count"].as_u64().unwrap() as usize,
        }
    };
    assert!(total > 100, "the paging query is broad: {total}");
    // Versions collapse on a page, so a page may show fewer entries than it took hits.
    assert!(seen.len() <= total && seen.len() + 50 >= total, "{} of {total}", seen.len());

    // Name clusters and people, assembled from the shards.
    let page = get_json(&one.addr, "/api/v1/works?search=learning&per_page=20");
    let names: BTreeSet<String> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["authors"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()))
        .take(15)
        .collect();
    for name in &names {
        let path = format!("/api/v1/names/{}", enc(name));
        assert_eq!(get_json(&one.addr, &path), get_json(&root.addr, &path), "name cluster {name}");
        // Its people, told apart by all their works, which may lie in several shards.
        let path = format!("/api/v1/people?name={}", enc(name));
        assert_eq!(get_json(&one.addr, &path), get_json(&root.addr, &path), "people of {name}");
        let people = arrow(&single, &["people", name, "--json"]);
        let people: Value = serde_json::from_slice(&people.stdout).unwrap();
        assert_eq!(people, get_json(&one.addr, &format!("/api/v1/people?name={}", enc(name))), "as the API");
        for p in people["people"].as_array().into_iter().flatten().take(2) {
            let id = p["id"].as_str().unwrap();
            let path = format!("/api/v1/people/{}", enc(id));
            assert_eq!(get_json(&one.addr, &path), get_json(&root.addr, &path), "person {id}");
        }
    }
    // People whose names fit a surname alone: a person's works may lie in several shards, and are summed.
    let mut fitted = 0;
    for name in &names {
        let surname = name.split_whitespace().last().unwrap_or_default();
        let path = format!("/names/{}", enc(surname));
        let section = |addr: &str| {
            let (_, body) = get(addr, &path).expect("the name page answers");
            body.find("People whose names fit it").map(|at| body[at..].to_string())
        };
        let single_section = section(&one.addr);
        fitted += usize::from(single_section.is_some());
        assert_eq!(single_section, section(&root.addr), "people fitting {surname}");
    }
    assert!(fitted > 0, "some surname alone fits people");
    // Explanations need a data directory's model: the root refuses them, and its person pages offer no why? link.
    let name = names.iter().next().unwrap();
    let people: Value = serde_json::from_slice(&arrow(&single, &["people", name, "--json"]).stdout).unwrap();
    let person = format!("/people/{}", enc(people["people"][0]["id"].as_str().unwrap()));
    let (status, html) = get(&root.addr, &person).unwrap();
    assert!(status == 200 && html.contains("<h2>Papers</h2>") && !html.contains("class=\"why\""), "{html}");
    let (status, body) = get(&root.addr, "/api/v1/explain?a=x%231&b=y%231").unwrap();
    assert!(status == 400 && body.contains("not available on a sharded root"), "{body}");
    let some = page["results"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/works/{}", enc(some));
    assert_eq!(get_json(&one.addr, &path), get_json(&root.addr, &path));

    // Load while one replica is SIGKILLed, then while the shard list is swapped: no request fails.
    let failures = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..2)
        .map(|t| {
            let (addr, failures, answered, stop) =
                (root.addr.clone(), failures.clone(), answered.clone(), stop.clone());
            let qs: Vec<String> = queries.iter().skip(t * 50).take(100).map(|q| q.to_string()).collect();
            std::thread::spawn(move || {
                for q in qs.iter().cycle() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    match get(&addr, &format!("/api/v1/works?search={}&per_page=10", enc(q))) {
                        Some((200, body)) if !body.contains("\"partial\"") => answered.fetch_add(1, Ordering::Relaxed),
                        other => {
                            eprintln!("failed: {q}: {other:?}");
                            failures.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(3));
    let mut leaves = leaves;
    let killed = &mut leaves[0][0];
    sigkill(killed.child.id());
    let _ = killed.child.wait();
    std::thread::sleep(Duration::from_secs(12));
    // A new set: the same corpus cut in 2 shards, one replica each, swapped in by rewriting the list.
    arrow(&single, &["split", "--shards", "2", tmp.path().join("s2").to_str().unwrap()]);
    let new: Vec<Server> = (0..2).map(|i| leaf(&tmp.path().join(format!("s2/shard-{i}")))).collect();
    write_spec(&spec, &new.iter().map(|s| vec![s]).collect::<Vec<_>>());
    std::thread::sleep(Duration::from_secs(3));
    drop(leaves);
    std::thread::sleep(Duration::from_secs(12));
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    assert_eq!(failures.load(Ordering::Relaxed), 0, "requests failed");
    assert!(answered.load(Ordering::Relaxed) > 20, "the load ran: {}", answered.load(Ordering::Relaxed));
    let path = "/api/v1/works?search=learning&per_page=10";
    same_page(&get_json(&one.addr, path), &get_json(&root.addr, path), "after the swap");

    // Every replica of a shard down: the answer says it is partial, the page says so.
    let mut new = new;
    drop(new.remove(1));
    let v = get_json(&root.addr, path);
    assert_eq!(v["meta"]["partial"], true, "{v}");
    assert!(v["meta"]["count"].as_u64().unwrap() < get_json(&one.addr, path)["meta"]["count"].as_u64().unwrap());
    let (status, html) = get(&root.addr, "/search?q=learning").unwrap();
    assert_eq!(status, 200);
    assert!(html.contains("could not be reached"), "{html}");
}

/// SIGKILL, as a crash would end a replica.
fn sigkill(pid: u32) {
    let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
}
