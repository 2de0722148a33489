//! Children that never outlive their command (issue 18, item 9): an
//! `api_key_cmd` that leaves a background child holding its stdout still
//! yields its key, through the real binary, and the child does not survive.
//! (A hook doing the same: `alerts::deliver` tests.)

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::sandbox::env;

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
/// Marks the processes this test starts, through their environment.
const TOKEN_VAR: &str = "WADASH_TEST_CHILD_TOKEN";

/// Processes still running (not zombies) whose environment holds `token`.
fn running_with(token: &str) -> Vec<String> {
    let needle = format!("{TOKEN_VAR}={token}");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        let marked = environ.split(|&b| b == 0).any(|kv| kv == needle.as_bytes());
        let zombie = std::fs::read_to_string(entry.path().join("stat"))
            .is_ok_and(|s| s.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('Z')));
        if marked && !zombie {
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            found.push(format!(
                "{pid}: {}",
                String::from_utf8_lossy(&cmdline).replace('\0', " ")
            ));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_command_that_leaves_a_child_running_gives_its_key_and_no_orphan() {
    let env = env().await;
    let id = env.id(true);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[[account]]\nname = \"m\"\nbase_url = \"{}\"\napi_key_cmd = \"echo {}; sleep 100 &\"\n\n\
             [[instance]]\nid = \"{id}\"\n",
            env.sandbox.base_url(),
            env.sandbox.api_key
        ),
    )
    .unwrap();
    let token = format!("{}-{}", std::process::id(), line!());
    let out = tokio::process::Command::new(BIN)
        .args(["--config"])
        .arg(&config)
        .args(["status", "--json"])
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("cfg"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env_remove("WADASH_API_KEY")
        .env(TOKEN_VAR, &token)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("\"active\""),
        "checked with the key: {stdout}"
    );
    assert!(!format!("{stdout}{stderr}").contains(&env.sandbox.api_key));
    // Killed before `status` returned; a moment for the kernel to reap it.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !running_with(&token).is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(running_with(&token), Vec::<String>::new(), "left running");
}
