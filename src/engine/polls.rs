//! Polling: which rows are due, the in-flight cap, and what a status answer
//! teaches (the row, the schedule, the cycle, history and alerts).

use std::collections::VecDeque;

use crate::domain::{Cause, Health, InstanceStatus, Seen};
use crate::engine::alerts::feed;
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::event::Event;
use crate::engine::fair::{self, Pick};
use crate::engine::monitor::{Monitor, Step};
use crate::engine::msg::{ApiDone, CallError, Reply};
use crate::engine::observe;
use crate::engine::schedule;

/// Rows due for a poll, earliest first. Rebuilt on each tick so that a
/// finishing poll can hand its slot to the next row in O(1).
/// Rows whose last check timed out queue apart (see `fair`).
pub fn rebuild_due(m: &mut Monitor) {
    let now = m.now;
    let mut due: Vec<usize> = (0..m.rows.len())
        .filter(|&i| !m.rows[i].polling && m.rows[i].next_poll <= now)
        .collect();
    due.sort_by_key(|&i| m.rows[i].next_poll);
    let (slow, healthy): (Vec<usize>, Vec<usize>) =
        due.into_iter().partition(|&i| fair::is_slow(&m.rows[i]));
    m.due = healthy.into();
    m.lanes.due_slow = slow.into();
}

/// On each tick: checks open too long join the slow lane's account (see
/// `fair`), so hung servers are bounded before their first timeout.
pub fn note_overdue(m: &mut Monitor) {
    let now = m.now;
    let after = m.lanes.overdue_after();
    for row in m.rows.iter().filter(|r| r.polling) {
        if let Some(started) = row.poll_started {
            m.lanes.note_open(&row.id, started, now, after);
        }
    }
}

/// Start due polls up to the cap, earliest first, the slow lane held to its
/// share of it so healthy rows keep their slots while servers hang.
pub fn dispatch(m: &mut Monitor, out: &mut Step) {
    if m.polling.paused {
        return;
    }
    while m
        .lanes
        .may_start(m.polling.in_flight, m.polling.max_in_flight)
    {
        let front = |queue: &VecDeque<usize>| {
            queue
                .front()
                .and_then(|&i| m.rows.get(i))
                .map(|r| r.next_poll)
        };
        let pick = m.lanes.pick(
            front(&m.due),
            front(&m.lanes.due_slow),
            m.polling.max_in_flight,
        );
        let (i, slow) = match pick {
            None => break,
            Some(Pick::Healthy) => (m.due.pop_front(), false),
            Some(Pick::Slow) => (m.lanes.due_slow.pop_front(), true),
        };
        let Some(i) = i else { break };
        let Some(row) = m.rows.get_mut(i) else {
            continue;
        };
        if row.polling || row.next_poll > m.now {
            continue;
        }
        if slow {
            m.lanes.slow_in_flight.insert(row.id.clone());
        }
        start_poll(m, i, Purpose::Poll, out);
    }
}

/// Mark a row as being checked and ask for its status.
fn start_poll(m: &mut Monitor, i: usize, purpose: Purpose, out: &mut Step) {
    let row = &mut m.rows[i];
    row.polling = true;
    row.poll_started = Some(m.now);
    m.polling.in_flight += 1;
    out.effects.push(Effect::Api {
        instance: row.id.clone(),
        account: row.account,
        call: Call::Status,
        purpose,
    });
}

/// `r`: check one instance now, outside the schedule and the cap (one
/// request), but never twice at once.
pub fn refresh_one(m: &mut Monitor, i: usize, out: &mut Step) {
    if m.rows[i].polling {
        return;
    }
    start_poll(m, i, Purpose::Refresh, out);
}

/// Every row due now; the cap still holds.
pub fn refresh_all(m: &mut Monitor) {
    let now = m.now;
    for row in &mut m.rows {
        row.next_poll = now;
    }
    rebuild_due(m);
}

