//! Frame cost at 200×60 with 10,000 instances (target: median under 2 ms),
//! and the cost of absorbing a full sweep of status answers into the state.
//! Prints figures; asserts nothing. Run: `cargo bench --bench render`.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use wadash::api::{InstanceStatus, StatusReply};
use wadash::app::init::AppInit;
use wadash::app::msg::Msg;
use wadash::app::state::App;
use wadash::app::update;
use wadash::engine::monitor::InstanceSeed;
use wadash::engine::msg::{ApiDone, CoreMsg, Reply};
use wadash::engine::{Call, Purpose};
use wadash::i18n::Lang;
use wadash::ui::{Theme, draw};

fn app(n: usize, now: Instant) -> App {
    let seeds = (0..n)
        .map(|i| {
            InstanceSeed::new(
                format!("{i:024X}"),
                format!("Tienda {i:05}"),
                &["peru", "ventas"],
            )
        })
        .collect();
    App::new(AppInit {
        lang: Lang::Es,
        ..AppInit::sample(seeds, now)
    })
}

fn answer(id: String, at: Instant, i: usize) -> Msg {
    let status = if i.is_multiple_of(3) {
        InstanceStatus::Inactive
    } else {
        InstanceStatus::Active
    };
    Msg::Core(CoreMsg::Api(ApiDone {
        instance: id,
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: Duration::from_millis(20 + (i % 50) as u64),
        result: Ok(Reply::Status(StatusReply {
            text: "Instancia activa".into(),
            status,
        })),
    }))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let n = 10_000;
    let t0 = Instant::now();
    let mut app = app(n, t0);
    let ids: Vec<String> = app.monitor.rows.iter().map(|r| r.id.clone()).collect();

    // A full sweep of answers, as the run loop would feed them.
    let start = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        update(&mut app, answer(id.clone(), t0, i));
    }
    app.settle();
    let sweep = start.elapsed();

    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let theme = Theme::new(true);
    let mut samples = Vec::new();
    for round in 0..400 {
        // Move the selection so each frame differs, like a user scrolling.
        app.selected = (round * 37) % n;
        app.clamp_offset();
        let start = Instant::now();
        let mut regions = Default::default();
        terminal.draw(|f| regions = draw(f, &app, &theme)).unwrap();
        samples.push(start.elapsed());
        app.regions = regions;
    }
    samples.sort();
    println!("render 200x60, {n} instances, 400 frames:");
    println!(
        "  median {:.3} ms   p99 {:.3} ms   max {:.3} ms   (target: median < 2 ms)",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "absorb one sweep of {n} status answers into the state + re-sort: {:.1} ms ({:.2} µs per answer)",
        sweep.as_secs_f64() * 1e3,
        sweep.as_secs_f64() * 1e6 / n as f64
    );
}
