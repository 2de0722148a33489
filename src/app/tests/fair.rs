//! The slow lane driven through `update`: a simulated clock, 40 instances of
//! which 12 always hang until the 15 s timeout, a cap of 8, interval 3 s.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::api::{ApiError, InstanceStatus, StatusReply};
use crate::app::msg::Msg;
use crate::app::tests::app_with;
use crate::app::update;
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::fair::slow_cap;
use crate::engine::msg::{ApiDone, CallError, CoreMsg, Reply};

const TIMEOUT: Duration = Duration::from_secs(15);

fn answer(id: &str, at: Instant, hung: bool) -> Msg {
    Msg::Core(CoreMsg::Api(ApiDone {
        instance: id.into(),
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: if hung {
            TIMEOUT
        } else {
            Duration::from_millis(30)
        },
        result: if hung {
            Err(CallError::Api(ApiError::Timeout { after: TIMEOUT }))
        } else {
            Ok(Reply::Status(StatusReply {
                text: "Instancia activa".into(),
                status: InstanceStatus::Active,
            }))
        },
    }))
}

struct Run {
    /// Largest gap between checks of a healthy row after the first minute.
    worst: Duration,
    /// Largest wait of a healthy row in the first 20 s (from the start to
    /// its first check, or between checks): before anything timed out.
    worst_first_sweep: Duration,
    /// Most checks counted as waiting on slow servers at once.
    most_slow: usize,
    most_in_flight: usize,
}

/// Runs 120 simulated seconds.
fn simulate() -> Run {
    let t0 = Instant::now();
    let mut app = app_with(40, 8, t0);
    app.monitor.polling.interval = Duration::from_secs(3);
    let hung = |id: &str| id.trim_start_matches("ID").parse::<u32>().unwrap() % 10 < 3;
    // Answers due, by time (ms since t0) → ids.
    let mut pending: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut last_check: BTreeMap<String, Instant> = BTreeMap::new();
    let mut worst = Duration::ZERO;
    let mut worst_first_sweep = Duration::ZERO;
    let mut most_slow = 0;
    let mut most_in_flight = 0;
    for ms in (0..120_000u64).step_by(50) {
        let now = t0 + Duration::from_millis(ms);
        let mut effects = update(&mut app, Msg::tick(now));
        let due: Vec<u64> = pending.range(..=ms).map(|(k, _)| *k).collect();
        for k in due {
            for id in pending.remove(&k).unwrap() {
                let h = hung(&id);
                if !h {
                    let prev = last_check.insert(id.clone(), now).unwrap_or(t0);
                    if ms > 60_000 {
                        worst = worst.max(now - prev);
                    }
                    if ms <= 20_000 {
                        worst_first_sweep = worst_first_sweep.max(now - prev);
                    }
                }
                effects.extend(update(&mut app, answer(&id, now, h)));
            }
        }
        for e in effects {
            if let Effect::Api {
                instance,
                call: Call::Status,
                ..
            } = e
            {
                let after = if hung(&instance) {
                    TIMEOUT
                } else {
                    Duration::from_millis(30)
                };
                let at = ms + after.as_millis() as u64;
                pending.entry(at).or_default().push(instance);
            }
        }
        most_slow = most_slow.max(app.monitor.lanes.waiting_on_slow());
        most_in_flight = most_in_flight.max(app.monitor.polling.in_flight);
    }
    Run {
        worst,
        worst_first_sweep,
        most_slow,
        most_in_flight,
    }
}

#[test]
fn hung_servers_hold_at_most_the_slow_lane_and_healthy_rows_stay_fresh() {
    let Run {
        worst, most_slow, ..
    } = simulate();
    // The 12 hung rows: in the slow lane or overdue, never more.
    assert!(most_slow <= 12, "{most_slow} slow polls at once");
    assert!(most_slow >= slow_cap(8), "the slow lane was used");
    // Interval 3 s ± 10 % jitter plus a tick: never stale by a whole timeout.
    assert!(
        worst < Duration::from_secs(5),
        "a healthy row waited {worst:?}"
    );
}

#[test]
fn before_the_first_timeout_hung_checks_stop_holding_the_healthy_slots() {
    let Run {
        worst_first_sweep,
        most_in_flight,
        ..
    } = simulate();
    // Without overdue checks leaving the cap, the first sweep's hung
    // checks held every slot for the whole 15 s timeout.
    assert!(
        worst_first_sweep < Duration::from_secs(6),
        "a healthy row waited {worst_first_sweep:?} in the first sweep"
    );
    // Connections stay bounded: the cap plus the excused overdue checks.
    assert!(
        most_in_flight <= 8 + crate::engine::fair::EXCUSED_MAX,
        "{most_in_flight} in flight"
    );
}
