//! Issue 18, items 10, 11 and 14, through the real binary: a filter typo
//! is an error that marks nothing, a bulk disconnect of more than 20 needs
//! the count typed, `n` with marks says only this row is edited, a password
//! in `base_url` never reaches the screen or `config check`, `instances
//! list` keeps one row per instance whatever a label holds, and `wadash >
//! file` refuses instead of drawing into the file.

use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;
use wadash::sandbox::{self, SandboxOptions};

use crate::common::pty::PtySession;

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
const WAIT: Duration = Duration::from_secs(30);
const PASSWORD: &str = "pa55-Wd-very-secret";

/// `http://127.0.0.1:P` → `http://ops:PASSWORD@127.0.0.1:P`.
fn with_password(base: &str) -> String {
    base.replacen("http://", &format!("http://ops:{PASSWORD}@"), 1)
}

fn write_config(dir: &Path, base_url: &str, key: &str, instances: &[(String, String)]) -> String {
    let mut text =
        format!("[[account]]\nname = \"t\"\nbase_url = \"{base_url}\"\napi_key = \"{key}\"\n\n");
    for (id, label) in instances {
        text.push_str(&format!(
            "[[instance]]\nid = \"{id}\"\nlabel = {}\n\n",
            toml_string(label)
        ));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A TOML basic string (escapes for quotes, backslashes and controls).
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn filter_typos_bulk_count_only_this_row_and_masked_password_in_a_pty() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // wadash's client installs the TLS provider the plain reqwest calls use.
    let _ = wadash::api::Client::new();
    let mut opts = SandboxOptions::for_tests();
    opts.instances = 25;
    let sandbox = rt.block_on(sandbox::start(opts)).unwrap();
    let active = sandbox.instances.iter().filter(|i| i.active).count();
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<(String, String)> = sandbox
        .instances
        .iter()
        .map(|i| (i.id.clone(), i.label.clone()))
        .collect();
    let cfg = write_config(
        dir.path(),
        &with_password(&sandbox.base_url()),
        &sandbox.api_key,
        &ids,
    );
    let mut s = PtySession::spawn(
        &["--config", &cfg, "--interval", "1s", "--lang", "en"],
        &[],
        150,
        45,
    );
    let screen = s.wait_for("statuses", WAIT, |sc| {
        sc.contains("● active") && !sc.contains("checking") && !sc.contains('◌')
    });

    // Item 14: the header names the host alone, the details pane masks it.
    assert!(screen.contains("t @ 127.0.0.1:"), "{screen}");
    assert!(screen.contains("ops:••••"), "{screen}");

    // Item 10: a typo is an error under the filter, and `*` marks nothing.
    s.send("/status:inactiv");
    s.wait_for("the filter's error", WAIT, |sc| {
        sc.contains("unknown status \"inactiv\"") && sc.contains("did you mean inactive?")
    });
    s.send("\r*");
    let screen = s.wait_for("nothing marked", WAIT, |sc| {
        sc.contains("nothing marked: the filter has an error")
    });
    assert!(screen.contains("(0 of 25)"), "{screen}");
    assert!(!screen.contains("marked  "), "no marks: {screen}");
    s.send("/");
    s.send(&"\x7f".repeat(40));
    s.send("!tag:nonesuch-typo tag:nonesuch-typo\r");
    s.wait_for("matches nothing", WAIT, |sc| {
        sc.contains("the filter matches no instance")
            && sc.contains("no instance is tagged nonesuch-typo")
    });

    // Item 11: 25 marked; `y` alone does nothing, the typed count does.
    // Esc alone (Esc and a key at once would read as Alt+key).
    s.send("\x1b");
    s.wait_for("the filter cleared", WAIT, |sc| {
        !sc.contains("No instance matches")
    });
    s.send("*");
    s.wait_for("25 marked", WAIT, |sc| sc.contains("▶ 25 marked"));
    s.send("D");
    let dialog = s.wait_for("the bulk dialog", WAIT, |sc| {
        sc.contains("Type 25 to confirm")
    });
    let standing = format!(
        "25 instances: {active} active (will be logged out), {} already inactive",
        25 - active
    );
    assert!(dialog.contains(&standing), "{standing}\n{dialog}");
    s.send("y");
    s.wait_for("the refusal", WAIT, |sc| {
        sc.contains("that is not the number of instances")
    });
    s.send("24\r");
    std::thread::sleep(Duration::from_millis(500));
    let states = |rt: &tokio::runtime::Runtime| -> usize {
        let url = format!("{}/_sandbox/instances", sandbox.base_url());
        let v: Value =
            rt.block_on(async { reqwest::get(&url).await.unwrap().json().await.unwrap() });
        let list = v
            .as_array()
            .cloned()
            .or_else(|| v["instances"].as_array().cloned());
        list.unwrap()
            .iter()
            .filter(|i| i["active"].as_bool() == Some(true) || i["status"] == "active")
            .count()
    };
    assert_eq!(states(&rt), active, "nothing was sent before the count");
    s.send("\x7f5y");
    s.wait_for("the bulk run", WAIT, |sc| sc.contains("25/25 done"));
    assert_eq!(states(&rt), 0, "every instance logged out");

    // Item 11: with marks set, `n` says that only the cursor row is edited.
    s.send("g  ");
    s.wait_for("2 marked", WAIT, |sc| sc.contains("▶ 2 marked"));
    s.send("n");
    s.wait_for("the note", WAIT, |sc| {
        sc.contains("only this row is edited (2 marked rows are not changed)")
    });
    s.send("\x1b");
    s.wait_for("the form closed", WAIT, |sc| !sc.contains("only this row"));
    s.send("q");
    assert!(s.wait_exit(WAIT).success());

    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(!raw.contains(PASSWORD), "the password reached the terminal");
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("WADASH_CONFIG")
        .env_remove("WADASH_API_KEY")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn config_check_masks_a_password_in_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &with_password("http://127.0.0.1:9/"),
        "key-0123456789abcdef",
        &[],
    );
    let (ok, out, err) = run(&["--config", &cfg, "config", "check"]);
    assert!(ok, "{out}{err}");
    // Masked as keys are: at most the last 4 characters.
    assert!(out.contains("http://ops:••••cret@127.0.0.1:9/"), "{out}");
    assert!(
        !out.contains(PASSWORD) && !err.contains(PASSWORD),
        "{out}{err}"
    );
}

