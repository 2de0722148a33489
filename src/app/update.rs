//! The one place the state changes: `update(&mut App, Msg) -> Vec<Effect>`.
//! Pure: no I/O, no clock reads (ticks and answers carry the time).

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::effect::{Call, Effect, NewInstance, Purpose};
use super::filter::Filter;
use super::form::{Field, Form, FormKind};
use super::keymap::{self, Action, ModeKind};
use super::log::{LogEntry, LogLevel};
use super::msg::{ApiDone, CallError, ConfigEdit, Msg, Reply};
use super::qr_pane::{self, QrPane};
use super::row::{CheckMark, Row};
use super::schedule;
use super::state::{App, Confirm, FlashKind, Mode, Pending, SortKey};
use super::{actions, bulk};
use crate::api::InstanceStatus;

const FLASH: Duration = Duration::from_secs(5);
const ALERT: Duration = Duration::from_secs(60);

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Tick(now) => {
            on_tick(app, now);
            actions::on_tick(app, &mut effects);
        }
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key, &mut effects),
        Msg::Key(_) => {}
        Msg::Mouse(mouse) => on_mouse(app, mouse),
        Msg::Paste(text) => on_paste(app, &text),
        // The next draw reads the new size from the terminal itself.
        Msg::Resize(..) => app.dirty = true,
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
    }
    dispatch_polls(app, &mut effects);
    drive_qr_pane(app, &mut effects);
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
    // The "checked 3 s ago" columns move once a second; spinners faster.
    let second = now.saturating_duration_since(app.clock_base()).as_secs();
    if second != app.last_second || app.is_busy() {
        app.last_second = second;
        app.dirty = true;
    }
}

/// Rows due for a poll, earliest first. Rebuilt on each tick so that a
/// finishing poll can hand its slot to the next row in O(1).
fn rebuild_due(app: &mut App) {
    let now = app.now;
    let mut due: Vec<usize> = (0..app.rows.len())
        .filter(|&i| !app.rows[i].polling && app.rows[i].next_poll <= now)
        .collect();
    due.sort_by_key(|&i| app.rows[i].next_poll);
    app.due = due.into();
}

fn dispatch_polls(app: &mut App, effects: &mut Vec<Effect>) {
    if app.polling.paused {
        return;
    }
    while app.polling.in_flight < app.polling.max_in_flight {
        let Some(i) = app.due.pop_front() else { break };
        let Some(row) = app.rows.get_mut(i) else {
            continue;
        };
        if row.polling || row.next_poll > app.now {
            continue;
        }
        start_poll(app, i, Purpose::Poll, effects);
    }
}

/// Mark a row as being checked and ask for its status.
fn start_poll(app: &mut App, i: usize, purpose: Purpose, effects: &mut Vec<Effect>) {
    let row = &mut app.rows[i];
    row.polling = true;
    app.polling.in_flight += 1;
    effects.push(Effect::Api {
        instance: row.id.clone(),
        account: row.account,
        call: Call::Status,
        purpose,
    });
}

/// `r`: check one instance now, outside the schedule and the cap (one
/// request), but never twice at once.
fn refresh_one(app: &mut App, i: usize, effects: &mut Vec<Effect>) {
    if app.rows[i].polling {
        return;
    }
    start_poll(app, i, Purpose::Refresh, effects);
    app.dirty = true;
}

fn on_api(app: &mut App, done: ApiDone, effects: &mut Vec<Effect>) {
    let label = app
        .row(&done.instance)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| done.instance.clone());
    log_call(app, &done, &label);
    if done.purpose == Purpose::QrPane {
        on_qr_pane_answer(app, done, &label);
        return;
    }
    match (&done.call, done.purpose) {
        (Call::Status, _) => on_status(app, done, &label),
        (_, Purpose::Action) => actions::on_done(app, done, effects),
        (_, Purpose::Bulk) => bulk::on_done(app, done, effects),
        _ => {
            // No other path sends these; if one ever does, say what came back.
            match &done.result {
                Ok(reply) => app.flash(
                    format!("{label}: {}", reply.text()),
                    FlashKind::Success,
                    FLASH,
                ),
                Err(e) => app.flash(format!("{label}: {e}"), FlashKind::Error, FLASH * 2),
            }
        }
    }
}

