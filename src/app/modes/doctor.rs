//! The `:doctor` pane: the terminal report in its own pane, where polls
//! cannot push it away and long lines wrap.

use crate::app::modes::Mode;
use crate::app::state::App;
use crate::keys::Action;

/// `:doctor`: the report as `wadash doctor` prints it.
pub fn open_doctor(app: &mut App) {
    app.screen.doctor = crate::term::doctor::lines(&app.terminal, app.screen_size);
    app.mode = Mode::Doctor(0);
}

pub fn doctor_key(app: &mut App, action: Option<Action>) {
    let Mode::Doctor(scroll) = &mut app.mode else {
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
