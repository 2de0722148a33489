//! Soak: the release dashboard in a pseudo-terminal polling 1,000 sandbox
//! instances (loopback) with 5 % of requests failing, the kind of failure
//! changing every 15 s (hang, reset, 502 page, not JSON, cut body, terminal
//! escapes, echoed headers), for WADASH_SOAK_MINUTES (default 10) minutes.
//! Prints RSS at minute 1 and at the end, rows still "checking" at the end,
//! and key press → screen latency sampled throughout. Run via
//! `scripts/soak.sh [MINUTES]`.

#[path = "../tests/it/common/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::PtySession;
use wadash::sandbox::{self, SandboxOptions};

const FAULTS: [&str; 7] = [
    "hang",
    "reset",
    "http502-html",
    "not-json",
    "truncated",
    "control-chars",
    "echo-headers",
];

/// A `Name: N kB` field of a /proc file, in kB.
fn proc_kb(pid: u32, file: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn rss_kb(pid: u32) -> u64 {
    proc_kb(pid, "status", "VmRSS:")
}

/// The selected instance's id, from the first line of the details pane.
/// Not the highlighted row's position: that stays put when `j` scrolls the
/// list and moves when a re-sort does, and measured re-sorts, not keys.
fn selected_id(s: &PtySession) -> Option<String> {
    s.with_screen(|screen| {
        let text = screen.contents();
        let mut lines = text.lines().skip_while(|l| !l.contains("Details"));
        lines.next()?;
        let pane = lines.next()?.rsplit('│').next()?;
        pane.split_whitespace()
            .max_by_key(|w| w.len())
            .map(str::to_string)
    })
}

/// One j/k press: time until the details show another instance (None if
/// it did not within 2 s).
fn press(s: &mut PtySession, key: &str) -> Option<Duration> {
    let before = selected_id(s);
    let start = Instant::now();
    s.send(key);
    while start.elapsed() < Duration::from_secs(2) {
        let now = selected_id(s);
        if now != before && now.is_some() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    None
}

/// From the header, over the whole roster: rows never answered (`· N`) and
/// checks open past the overdue mark (`(N waiting on slow servers)`).
fn header_counts(s: &PtySession) -> (u64, u64) {
    let screen = s.screen();
    let header = screen.lines().next().unwrap_or_default().to_string();
    let number_after = |mark: &str| {
        header
            .split_once(mark)
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let unanswered = number_after("· ");
    let waiting = header
        .split_once(" waiting on slow servers")
        .and_then(|(before, _)| before.rsplit('(').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    (unanswered, waiting)
}

#[tokio::main]
async fn main() {
    let minutes: u64 = std::env::var("WADASH_SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .max(2);
    let mut opts = SandboxOptions::for_tests();
    opts.instances = 1000;
    opts.latency = 20;
    let sb = sandbox::start(opts).await.expect("sandbox on loopback");
    // Installs the rustls crypto provider the plain reqwest client needs.
    let _ = wadash::api::Client::new();
    let http = reqwest::Client::new();
    let dir = tempfile::tempdir().unwrap();
    let mut config = format!(
        "[[account]]\nname = \"soak\"\nbase_url = \"{}\"\napi_key = \"{}\"\ntimeout = \"5s\"\n\n[ui]\nbell = false\n",
        sb.base_url(),
        sb.api_key
    );
    for inst in &sb.instances {
        config.push_str(&format!("\n[[instance]]\nid = \"{}\"\n", inst.id));
    }
    // E.g. "[history]\nenabled = false", to see what a part costs.
    if let Ok(extra) = std::env::var("WADASH_SOAK_CONFIG") {
        config.push_str(&format!("\n{}\n", extra.replace("\\n", "\n")));
    }
    let path = dir.path().join("soak.toml");
    std::fs::write(&path, config).unwrap();
    let path = path.display().to_string();
    let state_dir = std::env::var("WADASH_SOAK_STATE").unwrap_or_default();
    let envs: Vec<(&str, &str)> = if state_dir.is_empty() {
        vec![]
    } else {
        vec![("XDG_STATE_HOME", state_dir.as_str())]
    };
    let mut s = PtySession::spawn(
        &["--config", &path, "--interval", "5s", "--lang", "en"],
        &envs,
        120,
        40,
    );
    s.wait_for("first statuses", Duration::from_secs(60), |sc| {
        sc.contains("active")
    });
    let pid = s.child.process_id().unwrap();
    let started = Instant::now();
    let end = started + Duration::from_secs(minutes * 60);
    let mut rss_minute_1 = None;
    let mut samples = Vec::new();
    let mut fault_index = 0;
    let mut next_fault = Instant::now();
    let mut presses = 0u64;
    // (RSS, anonymous) in kB at the start of each minute.
    let mut by_minute: Vec<(u64, u64)> = Vec::new();
    while Instant::now() < end {
        if Instant::now() >= next_fault {
            let fault = FAULTS[fault_index % FAULTS.len()];
            fault_index += 1;
            next_fault = Instant::now() + Duration::from_secs(15);
            let _ = http
                .post(format!("{}/_sandbox/faults", sb.base_url()))
                .json(&serde_json::json!({"rate": 0.05, "fault": fault, "latency_ms": 20}))
                .send()
                .await;
        }
        if rss_minute_1.is_none() && started.elapsed() >= Duration::from_secs(60) {
            rss_minute_1 = Some(rss_kb(pid));
        }
        let minute = started.elapsed().as_secs() / 60;
        if minute >= by_minute.len() as u64 {
            by_minute.push((rss_kb(pid), proc_kb(pid, "smaps_rollup", "Anonymous:")));
        }
        let key = if (presses / 20).is_multiple_of(2) {
            "j"
        } else {
            "k"
        };
        presses += 1;
        if let Some(d) = press(&mut s, key) {
            if d > Duration::from_millis(50) {
                eprintln!(
                    "slow key at {:.1} s: {:.1} ms",
                    started.elapsed().as_secs_f64(),
                    d.as_secs_f64() * 1e3
                );
            }
            samples.push(d);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let rss_end = rss_kb(pid);
    // Faults off; every row must leave "checking" within a timeout + interval.
    let _ = http
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .json(&serde_json::json!({}))
        .send()
        .await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    let stuck_on_screen = s.screen().matches("checking").count();
    let (unanswered, waiting) = header_counts(&s);
    samples.sort();
    let p = |q: f64| {
        samples
            .get(((samples.len().max(1) - 1) as f64 * q) as usize)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    };
    let rss1 = rss_minute_1.unwrap_or(0);
    println!("soak: 1,000 instances, 5 % mixed faults, {minutes} min, interval 5 s, 20 ms latency");
    println!(
        "RSS: minute 1 {:.1} MB, end {:.1} MB ({:+.1} %; target within 10 %)",
        rss1 as f64 / 1024.0,
        rss_end as f64 / 1024.0,
        (rss_end as f64 - rss1 as f64) / rss1.max(1) as f64 * 100.0
    );
    let mb = |kb: u64| format!("{:.1}", kb as f64 / 1024.0);
    println!(
        "RSS by minute (MB): {}; of it anonymous: {}",
        by_minute
            .iter()
            .map(|m| mb(m.0))
            .collect::<Vec<_>>()
            .join(" "),
        by_minute
            .iter()
            .map(|m| mb(m.1))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "after faults stopped, of all 1,000 rows: never answered {unanswered}, checks open past 2 s {waiting}; \"checking\" on screen {stuck_on_screen} (target 0)"
    );
    println!(
        "key → screen, {} presses: median {:.1} ms, p99 {:.1} ms, max {:.1} ms (target p99 < 50 ms)",
        samples.len(),
        p(0.5),
        p(0.99),
        p(1.0)
    );
    // Figures first: a slow exit must not lose them.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let asked = Instant::now();
    s.send("q");
    let status = s.wait_exit(Duration::from_secs(30));
    println!(
        "exit on q: {status:?} after {:.2} s",
        asked.elapsed().as_secs_f64()
    );
    sb.shutdown().await;
}
