//! The channels of issue 20 in `[alerts]`: Apprise, Alertmanager and email,
//! and what every channel may carry (`name`, `match`, `runbook`).
//!
//! ```toml
//! [alerts]
//! runbook = "relink: wadash qr {id} --wait"   # the default; {id} and {label} filled in
//!
//! [[alerts.apprise]]
//! name = "lima-telegram"
//! urls = ["tgram://BOTTOKEN/CHATID"]
//! match = "tag:lima"
//! runbook = "call the Lima shop, the phone is at the counter"
//!
//! [[alerts.alertmanager]]
//! url = "http://127.0.0.1:9093"
//! resend = "1m"            # re-send firing alerts this often
//!
//! [[alerts.email]]
//! server = "smtp.example.com"
//! tls = "starttls"         # "tls" (port 465), "starttls" (587) or "none" (loopback only)
//! username = "alerts@example.com"
//! password_env = "WADASH_SMTP_PASSWORD"   # or password_cmd = "pass show smtp"
//! ca_file = "/etc/ssl/private-ca.pem"     # optional: trust a private CA too
//! from = "wadash <alerts@example.com>"
//! to = ["ops@example.com"]
//! ```

use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::Matcher;

/// What each alert tells people to do unless a channel or `[alerts]` says otherwise.
pub const DEFAULT_RUNBOOK: &str = "relink: wadash qr {id} --wait";
pub const DEFAULT_RESEND: Duration = Duration::from_secs(60);

type Located = (Range<usize>, String);

/// What every channel may carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelMeta {
    /// How other rules (`[[alerts.escalate]] channel = "…"`) name it.
    pub name: Option<String>,
    /// Overrides `[alerts] runbook` for the events this channel takes.
    pub runbook: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct AppriseConfig {
    /// Apprise URLs; they hold tokens, so they are only ever shown as `scheme://…`.
    pub urls: Vec<String>,
    pub only: Option<Matcher>,
    pub meta: ChannelMeta,
}

/// Masked: a `{:?}` of the config must not print the tokens.
impl std::fmt::Debug for AppriseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppriseConfig")
            .field("urls", &self.shown())
            .field("only", &self.only)
            .field("meta", &self.meta)
            .finish()
    }
}

