//! The command line, as clap derive structs. Global flags are `global = true`
//! so they work before or after the subcommand (`wadash --json status` is a
//! usage error, but `wadash status --concurrency 64` and
//! `wadash --concurrency 64 status` are the same).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{API_KEY_ENV, BASE_URL_ENV, CONFIG_ENV, MAX_CONCURRENCY};
use crate::i18n::Lang;
use crate::qr::ModeChoice;
use crate::sandbox::SandboxOptions;
use crate::secret::Secret;

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

const WATCH_HELP: &str = "\
Polls like the dashboard (same schedule, backoff and cap), without a screen: one
line per event on stderr (start, stop, status, cycle_slow, alert_sent/failed,
reload), and with --metrics, Prometheus metrics on GET /metrics.

Signals: SIGTERM/SIGINT finish pending writes and exit 0; SIGHUP reads the config
again (a broken one is refused with file:line:col and the old one kept).

Relink links: with --public-url, each down alert (and its reminders) carries a
one-time link to a page with the instance's live QR, served on the --metrics
listener under /s/ (hooks: WADASH_SHARE_URL; JSON webhooks: share_url; other
channels: a \"scan to relink\" line). A link works for --share-for or until the
phone links; at most --share-max are open at once.

Hooks ([[alerts.hook]] command = [...]): {id}, {label} and {event} in an argument
are filled in; {{ and }} write a literal brace, so an argument can carry JSON:
  command = [\"/usr/local/bin/notify\", \"{{\\\"id\\\": \\\"{id}\\\"}}\"]

Examples:
  wadash watch --metrics 127.0.0.1:9469
  wadash watch --shard 0/2 --metrics 127.0.0.1:9469 --log-format json
  wadash watch --metrics 127.0.0.1:9469 --public-url https://example.com/wadash/
  wadash watch --demo --interval 2s      # against the demo sandbox (it flaps)";

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// stderr lines: plain (logfmt; sd-daemon priorities under systemd) or json.
    #[arg(long, value_enum, default_value_t = crate::watch::LogFormat::Plain)]
    pub log_format: crate::watch::LogFormat,
    /// Serve Prometheus metrics on this address (loopback unless --metrics-public; port 0: any free port).
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<std::net::SocketAddr>,
    /// Allow --metrics on a non-loopback address (the metrics name every instance).
    #[arg(long, requires = "metrics")]
    pub metrics_public: bool,
    /// A name /metrics answers besides its address (and localhost on loopback): other Host values get 421 (DNS rebinding). Repeatable.
    #[arg(
        long,
        value_name = "NAME",
        env = "WADASH_METRICS_HOST",
        value_delimiter = ','
    )]
    pub metrics_host: Vec<String>,
    /// Watch only the instances whose id hashes (FNV-1a 64) to K mod N: N watchers split a fleet.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::watch::Shard>,
    /// Where people reach the --metrics listener (e.g. https://example.com/wadash/ through a reverse proxy): down alerts then carry a one-time link to the instance's live QR, served there under /s/.
    #[arg(long, value_name = "URL", requires = "metrics")]
    pub public_url: Option<String>,
    /// How long an alert's relink link works.
    #[arg(long, value_name = "DUR", default_value = "15m", value_parser = parse_duration, requires = "public_url")]
    pub share_for: Duration,
    /// Relink links open at once; alerts past that say why they carry none.
    #[arg(long, value_name = "N", default_value_t = crate::share::alert_links::DEFAULT_SHARE_MAX, requires = "public_url")]
    pub share_max: usize,
}

/// The sandbox's own flags, handed to [`SandboxCli`]: they cannot be
/// flattened here because its `--api-key` would clash with the global one.
/// A global `--api-key` (or WADASH_API_KEY) becomes the sandbox's key.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0.., value_name = "FLAGS")]
    pub args: Vec<String>,
}

/// `wadash sandbox …` parsed on its own.
#[derive(Debug, Parser)]
#[command(
    name = "wadash sandbox",
    about = "Run a local server implementing the API contract, for demos and tests",
    after_help = "Example:\n  wadash sandbox --instances 20 --listen 127.0.0.1:8080 --latency 50\n\n\
        Control routes: /_sandbox/instances[/{id}[/scan|/drop]], /_sandbox/requests, /_sandbox/faults."
)]
pub struct SandboxCli {
    #[command(flatten)]
    pub options: SandboxOptions,
}

