//! Polling: which rows are due, the in-flight cap, and what a status answer teaches.

use super::*;
use crate::app::fair;

/// Rows due for a poll, earliest first. Rebuilt on each tick so that a
/// finishing poll can hand its slot to the next row in O(1).
/// Rows whose last check timed out queue apart (see `fair`).
pub(super) fn rebuild_due(app: &mut App) {
    let now = app.now;
    let mut due: Vec<usize> = (0..app.rows.len())
        .filter(|&i| !app.rows[i].polling && app.rows[i].next_poll <= now)
        .collect();
    due.sort_by_key(|&i| app.rows[i].next_poll);
    let (slow, healthy): (Vec<usize>, Vec<usize>) =
        due.into_iter().partition(|&i| fair::is_slow(&app.rows[i]));
    app.due = healthy.into();
    app.lanes.due_slow = slow.into();
}

/// On each tick: checks open too long join the slow lane's account (see
/// `fair`), so hung servers are bounded before their first timeout.
pub(super) fn note_overdue(app: &mut App) {
    let now = app.now;
    let after = app.lanes.overdue_after();
    for row in app.rows.iter().filter(|r| r.polling) {
        if let Some(started) = row.poll_started {
            app.lanes.note_open(&row.id, started, now, after);
        }
    }
}

/// Start due polls up to the cap, earliest first, the slow lane held to its
/// share of it so healthy rows keep their slots while servers hang.
pub(super) fn dispatch_polls(app: &mut App, effects: &mut Vec<Effect>) {
    if app.polling.paused {
        return;
    }
    while app
        .lanes
        .may_start(app.polling.in_flight, app.polling.max_in_flight)
    {
        let front = |queue: &std::collections::VecDeque<usize>| {
            queue
                .front()
                .and_then(|&i| app.rows.get(i))
                .map(|r| r.next_poll)
        };
        let pick = app.lanes.pick(
            front(&app.due),
            front(&app.lanes.due_slow),
            app.polling.max_in_flight,
        );
        let (i, slow) = match pick {
            None => break,
            Some(fair::Pick::Healthy) => (app.due.pop_front(), false),
            Some(fair::Pick::Slow) => (app.lanes.due_slow.pop_front(), true),
        };
        let Some(i) = i else { break };
        let Some(row) = app.rows.get_mut(i) else {
            continue;
        };
        if row.polling || row.next_poll > app.now {
            continue;
        }
        if slow {
            app.lanes.slow_in_flight.insert(row.id.clone());
        }
        start_poll(app, i, Purpose::Poll, effects);
    }
}

/// Mark a row as being checked and ask for its status.
pub(super) fn start_poll(app: &mut App, i: usize, purpose: Purpose, effects: &mut Vec<Effect>) {
    let row = &mut app.rows[i];
    row.polling = true;
    row.poll_started = Some(app.now);
    app.polling.in_flight += 1;
    effects.push(Effect::Api {
        instance: row.id.clone(),
        account: row.account,
        call: Call::Status,
        purpose,
    });
}

/// `r`: check one instance now, outside the schedule and the cap (one
/// request), but never twice at once.
pub(super) fn refresh_one(app: &mut App, i: usize, effects: &mut Vec<Effect>) {
    if app.rows[i].polling {
        return;
    }
    start_poll(app, i, Purpose::Refresh, effects);
    app.dirty = true;
}

pub(super) fn refresh_all(app: &mut App) {
    let now = app.now;
    for row in &mut app.rows {
        row.next_poll = now;
    }
    rebuild_due(app);
    let s = app.strings();
    app.flash(
        format!("{} ({})", s.refreshing, app.rows.len()),
        FlashKind::Info,
        FLASH,
    );
}

pub(super) fn toggle_pause(app: &mut App, force: Option<bool>) {
    app.polling.paused = force.unwrap_or(!app.polling.paused);
    let s = app.strings();
    let text = if app.polling.paused {
        s.polling_paused
    } else {
        s.polling_resumed
    };
    app.flash(text, FlashKind::Info, FLASH);
}

