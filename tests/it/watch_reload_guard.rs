//! A reload cannot empty the monitor (issue 18, item 2): a config emptied
//! in place, moved away, or left without instances is refused on SIGHUP
//! like a broken one, and the old roster keeps being watched and exported;
//! a reload that removes more than half of the fleet is taken with a warning.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::common::sandbox::env_with;
use crate::common::watch::{Watch, config_text, label, scrape, series, write_atomic};
use nix::sys::signal::Signal;

const WAIT: Duration = Duration::from_secs(30);

fn up_ids(text: &str) -> HashSet<String> {
    series(text, "wadash_instance_up")
        .into_iter()
        .filter_map(|(labels, _)| label(labels, "id").map(str::to_string))
        .collect()
}

fn checks(text: &str) -> u64 {
    series(text, "wadash_checks_total")
        .iter()
        .map(|(_, v)| v.parse::<u64>().unwrap())
        .sum()
}

/// SIGHUP, then the refusal line; the old roster is still exported and
/// still checked afterwards.
async fn refused(w: &mut Watch, url: &str, all: &HashSet<String>, why: &str) -> String {
    let mark = w.line_count();
    w.signal(Signal::SIGHUP);
    let (at, line) = w.wait_line_from(mark, "the refusal", WAIT, |l| {
        l.contains(" reload_refused ")
    });
    assert!(line.contains(why), "{why} in {line}");
    let then = checks(&scrape(url).await);
    let deadline = Instant::now() + WAIT;
    loop {
        let text = scrape(url).await;
        assert_eq!(&up_ids(&text), all, "the old roster is exported:\n{text}");
        if checks(&text) >= then + 4 {
            break;
        }
        assert!(Instant::now() < deadline, "no checks after the refusal");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after: Vec<String> = w.lines.lock().unwrap()[at..].to_vec();
    assert!(
        !after.iter().any(|l| l.contains(" reload ")),
        "nothing was applied: {after:?}"
    );
    line
}

#[tokio::test(flavor = "multi_thread")]
async fn an_emptied_moved_or_instanceless_config_is_refused_on_sighup() {
    let env = env_with(|o| o.instances = 4).await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    let all: HashSet<String> = ids.iter().cloned().collect();
    let base = env.sandbox.base_url();
    let good = config_text(&base, &ids, "");
    let mut w = Watch::spawn(
        &good,
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    let url = w.metrics_url();
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
    assert_eq!(up_ids(&scrape(&url).await), all);

    // Truncated in place (a config-management tool's non-atomic write).
    std::fs::write(&w.config, "").unwrap();
    let line = refused(&mut w, &url, &all, "no instances").await;
    assert!(line.contains(" warn reload_refused "), "a warning: {line}");

    // Moved away.
    let moved = w.config.with_extension("moved");
    std::fs::rename(&w.config, &moved).unwrap();
    refused(&mut w, &url, &all, "cannot read").await;

    // Accounts but no instance.
    write_atomic(&w.config, &config_text(&base, &[], ""));
    refused(&mut w, &url, &all, "no instances").await;

    // A good config again is taken as usual.
    write_atomic(&w.config, &good);
    let mark = w.line_count();
    w.signal(Signal::SIGHUP);
    let (_, line) = w.wait_line_from(mark, "the reload line", WAIT, |l| l.contains(" reload "));
    assert!(line.contains("kept=4"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_more_than_half_is_taken_with_a_warning() {
    let env = env_with(|o| o.instances = 4).await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    let base = env.sandbox.base_url();
    let mut w = Watch::spawn(
        &config_text(&base, &ids, ""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    let url = w.metrics_url();
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));

    // Half (2 of 4) is not more than half: no warning.
    write_atomic(&w.config, &config_text(&base, &ids[..2], ""));
    let mark = w.line_count();
    w.signal(Signal::SIGHUP);
    let (at, _) = w.wait_line_from(mark, "the reload line", WAIT, |l| l.contains(" reload "));
    assert!(
        !w.lines.lock().unwrap()[mark..=at]
            .iter()
            .any(|l| l.contains("reload_shrinks")),
        "{}",
        w.stderr()
    );

    // Back to 4, then down to 1: 3 of 4 leave.
    write_atomic(&w.config, &config_text(&base, &ids, ""));
    let mark = w.line_count();
    w.signal(Signal::SIGHUP);
    let (mark, _) = w.wait_line_from(mark, "the reload line", WAIT, |l| l.contains(" reload "));
    write_atomic(&w.config, &config_text(&base, &ids[..1], ""));
    w.signal(Signal::SIGHUP);
    let (_, warn) = w.wait_line_from(mark + 1, "the warning", WAIT, |l| {
        l.contains(" reload_shrinks ")
    });
    assert!(
        warn.contains(" warn ") && warn.contains("removed=3") && warn.contains("of=4"),
        "{warn}"
    );
    w.wait_line_from(mark + 1, "the reload line", WAIT, |l| {
        l.contains(" reload ") && l.contains("removed=3")
    });
    let deadline = Instant::now() + WAIT;
    while up_ids(&scrape(&url).await).len() != 1 {
        assert!(Instant::now() < deadline, "the removal applied");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
