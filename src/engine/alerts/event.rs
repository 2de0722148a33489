//! What the engine says: one alert event, self-contained (everything a hook
//! or a webhook needs), never holding a key.

use std::time::{Duration, SystemTime};

pub use crate::domain::Seen;
pub use crate::domain::alert_state::{from_unix, unix};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    Down,
    Up,
    Flapping,
    Reminder,
    Error,
    /// A down nobody acknowledged nor resolved within an `[[alerts.escalate]]`
    /// step's `after`: sent to that step's channel only.
    Escalate,
    /// More than `GROUP_OVER` events of one kind within one group window.
    Group,
}

impl AlertKind {
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::Down => "down",
            AlertKind::Up => "up",
            AlertKind::Flapping => "flapping",
            AlertKind::Reminder => "reminder",
            AlertKind::Error => "error",
            AlertKind::Escalate => "escalate",
            AlertKind::Group => "group",
        }
    }

    /// Whether this announces trouble (rings the bell, highlights the row).
    pub fn is_trouble(self) -> bool {
        matches!(
            self,
            AlertKind::Down
                | AlertKind::Error
                | AlertKind::Flapping
                | AlertKind::Reminder
                | AlertKind::Escalate
        )
    }
}

/// One instance inside a grouped event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub label: String,
    pub account: String,
    pub tags: Vec<String>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEvent {
    pub kind: AlertKind,
    /// Empty for a group (see `members`).
    pub id: String,
    pub label: String,
    pub account: String,
    pub tags: Vec<String>,
    /// What the last check saw (active, inactive, unknown, error); for a
    /// group, the kind of the events it groups (down, up, error…).
    pub status: String,
    /// The server's text or the error, for people.
    pub detail: String,
    /// When the trouble began: the outage (down, error, reminder, and the
    /// outage an `up` ends) or the first change of a flapping spell.
    pub since: SystemTime,
    /// When the event was decided.
    pub at: SystemTime,
    /// `up`: how long the instance was down.
    pub down_for: Option<Duration>,
    /// `group`: the kind grouped and every instance in it.
    pub grouped: Option<AlertKind>,
    pub members: Vec<Member>,
    /// Only to the channel of this name (an escalation); None: to every
    /// channel not kept for escalations.
    pub to: Option<String>,
}

impl AlertEvent {
    /// One line for logs and the dashboard: "down: Tienda Lima (inactive)".
    pub fn summary(&self) -> String {
        match self.kind {
            AlertKind::Group => format!("{}: {}", self.kind.name(), self.detail),
            AlertKind::Up => match self.down_for {
                Some(d) => format!(
                    "up: {} (down {})",
                    self.label,
                    humantime::format_duration(Duration::from_secs(d.as_secs()))
                ),
                None => format!("up: {}", self.label),
            },
            AlertKind::Reminder | AlertKind::Escalate => match self.down_for {
                Some(d) => format!(
                    "{}: {} {} ({})",
                    self.kind.name(),
                    self.label,
                    still_down(d),
                    self.status
                ),
                None => format!("{}: {} ({})", self.kind.name(), self.label, self.status),
            },
            kind => format!("{}: {} ({})", kind.name(), self.label, self.status),
        }
    }

    /// Every instance id the event is about (one, or a group's members).
    pub fn ids(&self) -> Vec<&str> {
        if self.kind == AlertKind::Group {
            self.members.iter().map(|m| m.id.as_str()).collect()
        } else {
            vec![self.id.as_str()]
        }
    }
}

/// "still down for 2 h 10 min": how reminders and escalations say it.
pub fn still_down(d: Duration) -> String {
    let s = d.as_secs();
    let (days, h, m) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    let text = match (days, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    };
    format!("still down for {text}")
}
