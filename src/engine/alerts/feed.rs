//! The monitor's side of the alert engine: every status answer and every
//! tick go in; raised alerts come out as an effect (delivery) and an event
//! (for the face to show); what changed is saved, and the silences are read
//! again now and then. Every face runs the monitor, so `watch` and the
//! dashboard get the same alerts.

use std::time::{Duration, Instant, SystemTime};

use crate::domain::Seen;
use crate::domain::alert_state::StateRow;
use crate::domain::matcher::{Silence, Subject};
use crate::engine::alerts::rules::{Check, Engine, Settings};
use crate::engine::effect::Effect;
use crate::engine::event::Event;
use crate::engine::monitor::{Monitor, Step};
use crate::engine::row::Row;

/// How often silences are read again from the store (other processes add them).
pub const SILENCE_READ_EVERY: Duration = Duration::from_secs(15);

/// What the monitor keeps for alerts.
#[derive(Debug, Clone, Default)]
pub struct MonitorAlerts {
    pub engine: Engine,
    /// A store holds alert state and silences: save to it, read from it.
    pub store: bool,
    next_silence_read: Option<Instant>,
}

/// What a face read from the store before starting the monitor.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub state: Vec<StateRow>,
    pub silences: Vec<Silence>,
}

impl MonitorAlerts {
    /// The engine set up from `[alerts]`, with what an earlier run
    /// announced and the silences in force (None: no store to keep them).
    pub fn new(settings: Settings, stored: Option<Stored>) -> MonitorAlerts {
        let mut engine = Engine::new(settings);
        let store = stored.is_some();
        if let Some(stored) = stored {
            engine.import(&stored.state);
            engine.set_silences(stored.silences);
        }
        MonitorAlerts {
            engine,
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

/// Feed one status answer to the engine.
pub fn observe(m: &mut Monitor, id: &str, seen: Seen, detail: &str, at: SystemTime) {
    let Some(&i) = m.index.get(id) else { return };
    let row = &m.rows[i];
    let account = m
        .accounts
        .get(row.account)
        .map(|a| a.name.as_str())
        .unwrap_or("");
    m.alerts.engine.observe(Check {
        id,
        label: &row.label,
        account,
        tags: &row.tags,
        seen,
        detail,
        at,
    });
}

/// The clock moved: hand out due events (delivered by the executors, shown
/// by the face), save what changed, and read the silences now and then.
pub fn on_tick(m: &mut Monitor, now: Instant, out: &mut Step) {
    let wall = m.wall_time(now);
    let silenced_before = m.alerts.engine.silences().len();
    for event in m.alerts.engine.tick(wall) {
        out.effects.push(Effect::Alert(event.clone()));
        out.events.push(Event::AlertRaised(event));
    }
    if m.alerts.store {
        let changed = m.alerts.engine.take_changed();
        if !changed.is_empty() {
            out.effects.push(Effect::SaveAlertState(changed));
        }
        if m.alerts.next_silence_read.is_none_or(|t| t <= now) {
            m.alerts.next_silence_read = Some(now + SILENCE_READ_EVERY);
            out.effects.push(Effect::LoadSilences);
        }
    }
    // A silence that just ended unmarks rows.
    if silenced_before > m.alerts.engine.silences().len() {
        out.events.push(Event::SilencesChanged);
    }
}

/// The silences read from the store.
pub fn on_silences(m: &mut Monitor, result: Result<Vec<Silence>, String>, out: &mut Step) {
    match result {
        Ok(silences) => {
            if silences != m.alerts.engine.silences() {
                m.alerts.engine.set_silences(silences);
                out.events.push(Event::SilencesChanged);
            }
        }
        Err(error) => out.events.push(Event::StoreUnreadable {
            subject: "silences".into(),
            error,
        }),
    }
}
