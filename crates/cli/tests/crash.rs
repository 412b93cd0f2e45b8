//! Killing `arrow ingest` with SIGKILL at many points: the store opens, what was committed is intact,
//! the index agrees with the store, and a re-run finishes the job without duplicates.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dblp-20k.jsonl.xz");
const WORKS: usize = 20_000;

fn arrow(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_arrow"));
    c.arg("--data-dir").arg(data).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn stat(data: &Path, key: &str) -> usize {
    let out = arrow(data).arg("stats").output().unwrap();
    assert!(out.status.success(), "stats failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).unwrap().parse().unwrap()
}

fn total_hits(data: &Path, q: &str) -> usize {
    let out = arrow(data).args(["search", "--json", q]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["total"].as_u64().unwrap() as usize
}

#[test]
fn sigkill_mid_ingest_loses_nothing_committed_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut last = 0;
    let mut mid_way = 0;
    // Kill later each round; each run resumes where the store stands.
    for delay_ms in [150u64, 300, 450, 600, 900, 1300] {
        let mut child = arrow(data).args(["ingest", "--batch-size", "500", CORPUS]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let works = stat(data, "works");
        assert!(works >= last, "committed works never disappear ({works} < {last})");
        assert!(works <= WORKS);
        assert_eq!(works % 500, 0, "only whole batches are committed ({works})");
        assert_eq!(total_hits(data, ""), works, "after reopening, the index agrees with the store");
        eprintln!("killed after {delay_ms} ms: {works} works committed");
        mid_way += usize::from(works > last && works < WORKS);
        last = works;
    }
    assert!(mid_way >= 2, "the kills should land mid-ingest more than once; adjust the delays");
    let out = arrow(data).args(["ingest", CORPUS]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("added {}", WORKS - last)), "{err}");
    assert_eq!(stat(data, "works"), WORKS, "no duplicates, nothing missing");
    assert_eq!(total_hits(data, ""), WORKS);
}

/// A full disk, simulated by a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail with
/// EFBIG as on a full disk; permission bits would not stop root, who runs CI): a clear error, exit 1,
/// nothing corrupted, and the same ingest completes once there is room.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error_and_corrupts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/christopher-re.jsonl");
    assert!(arrow(data).args(["ingest", demo]).output().unwrap().status.success());
    let script = format!(
        "trap '' XFSZ; ulimit -f 3000; exec '{}' --data-dir '{}' ingest --batch-size 2000 '{}'",
        env!("CARGO_BIN_EXE_arrow"),
        data.display(),
        CORPUS
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("disk full or read-only"), "{err}");
    let check = arrow(data).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let before = stat(data, "works");
    assert!((107..WORKS + 107).contains(&before));
    let out = arrow(data).args(["ingest", CORPUS]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stat(data, "works"), WORKS + 107);
    assert!(arrow(data).arg("check").output().unwrap().status.success());
}
