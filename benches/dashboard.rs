//! The dashboard as a user runs it (release binary in a pseudo-terminal,
//! against the sandbox on loopback). Prints figures; asserts nothing.
//!   1. idle CPU with 100 instances polled every 10 s, over 60 s (target < 1 %)
//!   2. peak RSS with 10,000 instances configured and polled (target < 40 MB)
//!   3. key press → updated screen while 1,000 instances are polled (p99 < 30 ms)
//!
//! Run: `cargo bench --bench dashboard` (about 2 minutes). Set
//! WADASH_BENCH_IDLE_SECS to shorten the idle measurement.

#[path = "../tests/it/common/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::PtySession;
use wadash::sandbox::{self, SandboxOptions};

fn write_config(dir: &std::path::Path, base_url: &str, key: &str, ids: &[String]) -> String {
    let mut text = format!(
        "[[account]]\nname = \"bench\"\nbase_url = \"{base_url}\"\napi_key = \"{key}\"\n\n[ui]\ninterval = \"10s\"\nbell = false\n"
    );
    for id in ids {
        text.push_str(&format!("\n[[instance]]\nid = \"{id}\"\n"));
    }
    let path = dir.join(format!("bench-{}.toml", ids.len()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn proc_field(pid: u32, file: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_comm = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn clk_tck() -> f64 {
    // sysconf(_SC_CLK_TCK) is 100 on every Linux we run on.
    100.0
}

async fn sandbox_with(n: usize, latency_ms: u64) -> sandbox::RunningSandbox {
    let mut opts = SandboxOptions::for_tests();
    opts.instances = n;
    opts.latency = latency_ms;
    sandbox::start(opts).await.expect("sandbox")
}

fn ids(sb: &sandbox::RunningSandbox) -> Vec<String> {
    sb.instances.iter().map(|i| i.id.clone()).collect()
}

/// Row index (0-based) of the first reverse-video row: the selection.
fn selected_row(s: &PtySession) -> Option<u16> {
    s.with_screen(|screen| {
        let (rows, cols) = screen.size();
        (0..rows).find(|&r| {
            (0..cols.min(40)).any(|c| screen.cell(r, c).is_some_and(|cell| cell.inverse()))
        })
    })
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();

    // 1. Idle CPU.
    let idle_secs: u64 = std::env::var("WADASH_BENCH_IDLE_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let sb = sandbox_with(100, 0).await;
    let config = write_config(dir.path(), &sb.base_url(), &sb.api_key, &ids(&sb));
    let s = PtySession::spawn(&["--config", &config], &[], 120, 40);
    s.wait_for("first statuses", Duration::from_secs(20), |sc| {
        sc.contains("active")
    });
    std::thread::sleep(Duration::from_secs(3));
    let pid = s.child.process_id().unwrap();
    let before = cpu_ticks(pid);
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let used = (cpu_ticks(pid) - before) as f64 / clk_tck();
    let wall = start.elapsed().as_secs_f64();
    println!(
        "idle: 100 instances, polled every 10 s, {wall:.0} s: {:.2} % of one core (target < 1 %)",
        used / wall * 100.0
    );
    drop(s);
    sb.shutdown().await;

    // 2. Peak RSS with 10,000 instances.
    let sb = sandbox_with(10_000, 0).await;
    let config = write_config(dir.path(), &sb.base_url(), &sb.api_key, &ids(&sb));
    let s = PtySession::spawn(&["--config", &config, "--concurrency", "64"], &[], 200, 60);
    s.wait_for("first statuses", Duration::from_secs(30), |sc| {
        sc.contains("active")
    });
    let pid = s.child.process_id().unwrap();
    let start = Instant::now();
    // Two full sweeps: every instance answered at least once, memory settled.
    tokio::time::sleep(Duration::from_secs(25)).await;
    let hwm_kb = proc_field(pid, "status", "VmHWM:").unwrap_or(0);
    let rss_kb = proc_field(pid, "status", "VmRSS:").unwrap_or(0);
    println!(
        "memory: 10,000 instances polled for {:.0} s: peak RSS {:.1} MB, now {:.1} MB (target < 40 MB)",
        start.elapsed().as_secs_f64(),
        hwm_kb as f64 / 1024.0,
        rss_kb as f64 / 1024.0
    );
    drop(s);
    sb.shutdown().await;

    // 3. Key press to updated screen under load.
    let sb = sandbox_with(1000, 20).await;
    let config = write_config(dir.path(), &sb.base_url(), &sb.api_key, &ids(&sb));
    let mut s = PtySession::spawn(&["--config", &config, "--interval", "2s"], &[], 120, 40);
    s.wait_for("first statuses", Duration::from_secs(30), |sc| {
        sc.contains("active")
    });
    let mut samples = Vec::new();
    for i in 0..200 {
        let key = if (i / 20) % 2 == 0 { "j" } else { "k" };
        let before = selected_row(&s);
        let start = Instant::now();
        s.send(key);
        loop {
            let now = selected_row(&s);
            if now != before && now.is_some() {
                samples.push(start.elapsed());
                break;
            }
            if start.elapsed() > Duration::from_secs(2) {
                // The selection could not move (top/bottom): not a sample.
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    samples.sort();
    if samples.is_empty() {
        println!("key → screen: no press moved the selection; no figures");
        drop(s);
        sb.shutdown().await;
        return;
    }
    let p = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!(
        "key → screen, 1,000 instances polled every 2 s at 20 ms latency, {} presses: median {:.1} ms, p99 {:.1} ms, max {:.1} ms (target p99 < 30 ms)",
        samples.len(),
        p(0.5),
        p(0.99),
        p(1.0)
    );
    drop(s);
    sb.shutdown().await;
}
