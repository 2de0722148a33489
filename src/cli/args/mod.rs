//! The command line, as clap derive structs. Global flags are `global = true`
//! so they work before or after the subcommand (`wadash --json status` is a
//! usage error, but `wadash status --concurrency 64` and
//! `wadash --concurrency 64 status` are the same).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{API_KEY_ENV, BASE_URL_ENV, CONFIG_ENV, MAX_CONCURRENCY};
use crate::i18n::Lang;
use crate::secret::Secret;

mod instance;
mod setup;
mod store;
mod watch;

use instance::SHARE_HELP;
use watch::WATCH_HELP;

pub use instance::{InstancesCommand, OnOff, QrArgs, SetCommand, ShareArgs, StatusArgs};
pub use setup::{CompletionShell, CompletionsArgs, ConfigCommand};
pub use store::{AckArgs, HistoryArgs, ReportArgs, ReportFormat, SilenceArgs, SilenceCommand};
pub use watch::{SandboxArgs, SandboxCli, WatchArgs};

const AFTER_HELP: &str = "\
Examples:
  wadash --demo                      dashboard on an in-process sandbox (no account needed)
  wadash                             dashboard for the instances in the config file
  wadash status --json               every instance, as JSON; exit code for cron
  wadash qr ID --wait                show the pairing QR until the phone scans it
  wadash set name ID \"Tienda Lima\"   change the WhatsApp profile name
  wadash --base-url URL --instance ID status
                                     quick use without a config file (key from WADASH_API_KEY)

Exit codes:
  0   ok (status: every instance active)
  1   status: some instance inactive or unknown (no errors); qr --wait: gave up
  2   error: the API, the network, the config, a refused local check
  64  usage: bad flags or arguments";

