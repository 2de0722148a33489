//! The help overlay and the event log pane: scrolling and closing.

use crate::app::state::App;
use crate::app::state::Mode;
use crate::keys::Action;

pub(super) fn help_key(app: &mut App, action: Option<Action>) {
    let Mode::Help { scroll } = &mut app.mode else {
        return;
    };
    match action {
        Some(Action::Close) => app.mode = Mode::List,
        Some(Action::Down) => *scroll = scroll.saturating_add(1),
        Some(Action::Up) => *scroll = scroll.saturating_sub(1),
        Some(Action::PageDown) => *scroll = scroll.saturating_add(10),
        Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
        Some(Action::Quit) => app.quit = true,
        _ => {}
    }
}

pub(super) fn log_key(app: &mut App, action: Option<Action>) {
    match action {
        Some(Action::Close) => app.mode = Mode::List,
        // Scroll counts up from the newest entry, shown at the bottom.
        Some(Action::Up) => app.log.scroll_by(1),
        Some(Action::Down) => app.log.scroll_by(-1),
        Some(Action::PageUp) => app.log.scroll_by(10),
        Some(Action::PageDown) => app.log.scroll_by(-10),
        Some(Action::Top) => app.log.scroll_by(isize::MAX / 2),
        Some(Action::Bottom) => app.log.scroll = 0,
        Some(Action::Quit) => app.quit = true,
        _ => {}
    }
}