impl SandboxArgs {
    /// Parse the forwarded flags; `api_key` (the global flag) wins over none.
    pub fn parse(&self, api_key: Option<&Secret>) -> Result<SandboxOptions, clap::Error> {
        let argv = std::iter::once("wadash sandbox".to_string()).chain(self.args.iter().cloned());
        let mut options = SandboxCli::try_parse_from(argv)?.options;
        if options.api_key.is_none() {
            options.api_key = api_key.map(|k| k.expose().to_string());
        }
        Ok(options)
    }
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only these instances (default: all).
    pub ids: Vec<String>,
    /// JSON array of {"id","label","status","detail","latency_ms"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct QrArgs {
    /// Instance id.
    pub id: String,
    /// Also save the code as a PNG image (`-`: the PNG alone, on stdout).
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// Keep refreshing the code until the instance is active.
    #[arg(long)]
    pub wait: bool,
    /// Drawing: half blocks, compact sextants, or auto (half when it fits).
    #[arg(long, value_enum, default_value_t = ModeChoice::Auto)]
    pub mode: ModeChoice,
    /// Dark modules as glyphs (for light terminal themes without colour).
    #[arg(long)]
    pub invert: bool,
    /// Show a code even if the instance is already active.
    #[arg(long)]
    pub force: bool,
    /// With --wait: how often to fetch a new code (default: ui.qr_refresh, else 20s).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub qr_refresh: Option<Duration>,
    /// With --wait: how often to check whether the phone linked (default: 2.5s, as the dashboard).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub status_every: Option<Duration>,
    /// With --wait: give up after this long (exit 1). Default: wait until Ctrl-C.
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub wait_max: Option<Duration>,
    /// More instance ids, with --wait: linked one after the other (a reconnect queue).
    #[arg(value_name = "ID")]
    pub more: Vec<String>,
}

const SHARE_HELP: &str = "\
Serves a page at an unguessable one-time link (256 random bits) with the
instance's live pairing code, refreshed as it rotates. Send the link to whoever
holds the phone; when the phone links, the page says so and the link stops
working (404), as it does when --for runs out. Only the instance's label and
code are on the page: never the key, never other instances.

Examples:
  wadash share ID                            link on 127.0.0.1, valid 15 min
  wadash share ID --for 1h --send \"tgram://BOT_TOKEN/CHAT_ID\"
  wadash share ID --listen 0.0.0.0:8088 --listen-public
  wadash share ID --listen 127.0.0.1:8088 --public-url https://example.com/wadash/

Exit codes: 0 linked (or already active), 1 the link expired, 2 error, 64 usage.";

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Instance id.
    pub id: String,
    /// How long the link works, e.g. 15m, 1h.
    #[arg(long = "for", value_name = "DUR", default_value = "15m", value_parser = parse_duration)]
    pub duration: Duration,
    /// Serve the page here (loopback unless --listen-public; port 0: any free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
    /// Allow --listen on a non-loopback address (whoever opens the link can link the number).
    #[arg(long)]
    pub listen_public: bool,
    /// The address people open when a reverse proxy forwards it to --listen.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Also push the link and the code's PNG through apprise to this URL (repeatable; masked in output).
    #[arg(long, value_name = "APPRISE_URL", value_parser = parse_secret)]
    pub send: Vec<Secret>,
    /// Share a code even if the instance is already active.
    #[arg(long)]
    pub force: bool,
    /// How often to fetch a new code (default: ui.qr_refresh, else 20s).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub qr_refresh: Option<Duration>,
    /// How often to check whether the phone linked (default: 2.5s).
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub status_every: Option<Duration>,
}

#[derive(Debug, Subcommand)]
pub enum SetCommand {
    /// WhatsApp profile name (1–25 characters).
    #[command(after_help = "Example:\n  wadash set name ID \"Tienda Lima\"")]
    Name { id: String, text: String },
    /// WhatsApp "about" text (at most 139 characters).
    #[command(after_help = "Example:\n  wadash set description ID \"Abierto de 9 a 18 h\"")]
    Description { id: String, text: String },
    /// Mark incoming messages as read automatically.
    #[command(after_help = "Example:\n  wadash set autoread ID on")]
    Autoread { id: String, value: OnOff },
    /// Profile picture: a local file, an https URL, or base64 / a data URL.
    #[command(
        after_help = "A local file is checked before sending, centre-cropped to a square \
        and re-encoded as a 640×640 JPEG (unless --keep-original).\n\nExamples:\n  \
        wadash set image ID ./logo.png\n  wadash set image ID https://example.com/logo.jpg"
    )]
    Image {
        id: String,
        /// PATH, https URL, or base64 / data URL.
        source: String,
        /// Send the file's bytes as they are (still checked to be a picture).
        #[arg(long)]
        keep_original: bool,
    },
    /// Webhook URL (https). Not in the vendor's config page: the neighbouring
    /// endpoint PUT /api/config/sent.
    #[command(
        after_help = "Not in the vendor's config page: uses the neighbouring endpoint \
        PUT /api/config/sent documented on the vendor's English pages.\n\nExample:\n  \
        wadash set webhook ID https://example.com/hook"
    )]
    Webhook { id: String, url: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    #[value(alias = "true", alias = "yes", alias = "1")]
    On,
    #[value(alias = "false", alias = "no", alias = "0")]
    Off,
}