#[test]
fn instances_list_prints_one_row_per_instance_whatever_the_label() {
    let dir = tempfile::tempdir().unwrap();
    let instances = vec![
        (
            "ID-1".to_string(),
            "Lima\nID-FAKE  Forged row  t  x".to_string(),
        ),
        (
            "ID-2".to_string(),
            "Cusco\x1b[2J\x1b]0;title\x07\r".to_string(),
        ),
        ("ID-3".to_string(), "Plain".to_string()),
    ];
    let cfg = write_config(
        dir.path(),
        "https://apiwhatsappweb.com",
        "key-0123456789abcdef",
        &instances,
    );
    let (ok, out, err) = run(&["--config", &cfg, "instances", "list"]);
    assert!(ok, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "a header and one row each:\n{out}");
    assert!(
        !out.contains('\x1b') && !out.contains('\r') && !out.contains('\x07'),
        "{out:?}"
    );
    assert!(
        lines[1].starts_with("ID-1") && lines[1].contains("Forged row"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("ID-2") && lines[3].starts_with("ID-3"),
        "{out}"
    );
}

/// `wadash --demo > file` in a real terminal (stdin and stderr on the pty,
/// stdout on a file): exits non-zero at once, says why on stderr, and the
/// file holds no escape codes. It used to draw the dashboard into the file.
#[test]
fn the_dashboard_refuses_a_redirected_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", "exec \"$WADASH\" --demo --lang en > \"$OUT\""]);
    cmd.env("WADASH", BIN);
    cmd.env("OUT", &file);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", dir.path());
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_STATE_HOME", dir.path().join("state"));
    cmd.env("XDG_DATA_HOME", dir.path().join("data"));
    cmd.env_remove("WADASH_CONFIG");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > WAIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("wadash kept running with stdout on a file");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success());
    let written = std::fs::read(&file).unwrap();
    assert!(
        !written.contains(&0x1b),
        "escape codes in the file: {:?}",
        String::from_utf8_lossy(&written)
    );
    // The message reaches the terminal (stderr) before the reader stops.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let text = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
        if text.contains("standard output is not one") {
            assert!(text.contains("wadash status"), "{text}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no message on the terminal: {text:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
