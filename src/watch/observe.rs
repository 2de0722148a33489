//! What `watch` makes of the monitor's events: status changes and alert
//! deliveries become log lines and metrics; the cycle and the first round
//! become log lines too. It reads events, never diffs the monitor.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::log::{Level, Logger, Value};
use crate::domain::Health;
use crate::engine::cycle;
use crate::engine::event::Event;
use crate::engine::monitor::Monitor;
use crate::engine::row::Row;
use crate::metrics::{InstanceIdentity, Metrics, status_name};

/// While the interval stays out of reach, the warning is repeated this often.
const SLOW_REMINDER: Duration = Duration::from_secs(600);
/// At most this many ids are named in one reload line.
const NAMED_IDS: usize = 20;

pub struct Watcher {
    pub log: Logger,
    pub metrics: Arc<Metrics>,
    /// Since when the achieved cycle is too slow, and when that was last said.
    slow: Option<Instant>,
    slow_logged: Option<Instant>,
    started: Instant,
}

impl Watcher {
    pub fn new(log: Logger, metrics: Arc<Metrics>) -> Watcher {
        Watcher {
            log,
            metrics,
            slow: None,
            slow_logged: None,
            started: Instant::now(),
        }
    }

    /// Series for every instance of the monitor (`up` only after its first answer).
    pub fn register_all(&self, monitor: &Monitor) {
        for row in &monitor.rows {
            self.metrics.set_instance(identity(monitor, row));
        }
    }

    /// One event of the monitor, after its step.
    pub fn on_event(&mut self, monitor: &Monitor, event: Event) {
        match event {
            Event::Checked {
                id,
                seen,
                latency,
                health,
                at,
                ..
            } => {
                let account = monitor
                    .row(&id)
                    .map(|row| monitor.account_name(row).to_string())
                    .unwrap_or_default();
                self.metrics
                    .observe_check(&id, &account, seen.name(), latency, health, at);
            }
            Event::StatusChanged {
                id,
                label,
                account,
                from,
                to,
                was_for,
                detail,
            } => self.status_line(&id, &label, &account, from, to, was_for, detail),
            Event::AlertDelivered {
                event,
                id,
                label,
                channel,
                ok,
                detail,
            } => {
                self.metrics.alert(&event, &channel, ok);
                let (level, name) = if ok {
                    (Level::Info, "alert_sent")
                } else {
                    (Level::Error, "alert_failed")
                };
                self.log.log(
                    level,
                    name,
                    &[
                        ("alert", event.as_str().into()),
                        ("id", id.as_str().into()),
                        ("label", label.as_str().into()),
                        ("channel", channel.as_str().into()),
                        ("detail", detail.as_str().into()),
                    ],
                );
            }
            Event::FirstRound { counts } => {
                let [active, inactive, error, unknown] = counts;
                self.log.log(
                    Level::Info,
                    "first_round",
                    &[
                        ("active", active.into()),
                        ("inactive", inactive.into()),
                        ("error", error.into()),
                        ("unknown", unknown.into()),
                        ("took_s", self.started.elapsed().as_secs_f64().into()),
                    ],
                );
            }
            Event::CycleSlow => {
                self.slow = Some(monitor.now);
                self.slow_logged = None;
                self.cycle_warning(monitor, monitor.now);
            }
            Event::CycleMet => self.cycle_warning(monitor, monitor.now),
            Event::StoreNotice(text) => self.log.log(
                Level::Warn,
                "history_notice",
                &[("detail", text.as_str().into())],
            ),
            Event::StoreUnreadable { subject, error } => self.log.log(
                Level::Warn,
                "alert_store_unreadable",
                &[
                    ("what", subject.as_str().into()),
                    ("error", error.as_str().into()),
                    ("detail", "alerting goes on without it".into()),
                ],
            ),
            Event::Reloaded(summary) => {
                for id in &summary.removed {
                    self.metrics.remove_instance(id);
                }
                // New and changed instances get (new) series; unchanged ones keep theirs.
                self.register_all(monitor);
                self.reload_line(&summary);
            }
            Event::AlertRaised(_)
            | Event::SilencesChanged
            | Event::Paused(_)
            | Event::RefreshingAll(_) => {}
        }
    }

