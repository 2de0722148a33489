//! The history store end to end: the real binary against a real sandbox,
//! a real SQLite file. Drops and relinks go through the sandbox's control
//! routes; what `history --json` and `report --json` say is read back.
//! Also: two processes writing at once, `kill -9` during heavy writes, a
//! damaged file moved aside.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use wadash::sandbox::{self, RunningSandbox, SandboxOptions};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

struct Env {
    sandbox: RunningSandbox,
    dir: tempfile::TempDir,
    http: reqwest::Client,
}

async fn env(instances: usize) -> Env {
    let mut opts = SandboxOptions::for_tests();
    opts.instances = instances;
    let _ = wadash::api::Client::new();
    let env = Env {
        sandbox: sandbox::start(opts).await.expect("sandbox starts"),
        dir: tempfile::tempdir().unwrap(),
        http: reqwest::Client::new(),
    };
    let mut config = format!(
        "[[account]]\nname = \"t\"\nbase_url = \"{}\"\napi_key = \"{}\"\n\n",
        env.sandbox.base_url(),
        env.sandbox.api_key
    );
    for i in &env.sandbox.instances {
        config.push_str(&format!(
            "[[instance]]\nid = \"{}\"\nlabel = \"{}\"\n\n",
            i.id, i.label
        ));
    }
    config.push_str(&format!("[history]\npath = \"{}\"\n", env.db().display()));
    std::fs::write(env.dir.path().join("config.toml"), config).unwrap();
    env
}

impl Env {
    fn db(&self) -> PathBuf {
        self.dir.path().join("history.db")
    }

