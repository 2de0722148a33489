//! The one place the state changes: `update(&mut App, Msg) -> Vec<Effect>`.
//! Pure: no I/O, no clock reads (ticks and answers carry the time).
//!
//! This file routes messages and keys; each mode (its state, how it opens,
//! its keys) is a module of `app::modes`; the monitor's news in `monitor`,
//! paste and mouse in `input`.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::app::log::{LogEntry, LogLevel};
use crate::app::msg::Msg;
use crate::app::state::{App, FlashKind};
use crate::app::{actions, bulk};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::{ApiDone, CallError, ConfigEdit, CoreMsg};
use crate::keys::ModeKind;

const FLASH: Duration = Duration::from_secs(5);

mod input;
pub(crate) mod monitor;

use crate::app::modes::command::command_key;
use crate::app::modes::confirm::{confirm_key, language_yes};
use crate::app::modes::doctor::doctor_key;
use crate::app::modes::filter::filter_key;
use crate::app::modes::form::add::form_key;
use crate::app::modes::form::picture::{on_preview, picture_tick};
use crate::app::modes::help::help_key;
use crate::app::modes::history::history_key;
use crate::app::modes::list::list_action;
use crate::app::modes::log::log_key;
use crate::app::modes::qr::share::on_share_opened;
use crate::app::modes::qr::{drive_qr_pane, on_qr_opened, on_qr_pane_answer, on_qr_saved, qr_key};
use input::on_mouse;
use input::on_paste;

pub use crate::app::modes::command::run_command;
pub use monitor::command as monitor_command;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Core(core) => on_core(app, core, &mut effects),
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key, &mut effects),
        Msg::Key(_) => {}
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Paste(text) => on_paste(app, &text),
        // The next draw reads the new size from the terminal itself.
        Msg::Resize(w, h) => {
            app.dirty = true;
            app.screen_size = (w, h);
        }
        Msg::Quit => app.quit = true,
        Msg::Frame => app.settle(),
        Msg::Drawn(regions) => {
            app.regions = regions;
            app.dirty = false;
            let before = app.offset;
            app.clamp_offset();
            // The table's height changed under the selection: draw again.
            if app.offset != before {
                app.dirty = true;
            }
        }
        Msg::Resumed => app.dirty = true,
        Msg::CellPixels(px) => {
            app.terminal.cell_px = Some(px);
            app.terminal.images.cell_px = Some(px);
            app.dirty = true;
        }
    }
    // Keys and answers may have made rows due (or freed slots).
    monitor::drive(app, None, &mut effects);
    drive_qr_pane(app, &mut effects);
    crate::app::history_view::request_due(app, &mut effects);
    effects
}

/// The engine's messages: the dashboard's own share first (the log pane,
/// the QR pane, forms and bulk runs), then the monitor's.
fn on_core(app: &mut App, msg: CoreMsg, effects: &mut Vec<Effect>) {
    match msg {
        CoreMsg::Tick { now, wall } => {
            // The monitor's clock first: everything after reads its `now`.
            monitor::drive(app, Some(CoreMsg::Tick { now, wall }), effects);
            on_tick(app, now);
            picture_tick(app, effects);
        }
        CoreMsg::Api(done) => on_api(app, done, effects),
        CoreMsg::ConfigEdited { what, result } => on_config_edited(app, what, result),
        CoreMsg::MemorySaved(Err(e)) => app.flash(e, FlashKind::Error, FLASH * 2),
        CoreMsg::MemorySaved(Ok(())) => {}
        CoreMsg::PicturePreview { seq, result } => {
            on_preview(app, seq, result);
            app.picture.cache_text();
        }
        CoreMsg::QrSaved(result) => on_qr_saved(app, result),
        CoreMsg::History(answer) => crate::app::history_view::on_answer(app, answer),
        CoreMsg::QrOpened(result) => on_qr_opened(app, result),
        CoreMsg::ShareOpened { instance, result } => on_share_opened(app, &instance, result),
        other => monitor::drive(app, Some(other), effects),
    }
}

