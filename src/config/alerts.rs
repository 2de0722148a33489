//! `[alerts]`: the alert engine's rules and where alerts go.
//!
//! ```toml
//! [alerts]
//! after = 3              # consecutive not-active checks before "down"
//! resolve_after = 2      # consecutive active checks before "up" again
//! remind_every = "0s"    # repeat while still down ("0s": never)
//! flap_changes = 4       # more changes than this within flap_window: "flapping"
//! flap_window = "15m"
//! group_window = "10s"   # optional; default: the polling interval
//! desktop = true         # dashboard: desktop notifications where a session bus exists
//! dashboard_hooks = true # false: dashboards leave hooks and webhooks to `wadash watch`
//!
//! [[alerts.hook]]
//! command = ["/usr/local/bin/page-me", "--urgent", "{event}", "{id}"]
//! only = "tag:peru"
//! # {id} {label} {event} are filled in; {{ and }} write a literal brace:
//! # "{{\"id\": \"{id}\"}}" reaches the hook as {"id": "3A1F…"}
//!
//! [[alerts.webhook]]
//! url = "https://hooks.example.com/T000/B000/XXX"
//! format = "json"        # or "slack", "discord", "ntfy"
//! only = "status:inactive"   # `match = "…"` is the same
//! ```
//!
//! Apprise, Alertmanager and email channels, and what every channel may
//! carry (`name`, `match`, `runbook`), are in [`super::channels`].

use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::channels::{
    AlertmanagerConfig, AppriseConfig, ChannelMeta, EmailConfig, RawAlertmanager, RawApprise,
    RawEmail,
};
use crate::domain::Matcher;

