//! The shipped systemd unit, run the way systemd runs it (issue 18, item
//! 5): `systemd-analyze verify` finds nothing to say, and `wadash watch`
//! started by the unit's own lines, in a mount namespace where the home is
//! read-only except the unit's `ReadWritePaths` (what `ProtectSystem=strict`
//! does to it) and /tmp is private, writes its store.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::debs::ensure_debs;
use crate::common::sandbox::env_with;
use crate::common::watch::{BIN, KEY_VAR, Watch, config_text};
use nix::sys::signal::Signal;

const WAIT: Duration = Duration::from_secs(30);
const UNIT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/systemd/wadash-watch.service"
);

/// The values of `key=` lines in the unit's [Service], `%h` expanded.
fn values(unit: &str, key: &str, home: &Path) -> Vec<String> {
    unit.lines()
        .filter_map(|l| l.trim().strip_prefix(&format!("{key}=")))
        .map(|v| v.replace("%h", &home.display().to_string()))
        .collect()
}

/// A home outside /tmp, which the unit makes private: under target/, or
/// under /var/tmp when the checkout itself lives in /tmp (a fresh clone there).
fn home() -> tempfile::TempDir {
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    if target.starts_with("/tmp") {
        tempfile::tempdir_in("/var/tmp").unwrap()
    } else {
        tempfile::tempdir_in(target).unwrap()
    }
}

#[test]
fn systemd_analyze_verify_finds_nothing() {
    ensure_debs(&["systemd"]);
    let home = home();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("wadash")).unwrap();
    let runtime = home.path().join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    // A user manager's runtime dir is all --user needs; no running systemd.
    let out = Command::new("systemd-analyze")
        .args(["verify", "--user", UNIT])
        .env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", &runtime)
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    // verify exits 0 on unknown keys and bad values, only saying so.
    assert!(said.trim().is_empty(), "systemd-analyze verify:\n{said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn under_the_units_sandbox_the_store_is_written() {
    ensure_debs(&["util-linux", "mount"]);
    assert!(
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() } == 0,
        "a mount namespace needs root (unshare -m)"
    );
    let env = env_with(|o| o.instances = 3).await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    let home = home();
    let h = home.path();
    let unit = std::fs::read_to_string(UNIT).unwrap();
    let config_dir = h.join(".config/wadash");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        config_text(&env.sandbox.base_url(), &ids, ""),
    )
    .unwrap();
    let bin = h.join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    // The binary itself, not a link: the checkout may be under the private /tmp.
    if std::fs::hard_link(BIN, bin.join("wadash")).is_err() {
        std::fs::copy(BIN, bin.join("wadash")).unwrap();
    }

    // ExecStartPre=+…: outside the sandbox, before it is set up.
    for pre in values(&unit, "ExecStartPre", h) {
        let privileged = pre.strip_prefix('+').unwrap_or(&pre).to_string();
        let words: Vec<&str> = privileged.split_whitespace().collect();
        let status = Command::new(words[0]).args(&words[1..]).status().unwrap();
        assert!(status.success(), "{pre}");
    }
    assert_eq!(values(&unit, "ProtectSystem", h), ["strict"]);
    assert_eq!(values(&unit, "PrivateTmp", h), ["yes"]);
    let writable: Vec<String> = values(&unit, "ReadWritePaths", h)
        .iter()
        .flat_map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let exec = values(&unit, "ExecStart", h).pop().expect("ExecStart");
    // Any free port (tests run side by side) and a quick first round.
    let exec = exec.replace("127.0.0.1:9469", "127.0.0.1:0") + " --interval 1s";

    let q = |p: &str| format!("'{}'", p.replace('\'', r"'\''"));
    let mut script = String::from("set -e\nmount --make-rprivate /\n");
    // ProtectSystem=strict: everything read-only, here the home (all of it
    // that wadash could write to), then the unit's exceptions.
    script += &format!(
        "mount --bind {0} {0}\nmount -o remount,bind,ro {0}\n",
        q(&h.display().to_string())
    );
    for p in &writable {
        // A bind of a path under a read-only mount starts read-only too.
        script += &format!("mount --bind {0} {0}\nmount -o remount,bind,rw {0}\n", q(p));
    }
    // The namespace is the one meant: the home itself refuses writes.
    script += &format!(
        "if touch {0} 2>/dev/null; then echo 'home writable' >&2; exit 99; fi\n",
        q(&h.join("probe").display().to_string())
    );
    script += "mount -t tmpfs tmpfs /tmp\n";
    script += &format!("exec {exec}\n");
    let child = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .env_clear()
        .env("HOME", h)
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env(KEY_VAR, &env.sandbox.api_key)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut w = Watch::attach(child, home, config_dir.join("config.toml"));
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
    let h = w.home.path().to_path_buf();
    // Two more rounds, then a clean stop flushes the store.
    std::thread::sleep(Duration::from_secs(2));
    w.signal(Signal::SIGTERM);
    let status = w
        .wait_exit(Duration::from_secs(5))
        .expect("exits on SIGTERM");
    std::thread::sleep(Duration::from_millis(100));
    let log = w.stderr();
    assert!(status.success(), "{status}\n{log}");
    assert!(!log.contains("history_notice"), "the store failed:\n{log}");
    assert!(log.contains("writes=flushed"), "{log}");
    let db: PathBuf = h.join(".local/share/wadash/history.db");
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{db:?}: {e}\n{log}"));
    let periods: i64 = conn
        .query_row("SELECT count(DISTINCT instance_id) FROM periods", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(periods, 3, "every instance recorded:\n{log}");
}
