//! The monitor: the fleet (rows, schedule, due queue, in-flight cap, slow
//! lane, achieved cycle) and the alert engine, driven by one step function.
//! Every face that watches instances holds one: the dashboard inside its
//! `App`, `wadash watch` alone.
//!
//! `step(&mut Monitor, CoreMsg) -> Step`: effects are work for the
//! executors (call the API, record history, deliver an alert), events are
//! news for the face (a status changed, an alert was raised or delivered,
//! the cycle is slow, a reload happened). Faces never diff the monitor's
//! state to learn what happened.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime};

use crate::domain::Health;
use crate::engine::alerts::feed::{self, MonitorAlerts};
use crate::engine::cycle::CycleMeter;
use crate::engine::effect::Effect;
use crate::engine::event::Event;
use crate::engine::fair::Lanes;
use crate::engine::msg::CoreMsg;
use crate::engine::row::Row;
use crate::engine::{polls, reload, schedule};

/// What a face shows about an account (never the key itself).
#[derive(Debug, Clone)]
pub struct AccountView {
    pub name: String,
    pub base_url: String,
    pub key_masked: String,
}

/// One instance to watch, as configured.
#[derive(Debug, Clone)]
pub struct InstanceSeed {
    pub id: String,
    pub label: String,
    pub account: usize,
    pub tags: Vec<String>,
}

