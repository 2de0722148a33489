//! The add-instance form (`+`); the profile forms are `profile` beside it.

use crate::app::actions;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::modes::form::Field;
use crate::app::modes::form::Form;
use crate::app::modes::form::FormKind;
use crate::app::modes::form::profile;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::engine::effect::Effect;
use crate::engine::effect::NewInstance;
use crate::engine::row::Row;
use crate::keys::Action;
use ratatui::crossterm::event::KeyEvent;
use tui_input::backend::crossterm::to_input_request;

pub fn open_add_form(app: &mut App) {
    if actions::refuse_read_only(app) {
        return;
    }
    let s = app.strings();
    let account = app
        .monitor
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

pub fn form_key(app: &mut App, action: Option<Action>, key: &KeyEvent, effects: &mut Vec<Effect>) {
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    if profile::owns(&form.kind) {
        profile::profile_form_key(app, action, key, effects);
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

pub fn submit_form(app: &mut App, effects: &mut Vec<Effect>) {
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
            if app.monitor.index.contains_key(&id) {
                form.error = Some(s.duplicate_id.to_string());
                form.focus = 0;
                return;
            }
            let account_name = form.value(2).trim().to_string();
            let account = if account_name.is_empty() {
                Some(0).filter(|_| !app.monitor.accounts.is_empty())
            } else {
                app.monitor
                    .accounts
                    .iter()
                    .position(|a| a.name == account_name)
            };
            let Some(account) = account else {
                if app.monitor.accounts.is_empty() {
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
                let names: Vec<_> = app
                    .monitor
                    .accounts
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect();
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
        // The profile forms submit through `actions::profile_form_key`.
        FormKind::Name { .. }
        | FormKind::Description { .. }
        | FormKind::Picture { .. }
        | FormKind::AutoRead { .. } => {}
    }
}

pub fn add_row(app: &mut App, id: &str, label: String, tags: Vec<String>, account: usize) {
    let now = app.monitor.now;
    app.monitor
        .rows
        .push(Row::new(id.to_string(), label, tags, account, now));
    app.reindex();
    app.settle();
    if let Some(&row) = app.monitor.index.get(id)
        && let Some(pos) = app.view.iter().position(|&i| i == row)
    {
        app.follow_top = false;
        app.selected = pos;
    }
    crate::engine::polls::rebuild_due(&mut app.monitor);
}
