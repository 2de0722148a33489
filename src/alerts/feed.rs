//! The app's side of the engine: what `update` calls with each status
//! answer and each tick, and how events show in the dashboard (bell, row
//! highlight, log pane, status bar). Every face drives `update`, so `watch`
//! gets the same alerts with no code of its own.

use std::time::{Duration, Instant};

use super::engine::{Check, Engine, Settings};
use super::event::{AlertEvent, AlertKind, Seen};
use super::matcher::{Silence, Subject};
use crate::api::InstanceStatus;
use crate::app::effect::Effect;
use crate::app::log::{LogEntry, LogLevel};
use crate::app::msg::{CallError, Reply};
use crate::app::row::Row;
use crate::app::state::{App, FlashKind};

/// How long a row stays highlighted after a trouble alert.
pub const HIGHLIGHT: Duration = Duration::from_secs(60);
/// How often silences are read again from the store (other processes add them).
pub const SILENCE_READ_EVERY: Duration = Duration::from_secs(15);
const FLASH: Duration = Duration::from_secs(8);

/// What the app keeps for alerts.
#[derive(Debug, Clone, Default)]
pub struct AppAlerts {
    pub engine: Engine,
    /// A store holds alert state and silences: save to it, read from it.
    pub store: bool,
    next_silence_read: Option<Instant>,
}

impl AppAlerts {
    pub fn new(settings: Settings, store: bool) -> AppAlerts {
        AppAlerts {
            engine: Engine::new(settings),
            store,
            next_silence_read: None,
        }
    }

    /// The silence covering this row now, if any (the table marks it).
    pub fn silence_for(&self, row: &Row) -> Option<&Silence> {
        if self.engine.silences().is_empty() {
            return None;
        }
        self.engine.silence_for(&Subject {
            id: &row.id,
            label: &row.label,
            tags: &row.tags,
            health: row.health(),
        })
    }
}

/// Set the engine up from `[alerts]` and pick up, from the store, what an
/// earlier run announced and the silences in force. A store that cannot be
/// read leaves alerting on without them, and says so in the log pane.
pub fn start(
    app: &mut App,
    config: &crate::config::alerts::AlertsConfig,
    interval: Duration,
    store: Option<&std::path::Path>,
) {
    app.alerts = AppAlerts::new(config.settings(interval), store.is_some());
    app.alerts.engine.set_windows(config.maintenance.clone());
    app.alerts
        .engine
        .set_escalations(config.escalations.clone());
    let Some(path) = store else { return };
    let loaded = super::persist::open(path).and_then(|conn| {
        let state = super::persist::load_state(&conn).map_err(|e| e.to_string())?;
        let (silences, _broken) =
            super::persist::load_silences(&conn, std::time::SystemTime::now())
                .map_err(|e| e.to_string())?;
        let acks = super::acks::open_acks(&conn).map_err(|e| e.to_string())?;
        Ok((state, silences, acks))
    });
    match loaded {
        Ok((state, silences, acks)) => {
            app.alerts.engine.import(&state);
            app.alerts.engine.set_silences(silences);
            app.alerts.engine.set_acks(acks);
        }
        Err(e) => unreadable(app, "store", &e),
    }
}

/// What a status answer says for alerting; None for other replies.
pub fn seen_of(result: &Result<Reply, CallError>) -> Option<(Seen, String)> {
    match result {
        Ok(Reply::Status(reply)) => Some((
            match reply.status {
                InstanceStatus::Active => Seen::Active,
                InstanceStatus::Inactive => Seen::Inactive,
                InstanceStatus::Unknown(_) => Seen::Unknown,
            },
            reply.text.clone(),
        )),
        Ok(_) => None,
        Err(e) => Some((Seen::Error, e.to_string())),
    }
}

/// Feed one status answer to the engine.
pub fn observe(app: &mut App, id: &str, seen: Seen, detail: &str, at: Instant) {
    let wall = app.wall_time(at);
    let Some(&i) = app.index.get(id) else { return };
    let row = &app.rows[i];
    let account = app
        .accounts
        .get(row.account)
        .map(|a| a.name.as_str())
        .unwrap_or("");
    app.alerts.engine.observe(Check {
        id,
        label: &row.label,
        account,
        tags: &row.tags,
        seen,
        detail,
        at: wall,
    });
}

/// The store's alert state or silences could not be read: alerting goes
/// on without them, and the log pane says so.
fn unreadable(app: &mut App, subject: &str, error: &str) {
    let s = app.strings();
    log(
        app,
        subject,
        format!("{}: {error}", s.alert_silences_unreadable),
        LogLevel::Warn,
    );
}

