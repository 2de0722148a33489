//! `[[alerts.alertmanager]]`: alerts pushed to Alertmanager's API v2
//! (`POST /api/v2/alerts`), whose own routing, grouping, silences and
//! receivers take it from there.
//!
//! Alertmanager's client rules: an alert is re-sent while it fires (here
//! every `resend`, default 1 min) with `endsAt` a few periods ahead, so
//! that alerts from a client that died resolve by themselves; an alert is
//! resolved by sending it once more with `endsAt` now. An instance has at
//! most one firing alert: a new kind (error → down) resolves the old one.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::alertmanager_kept as kept;
use crate::alerts::deliver::{WEBHOOK_TIMEOUT, WEBHOOK_TRIES, rfc3339};
use crate::config::channels::AlertmanagerConfig;
use crate::engine::alerts::event::{AlertEvent, AlertKind};

/// `endsAt` of a firing alert is this many resend periods ahead (as
/// Prometheus does), so a missed re-send or two does not resolve it.
const VALID_FOR: u32 = 4;
const BACKOFF: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];

/// One alert as Alertmanager identifies it (by its labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Alert {
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
    pub(super) starts_at: SystemTime,
}

impl Alert {
    fn json(&self, ends_at: SystemTime) -> Value {
        json!({
            "labels": self.labels,
            "annotations": self.annotations,
            "startsAt": rfc3339(self.starts_at),
            "endsAt": rfc3339(ends_at),
        })
    }
}

pub(super) type Firing = Arc<Mutex<HashMap<String, Alert>>>;

pub struct Pusher {
    channel: AlertmanagerConfig,
    http: reqwest::Client,
    /// Instance id → its firing alert.
    firing: Firing,
    /// The history file that keeps `firing` across restarts, if any.
    store: Option<PathBuf>,
    /// One save at a time, each of the map as it is then: the last wins.
    saving: tokio::sync::Mutex<()>,
}

/// What fires, per Alertmanager URL, for the whole process: a config
/// reload builds new pushers, which must keep re-sending what the old ones
/// had sent (or it would resolve by itself a few periods later). True
/// when this process had none yet for `url` (then the store is read).
fn firing_for(url: &url::Url) -> (Firing, bool) {
    static ALL: OnceLock<Mutex<HashMap<String, Firing>>> = OnceLock::new();
    let mut all = ALL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let fresh = !all.contains_key(url.as_str());
    (
        all.entry(url.as_str().to_string()).or_default().clone(),
        fresh,
    )
}

impl Pusher {
    /// Starts the re-send loop, which ends when the pusher is dropped.
    /// Must be called inside a tokio runtime.
    /// With `store`, what fired before a restart fires on.
    pub fn start(
        channel: AlertmanagerConfig,
        http: reqwest::Client,
        store: Option<PathBuf>,
    ) -> Arc<Pusher> {
        let every = channel.resend;
        let (firing, fresh) = firing_for(&channel.url);
        if let (true, Some(path)) = (fresh, &store) {
            kept::restore(path, &channel.url, &firing);
        }
        let pusher = Arc::new(Pusher {
            firing,
            channel,
            http,
            store,
            saving: tokio::sync::Mutex::new(()),
        });
        let weak = Arc::downgrade(&pusher);
        tokio::spawn(resend_loop(weak, every));
        pusher
    }

    pub fn shown(&self) -> String {
        self.channel.shown()
    }