fn log_call(app: &mut App, done: &ApiDone, label: &str) {
    let (outcome, level) = match &done.result {
        Ok(reply) => (reply.text().to_string(), LogLevel::Ok),
        Err(CallError::Api(e)) => (format!("{} ({})", e, e.kind()), LogLevel::Error),
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

fn on_status(app: &mut App, done: ApiDone, label: &str) {
    // The row may be gone (removed while the poll was in flight).
    if let Some(row) = app.row_mut(&done.instance) {
        row.polling = false;
    }
    app.polling.in_flight = app.polling.in_flight.saturating_sub(1);
    record_status(app, done, label);
}

/// What any status answer teaches about its row (history, backoff,
/// transitions, bell), whoever asked: the poller or the QR pane.
fn record_status(app: &mut App, done: ApiDone, label: &str) {
    let interval = app.polling.interval;
    let bell_enabled = app.bell_enabled;
    let sort = app.sort;
    let Some(row) = app.row_mut(&done.instance) else {
        return;
    };
    let health_before = row.health();
    row.checked_at = Some(done.at);
    row.latency = Some(done.latency);
    row.checks += 1;
    let mut went_inactive = false;
    let mut came_back = false;
    let mut changed = false;
    match done.result {
        Ok(Reply::Status(reply)) => {
            let previous = row.status.clone();
            row.error = None;
            row.consecutive_errors = 0;
            if previous.as_ref() != Some(&reply.status) {
                row.changed_at = Some(done.at);
                changed = true;
                went_inactive = previous == Some(InstanceStatus::Active)
                    && reply.status == InstanceStatus::Inactive;
                came_back = previous.is_some() && reply.status == InstanceStatus::Active;
            }
            let mark = match reply.status {
                InstanceStatus::Active => {
                    row.active_checks += 1;
                    CheckMark::Active
                }
                InstanceStatus::Inactive => CheckMark::Inactive,
                InstanceStatus::Unknown(_) => CheckMark::Unknown,
            };
            row.push_mark(mark);
            row.status = Some(reply.status);
            row.next_poll =
                done.at + schedule::next_delay(interval, schedule::seed(&row.id, row.checks));
            if went_inactive {
                row.alert_until = Some(done.at + ALERT);
            } else if came_back {
                row.alert_until = None;
            }
        }
        Ok(_) => {}
        Err(e) => {
            row.consecutive_errors += 1;
            row.push_mark(CheckMark::Error);
            row.error = Some(match e {
                CallError::Api(e) => e,
                CallError::Local(text) => crate::api::ApiError::Transport { detail: text },
            });
            row.next_poll = done.at
                + schedule::backoff_delay(
                    interval,
                    row.consecutive_errors,
                    schedule::seed(&row.id, row.checks),
                );
        }
    }
    // Re-sort only for what the filter and the order read: most answers
    // change nothing there, and 10,000 rows answer often.
    let reorders = row.health() != health_before
        || match sort {
            SortKey::Status | SortKey::Label => false,
            SortKey::LastChange => changed,
            SortKey::Latency => true,
        };
    if reorders {
        app.view_stale = true;
    }
    app.dirty = true;
    let s = app.strings();
    if went_inactive {
        if bell_enabled {
            app.ring_bell = true;
        }
        let text = format!("{label} {}", s.went_inactive);
        app.log.push(LogEntry {
            at: app.wall_time(done.at),
            instance: label.to_string(),
            endpoint: "status".into(),
            outcome: text.clone(),
            latency: None,
            level: LogLevel::Warn,
        });
        app.flash(text, FlashKind::Error, FLASH * 2);
    } else if came_back {
        app.flash(
            format!("{label} {}", s.came_back),
            FlashKind::Success,
            FLASH,
        );
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
    let action = keymap::lookup(kind, &key);
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
    }
    app.clamp_offset();
}

fn move_selection(app: &mut App, delta: isize) {
    if app.view.is_empty() {
        return;
    }
    app.follow_top = false;
    let last = app.view.len() - 1;
    app.selected = app.selected.saturating_add_signed(delta).min(last);
}

fn list_action(app: &mut App, action: Action, effects: &mut Vec<Effect>) {
    let page = app.page_size() as isize;
    match action {
        Action::Up => move_selection(app, -1),
        Action::Down => move_selection(app, 1),
        Action::Top => {
            app.selected = 0;
            app.follow_top = true;
        }
        Action::Bottom => {
            app.selected = app.view.len().saturating_sub(1);
            app.follow_top = false;
        }
        Action::PageUp => move_selection(app, -page),
        Action::PageDown => move_selection(app, page),
        Action::OpenFilter => {
            app.mode = Mode::Filter(Input::new(app.filter_text.clone()));
        }
        Action::ClearFilter => set_filter(app, String::new()),
        Action::OpenCommand => app.mode = Mode::Command(Input::default()),
        Action::CycleSort => {
            app.sort = app.sort.next();
            app.view_stale = true;
            let s = app.strings();
            app.flash(
                format!("{}: {}", s.sort_by, app.sort.name(s)),
                FlashKind::Info,
                FLASH,
            );
        }
        Action::ReverseSort => {
            app.sort_reverse = !app.sort_reverse;
            app.view_stale = true;
        }
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        Action::ToggleLog => app.mode = Mode::Log,
        Action::RefreshOne => {
            if let Some(&i) = app.view.get(app.selected) {
                refresh_one(app, i, effects);
                let s = app.strings();
                let text = format!("{}: {}", s.refreshing, app.rows[i].label);
                app.flash(text, FlashKind::Info, FLASH);
            }
        }
        Action::RefreshAll => refresh_all(app),
        Action::TogglePause => toggle_pause(app, None),
        Action::Quit => app.quit = true,
        Action::AddInstance => open_add_form(app),
        Action::RemoveInstance => ask_remove(app),
        Action::EditName => actions::open_name(app),
        Action::EditDescription => actions::open_description(app),
        Action::EditPicture => actions::open_picture(app),
        Action::ToggleAutoRead => actions::toggle_auto_read(app, effects),
        Action::Disconnect => actions::ask_disconnect(app),
        Action::Mark => bulk::toggle_mark(app),
        Action::MarkAllShown => bulk::mark_all_shown(app),
        Action::ClearMarks => bulk::clear_marks(app),
        Action::Connect => open_qr_pane(app, false),
        Action::Open => open_qr_pane(app, true),
        _ => {}
    }
    app.settle();
}

fn refresh_all(app: &mut App) {
    let now = app.now;
    for row in &mut app.rows {
        row.next_poll = now;
    }
    rebuild_due(app);
    let s = app.strings();
    app.flash(
        format!("{} ({})", s.refreshing, app.rows.len()),
        FlashKind::Info,
        FLASH,
    );
}

fn toggle_pause(app: &mut App, force: Option<bool>) {
    app.polling.paused = force.unwrap_or(!app.polling.paused);
    let s = app.strings();
    let text = if app.polling.paused {
        s.polling_paused
    } else {
        s.polling_resumed
    };
    app.flash(text, FlashKind::Info, FLASH);
}

fn set_filter(app: &mut App, text: String) {
    app.filter = Filter::parse(&text);
    app.filter_text = text;
    app.view_stale = true;
    app.settle();
    app.selected = 0;
    app.offset = 0;
}

fn filter_key(app: &mut App, action: Option<Action>, key: &KeyEvent) {
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

fn command_key(app: &mut App, action: Option<Action>, key: &KeyEvent, effects: &mut Vec<Effect>) {
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

/// The `:` commands. Unknown ones say so instead of doing nothing.
pub fn run_command(app: &mut App, line: &str, effects: &mut Vec<Effect>) {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.trim();
    match word {
        "" => {}
        "q" | "quit" | "salir" => app.quit = true,
        "refresh" | "r" => {
            if rest == "all" || rest.is_empty() && word == "refresh" {
                refresh_all(app);
            } else if let Some(&i) = app.view.get(app.selected) {
                refresh_one(app, i, effects);
            }
        }
        "pause" => toggle_pause(app, Some(true)),
        "resume" => toggle_pause(app, Some(false)),
        "interval" => match humantime::parse_duration(rest) {
            Ok(d) if d >= Duration::from_secs(1) => {
                app.polling.interval = d;
                let latest = app.now + d;
                for row in &mut app.rows {
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
        "filter" | "f" => set_filter(app, rest.to_string()),
        "sort" => {
            let key = match rest {
                "status" | "estado" => Some(SortKey::Status),
                "label" | "name" | "nombre" => Some(SortKey::Label),
                "change" | "changed" | "cambio" => Some(SortKey::LastChange),
                "latency" | "latencia" => Some(SortKey::Latency),
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

fn help_key(app: &mut App, action: Option<Action>) {
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

fn log_key(app: &mut App, action: Option<Action>) {
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

fn ask_remove(app: &mut App) {
    if actions::refuse_read_only(app) {
        return;
    }
    let Some(row) = app.selected_row() else {
        return;
    };
    let s = app.strings();
    app.mode = Mode::Confirm(Confirm {
        title: s.confirm_title.to_string(),
        lines: vec![
            s.remove_instance_q.to_string(),
            format!("{} ({})", row.label, row.id),
        ],
        yes_focused: false,
        on_yes: Pending::RemoveInstance(row.id.clone()),
    });
}

fn confirm_key(app: &mut App, action: Option<Action>, effects: &mut Vec<Effect>) {
    let Mode::Confirm(confirm) = &mut app.mode else {
        return;
    };
    let accept = match action {
        Some(Action::Yes) => true,
        Some(Action::No) => {
            app.mode = Mode::List;
            return;
        }
        Some(Action::NextField) => {
            confirm.yes_focused = !confirm.yes_focused;
            return;
        }
        Some(Action::Submit) => confirm.yes_focused,
        Some(Action::Quit) => {
            app.quit = true;
            return;
        }
        _ => return,
    };
    let pending = confirm.on_yes.clone();
    app.mode = Mode::List;
    if accept {
        run_pending(app, pending, effects);
    }
}

fn run_pending(app: &mut App, pending: Pending, effects: &mut Vec<Effect>) {
    match pending {
        Pending::RemoveInstance(id) => remove_instance(app, &id, effects),
        Pending::Disconnect(id) => actions::send_disconnect(app, &id, effects),
        Pending::BulkDisconnect(ids) => bulk::start(app, ids, Call::Disconnect, effects),
    }
}

fn remove_instance(app: &mut App, id: &str, effects: &mut Vec<Effect>) {
    let Some(&i) = app.index.get(id) else { return };
    // A poll in flight keeps its slot until its answer arrives (and
    // `on_status` frees it then), so the cap is not exceeded meanwhile.
    app.rows.remove(i);
    app.marks.remove(id);
    if app.memory.forget(id).is_some() {
        effects.push(Effect::SaveMemory(app.memory.clone()));
    }
    app.reindex();
    app.settle();
    if app.config_path.is_some() {
        effects.push(Effect::RemoveInstance(id.to_string()));
    } else {
        let s = app.strings();
        app.flash(
            format!("{}: {id} — {}", s.instance_removed, s.demo_not_saved),
            FlashKind::Info,
            FLASH,
        );
    }
}

fn open_add_form(app: &mut App) {
    if actions::refuse_read_only(app) {
        return;
    }
    let s = app.strings();
    let account = app
        .accounts
        .first()
        .map(|a| a.name.clone())
        .unwrap_or_default();
    app.mode = Mode::Form(Form::new(
        FormKind::AddInstance,
        s.add_instance_title,
        vec![
            Field::new(s.field_id),
            Field::new(s.field_label),
            Field::new(s.field_account).with_value(account),
            Field::new(s.field_tags),
        ],
    ));
}

fn form_key(app: &mut App, action: Option<Action>, key: &KeyEvent, effects: &mut Vec<Effect>) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    if actions::owns(&form.kind) {
        actions::form_key(app, action, key, effects);
        return;
    }
    match action {
        Some(Action::Close) => app.mode = Mode::List,
        Some(Action::NextField) => form.next_field(),
        Some(Action::PrevField) => form.prev_field(),
        Some(Action::Quit) => app.quit = true,
        Some(Action::Submit) => submit_form(app, effects),
        _ => {
            let event = ratatui::crossterm::event::Event::Key(*key);
            if let Some(request) = to_input_request(&event) {
                form.edit(request);
                form.error = None;
            }
        }
    }
}

fn submit_form(app: &mut App, effects: &mut Vec<Effect>) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    match form.kind {
        FormKind::AddInstance => {
            let s = app.lang.strings();
            let id = form.value(0).trim().to_string();
            if id.is_empty() {
                form.error = Some(format!("{}: {}", s.field_id, s.required));
                form.focus = 0;
                return;
            }
            if app.index.contains_key(&id) {
                form.error = Some(s.duplicate_id.to_string());
                form.focus = 0;
                return;
            }
            let account_name = form.value(2).trim().to_string();
            let account = if account_name.is_empty() {
                Some(0).filter(|_| !app.accounts.is_empty())
            } else {
                app.accounts.iter().position(|a| a.name == account_name)
            };
            let Some(account) = account else {
                if app.accounts.is_empty() {
                    // The first-run screen behind the form says how to add one.
                    form.error = Some(
                        s.first_run_no_account
                            .lines()
                            .next()
                            .unwrap_or("")
                            .to_string(),
                    );
                    return;
                }
                let names: Vec<_> = app.accounts.iter().map(|a| a.name.as_str()).collect();
                form.error = Some(format!(
                    "{}: {account_name:?}? ({})",
                    s.field_account,
                    names.join(", ")
                ));
                form.focus = 2;
                return;
            };
            let label = Some(form.value(1).trim())
                .filter(|l| !l.is_empty())
                .unwrap_or(&id)
                .to_string();
            let tags: Vec<String> = form
                .value(3)
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            let new = NewInstance {
                id: id.clone(),
                label: label.clone(),
                account: (!account_name.is_empty()).then_some(account_name),
                tags: tags.clone(),
            };
            app.mode = Mode::List;
            add_row(app, &id, label, tags, account);
            if app.config_path.is_some() {
                effects.push(Effect::AddInstance(new));
            } else {
                let s = app.strings();
                app.flash(
                    format!("{}: {id} — {}", s.instance_added, s.demo_not_saved),
                    FlashKind::Info,
                    FLASH,
                );
            }
        }
        // The profile forms submit through `actions::form_key`.
        FormKind::Name { .. }
        | FormKind::Description { .. }
        | FormKind::Picture { .. }
        | FormKind::AutoRead { .. } => {}
    }
}

fn add_row(app: &mut App, id: &str, label: String, tags: Vec<String>, account: usize) {
    let now = app.now;
    app.rows
        .push(Row::new(id.to_string(), label, tags, account, now));
    app.reindex();
    app.settle();
    if let Some(&row) = app.index.get(id)
        && let Some(pos) = app.view.iter().position(|&i| i == row)
    {
        app.follow_top = false;
        app.selected = pos;
    }
    rebuild_due(app);
}

fn on_paste(app: &mut App, text: &str) {
    match &mut app.mode {
        // A paste must not change what a flying request sent.
        Mode::Form(form) if !form.submitting => {
            form.paste(text);
            form.error = None;
        }
        Mode::Filter(input) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                input.handle(tui_input::InputRequest::InsertChar(c));
            }
            let text = input.value().to_string();
            set_filter(app, text);
        }
        Mode::Command(input) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                input.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
        _ => {}
    }
    app.dirty = true;
}

fn on_mouse(app: &mut App, mouse: MouseEvent) {
    if !matches!(app.mode, Mode::List | Mode::Filter(_)) {
        return;
    }
    app.settle();
    let area = app.regions.table_rows;
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let inside = mouse.column >= area.x
                && mouse.column < area.x + area.width
                && mouse.row >= area.y
                && mouse.row < area.y + area.height;
            if inside {
                let pos = app.offset + (mouse.row - area.y) as usize;
                if pos < app.view.len() {
                    app.selected = pos;
                    app.follow_top = false;
                    app.dirty = true;
                }
            }
        }
        MouseEventKind::ScrollDown => {
            move_selection(app, 3);
            app.dirty = true;
        }
        MouseEventKind::ScrollUp => {
            move_selection(app, -3);
            app.dirty = true;
        }
        _ => {}
    }
    app.clamp_offset();
}

/// `c` (or Enter, `only_inactive`, on an inactive row): the QR pane.
fn open_qr_pane(app: &mut App, only_inactive: bool) {
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
        app.now,
    );
    app.mode = Mode::Qr(Box::new(pane));
}

/// Leave the pane; whatever it still has in flight is answered into the void.
fn close_qr_pane(app: &mut App) {
    let Mode::Qr(pane) = std::mem::replace(&mut app.mode, Mode::List) else {
        return;
    };
    for kind in pane.in_flight() {
        app.qr_strays.add(&pane.instance, kind);
    }
    app.dirty = true;
}

/// After every message: close after "Connected", send what is due.
fn drive_qr_pane(app: &mut App, effects: &mut Vec<Effect>) {
    let now = app.now;
    let Mode::Qr(pane) = &mut app.mode else {
        return;
    };
    if pane.should_close(now) {
        close_qr_pane(app);
        return;
    }
    pane.due(now, effects);
    // The pane shows a spinner while a code is on its way.
    if pane.qr_in_flight {
        app.dirty = true;
    }
}

fn on_qr_pane_answer(app: &mut App, done: ApiDone, label: &str) {
    let stray = app.qr_strays.take(&done.instance, &done.call);
    let ours = !stray && matches!(&app.mode, Mode::Qr(pane) if pane.instance == done.instance);
    let mut event = qr_pane::Event::Nothing;
    if ours {
        if let Mode::Qr(pane) = &mut app.mode {
            event = pane.on_answer(&done);
        }
        app.dirty = true;
    }
    // A status answer is news about the row whoever reads it; a late one
    // included (it is still the server's word at that time).
    if done.call == Call::Status {
        record_status(app, done, label);
    }
    if event == qr_pane::Event::Connected && app.bell_enabled {
        app.ring_bell = true;
    }
}

fn qr_key(app: &mut App, action: Option<Action>, effects: &mut Vec<Effect>) {
    let now = app.now;
    let wall = app.wall_time(now);
    let Mode::Qr(pane) = &mut app.mode else {
        return;
    };
    match action {
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
        Some(Action::Disconnect) => ask_disconnect_from_qr(app),
        _ => {}
    }
}

/// `D` in the pane: through the usual confirmation. After it the list is
/// shown; `c` reopens the pane (which waits for the status to turn inactive).
fn ask_disconnect_from_qr(app: &mut App) {
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
    });
}

fn on_qr_saved(app: &mut App, result: Result<std::path::PathBuf, String>) {
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
