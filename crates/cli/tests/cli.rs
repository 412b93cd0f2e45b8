//! The `arrow` binary as a user runs it.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/christopher-re.jsonl");

/// A data directory holding the demo corpus, disambiguated.
fn disambiguated_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(arrow(dir.path(), &["ingest", DEMO]).status.success());
    assert!(arrow(dir.path(), &["disambiguate"]).status.success());
    dir
}

fn arrow(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_arrow")).arg("--data-dir").arg(data).args(args).output().unwrap()
}

/// `arrow --data-dir DATA ARGS...` in the background, its output discarded (a server, an ingest).
fn spawn(data: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_arrow"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A loopback address no one is listening on.
fn free_addr() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("127.0.0.1:{port}")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn ingest_then_search_and_name_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = arrow(dir.path(), &["ingest", DEMO]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("added 107"));

    let out = arrow(dir.path(), &["search", "\"heavy-hitter oracle\""]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let first = stdout.lines().nth(1).unwrap();
    assert!(first.contains("H2O: Heavy-Hitter Oracle"), "{stdout}");

    let out = arrow(dir.path(), &["search", "--json", "--limit", "3", "hyena"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
    // Flags typed after the query are flags too, not query words.
    let out = arrow(dir.path(), &["search", "hyena", "--limit", "2", "--json"]);
    let after: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(after["hits"].as_array().unwrap().len(), 2);
    assert_eq!(after["total"], v["total"]);

    let out = arrow(dir.path(), &["name", "--json", "christopher ré"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["works"].as_array().unwrap().len(), 107);

    let out = arrow(dir.path(), &["name", "Christopher Ré"]);
    assert!(text(&out.stdout).starts_with("Christopher Ré\n107 papers\n1 author row\n"));
    let out = arrow(dir.path(), &["name", " "]);
    assert_eq!(out.status.code(), Some(1), "an empty name is a mistake");
    assert!(text(&out.stderr).contains("name an author"), "{}", text(&out.stderr));
    let out = arrow(dir.path(), &["name", "Christopher Re"]);
    assert!(out.status.success() && text(&out.stderr).contains("`arrow people` also finds"));
}

#[test]
fn dblp_person_records_are_counted_and_give_author_rows() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/tests/fixtures/dblp-xml/persons.xml");
    let out = arrow(dir.path(), &["ingest", fixture]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("person records (DBLP homepages): read 3, added or changed 3"),
        "{}",
        text(&out.stderr)
    );
    let again = arrow(dir.path(), &["ingest", fixture]);
    assert!(text(&again.stderr).contains("read 3, added or changed 0"), "{}", text(&again.stderr));
    let out = arrow(dir.path(), &["name", "--json", "Vint Cerf"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["author_rows"], 1);
}

#[test]
fn a_malformed_line_fails_with_its_location_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    assert!(arrow(dir.path(), &["ingest", DEMO]).status.success());
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\":\"n:1\",\"title\":\"Fine\"}\n{oops}\n{\"id\":\"n:2\",\"title\":\"Also fine\"}\n")
        .unwrap();
    let bad = bad.display().to_string();
    let out = arrow(dir.path(), &["ingest", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{bad}:2: invalid JSON")), "{err}");
    let stats = text(&arrow(dir.path(), &["stats"]).stdout);
    assert!(stats.contains("works: 108"), "{stats}");

    let out = arrow(dir.path(), &["ingest", "--skip-bad", &bad]);
    assert!(out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("skipped 1"), "{err}");
    assert!(err.contains(":2: invalid JSON"), "{err}");
    assert!(text(&arrow(dir.path(), &["stats"]).stdout).contains("works: 109"));
}

#[test]
fn usage_errors_exit_2_and_unknown_files_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(arrow(dir.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(arrow(dir.path(), &["ingest", "--format", "nope", DEMO]).status.code(), Some(2));
    // A page out of range is refused as the API refuses it, not cut to 100 without a word.
    for limit in ["0", "500", "x"] {
        let out = arrow(dir.path(), &["search", "graph", "--limit", limit]);
        assert_eq!(out.status.code(), Some(2), "{limit}");
        assert!(text(&out.stderr).contains("--limit"), "{}", text(&out.stderr));
    }
    let out = arrow(dir.path(), &["ingest", "/no/such/file.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("/no/such/file.jsonl"));
}

#[test]
fn a_mistyped_data_dir_is_an_error_not_an_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-data");
    for args in [&["curate", "history"][..], &["stats"], &["people", "Ce Zhang"], &["search", "x"]] {
        let out = arrow(&missing, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains("no Arrow data in"), "{args:?}: {}", text(&out.stderr));
    }
    assert!(!missing.exists(), "nothing created");
}

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly() {
    let dir = disambiguated_demo();
    // `arrow people Chen | head -1`: the reader goes after the first line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_arrow"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["people", "Christopher Ré"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?} {err}", out.status);
}

#[test]
fn a_person_prints_their_papers_span_and_lists_that_say_what_they_leave_out() {
    let dir = disambiguated_demo();
    let out = arrow(dir.path(), &["people", "Christopher Ré", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = v["people"][0]["id"].as_str().unwrap().to_string();
    let out = arrow(dir.path(), &["person", &id]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let heading = shown.lines().next().unwrap_or_default();
    assert!(heading.starts_with(&format!("Christopher Ré ({id}): 107 papers, ")), "{heading}");
    let coauthors = shown.lines().find(|l| l.starts_with("coauthors: ")).unwrap_or_default();
    assert!(coauthors.contains(" more"), "the ten commonest of many, and how many more: {coauthors}");
    // Counted as the person page counts them: coauthors as people.
    let out = arrow(dir.path(), &["person", &id, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = &v["coauthor_people"][0];
    let first = format!("coauthors: {} ({})", top["names"][0][0].as_str().unwrap(), top["works"]);
    assert!(coauthors.starts_with(&first), "{first} / {coauthors}");
}

#[test]
fn people_by_surname_or_initials_lists_the_names_that_fit() {
    let dir = disambiguated_demo();
    let out = arrow(dir.path(), &["people", "M.", "Chen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut lines = text(&out.stdout).lines().map(String::from).collect::<Vec<_>>().into_iter();
    let heading = lines.next().unwrap_or_default();
    assert!(heading.starts_with("no one is named \"M. Chen\" exactly"), "{heading}");
    let first = lines.next().unwrap_or_default();
    assert!(first.contains("Mayee F. Chen") && first.contains("Mayee Chen"), "one person, both names: {first}");
    let out = arrow(dir.path(), &["people", "Nobodyhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nor with a name that fits it"), "{}", text(&out.stderr));
    // Someone writes "M. Chen" exactly: that person first, then the others the initial fits.
    let more = dir.path().join("m-chen.jsonl");
    let line = r#"{"id":"test:m-chen","title":"Soil moisture under maize","year":1998,"venue":"Agron. J.","authors":["M. Chen","Q. Farmer"]}"#;
    std::fs::write(&more, format!("{line}\n")).unwrap();
    assert!(arrow(dir.path(), &["ingest", more.to_str().unwrap()]).status.success());
    assert!(arrow(dir.path(), &["disambiguate"]).status.success());
    let out = arrow(dir.path(), &["people", "M.", "Chen"]);
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert!(lines[0].contains("1 work under this name"), "{lines:?}");
    assert_eq!(lines[1], "other people whose names fit \"M. Chen\", the most published first:", "{lines:?}");
    assert!(lines[2..].iter().any(|l| l.contains("Mayee F. Chen")), "{lines:?}");
}

#[test]
fn reindex_rebuilds_the_index_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    assert!(arrow(dir.path(), &["ingest", DEMO]).status.success());
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let out = arrow(dir.path(), &["reindex"]);
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("reindexed 107 works"));
    assert!(text(&arrow(dir.path(), &["search", "hyena"]).stdout).starts_with("6 results"));
}

#[test]
fn demo_loads_the_corpus_and_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let mut child = spawn(dir.path(), &["demo", "--addr", &addr]);
    // The server binds only after loading the demo; until then, and if a connection is cut while it
    // starts, try again.
    let deadline = Instant::now() + Duration::from_secs(60);
    let body = loop {
        if let Some(b) = http_get(&addr, "/names/Christopher%20R%C3%A9") {
            break b;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(body.starts_with("HTTP/1.0 200") || body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("107 papers"));
}

fn http_get(addr: &str, path: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    Some(buf)
}

#[test]
fn searches_keep_answering_while_an_ingest_runs_and_then_see_its_works() {
    let dir = tempfile::tempdir().unwrap();
    assert!(arrow(dir.path(), &["ingest", DEMO]).status.success());
    let addr = free_addr();
    let mut server = spawn(dir.path(), &["serve", "--addr", &addr]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while http_get(&addr, "/api/v1/stats").is_none() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dblp-20k.jsonl.xz");
    let mut ingest = spawn(dir.path(), &["ingest", "--batch-size", "2000", corpus]);
    let mut answered = 0;
    let done = loop {
        let body = http_get(&addr, "/api/v1/search?q=hyena").expect("the server answers during the ingest");
        assert!(body.starts_with("HTTP/1.1 200") || body.starts_with("HTTP/1.0 200"), "{body}");
        assert!(body.contains("\"total\":6"), "the demo's works stay visible: {body}");
        answered += 1;
        if let Some(status) = ingest.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(done.success());
    assert!(answered > 3, "searches ran while ingesting ({answered})");
    // New works become visible once committed (the reader reloads shortly after a commit).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let body = http_get(&addr, "/api/v1/search?q=&limit=1").unwrap();
        if body.contains("\"total\":20107") {
            break;
        }
        assert!(Instant::now() < deadline, "new works never appeared: {body}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn after_disambiguation_an_ingest_reports_its_people_and_bench_assign_prints_figures() {
    let dir = tempfile::tempdir().unwrap();
    assert!(arrow(dir.path(), &["ingest", DEMO]).status.success());
    let out = arrow(dir.path(), &["bench", "assign", "--data", dir.path().to_str().unwrap(), "--works", "5"]);
    assert_eq!(out.status.code(), Some(1), "no people yet: {}", text(&out.stderr));
    assert!(arrow(dir.path(), &["disambiguate"]).status.success());
    let new = dir.path().join("new.jsonl");
    std::fs::write(
        &new,
        r#"{"id":"test:new","title":"Long convolutions for language models","year":2025,"venue":"NeurIPS","authors":["Tri Dao","Christopher Ré"]}"#,
    )
    .unwrap();
    let out = arrow(dir.path(), &["ingest", new.to_str().unwrap()]);
    assert!(
        text(&out.stderr).contains("people: 2 authorships joined existing people, 0 started new people"),
        "{}",
        text(&out.stderr)
    );
    let out = arrow(dir.path(), &["bench", "assign", "--data", dir.path().to_str().unwrap(), "--works", "5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for key in ["works: 5", "ms_per_work_p50: ", "ms_per_work_p99: ", "same_person_as_batch_share: "] {
        assert!(stdout.contains(key), "{key} in {stdout}");
    }
}

#[test]
fn an_unrecognised_input_gets_the_format_advice_from_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "just some notes, not a bibliography\n").unwrap();
    let out = arrow(&dir.path().join("data"), &["ingest", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("cannot tell the format from the content; name it with --format (jsonl"), "{err}");
}

/// The HTTP API's explanation is what `arrow explain --json` prints, value for value.
#[test]
fn the_api_explains_two_mentions_as_arrow_explain_json_prints() {
    let dir = disambiguated_demo();
    let a = "seed:neurips-2022-flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness#1";
    let b = "seed:neurips-2020-hippo-recurrent-memory-with-optimal-polynomial-projections#2";
    let out = arrow(dir.path(), &["explain", a, b, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // A mention that is not stored is named, as the web page names it.
    let out = arrow(dir.path(), &["explain", a, "seed:no-such-paper#2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("seed:no-such-paper#2 is not a stored mention"), "{}", text(&out.stderr));
    // A history asked of no one is an error, not an empty list.
    let out = arrow(dir.path(), &["curate", "history", "pnope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no person \"pnope\""), "{}", text(&out.stderr));

    let addr = free_addr();
    let mut server = spawn(dir.path(), &["serve", "--addr", &addr]);
    let path = format!("/api/v1/explain?a={}&b={}", a.replace('#', "%23"), b.replace('#', "%23"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = loop {
        if let Some(r) = http_get(&addr, &path) {
            break r;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = server.kill();
    let _ = server.wait();
    assert!(answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"), "{answer}");
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    let served: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(served, printed);
    assert_eq!(served["names"], serde_json::json!(["Tri Dao", "Tri Dao"]));
}

/// A curation the data no longer bears out is told after an ingest, as after a full run.
#[test]
fn an_ingest_tells_the_curation_conflicts_as_a_full_run_does() {
    let dir = disambiguated_demo();
    let first = |name: &str| text(&arrow(dir.path(), &["people", name]).stdout).split(' ').next().unwrap().to_string();
    let (cho, dao) = (first("Kyunghyun Cho"), first("Tri Dao"));
    let out = arrow(dir.path(), &["curate", "merge", &cho, &dao]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let new = dir.path().join("new.jsonl");
    let paper = r#"{"id":"test:both","title":"State space models for translation","year":2025,"venue":"ICLR","authors":["Kyunghyun Cho","Tri Dao"]}"#;
    std::fs::write(&new, paper).unwrap();
    let out = arrow(dir.path(), &["ingest", new.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("curation conflict: curation 1 (merge): merges \"Kyunghyun Cho\" and \"Tri Dao\""), "{err}");
}

/// A file that is not there is named once with its cause once; a file read as a format it is not says so.
#[test]
fn a_missing_file_and_a_wrong_format_are_told_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.bib");
    let out = arrow(&dir.path().join("data"), &["ingest", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    let out = arrow(&dir.path().join("data"), &["ingest", "--format", "bibtex", DEMO]);
    let err = text(&out.stderr);
    assert!(err.contains("no record found, read as bibtex (as named with --format)"), "{err}");
}

/// An address another program holds is named, with the way to choose another.
#[test]
fn serving_on_an_address_in_use_names_it_and_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    assert!(arrow(dir.path(), &["ingest", DEMO]).status.success());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = arrow(dir.path(), &["serve", "--addr", &addr]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("cannot serve on {addr}")) && err.contains("--addr"), "{err}");
}

/// Regression (a new-user test): an export lists every version of a paper, where a search page shows one.
#[test]
fn an_export_lists_each_version_of_a_paper() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.jsonl");
    let paper = |id: &str, venue: &str| {
        format!(
            r#"{{"id":"{id}","title":"Co-Parsing with Competitive Models","year":2009,"venue":"{venue}","authors":["Lidia Khmylko","Kilian A. Foth"]}}"#
        )
    };
    std::fs::write(&file, [paper("x:1", "IWPT"), paper("x:2", "RANLP")].join("\n")).unwrap();
    assert!(arrow(dir.path(), &["ingest", file.to_str().unwrap()]).status.success());
    assert!(text(&arrow(dir.path(), &["versions"]).stdout).contains("x:2"), "one paper at two venues");
    let out = arrow(dir.path(), &["export", "--format", "ris", "khmylko"]);
    assert_eq!(text(&out.stdout).matches("TY  - ").count(), 2, "{}", text(&out.stdout));
}
