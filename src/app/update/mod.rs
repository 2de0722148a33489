//! The one place the state changes: `update(&mut App, Msg) -> Vec<Effect>`.
//! Pure: no I/O, no clock reads (ticks and answers carry the time).
//!
//! This file routes messages and keys; each mode's behaviour lives in its
//! own file beside it (`list`, `filter`, `command`, `overlays`, `confirm`,
//! `form`, `qr`, `input`), and polling in `polls`.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use crate::api::InstanceStatus;
use crate::app::effect::{Call, Effect, NewInstance, Purpose};
use crate::app::filter::Filter;
use crate::app::form::{Field, Form, FormKind};
use crate::app::keymap::{Action, ModeKind};
use crate::app::log::{LogEntry, LogLevel};
use crate::app::msg::{ApiDone, CallError, ConfigEdit, Msg, Reply};
use crate::app::qr_pane::{self, QrPane};
use crate::app::row::{CheckMark, Row};
use crate::app::schedule;
use crate::app::state::{App, Confirm, FlashKind, Mode, Pending, SortKey};
use crate::app::{actions, bulk};
use crate::history::Cause;

const FLASH: Duration = Duration::from_secs(5);

mod command;
mod confirm;
mod filter;
mod form;
mod input;
mod list;
mod overlays;
mod polls;
mod qr;
mod reconnect;
mod share;

pub use command::run_command;
use command::*;
use confirm::*;
use filter::*;
use form::*;
use input::*;
use list::*;
use overlays::*;
use polls::*;
use qr::*;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Tick(now) => {
            on_tick(app, now);
            actions::on_tick(app, &mut effects);
            crate::alerts::feed::on_tick(app, now, &mut effects);
        }
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key, &mut effects),
        Msg::Key(_) => {}
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Paste(text) => on_paste(app, &text),
        // The next draw reads the new size from the terminal itself.
        Msg::Resize(w, h) => {
            app.dirty = true;
            app.screen_size = (w, h);
        }
        Msg::Api(done) => on_api(app, done, &mut effects),
        Msg::ConfigEdited { what, result } => on_config_edited(app, what, result),
        Msg::MemorySaved(Err(e)) => app.flash(e, FlashKind::Error, FLASH * 2),
        Msg::MemorySaved(Ok(())) => {}
        Msg::PicturePreview { seq, result } => {
            actions::on_preview(app, seq, result);
            app.picture.cache_text();
        }
        Msg::QrSaved(result) => on_qr_saved(app, result),
        Msg::Quit => app.quit = true,
        Msg::History(answer) => crate::app::history_view::on_answer(app, answer),
        Msg::HistoryNotice(text) => app.flash(text, FlashKind::Error, FLASH * 3),
        Msg::QrOpened(result) => on_qr_opened(app, result),
        Msg::AlertDelivered {
            event,
            channel,
            ok,
            detail,
        } => crate::alerts::feed::on_delivered(app, &event, &channel, ok, &detail),
        Msg::Silences(result) => crate::alerts::feed::on_silences(app, result),
        Msg::ShareOpened { instance, result } => share::on_share_opened(app, &instance, result),
        Msg::Reloaded(reload) => {
            app.reloaded = Some(crate::app::reload::apply(app, *reload));
        }
    }
    dispatch_polls(app, &mut effects);
    drive_qr_pane(app, &mut effects);
    crate::app::history_view::drive(app, &mut effects);
    effects
}

fn on_tick(app: &mut App, now: Instant) {
    app.now = now;
    if app.flash.as_ref().is_some_and(|f| f.until <= now) {
        app.flash = None;
        app.dirty = true;
    }
    for row in &mut app.rows {
        if row.alert_until.is_some_and(|t| t <= now) {
            row.alert_until = None;
            app.dirty = true;
        }
    }
    rebuild_due(app);
    note_overdue(app);
    // The "checked 3 s ago" columns move once a second; spinners faster.
    let second = now.saturating_duration_since(app.clock_base()).as_secs();
    if second != app.last_second || app.is_busy() {
        app.last_second = second;
        app.dirty = true;
    }
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
        ModeKind::Help => help_key(app, action),
        ModeKind::Log => log_key(app, action),
        ModeKind::Confirm => confirm_key(app, action, effects),
        ModeKind::Form | ModeKind::PictureForm | ModeKind::Choice => {
            form_key(app, action, &key, effects)
        }
        ModeKind::Qr => qr_key(app, action, effects),
        ModeKind::History => crate::app::history_view::pane_key(app, action),
    }
    app.clamp_offset();
}
