//! One instance as the monitor knows it: identity, last status, history
//! of checks, and its polling schedule.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::api::ApiError;
use crate::domain::filter::Subject;
use crate::domain::{Health, InstanceStatus, Seen};

/// How many past checks the details pane can show as a strip.
pub const HISTORY: usize = 60;

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub label: String,
    /// Lower-cased label, computed once: sorting 10,000 rows must not
    /// allocate per comparison.
    pub label_key: String,
    /// Label, id and tags lower-cased and joined by newlines, computed once:
    /// the filter runs over every row per key press. Filter words never hold
    /// whitespace, so a match never spans two fields.
    haystack: String,
    pub tags: Vec<String>,
    pub account: usize,

    /// Last status the server reported, kept through later errors: an
    /// instance does not stop being active because one poll timed out.
    pub status: Option<InstanceStatus>,
    /// The error of the last check, cleared by the next success.
    pub error: Option<ApiError>,
    pub checked_at: Option<Instant>,
    pub latency: Option<Duration>,
    pub changed_at: Option<Instant>,
    pub history: VecDeque<Seen>,
    pub checks: u64,
    pub active_checks: u64,

    pub next_poll: Instant,
    pub consecutive_errors: u32,
    pub polling: bool,
    /// When the check in flight started (the slow lane watches it).
    pub poll_started: Option<Instant>,
}

impl Row {
    pub fn new(
        id: String,
        label: String,
        tags: Vec<String>,
        account: usize,
        first_poll: Instant,
    ) -> Row {
        let mut haystack = format!("{label}\n{id}");
        for tag in &tags {
            haystack.push('\n');
            haystack.push_str(tag);
        }
        Row {
            haystack: haystack.to_lowercase(),
            id,
            label_key: label.to_lowercase(),
            label,
            tags,
            account,
            status: None,
            error: None,
            checked_at: None,
            latency: None,
            changed_at: None,
            history: VecDeque::with_capacity(HISTORY),
            checks: 0,
            active_checks: 0,
            next_poll: first_poll,
            consecutive_errors: 0,
            polling: false,
            poll_started: None,
        }
    }

    pub fn health(&self) -> Health {
        if self.error.is_some() {
            return Health::Error;
        }
        match &self.status {
            None => Health::NotChecked,
            Some(InstanceStatus::Active) => Health::Active,
            Some(InstanceStatus::Inactive) => Health::Inactive,
            Some(InstanceStatus::Unknown(_)) => Health::Unknown,
        }
    }

    pub fn is_active(&self) -> bool {
        self.status == Some(InstanceStatus::Active)
    }

    /// Share of this session's checks that found the instance active.
    pub fn uptime(&self) -> Option<f64> {
        (self.checks > 0).then(|| self.active_checks as f64 / self.checks as f64)
    }

    pub fn push_mark(&mut self, mark: Seen) {
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(mark);
    }

    /// Whether label, id or a tag contains this (lower-case) word.
    pub fn haystack_matches(&self, needle_lower: &str) -> bool {
        self.haystack.contains(needle_lower)
    }
}

impl Subject for Row {
    fn has_word(&self, lower: &str) -> bool {
        self.haystack_matches(lower)
    }

    fn tags(&self) -> &[String] {
        &self.tags
    }

    fn health(&self) -> Health {
        Row::health(self)
    }
}
