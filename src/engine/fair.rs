//! Fair polling under bad servers: polls of instances whose last check hung
//! (timed out) go through a small lane, at most a quarter of the in-flight
//! cap, so a share of hung servers cannot hold every slot for a whole
//! timeout while healthy rows go stale. Pure bookkeeping, no clock.
//!
//! A row is "slow" while its last check ended in a timeout; its next answer
//! (of any kind) decides again. Healthy rows may use every slot the slow
//! lane leaves free, and the slow lane never waits for healthy rows that are
//! not due.
//!
//! Before anything has timed out (the first sweep, or a server that starts
//! hanging), a check still in flight past the overdue mark (eight times
//! the median of recent answers, from `OVERDUE_MIN` to `OVERDUE_AFTER`)
//! joins the slow lane's account: hung checks then hold at most the lane's
//! share of the slots, and those beyond it stop counting against the cap,
//! so the healthy rows behind them start at once instead of a whole
//! timeout later. Their number is bounded too (`EXCUSED_MAX`): connections stay
//! finite when nearly everything hangs.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use crate::api::ApiError;

use crate::engine::row::Row;

/// The slow lane's share of the cap: 1/4, at least one slot.
pub fn slow_cap(max_in_flight: usize) -> usize {
    (max_in_flight / 4).max(1)
}

/// A healthy server answers a status check well within this; a check still
/// open after it is treated as hung before its timeout says so.
pub const OVERDUE_AFTER: Duration = Duration::from_secs(2);
/// The overdue mark never drops below this, however fast the answers.
pub const OVERDUE_MIN: Duration = Duration::from_millis(500);
/// Answers whose latency sets the overdue mark (the latest ones).
const RECENT: usize = 64;

/// Overdue checks that may stop counting against the cap, at most (beyond
/// this, they hold slots again): connections in flight stay under the cap
/// plus this, well inside the usual limit of 1,024 open files. A first
/// sweep with more hung servers than this waits for their timeouts once;
/// after that they are in the slow lane.
pub const EXCUSED_MAX: usize = 256;

/// Whether the row's next poll belongs in the slow lane.
pub fn is_slow(row: &Row) -> bool {
    matches!(row.error, Some(ApiError::Timeout { .. }))
}

/// The slow lane's state, beside the shared due queue.
#[derive(Debug, Default, Clone)]
pub struct Lanes {
    /// Rows due whose last check timed out, earliest first.
    pub due_slow: VecDeque<usize>,
    /// Ids of slow-lane polls in flight (an answer frees its lane's slot).
    pub slow_in_flight: HashSet<String>,
    /// Ids of polls started as healthy still in flight past the overdue mark.
    pub overdue: HashSet<String>,
    /// Latencies of the latest successful checks, oldest first.
    recent: VecDeque<Duration>,
}

/// Which queue the next poll comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Healthy,
    Slow,
}

impl Lanes {
    /// Checks now waiting on slow servers: those that hung last time and
    /// those hanging now (the dashboard shows it).
    pub fn waiting_on_slow(&self) -> usize {
        self.slow_in_flight.len() + self.overdue.len()
    }

    /// Checks in flight that no longer count against the cap: the slow
    /// lane's occupants beyond its share, up to `EXCUSED_MAX`.
    pub fn excused(&self, max_in_flight: usize) -> usize {
        self.waiting_on_slow()
            .saturating_sub(slow_cap(max_in_flight))
            .min(EXCUSED_MAX)
    }

    /// Whether one more check may start with `in_flight` open.
    pub fn may_start(&self, in_flight: usize, max_in_flight: usize) -> bool {
        in_flight.saturating_sub(self.excused(max_in_flight)) < max_in_flight
    }

    /// A check answered successfully after `latency`.
    pub fn answered(&mut self, latency: Duration) {
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(latency);
    }

    /// How long a check may stay open before it counts as hung: eight
    /// times the median of recent answers, within `OVERDUE_MIN` and
    /// `OVERDUE_AFTER` (the latter until anything has answered). A fast
    /// server's hung checks are told apart sooner, a slow one's never
    /// mistaken for hung.
    pub fn overdue_after(&self) -> Duration {
        if self.recent.is_empty() {
            return OVERDUE_AFTER;
        }
        let mut sorted: Vec<Duration> = self.recent.iter().copied().collect();
        sorted.sort_unstable();
        (sorted[sorted.len() / 2] * 8).clamp(OVERDUE_MIN, OVERDUE_AFTER)
    }

    /// A healthy-lane check has been open since `started`: past the
    /// overdue mark (`overdue_after`) it moves to the slow lane's account.
    pub fn note_open(&mut self, id: &str, started: Instant, now: Instant, after: Duration) {
        if now.saturating_duration_since(started) >= after
            && !self.slow_in_flight.contains(id)
            && !self.overdue.contains(id)
        {
            self.overdue.insert(id.to_string());
        }
    }

