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

/// A read-only data directory. Root (who runs CI) ignores permission bits, so the ingest runs in a new
/// user namespace where it is an unprivileged user; where user namespaces are unavailable the test says
/// so and checks nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_data_directory_is_a_clear_error_and_corrupts_nothing() {
    use std::os::unix::fs::PermissionsExt;
    if !Command::new("unshare").args(["-U", "true"]).status().is_ok_and(|s| s.success()) {
        eprintln!("unshare -U is not available here; read-only directory not tested");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/christopher-re.jsonl");
    assert!(arrow(&data).args(["ingest", demo]).output().unwrap().status.success());
    let set_mode = |mode: u32| {
        for entry in walk(&data) {
            let m = if entry.is_dir() { mode | 0o111 } else { mode };
            std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(m)).unwrap();
        }
    };
    set_mode(0o444);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new("unshare")
        .arg("-U")
        .arg(env!("CARGO_BIN_EXE_arrow"))
        .arg("--data-dir")
        .arg(&data)
        .args(["ingest", CORPUS])
        .output()
        .unwrap();
    set_mode(0o644);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("readonly") || err.contains("read-only"), "{err}");
    assert!(arrow(&data).arg("check").output().unwrap().status.success());
    assert_eq!(stat(&data, "works"), 107);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
