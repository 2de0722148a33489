//! The `/` filter line.

use crate::app::modes::Mode;
use crate::app::modes::list::move_selection;
use crate::app::state::App;
use crate::domain::filter::Filter;
use crate::keys::Action;
use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// `/`: the filter line, holding the filter in force.
pub fn open_filter(app: &mut App) {
    app.mode = Mode::Filter(Input::new(app.filter_text.clone()));
}

pub fn set_filter(app: &mut App, text: String) {
    app.filter = Filter::parse(&text);
    app.filter_text = text;
    app.view_stale = true;
    app.settle();
    app.selected = 0;
    app.offset = 0;
}

pub fn filter_key(app: &mut App, action: Option<Action>, key: &KeyEvent) {
    match action {
        Some(Action::Submit) => {
            app.mode = Mode::List;
            app.selected = 0;
        }
        Some(Action::Close) => {
            app.mode = Mode::List;
            set_filter(app, String::new());
        }
        Some(Action::Down) => move_selection(app, 1),
        Some(Action::Up) => move_selection(app, -1),
        Some(Action::Quit) => app.quit = true,
        _ => {
            let Mode::Filter(input) = &mut app.mode else {
                return;
            };
            let event = ratatui::crossterm::event::Event::Key(*key);
            if let Some(request) = to_input_request(&event) {
                input.handle(request);
                let text = input.value().to_string();
                set_filter(app, text);
            }
        }
    }
}
