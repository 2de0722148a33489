//! The on/off choice for automatic read (`a`): opened for the marked rows,
//! or for one row whose current value wadash does not know; otherwise `a`
//! sends the opposite of the remembered value at once.

use crate::app::actions::{refuse_read_only, send, single_target};
use crate::app::bulk;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::modes::form::profile::close_form;
use crate::app::modes::form::{Form, FormKind};
use crate::app::state::{App, FlashKind};
use crate::engine::effect::{Call, Effect};
use crate::keys::Action;

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

/// The on/off choice (keys in `keymap`'s CHOICE table): flip, set, send.
pub fn choice_key(app: &mut App, action: Option<Action>, effects: &mut Vec<Effect>) {
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
