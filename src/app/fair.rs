//! Fair polling under bad servers: polls of instances whose last check hung
//! (timed out) go through a small lane, at most a quarter of the in-flight
//! cap, so a share of hung servers cannot hold every slot for a whole
//! timeout while healthy rows go stale. Pure bookkeeping, no clock.
//!
//! A row is "slow" while its last check ended in a timeout; its next answer
//! (of any kind) decides again. Healthy rows may use every slot the slow
//! lane leaves free, and the slow lane never waits for healthy rows that are
//! not due.

use std::collections::{HashSet, VecDeque};

use crate::api::ApiError;

use super::row::Row;

/// The slow lane's share of the cap: 1/4, at least one slot.
pub fn slow_cap(max_in_flight: usize) -> usize {
    (max_in_flight / 4).max(1)
}

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
}

/// Which queue the next poll comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Healthy,
    Slow,
}

impl Lanes {
    /// Checks now waiting on servers that hung last time (the dashboard shows it).
    pub fn waiting_on_slow(&self) -> usize {
        self.slow_in_flight.len()
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
        let slow_open = self.slow_in_flight.len() < slow_cap(max_in_flight);
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
}
