//! The QR pane: opening, driving its timers, its keys and answers.

pub mod reconnect;
pub mod share;

use crate::app::actions;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::modes::confirm::Confirm;
use crate::app::modes::confirm::Pending;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::domain::InstanceStatus;
use crate::engine::effect::Call;
use crate::engine::effect::Effect;
use crate::engine::msg::ApiDone;
use crate::engine::pairing::qr_pane;
use crate::engine::pairing::qr_pane::QrPane;
use crate::keys::Action;
use std::time::Duration;

/// `c` (or Enter, `only_inactive`, on an inactive row): the QR pane.
pub fn open_qr_pane(app: &mut App, only_inactive: bool) {
    let Some(row) = app.selected_row() else {
        return;
    };
    if only_inactive && row.status != Some(InstanceStatus::Inactive) {
        return;
    }
    let pane = QrPane::open(
        row.id.clone(),
        row.label.clone(),
        row.account,
        row.is_active(),
        app.qr_refresh,
        app.monitor.now,
    );
    app.mode = Mode::Qr(Box::new(pane));
}

/// Leave the pane; whatever it still has in flight is answered into the void.
pub fn close_qr_pane(app: &mut App) {
    let Mode::Qr(pane) = std::mem::replace(&mut app.mode, Mode::List) else {
        return;
    };
    for kind in pane.in_flight() {
        app.qr_strays.add(&pane.instance, kind);
    }
    app.dirty = true;
}

/// After every message: close after "Connected", send what is due.
pub fn drive_qr_pane(app: &mut App, effects: &mut Vec<Effect>) {
    let now = app.monitor.now;
    let Mode::Qr(pane) = &mut app.mode else {
        return;
    };
    if pane.should_close(now) {
        let took = match pane.stage {
            qr_pane::Stage::Connected { took, .. } => took,
            _ => Duration::ZERO,
        };
        close_qr_pane(app);
        reconnect::pane_done(
            app,
            crate::engine::pairing::reconnect_queue::Outcome::Linked { took },
        );
        return;
    }
    // In a queue an instance found already connected needs nothing: next.
    if app.reconnect.is_some() && pane.stage == qr_pane::Stage::AlreadyActive {
        close_qr_pane(app);
        reconnect::pane_done(
            app,
            crate::engine::pairing::reconnect_queue::Outcome::AlreadyActive,
        );
        return;
    }
    pane.due(now, effects);
    // The pane shows a spinner while a code is on its way.
    if pane.qr_in_flight {
        app.dirty = true;
    }
}

pub fn on_qr_pane_answer(app: &mut App, done: &ApiDone, effects: &mut Vec<Effect>) {
    let stray = app.qr_strays.take(&done.instance, &done.call);
    let ours = !stray && matches!(&app.mode, Mode::Qr(pane) if pane.instance == done.instance);
    let mut event = qr_pane::Event::Nothing;
    if ours {
        if let Mode::Qr(pane) = &mut app.mode {
            event = pane.on_answer(done);
        }
        app.dirty = true;
    }
    // Linked through this pane: the history says so (before the plain
    // check the monitor records next, so the new period carries the cause).
    if done.call == Call::Status
        && event == qr_pane::Event::Connected
        && let Mode::Qr(pane) = &app.mode
        && let qr_pane::Stage::Connected { took, .. } = pane.stage
    {
        let at = app.wall_time(done.at);
        effects.push(Effect::Record(crate::engine::observe::linked(
            &done.instance,
            at,
            took,
        )));
    }
    if event == qr_pane::Event::Connected && app.bell_enabled {
        effects.push(Effect::Bell);
    }
}

