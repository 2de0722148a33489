//! Delivery of alert events, run by the worker: hooks (a program run
//! directly, no shell), webhooks (JSON, Slack, Discord or ntfy bodies),
//! Apprise, Alertmanager and email (see `channel`), and a desktop
//! notification from the dashboard. Each delivery is its own task, a few at
//! a time and a bounded number waiting, so a hung hook or receiver never
//! delays polling; every outcome comes back as `CoreMsg::AlertDelivered`.
//!
//! Nothing here can leak a key: events hold none, the hook's environment
//! loses `WADASH_API_KEY`, and webhook URLs (which carry tokens) are shown
//! as scheme://host/… only.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::channel::alertmanager::Pusher;
use super::channel::{apprise, email, format, scope, secrets};
use super::links::ShareLinks;
use super::route::takes;
use crate::child;
use crate::config::alerts::{AlertsConfig, HookConfig, WebhookConfig};
use crate::config::channels::{AlertmanagerConfig, AppriseConfig, ChannelMeta, EmailConfig};
use crate::domain::Health;
use crate::domain::matcher::{Matcher, Subject};
use crate::engine::alerts::event::{AlertEvent, AlertKind};
use crate::engine::msg::CoreMsg;
use crate::worker::MsgSender;
use hook::run_hook;
pub use hook::{expand, hook_env};

/// A hook still running after this is killed (its whole process group).
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// One webhook attempt gives up after this…
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// …and it is tried this many times, waiting longer between tries.
pub const WEBHOOK_TRIES: u32 = 3;
const BACKOFF: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];
/// Deliveries running at once, and waiting beyond those: past that an
/// event is reported undelivered rather than piling up behind a hung
/// receiver.
const AT_ONCE: usize = 16;
const MAX_WAITING: usize = 1000;

/// Where alerts go.
#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub hooks: Vec<HookConfig>,
    pub webhooks: Vec<WebhookConfig>,
    /// Desktop notifications (the dashboard), when a session bus exists.
    pub desktop: bool,
    /// Channel names `[[alerts.escalate]]` steps send to (see `route`).
    pub escalation_only: Vec<String>,
    /// `[alerts] runbook`: what to do, for channels without their own.
    pub runbook: String,
    pub apprise: Vec<AppriseConfig>,
    pub alertmanager: Vec<AlertmanagerConfig>,
    pub email: Vec<EmailConfig>,
}

impl Channels {
    /// Where an unattended face (`watch`) delivers: every configured channel.
    pub fn unattended(config: &AlertsConfig) -> Channels {
        Channels {
            hooks: config.hooks.clone(),
            webhooks: config.webhooks.clone(),
            desktop: false,
            escalation_only: crate::config::alerts_holds::escalation_only(&config.escalations),
            runbook: config.runbook.clone(),
            apprise: config.apprise.clone(),
            alertmanager: config.alertmanager.clone(),
            email: config.email.clone(),
        }
    }

    /// Where the dashboard delivers: the desktop, and the other channels
    /// unless `dashboard_hooks = false` leaves them to a watcher.
    pub fn dashboard(config: &AlertsConfig) -> Channels {
        let mut channels = Channels::unattended(config);
        if !config.dashboard_hooks {
            channels.hooks.clear();
            channels.webhooks.clear();
            channels.apprise.clear();
            channels.alertmanager.clear();
            channels.email.clear();
        }
        channels.desktop = config.desktop;
        channels
    }
}

#[derive(Clone)]
pub struct Delivery {
    channels: Arc<Channels>,
    http: reqwest::Client,
    /// One per `[[alerts.alertmanager]]`, in order; they keep what fires.
    pushers: Arc<Vec<Arc<Pusher>>>,
    slots: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    tx: MsgSender,
}

impl Delivery {
    pub fn new(channels: Channels, tx: MsgSender) -> Delivery {
        Delivery::with_store(channels, None, tx)
    }

