//! Single-instance requests from the keyboard and their answers: sending
//! one call (the row's spinner), the confirmed disconnect, and where an
//! answer goes (close the form that sent it and remember on success, keep
//! the input and show the server's words on failure). The forms that send
//! them are `app::modes::form`.

use std::time::Duration;

use crate::app::modes::Mode;
use crate::app::modes::form::FormKind;
use crate::app::modes::form::profile::close_form;
use crate::app::state::{App, FlashKind};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::{ApiDone, CallError};
use crate::i18n::Strings;
use crate::profile_image;

const FLASH: Duration = Duration::from_secs(5);
/// Labels named in a bulk confirmation before "and N more".
pub const LABELS_SHOWN: usize = 3;

/// Refuses (with a message) when the dashboard is read-only.
pub fn refuse_read_only(app: &mut App) -> bool {
    if app.read_only {
        let s = app.strings();
        app.flash(s.read_only_refused, FlashKind::Error, FLASH);
    }
    app.read_only
}

/// The selected instance, if a change may be made to it now.
pub fn single_target(app: &mut App) -> Option<(String, String)> {
    if refuse_read_only(app) {
        return None;
    }
    let row = app.selected_row()?;
    let (id, label) = (row.id.clone(), row.label.clone());
    if app.busy.contains(&id) {
        let s = app.strings();
        app.flash(
            format!("{label}: {}", s.request_in_flight),
            FlashKind::Info,
            FLASH,
        );
        return None;
    }
    Some((id, label))
}

/// A failed call in the dashboard's language: the server's text, then
/// wadash's hint from this table (not the process-wide one).
pub fn error_text(e: &CallError, s: &Strings) -> String {
    match e {
        CallError::Api(e) => match e.server_text() {
            Some(text) => format!("{text} — {}", e.hint_in(s)),
            None => e.hint_in(s),
        },
        CallError::Local(text) => text.clone(),
    }
}

/// "20 instances: Lima, Cusco, Arequipa and 17 more".
pub fn labels_summary(app: &App, ids: &[String], s: &Strings) -> String {
    let labels: Vec<&str> = ids
        .iter()
        .take(LABELS_SHOWN)
        .map(|id| app.row(id).map(|r| r.label.as_str()).unwrap_or(id))
        .collect();
    let mut text = format!("{} {}: {}", ids.len(), s.instances_word, labels.join(", "));
    if ids.len() > LABELS_SHOWN {
        text.push_str(&format!(" … +{} {}", ids.len() - LABELS_SHOWN, s.and_more));
    }
    text
}

/// The confirmed single disconnect.
pub fn send_disconnect(app: &mut App, id: &str, effects: &mut Vec<Effect>) {
    if !app.busy.contains(id) {
        send(app, id, Call::Disconnect, effects);
    }
}

/// One single-instance request: marks the row busy for its spinner.
pub fn send(app: &mut App, id: &str, call: Call, effects: &mut Vec<Effect>) {
    let Some(row) = app.row(id) else { return };
    effects.push(Effect::Api {
        instance: id.to_string(),
        account: row.account,
        call,
        purpose: Purpose::Action,
    });
    app.busy.insert(id.to_string());
    app.dirty = true;
}

/// Where an answer to a `Purpose::Action` request goes.
pub fn on_action_answer(app: &mut App, done: ApiDone, effects: &mut Vec<Effect>) {
    app.busy.remove(&done.instance);
    app.dirty = true;
    let label = app
        .row(&done.instance)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| done.instance.clone());
    let form_waits =
        matches!(&app.mode, Mode::Form(f) if form_waits_for(&f.kind, &done.instance, &done.call));
    match done.result {
        Ok(reply) => {
            let at = app.wall_time(done.at);
            if remember(app, &done.instance, &done.call, at) {
                effects.push(Effect::SaveMemory(app.memory.clone()));
            }
            if matches!(done.call, Call::Disconnect) {
                on_disconnected(app, &done.instance, at, reply.text(), effects);
            }
            if form_waits {
                close_form(app);
            }
            app.flash(
                format!("{label}: {}", reply.text()),
                FlashKind::Success,
                FLASH,
            );
        }
        Err(e) => {
            let text = error_text(&e, app.strings());
            if form_waits && let Mode::Form(form) = &mut app.mode {
                form.submitting = false;
                form.error = Some(text.clone());
            }
            app.flash(format!("{label}: {text}"), FlashKind::Error, FLASH * 2);
        }
    }
}

/// Whether the open form is the one that sent this call.
fn form_waits_for(kind: &FormKind, instance: &str, call: &Call) -> bool {
    match (kind, call) {
        (FormKind::Name { id }, Call::Name(_))
        | (FormKind::Description { id }, Call::Description(_))
        | (FormKind::Picture { id }, Call::Picture(_)) => id == instance,
        (FormKind::AutoRead { ids, bulk, .. }, Call::AutoRead(_)) => {
            !bulk && ids.len() == 1 && ids[0] == instance
        }
        _ => false,
    }
}

/// Record a confirmed change; true when the memory changed.
pub(super) fn remember(app: &mut App, id: &str, call: &Call, at: std::time::SystemTime) -> bool {
    let memory = &mut app.memory;
    match call {
        Call::Name(v) => memory.record_name(id, v.clone(), at),
        Call::Description(v) => memory.record_description(id, v.clone(), at),
        // The text alone decides (this module does no I/O here): a pasted
        // payload is never remembered whole.
        Call::Picture(input) => {
            memory.record_picture(id, profile_image::classify_text(input).describe(), at)
        }
        Call::AutoRead(v) => memory.record_auto_read(id, *v, at),
        Call::Status | Call::Qr | Call::Disconnect => return false,
    }
    true
}

/// A disconnect from wadash succeeded (one row or a bulk run): check it
/// soon, record why it went down, and tell the alert engine it was meant.
pub(super) fn on_disconnected(
    app: &mut App,
    id: &str,
    at: std::time::SystemTime,
    server_text: &str,
    effects: &mut Vec<Effect>,
) {
    check_soon(app, id);
    effects.push(Effect::Record(crate::engine::observe::disconnected(
        id,
        at,
        server_text,
    )));
    let id = id.to_string();
    crate::app::update::monitor_command(
        app,
        crate::engine::monitor::Command::DisconnectedOnPurpose { id, at },
        effects,
    );
}

/// After a disconnect the status has changed: check it at the next tick
/// instead of waiting for the schedule.
pub(super) fn check_soon(app: &mut App, id: &str) {
    let now = app.monitor.now;
    if let Some(row) = app.row_mut(id) {
        row.next_poll = row.next_poll.min(now);
    }
}

#[cfg(test)]
pub(crate) mod tests;
