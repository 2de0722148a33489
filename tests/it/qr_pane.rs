//! The QR pane against the real sandbox over loopback HTTP, with the real
//! worker: what is drawn scans back to the pairing text the sandbox issued
//! (at 80×24, 120×40, both polarities, without colour), a terminal too
//! small gets a message and no code, the code refreshes, and a scan turns
//! into "Connected" and an active row.

use std::time::{Duration, Instant, SystemTime};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use serde_json::Value;
use tokio::sync::mpsc;
use wadash::api::{Account, Client};
use wadash::app::init::AppInit;
use wadash::app::{App, Mode, Msg, update};
use wadash::engine::effect::Effect;
use wadash::engine::monitor::InstanceSeed;
use wadash::engine::msg::CoreMsg;
use wadash::engine::pairing::qr_pane::{QrPane, Stage};
use wadash::qr::{self, DrawMode};
use wadash::sandbox::{self, RunningSandbox, SandboxOptions};
use wadash::secret::Secret;
use wadash::ui::{self, Theme};
use wadash::worker::{Worker, WorkerPaths};

/// The app, the real worker, and the sandbox they talk to.
struct Harness {
    sandbox: RunningSandbox,
    app: App,
    worker: Worker,
    rx: mpsc::UnboundedReceiver<CoreMsg>,
    id: String,
    bells: usize,
}

async fn harness(qr_rotate: Duration, qr_refresh: Duration) -> Harness {
    let mut opts = SandboxOptions::for_tests();
    opts.qr_rotate = qr_rotate;
    opts.instances = 2;
    opts.active_ratio = 0.0;
    let sandbox = sandbox::start(opts).await.expect("sandbox starts");
    let demo = sandbox.instances[0].clone();
    assert!(!demo.active, "the test needs an unlinked instance");
    let account = Account::new(
        "main",
        &sandbox.base_url(),
        Secret::new(sandbox.api_key.clone()),
        false,
    )
    .expect("loopback http is allowed");
    let (tx, rx) = mpsc::unbounded_channel();
    let worker = Worker::spawn(Client::new(), vec![account], 4, tx, WorkerPaths::default());
    let tags: Vec<&str> = demo.tags.iter().map(String::as_str).collect();
    let seeds = vec![InstanceSeed::new(
        demo.id.clone(),
        demo.label.clone(),
        &tags,
    )];
    let app = App::new(AppInit {
        // The list's own polls stay out of the way (one at start).
        interval: Duration::from_secs(3600),
        concurrency: 4,
        bell: true,
        qr_refresh,
        wall: SystemTime::now(),
        ..AppInit::sample(seeds, Instant::now())
    });
    Harness {
        sandbox,
        app,
        worker,
        rx,
        id: demo.id,
        bells: 0,
    }
}