    /// Push what `event` changes; resolves and new alerts go in one post.
    pub async fn handle(
        &self,
        event: &AlertEvent,
        runbook: Option<&str>,
    ) -> Result<String, String> {
        let now = SystemTime::now();
        let ends = now + self.channel.resend * VALID_FOR;
        let mut batch = Vec::new();
        {
            let mut firing = self.firing.lock().unwrap_or_else(|e| e.into_inner());
            for (kind, alert) in alerts_of(event, runbook) {
                let id = alert.labels["id"].clone();
                let previous = firing.remove(&id);
                if kind == AlertKind::Up {
                    // Unknown after a restart: resolve what a down would have sent.
                    let old = previous.unwrap_or(alert);
                    batch.push(old.json(now));
                    continue;
                }
                if let Some(old) = previous
                    && old.labels["alertname"] != alert.labels["alertname"]
                {
                    batch.push(old.json(now));
                }
                batch.push(alert.json(ends));
                firing.insert(id, alert);
            }
        }
        if batch.is_empty() {
            return Ok("nothing to change".into());
        }
        self.remember().await;
        let n = batch.len();
        self.post(Value::Array(batch))
            .await
            .map(|status| format!("{status} ({n} alert(s))"))
    }

    /// Stop re-sending the alerts of instances no longer watched (removed
    /// from the config, or another shard's): Alertmanager lets them run
    /// out after their `endsAt`. Not a resolve: nobody saw them come back.
    pub async fn keep_only(&self, watched: &std::collections::HashSet<String>) {
        let dropped = {
            let mut firing = self.firing.lock().unwrap_or_else(|e| e.into_inner());
            let before = firing.len();
            firing.retain(|id, _| watched.contains(id));
            before - firing.len()
        };
        if dropped > 0 {
            tracing::info!(
                "alertmanager {}: {dropped} alert(s) of instances no longer watched are no longer re-sent",
                self.shown()
            );
            self.remember().await;
        }
    }

    /// Save what fires now, for the next start.
    async fn remember(&self) {
        let Some(path) = &self.store else { return };
        let _turn = self.saving.lock().await;
        let rows = kept::rows(&self.firing);
        let (path, url) = (path.clone(), self.channel.url.clone());
        let saved = tokio::task::spawn_blocking(move || kept::save(&path, &url, &rows)).await;
        if let Ok(Err(e)) = saved {
            tracing::warn!("alertmanager {}: firing alerts not kept: {e}", self.shown());
        }
    }

    /// Every firing alert again, with `endsAt` pushed ahead.
    async fn resend(&self) -> Result<(), String> {
        let ends = SystemTime::now() + self.channel.resend * VALID_FOR;
        let batch: Vec<Value> = {
            let firing = self.firing.lock().unwrap_or_else(|e| e.into_inner());
            firing.values().map(|a| a.json(ends)).collect()
        };
        if batch.is_empty() {
            return Ok(());
        }
        self.post(Value::Array(batch)).await.map(|_| ())
    }

    async fn post(&self, body: Value) -> Result<String, String> {
        let mut url = self.channel.url.clone();
        let base = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{base}/api/v2/alerts"));
        let shown = self.shown();
        let mut last = String::new();
        for attempt in 0..WEBHOOK_TRIES {
            if attempt > 0 {
                tokio::time::sleep(BACKOFF[(attempt as usize - 1).min(BACKOFF.len() - 1)]).await;
            }
            let sent = self
                .http
                .post(url.clone())
                .timeout(WEBHOOK_TIMEOUT)
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(resp) if resp.status().is_success() => {
                    return Ok(format!("{shown} answered {}", resp.status().as_u16()));
                }
                Ok(resp) => {
                    let status = resp.status();
                    let text = resp.text().await.unwrap_or_default();
                    let text = crate::alerts::deliver::one_line(text.trim());
                    last = format!("{shown} answered {status}: {text}");
                }
                Err(e) if e.is_timeout() => {
                    last = format!("{shown}: no answer within {} s", WEBHOOK_TIMEOUT.as_secs())
                }
                Err(e) => last = format!("{shown}: {}", e.without_url()),
            }
        }
        Err(crate::redact::redact(&format!("{last} ({WEBHOOK_TRIES} tries)")).into_owned())
    }
}

