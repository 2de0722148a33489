//! The `h` pane: the selected instance's stored periods, scrolled. What the
//! store said, and when it is asked, is `app::history_view`.

use std::time::Duration;

use crate::app::modes::Mode;
use crate::app::state::{App, FlashKind};
use crate::keys::Action;

/// `h`: the selected instance's periods. Without a store it says why.
pub fn open_history_pane(app: &mut App) {
    if !app.history.enabled {
        let text = app.strings().hist_off;
        app.flash(text, FlashKind::Info, Duration::from_secs(5));
        return;
    }
    app.history.scroll = 0;
    // Fresh on opening: the last answer may predate the latest checks.
    app.history.ask_detail_afresh();
    app.mode = Mode::History;
}

pub fn history_key(app: &mut App, action: Option<Action>) {
    let len = app
        .selected_row()
        .and_then(|r| app.history.detail_for(&r.id))
        .map_or(0, |d| d.periods.len());
    let last = len.saturating_sub(1);
    let scroll = &mut app.history.scroll;
    match action {
        Some(Action::Close) => app.mode = Mode::List,
        Some(Action::Quit) => app.quit = true,
        Some(Action::Down) => *scroll = (*scroll + 1).min(last),
        Some(Action::Up) => *scroll = scroll.saturating_sub(1),
        Some(Action::PageDown) => *scroll = (*scroll + 10).min(last),
        Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
        Some(Action::Top) => *scroll = 0,
        Some(Action::Bottom) => *scroll = last,
        _ => {}
    }
}
