//! Alerts end to end: the real binary (the dashboard, in a pty) polling the
//! real sandbox over HTTP, a hook script that writes its environment to a
//! file, and local HTTP receivers for the webhooks (one of them hung).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};

use crate::common::pty::PtySession;
use crate::common::sandbox::{Env, env};
use crate::common::watch::hook_runs;

/// Webhook bodies received at `/hook`; `/hung` accepts and never answers.
async fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let store = got.clone();
    let app = Router::new()
        .route(
            "/hook",
            post(move |body: axum::Json<Value>| {
                let store = store.clone();
                async move {
                    store.lock().unwrap().push(body.0);
                    "ok"
                }
            }),
        )
        .route(
            "/hung",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                "never"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

struct Setup {
    _dir: tempfile::TempDir,
    config: PathBuf,
    hooks: PathBuf,
    db: PathBuf,
    data_home: PathBuf,
}

fn setup(env: &Env, id: &str, webhook: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let hooks = dir.path().join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let db = dir.path().join("history.db");
    // `$$`: one file per hook run, so a second "down" would show.
    let script = format!(
        "env > \"{}/$WADASH_EVENT-$$.env\"; echo \"$@\" >> \"{}/$WADASH_EVENT-$$.env\"",
        hooks.display(),
        hooks.display()
    );
    let config = dir.path().join("config.toml");
    let text = format!(
        r#"
[[account]]
name = "test"
base_url = "{base}"
api_key = "{key}"

[[instance]]
id = "{id}"
label = "Tienda Lima"
tags = ["peru", "ventas"]

[ui]
interval = "1s"

[history]
path = "{db}"

[alerts]
after = 3
resolve_after = 2
group_window = "1s"

[[alerts.hook]]
command = ["/bin/sh", "-c", {script:?}, "hook", "{{event}}", "{{id}}"]

[[alerts.webhook]]
url = "{webhook}/hook"

[[alerts.webhook]]
url = "{webhook}/hung"
"#,
        base = env.sandbox.base_url(),
        key = env.sandbox.api_key,
        db = db.display(),
    );
    std::fs::write(&config, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let data_home = dir.path().join("data");
    Setup {
        _dir: dir,
        config,
        hooks,
        db,
        data_home,
    }
}

fn dashboard(s: &Setup) -> PtySession {
    PtySession::spawn(
        &["--config", s.config.to_str().unwrap()],
        &[("XDG_DATA_HOME", s.data_home.to_str().unwrap())],
        100,
        30,
    )
}

/// A sandbox, its first active instance watched by a dashboard whose
/// alerts go to a hook and to the webhook receiver, once it shows as active.
async fn watched_active_instance() -> (Env, String, Arc<Mutex<Vec<Value>>>, Setup, PtySession) {
    let env = env().await;
    let id = env.id(true);
    let (url, got) = receiver().await;
    let s = setup(&env, &id, &url);
    let ui = dashboard(&s);
    ui.wait_for(
        "the instance is active",
        Duration::from_secs(20),
        |screen| screen.contains("Tienda Lima") && screen.contains("● active"),
    );
    (env, id, got, s, ui)
}

async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    start.elapsed()
}

fn events(got: &Arc<Mutex<Vec<Value>>>) -> Vec<String> {
    got.lock()
        .unwrap()
        .iter()
        .map(|b| b["event"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_drop_gives_one_down_and_one_up_a_blip_none_and_a_hung_receiver_delays_nothing() {
    let (env, id, got, s, mut ui) = watched_active_instance().await;

    // Steady and active: nothing to say.
    tokio::time::sleep(Duration::from_secs(3)).await;
    // One failed check (a 502 for about one interval; errors back off, so
    // at most two checks fail, fewer than `after`): still nothing.
    env.set_faults(json!({"rate": 1.0, "fault": "http502-html"}))
        .await;
    tokio::time::sleep(Duration::from_millis(900)).await;
    env.set_faults(json!({})).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(
        std::fs::read_dir(&s.hooks).unwrap().next().is_none(),
        "no alert yet"
    );
    assert!(events(&got).is_empty(), "{:?}", got.lock().unwrap());

    // The number drops: one "down" once three checks saw it.
    env.control(&id, "drop").await;
    let took = wait_until("a down alert", Duration::from_secs(20), || {
        !hook_runs(&s.hooks, "down").is_empty()
    })
    .await;
    assert!(
        took >= Duration::from_secs(2),
        "debounced: three checks, took {took:?}"
    );
    wait_until("the down webhook", Duration::from_secs(10), || {
        events(&got).contains(&"down".to_string())
    })
    .await;
    // Still down for a while: said once.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let downs = hook_runs(&s.hooks, "down");
    assert_eq!(downs.len(), 1, "{downs:?}");
    let down = &downs[0];
    for line in [
        "WADASH_EVENT=down".to_string(),
        format!("WADASH_ID={id}"),
        "WADASH_LABEL=Tienda Lima".into(),
        "WADASH_ACCOUNT=test".into(),
        "WADASH_TAGS=peru,ventas".into(),
        "WADASH_STATUS=inactive".into(),
        format!("down {id}"),
    ] {
        assert!(down.lines().any(|l| l == line), "{line} in:\n{down}");
    }
    let since = down
        .lines()
        .find_map(|l| l.strip_prefix("WADASH_SINCE="))
        .unwrap();
    assert!(
        since.len() == 20 && since.ends_with('Z') && since.as_bytes()[10] == b'T',
        "{since}"
    );
    assert!(
        !down.contains(&env.sandbox.api_key),
        "the key reached the hook"
    );
    assert_eq!(events(&got), ["down"]);
    let body = got.lock().unwrap()[0].clone();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["label"], "Tienda Lima");
    assert_eq!(body["tags"], json!(["peru", "ventas"]));
    assert_eq!(body["status"], "inactive");
    assert!(body["down_s"].is_null());
    assert!(!body.to_string().contains(&env.sandbox.api_key));

    // Relinked: one "up" after two active checks, although the hung
    // receiver still holds the "down" (10 s a try, three tries).
    env.control(&id, "scan").await;
    let took = wait_until("an up alert", Duration::from_secs(20), || {
        !hook_runs(&s.hooks, "up").is_empty()
    })
    .await;
    assert!(
        took < Duration::from_secs(8),
        "polling went on at its pace while a webhook hung: {took:?}"
    );
    wait_until("the up webhook", Duration::from_secs(10), || {
        events(&got).contains(&"up".to_string())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(hook_runs(&s.hooks, "up").len(), 1);
    assert_eq!(events(&got), ["down", "up"]);
    let up = got.lock().unwrap()[1].clone();
    assert!(up["down_s"].as_u64().unwrap() >= 2, "{up}");
    let up_env = &hook_runs(&s.hooks, "up")[0];
    assert!(
        up_env.lines().any(|l| l.starts_with("WADASH_DOWN_S=")),
        "{up_env}"
    );

    // The dashboard's log pane shows each delivery.
    ui.send("l");
    ui.wait_for(
        "the deliveries in the log pane",
        Duration::from_secs(10),
        |screen| {
            screen
                .lines()
                .any(|l| l.contains("hook") && l.contains("alert") && l.contains("exited 0"))
        },
    );
    ui.send("q");
    ui.send("q");
    ui.wait_exit(Duration::from_secs(10));

    // What was announced is in the store.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let state: String = conn
        .query_row(
            "SELECT state FROM alert_state WHERE instance_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(state, "up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restart_does_not_alert_again_and_a_silence_from_the_cli_holds_alerts() {
    let env = env().await;
    let id = env.id(true);
    let (url, got) = receiver().await;
    let s = setup(&env, &id, &url);

    // First run: the drop is announced once.
    let ui = dashboard(&s);
    env.control(&id, "drop").await;
    wait_until("a down alert", Duration::from_secs(30), || {
        hook_runs(&s.hooks, "down").len() == 1
    })
    .await;
    // Give the store thread a moment to write the state, then stop.
    tokio::time::sleep(Duration::from_secs(1)).await;
    drop(ui);

    // Second run, still down: nothing new, however many checks.
    let ui = dashboard(&s);
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(
        hook_runs(&s.hooks, "down").len(),
        1,
        "alerted again after a restart"
    );
    drop(ui);

    // A silence from the command line, in the same store.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wadash"))
        .args([
            "--config",
            s.config.to_str().unwrap(),
            "silence",
            &id,
            "--for",
            "1h",
        ])
        .args(["--comment", "changing the phone"])
        .env("XDG_DATA_HOME", &s.data_home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.starts_with("silence 1: "), "{said}");
    let list = std::process::Command::new(env!("CARGO_BIN_EXE_wadash"))
        .args(["--config", s.config.to_str().unwrap(), "silence", "list"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(
        listed.contains(&id) && listed.contains("changing the phone"),
        "{listed}"
    );

    // Relinked and dropped again under the silence: no up, no down; the
    // row says it is silenced.
    let ui = dashboard(&s);
    ui.wait_for("the silenced mark", Duration::from_secs(20), |screen| {
        screen.contains("(silenced)")
    });
    env.control(&id, "scan").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    env.control(&id, "drop").await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(hook_runs(&s.hooks, "up").is_empty());
    assert_eq!(hook_runs(&s.hooks, "down").len(), 1);
    assert_eq!(events(&got), ["down"]);

    // Removed: the silence no longer holds back what is true now.
    let rm = std::process::Command::new(env!("CARGO_BIN_EXE_wadash"))
        .args(["--config", s.config.to_str().unwrap(), "silence", "rm", "1"])
        .output()
        .unwrap();
    assert!(
        rm.status.success(),
        "{}",
        String::from_utf8_lossy(&rm.stderr)
    );
    let gone = std::process::Command::new(env!("CARGO_BIN_EXE_wadash"))
        .args(["--config", s.config.to_str().unwrap(), "silence", "rm", "1"])
        .output()
        .unwrap();
    assert_eq!(gone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no silence 1"));
    drop(ui);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_disconnect_made_from_the_dashboard_alerts_nobody_and_the_next_drop_does() {
    let (env, id, got, s, mut ui) = watched_active_instance().await;

    // D, then y: the operator means it.
    ui.send("D");
    ui.wait_for("the confirmation", Duration::from_secs(5), |screen| {
        screen.contains("Disconnect this instance")
    });
    ui.send("y");
    let mut disconnected = false;
    for _ in 0..50 {
        if env.state(&id).await["active"] == false {
            disconnected = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(disconnected, "the disconnect reached the server");
    // Well past `after = 3` checks at 1 s and the group window.
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(
        hook_runs(&s.hooks, "down").is_empty(),
        "a deliberate disconnect alerted"
    );

    // Linked again from the phone: nothing was told, so no up either.
    env.control(&id, "scan").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(hook_runs(&s.hooks, "up").is_empty(), "an up for nothing");
    assert!(events(&got).is_empty(), "{:?}", got.lock().unwrap());

    // A drop nobody asked for is news again.
    env.control(&id, "drop").await;
    wait_until("a down alert", Duration::from_secs(20), || {
        hook_runs(&s.hooks, "down").len() == 1
    })
    .await;
}
