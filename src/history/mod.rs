//! The history store: one SQLite file of status *periods* per instance
//! (not one row per check), with the causes wadash knows and the gaps
//! nobody observed, plus an hourly latency rollup.
//!
//! - [`schema`]: tables and `PRAGMA user_version` migrations;
//! - [`store`]: opening (mode 0600, WAL, integrity check, damaged files
//!   moved aside);
//! - [`writer`]: the one writer thread per process, batched transactions,
//!   retries, notices; [`reader`]: queries off the UI thread;
//! - [`query`]: SQL → periods; [`uptime`]: the pure arithmetic;
//! - [`prune`]: retention; [`seed`]: the demo's invented past;
//! - [`observe`]: what `update` turns an answer into.
//!
//! Every face feeds it the same way: `update` emits
//! `Effect::Record(Observation)`, the worker forwards it to [`History`].

pub mod acks;
pub mod alert_tables;
pub mod am_firing;
pub mod guard;
pub mod identity;
mod keeper;
pub mod notice;
pub mod prune;
pub mod query;
pub mod reader;
pub mod schema;
pub mod seed;
pub mod store;
pub mod uptime;
pub mod writer;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use reader::{HistoryAnswer, HistoryQuery, InstanceHistory};
pub use uptime::{State, Summary};
pub use writer::{History, WriterOptions};

pub use crate::domain::{Cause, Observation};

/// `[history]` in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryConfig {
    pub enabled: bool,
    /// None: [`store::default_path`].
    pub path: Option<PathBuf>,
    /// Older periods and rollups are deleted (default 90 days).
    pub retention: Duration,
    /// The dashboard's uptime/drops columns (default 24 h; `:uptime 7d`).
    pub window: Duration,
    /// How long after a check its state still counts as observed. None:
    /// derived from the polling interval (3×, at least 30 s); headless
    /// `status` uses 150 s so a cron job every minute leaves no gaps.
    pub grace: Option<Duration>,
}

pub const DEFAULT_RETENTION: Duration = Duration::from_secs(90 * 86_400);
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(86_400);
/// `wadash status` run from cron: one run a minute must read as continuous.
pub const STATUS_GRACE: Duration = Duration::from_secs(150);

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            enabled: true,
            path: None,
            retention: DEFAULT_RETENTION,
            window: DEFAULT_WINDOW,
            grace: None,
        }
    }
}

impl HistoryConfig {
    /// The file to use, or None when history is off (or no home dir).
    pub fn resolved_path(&self) -> Option<PathBuf> {
        if !self.enabled {
            return None;
        }
        self.path.clone().or_else(store::default_path)
    }

    /// The grace for a process polling every `interval`.
    pub fn grace_for(&self, interval: Duration) -> Duration {
        self.grace.unwrap_or_else(|| grace_for(interval))
    }
}

/// Three intervals (jitter, a slow answer, one lost check), at least 30 s.
pub fn grace_for(interval: Duration) -> Duration {
    interval.saturating_mul(3).max(Duration::from_secs(30))
}

/// Unix milliseconds, the store's time unit (negative before 1970).
pub fn ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

pub fn from_ms(ms: i64) -> SystemTime {
    if ms >= 0 {
        UNIX_EPOCH + Duration::from_millis(ms as u64)
    } else {
        UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs())
    }
}

/// "24h", "7d", "90d", "1h 30m": humantime, never zero.
pub fn parse_window(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim())
        .map_err(|e| format!("{e} (examples: 1h, 24h, 7d, 30d)"))?;
    if d.is_zero() {
        return Err("must be longer than 0".into());
    }
    Ok(d)
}

/// "24h", "7d", "90m": the shortest exact way to say a window.
pub fn window_label(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 2 * 86_400 && s.is_multiple_of(86_400) {
        format!("{}d", s / 86_400)
    } else if s >= 3600 && s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else if s >= 60 && s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// Start the writer for a process that polls every `interval` (the usual
/// way in for any face): None when history is off. Notices go to
/// `notify` (the dashboard flashes them, headless faces log them), worded
/// for `face`.
pub fn open_for(
    config: &HistoryConfig,
    interval: Duration,
    face: notice::Face,
    notify: writer::Notify,
) -> Option<History> {
    let path = config.resolved_path()?;
    Some(History::spawn_for(
        WriterOptions {
            path,
            grace: config.grace_for(interval),
            retention: config.retention,
        },
        face,
        notify,
    ))
}

/// For one-shot commands (`wadash status`): store these observations and
/// wait (at most a few seconds) until they are on disk. Returns what the
/// user should be told, if anything (printed as a warning; the command's
/// own result does not change).
pub fn record_once(config: &HistoryConfig, observations: Vec<Observation>) -> Vec<String> {
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = notices.clone();
    let config = HistoryConfig {
        grace: Some(config.grace.unwrap_or(STATUS_GRACE)),
        ..config.clone()
    };
    let face = notice::Face::default();
    let Some(history) = open_for(
        &config,
        STATUS_GRACE,
        face,
        Box::new(move |n| {
            if let Ok(mut v) = sink.lock() {
                v.push(n);
            }
        }),
    ) else {
        return Vec::new();
    };
    for o in observations {
        history.record(o);
    }
    if !history.flush(Duration::from_secs(10)) {
        return vec![face.text(&notice::Notice::Unanswered)];
    }
    notices.lock().map(|v| v.clone()).unwrap_or_default()
}