#[derive(Debug, Subcommand)]
pub enum InstancesCommand {
    /// The instances in the config file.
    List {
        /// JSON array of {"id","label","account","tags"}.
        #[arg(long)]
        json: bool,
    },
    /// Add an instance to the config file (comments and layout are kept).
    #[command(
        after_help = "Example:\n  wadash instances add ID --label \"Tienda Lima\" --tag peru --tag ventas"
    )]
    Add {
        id: String,
        #[arg(long)]
        label: Option<String>,
        /// Account name (needed when the config has several).
        #[arg(long)]
        account: Option<String>,
        /// Tag (repeatable).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Remove an instance from the config file.
    Remove { id: String },
    /// Add many instances from a CSV file (id,label,tags,account), all or none.
    #[command(
        after_help = "The file: one instance a line, `id,label,tags,account`; a first line \
        starting with `id` is a header; quote a field holding a comma (\"Tienda, Lima\"); tags \
        separated by `;`. Empty fields are fine (only the id is needed). FILE `-` reads stdin.\n\n\
        Example:\n  wadash instances import fleet.csv --check"
    )]
    Import {
        /// The CSV file (`-`: stdin).
        file: PathBuf,
        /// First ask the server for each id's status; import nothing if it does not know some.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
    /// Print a registration that asks wadash on each TAB: also completes the
    /// instance ids from the config file (source it from the shell's rc file).
    #[arg(long)]
    pub dynamic: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (stdout) and why that one (stderr): flag, env or default.
    Path,
    /// Parse the file, fetch every account's key, warn on loose permissions; exit 0 or 2.
    #[command(after_help = "Example:\n  wadash config check && wadash status")]
    Check,
    /// Write an annotated starter file (mode 0600); never overwrites one.
    Init,
}

/// Never fails, so clap never has a reason to quote the key in an error.
fn parse_secret(raw: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(raw))
}

fn parse_duration(raw: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(raw.trim())
        .map_err(|e| format!("{e} (examples: 500ms, 10s, 2m)"))?;
    if duration.is_zero() {
        return Err("must be longer than 0".into());
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "wadash",
            "status",
            "--concurrency",
            "64",
            "--instance",
            "a",
            "--instance",
            "b",
            "--json",
        ])
        .unwrap();
        assert_eq!(cli.global.concurrency, Some(64));
        assert_eq!(cli.global.instances, ["a", "b"]);
        assert!(matches!(
            cli.command,
            Some(Command::Status(StatusArgs { json: true, .. }))
        ));
    }

    #[test]
    fn the_key_is_masked_in_debug() {
        let cli = Cli::try_parse_from(["wadash", "--api-key", "super-secret-key-1234", "status"])
            .unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("super-secret-key"), "{debug}");
    }

    #[test]
    fn sandbox_flags_are_forwarded_and_the_global_key_used() {
        let cli = Cli::try_parse_from([
            "wadash",
            "--api-key",
            "k-123",
            "sandbox",
            "--instances",
            "9",
            "--latency",
            "20",
        ])
        .unwrap();
        let Some(Command::Sandbox(args)) = cli.command else {
            panic!("not the sandbox")
        };
        let opts = args.parse(cli.global.api_key.as_ref()).unwrap();
        assert_eq!((opts.instances, opts.latency), (9, 20));
        assert_eq!(opts.api_key.as_deref(), Some("k-123"));
        // The key given after the sandbox's own flags reaches it too.
        let cli = Cli::try_parse_from(["wadash", "sandbox", "--instances", "3", "--api-key", "k2"])
            .unwrap();
        let Some(Command::Sandbox(args)) = cli.command else {
            panic!("not the sandbox")
        };
        assert_eq!(args.parse(None).unwrap().api_key.as_deref(), Some("k2"));
        let help = SandboxArgs {
            args: vec!["--help".into()],
        }
        .parse(None)
        .unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
    }

    #[test]
    fn zero_durations_are_refused() {
        assert!(Cli::try_parse_from(["wadash", "--interval", "0s"]).is_err());
        assert!(Cli::try_parse_from(["wadash", "--interval", "15s"]).is_ok());
    }
}
