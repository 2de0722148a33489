//! The dashboard face: terminal events, ticks and API answers in; the pure
//! `update`; effects out to the worker; a redraw only when something changed.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc;

use crate::api::Client;
use crate::app::msg::Msg;
use crate::app::state::{AccountView, App, AppInit, InstanceSeed};
use crate::app::update;
use crate::config::Roster;
use crate::i18n::Lang;
use crate::memory::{LoadOutcome, Memory};
use crate::tui::{self, TerminalGuard};
use crate::ui::{self, Theme};
use crate::worker::{Worker, WorkerPaths};

/// Ticks drive schedules and countdowns; a redraw happens only when the
/// state says it is dirty, so an idle dashboard mostly sleeps.
const TICK: Duration = Duration::from_millis(250);

/// At most one frame (and one re-sort) per this long: 10,000 instances
/// answer about a thousand times a second, one by one, and each used to
/// cost a sort and a frame. A key still shows within one frame.
const FRAME: Duration = Duration::from_millis(33);

/// Everything the dashboard needs, resolved by the CLI.
pub struct DashboardOptions {
    pub roster: Roster,
    /// The config file that `A`/`X` edit; None for the demo and ad-hoc flags.
    pub config_path: Option<PathBuf>,
    /// Where the memory of what was set lives (state.toml beside the config).
    pub memory_path: Option<PathBuf>,
    pub lang: Lang,
    pub interval: Duration,
    pub concurrency: usize,
    pub bell: bool,
    pub read_only: bool,
    pub qr_refresh: Duration,
    /// Shown once at start (e.g. a config permission warning).
    pub notice: Option<String>,
    /// The log file, printed after a panic.
    pub log_path: Option<PathBuf>,
    /// `[history]`: the status store (off when disabled).
    pub history: crate::history::HistoryConfig,
    /// `[alerts]`: the engine's rules and where alerts go.
    pub alerts: crate::config::alerts::AlertsConfig,
    /// The store holding alert state and silences (the history file).
    pub alert_store: Option<PathBuf>,
}

/// The state a dashboard starts with, without a terminal (tests and benches
/// build it the same way).
pub fn initial_app(options: &DashboardOptions, memory: Memory, notice: Option<String>) -> App {
    let accounts = options
        .roster
        .accounts
        .iter()
        .map(|a| AccountView {
            name: a.name.clone(),
            base_url: a.base_url.to_string(),
            key_masked: a.api_key.masked(),
        })
        .collect();
    let instances = options
        .roster
        .instances
        .iter()
        .map(|i| InstanceSeed {
            id: i.id.clone(),
            label: i.label.clone(),
            account: i.account,
            tags: i.tags.clone(),
        })
        .collect();
    let mut app = App::new(AppInit {
        accounts,
        instances,
        lang: options.lang,
        interval: options.interval,
        concurrency: options.concurrency,
        bell: options.bell,
        read_only: options.read_only,
        config_path: options.config_path.clone(),
        memory,
        qr_refresh: options.qr_refresh,
        now: Instant::now(),
        wall: SystemTime::now(),
        notice,
    });
    crate::alerts::feed::start(
        &mut app,
        &options.alerts,
        options.interval,
        options.alert_store.as_deref(),
    );
    app
}

fn load_memory(path: Option<&PathBuf>, lang: Lang) -> (Memory, Option<String>) {
    let Some(path) = path else {
        return (Memory::default(), None);
    };
    let s = lang.strings();
    let (memory, outcome) = Memory::load(path);
    let notice = match outcome {
        LoadOutcome::MovedAside { to, reason } => Some(format!(
            "{} ({reason}); {} {}, {}",
            s.state_unreadable,
            s.state_kept_as,
            to.display(),
            s.state_started_empty
        )),
        LoadOutcome::Unusable { reason } => Some(format!(
            "{} ({reason}); {}",
            s.state_unusable, s.state_not_remembered
        )),
        _ => None,
    };
    (memory, notice)
}

