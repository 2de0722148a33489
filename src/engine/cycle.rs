//! The achieved cycle: how long it really takes for an instance to be
//! checked again. With N instances, C polls at once and a server latency L,
//! a cycle cannot be shorter than N×L÷C, whatever the interval says; when
//! that floor (or a slow server, or pacing) exceeds the interval, the
//! operator must be told, or "checked every 10 s" is a lie.
//!
//! Measured where every face sees it (fed by `update` on each scheduled
//! answer): the gap between two consecutive scheduled checks of the same
//! instance, averaged over a short window. Pure: times come from the answers.

use std::time::{Duration, Instant};

/// Averages are published once per window: steady enough to read, quick
/// enough to notice a server slowing down.
pub const WINDOW: Duration = Duration::from_secs(5);

/// Slower than this many times the interval counts as "not met": the
/// schedule's own jitter (±10 %) and a normal latency stay below it.
const SLOW_FACTOR_PERCENT: u32 = 120;

#[derive(Debug, Clone, Default)]
pub struct CycleMeter {
    window_start: Option<Instant>,
    gaps: Duration,
    gap_count: u32,
    latencies: Duration,
    latency_count: u32,
    /// Mean gap between two checks of one instance, over the last window.
    pub achieved: Option<Duration>,
    /// Mean latency of the checks over the last window.
    pub latency: Option<Duration>,
}

impl CycleMeter {
    /// One scheduled answer at `at`: `gap` since this instance's previous
    /// check (None for its first, or after errors whose backoff is deliberate).
    pub fn observe(&mut self, at: Instant, gap: Option<Duration>, latency: Duration) {
        let start = *self.window_start.get_or_insert(at);
        if let Some(gap) = gap {
            self.gaps += gap;
            self.gap_count += 1;
        }
        self.latencies += latency;
        self.latency_count += 1;
        if at.saturating_duration_since(start) >= WINDOW {
            if self.gap_count > 0 {
                self.achieved = Some(self.gaps / self.gap_count);
            }
            if self.latency_count > 0 {
                self.latency = Some(self.latencies / self.latency_count);
            }
            *self = CycleMeter {
                window_start: Some(at),
                achieved: self.achieved,
                latency: self.latency,
                ..CycleMeter::default()
            };
        }
    }

    /// Whether the achieved cycle is clearly longer than `interval`. The
    /// next check is scheduled from the answer, so one latency is part of
    /// every healthy gap too: only what goes beyond it counts.
    pub fn is_slow(&self, interval: Duration) -> bool {
        let latency = self.latency.unwrap_or_default();
        self.achieved
            .is_some_and(|a| a > interval * SLOW_FACTOR_PERCENT / 100 + latency)
    }
}

/// The shortest possible cycle: N×L÷C.
pub fn floor(instances: usize, latency: Duration, concurrency: usize) -> Duration {
    let c = concurrency.max(1) as u32;
    latency.saturating_mul(instances.min(u32::MAX as usize) as u32) / c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishes_the_mean_gap_once_per_window() {
        let t0 = Instant::now();
        let mut m = CycleMeter::default();
        let ms = Duration::from_millis;
        m.observe(t0, None, ms(20));
        m.observe(t0 + ms(1000), Some(Duration::from_secs(14)), ms(20));
        assert_eq!(m.achieved, None, "nothing before the first window closes");
        m.observe(t0 + WINDOW, Some(Duration::from_secs(16)), ms(40));
        assert_eq!(m.achieved, Some(Duration::from_secs(15)));
        assert_eq!(m.latency, Some(ms(26) + Duration::from_nanos(666_666)));
        assert!(m.is_slow(Duration::from_secs(10)));
        assert!(!m.is_slow(Duration::from_secs(15)));
        // A window with only first checks keeps the last figure.
        m.observe(t0 + WINDOW * 2, None, ms(20));
        assert_eq!(m.achieved, Some(Duration::from_secs(15)));
    }

    #[test]
    fn jitter_alone_is_not_slow() {
        let mut m = CycleMeter {
            achieved: Some(Duration::from_millis(11_000)),
            ..CycleMeter::default()
        };
        assert!(!m.is_slow(Duration::from_secs(10)));
        m.achieved = Some(Duration::from_millis(12_500));
        assert!(m.is_slow(Duration::from_secs(10)));
        // A slow server's latency alone is not a missed interval.
        m.latency = Some(Duration::from_millis(900));
        assert!(!m.is_slow(Duration::from_secs(10)));
    }

    #[test]
    fn the_floor_is_n_times_l_over_c() {
        assert_eq!(
            floor(10_000, Duration::from_millis(20), 64),
            Duration::from_micros(3_125_000)
        );
        assert_eq!(
            floor(5, Duration::from_millis(20), 0),
            Duration::from_millis(100)
        );
    }
}
