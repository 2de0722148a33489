//! The history store at fleet size. Prints figures; asserts nothing.
//!   1. a synthetic store: 10,000 instances × 30 days (~1,000,000 periods);
//!      file size per 10,000 instance-days
//!   2. `wadash report --since 30d` on it (release binary): wall time (aim
//!      < 1 s) and peak RSS (aim < 60 MB)
//!   3. dashboard start with that store: App + first frame (never waits for
//!      the store), then how long until the columns' data arrives
//!   4. CPU of the writer thread while 10,000 instances are polled every 10 s
//!      (1,000 observations a second), as % of one core (aim < 10 %)
//!
//! Run: `cargo bench --bench history` (builds the release binary first:
//! `cargo build --release`). WADASH_BENCH_RECORD_SECS shortens part 4.

use std::time::{Duration, Instant, SystemTime};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use wadash::app::history_view::HistoryView;
use wadash::app::init::AppInit;
use wadash::app::state::App;
use wadash::app::{Msg, update};
use wadash::domain::{Cause, Observation, Seen};
use wadash::engine::monitor::InstanceSeed;
use wadash::engine::msg::CoreMsg;
use wadash::history::reader::{self, HistoryAnswer, HistoryQuery};
use wadash::history::{self, History, WriterOptions, seed, store};

const INSTANCES: usize = 10_000;
const DAYS: u32 = 30;

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// utime + stime of one thread of this process (by name), in clock ticks.
fn thread_ticks(name: &str) -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap();
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let f: Vec<&str> = after.split_whitespace().collect();
        total += f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    }
    total
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let ids: Vec<String> = (0..INSTANCES).map(|i| format!("BENCH{i:019}")).collect();
    let now_ms = history::ms(SystemTime::now());

    // 1. The synthetic store.
    let started = Instant::now();
    let mut conn = store::open_writer(&path).unwrap().conn;
    let periods = seed::seed(
        &mut conn,
        &ids,
        seed::SeedOptions {
            now_ms,
            days: DAYS,
            periods_per_day: 3.4,
            grace_ms: 30_000,
            stop_before_now_ms: 60_000,
            seed: 42,
        },
    )
    .unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(conn);
    let bytes = std::fs::metadata(&path).unwrap().len();
    let instance_days = (INSTANCES as u64 * u64::from(DAYS)) as f64;
    println!(
        "store: {INSTANCES} instances × {DAYS} days = {periods} periods, {:.1} MB, \
         {:.2} MB per 10,000 instance-days (seeded in {:.1} s)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / instance_days * 10_000.0,
        started.elapsed().as_secs_f64()
    );

    // 2. The report, as a user runs it.
    let bin = env!("CARGO_BIN_EXE_wadash");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[history]\npath = \"{}\"\n", path.display()),
    )
    .unwrap();
    for format in ["json", "table"] {
        let started = Instant::now();
        let mut child = std::process::Command::new(bin)
            .args([
                "--config",
                config.to_str().unwrap(),
                "report",
                "--since",
                "30d",
                "--format",
                format,
            ])
            .env("HOME", dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut out, &mut buf).unwrap();
            buf.len()
        });
        let mut peak = 0;
        while child.try_wait().unwrap().is_none() {
            peak = peak.max(vm_hwm_kb(pid).unwrap_or(0));
            std::thread::sleep(Duration::from_millis(2));
        }
        let printed = reader.join().unwrap();
        println!(
            "report --since 30d --format {format}: {:.0} ms wall, peak RSS {:.1} MB ({printed} bytes out)",
            started.elapsed().as_secs_f64() * 1000.0,
            peak as f64 / 1024.0
        );
    }

    // 3. Dashboard start with that store.
    let started = Instant::now();
    let seeds: Vec<InstanceSeed> = ids
        .iter()
        .map(|id| InstanceSeed::new(id.clone(), id.clone(), &[]))
        .collect();
    let now = Instant::now();
    let mut app = App::new(AppInit {
        wall: SystemTime::now(),
        ..AppInit::sample(seeds, now)
    });
    app.history = HistoryView::new(Duration::from_secs(86_400));
    let effects = update(&mut app, Msg::tick(now));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.settle();
    terminal
        .draw(|f| {
            wadash::ui::draw(f, &app, &wadash::ui::Theme::from_env());
        })
        .unwrap();
    let first_frame = started.elapsed();
    let conn = store::open_reader(&path).unwrap();
    let mut answers = Vec::new();
    for e in effects {
        if let wadash::engine::Effect::HistoryQuery(q) = e {
            let t = Instant::now();
            let a = reader::answer(&conn, &q).unwrap();
            let what = match (&q, &a) {
                (HistoryQuery::LastStatus, HistoryAnswer::LastStatus(l)) => {
                    format!("last statuses ({})", l.len())
                }
                (HistoryQuery::Summaries { .. }, HistoryAnswer::Summaries { map, .. }) => {
                    format!("24h summaries ({})", map.len())
                }
                (HistoryQuery::Instance { .. }, _) => "selected instance, 30 days".to_string(),
                _ => "?".to_string(),
            };
            answers.push(format!(
                "{what} {:.0} ms",
                t.elapsed().as_secs_f64() * 1000.0
            ));
            update(&mut app, Msg::Core(CoreMsg::History(a)));
        }
    }
    println!(
        "dashboard start ({INSTANCES} rows, store attached): first frame after {:.0} ms (the store is \
         not read before it); then, off the UI thread: {}; columns filled {:.0} ms after start",
        first_frame.as_secs_f64() * 1000.0,
        answers.join(", "),
        started.elapsed().as_secs_f64() * 1000.0
    );

    // 4. Recording while 10,000 instances are polled every 10 s.
    let secs: u64 = std::env::var("WADASH_BENCH_RECORD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let history = History::spawn(
        WriterOptions {
            path: path.clone(),
            grace: Duration::from_secs(30),
            retention: Duration::from_secs(90 * 86_400),
        },
        Box::new(|n| eprintln!("{n}")),
    );
    history.wait_ready(Duration::from_secs(60));
    let before = thread_ticks("history-writer");
    let started = Instant::now();
    let mut sent = 0u64;
    for tick in 0..secs * 10 {
        // 100 answers every 100 ms, spread like the poller spreads them.
        for k in 0..100u64 {
            let i = ((tick * 100 + k) % INSTANCES as u64) as usize;
            history.record(Observation {
                id: ids[i].clone(),
                at: SystemTime::now(),
                kind: if (i + tick as usize / 600).is_multiple_of(50) {
                    Seen::Inactive
                } else {
                    Seen::Active
                },
                detail: Some("Instancia activa".into()),
                cause: Cause::Poll,
                latency: Some(Duration::from_millis(40 + k)),
            });
            sent += 1;
        }
        let next = started + Duration::from_millis(100 * (tick + 1));
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    history.flush(Duration::from_secs(30));
    let ticks = thread_ticks("history-writer") - before;
    let wall = started.elapsed().as_secs_f64();
    println!(
        "recording {sent} observations over {wall:.0} s ({:.0}/s, 10,000 instances every 10 s): \
         writer thread {:.1} % of one core",
        sent as f64 / wall,
        ticks as f64 / 100.0 / wall * 100.0
    );
}
