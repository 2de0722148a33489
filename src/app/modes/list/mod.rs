//! The list mode: moving, sorting, and the keys that open the other modes.

use crate::app::bulk;
use crate::app::modes::FLASH;
use crate::app::modes::command::open_command;
use crate::app::modes::confirm::{ask_disconnect, ask_remove};
use crate::app::modes::filter::{open_filter, set_filter};
use crate::app::modes::form::add::open_add_form;
use crate::app::modes::form::choice::toggle_auto_read;
use crate::app::modes::form::profile::{open_description, open_name, open_picture};
use crate::app::modes::help::open_help;
use crate::app::modes::log::open_log;
use crate::app::modes::qr::open_qr_pane;
use crate::app::modes::qr::reconnect;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::app::update::monitor;
use crate::engine::effect::Effect;
use crate::engine::monitor::Command;
use crate::keys::Action;

pub mod view;

pub fn move_selection(app: &mut App, delta: isize) {
    if app.view.is_empty() {
        return;
    }
    app.follow_top = false;
    let last = app.view.len() - 1;
    app.selected = app.selected.saturating_add_signed(delta).min(last);
}

pub fn list_action(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    let page = app.page_size() as isize;
    match action {
        Action::Up => move_selection(app, -1),
        Action::Down => move_selection(app, 1),
        Action::Top => {
            app.selected = 0;
            app.follow_top = true;
        }
        Action::Bottom => {
            app.selected = app.view.len().saturating_sub(1);
            app.follow_top = false;
        }
        Action::PageUp => move_selection(app, -page),
        Action::PageDown => move_selection(app, page),
        Action::OpenFilter => open_filter(app),
        Action::ClearFilter => set_filter(app, String::new()),
        Action::OpenCommand => open_command(app),
        Action::CycleSort => {
            app.sort = app.sort.next();
            app.view_stale = true;
            let s = app.strings();
            app.flash(
                format!("{}: {}", s.sort_by, app.sort.name(s)),
                FlashKind::Info,
                FLASH,
            );
        }
        Action::ReverseSort => {
            app.sort_reverse = !app.sort_reverse;
            app.view_stale = true;
        }
        Action::Help => open_help(app),
        Action::ToggleLog => open_log(app),
        Action::ToggleHistory => crate::app::modes::history::open_history_pane(app),
        Action::RefreshOne => {
            if let Some(row) = app.selected_row() {
                let (id, label) = (row.id.clone(), row.label.clone());
                monitor::command(app, Command::Refresh(id), effects);
                let s = app.strings();
                app.flash(format!("{}: {label}", s.refreshing), FlashKind::Info, FLASH);
            }
        }
        Action::RefreshAll => monitor::command(app, Command::RefreshAll, effects),
        Action::TogglePause => monitor::command(app, Command::Pause(None), effects),
        Action::Quit => app.quit = true,
        Action::AddInstance => open_add_form(app),
        Action::RemoveInstance => ask_remove(app),
        Action::EditName => open_name(app),
        Action::EditDescription => open_description(app),
        Action::EditPicture => open_picture(app),
        Action::ToggleAutoRead => toggle_auto_read(app, effects),
        Action::Disconnect => ask_disconnect(app),
        Action::Acknowledge => crate::app::ack::acknowledge(app, effects),
        Action::Mark => bulk::toggle_mark(app),
        Action::MarkAllShown => bulk::mark_all_shown(app),
        Action::ClearMarks => bulk::clear_marks(app),
        Action::Connect if !app.marks.is_empty() => reconnect::start_marked(app),
        Action::Connect => view::connect_unmarked(app),
        Action::Open => open_qr_pane(app, true),
        Action::CopyId => view::copy(app, false, effects),
        Action::CopyLabel => view::copy(app, true, effects),
        Action::Attention => view::toggle_attention(app),
        Action::ToggleDetails => view::toggle_details(app),
        Action::ToggleWide => view::toggle_wide(app),
        _ => {}
    }
    app.settle();
}

/// Whether the bar offers `action` in the list (`default`: the key
/// table's choice). Read-only offers no edits; with marks, the keys for
/// them are offered too.
pub fn list_bar(app: &App, action: Action, default: bool) -> bool {
    use Action::*;
    match action {
        EditName | EditDescription | EditPicture | ToggleAutoRead | Disconnect | AddInstance
        | RemoveInstance
            if app.read_only =>
        {
            false
        }
        ClearMarks | MarkAllShown if !app.marks.is_empty() => true,
        _ => default,
    }
}

/// With marks, the keys for the marked rows come first in the bar (after
/// help and quit), in this order, so the way out of marks fits at 80
/// columns.
pub fn list_bar_first(app: &App, action: Action) -> Option<u8> {
    use Action::*;
    if app.marks.is_empty() {
        return None;
    }
    [
        ClearMarks,
        Disconnect,
        ToggleAutoRead,
        Connect,
        MarkAllShown,
    ]
    .iter()
    .position(|a| *a == action)
    .map(|rank| rank as u8)
}

/// What the bar adds after a key's words: with marks, the single-row
/// edits say they edit only the row under the cursor (as they do).
pub fn list_bar_note(app: &App, action: Action) -> Option<&'static str> {
    use Action::*;
    let single_row = matches!(action, EditName | EditDescription | EditPicture);
    (single_row && !app.marks.is_empty()).then(|| app.strings().modes.this_row)
}

/// The help's note on marks, with the keys as bound: which act on the
/// marked rows, which edit only the row under the cursor.
pub fn marks_note(app: &App) -> String {
    use Action::*;
    let shown = app.keys.bindings(crate::keys::ModeKind::List);
    let labels = |actions: &[Action]| {
        actions
            .iter()
            .filter_map(|a| shown.iter().find(|b| b.action == *a))
            .map(|b| b.label.clone())
            .collect::<Vec<_>>()
            .join("/")
    };
    crate::i18n::fill(
        app.strings().modes.marks_note,
        &[
            ("bulk", &labels(&[ToggleAutoRead, Disconnect, Connect])),
            ("row", &labels(&[EditName, EditDescription, EditPicture])),
        ],
    )
}
