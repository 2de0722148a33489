//! What the store keeps of the alert engine between runs: one row per
//! instance something was announced about, times in Unix seconds.

use std::time::{Duration, SystemTime};

/// One row of the store's `alert_state` table (times in unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRow {
    pub instance_id: String,
    /// 'down' | 'up' | 'flapping' | 'error': what was last announced;
    /// 'flapping-down' | 'flapping-error': flapping, last told down / in
    /// error (the `up` is still owed); 'disconnected': disconnected on
    /// purpose, nothing announced.
    pub state: String,
    pub since: i64,
    pub alerted_at: Option<i64>,
    pub updated_at: i64,
}

/// Unix seconds, as the store keeps times.
pub fn unix(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

pub fn from_unix(secs: i64) -> SystemTime {
    if secs >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}