    fn command(&self) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        let home = self.dir.path();
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("xdg-config"))
            .env("XDG_DATA_HOME", home.join("xdg-data"))
            .env("NO_COLOR", "1")
            .env_remove("WADASH_API_KEY")
            .env_remove("WADASH_CONFIG")
            .arg("--config")
            .arg(home.join("config.toml"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    async fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.command().args(args).output().await.unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert!(!stdout.contains(&self.sandbox.api_key) && !stderr.contains(&self.sandbox.api_key));
        (out.status.code().unwrap_or(-1), stdout, stderr)
    }

    async fn json(&self, args: &[&str]) -> Value {
        let (code, stdout, stderr) = self.run(args).await;
        assert_eq!(code, 0, "{args:?}: {stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    }

    async fn control(&self, id: &str, action: &str) {
        let url = format!(
            "{}/_sandbox/instances/{id}/{action}",
            self.sandbox.base_url()
        );
        let resp = self.http.post(url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
    }

    fn active_id(&self) -> String {
        self.sandbox
            .instances
            .iter()
            .find(|i| i.active)
            .unwrap()
            .id
            .clone()
    }
}

fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_drop_and_a_relink_show_in_history_and_report_across_runs() {
    let env = env(3).await;
    let id = env.active_id();
    // Run 1: active. Then it drops; run 2 sees it; it is linked again; run 3.
    env.run(&["status", &id]).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.control(&id, "drop").await;
    let (code, _, _) = env.run(&["status", &id]).await;
    assert_eq!(code, 1, "inactive now");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.control(&id, "scan").await;
    env.run(&["status", &id]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let history = env.json(&["history", &id, "--json"]).await;
    let rows = history.as_array().unwrap();
    let states: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        ["active", "inactive", "active"],
        "newest first: {history:#}"
    );
    assert!(rows[0]["end"].is_null(), "the current period is ongoing");
    assert_eq!(rows[1]["end"], rows[0]["start"], "contiguous");
    assert_eq!(rows[2]["end"], rows[1]["start"]);
    for r in rows {
        assert_eq!(r["id"], id);
        assert_eq!(r["cause"], "poll");
        for key in ["id", "label", "status", "start", "end", "detail", "cause"] {
            assert!(r.get(key).is_some(), "{key} missing: {r}");
        }
        assert_eq!(
            r.as_object().unwrap().len(),
            7,
            "exactly the documented fields"
        );
    }

    let report = env.json(&["report", "--format", "json", &id]).await;
    let r = &report[0];
    assert_eq!(r["drops"], 1, "{report:#}");
    let uptime = r["uptime_pct"].as_f64().unwrap();
    assert!(uptime > 10.0 && uptime < 95.0, "plausible: {uptime}");
    assert!(r["down_s"].as_u64().unwrap() >= 1);
    assert_eq!(r["error_s"], 0);
    assert_eq!(r.as_object().unwrap().len(), 9);

    // Instances never checked are in the report with nothing observed.
    let all = env.json(&["report", "--format", "json"]).await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let never = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] != id)
        .unwrap();
    assert!(never["uptime_pct"].is_null());

    let (_, csv, _) = env.run(&["report", "--format", "csv", &id]).await;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,label,uptime_pct,drops,down_s,longest_down_s,mttr_s,observed_s,error_s,planned_s")
    );
    assert!(lines.next().unwrap().starts_with(&format!("{id},")));
    assert_eq!(integrity(&env.db()), "ok");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(env.db()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_writing_at_once_lose_and_double_nothing() {
    let env = env(40).await;
    let rounds = 6;
    for _ in 0..rounds {
        let (a, b) = tokio::join!(env.run(&["status"]), env.run(&["status"]));
        for (_, _, stderr) in [&a, &b] {
            assert!(!stderr.contains("history"), "{stderr}");
        }
    }
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let (periods, open): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE end_ms IS NULL) FROM periods",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (periods, open),
        (40, 40),
        "one period per unchanged instance"
    );
    let checks: i64 = conn
        .query_row("SELECT sum(checks) FROM latency_hourly", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        checks,
        2 * rounds * 40,
        "every check of both processes, once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_file_is_moved_aside_with_a_notice_and_a_new_one_started() {
    let env = env(2).await;
    let junk = b"PK\x03\x04 definitely not sqlite ".repeat(300);
    std::fs::write(env.db(), &junk).unwrap();
    let (_, _, stderr) = env.run(&["status"]).await;
    assert!(
        stderr.contains("damaged") && stderr.contains("kept as"),
        "{stderr}"
    );
    let aside: Vec<PathBuf> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("history.db.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        junk,
        "never deleted, never changed"
    );
    assert_eq!(integrity(&env.db()), "ok");
    let report = env.json(&["report", "--format", "json"]).await;
    assert_eq!(report.as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn history_refuses_unknown_ids_and_says_when_nothing_is_recorded() {
    let env = env(1).await;
    let (code, _, stderr) = env.run(&["history"]).await;
    assert_eq!(code, 2);
    assert!(stderr.contains("no history yet"), "{stderr}");
    env.run(&["status"]).await;
    let (code, _, stderr) = env.run(&["history", "nope\u{1b}[2J"]).await;
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown instance") && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
}

/// The child half of the kill -9 test: writes as fast as the writer takes
/// it until killed. Does nothing unless the parent asked for it.
#[test]
fn heavy_writer_child() {
    let Ok(path) = std::env::var("WADASH_TEST_HEAVY_WRITER") else {
        return;
    };
    use wadash::domain::{Cause, Observation, Seen};
    use wadash::history::{History, WriterOptions};
    let history = History::spawn(
        WriterOptions {
            path: PathBuf::from(path),
            grace: Duration::from_secs(30),
            retention: Duration::from_secs(86_400),
        },
        Box::new(|n| eprintln!("{n}")),
    );
    let mut n: u64 = 0;
    loop {
        for i in 0..2000u64 {
            n += 1;
            history.record(Observation {
                id: format!("inst-{i}"),
                at: std::time::SystemTime::now(),
                kind: if (n / 2000 + i).is_multiple_of(3) {
                    Seen::Inactive
                } else {
                    Seen::Active
                },
                detail: Some("x".repeat(40)),
                cause: Cause::Poll,
                latency: Some(Duration::from_millis(n % 300)),
            });
        }
        history.flush(Duration::from_secs(5));
    }
}

#[test]
fn kill_9_during_heavy_writes_leaves_a_file_that_passes_integrity_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let exe = std::env::current_exe().unwrap();
    let mut last_count = 0i64;
    for round in 0..12u64 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "--exact",
                "history::heavy_writer_child",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("WADASH_TEST_HEAVY_WRITER", &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Somewhere between opening and the middle of a batch.
        std::thread::sleep(Duration::from_millis(150 + (round * 97) % 600));
        let started = Instant::now();
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(child.id() as i32),
            nix::sys::signal::Signal::SIGKILL,
        )
        .unwrap();
        child.wait().unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(integrity(&path), "ok", "after kill {round}");
        let conn = rusqlite::Connection::open(&path).unwrap();
        let count: i64 = conn
            .query_row("SELECT count(*) FROM periods", [], |r| r.get(0))
            .unwrap_or(0);
        assert!(count >= last_count, "committed periods never vanish");
        last_count = count;
    }
    assert!(last_count > 0, "the child did write");
}

/// `wadash disconnect` (the CLI's `D`) is planned downtime: the report
/// counts it apart, not as a drop; a drop by the server still is one.
#[tokio::test(flavor = "multi_thread")]
async fn a_disconnect_made_by_the_operator_is_planned_downtime_not_a_drop() {
    let env = env(3).await;
    let id = env.active_id();
    env.run(&["status", &id]).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (code, _, stderr) = env.run(&["disconnect", &id]).await;
    assert_eq!(code, 0, "{stderr}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (code, _, _) = env.run(&["status", &id]).await;
    assert_eq!(code, 1, "inactive now");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.control(&id, "scan").await;
    env.run(&["status", &id]).await;

    let report = env.json(&["report", "--format", "json", &id]).await;
    let r = &report[0];
    assert_eq!(r["drops"], 0, "{report:#}");
    assert_eq!(r["down_s"], 0, "{report:#}");
    assert!(r["planned_s"].as_u64().unwrap() >= 2, "{report:#}");
    assert_eq!(r["uptime_pct"], 100.0, "{report:#}");
    let history = env.json(&["history", &id, "--json"]).await;
    let causes: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cause"].as_str().unwrap())
        .collect();
    assert!(causes.contains(&"user_disconnect"), "{history:#}");

    // The same gap made by the server is a drop.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.control(&id, "drop").await;
    env.run(&["status", &id]).await;
    let report = env.json(&["report", "--format", "json", &id]).await;
    assert_eq!(report[0]["drops"], 1, "{report:#}");
}
