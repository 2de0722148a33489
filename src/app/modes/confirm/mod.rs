//! The yes/no confirmation and what a "yes" runs.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub mod bulk_disconnect;

use crate::app::actions;
use crate::app::bulk;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::engine::effect::Call;
use crate::engine::effect::Effect;
use crate::keys::Action;

/// What a confirmed dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    RemoveInstance(String),
    /// Disconnect one instance (single action).
    Disconnect(String),
    /// Disconnect every marked instance (bulk, with progress).
    BulkDisconnect(Vec<String>),
    /// Link the inactive rows a filtered list showed, one after another.
    ReconnectShown(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// "No" is the default: Enter on a fresh dialog does nothing harmful.
    pub yes_focused: bool,
    pub on_yes: Pending,
    /// Large bulk runs: the count to type before "yes" is taken.
    pub typed: Option<crate::app::modes::confirm::bulk_disconnect::TypedCount>,
}

pub fn ask_remove(app: &mut App) {
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

/// `D`: confirm, naming the instance (or the count and first labels of the
/// marked ones). "No" is focused.
pub fn ask_disconnect(app: &mut App) {
    let s = app.strings();
    if !app.marks.is_empty() {
        if actions::refuse_read_only(app) || bulk::refuse_if_running(app) {
            return;
        }
        let ids = bulk::marked_ids(app);
        app.mode =
            Mode::Confirm(crate::app::modes::confirm::bulk_disconnect::bulk_disconnect(app, ids));
        return;
    }
    let Some((id, label)) = actions::single_target(app) else {
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

/// The language's own "yes" key confirms too (`s`: sí, sim), as long as
/// the user has not bound that key to something else here; `y` always works.
pub fn language_yes(app: &App, action: Option<Action>, key: &KeyEvent) -> Option<Action> {
    let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
    match (action, key.code) {
        (None, KeyCode::Char(c)) if plain && c == app.strings().yes_key => Some(Action::Yes),
        (action, _) => action,
    }
}

pub fn confirm_key(
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
        && crate::app::modes::confirm::bulk_disconnect::type_key(typed, key)
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

pub fn run_pending(app: &mut App, pending: Pending, effects: &mut Vec<Effect>) {
    match pending {
        Pending::RemoveInstance(id) => remove_instance(app, &id, effects),
        Pending::Disconnect(id) => actions::send_disconnect(app, &id, effects),
        Pending::BulkDisconnect(ids) => bulk::start_bulk(app, ids, Call::Disconnect, effects),
        Pending::ReconnectShown(ids) => crate::app::modes::qr::reconnect::start_ids(app, &ids),
    }
}

pub fn remove_instance(app: &mut App, id: &str, effects: &mut Vec<Effect>) {
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
