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
    App::new(AppInit {
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
    })
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
    let (suspend_tx, mut suspend_rx) = mpsc::unbounded_channel();
    spawn_signal_watch(tx.clone(), suspend_tx);
    let worker = Worker::spawn(
        Client::new(),
        options.roster.accounts.clone(),
        options.concurrency,
        tx.clone(),
        WorkerPaths {
            config: options.config_path.clone(),
            memory: options.memory_path.clone(),
        },
    );

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
            Some(()) = suspend_rx.recv() => {
                if let Err(e) = guard.suspend() {
                    break Err(format!("cannot take the terminal back: {e}"));
                }
                app.dirty = true;
                None
            }
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
            // Ctrl-Z and Ctrl-\ arrive as keys in raw mode: the terminal's
            // own job control and quit, as in other full-screen programs.
            match terminal_control_key(&msg) {
                Some(TerminalKey::Suspend) => {
                    if let Err(e) = guard.suspend() {
                        app.quit = true;
                        tracing::error!("cannot take the terminal back: {e}");
                    }
                    app.dirty = true;
                    continue;
                }
                Some(TerminalKey::Quit) => {
                    crate::signals::record(libc::SIGQUIT);
                    app.quit = true;
                    continue;
                }
                None => {}
            }
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
    tracing::info!(outcome = ?result, "dashboard stopped");
    // Not joined: when the terminal has hung up, crossterm's poll can spin
    // inside the input thread and never return, and waiting for it would
    // keep a dead dashboard alive. The thread sees `stop` within 100 ms on a
    // live terminal, and ends with the process otherwise.
    drop(input);
    result
}

enum TerminalKey {
    Suspend,
    Quit,
}

fn terminal_control_key(msg: &Msg) -> Option<TerminalKey> {
    use ratatui::crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    let Msg::Key(key) = msg else {
        return None;
    };
    if key.kind == KeyEventKind::Release || !key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    match key.code {
        KeyCode::Char('z') | KeyCode::Char('Z') => Some(TerminalKey::Suspend),
        // Ctrl-\ is reported as Ctrl-4 by some terminals (same byte, 0x1c).
        KeyCode::Char('\\') | KeyCode::Char('4') => Some(TerminalKey::Quit),
        _ => None,
    }
}

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT: quit cleanly (the exit code is then
/// 128 + signal); a second one while that is stuck leaves at once, still
/// restoring the terminal. SIGTSTP (`kill -TSTP`, or Ctrl-Z where the tty
/// sends it) suspends.
fn spawn_signal_watch(tx: mpsc::UnboundedSender<Msg>, suspend: mpsc::UnboundedSender<()>) {
    use tokio::signal::unix::{SignalKind, signal};
    if let Ok(mut tstp) = signal(SignalKind::from_raw(libc::SIGTSTP)) {
        tokio::spawn(async move {
            while tstp.recv().await.is_some() {
                if suspend.send(()).is_err() {
                    break;
                }
            }
        });
    }
    tokio::spawn(async move {
        let mut asked = false;
        loop {
            let number = crate::signals::next_terminating().await;
            crate::signals::record(number);
            if asked {
                tui::restore();
                std::process::exit(i32::from(crate::signals::exit_code(number)));
            }
            asked = true;
            let _ = tx.send(Msg::Quit);
        }
    });
}
