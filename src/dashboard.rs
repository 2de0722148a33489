//! The dashboard face: terminal events, ticks and API answers in; the pure
//! `update`; effects out to the worker; a redraw only when something changed.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc;

use crate::app::init::AppInit;
use crate::app::log::{LogEntry, LogLevel};
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::config::Roster;
use crate::engine::effect::Effect;
use crate::engine::monitor::{AccountView, InstanceSeed};
use crate::engine::msg::CoreMsg;
use crate::i18n::Lang;
use crate::memory::{LoadOutcome, Memory};
use crate::run_loop::RunLoop;
use crate::tui::{self, TerminalGuard};
use crate::ui::{self, Theme};
use crate::worker::WorkerPaths;

/// At most one frame (and one re-sort) per this long: 10,000 instances
/// answer about a thousand times a second, one by one, and each used to
/// cost a sort and a frame. A key still shows within one frame.
const FRAME: Duration = Duration::from_millis(33);

/// A turn (messages applied, frame drawn) longer than this is logged at
/// debug level: a key would have waited that long.
const SLOW_TURN: Duration = Duration::from_millis(50);

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
    /// `[keys]` and `[theme]` from the config.
    pub keys: crate::keys::rebind::Keymap,
    pub palette: crate::theme::Palette,
    /// Terminal images for the QR pane (`ui.qr_graphics`, `--qr-graphics`).
    pub qr_graphics: crate::term::GraphicsChoice,
    /// `[alerts]`: the engine's rules and where alerts go.
    pub alerts: crate::config::alerts::AlertsConfig,
    /// The store holding alert state and silences (the history file).
    pub alert_store: Option<PathBuf>,
    /// `[ui] columns` and `[views.<name>]`.
    pub screen: crate::config::views::ScreenConfig,
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
    let app = App::new(AppInit {
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
        keys: options.keys.clone(),
    });
    let (alerts, unreadable) = crate::alerts::start::alerts_at_start(
        &options.alerts,
        options.interval,
        options.alert_store.as_deref(),
    );
    let mut app = app.with_alerts(alerts).with_screen(&options.screen);
    if let Some(error) = unreadable {
        let s = app.strings();
        let at = app.wall_time(app.now());
        app.log.push(LogEntry {
            at,
            instance: "store".into(),
            endpoint: "alert".into(),
            outcome: format!("{}: {error}", s.alert_silences_unreadable),
            latency: None,
            level: LogLevel::Warn,
        });
    }
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
    tracing::info!(
        instances = options.roster.instances.len(),
        accounts = options.roster.accounts.len(),
        interval = ?options.interval,
        concurrency = options.concurrency,
        "dashboard started"
    );
    let theme = Theme::with_palette(options.palette);

    tui::install_panic_hook(options.log_path.clone());
    let mut guard = TerminalGuard::enter().map_err(|e| format!("cannot use this terminal: {e}"))?;
    // Ask the terminal now: raw mode is on and the input reader not started,
    // so its answers are read here and never reach the key handling.
    let terminal = crate::term::detect(options.qr_graphics, crate::term::PROBE_TIMEOUT);
    // The state (and its poll schedule) starts after the question, so the
    // probe's few milliseconds never bunch the first polls together.
    let mut app = initial_app(&options, memory, notice);
    tracing::info!(terminal = %terminal.identity.name, images = ?terminal.images.protocol, sextants = ?terminal.identity.sextants, probe = ?terminal.reply.as_ref().map(|r| r.elapsed), "terminal identified");
    let mut images = crate::qr::image::QrImages::new(&terminal.images);
    // Whatever a terminal may have shown of the questions goes with a full redraw.
    let _ = guard.terminal.clear();
    app.terminal = terminal;
    app.screen_size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    app.can_open_viewer = crate::qr::viewer::available();

    let mut history_on = false;
    let mut core: RunLoop<Msg> = RunLoop::start(
        options.roster.accounts.clone(),
        options.concurrency,
        WorkerPaths {
            config: options.config_path.clone(),
            memory: options.memory_path.clone(),
        },
        |worker, tx| {
            let mut worker = worker.with_alerts(
                crate::alerts::deliver::Channels::dashboard(&options.alerts),
                options.alert_store.clone(),
            );
            worker.alerts_watch_only(options.roster.instances.iter().map(|i| i.id.as_str()));
            if let Some(history) = open_history(&options, tx.clone()) {
                worker = worker.with_history(history);
                history_on = true;
            }
            worker
        },
    );
    if history_on {
        app.history = crate::app::history_view::HistoryView::new(options.history.window);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let input = tui::spawn_input(core.face_tx.clone(), stop.clone());
    let (suspend_tx, mut suspend_rx) = mpsc::unbounded_channel();
    spawn_signal_watch(core.face_tx.clone(), suspend_tx);

    let mut next_draw = Instant::now();
    let result = loop {
        // Whatever is queued comes as one batch, drawn once (results from
        // thousands of polls never cost a frame each); an empty batch means
        // something changed while the last frame was too recent.
        let wake = app.dirty.then_some(next_draw);
        let batch = tokio::select! {
            batch = core.next_batch(wake) => batch,
            // SIGTSTP (`kill -TSTP`): give the terminal back and stop.
            Some(()) = suspend_rx.recv() => {
                if let Err(e) = guard.suspend() {
                    break Err(format!("cannot take the terminal back: {e}"));
                }
                vec![Msg::Resumed]
            }
        };
        // What the user did is drawn at once; only background changes
        // (answers, ticks) wait for the frame cap.
        let user_input = batch.iter().any(|m| {
            matches!(
                m,
                Msg::Key(_) | Msg::Mouse(_) | Msg::Paste(_) | Msg::Resize(..)
            )
        });
        let resized = batch.iter().any(|m| matches!(m, Msg::Resize(..)));
        let turn_start = Instant::now();
        let batch_len = batch.len();
        for msg in batch {
            // Ctrl-Z and Ctrl-\ arrive as keys in raw mode: the terminal's
            // own job control and quit, as in other full-screen programs.
            match terminal_control_key(&msg) {
                Some(TerminalKey::Suspend) => {
                    let back = match guard.suspend() {
                        Ok(()) => Msg::Resumed,
                        Err(e) => {
                            tracing::error!("cannot take the terminal back: {e}");
                            Msg::Quit
                        }
                    };
                    apply(&mut app, &core, guard.terminal.backend_mut(), back);
                    continue;
                }
                Some(TerminalKey::Quit) => {
                    crate::signals::record(libc::SIGQUIT);
                    apply(&mut app, &core, guard.terminal.backend_mut(), Msg::Quit);
                    continue;
                }
                None => {}
            }
            apply(&mut app, &core, guard.terminal.backend_mut(), msg);
        }
        // Zooming (Ctrl+-, Ctrl++) changes the cell's pixel size: images
        // are drawn at whole pixels per module of the new size.
        if resized
            && app.terminal.images.protocol.is_some()
            && let Some(px) = crate::term::probe::winsize_cell_px()
            && app.terminal.cell_px != Some(px)
        {
            apply(
                &mut app,
                &core,
                guard.terminal.backend_mut(),
                Msg::CellPixels(px),
            );
            images = crate::qr::image::QrImages::new(&app.terminal.images);
            let _ = guard.terminal.clear();
        }
        if app.quit {
            break Ok(());
        }
        let applied = turn_start.elapsed();
        if app.dirty && (user_input || Instant::now() >= next_draw) {
            next_draw = Instant::now() + FRAME;
            // The visible order settles once per frame, not per answer.
            apply(&mut app, &core, guard.terminal.backend_mut(), Msg::Frame);
            let mut regions = Default::default();
            if let Err(e) = guard
                .terminal
                .draw(|frame| regions = ui::draw_with_images(frame, &app, &theme, images.as_mut()))
            {
                break Err(format!("drawing failed: {e}"));
            }
            // An image went away or moved (pane closed, code rotated,
            // resize): sixel pixels outlive their cells, so clear and
            // draw again rather than leave a ghost.
            if images.as_mut().is_some_and(|i| i.end_frame()) {
                let delete = images.as_ref().map_or("", |i| i.clear_sequence());
                let _ = guard.terminal.backend_mut().write_all(delete.as_bytes());
                let redraw = guard.terminal.clear().and_then(|_| {
                    guard.terminal.draw(|frame| {
                        regions = ui::draw_with_images(frame, &app, &theme, images.as_mut())
                    })
                });
                if let Err(e) = redraw {
                    break Err(format!("drawing failed: {e}"));
                }
                if let Some(i) = images.as_mut() {
                    i.end_frame();
                }
            }
            // For a report of a sluggish screen: which half was slow.
            if turn_start.elapsed() > SLOW_TURN {
                tracing::debug!(messages = batch_len, ?applied, took = ?turn_start.elapsed(), "slow turn");
            }
            // The layout comes back as a message: only `update` writes state.
            apply(
                &mut app,
                &core,
                guard.terminal.backend_mut(),
                Msg::Drawn(regions),
            );
        }
    };
    stop.store(true, Ordering::Relaxed);
    if let Some(i) = &images {
        let _ = guard
            .terminal
            .backend_mut()
            .write_all(i.clear_sequence().as_bytes());
        let _ = guard.terminal.backend_mut().flush();
    }
    drop(guard);
    // What the last polls saw is worth a moment (never long: the disk may be gone).
    if let Some(history) = core.worker.history() {
        history.close(Duration::from_secs(2));
    }
    tracing::info!(outcome = ?result, "dashboard stopped");
    // Not joined: when the terminal has hung up, crossterm's poll can spin
    // inside the input thread and never return, and waiting for it would
    // keep a dead dashboard alive. The thread sees `stop` within 100 ms on a
    // live terminal, and ends with the process otherwise.
    drop(input);
    result
}

/// One message through `update`: the bell rings here, every other effect
/// goes to the worker.
fn apply(app: &mut App, core: &RunLoop<Msg>, terminal: &mut impl Write, msg: Msg) {
    let mut effects = crate::app::update(app, msg);
    effects.retain(|e| match e {
        Effect::Clipboard(text) => {
            let _ = terminal.write_all(crate::term::clipboard::osc52(text).as_bytes());
            let _ = terminal.flush();
            false
        }
        _ => true,
    });
    let before = effects.len();
    effects.retain(|e| !matches!(e, Effect::Bell));
    if effects.len() != before {
        let _ = terminal.write_all(b"\x07");
        let _ = terminal.flush();
    }
    core.run(effects);
}

/// The history writer for this dashboard; its notices become flashes.
pub fn open_history(
    options: &DashboardOptions,
    tx: crate::worker::MsgSender,
) -> Option<crate::history::History> {
    crate::history::open_for(
        &options.history,
        options.interval,
        crate::history::notice::Face::new(crate::history::notice::Who::Dashboard, options.lang),
        Box::new(move |notice| {
            tracing::warn!("{notice}");
            let _ = tx.send(CoreMsg::HistoryNotice(notice));
        }),
    )
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
