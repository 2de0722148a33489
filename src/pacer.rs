//! Per-account pacing: `rate = "20/s"` on an account caps the requests sent
//! to that account's server, across every lane (polls, actions, bulk runs),
//! because the vendor may throttle a key that asks too fast.
//!
//! The pacer hands out evenly spaced send times (a "virtual clock": each
//! request takes the next free slot, one period after the previous one), so
//! a burst of 64 polls becomes a steady stream and no second of requests
//! ever exceeds the rate. A small wait queue is not a problem: polls that
//! wait here are simply late, and the achieved cycle says so.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A number of requests per period, as written in the config (`"20/s"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

impl Rate {
    /// `N/s`, `N/m` (or `min`), `N/h`, or `N/DURATION` (`"5/10s"`, `"100/1m"`).
    pub fn parse(text: &str) -> Result<Rate, String> {
        let hint = "write it like \"20/s\", \"600/m\" or \"5/10s\"";
        let (count, per) = text
            .trim()
            .split_once('/')
            .ok_or_else(|| format!("invalid rate {text:?}: {hint}"))?;
        let count: u32 = count.trim().parse().map_err(|_| {
            format!("invalid rate {text:?}: the count must be a whole number; {hint}")
        })?;
        if count == 0 {
            return Err(format!(
                "invalid rate {text:?}: the count must be at least 1"
            ));
        }
        let per = match per.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            other => humantime::parse_duration(other)
                .map_err(|e| format!("invalid rate {text:?}: {e}; {hint}"))?,
        };
        if per.is_zero() {
            return Err(format!(
                "invalid rate {text:?}: the period must be longer than 0"
            ));
        }
        Ok(Rate { count, per })
    }

    /// Time between two requests.
    pub fn spacing(&self) -> Duration {
        self.per / self.count
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.per == Duration::from_secs(1) {
            write!(f, "{}/s", self.count)
        } else {
            write!(f, "{}/{}", self.count, humantime::format_duration(self.per))
        }
    }
}

/// Spaces requests to one server. Shared by every lane of the worker.
#[derive(Debug)]
pub struct Pacer {
    spacing: Duration,
    /// The earliest time the next request may go.
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    pub fn new(rate: Rate) -> Pacer {
        Pacer {
            spacing: rate.spacing(),
            next: Mutex::new(None),
        }
    }

    /// Take the next free slot at or after `now`; returns when to send.
    pub fn reserve(&self, now: Instant) -> Instant {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let slot = match *next {
            Some(t) if t > now => t,
            _ => now,
        };
        *next = Some(slot + self.spacing);
        slot
    }

    /// Wait for this request's slot.
    pub async fn wait(&self) {
        let slot = self.reserve(Instant::now());
        tokio::time::sleep_until(slot.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_and_refuse_nonsense() {
        let r = Rate::parse("20/s").unwrap();
        assert_eq!((r.count, r.per), (20, Duration::from_secs(1)));
        assert_eq!(r.spacing(), Duration::from_millis(50));
        assert_eq!(
            Rate::parse(" 600 / m ").unwrap().spacing(),
            Duration::from_millis(100)
        );
        assert_eq!(
            Rate::parse("5/10s").unwrap().spacing(),
            Duration::from_secs(2)
        );
        assert_eq!(
            Rate::parse("3600/h").unwrap().spacing(),
            Duration::from_secs(1)
        );
        for bad in ["20", "0/s", "x/s", "20/fortnight", "-1/s", "20/0s", ""] {
            let e = Rate::parse(bad).unwrap_err();
            assert!(e.contains("rate"), "{bad}: {e}");
        }
        assert_eq!(Rate::parse("20/s").unwrap().to_string(), "20/s");
    }

    #[test]
    fn a_burst_is_spread_evenly_and_idle_time_is_not_banked() {
        let pacer = Pacer::new(Rate::parse("10/s").unwrap());
        let t0 = Instant::now();
        let slots: Vec<_> = (0..5).map(|_| pacer.reserve(t0)).collect();
        for (n, slot) in slots.iter().enumerate() {
            assert_eq!(*slot - t0, Duration::from_millis(100) * n as u32);
        }
        // After a long pause the next request goes at once, and the one
        // after it waits a full period again (no burst from saved credit).
        let later = t0 + Duration::from_secs(60);
        assert_eq!(pacer.reserve(later), later);
        assert_eq!(pacer.reserve(later), later + Duration::from_millis(100));
    }

    #[tokio::test]
    async fn concurrent_waiters_never_beat_the_rate() {
        let pacer = std::sync::Arc::new(Pacer::new(Rate::parse("50/s").unwrap()));
        let start = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let p = pacer.clone();
                tokio::spawn(async move {
                    p.wait().await;
                    Instant::now()
                })
            })
            .collect();
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort();
        // 20 requests at 50/s: the last one no earlier than 19 × 20 ms.
        assert!(
            times[19] - start >= Duration::from_millis(380),
            "{:?}",
            times[19] - start
        );
    }
}
