//! The monitor's news for whichever face runs it: the dashboard turns them
//! into flashes, the log pane and the bell; `watch` into log lines and
//! metrics. Nothing else tells a face what happened.

use std::time::{Duration, SystemTime};

use crate::domain::{Health, Seen};
use crate::engine::alerts::AlertEvent;
use crate::engine::reload::ReloadSummary;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A status answer was taken in (whoever asked for it).
    Checked {
        id: String,
        /// What the check saw.
        seen: Seen,
        latency: Duration,
        /// The row's status before and after it.
        previous: Health,
        health: Health,
        /// The server's status changed (the row's "last change" moved).
        changed: bool,
        at: SystemTime,
    },
    /// A row's status changed (never from "not checked": that is its first answer).
    StatusChanged {
        id: String,
        label: String,
        account: String,
        from: Health,
        to: Health,
        /// How long the previous status had lasted, if known.
        was_for: Option<Duration>,
        /// The error or the unknown text, when there is one.
        detail: Option<String>,
    },
    /// Every instance has answered at least once since start.
    FirstRound {
        /// (active, inactive, error, unknown)
        counts: [usize; 4],
    },
    /// The alert engine raised an alert (its delivery is an effect).
    AlertRaised(AlertEvent),
    /// One delivery of one alert finished.
    AlertDelivered {
        event: String,
        /// The instance alerted about (empty for a group) and its label.
        id: String,
        label: String,
        channel: String,
        ok: bool,
        detail: String,
    },
    /// The silences in force changed (rows' marks change).
    SilencesChanged,
    /// The store's alert state or silences could not be read: alerting goes
    /// on without them.
    StoreUnreadable {
        subject: String,
        error: String,
    },
    /// Something the user should know about the history store.
    StoreNotice(String),
    /// The achieved cycle fell behind the interval, or caught up again.
    CycleSlow,
    CycleMet,
    /// Polling was paused (true) or resumed.
    Paused(bool),
    /// Every instance was made due now.
    RefreshingAll(usize),
    /// A new configuration took over.
    Reloaded(ReloadSummary),
}
