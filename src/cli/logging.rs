//! Logs go to a file, never to the terminal: the dashboard owns the screen,
//! and headless commands keep stdout for their output.
//!
//! `~/.local/state/wadash/wadash.log` on Linux (the cache dir where the
//! platform has no state dir). A log that cannot be opened is not an error:
//! wadash runs without one.

use std::fs::{self, OpenOptions};
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

pub const LOG_FILE_NAME: &str = "wadash.log";
/// Past this, the log is started afresh (the old one kept as `.old`).
const MAX_LOG_BYTES: u64 = 10 * 1024 * 1024;

/// Where the log file lives on this platform.
pub fn log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "wadash")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.cache_dir());
    Some(dir.join(LOG_FILE_NAME))
}

/// Install the file logger with `level` (e.g. `info`, `wadash=debug`).
/// Returns the log's path when logging is on. A bad filter falls back to
/// `info` rather than failing the command.
pub fn init(level: &str) -> Option<PathBuf> {
    let path = log_path()?;
    let dir = path.parent()?;
    fs::create_dir_all(dir).ok()?;
    rotate_if_large(&path);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .is_ok();
    installed.then_some(path)
}

fn rotate_if_large(path: &std::path::Path) {
    if fs::metadata(path).is_ok_and(|m| m.len() > MAX_LOG_BYTES) {
        let _ = fs::rename(path, path.with_extension("log.old"));
    }
}