    /// With the history file `store`, Alertmanager channels keep what
    /// fires across a restart.
    pub fn with_store(mut channels: Channels, store: Option<PathBuf>, tx: MsgSender) -> Delivery {
        // No session bus (SSH, a container) or no notify-send: off, quietly.
        channels.desktop = channels.desktop && session_bus() && on_path("notify-send");
        // reqwest is built without a default TLS provider (see api::client).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(WEBHOOK_TIMEOUT)
            // A receiver that redirects is misconfigured; say so instead of
            // posting the alert somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("wadash/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a client with only timeouts always builds");
        secrets::register(&channels);
        let pushers = channels
            .alertmanager
            .iter()
            .map(|a| Pusher::start(a.clone(), http.clone(), store.clone()))
            .collect();
        Delivery {
            channels: Arc::new(channels),
            http,
            pushers: Arc::new(pushers),
            slots: Arc::new(Semaphore::new(AT_ONCE)),
            waiting: Arc::new(AtomicUsize::new(0)),
            tx,
        }
    }

    /// Only these instances are watched now: Alertmanager channels stop
    /// re-sending the others' alerts. Returns at once.
    pub fn keep_only(&self, watched: std::collections::HashSet<String>) {
        let pushers = self.pushers.clone();
        tokio::spawn(async move {
            for pusher in pushers.iter() {
                pusher.keep_only(&watched).await;
            }
        });
    }

    /// Start delivering one event to every channel it is meant for.
    /// Returns at once.
    pub fn deliver(&self, event: AlertEvent) {
        self.deliver_linked(event, &ShareLinks::default());
    }

    /// [`Delivery::deliver`] with the relink links `watch` opened for it.
    pub fn deliver_linked(&self, event: AlertEvent, links: &ShareLinks) {
        let event = Arc::new(event);
        let c = &self.channels;
        for hook in &c.hooks {
            let Some((event, runbook)) = self.scoped(&event, hook.only.as_ref(), &hook.meta, links)
            else {
                continue;
            };
            let hook = hook.clone();
            let link = links.single(&event);
            self.spawn(&event, "hook", move |event| async move {
                run_hook(&hook, &event, runbook.as_deref(), link.as_deref()).await
            });
        }
        for hook in &c.webhooks {
            let Some((event, runbook)) = self.scoped(&event, hook.only.as_ref(), &hook.meta, links)
            else {
                continue;
            };
            let hook = hook.clone();
            let http = self.http.clone();
            let link = links.all(&event);
            self.spawn(&event, "webhook", move |event| async move {
                post_webhook(&http, &hook, &event, runbook.as_deref(), &link).await
            });
        }
        for channel in &c.apprise {
            let Some((event, runbook)) =
                self.scoped(&event, channel.only.as_ref(), &channel.meta, links)
            else {
                continue;
            };
            let channel = channel.clone();
            self.spawn(&event, "apprise", move |event| async move {
                apprise::send(&channel, &event, runbook.as_deref()).await
            });
        }
        for (channel, pusher) in c.alertmanager.iter().zip(self.pushers.iter()) {
            let Some((event, runbook)) =
                self.scoped(&event, channel.only.as_ref(), &channel.meta, links)
            else {
                continue;
            };
            let pusher = pusher.clone();
            self.spawn(&event, "alertmanager", move |event| async move {
                pusher.handle(&event, runbook.as_deref()).await
            });
        }
        for channel in &c.email {
            let Some((event, runbook)) =
                self.scoped(&event, channel.only.as_ref(), &channel.meta, links)
            else {
                continue;
            };
            let channel = channel.clone();
            self.spawn(&event, "email", move |event| async move {
                email::send(&channel, &event, runbook.as_deref()).await
            });
        }
        if c.desktop && takes(None, &event, &c.escalation_only) {
            self.spawn(&event, "desktop", |event| async move {
                notify_desktop(&event).await
            });
        }
    }

