//! The READMEs' opening, held to what a new user does with it:
//! - before the first capture come, in this order, the install, the two
//!   commands (verbatim) and the five steps of a first account, within the
//!   first screenful of lines;
//! - the five steps run as written with the real binary in an empty home
//!   (`config init` → the key in the variable the file names → `instances
//!   add` → `config check` exits 0), the last one being `wadash` itself;
//! - the sandbox's fault-injection bodies shown are accepted by a real
//!   sandbox and read back as posted.

use std::process::Command;

use crate::common::sandbox;
use crate::readme::{read, split, words};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
const READMES: [&str; 2] = ["README.md", "README.es.md"];
/// "The first screen": what a reader sees before scrolling far.
const OPENING_MAX_LINES: usize = 80;

/// Everything before the first capture (the first ```text block).
fn opening(text: &str) -> &str {
    let end = text.find("```text").unwrap_or(text.len());
    &text[..end]
}

/// The line a needle is on, searching from `from`.
fn line_of(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i)
}

#[test]
fn the_opening_has_install_two_commands_and_five_steps_in_order() {
    for name in READMES {
        let text = read(name);
        let head = opening(&text);
        let lines = head.lines().count();
        assert!(
            lines <= OPENING_MAX_LINES,
            "{name}: the opening is {lines} lines (at most {OPENING_MAX_LINES})"
        );
        let mut at = 0;
        for needle in [
            "cargo install --path .",
            "target/release/wadash",
            "cargo run --release -- --demo",
            "cargo test ",
            "wadash config init",
            "export WADASH_KEY_MAIN=",
            "wadash instances add",
            "wadash config check",
        ] {
            at = line_of(head, needle, at)
                .unwrap_or_else(|| panic!("{name}: `{needle}` not in the opening after line {at}"));
        }
        let last = head.lines().skip(at).find(|l| l.trim() == "wadash");
        assert!(last.is_some(), "{name}: no bare `wadash` after the check");
        // The five steps are numbered 1. to 5.
        for n in 1..=5 {
            assert!(
                head.lines().any(|l| l.starts_with(&format!("{n}. "))),
                "{name}: no step {n}"
            );
        }
    }
}

/// The first capture is a whole 80×24 screen: 24 lines, none wider than
/// 80 columns, the details pane's border reaching the edge.
#[test]
fn the_first_capture_is_a_whole_80_by_24_screen() {
    for name in READMES {
        let text = read(name);
        let (blocks, _) = split(&text);
        let capture = blocks
            .iter()
            .find(|b| b.lang == "text")
            .unwrap_or_else(|| panic!("{name}: no capture"));
        let widths: Vec<usize> = capture.text.lines().map(|l| l.chars().count()).collect();
        assert_eq!(widths.len(), 24, "{name}: {}", capture.text);
        assert_eq!(widths.iter().max(), Some(&80), "{name}: {}", capture.text);
        assert!(capture.text.starts_with(" wadash demo @ "), "{name}");
    }
}

/// The shell lines of the opening that come after `cargo test`.
fn steps(name: &str) -> Vec<String> {
    let text = read(name);
    let (blocks, _) = split(opening(&text));
    let mut out = Vec::new();
    let mut after_tests = false;
    for block in blocks.iter().filter(|b| b.lang == "sh") {
        for line in block.text.lines() {
            if line.trim_start().starts_with("cargo test") {
                after_tests = true;
            } else if after_tests && !line.trim().is_empty() {
                out.push(line.trim().to_string());
            }
        }
    }
    out
}

#[test]
fn the_five_steps_work_as_written_in_an_empty_home() {
    for name in READMES {
        let home = tempfile::tempdir().unwrap();
        let mut vars: Vec<(String, String)> = Vec::new();
        let lines = steps(name);
        assert_eq!(lines.len(), 5, "{name}: {lines:?}");
        assert_eq!(
            lines[4], "wadash",
            "{name}: the last step opens the dashboard"
        );
        for line in &lines[..4] {
            let argv = words(line);
            if argv[0] == "export" {
                let (var, value) = argv[1].split_once('=').expect("export VAR=value");
                vars.push((var.to_string(), value.to_string()));
                continue;
            }
            assert_eq!(argv[0], "wadash", "{name}: {line}");
            let out = Command::new(BIN)
                .args(&argv[1..])
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("HOME", home.path())
                .env("XDG_CONFIG_HOME", home.path().join(".config"))
                .env("XDG_STATE_HOME", home.path().join(".state"))
                .env("XDG_DATA_HOME", home.path().join(".data"))
                .env("LANG", "C.UTF-8")
                .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: `{line}` exited {:?}:\n{}{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // The variable exported is the one `config init` wrote.
        let config =
            std::fs::read_to_string(home.path().join(".config/wadash/config.toml")).unwrap();
        for (var, _) in &vars {
            assert!(
                config.contains(&format!("api_key_env = \"{var}\"")),
                "{name}: the file does not name {var}:\n{config}"
            );
        }
        assert!(!vars.is_empty(), "{name}: no key variable exported");
    }
}

/// The JSON bodies shown for `/_sandbox/faults`: the ```json block of the
/// sandbox section and the `-d '…'` of its curl lines.
fn fault_bodies(name: &str) -> Vec<String> {
    let text = read(name);
    let (blocks, _) = split(&text);
    let mut out = Vec::new();
    for block in &blocks {
        if block.lang == "json" && block.text.contains("\"fault\"") {
            out.push(block.text.trim().to_string());
        }
        for line in block.text.lines() {
            if line.contains("/_sandbox/faults")
                && let Some(at) = line.find("-d '")
            {
                let rest = &line[at + 4..];
                out.push(rest[..rest.find('\'').unwrap()].to_string());
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fault_injection_bodies_shown_are_accepted_by_the_sandbox() {
    let env = sandbox::env().await;
    for name in READMES {
        let bodies = fault_bodies(name);
        assert!(bodies.len() >= 3, "{name}: {bodies:?}");
        for body in bodies {
            let sent: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {body}: {e}"));
            let resp = env
                .http
                .post(env.url("/_sandbox/faults"))
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "{name}: {body}");
            let now = env.get_json("/_sandbox/faults").await;
            for (key, value) in sent.as_object().unwrap() {
                assert_eq!(&now[key], value, "{name}: {body}: {key}");
            }
        }
    }
    // A field the sandbox does not know is refused, so the check above has teeth.
    let resp = env
        .http
        .post(env.url("/_sandbox/faults"))
        .body(r#"{"rate": 0.3, "faults": "hang"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}