    /// The next queue to take a row from, given the fronts' due times (as
    /// any ordered key), or None when nothing may start. Earliest first,
    /// except that the slow lane is skipped while it is full.
    pub fn pick<K: Ord>(
        &self,
        healthy_front: Option<K>,
        slow_front: Option<K>,
        max_in_flight: usize,
    ) -> Option<Pick> {
        let slow_open = self.waiting_on_slow() < slow_cap(max_in_flight);
        match (healthy_front, slow_front.filter(|_| slow_open)) {
            (None, None) => None,
            (Some(_), None) => Some(Pick::Healthy),
            (None, Some(_)) => Some(Pick::Slow),
            (Some(h), Some(s)) if s < h => Some(Pick::Slow),
            (Some(_), Some(_)) => Some(Pick::Healthy),
        }
    }

    /// A poll answered (or its row went away): free its slow slot if it had one.
    pub fn finished(&mut self, id: &str) {
        self.slow_in_flight.remove(id);
        self.overdue.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slow_lane_is_a_quarter_of_the_cap_and_at_least_one() {
        assert_eq!(slow_cap(16), 4);
        assert_eq!(slow_cap(64), 16);
        assert_eq!(slow_cap(3), 1);
        assert_eq!(slow_cap(1), 1);
    }

    #[test]
    fn earliest_first_until_the_slow_lane_is_full() {
        let mut lanes = Lanes::default();
        assert_eq!(lanes.pick(Some(5), Some(3), 16), Some(Pick::Slow));
        assert_eq!(lanes.pick(Some(2), Some(3), 16), Some(Pick::Healthy));
        assert_eq!(lanes.pick(None::<u32>, Some(3), 16), Some(Pick::Slow));
        for id in ["a", "b", "c", "d"] {
            lanes.slow_in_flight.insert(id.into());
        }
        assert_eq!(lanes.pick(Some(5), Some(3), 16), Some(Pick::Healthy));
        assert_eq!(lanes.pick(None, Some(3), 16), None);
        lanes.finished("a");
        assert_eq!(lanes.pick(None, Some(3), 16), Some(Pick::Slow));
        assert_eq!(lanes.waiting_on_slow(), 3);
    }

    #[test]
    fn a_check_open_too_long_joins_the_slow_lane_and_beyond_its_share_frees_its_slot() {
        let t0 = Instant::now();
        let mut lanes = Lanes::default();
        lanes.note_open("a", t0, t0 + OVERDUE_AFTER / 2, OVERDUE_AFTER);
        assert_eq!(lanes.waiting_on_slow(), 0, "not overdue yet");
        for id in ["a", "b", "c", "d"] {
            lanes.note_open(id, t0, t0 + OVERDUE_AFTER, OVERDUE_AFTER);
        }
        // Cap 8: the lane's share is 2; the other two overdue stop counting.
        assert_eq!(lanes.waiting_on_slow(), 4);
        assert_eq!(lanes.excused(8), 2);
        assert!(lanes.may_start(9, 8));
        assert!(!lanes.may_start(10, 8));
        // The lane is full of overdue checks: nothing more starts in it.
        assert_eq!(lanes.pick(None, Some(1), 8), None);
        lanes.finished("a");
        lanes.finished("b");
        lanes.finished("c");
        assert_eq!(lanes.excused(8), 0);
        assert!(!lanes.may_start(8, 8));
    }

    #[test]
    fn excused_checks_are_bounded() {
        let t0 = Instant::now();
        let mut lanes = Lanes::default();
        for i in 0..EXCUSED_MAX + 50 {
            lanes.note_open(&format!("r{i}"), t0, t0 + OVERDUE_AFTER, OVERDUE_AFTER);
        }
        assert_eq!(lanes.excused(8), EXCUSED_MAX);
        assert!(lanes.may_start(8 + EXCUSED_MAX - 1, 8));
        assert!(!lanes.may_start(8 + EXCUSED_MAX, 8));
    }

    #[test]
    fn the_overdue_mark_follows_the_servers_own_pace_within_bounds() {
        let mut lanes = Lanes::default();
        assert_eq!(lanes.overdue_after(), OVERDUE_AFTER, "nothing answered yet");
        for _ in 0..RECENT {
            lanes.answered(Duration::from_millis(100));
        }
        assert_eq!(lanes.overdue_after(), Duration::from_millis(800));
        for _ in 0..RECENT {
            lanes.answered(Duration::from_millis(5));
        }
        assert_eq!(lanes.overdue_after(), OVERDUE_MIN, "never below the floor");
        for _ in 0..RECENT {
            lanes.answered(Duration::from_secs(1));
        }
        assert_eq!(
            lanes.overdue_after(),
            OVERDUE_AFTER,
            "a slow server is not hung"
        );
        let t0 = Instant::now();
        lanes.note_open("a", t0, t0 + Duration::from_millis(600), OVERDUE_MIN);
        assert_eq!(lanes.waiting_on_slow(), 1);
    }
}
