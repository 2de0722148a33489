//! Acknowledge and escalate for real: `wadash watch` against the sandbox
//! with a short `remind_every`, an `[[alerts.escalate]]` step to a named
//! hook, and `wadash ack` (the real binary) writing to the same store file.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::sandbox::env_with;
use crate::common::watch::{BIN, Watch, config_text, hook_runs};
use nix::sys::signal::Signal;

async fn wait_for(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn hook(dir: &Path) -> String {
    format!("env > \"{}/$WADASH_EVENT-$$.env\"", dir.display())
}

/// `wadash --config CONFIG ARGS` as user "tester".
fn wadash(config: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--config")
        .arg(config)
        .args(args)
        .env("HOME", home)
        .env("USER", "tester")
        .env_remove("WADASH_API_KEY")
        .output()
        .expect("wadash runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ack_stops_reminders_and_escalation_goes_to_the_named_channel_only() {
    let env = env_with(|o| o.instances = 2).await;
    let id = env.id(true);
    let team = tempfile::tempdir().unwrap();
    let oncall = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let db = store.path().join("history.db");
    let alerts = format!(
        "[history]\npath = \"{db}\"\n\n\
         [alerts]\nafter = 3\nresolve_after = 2\ngroup_window = \"1s\"\nremind_every = \"2s\"\n\n\
         [[alerts.hook]]\ncommand = [\"/bin/sh\", \"-c\", {team:?}]\n\n\
         [[alerts.hook]]\nname = \"oncall\"\ncommand = [\"/bin/sh\", \"-c\", {oncall:?}]\n\n\
         [[alerts.escalate]]\nafter = \"4s\"\nchannel = \"oncall\"\n",
        db = db.display(),
        team = hook(team.path()),
        oncall = hook(oncall.path()),
    );
    let config = format!(
        "{}{alerts}",
        config_text(&env.sandbox.base_url(), std::slice::from_ref(&id), "")
    );
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    let cfg = w.config.clone();
    let home = w.home.path().to_path_buf();
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });

    // Nothing is down: nothing to acknowledge.
    let refused = wadash(&cfg, &home, &["ack", &id]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("not down"), "{}", text(&refused));

    env.control(&id, "drop").await;
    wait_for("the down", Duration::from_secs(20), || {
        !hook_runs(team.path(), "down").is_empty()
    })
    .await;
    wait_for("a reminder", Duration::from_secs(20), || {
        !hook_runs(team.path(), "reminder").is_empty()
    })
    .await;
    let reminder = &hook_runs(team.path(), "reminder")[0];
    assert!(reminder.contains("WADASH_DOWN_S="), "{reminder}");
    wait_for("the escalation", Duration::from_secs(20), || {
        !hook_runs(oncall.path(), "escalate").is_empty()
    })
    .await;
    let esc = &hook_runs(oncall.path(), "escalate")[0];
    assert!(esc.contains(&format!("WADASH_ID={id}")), "{esc}");
    assert!(
        hook_runs(team.path(), "escalate").is_empty(),
        "escalations go to oncall only"
    );
    for kind in ["down", "reminder", "up"] {
        assert!(
            hook_runs(oncall.path(), kind).is_empty(),
            "oncall got a {kind}"
        );
    }

    let acked = wadash(
        &cfg,
        &home,
        &["ack", &id, "--reason", "ISP outage, ticket 4411"],
    );
    assert!(acked.status.success(), "{}", text(&acked));
    assert!(text(&acked).contains("acknowledged"), "{}", text(&acked));
    let listed = wadash(&cfg, &home, &["ack", "--list"]);
    let listed = text(&listed);
    assert!(
        listed.contains(&id) && listed.contains("tester"),
        "{listed}"
    );
    assert!(
        listed.contains("ISP outage, ticket 4411") && listed.contains("in force"),
        "{listed}"
    );

    // The watcher reads acks with the silences (every 15 s): then quiet.
    tokio::time::sleep(Duration::from_secs(17)).await;
    let reminders = hook_runs(team.path(), "reminder").len();
    let escalations = hook_runs(oncall.path(), "escalate").len();
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(
        hook_runs(team.path(), "reminder").len(),
        reminders,
        "a reminder after the ack"
    );
    assert_eq!(hook_runs(oncall.path(), "escalate").len(), escalations);
    assert_eq!(escalations, 1, "one step, sent once");

    // Up again: the up is sent, and the ack is over.
    env.control(&id, "scan").await;
    wait_for("the up", Duration::from_secs(20), || {
        !hook_runs(team.path(), "up").is_empty()
    })
    .await;
    let start = Instant::now();
    loop {
        let open = text(&wadash(&cfg, &home, &["ack", "--list"]));
        if open.contains("no acknowledgements in force") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the ack stays open: {open}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let all = wadash(&cfg, &home, &["ack", "--list", "--all", "--json"]);
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    assert_eq!(all[0]["instance"], id.as_str());
    assert_eq!(all[0]["by"], "tester");
    assert!(all[0]["ended_at"].is_string(), "{all}");

    // `history` names who acknowledged, when and why.
    let history = wadash(&cfg, &home, &["history", &id]);
    let history = text(&history);
    assert!(
        history.contains("acknowledged by tester") && history.contains("ISP outage, ticket 4411"),
        "{history}"
    );
    let json = wadash(&cfg, &home, &["history", &id, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|r| r["ack"].as_str().is_some_and(|a| a.contains("tester"))),
        "{json}"
    );

    w.signal(Signal::SIGTERM);
    let status = w.wait_exit(Duration::from_secs(5)).expect("watch exits");
    assert_eq!(status.code(), Some(0), "{}", w.stderr());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_key_acknowledges_the_selected_down() {
    let env = env_with(|o| o.instances = 2).await;
    let id = env.id(true);
    let dir = tempfile::tempdir().unwrap();
    let hooks = dir.path().join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let config = dir.path().join("config.toml");
    let toml = format!(
        "[[account]]\nname = \"test\"\nbase_url = \"{base}\"\napi_key = \"{key}\"\n\n\
         [[instance]]\nid = \"{id}\"\nlabel = \"Tienda Lima\"\n\n\
         [ui]\ninterval = \"1s\"\n\n[history]\npath = \"{db}\"\n\n\
         [alerts]\nafter = 2\nresolve_after = 2\ngroup_window = \"1s\"\nremind_every = \"2s\"\n\n\
         [[alerts.hook]]\ncommand = [\"/bin/sh\", \"-c\", {script:?}]\n",
        base = env.sandbox.base_url(),
        key = env.sandbox.api_key,
        db = dir.path().join("history.db").display(),
        script = hook(&hooks),
    );
    std::fs::write(&config, toml).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut ui = crate::common::pty::PtySession::spawn(
        &["--config", config.to_str().unwrap()],
        &[("USER", "pty-tester")],
        100,
        30,
    );
    ui.wait_for("the instance is active", Duration::from_secs(20), |s| {
        s.contains("Tienda Lima") && s.contains("● active")
    });
    // Up: nothing to acknowledge.
    ui.send("K");
    ui.wait_for("the refusal", Duration::from_secs(5), |s| {
        s.contains("is not down")
    });

    env.control(&id, "drop").await;
    wait_for("a reminder", Duration::from_secs(30), || {
        !hook_runs(&hooks, "reminder").is_empty()
    })
    .await;
    ui.send("K");
    ui.wait_for("the acknowledged mark", Duration::from_secs(5), |s| {
        s.contains("(acknowledged)")
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    let reminders = hook_runs(&hooks, "reminder").len();
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        hook_runs(&hooks, "reminder").len(),
        reminders,
        "reminded after the ack"
    );
    let listed = text(&wadash(&config, dir.path(), &["ack", "--list"]));
    assert!(
        listed.contains(&id) && listed.contains("pty-tester"),
        "{listed}"
    );

    env.control(&id, "scan").await;
    wait_for("the up", Duration::from_secs(20), || {
        !hook_runs(&hooks, "up").is_empty()
    })
    .await;
    ui.wait_for("the mark gone", Duration::from_secs(10), |s| {
        s.contains("● active") && !s.contains("(acknowledged)")
    });
    // The history pane notes who acknowledged the outage.
    ui.send("h");
    ui.wait_for(
        "the ack in the history pane",
        Duration::from_secs(10),
        |s| s.contains("acknowledged pty-tester"),
    );
    ui.send("q");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_sent_during_a_maintenance_window_and_history_marks_it_planned() {
    let env = env_with(|o| o.instances = 2).await;
    let id = env.id(true);
    let team = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let db = store.path().join("history.db");
    let rfc = |t: std::time::SystemTime| humantime::format_rfc3339_seconds(t).to_string();
    let now = std::time::SystemTime::now();
    let ends = now + Duration::from_secs(20);
    let alerts = format!(
        "[history]\npath = \"{db}\"\n\n\
         [alerts]\nafter = 2\nresolve_after = 2\ngroup_window = \"1s\"\n\n\
         [[alerts.hook]]\ncommand = [\"/bin/sh\", \"-c\", {team:?}]\n\n\
         [[alerts.maintenance]]\nname = \"router swap\"\nonly = \"tag:t0\"\n\
         start = \"{start}\"\nend = \"{end}\"\n",
        db = db.display(),
        team = hook(team.path()),
        start = rfc(now - Duration::from_secs(60)),
        end = rfc(ends),
    );
    let config = format!(
        "{}{alerts}",
        config_text(&env.sandbox.base_url(), std::slice::from_ref(&id), "")
    );
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    let cfg = w.config.clone();
    let home = w.home.path().to_path_buf();
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    // Down for many checks, all inside the window: no page.
    while std::time::SystemTime::now() + Duration::from_secs(1) < ends {
        assert!(
            hook_runs(team.path(), "down").is_empty(),
            "paged inside the maintenance window"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Still down when it closes: told then.
    wait_for("the down after the window", Duration::from_secs(15), || {
        !hook_runs(team.path(), "down").is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let history = text(&wadash(&cfg, &home, &["history", &id]));
    assert!(history.contains("(planned: router swap)"), "{history}");
    w.signal(Signal::SIGTERM);
    let status = w.wait_exit(Duration::from_secs(5)).expect("watch exits");
    assert_eq!(status.code(), Some(0), "{}", w.stderr());
}
