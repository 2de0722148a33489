//! Single-instance actions from the keyboard: the name, description and
//! picture forms, the auto-read toggle and disconnect. Opening a form,
//! validating it as typed, turning a submit into one `Effect::Api`, and
//! handling the answer (close + remember on success, keep the input and
//! show the server's words on failure).
//!
//! Pure like the rest of `update`, with one deliberate exception: Tab in the
//! picture field lists one directory synchronously (`read_dir`, bounded) to
//! complete a file name. A directory listing is fast, only happens on an
//! explicit key press, and going through the worker would make completion
//! lag a frame behind the key.

use std::time::Duration;

use ratatui::crossterm::event::KeyEvent;
use tui_input::backend::crossterm::to_input_request;

use super::bulk;
use super::form::{Field, Form, FormKind};
use super::state::{App, Confirm, FlashKind, Mode, Pending, PictureState};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::ApiDone;
use crate::i18n::Strings;
use crate::keys::Action;
use crate::profile_image;
use crate::profile_text::{self, DESCRIPTION_MAX, NAME_MAX, ProfileTextError};

const FLASH: Duration = Duration::from_secs(5);
/// Labels named in a bulk confirmation before "and N more".
pub const LABELS_SHOWN: usize = 3;

/// Refuses (with a message) when the dashboard is read-only.
pub(super) fn refuse_read_only(app: &mut App) -> bool {
    if app.read_only {
        let s = app.strings();
        app.flash(s.read_only_refused, FlashKind::Error, FLASH);
    }
    app.read_only
}

