//! Arguments of the commands that read or write the store: `history`,
//! `report`, `ack`, `silence`.

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use super::parse_duration;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only these instances (default: all in the config and the store).
    pub ids: Vec<String>,
    /// How far back, e.g. 1h, 24h, 7d.
    #[arg(long, default_value = "24h", value_parser = parse_window)]
    pub since: Duration,
    /// JSON array of {"id","label","status","start","end","detail","cause"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Only these instances (default: all in the config and the store).
    pub ids: Vec<String>,
    /// The window, e.g. 24h, 7d, 30d.
    #[arg(long, default_value = "7d", value_parser = parse_window)]
    pub since: Duration,
    /// table, csv (with a header row) or json.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Also ids the history holds that are no longer in the config.
    #[arg(long)]
    pub all: bool,
}

fn parse_window(raw: &str) -> Result<Duration, String> {
    crate::history::parse_window(raw)
}

/// `wadash ack ID… [--reason …]` or `wadash ack --list`.
#[derive(Debug, Args)]
pub struct AckArgs {
    /// The instances to acknowledge (exact ids).
    #[arg(
        value_name = "ID",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    pub ids: Vec<String>,
    /// Why (shown by `ack --list` and `history`).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub reason: String,
    /// The acknowledgements in force (with --all: ended ones too).
    #[arg(long)]
    pub list: bool,
    #[arg(long, requires = "list")]
    pub all: bool,
    /// With --list: JSON array of {"id","instance","acked_at","by","reason","ended_at"}.
    #[arg(long, requires = "list")]
    pub json: bool,
}

/// `wadash silence MATCHER --for DUR` or one of its subcommands.
#[derive(Debug, Args)]
pub struct SilenceArgs {
    #[command(subcommand)]
    pub command: Option<SilenceCommand>,
    /// What to silence: an instance id, tag:T or status:S (several terms: all must match).
    #[arg(value_name = "MATCHER", num_args = 1..)]
    pub matcher: Vec<String>,
    /// How long, e.g. 30m, 2h, 1d.
    #[arg(long = "for", value_name = "DUR", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Why (shown by `silence list`).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub comment: String,
}

#[derive(Debug, Subcommand)]
pub enum SilenceCommand {
    /// The silences in force or still to come (--all: ended ones too).
    List {
        #[arg(long)]
        all: bool,
        /// JSON array of {"id","matcher","starts_at","ends_at","comment","created_by","active"}.
        #[arg(long)]
        json: bool,
    },
    /// End silence N now.
    Rm {
        /// The silence's number, as `silence list` shows it.
        id: i64,
    },
}
