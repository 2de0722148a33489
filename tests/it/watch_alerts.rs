//! Alerts from the unattended face: `wadash watch` (the real binary) against
//! the real sandbox, with a hook that writes its environment to a file. A
//! drop gives exactly one `down` after `after` checks and one `up` after
//! `resolve_after`; nothing before the drop; SIGTERM still exits 0.

use std::time::{Duration, Instant};

use crate::common::sandbox::env_with;
use crate::common::watch::{Watch, config_text, hook_runs};
use nix::sys::signal::Signal;

async fn wait_for(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_sends_one_down_and_one_up_through_a_hook() {
    let env = env_with(|o| o.instances = 2).await;
    let id = env.id(true);
    let hooks = tempfile::tempdir().unwrap();
    let script = format!(
        "env > \"{dir}/$WADASH_EVENT-$$.env\"",
        dir = hooks.path().display()
    );
    let alerts = format!(
        "[alerts]\nafter = 3\nresolve_after = 2\ngroup_window = \"1s\"\n\n\
         [[alerts.hook]]\ncommand = [\"/bin/sh\", \"-c\", {script:?}]\n"
    );
    let config = format!(
        "{}{alerts}",
        config_text(&env.sandbox.base_url(), std::slice::from_ref(&id), "")
    );
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    // Up and checked a few times: nothing to say.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(hook_runs(hooks.path(), "down").is_empty() && hook_runs(hooks.path(), "up").is_empty());

    env.control(&id, "drop").await;
    wait_for("the down hook", Duration::from_secs(20), || {
        !hook_runs(hooks.path(), "down").is_empty()
    })
    .await;
    // Still down for several more checks: no second page.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let downs = hook_runs(hooks.path(), "down");
    assert_eq!(downs.len(), 1, "exactly one down: {downs:?}");
    assert!(downs[0].contains("WADASH_EVENT=down"), "{}", downs[0]);
    assert!(
        downs[0].contains(&format!("WADASH_ID={id}")),
        "{}",
        downs[0]
    );
    assert!(downs[0].contains("WADASH_LABEL=Número 0"), "{}", downs[0]);
    assert!(downs[0].contains("WADASH_STATUS=inactive"), "{}", downs[0]);
    assert!(
        !downs[0].contains(&env.sandbox.api_key),
        "the key reached the hook"
    );
    // The delivery line names whom it was about.
    w.wait_line("the alert_sent line", Duration::from_secs(10), |l| {
        l.contains("alert_sent")
            && l.contains("down")
            && l.contains(&format!("id={id}"))
            && l.contains("Número 0")
    });

    env.control(&id, "scan").await;
    wait_for("the up hook", Duration::from_secs(20), || {
        !hook_runs(hooks.path(), "up").is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(hook_runs(hooks.path(), "up").len(), 1, "exactly one up");
    assert_eq!(hook_runs(hooks.path(), "down").len(), 1, "no new down");

    w.signal(Signal::SIGTERM);
    let status = w.wait_exit(Duration::from_secs(5)).expect("watch exits");
    assert_eq!(status.code(), Some(0), "{}", w.stderr());
    assert!(!w.stderr().contains(&env.sandbox.api_key));
}