/// A status answer, whoever asked for it (the poller, `r`, the QR pane).
/// Other answers are the face's (forms, bulk runs).
pub fn on_answer(m: &mut Monitor, done: ApiDone, out: &mut Step) {
    if done.call != Call::Status {
        return;
    }
    if matches!(done.purpose, Purpose::Poll | Purpose::Refresh) {
        if let Some(row) = m.row_mut(&done.instance) {
            row.polling = false;
            row.poll_started = None;
        }
        m.polling.in_flight = m.polling.in_flight.saturating_sub(1);
        m.lanes.finished(&done.instance);
        if done.result.is_ok() {
            m.lanes.answered(done.latency);
        }
    }
    let wall = m.wall_time(done.at);
    if let Some(obs) = observe::from_answer(&done, wall, Cause::Poll) {
        out.effects.push(Effect::Record(obs));
    }
    record_status(m, done, out);
}

/// What a status answer teaches about its row (backoff, transitions); the
/// alert engine hears it too.
fn record_status(m: &mut Monitor, done: ApiDone, out: &mut Step) {
    let interval = m.polling.interval;
    let now = m.now;
    let at = m.wall_time(done.at);
    let Some(&i) = m.index.get(&done.instance) else {
        return;
    };
    let row = &mut m.rows[i];
    let health_before = row.health();
    let since_before = row.changed_at;
    // For the achieved cycle: the gap since this instance's previous
    // scheduled check (after errors the backoff is deliberate, not slowness).
    let cycle_gap = if done.purpose == Purpose::Poll && row.consecutive_errors == 0 {
        row.checked_at
            .map(|prev| done.at.saturating_duration_since(prev))
    } else {
        None
    };
    row.checked_at = Some(done.at);
    row.latency = Some(done.latency);
    row.checks += 1;
    let mut changed = false;
    let (seen, detail) = match done.result {
        Ok(Reply::Status(reply)) => {
            let (seen, detail) = Seen::of_reply(&reply.status, &reply.text);
            if row.status.as_ref() != Some(&reply.status) {
                row.changed_at = Some(done.at);
                changed = true;
            }
            row.error = None;
            row.consecutive_errors = 0;
            if seen == Seen::Active {
                row.active_checks += 1;
            }
            row.push_mark(seen);
            row.status = Some(reply.status);
            row.next_poll =
                done.at + schedule::next_delay(interval, schedule::seed(&row.id, row.checks));
            (seen, detail)
        }
        // Not a status reply: nothing to learn about the status.
        Ok(_) => return,
        Err(e) => {
            row.consecutive_errors += 1;
            row.push_mark(Seen::Error);
            let detail = e.to_string();
            row.error = Some(match e {
                CallError::Api(e) => e,
                CallError::Local(text) => crate::api::ApiError::Transport { detail: text },
            });
            row.next_poll = done.at
                + schedule::backoff_delay(
                    interval,
                    row.consecutive_errors,
                    schedule::seed(&row.id, row.checks),
                );
            (Seen::Error, detail)
        }
    };
    let health = row.health();
    out.events.push(Event::Checked {
        id: done.instance.clone(),
        seen,
        latency: done.latency,
        previous: health_before,
        health,
        changed,
        at,
    });
    if health != health_before && health_before != Health::NotChecked {
        let row = &m.rows[i];
        let detail = match (&row.error, &row.status) {
            (Some(e), _) => Some(e.to_string()),
            (None, Some(InstanceStatus::Unknown(text))) => Some(text.clone()),
            _ => None,
        };
        out.events.push(Event::StatusChanged {
            id: row.id.clone(),
            label: row.label.clone(),
            account: m.account_name(row).to_string(),
            from: health_before,
            to: health,
            was_for: since_before.map(|t| now.saturating_duration_since(t)),
            detail,
        });
    }
    if health_before == Health::NotChecked && health != Health::NotChecked {
        m.unchecked = m.unchecked.saturating_sub(1);
    }
    if m.unchecked == 0 && !m.first_round_told {
        m.first_round_told = true;
        let [active, inactive, error, unknown, _] = m.counts();
        out.events.push(Event::FirstRound {
            counts: [active, inactive, error, unknown],
        });
    }
    if done.purpose == Purpose::Poll {
        m.cycle.observe(done.at, cycle_gap, done.latency);
    }
    feed::observe(m, &done.instance, seen, &detail, at);
}