    /// Once per tick: the cycle gauge, and the slow-cycle reminder.
    pub fn on_tick(&mut self, monitor: &Monitor) {
        if let Some(achieved) = monitor.cycle.achieved {
            self.metrics.set_cycle(achieved);
        }
        if self.slow.is_some() {
            self.cycle_warning(monitor, monitor.now);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn status_line(
        &self,
        id: &str,
        label: &str,
        account: &str,
        before: Health,
        after: Health,
        was_for: Option<Duration>,
        detail: Option<String>,
    ) {
        let level = match after {
            Health::Active => Level::Info,
            _ => Level::Warn,
        };
        let mut fields: Vec<(&str, Value)> = vec![
            ("id", id.into()),
            ("label", label.into()),
            ("account", account.into()),
            ("from", status_name(before).unwrap_or("unchecked").into()),
            ("to", status_name(after).unwrap_or("unchecked").into()),
        ];
        if let Some(d) = was_for {
            fields.push(("was_for_s", d.as_secs().into()));
        }
        if let Some(detail) = detail {
            fields.push(("detail", detail.into()));
        }
        self.log.log(level, "status", &fields);
    }

    fn cycle_warning(&mut self, app: &Monitor, now: Instant) {
        let interval = app.polling.interval;
        let slow = app.cycle.is_slow(interval);
        match (slow, self.slow) {
            (true, _) => {
                self.slow.get_or_insert(now);
                let due = self
                    .slow_logged
                    .is_none_or(|t| now.saturating_duration_since(t) >= SLOW_REMINDER);
                if !due {
                    return;
                }
                self.slow_logged = Some(now);
                let achieved = app.cycle.achieved.unwrap_or_default();
                let latency = app.cycle.latency.unwrap_or_default();
                let c = app.polling.max_in_flight;
                let floor = cycle::floor(app.rows.len(), latency, c);
                self.log.log(
                    Level::Warn,
                    "cycle_slow",
                    &[
                        ("achieved_s", achieved.as_secs_f64().into()),
                        ("interval_s", interval.as_secs_f64().into()),
                        ("floor_s", floor.as_secs_f64().into()),
                        ("instances", app.rows.len().into()),
                        ("concurrency", c.into()),
                        ("latency_ms", (latency.as_secs_f64() * 1000.0).into()),
                        (
                            "detail",
                            "the interval cannot be met (a cycle takes at least instances × latency ÷ concurrency): \
                             raise --concurrency or --interval, or split the fleet with --shard"
                                .into(),
                        ),
                    ],
                );
            }
            (false, Some(_)) => {
                self.slow = None;
                self.slow_logged = None;
                let achieved = app.cycle.achieved.unwrap_or_default();
                self.log.log(
                    Level::Info,
                    "cycle_ok",
                    &[
                        ("achieved_s", achieved.as_secs_f64().into()),
                        ("interval_s", interval.as_secs_f64().into()),
                    ],
                );
            }
            (false, None) => {}
        }
    }

    /// One line for a reload that took.
    fn reload_line(&self, summary: &crate::engine::reload::ReloadSummary) {
        let mut fields: Vec<(&str, Value)> = vec![
            ("added", summary.added.len().into()),
            ("removed", summary.removed.len().into()),
            ("changed", summary.changed.len().into()),
            ("kept", summary.kept.into()),
        ];
        for (name, ids) in [
            ("added_ids", &summary.added),
            ("removed_ids", &summary.removed),
            ("changed_ids", &summary.changed),
        ] {
            if !ids.is_empty() {
                let mut text = ids
                    .iter()
                    .take(NAMED_IDS)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(",");
                if ids.len() > NAMED_IDS {
                    text.push_str(&format!(",…(+{})", ids.len() - NAMED_IDS));
                }
                fields.push((name, text.into()));
            }
        }
        if let Some((a, b)) = summary.interval {
            fields.push((
                "interval",
                format!(
                    "{}→{}",
                    humantime::format_duration(a),
                    humantime::format_duration(b)
                )
                .into(),
            ));
        }
        if let Some((a, b)) = summary.concurrency {
            fields.push(("concurrency", format!("{a}→{b}").into()));
        }
        self.log.log(Level::Info, "reload", &fields);
    }
}

pub fn identity(monitor: &Monitor, row: &Row) -> InstanceIdentity {
    InstanceIdentity {
        id: row.id.clone(),
        label: row.label.clone(),
        account: monitor.account_name(row).to_string(),
        tags: row.tags.clone(),
    }
}