pub fn qr_key(app: &mut App, action: Option<Action>, effects: &mut Vec<Effect>) {
    let now = app.monitor.now;
    let wall = app.wall_time(now);
    let Mode::Qr(pane) = &mut app.mode else {
        return;
    };
    let queued = app.reconnect.is_some();
    match action {
        Some(Action::Close) if queued => reconnect::leave(app),
        Some(Action::QrSkip) if queued => reconnect::skip(app),
        Some(Action::Close) => close_qr_pane(app),
        Some(Action::Quit) => app.quit = true,
        Some(Action::QrInvert) => pane.invert = !pane.invert,
        Some(Action::QrMode) => pane.mode = pane.mode.next(),
        Some(Action::QrNewCode) => pane.refresh_now(now),
        Some(Action::QrSave) => match &pane.code {
            Some(code) => effects.push(Effect::SaveQrPng {
                payload: code.payload.clone(),
                path: pane.png_path(app.config_path.as_deref(), wall),
            }),
            None => {
                let s = app.strings();
                app.flash(s.qr_nothing_to_save, FlashKind::Error, FLASH);
            }
        },
        Some(Action::QrOpen) => match &pane.code {
            Some(code) if app.can_open_viewer => effects.push(Effect::OpenQrPng {
                payload: code.payload.clone(),
                path: pane.png_path(app.config_path.as_deref(), wall),
            }),
            Some(_) => {
                let s = app.strings();
                app.flash(s.qr_no_viewer, FlashKind::Error, FLASH * 2);
            }
            None => {
                let s = app.strings();
                app.flash(s.qr_nothing_to_save, FlashKind::Error, FLASH);
            }
        },
        Some(Action::Disconnect) => ask_disconnect_from_qr(app),
        Some(Action::QrShare) => share::share_key(app, effects),
        _ => {}
    }
}

pub fn on_qr_opened(app: &mut App, result: Result<std::path::PathBuf, String>) {
    let s = app.strings();
    match &result {
        Ok(path) => app.flash(
            format!("{} {}", s.qr_opened, path.display()),
            FlashKind::Success,
            FLASH * 2,
        ),
        Err(e) => app.flash(e.clone(), FlashKind::Error, FLASH * 2),
    }
    if let Mode::Qr(pane) = &mut app.mode {
        pane.saved = Some(result);
    }
}

/// `D` in the pane: through the usual confirmation. After it the list is
/// shown; `c` reopens the pane (which waits for the status to turn inactive).
pub fn ask_disconnect_from_qr(app: &mut App) {
    if actions::refuse_read_only(app) {
        return;
    }
    let Mode::Qr(pane) = &app.mode else {
        return;
    };
    let (id, label) = (pane.instance.clone(), pane.label.clone());
    close_qr_pane(app);
    let s = app.strings();
    app.mode = Mode::Confirm(Confirm {
        title: s.confirm_title.to_string(),
        lines: vec![s.qr_disconnect_q.to_string(), format!("{label} ({id})")],
        yes_focused: false,
        on_yes: Pending::Disconnect(id),
        typed: None,
    });
}

pub fn on_qr_saved(app: &mut App, result: Result<std::path::PathBuf, String>) {
    let s = app.strings();
    match &result {
        Ok(path) => app.flash(
            format!("{} {}", s.qr_saved, path.display()),
            FlashKind::Success,
            FLASH * 2,
        ),
        Err(e) => app.flash(e.clone(), FlashKind::Error, FLASH * 2),
    }
    if let Mode::Qr(pane) = &mut app.mode {
        pane.saved = Some(result);
    }
}

/// Whether the bar offers `action` in the QR pane (`default`: the key
/// table's choice): nothing to save, renew or open for a linked instance,
/// no viewer without a display, and "skip" while a queue is walked.
pub fn qr_bar(app: &App, action: Action, default: bool) -> bool {
    use Action::*;
    let linked = matches!(
        &app.mode,
        Mode::Qr(pane) if !matches!(pane.stage, qr_pane::Stage::Waiting)
    );
    match action {
        QrSave | QrNewCode | QrOpen | QrShare | QrInvert | QrMode if linked => false,
        QrOpen if !app.can_open_viewer => false,
        QrSkip if app.reconnect.is_some() => true,
        _ => default,
    }
}