    /// The part of `event` a channel takes (see `scope::narrow`) and its
    /// runbook line; None when the channel's matcher leaves it out.
    fn scoped(
        &self,
        event: &Arc<AlertEvent>,
        only: Option<&Matcher>,
        meta: &ChannelMeta,
        links: &ShareLinks,
    ) -> Option<(Arc<AlertEvent>, Option<String>)> {
        // Escalations to their channel only; that channel takes nothing else.
        if !takes(meta.name.as_deref(), event, &self.channels.escalation_only) {
            return None;
        }
        if !wanted(only, event) {
            return None;
        }
        let narrowed = match only {
            None => event.clone(),
            Some(_) => Arc::new(scope::narrow(event, only)?),
        };
        let runbook = scope::runbook(&self.channels.runbook, meta, &narrowed);
        let runbook = links.with_runbook(runbook, &narrowed);
        Some((narrowed, runbook))
    }

    fn spawn<F, Fut>(&self, event: &Arc<AlertEvent>, channel: &'static str, job: F)
    where
        F: FnOnce(Arc<AlertEvent>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<String, String>> + Send,
    {
        let name = event.kind.name().to_string();
        let who = Who::of(event);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            report(
                &self.tx,
                &name,
                &who,
                channel,
                Err("too many alerts waiting to be delivered; dropped".into()),
            );
            return;
        }
        let event = event.clone();
        let slots = self.slots.clone();
        let waiting = self.waiting.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let permit = slots.acquire_owned().await;
            waiting.fetch_sub(1, Ordering::SeqCst);
            let Ok(_permit) = permit else { return };
            let outcome = job(event).await;
            report(&tx, &name, &who, channel, outcome);
        });
    }
}

/// Whom an alert was about, for the delivery report: the instance, or a
/// group's size.
struct Who {
    id: String,
    label: String,
}

impl Who {
    fn of(event: &AlertEvent) -> Who {
        match event.kind {
            AlertKind::Group => Who {
                id: String::new(),
                label: format!("{} instances", event.members.len()),
            },
            _ => Who {
                id: event.id.clone(),
                label: event.label.clone(),
            },
        }
    }
}

fn report(tx: &MsgSender, event: &str, who: &Who, channel: &str, outcome: Result<String, String>) {
    let (ok, detail) = match outcome {
        Ok(d) => (true, d),
        Err(d) => (false, d),
    };
    if ok {
        tracing::info!(event, channel, "alert delivered: {detail}");
    } else {
        tracing::warn!(event, channel, "alert not delivered: {detail}");
    }
    let _ = tx.send(CoreMsg::AlertDelivered {
        event: event.to_string(),
        id: who.id.clone(),
        label: who.label.clone(),
        channel: channel.to_string(),
        ok,
        detail,
    });
}

/// Whether a channel's `only` takes this event (a group: any member).
fn wanted(only: Option<&Matcher>, event: &AlertEvent) -> bool {
    let Some(only) = only else { return true };
    let health = |status: &str| match status {
        "active" => Health::Active,
        "inactive" => Health::Inactive,
        "error" => Health::Error,
        _ => Health::Unknown,
    };
    if event.kind == AlertKind::Group {
        return event.members.iter().any(|m| {
            only.matches(&Subject {
                id: &m.id,
                label: &m.label,
                tags: &m.tags,
                health: health(&m.status),
            })
        });
    }
    only.matches(&Subject {
        id: &event.id,
        label: &event.label,
        tags: &event.tags,
        health: health(&event.status),
    })
}