impl Harness {
    fn send(&mut self, msg: Msg) {
        for effect in update(&mut self.app, msg) {
            match effect {
                Effect::Bell => self.bells += 1,
                effect => self.worker.run(effect),
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// Run the loop the dashboard runs (ticks every 50 ms, answers as they
    /// come) until `done` holds; panics after `limit`.
    async fn run_until(&mut self, limit: Duration, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + limit;
        while !done(&self.app) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            match tokio::time::timeout(Duration::from_millis(50), self.rx.recv()).await {
                Ok(Some(msg)) => self.send(Msg::Core(msg)),
                Ok(None) => panic!("worker channel closed"),
                Err(_) => {}
            }
            self.send(Msg::tick(Instant::now()));
        }
    }

    /// Keep the loop running for a while, whatever happens.
    async fn run_for(&mut self, period: Duration) {
        let end = Instant::now() + period;
        self.run_until(
            period + Duration::from_secs(5),
            "the period to pass",
            |app| app.monitor.now >= end,
        )
        .await;
    }

    fn pane(&self) -> &QrPane {
        match &self.app.mode {
            Mode::Qr(pane) => pane,
            other => panic!("expected the QR pane, got {:?}", other.kind()),
        }
    }

    fn payload(&self) -> Option<String> {
        match &self.app.mode {
            Mode::Qr(pane) => pane.code.as_ref().map(|c| c.payload.clone()),
            _ => None,
        }
    }

    async fn sandbox_state(&self) -> Value {
        let url = format!("{}/_sandbox/instances/{}", self.sandbox.base_url(), self.id);
        reqwest::get(url).await.unwrap().json().await.unwrap()
    }

    async fn scan(&self) {
        let url = format!(
            "{}/_sandbox/instances/{}/scan",
            self.sandbox.base_url(),
            self.id
        );
        let resp = reqwest::Client::new().post(url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
    }

    /// Open the pane and wait for the first code.
    async fn open_with_code(&mut self) -> String {
        self.key(KeyCode::Char('c'));
        assert!(matches!(self.app.mode, Mode::Qr(_)));
        self.run_until(
            Duration::from_secs(10),
            "a QR code",
            |app| matches!(&app.mode, Mode::Qr(p) if p.code.is_some()),
        )
        .await;
        self.payload().unwrap()
    }
}

fn render(app: &App, width: u16, height: u16, theme: Theme) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(frame, app, &theme);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The pane's area: the body between the header (1 row) and the status bar (2).
fn body(width: u16, height: u16) -> Rect {
    Rect::new(0, 1, width, height - 3)
}

fn text(buffer: &Buffer) -> String {
    buffer.content().iter().map(|c| c.symbol()).collect()
}

fn is_sextant(c: char) -> bool {
    ('\u{1FB00}'..='\u{1FB3B}').contains(&c)
}

/// Any glyph a QR drawing is made of (space aside).
fn is_qr_glyph(c: char) -> bool {
    matches!(c, '█' | '▀' | '▄' | '▌' | '▐') || is_sextant(c)
}

fn glyphs_in(buffer: &Buffer, area: Rect) -> Vec<char> {
    area.positions()
        .filter_map(|p| buffer.cell(p))
        .filter_map(|c| c.symbol().chars().next())
        .filter(|&c| is_qr_glyph(c))
        .collect()
}

const COLOR: Theme = Theme::new(true);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_code_scans_back_at_80x24_in_compact_mode_both_polarities() {
    let mut h = harness(Duration::from_secs(60), Duration::from_secs(20)).await;
    let payload = h.open_with_code().await;
    let issued = h.sandbox_state().await["qr_text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(payload, issued, "the worker decoded the sandbox's QR value");

    let (w, hgt) = (80, 24);
    let buffer = render(&h.app, w, hgt, COLOR);
    let screen = text(&buffer);
    assert!(
        glyphs_in(&buffer, body(w, hgt))
            .iter()
            .any(|&c| is_sextant(c)),
        "compact mode is the one that fits 80×24"
    );
    assert!(screen.contains(&h.pane().label), "the label is shown");
    assert!(
        screen.contains("Linked devices"),
        "the instruction is shown"
    );
    assert!(screen.contains("New code in"), "the countdown is shown");
    assert_eq!(qr::decode_buffer(&buffer, body(w, hgt)).unwrap(), issued);

    h.key(KeyCode::Char('i'));
    assert!(h.pane().invert);
    let inverted = render(&h.app, w, hgt, COLOR);
    assert_ne!(text(&inverted), screen, "inverting changes the glyphs");
    assert_eq!(qr::decode_buffer(&inverted, body(w, hgt)).unwrap(), issued);

    // NO_COLOR: the code is still drawn black on white explicitly (a
    // camera reads it from the cells' colours, whatever the terminal's
    // theme), in both polarities.
    for invert in [true, false] {
        if h.pane().invert != invert {
            h.key(KeyCode::Char('i'));
        }
        let plain = render(&h.app, w, hgt, Theme::new(false));
        for pos in body(w, hgt).positions() {
            let cell = &plain[pos];
            if is_sextant(cell.symbol().chars().next().unwrap_or(' ')) {
                assert_ne!(
                    cell.bg,
                    ratatui::style::Color::Reset,
                    "explicit colours at {pos:?}"
                );
            }
        }
        assert_eq!(
            qr::camera::decode_as_seen(&plain, body(w, hgt)).unwrap(),
            issued
        );
    }
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_code_scans_back_at_120x40_with_half_blocks_both_polarities() {
    let mut h = harness(Duration::from_secs(60), Duration::from_secs(20)).await;
    let payload = h.open_with_code().await;
    let (w, hgt) = (120, 40);
    for invert in [false, true] {
        if h.pane().invert != invert {
            h.key(KeyCode::Char('i'));
        }
        let buffer = render(&h.app, w, hgt, COLOR);
        let glyphs = glyphs_in(&buffer, body(w, hgt));
        assert!(glyphs.iter().any(|&c| c == '▀' || c == '▄'), "half blocks");
        assert!(!glyphs.iter().any(|&c| is_sextant(c)), "no sextants");
        assert_eq!(qr::decode_buffer(&buffer, body(w, hgt)).unwrap(), payload);
    }
    // `m` twice forces compact even where half blocks would fit.
    h.key(KeyCode::Char('m'));
    h.key(KeyCode::Char('m'));
    let buffer = render(&h.app, w, hgt, COLOR);
    assert!(
        glyphs_in(&buffer, body(w, hgt))
            .iter()
            .any(|&c| is_sextant(c))
    );
    assert_eq!(qr::decode_buffer(&buffer, body(w, hgt)).unwrap(), payload);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_small_says_how_big_and_draws_no_code_then_redraws_when_grown() {
    let mut h = harness(Duration::from_secs(60), Duration::from_secs(20)).await;
    let payload = h.open_with_code().await;
    let small = render(&h.app, 60, 16, COLOR);
    let screen = text(&small);
    assert!(screen.contains("Enlarge the terminal"), "{screen}");
    let width = h.pane().code.as_ref().unwrap().modules.width();
    let (_, (cw, ch)) = ui::qr_pane::terminal_needed(width, qr::ModeChoice::Auto)[0];
    assert!(screen.contains(&format!("{cw}×{ch}")), "{screen}");
    assert_eq!(glyphs_in(&small, body(60, 16)), Vec::<char>::new());
    // The same state, a bigger terminal: the code at once.
    let grown = render(&h.app, cw, ch, COLOR);
    assert_eq!(qr::decode_buffer(&grown, body(cw, ch)).unwrap(), payload);
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tight_quiet_zone_is_used_only_when_needed_and_said() {
    let mut h = harness(Duration::from_secs(60), Duration::from_secs(20)).await;
    let payload = h.open_with_code().await;
    let width = h.pane().code.as_ref().unwrap().modules.width();
    let (_, rows_tight) = qr::cells_needed(width, DrawMode::Compact, qr::QUIET_TIGHT);
    let height = rows_tight + 3;
    let buffer = render(&h.app, 80, height, COLOR);
    let screen = text(&buffer);
    assert!(screen.contains("Narrow margin"), "{screen}");
    assert_eq!(
        qr::decode_buffer(&buffer, body(80, height)).unwrap(),
        payload
    );
    // With room for the full quiet zone, no note.
    let roomy = render(&h.app, 120, 40, COLOR);
    assert!(!text(&roomy).contains("Narrow margin"));
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refreshes_then_scan_connects_and_the_row_turns_active() {
    let mut h = harness(Duration::from_millis(500), Duration::from_millis(600)).await;
    let first = h.open_with_code().await;
    // A new code after the interval (the sandbox rotates every 500 ms).
    h.run_until(Duration::from_secs(10), "a new code", |app| {
        matches!(&app.mode, Mode::Qr(p) if p.code.as_ref().is_some_and(|c| c.payload != first))
    })
    .await;
    assert!(h.pane().code.as_ref().unwrap().number >= 2);
    assert_eq!(h.bells, 0);

    h.scan().await;
    let scanned = Instant::now();
    h.run_until(
        Duration::from_secs(5),
        "Connected",
        |app| matches!(&app.mode, Mode::Qr(p) if matches!(p.stage, Stage::Connected { .. })),
    )
    .await;
    assert!(scanned.elapsed() < Duration::from_secs(5));
    assert_eq!(h.bells, 1, "the bell rang once");
    let screen = text(&render(&h.app, 80, 24, COLOR));
    assert!(screen.contains("Connected in"), "{screen}");
    assert!(
        h.app.monitor.rows[0].is_active(),
        "the row is active already"
    );

    // About 2 s later the pane closes by itself, back to the list.
    h.run_until(Duration::from_secs(4), "the pane to close", |app| {
        matches!(app.mode, Mode::List)
    })
    .await;
    let screen = text(&render(&h.app, 80, 24, COLOR));
    assert!(screen.contains("● active"), "{screen}");
    h.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_stops_the_requests() {
    let mut h = harness(Duration::from_millis(300), Duration::from_millis(300)).await;
    h.open_with_code().await;
    h.run_for(Duration::from_millis(700)).await;
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.mode, Mode::List));
    // Let anything already in flight land, then count.
    h.run_for(Duration::from_millis(500)).await;
    let count = |state: &Value| state["requests"]["qr"].as_u64().unwrap_or(0);
    let before = count(&h.sandbox_state().await);
    assert!(
        before >= 2,
        "the pane was refreshing ({before} QR requests)"
    );
    h.run_for(Duration::from_millis(1500)).await;
    assert_eq!(count(&h.sandbox_state().await), before);
    assert!(matches!(h.app.mode, Mode::List));
    h.sandbox.shutdown().await;
}
