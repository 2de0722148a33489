//! An invented but plausible past: for `--demo` (a throwaway file in the
//! demo's temp dir, never the user's store) and for the benchmarks'
//! synthetic 10,000-instance store. Mostly active, with drops of minutes
//! to an hour (some by the user, some relinked through the QR pane),
//! short error spells, and nights when no dashboard was running.

use rusqlite::{Connection, params};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
pub const DAY: i64 = 24 * HOUR;

#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    pub now_ms: i64,
    pub days: u32,
    /// Roughly how many periods a day each instance gets.
    pub periods_per_day: f64,
    pub grace_ms: i64,
    /// The invented past stops this long before `now` (the "last run").
    pub stop_before_now_ms: i64,
    pub seed: u64,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: tiny and reproducible.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo).max(1) as u64) as i64
    }
}

/// Write the invented past of `ids`; returns the periods written. One
/// transaction: the file is never half-seeded.
pub fn seed(conn: &mut Connection, ids: &[String], o: SeedOptions) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let mut written = 0;
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO periods (instance_id, start_ms, end_ms, last_seen_ms, grace_ms, state, detail, cause, qr_to_link_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let stop = o.now_ms - o.stop_before_now_ms;
        // Three kinds of period per cycle (up, a blip, down) on average.
        let mean_up = (DAY as f64 * 2.2 / o.periods_per_day.max(0.1)) as i64;
        for (n, id) in ids.iter().enumerate() {
            let mut rng = Rng(o.seed ^ (n as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let mut t = o.now_ms - i64::from(o.days) * DAY + rng.range(0, HOUR);
            let mut state = "active";
            let mut cause = "poll";
            let mut qr: Option<i64> = None;
            while t < stop {
                let (len, detail) = match state {
                    "active" => (
                        ((-(1.0 - rng.unit()).ln()) * mean_up as f64) as i64 + 10 * MIN,
                        "Instancia activa",
                    ),
                    "inactive" => (rng.range(3 * MIN, 70 * MIN), "Instancia inactiva"),
                    "unknown" => (rng.range(MIN, 10 * MIN), "QRCODE"),
                    _ => (rng.range(MIN, 6 * MIN), "timeout"),
                };
                let mut end = (t + len).min(stop);
                // A night without a dashboard: the period stops at its last
                // check (+ grace) and nothing is recorded until morning.
                let gap = if rng.unit() < 0.08 {
                    rng.range(2 * HOUR, 9 * HOUR)
                } else {
                    0
                };
                let last = end == stop;
                let last_seen = if gap > 0 { end - o.grace_ms } else { end };
                if gap > 0 && last_seen <= t {
                    end = t + o.grace_ms;
                }
                insert.execute(params![
                    id,
                    t,
                    (!last).then_some(end),
                    last_seen.max(t),
                    o.grace_ms,
                    state,
                    detail,
                    cause,
                    qr
                ])?;
                written += 1;
                t = end + gap;
                qr = None;
                cause = "poll";
                state = match state {
                    "active" => {
                        let r = rng.unit();
                        if r < 0.15 {
                            "error"
                        } else if r < 0.25 {
                            "unknown"
                        } else {
                            if rng.unit() < 0.1 {
                                cause = "user_disconnect";
                            }
                            "inactive"
                        }
                    }
                    "error" => "active",
                    _ => {
                        if rng.unit() < 0.4 {
                            cause = "qr_linked";
                            qr = Some(rng.range(15_000, 150_000));
                        }
                        "active"
                    }
                };
            }
        }
    }
    tx.commit()?;
    Ok(written)
}
