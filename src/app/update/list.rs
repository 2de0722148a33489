//! The list mode: moving, sorting, and the keys that open the other modes.

use super::FLASH;
use super::confirm::ask_remove;
use super::filter::set_filter;
use super::form::open_add_form;
use super::monitor;
use super::qr::open_qr_pane;
use super::reconnect;
use crate::app::actions;
use crate::app::bulk;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::app::state::Mode;
use crate::engine::effect::Effect;
use crate::engine::monitor::Command;
use crate::keys::Action;
use tui_input::Input;

pub(super) fn move_selection(app: &mut App, delta: isize) {
    if app.view.is_empty() {
        return;
    }
    app.follow_top = false;
    let last = app.view.len() - 1;
    app.selected = app.selected.saturating_add_signed(delta).min(last);
}

pub(super) fn list_action(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
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
        Action::OpenFilter => {
            app.mode = Mode::Filter(Input::new(app.filter_text.clone()));
        }
        Action::ClearFilter => set_filter(app, String::new()),
        Action::OpenCommand => {
            app.screen.commands.reset();
            app.screen.suggestions.clear();
            app.mode = Mode::Command(Input::default());
        }
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
        Action::Help => super::overlays::open_help(app),
        Action::ToggleLog => app.mode = Mode::Log,
        Action::ToggleHistory => crate::app::history_view::open_pane(app),
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
        Action::EditName => actions::open_name(app),
        Action::EditDescription => actions::open_description(app),
        Action::EditPicture => actions::open_picture(app),
        Action::ToggleAutoRead => actions::toggle_auto_read(app, effects),
        Action::Disconnect => actions::ask_disconnect(app),
        Action::Acknowledge => crate::app::ack::acknowledge(app, effects),
        Action::Mark => bulk::toggle_mark(app),
        Action::MarkAllShown => bulk::mark_all_shown(app),
        Action::ClearMarks => bulk::clear_marks(app),
        Action::Connect if !app.marks.is_empty() => reconnect::start_marked(app),
        Action::Connect => super::view::connect_unmarked(app),
        Action::Open => open_qr_pane(app, true),
        Action::CopyId => super::view::copy(app, false, effects),
        Action::CopyLabel => super::view::copy(app, true, effects),
        Action::Attention => super::view::toggle_attention(app),
        Action::ToggleDetails => super::view::toggle_details(app),
        Action::ToggleWide => super::view::toggle_wide(app),
        _ => {}
    }
    app.settle();
}
