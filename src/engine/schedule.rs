//! When each instance is polled next: interval with jitter, exponential
//! backoff after errors. Pure functions of their inputs (no clock, no RNG) so
//! the policy is testable and a given instance's schedule is reproducible.

use std::time::Duration;

pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Spread of the jitter: each delay is the nominal one ±10 %.
const JITTER_PERCENT: u64 = 10;

/// Delay before the next poll after a success: the interval ±10 %, varying
/// per instance and per check, so 1,000 instances started together drift
/// apart instead of firing in lockstep.
pub fn next_delay(interval: Duration, seed: u64) -> Duration {
    jittered(interval, seed)
}

/// Delay after `errors` consecutive failures (errors ≥ 1): the interval
/// doubled per failure, capped at 5 minutes, with the same jitter.
pub fn backoff_delay(interval: Duration, errors: u32, seed: u64) -> Duration {
    let factor = 1u32 << errors.clamp(1, 16);
    let nominal = interval.saturating_mul(factor).min(MAX_BACKOFF);
    jittered(nominal, seed).min(MAX_BACKOFF)
}

/// First poll at start-up: spread over the first second so a large roster
/// does not open every connection in the same instant (the concurrency cap
/// does the rest).
pub fn initial_delay(seed: u64) -> Duration {
    Duration::from_millis(mix(seed) % 1000)
}

fn jittered(nominal: Duration, seed: u64) -> Duration {
    let nominal_ms = nominal.as_millis() as u64;
    let span = nominal_ms * JITTER_PERCENT / 100;
    if span == 0 {
        return nominal;
    }
    let offset = mix(seed) % (2 * span + 1);
    Duration::from_millis(nominal_ms - span + offset)
}

/// A seed from the instance id and its check count.
pub fn seed(id: &str, checks: u64) -> u64 {
    // FNV-1a: tiny, stable across runs and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes().chain(checks.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// SplitMix64 finaliser: spreads nearby seeds over the whole range.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent_and_varies() {
        let interval = Duration::from_secs(10);
        let mut seen = std::collections::HashSet::new();
        for i in 0..1000 {
            let d = next_delay(interval, seed("inst", i));
            assert!(
                d >= Duration::from_secs(9) && d <= Duration::from_secs(11),
                "{d:?}"
            );
            seen.insert(d.as_millis());
        }
        assert!(
            seen.len() > 200,
            "jitter should spread, saw {} values",
            seen.len()
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let i = Duration::from_secs(10);
        let near = |d: Duration, s: u64| {
            let lo = s * 900;
            let hi = s * 1100;
            (lo..=hi).contains(&(d.as_millis() as u64))
        };
        assert!(near(backoff_delay(i, 1, 7), 20));
        assert!(near(backoff_delay(i, 2, 7), 40));
        assert!(near(backoff_delay(i, 3, 7), 80));
        assert!(backoff_delay(i, 6, 7) <= MAX_BACKOFF);
        assert!(backoff_delay(i, 40, 7) <= MAX_BACKOFF);
        assert!(backoff_delay(i, 40, 7) >= Duration::from_secs(270));
    }

    #[test]
    fn initial_spread_is_under_a_second() {
        let ds: Vec<_> = (0..100)
            .map(|i| initial_delay(seed(&format!("id{i}"), 0)))
            .collect();
        assert!(ds.iter().all(|d| *d < Duration::from_secs(1)));
        assert!(ds.iter().collect::<std::collections::HashSet<_>>().len() > 50);
    }
}
