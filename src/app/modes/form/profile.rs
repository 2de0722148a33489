//! The profile forms: name (`n`), description (`d`) and picture (`i`) of
//! one instance. Opening one on the selected row, validating as typed,
//! turning a submit into one request; the answer is `app::actions`'.
//!
//! Pure like the rest of `update`, with one deliberate exception: Tab in the
//! picture field lists one directory synchronously (`read_dir`, bounded) to
//! complete a file name. A directory listing is fast, only happens on an
//! explicit key press, and going through the worker would make completion
//! lag a frame behind the key.

use ratatui::crossterm::event::KeyEvent;
use tui_input::backend::crossterm::to_input_request;

use crate::app::actions::{send, single_target};
use crate::app::modes::Mode;
use crate::app::modes::form::choice::choice_key;
use crate::app::modes::form::picture::{PictureState, complete_picture};
use crate::app::modes::form::{Field, Form, FormKind};
use crate::app::state::App;
use crate::engine::effect::{Call, Effect};
use crate::i18n::Strings;
use crate::keys::Action;
use crate::profile_image;
use crate::profile_text::{self, DESCRIPTION_MAX, NAME_MAX, ProfileTextError};

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
    let note = crate::app::modes::confirm::bulk_disconnect::only_this_row_note(app);
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
    let note = crate::app::modes::confirm::bulk_disconnect::only_this_row_note(app);
    app.mode = Mode::Form(Form::new(
        FormKind::Picture { id },
        format!("{} — {label}{note}", s.picture_title),
        vec![Field::new(s.field_picture).with_value(prefill)],
    ));
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

/// Esc: nothing is sent; a request already flying still lands in the status
/// bar and the memory.
pub fn close_form(app: &mut App) {
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