/// Run until the user quits. Restores the terminal on every path out.
pub async fn run(options: DashboardOptions) -> Result<(), String> {
    let (memory, memory_notice) = load_memory(options.memory_path.as_ref(), options.lang);
    let notice = match (options.notice.clone(), memory_notice) {
        (Some(a), Some(b)) => Some(format!("{a} · {b}")),
        (a, b) => a.or(b),
    };
    let mut app = initial_app(&options, memory, notice);
    tracing::info!(
        instances = options.roster.instances.len(),
        accounts = options.roster.accounts.len(),
        interval = ?options.interval,
        concurrency = options.concurrency,
        "dashboard started"
    );
    let theme = Theme::from_env();

    tui::install_panic_hook(options.log_path.clone());
    let mut guard = TerminalGuard::enter().map_err(|e| format!("cannot use this terminal: {e}"))?;

    let (tx, mut rx) = mpsc::unbounded_channel();
    let stop = Arc::new(AtomicBool::new(false));
    let input = tui::spawn_input(tx.clone(), stop.clone());
    spawn_signal_watch(tx.clone());
    let mut worker = Worker::spawn(
        Client::new(),
        options.roster.accounts.clone(),
        options.concurrency,
        tx.clone(),
        WorkerPaths {
            config: options.config_path.clone(),
            memory: options.memory_path.clone(),
        },
    )
    .with_alerts(
        options.alerts.dashboard_channels(),
        options.alert_store.clone(),
    );
    if let Some(history) = open_history(&options, tx.clone()) {
        worker = worker.with_history(history);
        app.history = crate::app::history_view::HistoryView::new(options.history.window);
    }

    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut next_draw = Instant::now();
    let result = loop {
        let first = tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => Some(msg),
                None => break Ok(()),
            },
            _ = ticker.tick() => Some(Msg::Tick(Instant::now())),
            // Something changed while the last frame was too recent.
            _ = tokio::time::sleep_until(next_draw.into()), if app.dirty => None,
        };
        // Drain whatever else is queued, then draw once (results from
        // thousands of polls never cost a frame each).
        let mut batch: Vec<Msg> = first.into_iter().collect();
        while let Ok(msg) = rx.try_recv() {
            batch.push(msg);
            if batch.len() >= 4096 {
                break;
            }
        }
        // What the user did is drawn at once; only background changes
        // (answers, ticks) wait for the frame cap.
        let user_input = batch.iter().any(|m| {
            matches!(
                m,
                Msg::Key(_) | Msg::Mouse(_) | Msg::Paste(_) | Msg::Resize(..)
            )
        });
        for msg in batch {
            for effect in update(&mut app, msg) {
                worker.run(effect);
            }
        }
        if app.quit {
            break Ok(());
        }
        if app.dirty && (user_input || Instant::now() >= next_draw) {
            next_draw = Instant::now() + FRAME;
            app.settle();
            app.dirty = false;
            let mut regions = Default::default();
            if let Err(e) = guard
                .terminal
                .draw(|frame| regions = ui::draw(frame, &app, &theme))
            {
                break Err(format!("drawing failed: {e}"));
            }
            app.regions = regions;
            let before = app.offset;
            app.clamp_offset();
            if app.offset != before {
                app.dirty = true;
            }
        }
        if app.ring_bell {
            app.ring_bell = false;
            let _ = guard.terminal.backend_mut().write_all(b"\x07");
            let _ = guard.terminal.backend_mut().flush();
        }
    };
    stop.store(true, Ordering::Relaxed);
    drop(guard);
    // What the last polls saw is worth a moment (never long: the disk may be gone).
    if let Some(history) = worker.history() {
        history.flush(Duration::from_secs(2));
    }
    tracing::info!(outcome = ?result, "dashboard stopped");
    // Not joined: when the terminal has hung up, crossterm's poll can spin
    // inside the input thread and never return, and waiting for it would
    // keep a dead dashboard alive. The thread sees `stop` within 100 ms on a
    // live terminal, and ends with the process otherwise.
    drop(input);
    result
}

/// The history writer for this dashboard; its notices become flashes.
pub fn open_history(
    options: &DashboardOptions,
    tx: mpsc::UnboundedSender<Msg>,
) -> Option<crate::history::History> {
    crate::history::open_for(
        &options.history,
        options.interval,
        Box::new(move |notice| {
            tracing::warn!("{notice}");
            let _ = tx.send(Msg::HistoryNotice(notice));
        }),
    )
}

fn spawn_signal_watch(tx: mpsc::UnboundedSender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    tokio::spawn(async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        let mut asked = false;
        loop {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
            if asked {
                // A second signal: the clean way out is stuck; leave now,
                // still giving the terminal back first.
                tui::restore();
                std::process::exit(1);
            }
            asked = true;
            let _ = tx.send(Msg::Quit);
        }
    });
}
