//! The event log: every request with time, instance, endpoint, outcome and
//! latency. Capped in memory; never holds a key (nothing here formats headers).

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

pub const LOG_CAP: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Ok,
    Warn,
    Error,
}

#[derive(Debug, Clone)]
pub struct LogEntry {
    pub at: SystemTime,
    pub instance: String,
    pub endpoint: String,
    pub outcome: String,
    pub latency: Option<Duration>,
    pub level: LogLevel,
}

#[derive(Debug, Default)]
pub struct EventLog {
    entries: VecDeque<LogEntry>,
    /// Lines scrolled up from the newest entry; 0 follows new entries.
    pub scroll: usize,
    /// Entries dropped off the front since start, shown as a count.
    pub dropped: u64,
}

impl EventLog {
    pub fn push(&mut self, entry: LogEntry) {
        if self.entries.len() == LOG_CAP {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(entry);
        if self.scroll > 0 {
            // Keep the view on the same entries while new ones arrive.
            self.scroll = (self.scroll + 1).min(self.entries.len().saturating_sub(1));
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &VecDeque<LogEntry> {
        &self.entries
    }

    pub fn scroll_by(&mut self, delta: isize) {
        let max = self.entries.len().saturating_sub(1);
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> LogEntry {
        LogEntry {
            at: SystemTime::UNIX_EPOCH,
            instance: format!("i{n}"),
            endpoint: "status".into(),
            outcome: "ok".into(),
            latency: None,
            level: LogLevel::Ok,
        }
    }

    #[test]
    fn capped_and_counts_drops() {
        let mut log = EventLog::default();
        for n in 0..LOG_CAP + 5 {
            log.push(entry(n));
        }
        assert_eq!(log.len(), LOG_CAP);
        assert_eq!(log.dropped, 5);
        assert_eq!(log.entries().front().unwrap().instance, "i5");
    }

    #[test]
    fn scrolled_view_stays_put_when_entries_arrive() {
        let mut log = EventLog::default();
        for n in 0..10 {
            log.push(entry(n));
        }
        log.scroll_by(3);
        log.push(entry(10));
        assert_eq!(log.scroll, 4);
        log.scroll_by(-100);
        assert_eq!(log.scroll, 0);
    }
}