impl AppriseConfig {
    pub fn shown(&self) -> String {
        let shown: Vec<String> = self.urls.iter().map(|u| shown_scheme(u)).collect();
        shown.join(", ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertmanagerConfig {
    /// The Alertmanager's base URL (`/api/v2/alerts` is added).
    pub url: url::Url,
    pub resend: Duration,
    pub only: Option<Matcher>,
    pub meta: ChannelMeta,
}

impl AlertmanagerConfig {
    pub fn shown(&self) -> String {
        let host = self.url.host_str().unwrap_or("?");
        match self.url.port() {
            Some(port) => format!("{}://{host}:{port}", self.url.scheme()),
            None => format!("{}://{host}", self.url.scheme()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// No TLS at all: only to a server on this machine.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    Env(String),
    Cmd(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailConfig {
    pub server: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// A PEM file of CA certificates trusted besides the system's roots
    /// (a private mail server's own CA).
    pub ca_file: Option<std::path::PathBuf>,
    pub username: Option<String>,
    pub password: Option<PasswordSource>,
    pub from: String,
    pub to: Vec<String>,
    pub only: Option<Matcher>,
    pub meta: ChannelMeta,
}

impl EmailConfig {
    pub fn shown(&self) -> String {
        let tls = match self.tls {
            SmtpTls::Tls => "tls",
            SmtpTls::StartTls => "starttls",
            SmtpTls::None => "no tls",
        };
        format!("smtp {}:{} ({tls})", self.server, self.port)
    }
}

/// `scheme://…`: the part of a channel URL that holds no token.
pub fn shown_scheme(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, _)) => format!("{scheme}://…"),
        None => "…".to_string(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApprise {
    urls: Spanned<Vec<String>>,
    name: Option<Spanned<String>>,
    r#match: Option<Spanned<String>>,
    only: Option<Spanned<String>>,
    runbook: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlertmanager {
    url: Spanned<String>,
    resend: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    r#match: Option<Spanned<String>>,
    only: Option<Spanned<String>>,
    runbook: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmail {
    server: Spanned<String>,
    port: Option<Spanned<i64>>,
    tls: Option<Spanned<String>>,
    ca_file: Option<Spanned<String>>,
    username: Option<String>,
    password_env: Option<Spanned<String>>,
    password_cmd: Option<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<Vec<String>>,
    name: Option<Spanned<String>>,
    r#match: Option<Spanned<String>>,
    only: Option<Spanned<String>>,
    runbook: Option<String>,
}

/// `match` (the issue's name) and `only` (the older one) mean the same;
/// both at once is a mistake.
pub(super) fn matcher(
    kind: &str,
    only: Option<Spanned<String>>,
    r#match: Option<Spanned<String>>,
) -> Result<Option<Matcher>, Located> {
    let raw = match (only, r#match) {
        (Some(_), Some(m)) => {
            return Err((
                m.span(),
                format!("alerts.{kind}: write `match` or `only`, not both (they mean the same)"),
            ));
        }
        (Some(o), None) => Some(("only", o)),
        (None, Some(m)) => Some(("match", m)),
        (None, None) => None,
    };
    raw.map(|(field, m)| {
        Matcher::only(m.get_ref()).map_err(|e| (m.span(), format!("{field}: {e}")))
    })
    .transpose()
}

/// The channel names seen so far: a name is how other rules refer to one
/// channel, so it must be unique across all kinds.
#[derive(Default)]
pub(super) struct Names(std::collections::HashSet<String>);

pub(super) fn meta(
    kind: &str,
    name: Option<Spanned<String>>,
    runbook: Option<String>,
    names: &mut Names,
) -> Result<ChannelMeta, Located> {
    let name = match name {
        Some(n) if n.get_ref().trim().is_empty() => {
            return Err((n.span(), format!("alerts.{kind} name is empty")));
        }
        Some(n) => {
            let text = n.get_ref().trim().to_string();
            if !names.0.insert(text.clone()) {
                return Err((
                    n.span(),
                    format!("alerts.{kind} name {text:?} is already used by another channel"),
                ));
            }
            Some(text)
        }
        None => None,
    };
    Ok(ChannelMeta {
        name,
        runbook: runbook
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty()),
    })
}

pub(super) fn apprise_config(raw: RawApprise, names: &mut Names) -> Result<AppriseConfig, Located> {
    let span = raw.urls.span();
    let urls: Vec<String> = raw
        .urls
        .into_inner()
        .into_iter()
        .map(|u| u.trim().to_string())
        .collect();
    if urls.is_empty() {
        return Err((
            span,
            "alerts.apprise urls is empty: list Apprise URLs such as \"tgram://…\" or \"ntfy://…\""
                .into(),
        ));
    }
    // The URL itself is not repeated in the message: it holds tokens.
    for (n, url) in urls.iter().enumerate() {
        let scheme_ok = url.split_once("://").is_some_and(|(s, rest)| {
            !s.is_empty()
                && !rest.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if !scheme_ok || url.chars().any(char::is_whitespace) {
            return Err((
                span.clone(),
                format!(
                    "alerts.apprise url #{} is not an Apprise URL (scheme://…, no spaces)",
                    n + 1
                ),
            ));
        }
    }
    Ok(AppriseConfig {
        urls,
        only: matcher("apprise", raw.only, raw.r#match)?,
        meta: meta("apprise", raw.name, raw.runbook, names)?,
    })
}

pub(super) fn alertmanager_config(
    raw: RawAlertmanager,
    names: &mut Names,
) -> Result<AlertmanagerConfig, Located> {
    let url = url::Url::parse(raw.url.get_ref().trim()).map_err(|e| {
        (
            raw.url.span(),
            format!("alerts.alertmanager url is not a URL ({e})"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err((
            raw.url.span(),
            "alerts.alertmanager url must be an http:// or https:// address, e.g. \"http://127.0.0.1:9093\"".into(),
        ));
    }
    let resend = match &raw.resend {
        None => DEFAULT_RESEND,
        Some(r) => match humantime::parse_duration(r.get_ref().trim()) {
            Ok(d) if d >= Duration::from_secs(1) => d,
            _ => {
                return Err((
                    r.span(),
                    "alerts.alertmanager resend must be a duration of at least 1s, like \"1m\""
                        .into(),
                ));
            }
        },
    };
    Ok(AlertmanagerConfig {
        url,
        resend,
        only: matcher("alertmanager", raw.only, raw.r#match)?,
        meta: meta("alertmanager", raw.name, raw.runbook, names)?,
    })
}

pub(super) fn email_config(raw: RawEmail, names: &mut Names) -> Result<EmailConfig, Located> {
    let server = raw.server.get_ref().trim().to_string();
    if server.is_empty() || server.contains(char::is_whitespace) || server.contains('/') {
        return Err((
            raw.server.span(),
            "alerts.email server must be a host name, e.g. \"smtp.example.com\"".into(),
        ));
    }
    let tls = match &raw.tls {
        None => SmtpTls::StartTls,
        Some(t) => match t.get_ref().trim().to_ascii_lowercase().as_str() {
            "tls" => SmtpTls::Tls,
            "starttls" => SmtpTls::StartTls,
            "none" => SmtpTls::None,
            other => {
                return Err((
                    t.span(),
                    format!(
                        "alerts.email tls {other:?} is not known: use \"tls\", \"starttls\" or \"none\""
                    ),
                ));
            }
        },
    };
    if tls == SmtpTls::None && !is_loopback(&server) {
        return Err((
            raw.server.span(),
            "alerts.email tls = \"none\" is only allowed for a server on this machine (localhost, 127.0.0.1, ::1)".into(),
        ));
    }
    let ca_file = match &raw.ca_file {
        None => None,
        Some(_) if tls == SmtpTls::None => {
            return Err((
                raw.server.span(),
                "alerts.email ca_file needs tls = \"tls\" or \"starttls\"".into(),
            ));
        }
        Some(c) => {
            let path = std::path::PathBuf::from(c.get_ref().trim());
            // `watch` runs from wherever systemd starts it: no relative paths.
            if !path.is_absolute() {
                return Err((
                    c.span(),
                    "alerts.email ca_file must be an absolute path".into(),
                ));
            }
            Some(path)
        }
    };
    let port = match &raw.port {
        None => match tls {
            SmtpTls::Tls => 465,
            SmtpTls::StartTls => 587,
            SmtpTls::None => 25,
        },
        Some(p) => u16::try_from(*p.get_ref())
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                (
                    p.span(),
                    "alerts.email port must be between 1 and 65535".into(),
                )
            })?,
    };
    let password = match (raw.password_env, raw.password_cmd) {
        (Some(_), Some(c)) => {
            return Err((
                c.span(),
                "alerts.email: write password_env or password_cmd, not both".into(),
            ));
        }
        (Some(e), None) => Some(PasswordSource::Env(e.into_inner().trim().to_string())),
        (None, Some(c)) => Some(PasswordSource::Cmd(c.into_inner())),
        (None, None) => None,
    };
    let username = raw.username.map(|u| u.trim().to_string());
    if password.is_some() != username.is_some() {
        return Err((
            raw.server.span(),
            "alerts.email: username and password_env/password_cmd go together".into(),
        ));
    }
    let from = raw.from.get_ref().trim().to_string();
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err((
            raw.from.span(),
            format!("alerts.email from {from:?} is not an address"),
        ));
    }
    let to_span = raw.to.span();
    let to: Vec<String> = raw
        .to
        .into_inner()
        .into_iter()
        .map(|t| t.trim().to_string())
        .collect();
    if to.is_empty() {
        return Err((to_span, "alerts.email to is empty".into()));
    }
    if let Some(bad) = to
        .iter()
        .find(|t| t.parse::<lettre::message::Mailbox>().is_err())
    {
        return Err((
            to_span,
            format!("alerts.email to {bad:?} is not an address"),
        ));
    }
    Ok(EmailConfig {
        server,
        port,
        tls,
        ca_file,
        username,
        password,
        from,
        to,
        only: matcher("email", raw.only, raw.r#match)?,
        meta: meta("email", raw.name, raw.runbook, names)?,
    })
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
#[path = "channels_tests.rs"]
mod tests;