pub(super) fn on_api(app: &mut App, done: ApiDone, effects: &mut Vec<Effect>) {
    let label = app
        .row(&done.instance)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| done.instance.clone());
    log_call(app, &done, &label);
    if done.purpose == Purpose::QrPane {
        on_qr_pane_answer(app, done, &label, effects);
        return;
    }
    if done.call == Call::Status {
        record_history(app, &done, Cause::Poll, effects);
    }
    match (&done.call, done.purpose) {
        (Call::Status, _) => on_status(app, done, &label),
        (_, Purpose::Action) => actions::on_done(app, done, effects),
        (_, Purpose::Bulk) => bulk::on_done(app, done, effects),
        _ => {
            // No other path sends these; if one ever does, say what came back.
            match &done.result {
                Ok(reply) => app.flash(
                    format!("{label}: {}", reply.text()),
                    FlashKind::Success,
                    FLASH,
                ),
                Err(e) => app.flash(format!("{label}: {e}"), FlashKind::Error, FLASH * 2),
            }
        }
    }
}

pub(super) fn log_call(app: &mut App, done: &ApiDone, label: &str) {
    let (outcome, level) = match &done.result {
        Ok(reply) => (reply.text().to_string(), LogLevel::Ok),
        Err(CallError::Api(e)) => (format!("{} ({})", e, e.kind()), LogLevel::Error),
        Err(CallError::Local(e)) => (e.clone(), LogLevel::Warn),
    };
    let entry = LogEntry {
        at: app.wall_time(done.at),
        instance: label.to_string(),
        endpoint: done.call.endpoint().name().to_string(),
        outcome,
        latency: Some(done.latency),
        level,
    };
    app.log.push(entry);
}

pub(super) fn on_status(app: &mut App, done: ApiDone, label: &str) {
    // The row may be gone (removed while the poll was in flight).
    if let Some(row) = app.row_mut(&done.instance) {
        row.polling = false;
        row.poll_started = None;
    }
    app.polling.in_flight = app.polling.in_flight.saturating_sub(1);
    app.lanes.finished(&done.instance);
    if done.result.is_ok() {
        app.lanes.answered(done.latency);
    }
    record_status(app, done, label);
}

/// What any status answer teaches about its row (history, backoff,
/// transitions), whoever asked: the poller or the QR pane. The alert engine
/// hears it too; its events (bell, highlight, delivery) come out on ticks.
pub(super) fn record_status(app: &mut App, done: ApiDone, _label: &str) {
    let interval = app.polling.interval;
    let sort = app.sort;
    let seen = crate::alerts::feed::seen_of(&done.result);
    let Some(row) = app.row_mut(&done.instance) else {
        return;
    };
    let health_before = row.health();
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
    match done.result {
        Ok(Reply::Status(reply)) => {
            let previous = row.status.clone();
            row.error = None;
            row.consecutive_errors = 0;
            if previous.as_ref() != Some(&reply.status) {
                row.changed_at = Some(done.at);
                changed = true;
            }
            let mark = match reply.status {
                InstanceStatus::Active => {
                    row.active_checks += 1;
                    CheckMark::Active
                }
                InstanceStatus::Inactive => CheckMark::Inactive,
                InstanceStatus::Unknown(_) => CheckMark::Unknown,
            };
            row.push_mark(mark);
            row.status = Some(reply.status);
            row.next_poll =
                done.at + schedule::next_delay(interval, schedule::seed(&row.id, row.checks));
        }
        Ok(_) => {}
        Err(e) => {
            row.consecutive_errors += 1;
            row.push_mark(CheckMark::Error);
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
        }
    }
    // Re-sort only for what the filter and the order read: most answers
    // change nothing there, and 10,000 rows answer often.
    let reorders = row.health() != health_before
        || match sort {
            SortKey::Status | SortKey::Label => false,
            SortKey::LastChange => changed,
            SortKey::Latency => true,
            SortKey::Uptime | SortKey::Drops => false,
        };
    if reorders {
        app.view_stale = true;
    }
    if done.purpose == Purpose::Poll {
        app.cycle.observe(done.at, cycle_gap, done.latency);
    }
    app.dirty = true;
    if let Some((seen, detail)) = seen {
        crate::alerts::feed::observe(app, &done.instance, seen, &detail, done.at);
    }
}

/// Every status answer goes to the history store, whoever asked for it.
pub(super) fn record_history(app: &App, done: &ApiDone, cause: Cause, effects: &mut Vec<Effect>) {
    if let Some(obs) = crate::history::observe::from_answer(done, app.wall_time(done.at), cause) {
        effects.push(Effect::Record(obs));
    }
}
