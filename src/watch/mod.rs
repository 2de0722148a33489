//! `wadash watch`: the unattended face. It drives the monitor alone (no
//! dashboard state, no keymap, no terminal) through the shared `RunLoop`
//! and worker; instead of a screen it turns the monitor's events into one
//! log line each on stderr and keeps Prometheus metrics. SIGTERM or
//! SIGINT: in-flight file writes are finished and it exits 0 (within 2 s);
//! SIGHUP: the config is read again (see `reload`).

pub mod log;
mod observe;
mod reload;
mod reload_guard;
pub mod shard;
pub mod share;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::signal::unix::{SignalKind, signal};

use crate::alerts::deliver::Channels;
use crate::config::Roster;
use crate::engine::monitor::{self, AccountView, InstanceSeed, Monitor, Step};
use crate::engine::msg::CoreMsg;
use crate::metrics::Metrics;
use crate::run_loop::RunLoop;
use crate::worker::WorkerPaths;

pub use log::{Level, LogFormat, Logger, Value};
pub use shard::Shard;

/// File writes still queued at stop get this long; the process is out
/// well inside the 2 s a service manager is promised.
const FLUSH_WITHIN: Duration = Duration::from_millis(1500);

/// A roster and settings, read again from the config on SIGHUP.
pub struct Loaded {
    pub roster: Roster,
    pub interval: Duration,
    pub concurrency: usize,
    /// `[alerts]`: rules and channels.
    pub alerts: crate::config::alerts::AlertsConfig,
}

/// Reads the config again (flags still applied). An error is the complete
/// message for the log: `path:line:col: what`.
pub type Reloader =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Loaded, String>> + Send>> + Send + Sync>;

pub struct WatchOptions {
    pub roster: Roster,
    pub interval: Duration,
    pub concurrency: usize,
    pub log_format: LogFormat,
    /// `--metrics ADDR` (already checked against `--metrics-public`).
    pub metrics: Option<SocketAddr>,
    /// `--metrics-host`: names besides the address that `/metrics` answers.
    pub metrics_hosts: Vec<String>,
    pub shard: Option<Shard>,
    /// None: nothing to reload (`--demo`, flags only); SIGHUP says so.
    pub reloader: Option<Reloader>,
    /// Named in the start line.
    pub config_path: Option<PathBuf>,
    /// Warnings found while loading (a config readable by others).
    pub notices: Vec<String>,
    /// `[history]`: where statuses are recorded (the dashboard shows them later).
    pub history: crate::history::HistoryConfig,
    /// `[alerts]`: the same engine and channels as the dashboard (no desktop).
    pub alerts: crate::config::alerts::AlertsConfig,
    /// The store holding alert state and silences (the history file).
    pub alert_store: Option<PathBuf>,
    /// `--public-url`: relink links in down alerts, served on `--metrics`.
    pub share: Option<share::ShareOptions>,
}

/// The instances of `roster` this watcher owns under `shard`.
pub fn select(roster: &Roster, shard: Option<Shard>) -> Vec<InstanceSeed> {
    roster
        .instances
        .iter()
        .filter(|i| shard.is_none_or(|s| s.owns(&i.id)))
        .map(|i| InstanceSeed {
            id: i.id.clone(),
            label: i.label.clone(),
            account: i.account,
            tags: i.tags.clone(),
        })
        .collect()
}

pub fn account_views(roster: &Roster) -> Vec<AccountView> {
    roster
        .accounts
        .iter()
        .map(|a| AccountView {
            name: a.name.clone(),
            base_url: a.base_url.to_string(),
            key_masked: a.api_key.masked(),
        })
        .collect()
}

/// The monitor `watch` starts with: this shard's instances, and the alert
/// engine with what the store kept. Why the store could not be read, if so.
pub fn initial_monitor(options: &WatchOptions) -> (Monitor, Option<String>) {
    let mut monitor = Monitor::new(
        account_views(&options.roster),
        select(&options.roster, options.shard),
        options.interval,
        options.concurrency,
        Instant::now(),
        SystemTime::now(),
    );
    let (alerts, unreadable) = crate::alerts::start::alerts_at_start(
        &options.alerts,
        options.interval,
        options.alert_store.as_deref(),
    );
    monitor.alerts = alerts;
    (monitor, unreadable)
}

