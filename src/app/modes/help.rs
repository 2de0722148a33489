//! The help overlay: opening it, scrolling, and its `/` search.

use crate::app::modes::Mode;
use crate::app::state::App;
use crate::keys::Action;
use ratatui::crossterm::event::KeyCode;
use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

pub fn open_help(app: &mut App) {
    app.screen.help_query.clear();
    app.screen.help_input = None;
    app.mode = Mode::Help { scroll: 0 };
}

pub fn help_key(app: &mut App, action: Option<Action>, key: &KeyEvent) {
    if app.screen.help_input.is_some() {
        return help_search_key(app, action, key);
    }
    let Mode::Help { scroll } = &mut app.mode else {
        return;
    };
    match action {
        // Esc first leaves a search, then the help.
        Some(Action::Close) if !app.screen.help_query.is_empty() && key.code == KeyCode::Esc => {
            app.screen.help_query.clear();
            *scroll = 0;
        }
        Some(Action::Close) => app.mode = Mode::List,
        Some(Action::Down) => *scroll = scroll.saturating_add(1),
        Some(Action::Up) => *scroll = scroll.saturating_sub(1),
        Some(Action::PageDown) => *scroll = scroll.saturating_add(10),
        Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
        Some(Action::Search) => {
            app.screen.help_input = Some(Input::new(app.screen.help_query.clone()));
        }
        Some(Action::Quit) => app.quit = true,
        _ => {}
    }
}

/// Typing the search: the help narrows to matching lines as one types.
fn help_search_key(app: &mut App, action: Option<Action>, key: &KeyEvent) {
    match key.code {
        KeyCode::Enter => app.screen.help_input = None,
        KeyCode::Esc => {
            app.screen.help_input = None;
            app.screen.help_query.clear();
        }
        _ if action == Some(Action::Quit) && key.code != KeyCode::Char('q') => app.quit = true,
        _ => {
            let Some(input) = &mut app.screen.help_input else {
                return;
            };
            let event = ratatui::crossterm::event::Event::Key(*key);
            if let Some(request) = to_input_request(&event) {
                input.handle(request);
                app.screen.help_query = input.value().to_string();
            }
        }
    }
    if let Mode::Help { scroll } = &mut app.mode {
        *scroll = 0;
    }
}
