//! Marks and bulk actions: Space / `*` / `u` mark instances; `a` and `D`
//! with marks send one request per marked instance (Purpose::Bulk; the
//! worker bounds the concurrency), count progress, and at the end keep the
//! failures marked so they can be retried, with their reasons in the log.

use std::collections::HashSet;
use std::time::Duration;

use super::actions;
use super::log::{LogEntry, LogLevel};
use super::state::{App, FlashKind};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::ApiDone;
use crate::i18n::Strings;

/// The progress line stays up this long after the last answer.
const PROGRESS: Duration = Duration::from_secs(60);
const SUMMARY: Duration = Duration::from_secs(30);
/// Failures named in the summary line (all are in the log).
const FAILURES_SHOWN: usize = 3;

/// What a bulk run does to each instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkWhat {
    AutoRead(bool),
    Disconnect,
}

impl BulkWhat {
    fn call(self) -> Call {
        match self {
            BulkWhat::AutoRead(on) => Call::AutoRead(on),
            BulkWhat::Disconnect => Call::Disconnect,
        }
    }

    pub fn describe(self, s: &Strings) -> String {
        match self {
            BulkWhat::AutoRead(on) => {
                format!("{} {}", s.auto_read_bulk, if on { s.on } else { s.off })
            }
            BulkWhat::Disconnect => s.disconnect_word.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkFailure {
    pub id: String,
    pub label: String,
    pub reason: String,
}

/// One bulk run: what it does, how far it got, what failed.
#[derive(Debug, Clone)]
pub struct BulkRun {
    pub what: BulkWhat,
    pub total: usize,
    pub done: usize,
    pub failures: Vec<BulkFailure>,
    /// Instances whose answer has not come back yet.
    pub pending: HashSet<String>,
    /// Some success changed the memory: save it once, at the end.
    pub remembered: bool,
}

impl BulkRun {
    pub fn finished(&self) -> bool {
        self.pending.is_empty()
    }

    /// "auto-read on: 7/20 done, 1 failed".
    pub fn progress(&self, s: &Strings) -> String {
        format!(
            "{}: {}/{} {}, {} {}",
            self.what.describe(s),
            self.done,
            self.total,
            s.done_word,
            self.failures.len(),
            s.failed_word
        )
    }
}

/// Marked ids in the order the table shows them, then any marked rows the
/// filter hides (marks survive filtering).
pub fn marked_ids(app: &App) -> Vec<String> {
    let mut ids: Vec<String> = app
        .view
        .iter()
        .map(|&i| &app.monitor.rows[i].id)
        .filter(|id| app.marks.contains(*id))
        .cloned()
        .collect();
    let shown: HashSet<&String> = ids.iter().collect();
    let hidden: Vec<String> = app
        .marks
        .iter()
        .filter(|id| !shown.contains(id) && app.monitor.index.contains_key(*id))
        .cloned()
        .collect();
    ids.extend(hidden);
    ids
}

/// Space: mark or unmark the selected instance and move down.
pub fn toggle_mark(app: &mut App) {
    let Some(id) = app.selected_id() else { return };
    if !app.marks.remove(&id) {
        app.marks.insert(id);
    }
    if app.selected + 1 < app.view.len() {
        app.selected += 1;
    }
    app.dirty = true;
}

/// `*`: mark every instance the current filter shows.
pub fn mark_all_shown(app: &mut App) {
    if !app.filter.is_valid() {
        // The view is empty then anyway; say why nothing was marked.
        let s = app.strings();
        app.flash(
            s.filter_nothing_marked,
            FlashKind::Error,
            Duration::from_secs(5),
        );
        return;
    }
    let ids: Vec<String> = app
        .view
        .iter()
        .map(|&i| app.monitor.rows[i].id.clone())
        .collect();
    app.marks.extend(ids);
    let s = app.strings();
    app.flash(
        format!("▶ {} {}", app.marks.len(), s.marked),
        FlashKind::Info,
        Duration::from_secs(5),
    );
}

/// `u`: clear every mark.
pub fn clear_marks(app: &mut App) {
    app.marks.clear();
    let s = app.strings();
    app.flash(s.marks_cleared, FlashKind::Info, Duration::from_secs(5));
}

/// True (with a message) while a bulk run still waits for answers: one
/// progress line at a time keeps the counts meaningful.
pub fn refuse_if_running(app: &mut App) -> bool {
    let running = app.bulk.as_ref().is_some_and(|b| !b.finished());
    if running {
        let s = app.strings();
        app.flash(s.bulk_running, FlashKind::Error, Duration::from_secs(5));
    }
    running
}

/// Send `call` to every instance in `ids`.
pub fn start_bulk(app: &mut App, ids: Vec<String>, call: Call, effects: &mut Vec<Effect>) {
    if actions::refuse_read_only(app) || refuse_if_running(app) {
        return;
    }
    let what = match call {
        Call::AutoRead(on) => BulkWhat::AutoRead(on),
        Call::Disconnect => BulkWhat::Disconnect,
        _ => return,
    };
    let s = app.strings();
    let mut run = BulkRun {
        what,
        total: 0,
        done: 0,
        failures: Vec::new(),
        pending: HashSet::new(),
        remembered: false,
    };
    for id in ids {
        let Some(row) = app.row(&id) else { continue };
        run.total += 1;
        // One request per instance at a time: one already flying (from a
        // single action) counts as a failure to retry, not a second request.
        if app.busy.contains(&id) {
            run.done += 1;
            run.failures.push(BulkFailure {
                label: row.label.clone(),
                id,
                reason: s.request_in_flight.to_string(),
            });
            continue;
        }
        effects.push(Effect::Api {
            instance: id.clone(),
            account: row.account,
            call: what.call(),
            purpose: Purpose::Bulk,
        });
        app.busy.insert(id.clone());
        run.pending.insert(id);
    }
    let line = run.progress(s);
    app.bulk = Some(run);
    app.show_progress(line, FlashKind::Info, PROGRESS);
    if app.bulk.as_ref().is_some_and(BulkRun::finished) {
        finish_bulk(app, effects);
    }
}

/// One answer of a bulk run.
pub fn on_bulk_answer(app: &mut App, done: ApiDone, effects: &mut Vec<Effect>) {
    app.busy.remove(&done.instance);
    app.dirty = true;
    let counted = app
        .bulk
        .as_mut()
        .is_some_and(|run| run.pending.remove(&done.instance));
    if !counted {
        // Not part of the current run (should not happen): still say it.
        let text = match &done.result {
            Ok(reply) => reply.text().to_string(),
            Err(e) => actions::error_text(e, app.strings()),
        };
        app.flash(
            format!("{}: {text}", done.instance),
            FlashKind::Info,
            Duration::from_secs(5),
        );
        return;
    }
    let label = app
        .row(&done.instance)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| done.instance.clone());
    let mut remembered = false;
    match &done.result {
        Ok(reply) => {
            let at = app.wall_time(done.at);
            remembered = actions::remember(app, &done.instance, &done.call, at);
            if matches!(done.call, Call::Disconnect) {
                actions::on_disconnected(app, &done.instance, at, reply.text(), effects);
            }
            // Done: unmarked, so what stays marked is what needs a retry.
            app.marks.remove(&done.instance);
        }
        Err(e) => {
            let s = app.strings();
            if let Some(run) = app.bulk.as_mut() {
                run.failures.push(BulkFailure {
                    id: done.instance.clone(),
                    label,
                    reason: actions::error_text(e, s),
                });
            }
        }
    }
    let s = app.strings();
    let Some(run) = app.bulk.as_mut() else { return };
    run.done += 1;
    // Saved once at the end, not once per instance.
    run.remembered |= remembered;
    let line = run.progress(s);
    let finished = run.finished();
    app.show_progress(line, FlashKind::Info, PROGRESS);
    if finished {
        finish_bulk(app, effects);
    }
}

/// The summary: success line, or the failures (kept marked) with reasons
/// in the status bar and one log line each.
fn finish_bulk(app: &mut App, effects: &mut Vec<Effect>) {
    let s = app.strings();
    let Some(run) = app.bulk.clone() else { return };
    if run.remembered {
        effects.push(Effect::SaveMemory(app.memory.clone()));
    }
    let mut line = run.progress(s);
    if run.failures.is_empty() {
        app.flash(line, FlashKind::Success, SUMMARY);
        return;
    }
    let at = app.wall_time(app.monitor.now);
    for failure in &run.failures {
        app.log.push(LogEntry {
            at,
            instance: failure.label.clone(),
            endpoint: format!("bulk {}", run.what.describe(s)),
            outcome: failure.reason.clone(),
            latency: None,
            level: LogLevel::Error,
        });
    }
    let named: Vec<String> = run
        .failures
        .iter()
        .take(FAILURES_SHOWN)
        .map(|f| format!("{} ({})", f.label, f.reason))
        .collect();
    line.push_str(" — ");
    line.push_str(&named.join("; "));
    if run.failures.len() > FAILURES_SHOWN {
        line.push_str(&format!(
            " … +{} {}",
            run.failures.len() - FAILURES_SHOWN,
            s.and_more
        ));
    }
    line.push_str(" — ");
    line.push_str(s.failures_kept_marked);
    app.flash(line, FlashKind::Error, SUMMARY);
}

#[cfg(test)]
mod tests;
