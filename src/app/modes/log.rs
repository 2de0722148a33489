//! The event log pane (`l`): scrolling from the newest entry, the errors-only
//! filter, closing.

use crate::app::modes::Mode;
use crate::app::state::App;
use crate::keys::Action;

/// `l`: the event log, where it was left.
pub fn open_log(app: &mut App) {
    app.mode = Mode::Log;
}

/// `:log [errors|ID|LABEL]`: the log narrowed, at its newest entry.
pub fn open_log_with(app: &mut App, filter: &str) {
    // The log names instances by label: an id is read as its row's label.
    let by_id = app
        .monitor
        .rows
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(filter.trim()))
        .map(|r| r.label.clone());
    let filter = by_id.as_deref().unwrap_or(filter);
    crate::app::log_filter::set(&mut app.screen, filter);
    app.log.scroll = 0;
    app.mode = Mode::Log;
}

pub fn log_key(app: &mut App, action: Option<Action>) {
    match action {
        Some(Action::Close) => app.mode = Mode::List,
        // Scroll counts up from the newest entry, shown at the bottom.
        Some(Action::Up) => app.log.scroll_by(1),
        Some(Action::Down) => app.log.scroll_by(-1),
        Some(Action::PageUp) => app.log.scroll_by(10),
        Some(Action::PageDown) => app.log.scroll_by(-10),
        Some(Action::Top) => app.log.scroll_by(isize::MAX / 2),
        Some(Action::Bottom) => app.log.scroll = 0,
        Some(Action::LogErrors) => {
            app.screen.log_errors = !app.screen.log_errors;
            app.log.scroll = 0;
        }
        Some(Action::Quit) => app.quit = true,
        _ => {}
    }
}
