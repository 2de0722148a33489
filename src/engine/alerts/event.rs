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
            AlertKind::Group => "group",
        }
    }

    /// Whether this announces trouble (rings the bell, highlights the row).
    pub fn is_trouble(self) -> bool {
        matches!(
            self,
            AlertKind::Down | AlertKind::Error | AlertKind::Flapping | AlertKind::Reminder
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
