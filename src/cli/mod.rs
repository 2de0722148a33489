//! The command line: flags, the headless commands, and the hand-off to the
//! dashboard. `main.rs` only parses and maps [`Outcome`] to an exit code.

pub mod ack;
pub mod actions;
pub mod args;
pub mod closed_stdout;
pub mod completions;
pub mod config;
pub mod config_channels;
pub mod context;
pub mod doctor;
pub mod history;
pub mod image_words;
pub mod import;
pub mod instances;
pub mod lang;
pub mod logging;
pub mod man;
mod man_config;
mod man_keys;
pub mod qr;
pub mod report;
pub mod share;
pub mod silence;
pub mod status;
pub mod store_access;
pub mod watch;
pub mod window;

use std::fmt;
use std::path::PathBuf;

pub use args::{Cli, Command};

use crate::api::ApiError;
use crate::config::ConfigError;

/// What a command ended with; each maps to a documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// `status`: some instance inactive/unknown, none in error. `qr --wait-max` passed.
    NotActive,
}

/// Exit codes, as `--help` documents them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_NOT_ACTIVE: u8 = 1;
pub const EXIT_ERROR: u8 = 2;
/// BSD's EX_USAGE: distinct from API errors so scripts can tell them apart.
pub const EXIT_USAGE: u8 = 64;

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Ok => EXIT_OK,
            Outcome::NotActive => EXIT_NOT_ACTIVE,
        }
    }
}

/// A command failed (exit 2). The message is for the user, already
/// complete; it never holds a key (API and config errors are key-free by
/// construction, and nothing here formats a `Secret` other than masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError(e.to_string())
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        CliError(e.to_string())
    }
}

impl From<String> for CliError {
    fn from(s: String) -> Self {
        CliError(s)
    }
}

impl From<&str> for CliError {
    fn from(s: &str) -> Self {
        CliError(s.to_string())
    }
}

/// Run the parsed command line to completion.
///
/// `Err(clap::Error)` is a usage error found after the first parse (the
/// sandbox's forwarded flags); main prints it and exits 64 (or 0 for help).
pub async fn run(cli: Cli) -> Result<Result<Outcome, CliError>, clap::Error> {
    let log_path = logging::init(&cli.global.log_level);
    let global = cli.global;
    lang::choose(&global, None);
    let result = match cli.command {
        None => dashboard(&global, log_path).await,
        Some(Command::Status(args)) => headless(status::run(&global, &args)).await,
        Some(Command::Qr(args)) => headless(qr::run(&global, &args)).await,
        Some(Command::Share(args)) => headless(share::run(&global, &args)).await,
        Some(Command::Disconnect { id }) => headless(actions::disconnect(&global, &id)).await,
        Some(Command::Set(set)) => headless(actions::set(&global, &set)).await,
        Some(Command::Instances(cmd)) => instances::run(&global, &cmd).await,
        Some(Command::Sandbox(args)) => {
            let options = args.parse(global.api_key.as_ref())?;
            crate::sandbox::run_forever(options)
                .await
                .map(|()| Outcome::Ok)
                .map_err(|e| CliError(format!("sandbox: {e}")))
        }
        Some(Command::History(args)) => history::run(&global, &args).await,
        Some(Command::Report(args)) => report::run(&global, &args).await,
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Man) => man::run(),
        Some(Command::Config(cmd)) => config::run(&global, &cmd),
        Some(Command::Doctor) => doctor::run(&global),
        Some(Command::Silence(args)) => silence::run(&global, &args),
        Some(Command::Ack(args)) => ack::run(&global, &args),
        Some(Command::Watch(args)) => watch::run(&global, &args).await,
    };
    if let Err(e) = &result {
        tracing::warn!("command failed: {e}");
    }
    Ok(result)
}

/// A headless command, ended early by SIGINT/SIGTERM/SIGHUP/SIGQUIT: main
/// then exits 128 + signal (see `signals`).
async fn headless(
    command: impl std::future::Future<Output = Result<Outcome, CliError>>,
) -> Result<Outcome, CliError> {
    crate::signals::until_signal(command)
        .await
        .unwrap_or(Ok(Outcome::Ok))
}

async fn dashboard(
    global: &args::GlobalArgs,
    log_path: Option<PathBuf>,
) -> Result<Outcome, CliError> {
    // Before loading anything: a redirected run starts no sandbox, runs no
    // api_key_cmd, and writes nothing but this line.
    crate::tui::require_terminal()
        .map_err(|_| CliError(crate::i18n::strings().cli.needs_terminal.into()))?;
    let ctx = context::Context::load(global).await?;
    let options = ctx.dashboard_options(global, log_path);
    // The sandbox (under --demo) must outlive the dashboard: `ctx` is kept.
    crate::dashboard::run(options).await.map_err(CliError)?;
    drop(ctx);
    Ok(Outcome::Ok)
}
