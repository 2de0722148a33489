//! The yes/no confirmation and what a "yes" runs.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::FLASH;
use crate::app::actions;
use crate::app::bulk;
use crate::app::state::App;
use crate::app::state::Confirm;
use crate::app::state::FlashKind;
use crate::app::state::Mode;
use crate::app::state::Pending;
use crate::engine::effect::Call;
use crate::engine::effect::Effect;
use crate::keys::Action;

pub(super) fn ask_remove(app: &mut App) {
    if actions::refuse_read_only(app) {
        return;
    }
    let Some(row) = app.selected_row() else {
        return;
    };
    let s = app.strings();
    app.mode = Mode::Confirm(Confirm {
        title: s.confirm_title.to_string(),
        lines: vec![
            s.remove_instance_q.to_string(),
            format!("{} ({})", row.label, row.id),
        ],
        yes_focused: false,
        on_yes: Pending::RemoveInstance(row.id.clone()),
        typed: None,
    });
}

/// The language's own "yes" key confirms too (`s`: sí, sim), as long as
/// the user has not bound that key to something else here; `y` always works.
pub(super) fn language_yes(app: &App, action: Option<Action>, key: &KeyEvent) -> Option<Action> {
    let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
    match (action, key.code) {
        (None, KeyCode::Char(c)) if plain && c == app.strings().yes_key => Some(Action::Yes),
        (action, _) => action,
    }
}

pub(super) fn confirm_key(
    app: &mut App,
    action: Option<Action>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) {
    let Mode::Confirm(confirm) = &mut app.mode else {
        return;
    };
    if let Some(typed) = &mut confirm.typed
        && action.is_none()
        && crate::app::bulk_confirm::type_key(typed, key)
    {
        return;
    }
    let accept = match action {
        Some(Action::Yes) => true,
        Some(Action::No) => {
            app.mode = Mode::List;
            return;
        }
        Some(Action::NextField) => {
            confirm.yes_focused = !confirm.yes_focused;
            return;
        }
        Some(Action::Submit) => confirm.yes_focused,
        Some(Action::Quit) => {
            app.quit = true;
            return;
        }
        _ => return,
    };
    // With a count to type, typing it is the deliberate act: y or Enter
    // then confirm whichever button has focus, and nothing else does.
    let accept = match &mut confirm.typed {
        Some(typed) if accept || action == Some(Action::Submit) => {
            if !typed.matches() {
                typed.mismatch = true;
                return;
            }
            true
        }
        _ => accept,
    };
    let pending = confirm.on_yes.clone();
    app.mode = Mode::List;
    if accept {
        run_pending(app, pending, effects);
    }
}

pub(super) fn run_pending(app: &mut App, pending: Pending, effects: &mut Vec<Effect>) {
    match pending {
        Pending::RemoveInstance(id) => remove_instance(app, &id, effects),
        Pending::Disconnect(id) => actions::send_disconnect(app, &id, effects),
        Pending::BulkDisconnect(ids) => bulk::start_bulk(app, ids, Call::Disconnect, effects),
    }
}

pub(super) fn remove_instance(app: &mut App, id: &str, effects: &mut Vec<Effect>) {
    let Some(&i) = app.monitor.index.get(id) else {
        return;
    };
    // A poll in flight keeps its slot until its answer arrives (and
    // `on_status` frees it then), so the cap is not exceeded meanwhile.
    app.monitor.rows.remove(i);
    app.marks.remove(id);
    app.monitor.alerts.engine.forget(id);
    if app.memory.forget(id).is_some() {
        effects.push(Effect::SaveMemory(app.memory.clone()));
    }
    app.reindex();
    app.settle();
    if app.config_path.is_some() {
        effects.push(Effect::RemoveInstance(id.to_string()));
    } else {
        let s = app.strings();
        app.flash(
            format!("{}: {id} — {}", s.instance_removed, s.demo_not_saved),
            FlashKind::Info,
            FLASH,
        );
    }
}
