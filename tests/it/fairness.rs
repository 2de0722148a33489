//! Fair polling through the real binary: a share of the sandbox's instances
//! hang every request, and the healthy ones must keep being checked, from
//! the first sweep on (before any hung check has timed out), in `watch` and
//! so in the dashboard that runs the same `update`.

use std::collections::HashSet;
use std::time::Duration;

use crate::common::sandbox::{Env, env_with};
use crate::common::watch::{Watch, config_text};
use nix::sys::signal::Signal;
use serde_json::json;

/// (instance, fault) of every status request the sandbox logged.
async fn status_requests(env: &Env) -> Vec<(String, Option<String>)> {
    env.requests()
        .await
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/status")))
        .map(|r| {
            (
                r["instance"].as_str().unwrap_or_default().to_string(),
                r["fault"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn hung_servers_never_starve_the_healthy_rows_even_before_their_first_timeout() {
    let env = env_with(|o| o.instances = 24).await;
    env.set_faults(json!({"rate": 0.3, "fault": "hang", "per_instance": true}))
        .await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    // Four slots and a 20 s timeout: were hung checks to keep their slots,
    // the ~7 hanging instances would hold all four within a second or two,
    // and no healthy instance would be checked again for 20 s.
    let mut watch = Watch::spawn(
        &config_text(&env.sandbox.base_url(), &ids, "timeout = \"20s\""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--concurrency", "4"],
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    let first = status_requests(&env).await;
    env.clear_requests().await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let second = status_requests(&env).await;
    watch.signal(Signal::SIGTERM);
    watch.wait_exit(Duration::from_secs(10));

    let hung: HashSet<&str> = first
        .iter()
        .chain(&second)
        .filter(|(_, fault)| fault.as_deref() == Some("hang"))
        .map(|(id, _)| id.as_str())
        .collect();
    let asked: HashSet<&str> = first.iter().map(|(id, _)| id.as_str()).collect();
    let checked_later: HashSet<&str> = second.iter().map(|(id, _)| id.as_str()).collect();
    assert!(
        (4..=12).contains(&hung.len()),
        "about 30 % hang: {}",
        hung.len()
    );
    for id in &ids {
        assert!(
            asked.contains(id.as_str()) || checked_later.contains(id.as_str()),
            "{id} was never checked in 8 s"
        );
        if !hung.contains(id.as_str()) {
            assert!(
                checked_later.contains(id.as_str()),
                "healthy {id} went unchecked from 4 s to 8 s while {} servers hung",
                hung.len()
            );
        }
    }
}
