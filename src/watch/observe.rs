//! What `watch` makes of each message before and after `update`: status
//! changes and alert deliveries become log lines and metrics; ticks bring
//! the achieved-cycle warning and the end of the first round.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::log::{Level, Logger, Value};
use crate::api::InstanceStatus;
use crate::app::Call;
use crate::app::cycle;
use crate::app::msg::{CallError, Msg, Reply};
use crate::app::row::{Health, Row};
use crate::app::state::App;
use crate::metrics::{InstanceIdentity, Metrics, status_name};
use crate::run_loop::RunLoop;

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
    first_round: Option<Instant>,
    started: Instant,
}

impl Watcher {
    pub fn new(log: Logger, metrics: Arc<Metrics>) -> Watcher {
        Watcher {
            log,
            metrics,
            slow: None,
            slow_logged: None,
            first_round: None,
            started: Instant::now(),
        }
    }

    /// Series for every instance of `app` (`up` only after its first answer).
    pub fn register_all(&self, app: &App) {
        for row in &app.rows {
            self.metrics.set_instance(identity(app, row));
        }
    }

    pub fn handle(&mut self, core: &mut RunLoop, msg: Msg) {
        match msg {
            Msg::Api(done) if done.call == Call::Status => {
                let id = done.instance.clone();
                let latency = done.latency;
                let result = result_name(&done.result);
                let wall = core.app.wall_time(done.at);
                let before = core.app.row(&id).map(|r| (r.health(), r.changed_at));
                core.apply(Msg::Api(done));
                // Removed by a reload while the check was in flight.
                let Some(row) = core.app.row(&id) else { return };
                let account = account_name(&core.app, row);
                let after = row.health();
                self.metrics
                    .observe_check(&id, &account, result, latency, after, wall);
                if let Some((before, since)) = before
                    && before != after
                    && before != Health::NotChecked
                {
                    let was_for = since.map(|t| core.app.now.saturating_duration_since(t));
                    self.status_line(row, &account, before, after, was_for);
                }
            }
            Msg::AlertDelivered {
                event,
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
                        ("channel", channel.as_str().into()),
                        ("detail", detail.as_str().into()),
                    ],
                );
                core.apply(Msg::AlertDelivered {
                    event,
                    channel,
                    ok,
                    detail,
                });
            }
            Msg::Tick(now) => {
                core.apply(Msg::Tick(now));
                self.on_tick(&core.app, now);
            }
            other => core.apply(other),
        }
    }

    fn status_line(
        &self,
        row: &Row,
        account: &str,
        before: Health,
        after: Health,
        was_for: Option<Duration>,
    ) {
        let level = match after {
            Health::Active => Level::Info,
            _ => Level::Warn,
        };
        let mut fields: Vec<(&str, Value)> = vec![
            ("id", row.id.as_str().into()),
            ("label", row.label.as_str().into()),
            ("account", account.into()),
            ("from", status_name(before).unwrap_or("unchecked").into()),
            ("to", status_name(after).unwrap_or("unchecked").into()),
        ];
        if let Some(d) = was_for {
            fields.push(("was_for_s", d.as_secs().into()));
        }
        let detail = match (&row.error, &row.status) {
            (Some(e), _) => Some(e.to_string()),
            (None, Some(InstanceStatus::Unknown(text))) => Some(text.clone()),
            _ => None,
        };
        if let Some(detail) = detail {
            fields.push(("detail", detail.into()));
        }
        self.log.log(level, "status", &fields);
    }

    fn on_tick(&mut self, app: &App, now: Instant) {
        if let Some(achieved) = app.cycle.achieved {
            self.metrics.set_cycle(achieved);
        }
        self.cycle_warning(app, now);
        if self.first_round.is_none() {
            let [active, inactive, error, unknown, unchecked] = app.counts();
            if unchecked == 0 {
                self.first_round = Some(now);
                self.log.log(
                    Level::Info,
                    "first_round",
                    &[
                        ("active", active.into()),
                        ("inactive", inactive.into()),
                        ("error", error.into()),
                        ("unknown", unknown.into()),
                        (
                            "took_s",
                            now.saturating_duration_since(self.started)
                                .as_secs_f64()
                                .into(),
                        ),
                    ],
                );
            }
        }
    }

    fn cycle_warning(&mut self, app: &App, now: Instant) {
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
    pub fn reload_line(&self, summary: &crate::app::reload::ReloadSummary) {
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

pub fn identity(app: &App, row: &Row) -> InstanceIdentity {
    InstanceIdentity {
        id: row.id.clone(),
        label: row.label.clone(),
        account: account_name(app, row),
        tags: row.tags.clone(),
    }
}

fn account_name(app: &App, row: &Row) -> String {
    app.accounts
        .get(row.account)
        .map(|a| a.name.clone())
        .unwrap_or_default()
}

fn result_name(result: &Result<Reply, CallError>) -> &'static str {
    match result {
        Ok(Reply::Status(reply)) => match reply.status {
            InstanceStatus::Active => "active",
            InstanceStatus::Inactive => "inactive",
            InstanceStatus::Unknown(_) => "unknown",
        },
        Ok(_) => "unknown",
        Err(_) => "error",
    }
}
