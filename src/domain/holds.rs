//! What holds alerts back or pushes them further, beside silences, as
//! config and the store give them to the engine: acknowledgements,
//! maintenance windows, escalation steps, and the time an instance spent in
//! a window (kept as 'planned').

use std::time::{Duration, SystemTime};

use super::calendar::Calendar;
use super::matcher::{Matcher, Subject};

/// One acknowledgement, as `wadash ack` stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The store's row id.
    pub id: i64,
    pub instance_id: String,
    pub at: SystemTime,
    pub by: String,
    pub reason: String,
}

/// `[[alerts.maintenance]]`: while open, nothing is sent for the instances
/// it matches (all of them without `only`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub name: String,
    pub only: Option<Matcher>,
    pub calendar: Calendar,
}

impl Window {
    pub fn covers(&self, subject: &Subject<'_>, at: SystemTime) -> bool {
        self.calendar.contains(at) && self.only.as_ref().is_none_or(|m| m.matches(subject))
    }
}

/// One instance's time inside a maintenance window, as the store's
/// `planned` table keeps it (`end` None while the window is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMark {
    pub instance_id: String,
    pub start: SystemTime,
    pub end: Option<SystemTime>,
    pub name: String,
}

/// `[[alerts.escalate]]`: a down told this long ago, neither acknowledged
/// nor resolved, goes to the channel named `channel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub after: Duration,
    pub channel: String,
}