/// The user disconnected `id` from wadash and the server agreed.
pub fn disconnected_on_purpose(app: &mut App, id: &str, at: std::time::SystemTime) {
    app.alerts.engine.expect_down(id, at);
}

/// The clock moved: hand out due events (shown here, delivered by the
/// worker), save what changed, and read the silences now and then.
pub fn on_tick(app: &mut App, now: Instant, effects: &mut Vec<Effect>) {
    let wall = app.wall_time(now);
    let silenced_before = app.alerts.engine.silences().len();
    for event in app.alerts.engine.tick(wall) {
        show(app, &event, now);
        effects.push(Effect::Alert(event));
    }
    if app.alerts.store {
        let changed = app.alerts.engine.take_changed();
        if !changed.is_empty() {
            effects.push(Effect::SaveAlertState(changed));
        }
        let planned = app.alerts.engine.take_planned();
        if !planned.is_empty() {
            effects.push(Effect::SavePlanned(planned));
        }
        if app.alerts.next_silence_read.is_none_or(|t| t <= now) {
            app.alerts.next_silence_read = Some(now + SILENCE_READ_EVERY);
            effects.push(Effect::LoadSilences);
        }
    }
    // A silence that just ended unmarks rows.
    if silenced_before > 0 {
        app.dirty = true;
    }
}

/// The silences read from the store.
pub fn on_silences(app: &mut App, result: Result<Vec<Silence>, String>) {
    match result {
        Ok(silences) => {
            if silences != app.alerts.engine.silences() {
                app.alerts.engine.set_silences(silences);
                app.view_stale = true;
                app.dirty = true;
            }
        }
        Err(e) => unreadable(app, "silences", &e),
    }
}

/// The acknowledgements in force, read from the store with the silences.
pub fn on_acks(app: &mut App, acks: Vec<super::Ack>) {
    app.alerts.engine.set_acks(acks);
    app.view_stale = true;
    app.dirty = true;
}

/// A delivery finished: the log pane says how; a failure flashes.
pub fn on_delivered(app: &mut App, event: &str, channel: &str, ok: bool, detail: &str) {
    let level = if ok { LogLevel::Ok } else { LogLevel::Error };
    log(app, channel, format!("{event}: {detail}"), level);
    if !ok {
        let s = app.strings();
        app.flash(
            format!("{} ({channel} {event}): {detail}", s.alert_not_delivered),
            FlashKind::Error,
            FLASH,
        );
    }
}

fn show(app: &mut App, event: &AlertEvent, now: Instant) {
    let s = app.strings();
    let kind = event.grouped.unwrap_or(event.kind);
    let words = match kind {
        AlertKind::Down => s.alert_down,
        AlertKind::Up => s.alert_up,
        AlertKind::Error => s.alert_error,
        AlertKind::Flapping => s.alert_flapping,
        AlertKind::Reminder | AlertKind::Group => s.alert_reminder,
        AlertKind::Escalate => s.alert_escalated,
    };
    let trouble = kind.is_trouble();
    for id in event.ids() {
        if let Some(row) = app.row_mut(id) {
            row.alert_until = trouble.then_some(now + HIGHLIGHT);
        }
    }
    let who = match event.kind {
        AlertKind::Group => format!("{} {}", event.members.len(), s.alert_instances),
        _ => event.label.clone(),
    };
    let text = match event.down_for {
        Some(d) => format!(
            "{who} {words} ({})",
            humantime::format_duration(Duration::from_secs(d.as_secs()))
        ),
        None => format!("{who} {words}"),
    };
    let level = if trouble {
        LogLevel::Warn
    } else {
        LogLevel::Ok
    };
    let outcome = match event.kind {
        AlertKind::Group => format!("{words}: {}", event.detail),
        AlertKind::Up => text.strip_prefix(&who).unwrap_or(&text).trim().to_string(),
        _ => format!("{words} ({}) {}", event.status, event.detail),
    };
    log(app, &who, outcome, level);
    if trouble && app.bell_enabled {
        app.ring_bell = true;
    }
    let flash = if trouble {
        FlashKind::Error
    } else {
        FlashKind::Success
    };
    app.flash(text, flash, FLASH);
    app.view_stale = true;
}

/// One line in the log pane: who (an instance, a channel), "alert", what.
fn log(app: &mut App, who: &str, outcome: String, level: LogLevel) {
    app.log.push(LogEntry {
        at: app.wall_time(app.now),
        instance: who.to_string(),
        endpoint: "alert".into(),
        outcome,
        latency: None,
        level,
    });
    app.dirty = true;
}