fn on_tick(app: &mut App, now: Instant) {
    if app.flash.as_ref().is_some_and(|f| f.until <= now) {
        app.flash = None;
        app.dirty = true;
    }
    let before = app.highlight.len();
    app.highlight.retain(|_, until| *until > now);
    if app.highlight.len() != before {
        app.dirty = true;
    }
    // The "checked 3 s ago" columns move once a second; spinners faster.
    let second = now.saturating_duration_since(app.clock_base()).as_secs();
    if second != app.last_second || app.is_busy() {
        app.last_second = second;
        app.dirty = true;
    }
}

/// An API answer: logged, then handed to whoever asked (the QR pane, a
/// form, a bulk run); status answers also teach the monitor.
fn on_api(app: &mut App, done: ApiDone, effects: &mut Vec<Effect>) {
    let label = app
        .row(&done.instance)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| done.instance.clone());
    log_call(app, &done, &label);
    if done.purpose == Purpose::QrPane {
        on_qr_pane_answer(app, &done, effects);
    } else {
        match (&done.call, done.purpose) {
            (Call::Status, _) => {}
            (_, Purpose::Action) => return actions::on_action_answer(app, done, effects),
            (_, Purpose::Bulk) => return bulk::on_bulk_answer(app, done, effects),
            // No other path sends these; if one ever does, say what came back.
            _ => {
                match &done.result {
                    Ok(reply) => app.flash(
                        format!("{label}: {}", reply.text()),
                        FlashKind::Success,
                        FLASH,
                    ),
                    Err(e) => {
                        let text = actions::error_text(e, app.strings());
                        app.flash(format!("{label}: {text}"), FlashKind::Error, FLASH * 2)
                    }
                }
                return;
            }
        }
    }
    if done.call == Call::Status {
        monitor::drive(app, Some(CoreMsg::Api(done)), effects);
    }
}

fn log_call(app: &mut App, done: &ApiDone, label: &str) {
    // A routine poll that saw what the row already showed is not news: the
    // log keeps changes, errors and what a person asked for.
    if done.purpose == Purpose::Poll
        && let Ok(crate::engine::msg::Reply::Status(reply)) = &done.result
        && app
            .row(&done.instance)
            .is_some_and(|r| r.error.is_none() && r.status.as_ref() == Some(&reply.status))
    {
        return;
    }
    let (outcome, level) = match &done.result {
        Ok(reply) => (reply.text().to_string(), LogLevel::Ok),
        Err(e @ CallError::Api(api)) => (
            format!("{} ({})", actions::error_text(e, app.strings()), api.kind()),
            LogLevel::Error,
        ),
        Err(CallError::Local(e)) => (e.clone(), LogLevel::Warn),
    };
    let entry = LogEntry {
        at: app.wall_time(done.at),
        instance: label.to_string(),
        endpoint: done.call.endpoint().name().to_string(),
        outcome,
        latency: Some(done.latency),
        level,
    };
    app.log.push(entry);
}

fn on_config_edited(app: &mut App, what: ConfigEdit, result: Result<(), String>) {
    let s = app.strings();
    match (what, result) {
        (ConfigEdit::Added(id), Ok(())) => app.flash(
            format!("{}: {id}", s.instance_added),
            FlashKind::Success,
            FLASH,
        ),
        (ConfigEdit::Removed(id), Ok(())) => app.flash(
            format!("{}: {id}", s.instance_removed),
            FlashKind::Success,
            FLASH,
        ),
        (_, Err(e)) => app.flash(e, FlashKind::Error, FLASH * 3),
    }
}

fn on_key(app: &mut App, key: KeyEvent, effects: &mut Vec<Effect>) {
    app.settle();
    app.dirty = true;
    let kind = app.mode.kind();
    let action = app.keys.lookup(kind, &key);
    match kind {
        ModeKind::List => {
            if let Some(action) = action {
                list_action(app, action, effects);
            }
        }
        ModeKind::Filter => filter_key(app, action, &key),
        ModeKind::Command => command_key(app, action, &key, effects),
        ModeKind::Help => help_key(app, action, &key),
        ModeKind::Doctor => doctor_key(app, action),
        ModeKind::Log => log_key(app, action),
        ModeKind::Confirm => confirm_key(app, language_yes(app, action, &key), &key, effects),
        ModeKind::Form | ModeKind::PictureForm | ModeKind::Choice => {
            form_key(app, action, &key, effects)
        }
        ModeKind::Qr => qr_key(app, action, effects),
        ModeKind::History => history_key(app, action),
    }
    app.clamp_offset();
}