impl InstanceSeed {
    /// An instance of the first account.
    pub fn new(id: impl Into<String>, label: impl Into<String>, tags: &[&str]) -> InstanceSeed {
        InstanceSeed {
            id: id.into(),
            label: label.into(),
            account: 0,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Polling {
    pub interval: Duration,
    pub paused: bool,
    pub max_in_flight: usize,
    /// Status polls in flight (scheduled and manual).
    pub in_flight: usize,
}

/// What a face asks of the monitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Check every instance now (still under the cap).
    RefreshAll,
    /// Check one instance now, outside the schedule and the cap.
    Refresh(String),
    /// Pause or resume polling; None toggles.
    Pause(Option<bool>),
    /// The user disconnected this instance and the server agreed: the
    /// drop is planned, and alerts nobody.
    DisconnectedOnPurpose { id: String, at: SystemTime },
}

/// What one step asks for and reports.
#[derive(Debug, Default)]
pub struct Step {
    pub effects: Vec<Effect>,
    pub events: Vec<Event>,
}

pub struct Monitor {
    pub rows: Vec<Row>,
    pub index: HashMap<String, usize>,
    pub accounts: Vec<AccountView>,
    pub polling: Polling,
    /// Rows due for a poll, earliest first, rebuilt on each tick.
    pub due: VecDeque<usize>,
    /// The slow lane for polls of rows whose last check timed out.
    pub lanes: Lanes,
    /// How long a round of checks really takes (see `cycle`).
    pub cycle: CycleMeter,
    /// Whether the last tick found the cycle too slow (for its events).
    cycle_slow: bool,
    /// The alert engine and its silences.
    pub alerts: MonitorAlerts,
    pub now: Instant,
    /// A monotonic instant and the time of day read with it: every tick
    /// that carries the time of day moves it, so steps of the wall clock
    /// (NTP, suspend) are followed at once.
    clock: (Instant, SystemTime),
    /// When the monitor started (the origin of "seconds since start").
    started: Instant,
    /// Rows not answered yet, and whether the end of the first round was told.
    pub(crate) unchecked: usize,
    pub(crate) first_round_told: bool,
}

impl Monitor {
    pub fn new(
        accounts: Vec<AccountView>,
        instances: Vec<InstanceSeed>,
        interval: Duration,
        concurrency: usize,
        now: Instant,
        wall: SystemTime,
    ) -> Monitor {
        let rows = instances
            .into_iter()
            .map(|seed| new_row(seed, now))
            .collect();
        let mut monitor = Monitor {
            rows,
            index: HashMap::new(),
            accounts,
            polling: Polling {
                interval,
                paused: false,
                max_in_flight: concurrency.max(1),
                in_flight: 0,
            },
            due: VecDeque::new(),
            lanes: Lanes::default(),
            cycle: CycleMeter::default(),
            cycle_slow: false,
            alerts: MonitorAlerts::default(),
            now,
            clock: (now, wall),
            started: now,
            unchecked: 0,
            first_round_told: false,
        };
        monitor.reindex();
        monitor
    }

    /// The wall-clock time of an instant, for logs, history and alerts.
    pub fn wall_time(&self, at: Instant) -> SystemTime {
        let (base, wall) = self.clock;
        match at.checked_duration_since(base) {
            Some(d) => wall + d,
            None => wall
                .checked_sub(base.duration_since(at))
                .unwrap_or(SystemTime::UNIX_EPOCH),
        }
    }

    /// When the monitor started.
    pub fn started(&self) -> Instant {
        self.started
    }

    pub fn reindex(&mut self) {
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        self.due.clear();
        self.lanes.due_slow.clear();
        self.unchecked = self.counts()[4];
    }

    pub fn row(&self, id: &str) -> Option<&Row> {
        self.index.get(id).map(|&i| &self.rows[i])
    }

    pub fn row_mut(&mut self, id: &str) -> Option<&mut Row> {
        let i = *self.index.get(id)?;
        Some(&mut self.rows[i])
    }

    /// The account's name of a row ("" when the account is gone).
    pub fn account_name(&self, row: &Row) -> &str {
        self.accounts
            .get(row.account)
            .map(|a| a.name.as_str())
            .unwrap_or("")
    }

    /// Counts for headers and logs: (active, inactive, error, unknown, not checked).
    pub fn counts(&self) -> [usize; 5] {
        let mut c = [0; 5];
        for row in &self.rows {
            let slot = match row.health() {
                Health::Active => 0,
                Health::Inactive => 1,
                Health::Error => 2,
                Health::Unknown => 3,
                Health::NotChecked => 4,
            };
            c[slot] += 1;
        }
        c
    }

    /// Anything in flight (spinners need frequent redraws).
    pub fn is_busy(&self) -> bool {
        self.polling.in_flight > 0
    }
}

fn new_row(seed: InstanceSeed, now: Instant) -> Row {
    let first = now + schedule::initial_delay(schedule::seed(&seed.id, 0));
    Row::new(seed.id, seed.label, seed.tags, seed.account, first)
}

/// One message through the monitor. Messages that are not the monitor's
/// (a picture preview, a saved file) change nothing.
pub fn step(monitor: &mut Monitor, msg: CoreMsg, out: &mut Step) {
    match msg {
        CoreMsg::Tick { now, wall } => on_tick(monitor, now, wall, out),
        CoreMsg::Api(done) => polls::on_answer(monitor, done, out),
        CoreMsg::AlertDelivered {
            event,
            id,
            label,
            channel,
            ok,
            detail,
        } => out.events.push(Event::AlertDelivered {
            event,
            id,
            label,
            channel,
            ok,
            detail,
        }),
        CoreMsg::Silences(result) => feed::on_silences(monitor, result, out),
        CoreMsg::Acks(acks) => feed::on_acks(monitor, acks, out),
        CoreMsg::Reloaded(next) => {
            let summary = reload::apply(monitor, *next);
            for id in &summary.removed {
                monitor.alerts.engine.forget(id);
            }
            out.events.push(Event::Reloaded(summary));
        }
        CoreMsg::HistoryNotice(text) => out.events.push(Event::StoreNotice(text)),
        CoreMsg::Command(command) => on_command(monitor, command, out),
        CoreMsg::ConfigEdited { .. }
        | CoreMsg::MemorySaved(_)
        | CoreMsg::QrSaved(_)
        | CoreMsg::PicturePreview { .. }
        | CoreMsg::History(_)
        | CoreMsg::QrOpened(_)
        | CoreMsg::ShareOpened { .. } => {}
    }
    polls::dispatch(monitor, out);
}

fn on_tick(monitor: &mut Monitor, now: Instant, wall: Option<SystemTime>, out: &mut Step) {
    monitor.now = now;
    if let Some(wall) = wall {
        monitor.clock = (now, wall);
    }
    polls::rebuild_due(monitor);
    polls::note_overdue(monitor);
    feed::on_tick(monitor, now, out);
    let slow = monitor.cycle.is_slow(monitor.polling.interval);
    if slow != monitor.cycle_slow {
        monitor.cycle_slow = slow;
        out.events.push(if slow {
            Event::CycleSlow
        } else {
            Event::CycleMet
        });
    }
}

fn on_command(monitor: &mut Monitor, command: Command, out: &mut Step) {
    match command {
        Command::RefreshAll => {
            polls::refresh_all(monitor);
            out.events.push(Event::RefreshingAll(monitor.rows.len()));
        }
        Command::Refresh(id) => {
            if let Some(&i) = monitor.index.get(&id) {
                polls::refresh_one(monitor, i, out);
            }
        }
        Command::Pause(force) => {
            monitor.polling.paused = force.unwrap_or(!monitor.polling.paused);
            out.events.push(Event::Paused(monitor.polling.paused));
        }
        Command::DisconnectedOnPurpose { id, at } => monitor.alerts.engine.expect_down(&id, at),
    }
}

#[cfg(test)]
mod tests;
