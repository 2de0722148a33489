//! `wadash watch`: the unattended face. The same `update` and worker as the
//! dashboard, driven by the shared `RunLoop`; instead of a screen it writes
//! one log line per event to stderr and keeps Prometheus metrics. SIGTERM or
//! SIGINT: in-flight file writes are finished and it exits 0 (within 2 s);
//! SIGHUP: the config is read again (see `reload`).

pub mod log;
mod observe;
mod reload;
mod reload_guard;
pub mod shard;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::signal::unix::{SignalKind, signal};

use crate::app::state::{AccountView, App, AppInit, InstanceSeed};
use crate::config::Roster;
use crate::i18n::Lang;
use crate::memory::Memory;
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

/// The state `watch` starts with: read-only (it never changes an
/// instance), no bell, English (its lines are for machines and operators'
/// greps, not translated).
pub fn initial_app(options: &WatchOptions) -> App {
    let mut app = App::new(AppInit {
        accounts: account_views(&options.roster),
        instances: select(&options.roster, options.shard),
        lang: Lang::En,
        interval: options.interval,
        concurrency: options.concurrency,
        bell: false,
        read_only: true,
        config_path: None,
        memory: Memory::default(),
        qr_refresh: crate::app::qr_pane::QR_REFRESH,
        now: Instant::now(),
        wall: SystemTime::now(),
        notice: None,
        keys: Default::default(),
    });
    crate::alerts::feed::start(
        &mut app,
        &options.alerts,
        options.interval,
        options.alert_store.as_deref(),
    );
    app
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
    let metrics_url = match options.metrics {
        Some(addr) => {
            let cap =
                crate::fd_limit::listener_cap(crate::fd_limit::current(), options.concurrency);
            let hosts = &options.metrics_hosts;
            let bound = crate::metrics::serve(addr, metrics.clone(), stop_rx, hosts, cap)
                .await
                .map_err(|e| format!("cannot serve metrics on {addr}: {e}"))?;
            Some(format!("http://{bound}/metrics"))
        }
        None => None,
    };

    let app = initial_app(&options);
    let mut watcher = observe::Watcher::new(log, metrics.clone());
    watcher.register_all(&app);
    // History and alerts come with the same worker the dashboard uses:
    // `update` emits the records and alert events, the worker delivers them.
    let mut core = RunLoop::start_with(
        app,
        options.roster.accounts.clone(),
        options.concurrency,
        WorkerPaths::default(),
        |worker, tx, _| {
            let mut worker =
                worker.with_alerts(options.alerts.channels(), options.alert_store.clone());
            let tx = tx.clone();
            let history = crate::history::open_for(
                &options.history,
                options.interval,
                Box::new(move |notice| {
                    log.log(
                        Level::Warn,
                        "history_notice",
                        &[("detail", notice.as_str().into())],
                    );
                    let _ = tx.send(crate::app::msg::Msg::HistoryNotice(notice));
                }),
            );
            if let Some(history) = history {
                worker = worker.with_history(history);
            }
            worker
        },
    );
    let mut fields: Vec<(&str, Value)> = vec![
        ("version", env!("CARGO_PKG_VERSION").into()),
        ("instances", core.app.rows.len().into()),
        ("accounts", core.app.accounts.len().into()),
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
                let Some(batch) = batch else { break "worker gone" };
                for msg in batch {
                    watcher.handle(&mut core, msg);
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
                    Ok(loaded) => reload::apply(
                        &mut core,
                        &mut watcher,
                        loaded,
                        options.shard,
                        options.alert_store.clone(),
                    ),
                    Err(e) => log.log(Level::Error, "reload_refused", &[
                        ("error", e.into()),
                        ("detail", "the previous config keeps running".into()),
                    ]),
                }
            }
        }
    };
    let mut flushed = core.worker.flush(FLUSH_WITHIN / 2).await;
    if let Some(history) = core.worker.history() {
        // What the last polls saw goes to the store (never long: the disk may be gone).
        let history = history.clone();
        flushed &= tokio::task::spawn_blocking(move || history.flush(FLUSH_WITHIN / 2))
            .await
            .unwrap_or(false);
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
                if flushed { "flushed" } else { "timed out" }.into(),
            ),
        ],
    );
    Ok(())
}
