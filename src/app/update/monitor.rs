//! The dashboard's side of the monitor: messages go in through the one
//! step function; its effects join the dashboard's, and its events become
//! what a person sees (the order, flashes, the log pane, the bell, the
//! highlight of an alerted row).

use std::time::Duration;

use crate::app::log::{LogEntry, LogLevel};
use crate::app::order::SortKey;
use crate::app::state::{App, FlashKind};
use crate::engine::alerts::{AlertEvent, AlertKind};
use crate::engine::effect::Effect;
use crate::engine::event::Event;
use crate::engine::monitor::{self, Command, Step};
use crate::engine::msg::CoreMsg;

/// How long a row stays highlighted after a trouble alert.
pub const HIGHLIGHT: Duration = Duration::from_secs(60);
const FLASH: Duration = Duration::from_secs(5);
const ALERT_FLASH: Duration = Duration::from_secs(8);

/// One message through the monitor (None: only start what is due).
pub fn drive(app: &mut App, msg: Option<CoreMsg>, effects: &mut Vec<Effect>) {
    let mut step = Step::default();
    match msg {
        Some(msg) => monitor::step(&mut app.monitor, msg, &mut step),
        None => crate::engine::polls::dispatch(&mut app.monitor, &mut step),
    }
    effects.append(&mut step.effects);
    for event in step.events {
        on_event(app, event, effects);
    }
}

/// A face's request to the monitor (refresh, pause, a planned disconnect).
pub fn command(app: &mut App, command: Command, effects: &mut Vec<Effect>) {
    drive(app, Some(CoreMsg::Command(command)), effects);
    app.dirty = true;
}

fn on_event(app: &mut App, event: Event, effects: &mut Vec<Effect>) {
    let s = app.strings();
    match event {
        Event::Checked {
            previous,
            health,
            changed,
            ..
        } => {
            // Re-sort only for what the filter and the order read: most
            // answers change nothing there, and 10,000 rows answer often.
            let reorders = health != previous
                || match app.sort {
                    SortKey::Status | SortKey::Label => false,
                    SortKey::LastChange => changed,
                    SortKey::Latency => true,
                    SortKey::Uptime | SortKey::Drops => false,
                };
            if reorders {
                app.view_stale = true;
            }
            app.dirty = true;
        }
        Event::StatusChanged { .. } | Event::FirstRound { .. } => app.dirty = true,
        Event::AlertRaised(alert) => show_alert(app, &alert, effects),
        Event::AlertDelivered {
            event,
            label,
            channel,
            ok,
            detail,
            ..
        } => {
            let level = if ok { LogLevel::Ok } else { LogLevel::Error };
            log(app, &channel, format!("{event} ({label}): {detail}"), level);
            if !ok {
                app.flash(
                    format!("{} ({channel} {event}): {detail}", s.alert_not_delivered),
                    FlashKind::Error,
                    ALERT_FLASH,
                );
            }
        }
        Event::SilencesChanged => {
            app.view_stale = true;
            app.dirty = true;
        }
        Event::StoreUnreadable { subject, error } => log(
            app,
            &subject,
            format!("{}: {error}", s.alert_silences_unreadable),
            LogLevel::Warn,
        ),
        Event::StoreNotice(text) => app.flash(text, FlashKind::Error, FLASH * 3),
        Event::Paused(paused) => {
            let text = if paused {
                s.polling_paused
            } else {
                s.polling_resumed
            };
            app.flash(text, FlashKind::Info, FLASH);
        }
        Event::RefreshingAll(n) => {
            app.flash(format!("{} ({n})", s.refreshing), FlashKind::Info, FLASH)
        }
        Event::Reloaded(_) => app.reindex(),
        Event::CycleSlow | Event::CycleMet => app.dirty = true,
    }
}

fn show_alert(app: &mut App, event: &AlertEvent, effects: &mut Vec<Effect>) {
    let s = app.strings();
    let now = app.now();
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
        if trouble {
            app.highlight.insert(id.to_string(), now + HIGHLIGHT);
        } else {
            app.highlight.remove(id);
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
        _ => format!(
            "{words} ({}) {}",
            s.status_word(&event.status),
            event.detail
        ),
    };
    log(app, &who, outcome, level);
    if trouble && app.bell_enabled {
        effects.push(Effect::Bell);
    }
    let flash = if trouble {
        FlashKind::Error
    } else {
        FlashKind::Success
    };
    app.flash(text, flash, ALERT_FLASH);
    app.view_stale = true;
}

/// One line in the log pane: who (an instance, a channel), "alert", what.
fn log(app: &mut App, who: &str, outcome: String, level: LogLevel) {
    app.log.push(LogEntry {
        at: app.wall_time(app.now()),
        instance: who.to_string(),
        endpoint: "alert".into(),
        outcome,
        latency: None,
        level,
    });
    app.dirty = true;
}
