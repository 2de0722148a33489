//! The dashboard face: terminal in, state machine, worker out.

use std::path::PathBuf;
use std::time::Duration;

use crate::config::Roster;
use crate::i18n::Lang;

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

/// Run until the user quits. Restores the terminal on every path out.
pub async fn run(options: DashboardOptions) -> Result<(), String> {
    let _ = options;
    Err("dashboard: under construction".into())
}