/// Run until SIGTERM or SIGINT.
pub async fn run(options: WatchOptions) -> Result<(), String> {
    let log = Logger::new(options.log_format);
    for notice in &options.notices {
        log.log(
            Level::Warn,
            "config_warning",
            &[("detail", notice.as_str().into())],
        );
    }
    // Said at start, not only when the first alert fails to go out.
    if let Some(problem) = crate::alerts::channel::apprise::missing_program(&options.alerts) {
        log.log(
            Level::Warn,
            "config_warning",
            &[("detail", problem.as_str().into())],
        );
    }
    let signals = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    );
    let (Ok(mut term), Ok(mut int), Ok(mut hup)) = signals else {
        return Err("could not install the signal handlers".into());
    };
    let metrics = Arc::new(Metrics::new());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut hosts = options.metrics_hosts.clone();
    let hosting = share::Hosting::new(options.share.as_ref(), &mut hosts);
    let mut alert_links = None;
    let metrics_url = match options.metrics {
        Some(addr) => {
            let cap =
                crate::fd_limit::listener_cap(crate::fd_limit::current(), options.concurrency);
            let routes = hosting.as_ref().map(share::Hosting::routes);
            let bound =
                crate::metrics::serve_with(addr, metrics.clone(), stop_rx, &hosts, cap, routes)
                    .await
                    .map_err(|e| format!("cannot serve metrics on {addr}: {e}"))?;
            alert_links = hosting.map(|h| h.links(bound)).transpose()?;
            Some(format!("http://{bound}/metrics"))
        }
        None => None,
    };
    if alert_links.is_none() {
        share::say_links_off(&log, &options.alerts);
    }

    let (mut monitor, unreadable) = initial_monitor(&options);
    // The config's TOML tree is gone: its pages go back to the system.
    crate::malloc_arenas::trim();
    let mut watcher = observe::Watcher::new(log, metrics.clone());
    watcher.register_all(&monitor);
    if let Some(error) = unreadable {
        watcher.on_event(
            &monitor,
            crate::engine::Event::StoreUnreadable {
                subject: "store".into(),
                error,
            },
        );
    }
    // History and alert delivery are executors beside the HTTP worker: the
    // monitor's effects go to them, their notices come back as messages.
    let mut core: RunLoop<CoreMsg> = RunLoop::start(
        options.roster.accounts.clone(),
        options.concurrency,
        WorkerPaths::default(),
        |worker, tx| {
            let mut worker = worker.with_alerts(
                Channels::unattended(&options.alerts),
                options.alert_store.clone(),
            );
            let watched = select(&options.roster, options.shard);
            worker.alerts_watch_only(watched.iter().map(|i| i.id.as_str()));
            let tx = tx.clone();
            let history = crate::history::open_for(
                &options.history,
                options.interval,
                crate::history::notice::Face::new(
                    crate::history::notice::Who::Watch,
                    crate::i18n::Lang::En,
                ),
                Box::new(move |notice| {
                    let _ = tx.send(CoreMsg::HistoryNotice(notice));
                }),
            );
            if let Some(history) = history {
                worker = worker.with_history(history);
            }
            if let Some(links) = &alert_links {
                worker = worker.with_alert_links(links.clone());
            }
            worker
        },
    );
    let mut fields: Vec<(&str, Value)> = vec![
        ("version", env!("CARGO_PKG_VERSION").into()),
        ("instances", monitor.rows.len().into()),
        ("accounts", monitor.accounts.len().into()),
        (
            "interval",
            humantime::format_duration(options.interval)
                .to_string()
                .into(),
        ),
        ("concurrency", options.concurrency.into()),
    ];
    if let Some(shard) = options.shard {
        fields.push(("shard", shard.to_string().into()));
        fields.push(("fleet", options.roster.instances.len().into()));
    }
    if let Some(path) = &options.config_path {
        fields.push(("config", crate::config::display_path(path).into()));
    }
    if let Some(url) = &metrics_url {
        fields.push(("metrics", url.clone().into()));
    }
    log.log(Level::Info, "start", &fields);

    let started = Instant::now();
    let (reload_tx, mut reload_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut reloading = false;
    let reason = loop {
        tokio::select! {
            batch = core.next_batch(None) => {
                for msg in batch {
                    if let (CoreMsg::ShareOpened { instance, result }, Some(o)) = (&msg, &options.share) {
                        share::log_opened(&log, instance, result, o.valid);
                    }
                    let tick = matches!(msg, CoreMsg::Tick { .. });
                    let mut step = Step::default();
                    monitor::step(&mut monitor, msg, &mut step);
                    core.run(step.effects);
                    for event in step.events {
                        watcher.on_event(&monitor, event);
                    }
                    if tick {
                        watcher.on_tick(&monitor);
                    }
                }
            }
            _ = term.recv() => break "SIGTERM",
            _ = int.recv() => break "SIGINT",
            _ = hup.recv() => match (&options.reloader, reloading) {
                (None, _) => log.log(Level::Warn, "reload_skipped", &[(
                    "detail",
                    "no config file to read again (--demo or --instance flags)".into(),
                )]),
                (Some(_), true) => log.log(Level::Info, "reload_pending", &[]),
                (Some(reloader), false) => {
                    reloading = true;
                    // Keys may come from a slow api_key_cmd: polling goes on meanwhile.
                    let load = reloader();
                    let tx = reload_tx.clone();
                    tokio::spawn(async move {
                        let _ = tx.send(load.await);
                    });
                }
            },
            Some(result) = reload_rx.recv() => {
                reloading = false;
                match result {
                    Ok(loaded) if reload_guard::admit(&log, &monitor, &loaded, options.shard) => {
                        let msg = reload::apply(&mut core, loaded, options.shard, options.alert_store.clone());
                        let mut step = Step::default();
                        monitor::step(&mut monitor, msg, &mut step);
                        core.run(step.effects);
                        for event in step.events {
                            watcher.on_event(&monitor, event);
                        }
                    }
                    // Refused by the guard (logged there): the old roster stays.
                    Ok(_) => {}
                    Err(e) => log.log(Level::Error, "reload_refused", &[
                        ("error", e.into()),
                        ("detail", "the previous config keeps running".into()),
                    ]),
                }
            }
        }
    };
    let mut flushed = core.worker.flush(FLUSH_WITHIN / 2).await;
    let mut lost = false;
    if let Some(history) = core.worker.history() {
        // What the last polls saw goes to the store (never long: the disk
        // may be gone), and observation ends now, not a grace later.
        let history = history.clone();
        let closing = history.clone();
        flushed &= tokio::task::spawn_blocking(move || closing.close(FLUSH_WITHIN / 2))
            .await
            .unwrap_or(false);
        lost = history.lost();
    }
    let _ = stop_tx.send(true);
    log.log(
        Level::Info,
        "stop",
        &[
            ("reason", reason.into()),
            ("uptime_s", started.elapsed().as_secs().into()),
            (
                "writes",
                match (flushed, lost) {
                    (_, true) => "some lost",
                    (true, false) => "flushed",
                    (false, false) => "timed out",
                }
                .into(),
            ),
        ],
    );
    Ok(())
}