async fn resend_loop(pusher: Weak<Pusher>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    let mut failing = false;
    loop {
        tick.tick().await;
        let Some(p) = pusher.upgrade() else { return };
        match p.resend().await {
            Ok(()) if failing => {
                failing = false;
                tracing::info!("alertmanager {}: re-sending works again", p.shown());
            }
            Ok(()) => {}
            // Said once per spell, not every period.
            Err(e) if !failing => {
                failing = true;
                tracing::warn!("alertmanager: firing alerts not re-sent: {e}");
            }
            Err(_) => {}
        }
    }
}

fn alertname(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Error => "WadashCheckError",
        AlertKind::Flapping => "WadashInstanceFlapping",
        _ => "WadashInstanceDown",
    }
}

/// One alert per instance the event is about, with the kind that decides
/// whether it fires or resolves.
fn alerts_of(event: &AlertEvent, runbook: Option<&str>) -> Vec<(AlertKind, Alert)> {
    let one = |kind: AlertKind,
               id: &str,
               label: &str,
               account: &str,
               tags: &[String],
               detail: &str,
               summary: String| {
        let mut labels = BTreeMap::new();
        labels.insert("alertname".into(), alertname(kind).to_string());
        labels.insert("id".into(), id.to_string());
        labels.insert("label".into(), label.to_string());
        labels.insert("account".into(), account.to_string());
        // Commas around, as Prometheus does for lists: tags=~".*,lima,.*".
        labels.insert("tags".into(), format!(",{},", tags.join(",")));
        let mut annotations = BTreeMap::new();
        annotations.insert("summary".into(), summary);
        if !detail.is_empty() {
            annotations.insert("description".into(), detail.to_string());
        }
        if let Some(r) = runbook {
            annotations.insert("runbook".into(), r.to_string());
        }
        (
            kind,
            Alert {
                labels,
                annotations,
                starts_at: event.since,
            },
        )
    };
    if event.kind == AlertKind::Group {
        let kind = event.grouped.unwrap_or(AlertKind::Down);
        return event
            .members
            .iter()
            .map(|m| {
                let s = crate::i18n::strings();
                let summary = format!(
                    "{}: {} ({})",
                    super::words::kind(s, kind),
                    m.label,
                    s.status_word(&m.status)
                );
                one(kind, &m.id, &m.label, &m.account, &m.tags, "", summary)
            })
            .collect();
    }
    vec![one(
        event.kind,
        &event.id,
        &event.label,
        &event.account,
        &event.tags,
        &event.detail,
        super::words::summary(event),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: AlertKind) -> AlertEvent {
        AlertEvent {
            kind,
            id: "AB12".into(),
            label: "Tienda Lima".into(),
            account: "main".into(),
            tags: vec!["lima".into(), "ventas".into()],
            status: "inactive".into(),
            detail: "Instancia inactiva".into(),
            since: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            at: SystemTime::UNIX_EPOCH,
            down_for: None,
            grouped: None,
            members: Vec::new(),
            to: None,
        }
    }

    #[test]
    fn a_down_is_one_alert_with_its_labels_and_runbook() {
        let alerts = alerts_of(
            &event(AlertKind::Down),
            Some("relink: wadash qr AB12 --wait"),
        );
        assert_eq!(alerts.len(), 1);
        let (kind, a) = &alerts[0];
        assert_eq!(*kind, AlertKind::Down);
        let body = a.json(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_240));
        assert_eq!(body["labels"]["alertname"], "WadashInstanceDown");
        assert_eq!(body["labels"]["id"], "AB12");
        assert_eq!(body["labels"]["tags"], ",lima,ventas,");
        assert_eq!(
            body["annotations"]["runbook"],
            "relink: wadash qr AB12 --wait"
        );
        assert_eq!(body["startsAt"], "2023-11-14T22:13:20Z");
        assert_eq!(body["endsAt"], "2023-11-14T22:17:20Z");
        let reminder = alerts_of(&event(AlertKind::Reminder), None);
        assert_eq!(
            reminder[0].1.labels, a.labels,
            "a reminder is the same alert"
        );
    }
}
