//! `wadash watch`, the real binary, against the real sandbox: reload on
//! SIGHUP (added, removed, refused), SIGTERM, status lines, shards, pacing.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::common::sandbox::{Env, env_with};
use crate::common::watch::{Watch, config_text, label, scrape, series, write_atomic};
use nix::sys::signal::Signal;

const WAIT: Duration = Duration::from_secs(30);

fn ids(env: &Env, n: usize) -> Vec<String> {
    env.sandbox
        .instances
        .iter()
        .take(n)
        .map(|i| i.id.clone())
        .collect()
}

fn ids_in(text: &str, family: &str) -> HashSet<String> {
    series(text, family)
        .into_iter()
        .filter_map(|(labels, _)| label(labels, "id").map(str::to_string))
        .collect()
}

/// Scrape until `pred` holds (bounded).
async fn scrape_until(url: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = scrape(url).await;
        if pred(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "no {what} within {WAIT:?}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_adds_and_removes_instances_keeping_the_others() {
    let env = env_with(|o| o.instances = 4).await;
    let all = ids(&env, 4);
    let base = env.sandbox.base_url();
    let mut w = Watch::spawn(
        &config_text(&base, &all[..2], ""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    let url = w.metrics_url();
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
    let before = scrape(&url).await;
    assert_eq!(
        ids_in(&before, "wadash_instance_up"),
        all[..2].iter().cloned().collect()
    );
    let checks_of = |text: &str, id: &str| {
        series(text, "wadash_instance_status")
            .iter()
            .any(|(l, v)| label(l, "id") == Some(id) && *v == "1")
    };
    assert!(checks_of(&before, &all[1]));

    // Keep 0, drop 1, add 2 and 3.
    let next = vec![all[0].clone(), all[2].clone(), all[3].clone()];
    write_atomic(&w.config, &config_text(&base, &next, ""));
    let mark = w.line_count();
    w.signal(Signal::SIGHUP);
    let (_, line) = w.wait_line_from(mark, "the reload line", WAIT, |l| l.contains(" reload "));
    assert!(
        line.contains("added=2") && line.contains("removed=1") && line.contains("kept=1"),
        "{line}"
    );
    assert!(line.contains(&all[1]) && line.contains(&all[2]), "{line}");
    let after = scrape_until(&url, "the newcomers' first checks", |t| {
        checks_of(t, &all[2]) && checks_of(t, &all[3])
    })
    .await;
    assert_eq!(
        ids_in(&after, "wadash_instance_up"),
        next.iter().cloned().collect()
    );
    assert!(
        !after.contains(&all[1]),
        "the removed instance's series are gone:\n{after}"
    );
    // The kept instance was not reset: its change counter and first-check
    // timestamp survived (a fresh series would be recreated only after a check).
    assert!(ids_in(&after, "wadash_instance_changes_total").contains(&all[0]));
    assert!(
        !w.stderr().contains(&env.sandbox.api_key),
        "the key never appears"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_config_on_sighup_is_refused_and_the_old_one_keeps_running() {
    let env = env_with(|o| o.instances = 3).await;
    let all = ids(&env, 3);
    let base = env.sandbox.base_url();
    let mut w = Watch::spawn(
        &config_text(&base, &all, ""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    let url = w.metrics_url();
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
    // An instance without `id`, on the line after the good config.
    let good = config_text(&base, &all, "");
    let broken = format!("{good}[[instance]]\nlabel = \"no id\"\n");
    let bad_line = good.lines().count() + 1;
    write_atomic(&w.config, &broken);
    let mark = w.line_count();
    w.signal(Signal::SIGHUP);
    let (_, line) = w.wait_line_from(mark, "the refusal", WAIT, |l| {
        l.contains(" reload_refused ")
    });
    // The path is shown as the user knows it (~ for HOME), then line:col.
    assert!(
        line.contains(&format!("/config.toml:{bad_line}:1: missing field `id`")),
        "file:line:col in {line}"
    );
    // Still polling the old roster.
    let checks = |t: &str| -> u64 {
        series(t, "wadash_checks_total")
            .iter()
            .map(|(_, v)| v.parse::<u64>().unwrap())
            .sum()
    };
    let then = checks(&scrape(&url).await);
    let now = scrape_until(&url, "more checks after the refusal", |t| {
        checks(t) >= then + 3
    })
    .await;
    assert_eq!(ids_in(&now, "wadash_instance_up").len(), 3);
    assert!(w.child.try_wait().unwrap().is_none(), "still running");

    // A status change is one line, with who, from and to.
    let linked = env.sandbox.instances[..3]
        .iter()
        .find(|i| i.active)
        .expect("the demo mix has an active one among the first three")
        .id
        .clone();
    env.control(&linked, "drop").await;
    let line = w.wait_line("the drop", WAIT, |l| l.contains(" warn status "));
    assert!(
        line.contains(&format!("id={linked}")) && line.contains("from=active to=inactive"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_exits_0_within_two_seconds() {
    let env = env_with(|o| {
        o.instances = 20;
        o.latency = 300;
    })
    .await;
    let base = env.sandbox.base_url();
    let mut w = Watch::spawn(
        &config_text(&base, &ids(&env, 20), ""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--log-format", "json"],
    );
    w.wait_line("the start line", WAIT, |l| {
        l.contains("\"event\":\"start\"")
    });
    // Requests in flight (300 ms each) when the signal comes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = Instant::now();
    w.signal(Signal::SIGTERM);
    let status = w
        .wait_exit(Duration::from_secs(2))
        .expect("exit within 2 s of SIGTERM");
    assert!(status.success(), "{status}");
    assert!(sent.elapsed() < Duration::from_secs(2));
    std::thread::sleep(Duration::from_millis(100));
    let stop = w.wait_line("the stop line", WAIT, |l| l.contains("\"event\":\"stop\""));
    let v: serde_json::Value = serde_json::from_str(&stop).unwrap();
    assert_eq!(
        (v["reason"].as_str(), v["writes"].as_str()),
        (Some("SIGTERM"), Some("flushed"))
    );
    for line in w.stderr().lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn three_shards_cover_every_instance_exactly_once() {
    let env = env_with(|o| o.instances = 30).await;
    let all: HashSet<String> = ids(&env, 30).into_iter().collect();
    let text = config_text(&env.sandbox.base_url(), &ids(&env, 30), "");
    let mut seen: Vec<HashSet<String>> = Vec::new();
    for k in 0..3 {
        let shard = format!("{k}/3");
        let mut w = Watch::spawn(
            &text,
            &env.sandbox.api_key,
            &[
                "--shard",
                &shard,
                "--interval",
                "1s",
                "--metrics",
                "127.0.0.1:0",
            ],
        );
        let url = w.metrics_url();
        let start = w.wait_line("the start line", WAIT, |l| l.contains(" start "));
        assert!(
            start.contains(&format!("shard={shard}")) && start.contains("fleet=30"),
            "{start}"
        );
        w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
        let metrics = scrape(&url).await;
        let mine = ids_in(&metrics, "wadash_instance_status");
        assert_eq!(
            mine,
            ids_in(&metrics, "wadash_instance_info"),
            "every owned instance checked"
        );
        seen.push(mine);
    }
    let union: HashSet<String> = seen.iter().flatten().cloned().collect();
    assert_eq!(union, all, "every instance is watched");
    assert_eq!(
        seen.iter().map(HashSet::len).sum::<usize>(),
        30,
        "and by one watcher only"
    );
    assert!(seen.iter().all(|s| !s.is_empty()), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_rate_caps_requests_to_its_server() {
    let env = env_with(|o| o.instances = 30).await;
    let base = env.sandbox.base_url();
    // 30 instances every second would be 30 requests/s; the account allows 5.
    let mut w = Watch::spawn(
        &config_text(&base, &ids(&env, 30), "rate = \"5/s\""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--concurrency", "64"],
    );
    w.wait_line("the start line", WAIT, |l| l.contains(" start "));
    let count = || async {
        let all = env.get_json("/_sandbox/instances").await;
        all.as_array()
            .unwrap()
            .iter()
            .map(|i| i["requests"]["status"].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let a = count().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let b = count().await;
    // 3 s at 5/s: 15, give or take one slot at each end.
    assert!(
        (12..=17).contains(&(b - a)),
        "{} requests in 3 s at 5/s",
        b - a
    );
    // And the watcher says the interval cannot be met.
    w.wait_line("the slow-cycle warning", WAIT, |l| {
        l.contains(" cycle_slow ")
    });
}
