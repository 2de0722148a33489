//! The reconnect queue in the dashboard: `c` with rows marked, or
//! `:reconnect <filter>`, walks the QR pane through the instances one by
//! one (the queue's own rules are in `app::reconnect_queue`).

use crate::app::log::LogEntry;
use crate::app::log::LogLevel;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::modes::qr::close_qr_pane;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::domain::filter::Filter;
use crate::engine::pairing::qr_pane;
use crate::engine::pairing::qr_pane::QrPane;
use crate::engine::pairing::reconnect_queue::{Outcome, QueueItem, ReconnectQueue, Words};

fn words(app: &App) -> Words {
    Words::from_strings(app.strings())
}

/// The marked rows (in list order), for `c` with marks.
pub fn start_marked(app: &mut App) {
    let rows: Vec<usize> = app
        .view
        .iter()
        .copied()
        .filter(|&i| app.marks.contains(&app.monitor.rows[i].id))
        .collect();
    start_queue(app, rows);
}

/// `:reconnect status:inactive tag:peru`: every row the filter matches
/// (shown or not), in list order; without a filter, the marked rows.
pub fn start_filtered(app: &mut App, query: &str) {
    if query.trim().is_empty() {
        start_marked(app);
        return;
    }
    let filter = Filter::parse(query);
    if let Some(bad) = filter.errors.first() {
        let s = app.strings();
        let text = bad.describe(s);
        app.flash(text, FlashKind::Error, FLASH);
        return;
    }
    let mut rows: Vec<usize> = app
        .view
        .iter()
        .copied()
        .filter(|&i| filter.matches(&app.monitor.rows[i]))
        .collect();
    for i in 0..app.monitor.rows.len() {
        if !rows.contains(&i) && filter.matches(&app.monitor.rows[i]) {
            rows.push(i);
        }
    }
    start_queue(app, rows);
}

/// These instances (the inactive rows a filtered list showed), in order.
pub fn start_ids(app: &mut App, ids: &[String]) {
    let rows: Vec<usize> = ids
        .iter()
        .filter_map(|id| app.monitor.index.get(id).copied())
        .collect();
    start_queue(app, rows);
}

/// Active rows are left out: there is nothing to scan for them.
fn start_queue(app: &mut App, rows: Vec<usize>) {
    let items: Vec<QueueItem> = rows
        .into_iter()
        .map(|i| &app.monitor.rows[i])
        .filter(|row| !row.is_active())
        .map(|row| QueueItem {
            id: row.id.clone(),
            label: row.label.clone(),
            account: row.account,
        })
        .collect();
    if items.is_empty() {
        let s = app.strings();
        app.flash(s.q_none_to_link, FlashKind::Error, FLASH);
        return;
    }
    app.reconnect = Some(ReconnectQueue::new(items));
    open_current(app);
}

fn open_current(app: &mut App) {
    let Some(item) = app.reconnect.as_ref().and_then(|q| q.current()).cloned() else {
        finish_queue(app);
        return;
    };
    let pane = QrPane::open(
        item.id,
        item.label,
        item.account,
        false,
        app.qr_refresh,
        app.monitor.now,
    );
    app.mode = Mode::Qr(Box::new(pane));
    app.dirty = true;
}

/// The pane of a queue closed by itself (linked, or found already active):
/// record it and go on.
pub fn pane_done(app: &mut App, outcome: Outcome) {
    let Some(queue) = app.reconnect.as_mut() else {
        return;
    };
    let label = queue.current().map(|i| i.label.clone()).unwrap_or_default();
    let linked = matches!(outcome, Outcome::Linked { .. });
    let next = queue.resolve(outcome).map(|i| i.label.clone());
    if linked && let Some(next) = &next {
        let s = app.strings();
        app.flash(
            format!("✓ {label} {} {next}", s.q_linked_next),
            FlashKind::Success,
            FLASH,
        );
    }
    open_current(app);
}

/// `Tab`: skip this one (counted as failed when its code could not be had).
pub fn skip(app: &mut App) {
    let outcome = match &app.mode {
        Mode::Qr(pane) => match &pane.problem {
            Some(qr_pane::Problem::Request(text)) => Outcome::Failed(text.clone()),
            Some(qr_pane::Problem::Undecodable { why, .. }) => Outcome::Failed(why.clone()),
            None => Outcome::Skipped,
        },
        _ => Outcome::Skipped,
    };
    close_qr_pane(app);
    pane_done(app, outcome);
}

/// `Esc` in a queue: stop; the summary says what was not reached.
pub fn leave(app: &mut App) {
    close_qr_pane(app);
    if let Some(queue) = app.reconnect.as_mut() {
        queue.leave();
    }
    finish_queue(app);
}

/// The summary goes to the event log (and the log view opens on it): the
/// counts, then one entry per instance; the counts also show as a flash.
fn finish_queue(app: &mut App) {
    let Some(queue) = app.reconnect.take() else {
        return;
    };
    let w = words(app);
    let head = queue.summary_head(&w);
    let wall = app.wall_time(app.monitor.now);
    let entry = |instance: String, outcome: String, level| LogEntry {
        at: wall,
        instance,
        endpoint: "reconnect".into(),
        outcome,
        latency: None,
        level,
    };
    app.log
        .push(entry(String::new(), head.clone(), LogLevel::Ok));
    for (item, outcome) in queue.outcomes() {
        let level = match outcome {
            Outcome::Linked { .. } | Outcome::AlreadyActive => LogLevel::Ok,
            _ => LogLevel::Warn,
        };
        let text = crate::engine::pairing::reconnect_queue::outcome_text(outcome, &w);
        app.log.push(entry(item.label.clone(), text, level));
    }
    app.log.scroll = 0;
    app.flash(head, FlashKind::Success, FLASH * 3);
    app.mode = Mode::Log;
    app.dirty = true;
}
