//! The file as written (serde, with spans), and its validation into
//! `Config`. Spans let every validation error point at a line and column.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::error::{ConfigError, Scrubber};
use super::{AccountConfig, Config, InstanceConfig, KeySource, UiConfig};
use crate::api::{self, UploadShape};
use crate::secret::Secret;

// No `Debug` on these: `RawAccount` holds the key as a plain string.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    account: Vec<Spanned<RawAccount>>,
    #[serde(default)]
    pub(super) instance: Vec<Spanned<RawInstance>>,
    #[serde(default)]
    ui: Option<RawUi>,
    #[serde(default)]
    history: Option<RawHistory>,
    keys: Option<super::keys::RawKeys>,
    #[serde(default)]
    theme: Option<super::theme::RawTheme>,
    alerts: Option<super::alerts::RawAlerts>,
    views: Option<std::collections::BTreeMap<String, Spanned<super::views::RawView>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    name: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    api_key: Option<Spanned<String>>,
    api_key_env: Option<Spanned<String>>,
    api_key_cmd: Option<Spanned<String>>,
    image_upload: Option<UploadShape>,
    allow_insecure_http: Option<bool>,
    timeout: Option<Spanned<String>>,
    rate: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInstance {
    pub(super) id: Spanned<String>,
    label: Option<String>,
    pub(super) account: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUi {
    lang: Option<Spanned<String>>,
    interval: Option<Spanned<String>>,
    concurrency: Option<Spanned<usize>>,
    bell: Option<bool>,
    qr_refresh: Option<Spanned<String>>,
    read_only: Option<bool>,
    qr_graphics: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    enabled: Option<bool>,
    path: Option<Spanned<String>>,
    retention: Option<Spanned<String>>,
    /// The dashboard's uptime/drops window.
    window: Option<Spanned<String>>,
    grace: Option<Spanned<String>>,
}

/// The name an account gets when the file gives none.
pub const DEFAULT_ACCOUNT_NAME: &str = "default";
pub const LANGUAGES: &[&str] = &["en", "es", "pt"];
/// Checks in flight at once, at most (`ui.concurrency`, `--concurrency`).
pub const MAX_CONCURRENCY: usize = 1024;

/// Parses and validates; every error is located and scrubbed of keys.
pub(super) fn parse(text: &str, origin: &Path) -> Result<Config, ConfigError> {
    // The scrubber parses the file again: only an error message needs it.
    let fail = |span: Option<std::ops::Range<usize>>, message: String| {
        ConfigError::at(
            origin,
            text,
            span,
            Scrubber::from_text(text).clean(&message),
        )
    };
    // A big fleet's file is read a slice at a time (see `split`); when that
    // cannot be done, or finds a problem, the whole file is parsed as one,
    // which gives the error its usual words and place.
    let mut raw: RawFile = match super::chunked::parse(text) {
        Some(raw) => raw,
        None => toml::from_str(text).map_err(|e| fail(e.span(), with_hint(e.message())))?,
    };

    let mut accounts = Vec::with_capacity(raw.account.len());
    let mut names = HashSet::new();
    for spanned in raw.account {
        let table_span = spanned.span();
        let account = spanned.into_inner();
        let (name, name_span) = match &account.name {
            Some(n) => (n.get_ref().trim().to_string(), n.span()),
            None => (DEFAULT_ACCOUNT_NAME.to_string(), table_span.clone()),
        };
        if name.is_empty() {
            return Err(fail(Some(name_span), "account name is empty".into()));
        }
        if !names.insert(name.clone()) {
            return Err(fail(
                Some(name_span),
                format!("duplicate account name `{name}`; each [[account]] needs its own name"),
            ));
        }
        let key = key_source(&account, &name, table_span)
            .map_err(|(span, message)| fail(Some(span), message))?;
        let allow_insecure_http = account.allow_insecure_http.unwrap_or(false);
        let base_url = match &account.base_url {
            Some(url) => {
                api::parse_base_url(url.get_ref(), allow_insecure_http)
                    .map_err(|e| fail(Some(url.span()), e.to_string()))?;
                url.get_ref().trim().to_string()
            }
            None => api::DEFAULT_BASE_URL.to_string(),
        };
        let timeout = match &account.timeout {
            Some(t) => duration(t, "timeout").map_err(|(s, m)| fail(Some(s), m))?,
            None => api::DEFAULT_TIMEOUT,
        };
        let rate = match &account.rate {
            Some(r) => Some(
                crate::pacer::Rate::parse(r.get_ref())
                    .map_err(|m| fail(Some(r.span()), format!("rate: {m}")))?,
            ),
            None => None,
        };
        accounts.push(AccountConfig {
            name,
            base_url,
            key,
            image_upload: account.image_upload.unwrap_or_default(),
            allow_insecure_http,
            timeout,
            rate,
        });
    }

    let mut instances = Vec::with_capacity(raw.instance.len());
    let mut ids = HashSet::new();
    for spanned in raw.instance {
        let inst = spanned.into_inner();
        let id = inst.id.get_ref();
        if let Some(problem) = id_problem(id) {
            return Err(fail(Some(inst.id.span()), problem));
        }
        if !ids.insert(id.clone()) {
            return Err(fail(
                Some(inst.id.span()),
                format!("duplicate instance id `{id}`"),
            ));
        }
        let account = match &inst.account {
            Some(name) => {
                let wanted = name.get_ref().trim();
                if !accounts.iter().any(|a| a.name == wanted) {
                    return Err(fail(
                        Some(name.span()),
                        format!(
                            "instance `{id}` names account `{wanted}`, which is not defined; known accounts: {}",
                            known_accounts(&accounts)
                        ),
                    ));
                }
                Some(wanted.to_string())
            }
            None if accounts.len() > 1 => {
                return Err(fail(
                    Some(inst.id.span()),
                    format!(
                        "instance `{id}` has no `account` and there are {} accounts; add account = \"…\" (one of {})",
                        accounts.len(),
                        known_accounts(&accounts)
                    ),
                ));
            }
            None => None,
        };
        instances.push(InstanceConfig {
            id: id.clone(),
            label: inst.label.filter(|l| !l.trim().is_empty()),
            account,
            tags: inst.tags,
        });
    }

    let columns = raw.ui.as_mut().and_then(|ui| ui.columns.take());
    let mut ui = match raw.ui {
        Some(ui) => ui_config(ui).map_err(|(s, m)| fail(Some(s), m))?,
        None => UiConfig::default(),
    };
    ui.screen =
        super::views::screen_config(columns, raw.views).map_err(|(s, m)| fail(Some(s), m))?;
    let history = match raw.history {
        Some(h) => history_config(h, origin).map_err(|(s, m)| fail(Some(s), m))?,
        None => crate::history::HistoryConfig::default(),
    };
    if let Some(keys) = raw.keys {
        ui.keys =
            super::keys::keys_config(keys, text, origin).map_err(|(s, m)| fail(Some(s), m))?;
    }
    if let Some(theme) = raw.theme {
        ui.theme = super::theme::theme_config(theme, text, origin);
    }
    let alerts = match raw.alerts {
        Some(alerts) => super::alerts::alerts_config(alerts).map_err(|(s, m)| fail(Some(s), m))?,
        None => Default::default(),
    };
    Ok(Config {
        accounts,
        instances,
        ui,
        history,
        alerts,
    })
}

type Located = (std::ops::Range<usize>, String);

fn key_source(
    account: &RawAccount,
    name: &str,
    table_span: std::ops::Range<usize>,
) -> Result<KeySource, Located> {
    let given: Vec<(&str, &Spanned<String>)> = [
        ("api_key", &account.api_key),
        ("api_key_env", &account.api_key_env),
        ("api_key_cmd", &account.api_key_cmd),
    ]
    .into_iter()
    .filter_map(|(field, value)| value.as_ref().map(|v| (field, v)))
    .collect();
    match given.as_slice() {
        [] => Err((
            table_span,
            format!(
                "account `{name}` has no key: set exactly one of api_key, api_key_env or api_key_cmd"
            ),
        )),
        [(field, value)] => {
            let text = value.get_ref();
            if text.trim().is_empty() {
                return Err((
                    value.span(),
                    format!("{field} of account `{name}` is empty"),
                ));
            }
            Ok(match *field {
                "api_key" => {
                    if text.chars().any(char::is_control) {
                        return Err((
                            value.span(),
                            format!(
                                "api_key of account `{name}` contains a control character (a line break?)"
                            ),
                        ));
                    }
                    KeySource::Inline(Secret::new(text.clone()))
                }
                "api_key_env" => {
                    let var = text.trim();
                    if !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        return Err((
                            value.span(),
                            format!(
                                "api_key_env of account `{name}` must be a variable name (letters, digits, _), not {var:?}"
                            ),
                        ));
                    }
                    KeySource::Env(var.to_string())
                }
                _ => KeySource::Cmd(text.clone()),
            })
        }
        [(first, _), (second, value), ..] => Err((
            value.span(),
            format!(
                "account `{name}` sets both {first} and {second}: keep exactly one of api_key, api_key_env or api_key_cmd"
            ),
        )),
    }
}

