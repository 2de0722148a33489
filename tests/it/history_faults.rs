//! The history file misbehaving under a running `wadash watch` (the real
//! binary, the real sandbox, real files): truncated, replaced, a full disk
//! (a small tmpfs in a user and mount namespace) freed again, and a clean
//! stop followed by a restart.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use crate::common::debs::ensure_debs;
use crate::common::sandbox::{Env, env_with};
use crate::common::watch::{Watch, config_text};

const WAIT: Duration = Duration::from_secs(30);

fn config(env: &Env, db: &Path) -> String {
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    let mut text = config_text(&env.sandbox.base_url(), &ids, "");
    text.push_str(&format!("[history]\npath = \"{}\"\n", db.display()));
    text
}

/// Periods in the file at `path`, as a reader sees it (0 while unreadable).
fn periods(path: &Path) -> i64 {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT count(*) FROM periods", [], |r| r.get(0)))
        .unwrap_or(0)
}

fn wait_until(what: &str, within: Duration, w: &Watch, ok: impl Fn() -> bool) {
    let deadline = Instant::now() + within;
    while !ok() {
        assert!(
            Instant::now() < deadline,
            "no {what} within {within:?}:\n{}",
            w.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn notices(w: &Watch, word: &str) -> Vec<String> {
    w.stderr()
        .lines()
        .filter(|l| l.contains("history_notice") && l.contains(word))
        .map(str::to_string)
        .collect()
}

fn stop_writes(w: &mut Watch) -> String {
    w.signal(Signal::SIGTERM);
    assert!(w.wait_exit(WAIT).is_some_and(|s| s.success()));
    std::thread::sleep(Duration::from_millis(100));
    let stop = w.wait_line("the stop line", WAIT, |l| l.contains("\"event\":\"stop\""));
    let v: Value = serde_json::from_str(&stop).unwrap();
    v["writes"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn truncated_then_replaced_under_watch_each_said_once_and_history_resumes() {
    let env = env_with(|o| o.instances = 3).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let mut w = Watch::spawn(
        &config(&env, &db),
        &env.sandbox.api_key,
        &["--interval", "1s", "--log-format", "json"],
    );
    wait_until("history", WAIT, &w, || periods(&db) >= 3);

    std::fs::write(&db, b"").unwrap();
    w.wait_line("the truncation notice", WAIT, |l| {
        l.contains("history_notice") && l.contains("truncated")
    });
    wait_until("history in a proper file", WAIT, &w, || periods(&db) >= 3);
    let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    let other = dir.path().join("other.db");
    std::fs::write(&other, b"").unwrap();
    std::fs::rename(&other, &db).unwrap();
    w.wait_line("the replacement notice", WAIT, |l| {
        l.contains("history_notice") && l.contains("replaced")
    });
    wait_until("history in the new file", WAIT, &w, || periods(&db) >= 3);
    // A few more rounds: still one notice each.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(notices(&w, "truncated").len(), 1, "{}", w.stderr());
    assert_eq!(notices(&w, "replaced").len(), 1, "{}", w.stderr());
    assert!(!notices(&w, "").iter().any(|n| n.contains("dashboard")));
    assert_eq!(stop_writes(&mut w), "some lost");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_pauses_history_and_freeing_space_resumes_it() {
    ensure_debs(&["util-linux"]);
    let env = env_with(|o| o.instances = 3).await;
    let outside = tempfile::tempdir().unwrap();
    let small = outside.path().join("small");
    std::fs::create_dir(&small).unwrap();
    let db = small.join("history.db");
    // A 2 MiB tmpfs seen only by the watch (a user and mount namespace:
    // no root needed); the test reaches it through /proc/PID/root.
    let mount = format!(
        "mount -t tmpfs -o size=2m tmpfs '{}' && exec \"$@\"",
        small.display()
    );
    let mut w = Watch::spawn_via(
        &[
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            &mount,
            "sh",
        ],
        &config(&env, &db),
        &env.sandbox.api_key,
        &["--interval", "1s", "--log-format", "json"],
    );
    let inside = |p: &Path| -> PathBuf {
        PathBuf::from(format!("/proc/{}/root", w.child.id())).join(p.strip_prefix("/").unwrap())
    };
    let db_inside = inside(&db);
    wait_until("history", WAIT, &w, || periods(&snapshot(&db_inside)) >= 3);
    assert_eq!(periods(&db), 0, "the file lives in the namespace's tmpfs");

    let filler = inside(&small.join("filler"));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&block[..512]).is_ok() {}
        let _ = f.sync_all();
    }
    let (at, _) = w.wait_line_from(0, "the full-disk notice", WAIT, |l| {
        l.contains("history_notice") && l.contains("the disk is full")
    });
    let line = &w.stderr().lines().nth(at).unwrap().to_string();
    assert!(line.contains("alerts go on"), "worded for watch: {line}");
    assert!(!line.contains("dashboard"), "{line}");
    let stalled = max_last_seen(&snapshot(&db_inside));
    std::thread::sleep(Duration::from_secs(3));
    std::fs::remove_file(&filler).unwrap();
    let freed = w.line_count();
    w.wait_line_from(freed, "history resuming", Duration::from_secs(60), |l| {
        l.contains("history_notice") && l.contains("resumed")
    });
    wait_until("new checks in the file", WAIT, &w, || {
        max_last_seen(&snapshot(&db_inside)) > stalled + 3000
    });
    assert_eq!(notices(&w, "the disk is full").len(), 1, "{}", w.stderr());
    assert_eq!(
        stop_writes(&mut w),
        "flushed",
        "kept in memory, nothing lost"
    );
}

/// A copy of the file and its WAL, readable from here: SQLite resolves
/// `/proc/PID/root` to our own root, so the namespace's file cannot be
/// opened in place.
fn snapshot(path: &Path) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let copy = dir.join("history.db");
    let _ = std::fs::copy(path, &copy);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let _ = std::fs::copy(PathBuf::from(wal), dir.join("history.db-wal"));
    copy
}

fn max_last_seen(path: &Path) -> i64 {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row(
                "SELECT coalesce(max(last_seen_ms), 0) FROM periods",
                [],
                |r| r.get(0),
            )
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clean_stop_then_a_restart_five_seconds_later_leaves_an_unobserved_gap() {
    let env = env_with(|o| o.instances = 2).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let text = config(&env, &db);
    let args = ["--interval", "1s", "--log-format", "json"];
    let mut first = Watch::spawn(&text, &env.sandbox.api_key, &args);
    wait_until("history", WAIT, &first, || periods(&db) >= 2);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(stop_writes(&mut first), "flushed");
    std::thread::sleep(Duration::from_secs(5));
    let mut second = Watch::spawn(&text, &env.sandbox.api_key, &args);
    wait_until("history after the restart", WAIT, &second, || {
        periods(&db) >= 4
    });
    stop_writes(&mut second);
    let conn = Connection::open(&db).unwrap();
    for i in &env.sandbox.instances {
        let mut stmt = conn
            .prepare(
                "SELECT start_ms, coalesce(end_ms, last_seen_ms + grace_ms) FROM periods \
                 WHERE instance_id = ?1 ORDER BY start_ms",
            )
            .unwrap();
        let spans: Vec<(i64, i64)> = stmt
            .query_map([&i.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(spans.len() >= 2, "{spans:?}");
        let gap = spans[1].0 - spans[0].1;
        assert!(
            gap >= 4_000,
            "{}: {gap} ms unobserved between the stop and the restart ({spans:?})",
            i.id
        );
    }
}