pub const DEFAULT_AFTER: u32 = 3;
pub const DEFAULT_RESOLVE_AFTER: u32 = 2;
pub const DEFAULT_FLAP_CHANGES: u32 = 4;
pub const DEFAULT_FLAP_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Past this, a threshold is a typo (a day of 10 s checks is 8,640).
const MAX_COUNT: i64 = 10_000;
pub use super::hook_template::PLACEHOLDERS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertsConfig {
    pub after: u32,
    pub resolve_after: u32,
    /// None: no reminders ("0s").
    pub remind_every: Option<Duration>,
    /// 0: flap detection off.
    pub flap_changes: u32,
    pub flap_window: Duration,
    /// None: one polling interval.
    pub group_window: Option<Duration>,
    pub desktop: bool,
    /// The dashboard runs hooks and webhooks too; false when `wadash watch`
    /// does it for the same instances (no double pages).
    pub dashboard_hooks: bool,
    pub hooks: Vec<HookConfig>,
    pub webhooks: Vec<WebhookConfig>,
    /// What to do, for channels without their own `runbook`.
    pub runbook: String,
    pub apprise: Vec<AppriseConfig>,
    pub alertmanager: Vec<AlertmanagerConfig>,
    pub email: Vec<EmailConfig>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            after: DEFAULT_AFTER,
            resolve_after: DEFAULT_RESOLVE_AFTER,
            remind_every: None,
            flap_changes: DEFAULT_FLAP_CHANGES,
            flap_window: DEFAULT_FLAP_WINDOW,
            group_window: None,
            desktop: true,
            dashboard_hooks: true,
            hooks: Vec::new(),
            webhooks: Vec::new(),
            runbook: super::channels::DEFAULT_RUNBOOK.to_string(),
            apprise: Vec::new(),
            alertmanager: Vec::new(),
            email: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookConfig {
    /// Program and arguments, run directly (no shell).
    pub command: Vec<String>,
    pub only: Option<Matcher>,
    pub meta: ChannelMeta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebhookFormat {
    #[default]
    Json,
    Slack,
    Discord,
    Ntfy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    pub url: url::Url,
    pub format: WebhookFormat,
    pub only: Option<Matcher>,
    pub meta: ChannelMeta,
}

impl WebhookConfig {
    /// The URL without path or query, for logs: a Slack-style URL holds its
    /// token in the path.
    pub fn shown(&self) -> String {
        let host = self.url.host_str().unwrap_or("?");
        match self.url.port() {
            Some(port) => format!("{}://{host}:{port}/…", self.url.scheme()),
            None => format!("{}://{host}/…", self.url.scheme()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlerts {
    after: Option<Spanned<i64>>,
    resolve_after: Option<Spanned<i64>>,
    remind_every: Option<Spanned<String>>,
    flap_changes: Option<Spanned<i64>>,
    flap_window: Option<Spanned<String>>,
    group_window: Option<Spanned<String>>,
    desktop: Option<bool>,
    dashboard_hooks: Option<bool>,
    #[serde(default)]
    hook: Vec<RawHook>,
    #[serde(default)]
    webhook: Vec<RawWebhook>,
    runbook: Option<Spanned<String>>,
    #[serde(default)]
    apprise: Vec<RawApprise>,
    #[serde(default)]
    alertmanager: Vec<RawAlertmanager>,
    #[serde(default)]
    email: Vec<RawEmail>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHook {
    command: Spanned<Vec<String>>,
    only: Option<Spanned<String>>,
    r#match: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    runbook: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebhook {
    url: Spanned<String>,
    format: Option<Spanned<String>>,
    only: Option<Spanned<String>>,
    r#match: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    runbook: Option<String>,
}

type Located = (Range<usize>, String);

pub(super) fn alerts_config(raw: RawAlerts) -> Result<AlertsConfig, Located> {
    let d = AlertsConfig::default();
    let count = |v: &Option<Spanned<i64>>, field: &str, min: i64, default: u32| match v {
        None => Ok(default),
        Some(n) if (min..=MAX_COUNT).contains(n.get_ref()) => Ok(*n.get_ref() as u32),
        Some(n) => Err((
            n.span(),
            format!("alerts.{field} must be between {min} and {MAX_COUNT}"),
        )),
    };
    let mut names = super::channels::Names::default();
    let mut hooks = Vec::with_capacity(raw.hook.len());
    for hook in raw.hook {
        hooks.push(hook_config(hook, &mut names)?);
    }
    let mut webhooks = Vec::with_capacity(raw.webhook.len());
    for webhook in raw.webhook {
        webhooks.push(webhook_config(webhook, &mut names)?);
    }
    let apprise = raw
        .apprise
        .into_iter()
        .map(|r| super::channels::apprise_config(r, &mut names))
        .collect::<Result<Vec<_>, _>>()?;
    let alertmanager = raw
        .alertmanager
        .into_iter()
        .map(|r| super::channels::alertmanager_config(r, &mut names))
        .collect::<Result<Vec<_>, _>>()?;
    let email = raw
        .email
        .into_iter()
        .map(|r| super::channels::email_config(r, &mut names))
        .collect::<Result<Vec<_>, _>>()?;
    let runbook = match raw.runbook {
        Some(r) if r.get_ref().trim().is_empty() => {
            return Err((r.span(), "alerts.runbook is empty".into()));
        }
        Some(r) => r.into_inner().trim().to_string(),
        None => d.runbook.clone(),
    };
    Ok(AlertsConfig {
        after: count(&raw.after, "after", 1, d.after)?,
        resolve_after: count(&raw.resolve_after, "resolve_after", 1, d.resolve_after)?,
        remind_every: match &raw.remind_every {
            Some(v) => Some(duration(v, "remind_every")?).filter(|d| !d.is_zero()),
            None => None,
        },
        flap_changes: count(&raw.flap_changes, "flap_changes", 0, d.flap_changes)?,
        flap_window: match &raw.flap_window {
            Some(v) => match duration(v, "flap_window")? {
                z if z.is_zero() => {
                    return Err((
                        v.span(),
                        "alerts.flap_window must be greater than zero (turn flapping off with flap_changes = 0)".into(),
                    ));
                }
                w => w,
            },
            None => d.flap_window,
        },
        group_window: raw
            .group_window
            .as_ref()
            .map(|v| duration(v, "group_window"))
            .transpose()?,
        desktop: raw.desktop.unwrap_or(d.desktop),
        dashboard_hooks: raw.dashboard_hooks.unwrap_or(d.dashboard_hooks),
        hooks,
        webhooks,
        runbook,
        apprise,
        alertmanager,
        email,
    })
}

fn hook_config(raw: RawHook, names: &mut super::channels::Names) -> Result<HookConfig, Located> {
    let span = raw.command.span();
    let command = raw.command.into_inner();
    match command.first() {
        None => {
            return Err((
                span,
                "alerts.hook command is empty: write the program and its arguments, e.g. [\"/usr/local/bin/page-me\", \"{id}\"]".into(),
            ));
        }
        Some(program) if program.trim().is_empty() => {
            return Err((span, "alerts.hook command names no program".into()));
        }
        Some(_) => {}
    }
    for arg in &command {
        if let Err(why) = super::hook_template::check(arg) {
            return Err((span, format!("alerts.hook argument {arg:?}: {why}")));
        }
    }
    Ok(HookConfig {
        command,
        only: super::channels::matcher("hook", raw.only, raw.r#match)?,
        meta: super::channels::meta("hook", raw.name, raw.runbook, names)?,
    })
}

fn webhook_config(
    raw: RawWebhook,
    names: &mut super::channels::Names,
) -> Result<WebhookConfig, Located> {
    // The URL is not repeated in the message: webhook URLs carry tokens.
    let url = url::Url::parse(raw.url.get_ref().trim()).map_err(|e| {
        (
            raw.url.span(),
            format!("alerts.webhook url is not a URL ({e})"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err((
            raw.url.span(),
            "alerts.webhook url must be an http:// or https:// address".into(),
        ));
    }
    let format = match &raw.format {
        None => WebhookFormat::Json,
        Some(f) => match f.get_ref().trim().to_ascii_lowercase().as_str() {
            "json" => WebhookFormat::Json,
            "slack" => WebhookFormat::Slack,
            "discord" => WebhookFormat::Discord,
            "ntfy" => WebhookFormat::Ntfy,
            other => {
                return Err((
                    f.span(),
                    format!(
                        "alerts.webhook format {other:?} is not known: use \"json\", \"slack\", \"discord\" or \"ntfy\""
                    ),
                ));
            }
        },
    };
    Ok(WebhookConfig {
        url,
        format,
        only: super::channels::matcher("webhook", raw.only, raw.r#match)?,
        meta: super::channels::meta("webhook", raw.name, raw.runbook, names)?,
    })
}

/// humantime syntax; zero allowed (callers decide what it means).
fn duration(value: &Spanned<String>, field: &str) -> Result<Duration, Located> {
    let text = value.get_ref().trim();
    humantime::parse_duration(text).map_err(|e| {
        (
            value.span(),
            format!(
                "alerts.{field}: invalid duration {text:?} ({e}); write it like \"30s\", \"15m\" or \"2h\""
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse_str(text, Path::new("wadash.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn the_documented_example_parses() {
        let config = parse(
            r#"
[alerts]
after = 3
resolve_after = 2
remind_every = "0s"
flap_changes = 4
flap_window = "15m"

[[alerts.hook]]
command = ["/usr/local/bin/page-me", "--urgent", "{event}", "{id}", "{label}"]
only = "tag:peru"

[[alerts.webhook]]
url = "https://hooks.example.com/T000/B000/XXX"
format = "slack"
only = "status:inactive"

[[alerts.webhook]]
url = "http://127.0.0.1:9000/alerts"
"#,
        )
        .unwrap();
        let a = &config.alerts;
        assert_eq!((a.after, a.resolve_after, a.flap_changes), (3, 2, 4));
        assert_eq!(a.remind_every, None, "0s: never");
        assert_eq!(a.flap_window, Duration::from_secs(900));
        assert_eq!(a.hooks[0].command[1], "--urgent");
        assert_eq!(a.hooks[0].only.as_ref().unwrap().text(), "tag:peru");
        assert_eq!(a.webhooks[0].format, WebhookFormat::Slack);
        assert_eq!(a.webhooks[1].format, WebhookFormat::Json);
        assert_eq!(a.webhooks[0].shown(), "https://hooks.example.com/…");
        let s = crate::engine::alerts::Settings::from_config(a, Duration::from_secs(10));
        assert_eq!(s.group_window, Duration::from_secs(10), "one interval");
        assert_eq!(
            crate::alerts::deliver::Channels::dashboard(a)
                .webhooks
                .len(),
            2
        );
        let quiet =
            parse("[alerts]\ndashboard_hooks = false\n[[alerts.hook]]\ncommand = [\"x\"]\n")
                .unwrap()
                .alerts;
        assert!(
            crate::alerts::deliver::Channels::dashboard(&quiet)
                .hooks
                .is_empty()
        );
        assert_eq!(
            crate::alerts::deliver::Channels::unattended(&quiet)
                .hooks
                .len(),
            1,
            "watch still runs them"
        );
        assert_eq!(parse("").unwrap().alerts, AlertsConfig::default());
        let r = parse("[alerts]\nremind_every = \"1h\"\n").unwrap();
        assert_eq!(r.alerts.remind_every, Some(Duration::from_secs(3600)));
    }

    #[test]
    fn mistakes_point_at_their_line_and_column() {
        let cases = [
            ("[alerts]\nafter = 0\n", "wadash.toml:2:9", "between 1 and"),
            (
                "[alerts]\nflap_window = \"soon\"\n",
                "wadash.toml:2:15",
                "invalid duration",
            ),
            (
                "[alerts]\nflap_window = \"0s\"\n",
                "wadash.toml:2:15",
                "flap_changes = 0",
            ),
            ("[alerts]\nbogus = 1\n", "wadash.toml:2:1", "bogus"),
            (
                "[[alerts.hook]]\ncommand = []\n",
                "wadash.toml:2:11",
                "command is empty",
            ),
            (
                "[[alerts.hook]]\ncommand = [\"x\", \"{instance}\"]\n",
                "wadash.toml:2:11",
                "{instance}",
            ),
            (
                "[[alerts.hook]]\ncommand = [\"x\"]\nonly = \"status:sleepy\"\n",
                "wadash.toml:3:8",
                "unknown status",
            ),
            (
                "[[alerts.webhook]]\nurl = \"ftp://example.com/secret-token\"\n",
                "wadash.toml:2:7",
                "http:// or https://",
            ),
            (
                "[[alerts.webhook]]\nurl = \"https://x.example/\"\nformat = \"xml\"\n",
                "wadash.toml:3:10",
                "\"json\", \"slack\"",
            ),
        ];
        for (text, place, words) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.contains(place), "{place} in {err}");
            assert!(err.contains(words), "{words:?} in {err}");
            assert!(
                !err.contains("secret-token") || text.contains("bogus"),
                "{err}"
            );
        }
    }
}
