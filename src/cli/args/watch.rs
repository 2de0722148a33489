//! Arguments of the long-running faces: `watch` and `sandbox`.

use std::time::Duration;

use clap::{Args, Parser};

use crate::sandbox::SandboxOptions;
use crate::secret::Secret;

use super::parse_duration;

pub(super) const WATCH_HELP: &str = "\
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
