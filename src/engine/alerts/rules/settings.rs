//! The alert rules' settings: `[alerts]` as the engine reads it.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Consecutive not-active checks before an instance is down (and
    /// consecutive failed checks before one that was up is in error; a
    /// failed check never counts toward up or down). At least 1.
    pub after: u32,
    /// Consecutive active checks before it is up again. At least 1.
    pub resolve_after: u32,
    /// Repeat while still down; None: never.
    pub remind_every: Option<Duration>,
    /// More status changes than this within `flap_window`: flapping. 0: off.
    pub flap_changes: u32,
    pub flap_window: Duration,
    /// How long an event waits for others to group with (one cycle).
    pub group_window: Duration,
    /// `[[alerts.maintenance]]`: nothing is sent while one is open.
    pub windows: Vec<crate::domain::holds::Window>,
    /// `[[alerts.escalate]]`, by `after`.
    pub escalations: Vec<crate::domain::holds::Escalation>,
}

impl Settings {
    /// The rules of `[alerts]`; the group window defaults to one polling interval.
    pub fn from_config(
        config: &crate::config::alerts::AlertsConfig,
        interval: Duration,
    ) -> Settings {
        Settings {
            after: config.after,
            resolve_after: config.resolve_after,
            remind_every: config.remind_every,
            flap_changes: config.flap_changes,
            flap_window: config.flap_window,
            group_window: config.group_window.unwrap_or(interval),
            windows: config.maintenance.clone(),
            escalations: config.escalations.clone(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            after: 3,
            resolve_after: 2,
            remind_every: None,
            flap_changes: 4,
            flap_window: Duration::from_secs(15 * 60),
            group_window: Duration::from_secs(10),
            windows: Vec::new(),
            escalations: Vec::new(),
        }
    }
}
