//! Arguments of the commands that act on instances: `status`, `qr`,
//! `share`, `set`, `instances`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use crate::qr::ModeChoice;
use crate::secret::Secret;

use super::{parse_duration, parse_secret};

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

pub(super) const SHARE_HELP: &str = "\
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
