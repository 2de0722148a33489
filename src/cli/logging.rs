//! Logs go to a file, never to the terminal: the dashboard owns the screen,
//! and headless commands keep stdout for their output.
//!
//! `~/.local/state/wadash/wadash.log` on Linux (the cache dir where the
//! platform has no state dir). A log that cannot be opened is not an error:
//! wadash runs without one.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
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
    let file = open_private(&path).ok()?;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    // Every line goes through the redactor: a key echoed in a server's
    // answer and logged at debug level still never reaches the file.
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(crate::sanitize::SafeLogWriter(file)))
        .try_init()
        .is_ok();
    installed.then_some(path)
}

/// The log file for appending: its folder 0700, the file 0600 (both
/// tightened if they already existed looser; the log may name instances).
pub fn open_private(path: &Path) -> std::io::Result<fs::File> {
    let dir = crate::config::files::parent_dir(path);
    crate::config::files::create_private_dir(dir)?;
    rotate_if_large(path);
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

fn rotate_if_large(path: &Path) {
    if fs::metadata(path).is_ok_and(|m| m.len() > MAX_LOG_BYTES) {
        let _ = fs::rename(path, path.with_extension("log.old"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_log_and_its_folder_are_private_even_if_they_were_not() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("state/wadash");
        fs::create_dir_all(&folder).unwrap();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
        let path = folder.join(LOG_FILE_NAME);
        fs::write(&path, "old line\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        drop(open_private(&path).unwrap());
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&folder), 0o700);
        let fresh = dir.path().join("new/wadash.log");
        drop(open_private(&fresh).unwrap());
        assert_eq!(mode(&fresh), 0o600);
        assert_eq!(mode(fresh.parent().unwrap()), 0o700);
    }
}
