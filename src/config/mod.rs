//! Configuration: the TOML file (accounts, instances, `[ui]`), where it
//! lives, its validation with file:line:column errors, key resolution, and
//! edits that keep the user's comments (see `edit`).
//!
//! ```toml
//! [[account]]
//! name = "main"
//! base_url = "https://apiwhatsappweb.com"
//! api_key = "…"          # or api_key_env = "VAR", or api_key_cmd = "pass show wa/main"
//!
//! [[instance]]
//! id = "…"
//! label = "Tienda Lima"
//! account = "main"       # optional when there is one account
//! tags = ["peru", "ventas"]
//! ```
//!
//! An account may also say `rate = "20/s"` (see `crate::pacer`).

pub mod alerts;
pub(crate) mod alerts_holds;
pub mod channels;
mod chunked;
mod edit;
mod error;
pub(crate) mod files;
pub mod hook_template;
pub mod keys;
pub(crate) mod lock;
mod place;
pub mod placed;
mod raw;
mod resolve;
mod split;
pub mod theme;
pub mod views;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::api::{self, UploadShape};
use crate::secret::Secret;

pub use edit::{add_instance, add_instances, permission_warning, remove_instance, save_atomic};
pub(crate) use error::line_column;
pub use error::{ConfigError, display_path};
pub use raw::{DEFAULT_ACCOUNT_NAME, LANGUAGES, MAX_CONCURRENCY};
pub use resolve::{KEY_CMD_TIMEOUT, Roster, RosterInstance};

/// Environment variable naming the config file (after `--config`).
pub const CONFIG_ENV: &str = "WADASH_CONFIG";
/// Quick use without a file, with `WADASH_API_KEY` (see `cli::context`).
pub const BASE_URL_ENV: &str = "WADASH_BASE_URL";
pub const API_KEY_ENV: &str = "WADASH_API_KEY";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub accounts: Vec<AccountConfig>,
    pub instances: Vec<InstanceConfig>,
    pub ui: UiConfig,
    /// `[history]`: the status store.
    pub history: crate::history::HistoryConfig,
    pub alerts: alerts::AlertsConfig,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountConfig {
    pub name: String,
    pub base_url: String,
    pub key: KeySource,
    pub image_upload: UploadShape,
    pub allow_insecure_http: bool,
    pub timeout: Duration,
    /// `rate = "20/s"`: requests per period to this account's server, at most.
    pub rate: Option<crate::pacer::Rate>,
}

/// Where an account's key comes from. Nothing is read or run until
/// `Config::resolve`; `Debug` shows the inline key masked, and the variable
/// name or command as written.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    Inline(Secret),
    Env(String),
    Cmd(String),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Inline(secret) => write!(f, "Inline({secret:?})"),
            KeySource::Env(var) => write!(f, "Env({var:?})"),
            KeySource::Cmd(cmd) => write!(f, "Cmd({cmd:?})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceConfig {
    pub id: String,
    pub label: Option<String>,
    pub account: Option<String>,
    pub tags: Vec<String>,
}

/// `[ui]`: every key optional; `None` means "use the program's default"
/// (so a command-line flag can still win over an unset key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiConfig {
    /// `en`, `es` or `pt`, lower-case.
    pub lang: Option<String>,
    pub interval: Option<Duration>,
    pub concurrency: Option<usize>,
    pub bell: bool,
    pub qr_refresh: Option<Duration>,
    pub read_only: bool,
    /// `[keys.<mode>]` as written (`keys::rebind::keymap_from` applies
    /// them over the default key table).
    pub keys: keys::KeysConfig,
    /// `[theme]` as written (`theme::palette_from` makes the palette).
    pub theme: theme::ThemeConfig,
    /// `ui.qr_graphics`: terminal images for the QR (None: auto).
    pub qr_graphics: Option<crate::term::GraphicsChoice>,
    /// `[ui] columns` and `[views.<name>]`.
    pub screen: views::ScreenConfig,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            lang: None,
            interval: None,
            concurrency: None,
            bell: true,
            qr_refresh: None,
            read_only: false,
            keys: keys::KeysConfig::default(),
            theme: theme::ThemeConfig::default(),
            qr_graphics: None,
            screen: views::ScreenConfig::default(),
        }
    }
}

impl Config {
    /// `config.toml` in the platform config dir (`~/.config/wadash/` on Linux).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "wadash")
            .map(|dirs| dirs.config_dir().join("config.toml"))
    }

    /// `--config` (clap also fills it from `$WADASH_CONFIG`), else the default path.
    pub fn locate(cli: Option<&Path>) -> Option<PathBuf> {
        cli.map(Path::to_path_buf).or_else(Self::default_path)
    }

    /// Reads and validates the file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_text(path).map_err(|e| ConfigError::io(path, "read the config file", e))?;
        Self::parse_str(&text, path)
    }

    /// Like `load`, but a missing file is an empty config (first run).
    pub fn load_or_empty(path: &Path) -> Result<Config, ConfigError> {
        match read_text(path) {
            Ok(text) => Self::parse_str(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::io(path, "read the config file", e)),
        }
    }

    /// Parses and validates `text`; `origin` names it in errors.
    pub fn parse_str(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        raw::parse(text, origin)
    }

    /// Gives `account` to a config that has none, so instances listed in a
    /// key-less file can run with `--base-url/--api-key`. A config that
    /// already has accounts is returned unchanged (the file wins).
    pub fn with_fallback_account(mut self, account: AccountConfig) -> Config {
        if self.accounts.is_empty() {
            self.accounts.push(account);
        }
        self
    }

    /// Fetches every account's key (env var, command) and builds the
    /// client's accounts; instances point at them by index.
    pub fn resolve(&self) -> Result<Roster, ConfigError> {
        resolve::resolve(self, &[], KEY_CMD_TIMEOUT)
    }

    /// Only the instances in `ids` (all when empty) and the accounts they
    /// use: one command on one instance never runs other accounts' key
    /// commands. Ids not in the config are left out (the caller names them).
    pub fn resolve_for(&self, ids: &[String]) -> Result<Roster, ConfigError> {
        resolve::resolve(self, ids, KEY_CMD_TIMEOUT)
    }

    /// `resolve` with another limit for `api_key_cmd`.
    pub fn resolve_with_timeout(&self, cmd_timeout: Duration) -> Result<Roster, ConfigError> {
        resolve::resolve(self, &[], cmd_timeout)
    }

    pub fn instance(&self, id: &str) -> Option<&InstanceConfig> {
        self.instances.iter().find(|i| i.id == id)
    }
}

impl AccountConfig {
    /// An account with the defaults: multipart uploads, https only, 15 s.
    pub fn new(name: &str, base_url: &str, key: KeySource) -> AccountConfig {
        AccountConfig {
            name: name.to_string(),
            base_url: base_url.to_string(),
            key,
            image_upload: UploadShape::default(),
            allow_insecure_http: false,
            timeout: api::DEFAULT_TIMEOUT,
            rate: None,
        }
    }
}

/// Far above any real config (10,000 instances take about 1 MiB); a path
/// pointing at something else (a log, a device) fails fast instead.
const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// The file's text, refusing anything too large to be a config.
pub(crate) fn read_text(path: &Path) -> std::io::Result<String> {
    files::read_bounded(path, MAX_CONFIG_BYTES, "wadash config")
}
