//! A hostile server against every headless command, over real HTTP: one
//! that answers terminal escapes (window title, clear screen, BEL, bidi
//! override) and one that echoes the request headers, key included. Nothing
//! may reach stdout/stderr as a control character, the key must appear
//! nowhere (stdout, stderr, `--json`, the log file), and `--json` keeps the
//! server's text exactly (JSON escapes it).

use std::path::Path;
use std::process::Stdio;

use serde_json::{Value, json};
use wadash::sandbox::faults::CONTROL_TEXT;

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
const KEY: &str = "hostile-KEY-SECRET-0123456789";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn run(env: &crate::common::sandbox::Env, home: &Path, args: &[&str]) -> Run {
    let id = env.id(true);
    let output = tokio::process::Command::new(BIN)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_STATE_HOME", home.join("xdg-state"))
        .env("XDG_CACHE_HOME", home.join("xdg-cache"))
        .env("NO_COLOR", "1")
        .env_remove("WADASH_CONFIG")
        .env("WADASH_API_KEY", KEY)
        .env("WADASH_BASE_URL", env.sandbox.base_url())
        .args(["--log-level", "debug", "--instance", &id])
        .args(args.iter().map(|a| a.replace("{ID}", &id)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every headless command that talks to the server.
const COMMANDS: &[&[&str]] = &[
    &["status"],
    &["status", "--json"],
    &["qr", "{ID}", "--force"],
    &["disconnect", "{ID}"],
    &["set", "name", "{ID}", "Tienda Lima"],
    &["set", "description", "{ID}", "Abierto"],
    &["set", "autoread", "{ID}", "on"],
    &["set", "webhook", "{ID}", "https://example.com/hook"],
    &[
        "set",
        "image",
        "{ID}",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    ],
];

fn log_text(home: &Path) -> String {
    let path = home.join("xdg-state/wadash/wadash.log");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn no_controls(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || wadash::sanitize::is_bidi_control(c)
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what} holds control characters {bad:?}:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn escapes_from_the_server_never_reach_the_terminal() {
    let env = crate::common::sandbox::env_with(|o| o.api_key = Some(KEY.into())).await;
    env.set_faults(json!({"rate": 1.0, "fault": "control-chars"}))
        .await;
    let home = tempfile::tempdir().unwrap();
    for args in COMMANDS {
        let out = run(&env, home.path(), args).await;
        assert_eq!(out.code, 2, "{args:?} fails: {}{}", out.stdout, out.stderr);
        no_controls(&format!("{args:?} stdout"), &out.stdout);
        no_controls(&format!("{args:?} stderr"), &out.stderr);
        let both = format!("{}{}", out.stdout, out.stderr);
        if args.contains(&"--json") {
            // Exact: the JSON string decodes to what the server sent.
            let rows: Value = serde_json::from_str(&out.stdout).unwrap();
            let detail = rows[0]["detail"].as_str().unwrap();
            assert!(detail.starts_with(CONTROL_TEXT), "{detail:?}");
        } else {
            // Shown, visibly: the user sees the server sent escapes.
            assert!(both.contains("␛]0;pwned␇"), "{args:?}: {both}");
        }
    }
    no_controls("the log file", &log_text(home.path()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_echoing_the_headers_never_gets_the_key_shown_or_logged() {
    let env = crate::common::sandbox::env_with(|o| o.api_key = Some(KEY.into())).await;
    env.set_faults(json!({"rate": 1.0, "fault": "echo-headers"}))
        .await;
    let home = tempfile::tempdir().unwrap();
    for args in COMMANDS {
        let out = run(&env, home.path(), args).await;
        let both = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, 2, "{args:?}: {both}");
        assert!(
            both.contains("request headers were"),
            "{args:?} shows the text: {both}"
        );
        assert!(!both.contains(KEY), "{args:?} printed the key:\n{both}");
        assert!(
            both.contains("••••6789"),
            "{args:?} shows it masked: {both}"
        );
    }
    let log = log_text(home.path());
    assert!(!log.is_empty(), "debug logging wrote something");
    assert!(!log.contains(KEY), "the log holds the key:\n{log}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = home.path().join("xdg-state/wadash/wadash.log");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
}