#[derive(Debug, Parser)]
#[command(
    name = "wadash",
    version,
    about = "Terminal dashboard and headless commands for API WhatsApp Web instances",
    long_about = "Terminal dashboard and headless commands for API WhatsApp Web instances.\n\n\
        With no subcommand, opens the full-screen dashboard.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Config file (default: ~/.config/wadash/config.toml).
    #[arg(long, global = true, env = CONFIG_ENV, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// API base URL for quick use without accounts in the config.
    #[arg(long, global = true, env = BASE_URL_ENV, value_name = "URL")]
    pub base_url: Option<String>,
    /// API key for quick use (prefer the WADASH_API_KEY variable: a flag shows in `ps`).
    #[arg(
        long,
        global = true,
        env = API_KEY_ENV,
        hide_env_values = true,
        value_name = "KEY",
        value_parser = parse_secret
    )]
    pub api_key: Option<Secret>,
    /// Instance id to use without a config file (repeatable).
    #[arg(long = "instance", global = true, value_name = "ID")]
    pub instances: Vec<String>,
    /// Interface language (default: ui.lang in the config, else LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Log filter for the log file: error, warn, info, debug, trace, or tracing directives.
    #[arg(long, global = true, value_name = "LEVEL", default_value = "info")]
    pub log_level: String,
    /// Dashboard polling interval per instance, e.g. 10s, 1m (default: ui.interval, else 10s).
    #[arg(long, global = true, value_name = "DUR", value_parser = parse_duration)]
    pub interval: Option<Duration>,
    /// Requests in flight at most (default: ui.concurrency, else 16).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_CONCURRENCY as i64))]
    pub concurrency: Option<u16>,
    /// Refuse every change (disconnect, set …); only read.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// No terminal bell when an instance goes inactive.
    #[arg(long, global = true)]
    pub no_bell: bool,
    /// Run against an in-process sandbox with demo instances (no account needed).
    #[arg(long, global = true)]
    pub demo: bool,
    /// QR as a terminal image: auto (ask the terminal), kitty, sixel, iterm2, off (default: ui.qr_graphics, else auto).
    #[arg(long, global = true, value_enum, value_name = "PROTOCOL")]
    pub qr_graphics: Option<crate::term::GraphicsChoice>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check instances now; a table, or JSON with --json.
    #[command(
        after_help = "Examples:\n  wadash status\n  wadash status ID1 ID2 --json\n  \
        wadash status --json --concurrency 64 | jq '.[] | select(.status != \"active\")'\n\n\
        Exit codes: 0 all active, 1 any inactive/unknown, 2 any error (or an unknown ID), 64 usage."
    )]
    Status(StatusArgs),
    /// Print the pairing QR code to scan with the phone (and optionally save it as PNG).
    #[command(
        after_help = "Examples:\n  wadash qr ID\n  wadash qr ID --png qr.png\n  \
        wadash qr ID --png - | zbarimg -q -   # the PNG on stdout\n  \
        wadash qr ID --wait          # refresh the code until the phone links\n  \
        wadash qr ID --mode half     # if the compact code shows boxes: your font lacks sextants\n\n\
        Exit codes: 0 shown / connected / already active, 1 --wait-max passed, 2 error, 64 usage."
    )]
    Qr(QrArgs),
    /// Hand the live QR to whoever holds the phone: a one-time web link.
    #[command(after_help = SHARE_HELP)]
    Share(ShareArgs),
    /// Log the instance out of WhatsApp (the phone must scan a new QR to link again).
    #[command(after_help = "Example:\n  wadash disconnect ID")]
    Disconnect {
        /// Instance id.
        id: String,
    },
    /// Change an instance's profile or settings.
    #[command(subcommand)]
    Set(SetCommand),
    /// List, add or remove instances in the config file.
    #[command(subcommand)]
    Instances(InstancesCommand),
    /// Run a local server implementing the API, for demos and tests (`wadash sandbox --help`).
    #[command(disable_help_flag = true)]
    Sandbox(SandboxArgs),
    /// Stored status periods, newest first (with the time nobody observed).
    #[command(
        after_help = "Examples:\n  wadash history\n  wadash history ID --since 7d\n  \
        wadash history --json | jq '.[] | select(.status == \"inactive\")'"
    )]
    History(HistoryArgs),
    /// Uptime, drops, downtime, longest outage and time to reconnect per instance.
    #[command(
        after_help = "Examples:\n  wadash report\n  wadash report --since 30d --format csv > uptime.csv\n  \
        wadash report ID1 ID2 --format json"
    )]
    Report(ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = super::completions::COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `wadash man | man -l -`.
    Man,
    /// Which config file is read and why, check it, or write a starter one.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// What wadash detects about this terminal (images, sextants, colours) and how the QR pane will draw here.
    #[command(after_help = "Examples:\n  wadash doctor\n  wadash doctor --qr-graphics off")]
    Doctor,
    /// Hold alerts back for some instances for a while (like Alertmanager's silences).
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  wadash silence AB12CD --for 2h --comment \"changing the phone\"\n  \
        wadash silence tag:peru --for 30m\n  wadash silence status:error --for 1h\n  \
        wadash silence list\n  wadash silence rm 3\n\n\
        A matcher is the dashboard's filter syntax: an instance id (exact), tag:T, status:S;\n\
        several terms must all match. Every dashboard and watcher sharing the history file\n\
        honours the silence within 15 s."
    )]
    Silence(SilenceArgs),
    /// Acknowledge a down: no reminders nor escalation for it until it is up again.
    #[command(
        after_help = "Examples:\n  wadash ack AB12CD --reason \"the shop's ISP is down, ticket 4411\"\n  \
        wadash ack AB12CD EF34GH\n  wadash ack --list\n  wadash ack --list --all --json\n\n\
        Only an instance the alerts have told down (or in error) can be acknowledged. The ack\n\
        ends by itself when the instance is up again; its up is still sent. Every dashboard\n\
        and watcher sharing the history file honours it within 15 s."
    )]
    Ack(AckArgs),
    /// Watch unattended (systemd, nohup, a container): logs and Prometheus metrics.
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),
}

/// Never fails, so clap never has a reason to quote the key in an error.
pub(super) fn parse_secret(raw: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(raw))
}

pub(super) fn parse_duration(raw: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(raw.trim())
        .map_err(|e| format!("{e} (examples: 500ms, 10s, 2m)"))?;
    if duration.is_zero() {
        return Err("must be longer than 0".into());
    }
    Ok(duration)
}

#[cfg(test)]
mod tests;