fn ui_config(ui: RawUi) -> Result<UiConfig, Located> {
    let lang = match ui.lang {
        Some(lang) => {
            let code = lang.get_ref().trim().to_ascii_lowercase();
            if !LANGUAGES.contains(&code.as_str()) {
                return Err((
                    lang.span(),
                    format!(
                        "unknown language {:?}: use one of {}",
                        lang.get_ref(),
                        LANGUAGES.join(", ")
                    ),
                ));
            }
            Some(code)
        }
        None => None,
    };
    let concurrency = match ui.concurrency {
        Some(n) if *n.get_ref() == 0 || *n.get_ref() > MAX_CONCURRENCY => {
            return Err((
                n.span(),
                format!("concurrency must be between 1 and {MAX_CONCURRENCY}"),
            ));
        }
        Some(n) => Some(n.into_inner()),
        None => None,
    };
    Ok(UiConfig {
        lang,
        interval: ui
            .interval
            .as_ref()
            .map(|d| duration(d, "interval"))
            .transpose()?,
        concurrency,
        bell: ui.bell.unwrap_or(true),
        qr_refresh: ui
            .qr_refresh
            .as_ref()
            .map(|d| duration(d, "qr_refresh"))
            .transpose()?,
        read_only: ui.read_only.unwrap_or(false),
        qr_graphics: match &ui.qr_graphics {
            Some(v) => Some(
                crate::term::GraphicsChoice::parse(v.get_ref()).ok_or_else(|| {
                    (
                        v.span(),
                        "qr_graphics must be one of auto, kitty, sixel, iterm2, off".to_string(),
                    )
                })?,
            ),
            None => None,
        },
        ..UiConfig::default()
    })
}

