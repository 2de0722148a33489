//! The `:` command line and its commands.

use crate::app::commands::SORT_WORDS;
use crate::app::commands::complete::{Known, complete};
use crate::app::commands::find;
use crate::app::commands::names;
use crate::app::commands::sort_key;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::modes::doctor::open_doctor;
use crate::app::modes::filter::set_filter;
use crate::app::modes::help::open_help;
use crate::app::modes::list::view::open_view;
use crate::app::modes::log::open_log_with;
use crate::app::modes::qr::reconnect;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::app::update::monitor;
use crate::engine::effect::Effect;
use crate::engine::monitor::Command;
use crate::keys::Action;
use ratatui::crossterm::event::KeyEvent;
use std::time::Duration;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// `:`: an empty line, the history walk starting from the newest.
pub fn open_command(app: &mut App) {
    app.screen.commands.reset();
    app.screen.suggestions.clear();
    app.mode = Mode::Command(Input::default());
}

pub fn command_key(
    app: &mut App,
    action: Option<Action>,
    key: &KeyEvent,
    effects: &mut Vec<Effect>,
) {
    match action {
        Some(Action::Submit) => {
            let Mode::Command(input) = &app.mode else {
                return;
            };
            let line = input.value().trim().to_string();
            app.mode = Mode::List;
            app.screen.suggestions.clear();
            app.screen.commands.push(&line);
            run_command(app, &line, effects);
        }
        Some(Action::Close) => {
            app.screen.suggestions.clear();
            app.mode = Mode::List;
        }
        Some(Action::Quit) => app.quit = true,
        Some(Action::Complete) => complete_line(app),
        Some(Action::Up) => recall(app, true),
        Some(Action::Down) => recall(app, false),
        _ => {
            let Mode::Command(input) = &mut app.mode else {
                return;
            };
            let event = ratatui::crossterm::event::Event::Key(*key);
            if let Some(request) = to_input_request(&event) {
                input.handle(request);
            }
            app.screen.suggestions.clear();
        }
    }
}

/// Tab: as far as the command table makes the line unambiguous; the
/// choices left are shown under the line.
fn complete_line(app: &mut App) {
    let Mode::Command(input) = &app.mode else {
        return;
    };
    let done = complete(input.value(), &known(app));
    app.screen.suggestions = if done.candidates.len() > 1 {
        done.candidates
    } else {
        Vec::new()
    };
    app.mode = Mode::Command(Input::new(done.line));
}

/// The argument values Tab may complete to: views, tags, and for `:log`
/// the errors word of the language, then every label and id.
fn known(app: &App) -> Known {
    let rows = &app.monitor.rows;
    let mut tags: Vec<String> = rows.iter().flat_map(|r| r.tags.iter().cloned()).collect();
    tags.sort();
    tags.dedup();
    let mut names: Vec<String> = rows
        .iter()
        .flat_map(|r| [r.label.clone(), r.id.clone()])
        .collect();
    names.sort();
    names.dedup();
    let mut log_words = vec![app.strings().modes.log_errors_word.to_string()];
    log_words.extend(names);
    Known {
        views: app.screen.view_names(),
        tags,
        log_words,
    }
}

/// Up / Down: older / newer lines run before.
fn recall(app: &mut App, older: bool) {
    let Mode::Command(input) = &app.mode else {
        return;
    };
    let typed = input.value().to_string();
    let line = if older {
        app.screen.commands.older(&typed).map(str::to_string)
    } else {
        app.screen.commands.newer().map(str::to_string)
    };
    if let Some(line) = line {
        app.mode = Mode::Command(Input::new(line));
    }
}

/// The `:` commands. Unknown ones say so instead of doing nothing.
pub fn run_command(app: &mut App, line: &str, effects: &mut Vec<Effect>) {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.trim();
    if word.is_empty() {
        return;
    }
    let Some(spec) = find(word) else {
        let s = app.strings();
        app.flash(
            format!("{}: {word} ({})", s.unknown_command, names()),
            FlashKind::Error,
            FLASH * 2,
        );
        return;
    };
    match spec.name {
        "quit" => app.quit = true,
        "refresh" => {
            if rest == "all" || rest.is_empty() && word != "r" {
                monitor::command(app, Command::RefreshAll, effects);
            } else if let Some(id) = app.selected_id() {
                monitor::command(app, Command::Refresh(id), effects);
            }
        }
        "pause" => monitor::command(app, Command::Pause(Some(true)), effects),
        "resume" => monitor::command(app, Command::Pause(Some(false)), effects),
        "interval" => match humantime::parse_duration(rest) {
            Ok(d) if d >= Duration::from_secs(1) => {
                app.monitor.polling.interval = d;
                let latest = app.monitor.now + d;
                for row in &mut app.monitor.rows {
                    row.next_poll = row.next_poll.min(latest);
                }
                let s = app.strings();
                app.flash(
                    format!("{} {}", s.interval_set, humantime::format_duration(d)),
                    FlashKind::Success,
                    FLASH,
                );
            }
            _ => app.flash(
                format!(":interval {rest:?}? {}", app.strings().bad_interval),
                FlashKind::Error,
                FLASH,
            ),
        },
        "uptime" => match crate::history::parse_window(rest) {
            Ok(window) if app.history.enabled => {
                app.history.set_window(window);
                let s = app.strings();
                app.flash(
                    format!(
                        "{} {}",
                        s.uptime_window_set,
                        crate::history::window_label(window)
                    ),
                    FlashKind::Success,
                    FLASH,
                );
            }
            Ok(_) => {
                let text = app.strings().hist_off;
                app.flash(text, FlashKind::Info, FLASH);
            }
            Err(_) => app.flash(
                format!(":uptime {rest:?}? {}", app.strings().bad_window),
                FlashKind::Error,
                FLASH,
            ),
        },
        "filter" => set_filter(app, rest.to_string()),
        "sort" => match sort_key(rest) {
            Some(k) => {
                app.sort = k;
                app.view_stale = true;
            }
            None => {
                let words: Vec<&str> = SORT_WORDS.iter().map(|(w, _)| w[0]).collect();
                app.flash(
                    format!("{}: {}", app.strings().sort_by, words.join(" | ")),
                    FlashKind::Error,
                    FLASH,
                )
            }
        },
        "view" => open_view(app, rest),
        "help" => open_help(app),
        "log" => open_log_with(app, rest),
        "reconnect" => reconnect::start_filtered(app, rest),
        "doctor" => open_doctor(app),
        // Every name in the table has an arm above (a unit test runs each).
        _ => {}
    }
    app.settle();
}