/// RFC 3339, UTC, to the second.
pub fn rfc3339(t: std::time::SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The `json` webhook body, documented in the README.
pub fn json_body(event: &AlertEvent) -> Value {
    let mut body = json!({
        "event": event.kind.name(),
        "id": event.id,
        "label": event.label,
        "account": event.account,
        "tags": event.tags,
        "status": event.status,
        "detail": event.detail,
        "since": rfc3339(event.since),
        "down_s": event.down_for.map(|d| d.as_secs()),
    });
    if event.kind == AlertKind::Group {
        body["count"] = json!(event.members.len());
        body["ids"] = json!(event.ids());
    }
    body
}

/// The `slack` body: one line of text (Slack, Mattermost, Rocket.Chat and
/// Discord's /slack endpoint take it).
pub fn slack_body(event: &AlertEvent) -> Value {
    let mark = match event.grouped.unwrap_or(event.kind) {
        AlertKind::Up => "✅",
        AlertKind::Flapping => "⚠️",
        _ => "🔴",
    };
    let t = &crate::i18n::strings().mail;
    let mut text = format!("{mark} wadash {}", super::channel::words::summary(event));
    if event.kind != AlertKind::Group && !event.id.is_empty() {
        text.push_str(&format!(" [{}]", event.id));
    }
    if !event.account.is_empty() {
        text.push_str(&format!(" {} {}", t.body_account, event.account));
    }
    text.push_str(&format!(" {} {}", t.body_since, rfc3339(event.since)));
    if !event.detail.is_empty() && event.kind != AlertKind::Group {
        text.push_str(&format!(": {}", event.detail));
    }
    json!({ "text": text })
}

async fn post_webhook(
    http: &reqwest::Client,
    hook: &WebhookConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
    links: &[(String, String)],
) -> Result<String, String> {
    let (url, mut body) = format::request(hook, event, runbook);
    if hook.format == crate::config::alerts::WebhookFormat::Json {
        // `share_url` for one instance, `share_urls` (id → link) for a group.
        let single = (event.kind != AlertKind::Group)
            .then(|| links.first().map(|(_, url)| url.clone()))
            .flatten();
        body["share_url"] = json!(single);
        if event.kind == AlertKind::Group {
            body["share_urls"] = links
                .iter()
                .map(|(id, url)| (id.clone(), json!(url)))
                .collect::<serde_json::Map<_, _>>()
                .into();
        }
    }
    let shown = hook.shown();
    let mut last = String::new();
    for attempt in 0..WEBHOOK_TRIES {
        if attempt > 0 {
            tokio::time::sleep(BACKOFF[(attempt as usize - 1).min(BACKOFF.len() - 1)]).await;
        }
        let sent = http
            .post(url.clone())
            .timeout(WEBHOOK_TIMEOUT)
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(resp) if resp.status().is_success() => {
                return Ok(format!("{shown} answered {}", resp.status().as_u16()));
            }
            Ok(resp) => last = format!("{shown} answered {}", resp.status()),
            // `without_url`: the URL carries the receiver's token.
            Err(e) if e.is_timeout() => {
                last = format!("{shown}: no answer within {} s", WEBHOOK_TIMEOUT.as_secs())
            }
            Err(e) => last = format!("{shown}: {}", e.without_url()),
        }
    }
    Err(format!("{last} ({WEBHOOK_TRIES} tries)"))
}

/// A session bus to talk to (an SSH session or a container has none).
fn session_bus() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// Through `notify-send` (libnotify): no D-Bus crate to build, and when the
/// program is missing the channel is simply off.
async fn notify_desktop(event: &AlertEvent) -> Result<String, String> {
    let title = format!(
        "wadash: {}",
        super::channel::words::kind(crate::i18n::strings(), event.kind)
    );
    let body = one_line(&super::channel::words::summary(event));
    let mut cmd = tokio::process::Command::new("notify-send");
    cmd.args(["--app-name=wadash", &title, &body])
        .env_remove(crate::config::API_KEY_ENV)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    for name in crate::redact::env_vars_holding_keys() {
        cmd.env_remove(name);
    }
    let mut child = cmd.spawn().map_err(|e| format!("notify-send: {e}"))?;
    let pid = child.id();
    let waited = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
    if let Some(pid) = pid {
        child::kill_group(pid);
    }
    match waited {
        Ok(Ok(status)) if status.success() => Ok("shown".into()),
        Ok(Ok(status)) => Err(format!("notify-send failed ({status})")),
        Ok(Err(e)) => Err(format!("notify-send: {e}")),
        Err(_) => Err("notify-send hung: killed".into()),
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Server text as one short line: no control characters, at most 300 characters.
pub(super) fn one_line(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    if text.chars().count() > 300 {
        out.push('…');
    }
    out
}

mod hook;

#[cfg(test)]
mod tests;