fn history_config(h: RawHistory, origin: &Path) -> Result<crate::history::HistoryConfig, Located> {
    let defaults = crate::history::HistoryConfig::default();
    let path = match h.path {
        Some(p) => {
            let text = p.get_ref().trim();
            if text.is_empty() {
                return Err((p.span(), "history.path is empty".into()));
            }
            // `~/` is the user's home; a relative path is beside the config file.
            let expanded = match text.strip_prefix("~/") {
                Some(rest) => directories::BaseDirs::new()
                    .map(|d| d.home_dir().join(rest))
                    .ok_or_else(|| (p.span(), "history.path: no home directory".to_string()))?,
                None => std::path::PathBuf::from(text),
            };
            let full = if expanded.is_relative() {
                origin
                    .parent()
                    .map(|dir| dir.join(&expanded))
                    .unwrap_or(expanded)
            } else {
                expanded
            };
            Some(full)
        }
        None => None,
    };
    let opt = |v: &Option<Spanned<String>>, field: &str| {
        v.as_ref().map(|d| duration(d, field)).transpose()
    };
    Ok(crate::history::HistoryConfig {
        enabled: h.enabled.unwrap_or(defaults.enabled),
        path,
        retention: opt(&h.retention, "retention")?.unwrap_or(defaults.retention),
        window: opt(&h.window, "window")?.unwrap_or(defaults.window),
        grace: opt(&h.grace, "grace")?,
    })
}

/// "15s", "1m 30s", "500ms": humantime syntax, and never zero.
fn duration(value: &Spanned<String>, field: &str) -> Result<Duration, Located> {
    let text = value.get_ref().trim();
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Err((value.span(), format!("{field} must be greater than zero"))),
        Ok(d) => Ok(d),
        Err(e) => Err((
            value.span(),
            format!(
                "{field}: invalid duration {text:?} ({e}); write it like \"15s\", \"2m\" or \"500ms\""
            ),
        )),
    }
}

/// Why an instance id cannot be used, if it cannot. It is sent as an HTTP
/// header, and a space is almost always a paste accident.
pub(super) fn id_problem(id: &str) -> Option<String> {
    if id.trim().is_empty() {
        Some("instance id is empty".into())
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some(format!(
            "instance id {:?} contains spaces or control characters",
            id
        ))
    } else {
        None
    }
}

/// serde's words for the most common slip, `[account]` for `[[account]]`,
/// are obscure; say what to write.
fn with_hint(message: &str) -> String {
    if message.starts_with("invalid type: map, expected a sequence") {
        format!("{message}: write [[account]] and [[instance]] with double brackets")
    } else {
        message.to_string()
    }
}

fn known_accounts(accounts: &[AccountConfig]) -> String {
    if accounts.is_empty() {
        return "none".into();
    }
    accounts
        .iter()
        .map(|a| format!("`{}`", a.name))
        .collect::<Vec<_>>()
        .join(", ")
}