/// The selected instance, if a change may be made to it now.
fn single_target(app: &mut App) -> Option<(String, String)> {
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

/// `n`: the name form, prefilled with the last name set from wadash.
pub fn open_name(app: &mut App) {
    let s = app.strings();
    open_text_form(
        app,
        |m| m.name.as_ref(),
        |id| FormKind::Name { id },
        s.name_title,
        Field::new(s.field_name).with_max(NAME_MAX),
    );
}

/// `d`: the description form.
pub fn open_description(app: &mut App) {
    let s = app.strings();
    open_text_form(
        app,
        |m| m.description.as_ref(),
        |id| FormKind::Description { id },
        s.description_title,
        Field::new(s.field_description).with_max(DESCRIPTION_MAX),
    );
}

/// A one-field form on the selected instance, prefilled from what wadash
/// last set there.
fn open_text_form(
    app: &mut App,
    remembered: impl Fn(&crate::memory::Remembered) -> Option<&crate::memory::Stamped<String>>,
    kind: impl FnOnce(String) -> FormKind,
    title: &str,
    field: Field,
) {
    let Some((id, label)) = single_target(app) else {
        return;
    };
    let prefill = app
        .memory
        .get(&id)
        .and_then(remembered)
        .map(|v| v.value.clone())
        .unwrap_or_default();
    let note = super::bulk_confirm::only_this_row_note(app);
    app.mode = Mode::Form(Form::new(
        kind(id),
        format!("{title} — {label}{note}"),
        vec![field.with_value(prefill)],
    ));
}

/// `i`: the picture form. Prefilled with the last source only when it was a
/// path or URL (never the summary of a paste, which cannot be sent again).
pub fn open_picture(app: &mut App) {
    let Some((id, label)) = single_target(app) else {
        return;
    };
    let s = app.strings();
    let prefill = app
        .memory
        .get(&id)
        .and_then(|m| m.picture.as_ref())
        .map(|v| v.value.clone())
        .filter(|v| profile_image::can_send_again(v))
        .unwrap_or_default();
    app.picture = PictureState {
        seq: app.picture.seq,
        ..PictureState::default()
    };
    let note = super::bulk_confirm::only_this_row_note(app);
    app.mode = Mode::Form(Form::new(
        FormKind::Picture { id },
        format!("{} — {label}{note}", s.picture_title),
        vec![Field::new(s.field_picture).with_value(prefill)],
    ));
}

/// `a`: with marks, ask on/off once for all of them; otherwise send the
/// opposite of the remembered value at once, or ask when it is unknown.
pub fn toggle_auto_read(app: &mut App, effects: &mut Vec<Effect>) {
    if !app.marks.is_empty() {
        if refuse_read_only(app) || bulk::refuse_if_running(app) {
            return;
        }
        let s = app.strings();
        let ids = bulk::marked_ids(app);
        let title = format!("{} — {} {}", s.auto_read_title, ids.len(), s.instances_word);
        app.mode = Mode::Form(Form::new(
            FormKind::AutoRead {
                ids,
                on: true,
                bulk: true,
            },
            title,
            Vec::new(),
        ));
        return;
    }
    let Some((id, label)) = single_target(app) else {
        return;
    };
    let s = app.strings();
    match app.memory.get(&id).and_then(|m| m.auto_read.as_ref()) {
        Some(current) => {
            let on = !current.value;
            send(app, &id, Call::AutoRead(on), effects);
            let word = if on { s.on } else { s.off };
            app.flash(
                format!("{label}: {} → {word} ({})", s.auto_read, s.sending),
                FlashKind::Info,
                FLASH,
            );
        }
        None => {
            app.mode = Mode::Form(Form::new(
                FormKind::AutoRead {
                    ids: vec![id],
                    on: true,
                    bulk: false,
                },
                format!("{} — {label}", s.auto_read_title),
                Vec::new(),
            ));
        }
    }
}

/// `D`: confirm, naming the instance (or the count and first labels of the
/// marked ones). "No" is focused.
pub fn ask_disconnect(app: &mut App) {
    let s = app.strings();
    if !app.marks.is_empty() {
        if refuse_read_only(app) || bulk::refuse_if_running(app) {
            return;
        }
        let ids = bulk::marked_ids(app);
        app.mode = Mode::Confirm(super::bulk_confirm::bulk_disconnect(app, ids));
        return;
    }
    let Some((id, label)) = single_target(app) else {
        return;
    };
    app.mode = Mode::Confirm(Confirm {
        title: s.confirm_title.to_string(),
        lines: vec![s.disconnect_q.to_string(), format!("{label} ({id})")],
        yes_focused: false,
        on_yes: Pending::Disconnect(id),
        typed: None,
    });
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
fn send(app: &mut App, id: &str, call: Call, effects: &mut Vec<Effect>) {
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

/// The forms this module owns (every form but "add instance").
pub fn owns(kind: &FormKind) -> bool {
    !matches!(kind, FormKind::AddInstance)
}

/// Keys while one of this module's forms is open.
pub fn profile_form_key(
    app: &mut App,
    action: Option<Action>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    if matches!(form.kind, FormKind::AutoRead { .. }) {
        choice_key(app, action, effects);
        return;
    }
    let picture = matches!(form.kind, FormKind::Picture { .. });
    match action {
        Some(Action::Close) => close_form(app),
        Some(Action::Quit) => app.quit = true,
        Some(Action::Submit) => submit(app, effects),
        Some(Action::Complete) => {
            if !form.submitting {
                complete_picture(app, effects);
            }
        }
        // One field: nothing to move to.
        Some(Action::NextField | Action::PrevField) => {}
        _ => {
            // The input is frozen while its request flies: what is shown is
            // what was sent.
            if form.submitting {
                return;
            }
            let event = ratatui::crossterm::event::Event::Key(*key);
            if let Some(request) = to_input_request(&event) {
                form.edit(request);
                form.error = None;
                if picture {
                    app.picture.completions.clear();
                }
            }
        }
    }
}

/// The on/off choice (keys in `keymap`'s CHOICE table): flip, set, send.
fn choice_key(app: &mut App, action: Option<Action>, effects: &mut Vec<Effect>) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let FormKind::AutoRead { ids, on, bulk } = &mut form.kind else {
        return;
    };
    match action {
        Some(Action::Close) => close_form(app),
        Some(Action::Quit) => app.quit = true,
        Some(Action::Flip) if !form.submitting => *on = !*on,
        Some(Action::SetOn) if !form.submitting => *on = true,
        Some(Action::SetOff) if !form.submitting => *on = false,
        Some(Action::Submit) => {
            if form.submitting {
                return;
            }
            let (ids, on, bulk) = (ids.clone(), *on, *bulk);
            if bulk {
                app.mode = Mode::List;
                bulk::start_bulk(app, ids, Call::AutoRead(on), effects);
            } else if let Some(id) = ids.first() {
                form.submitting = true;
                form.error = None;
                send(app, id, Call::AutoRead(on), effects);
            }
        }
        _ => {}
    }
}

/// Esc: nothing is sent; a request already flying still lands in the status
/// bar and the memory.
fn close_form(app: &mut App) {
    app.mode = Mode::List;
    app.picture = PictureState {
        seq: app.picture.seq,
        ..PictureState::default()
    };
}

/// A refused name or description, in the UI language.
fn text_refusal(e: ProfileTextError, s: &Strings) -> String {
    match e {
        // Only a name can be blank.
        ProfileTextError::Blank => s.name_blank.to_string(),
        ProfileTextError::TooLong { chars, max } => format!("{}: {chars}/{max}", s.too_long),
        ProfileTextError::Control(c) => format!("{} (U+{:04X})", s.text_control_char, c as u32),
        ProfileTextError::Invisible => s.name_invisible.to_string(),
    }
}

/// Enter: validate, then send exactly one request and wait for its answer.
fn submit(app: &mut App, effects: &mut Vec<Effect>) {
    let s = app.strings();
    let Mode::Form(form) = &app.mode else { return };
    if form.submitting {
        return;
    }
    let value = form.value(0).to_string();
    let checked = match &form.kind {
        FormKind::Name { id } => profile_text::validate_name(&value)
            .map(|v| (id.clone(), Call::Name(v)))
            .map_err(|e| text_refusal(e, s)),
        FormKind::Description { id } => profile_text::validate_description(&value)
            .map(|v| (id.clone(), Call::Description(v)))
            .map_err(|e| text_refusal(e, s)),
        FormKind::Picture { id } => {
            validate_picture(&app.picture, &value, s).map(|v| (id.clone(), Call::Picture(v)))
        }
        _ => return,
    };
    let checked = checked.and_then(|(id, call)| {
        if app.busy.contains(&id) {
            Err(s.request_in_flight.to_string())
        } else {
            Ok((id, call))
        }
    });
    match checked {
        Ok((id, call)) => {
            send(app, &id, call, effects);
            if let Mode::Form(form) = &mut app.mode {
                form.submitting = true;
                form.error = None;
            }
        }
        Err(why) => {
            if let Mode::Form(form) = &mut app.mode {
                form.error = Some(why);
            }
        }
    }
}

/// A picture value is sent unless its preview already showed it cannot be
/// (decode errors are shown before sending). Without a preview yet, the
/// worker checks it again before any request goes out.
fn validate_picture(state: &PictureState, value: &str, s: &Strings) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(s.picture_blank.to_string());
    }
    if let Some((for_value, Err(why))) = &state.result
        && for_value == value
    {
        return Err(why.clone());
    }
    Ok(value.to_string())
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
            let text = e.to_string();
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

/// After a disconnect the status has changed: check it at the next tick
/// instead of waiting for the schedule.
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

pub(super) fn check_soon(app: &mut App, id: &str) {
    let now = app.monitor.now;
    if let Some(row) = app.row_mut(id) {
        row.next_poll = row.next_poll.min(now);
    }
}

mod picture;

use picture::complete_picture;
pub use picture::{
    COMPLETIONS_SHOWN, Completion, DirName, PREVIEW_PAUSE, complete_path, on_preview, picture_tick,
};

#[cfg(test)]
pub(crate) mod tests;
