//! The `:` command line and its commands.

use super::FLASH;
use super::filter::set_filter;
use super::monitor;
use super::reconnect;
use crate::app::log::LogEntry;
use crate::app::log::LogLevel;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::app::state::Mode;
use crate::app::state::SortKey;
use crate::engine::effect::Effect;
use crate::engine::monitor::Command;
use crate::keys::Action;
use ratatui::crossterm::event::KeyEvent;
use std::time::Duration;
use tui_input::backend::crossterm::to_input_request;

pub(super) fn command_key(
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
            run_command(app, &line, effects);
        }
        Some(Action::Close) => app.mode = Mode::List,
        Some(Action::Quit) => app.quit = true,
        _ => {
            let Mode::Command(input) = &mut app.mode else {
                return;
            };
            let event = ratatui::crossterm::event::Event::Key(*key);
            if let Some(request) = to_input_request(&event) {
                input.handle(request);
            }
        }
    }
}

/// `:doctor`: the terminal report (as `wadash doctor` prints it) in the
/// event log, which opens on it.
fn doctor_to_log(app: &mut App) {
    let wall = app.wall_time(app.monitor.now);
    for line in crate::term::doctor::lines(&app.terminal, app.screen_size) {
        app.log.push(LogEntry {
            at: wall,
            instance: String::new(),
            endpoint: "doctor".into(),
            outcome: line.trim_start().to_string(),
            latency: None,
            level: LogLevel::Ok,
        });
    }
    app.log.scroll = 0;
    app.mode = Mode::Log;
}

/// The `:` commands. Unknown ones say so instead of doing nothing.
pub fn run_command(app: &mut App, line: &str, effects: &mut Vec<Effect>) {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.trim();
    match word {
        "" => {}
        "q" | "quit" | "salir" => app.quit = true,
        "refresh" | "r" => {
            if rest == "all" || rest.is_empty() && word == "refresh" {
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
        "uptime" | "disponibilidad" => match crate::history::parse_window(rest) {
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
        "filter" | "f" => set_filter(app, rest.to_string()),
        "sort" => {
            let key = match rest {
                "status" | "estado" => Some(SortKey::Status),
                "label" | "name" | "nombre" => Some(SortKey::Label),
                "change" | "changed" | "cambio" => Some(SortKey::LastChange),
                "latency" | "latencia" => Some(SortKey::Latency),
                "uptime" | "disponibilidad" => Some(SortKey::Uptime),
                "drops" | "caidas" | "caídas" => Some(SortKey::Drops),
                _ => None,
            };
            match key {
                Some(k) => {
                    app.sort = k;
                    app.view_stale = true;
                }
                None => app.flash(
                    format!(
                        "{}: status | label | change | latency",
                        app.strings().sort_by
                    ),
                    FlashKind::Error,
                    FLASH,
                ),
            }
        }
        "help" | "h" => app.mode = Mode::Help { scroll: 0 },
        "log" => app.mode = Mode::Log,
        "reconnect" | "reconectar" => reconnect::start_filtered(app, rest),
        "doctor" => doctor_to_log(app),
        other => {
            let s = app.strings();
            app.flash(
                format!(
                    "{}: {other} (:q :refresh :pause :resume :interval 30s :filter … :sort …)",
                    s.unknown_command
                ),
                FlashKind::Error,
                FLASH * 2,
            );
        }
    }
    app.settle();
}
