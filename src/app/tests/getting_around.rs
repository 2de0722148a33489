//! Issue 19, "Getting around": the `:` line (completion, history, the
//! table), copy, the attention toggle, views, columns, sort reverse, the
//! doctor pane and the help search, driven through `update`.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;

use super::{app_with, code, key, status_done};
use crate::api::InstanceStatus;
use crate::app::commands::COMMANDS;
use crate::app::modes::Mode;
use crate::app::modes::confirm::Pending;
use crate::app::msg::Msg;
use crate::app::order::SortKey;
use crate::app::state::App;
use crate::app::update::update;
use crate::config::views::{SavedView, ScreenConfig};
use crate::engine::effect::Effect;

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(app, key(c)));
    }
    effects
}

fn command_line(app: &App) -> String {
    match &app.mode {
        Mode::Command(input) => input.value().to_string(),
        other => panic!("not on the : line: {other:?}"),
    }
}

/// Six rows: 0, 3 active; 1, 4 inactive; 2, 5 unknown.
fn mixed() -> (App, Instant) {
    let t0 = Instant::now();
    let mut app = app_with(6, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    update(&mut app, Msg::tick(t1));
    for i in 0..6 {
        let status = match i % 3 {
            0 => InstanceStatus::Active,
            1 => InstanceStatus::Inactive,
            _ => InstanceStatus::Unknown("raro".into()),
        };
        update(&mut app, status_done(&format!("ID{i:03}"), t1, status));
    }
    app.settle();
    (app, t1)
}

#[test]
fn tab_completes_the_command_then_its_argument_and_shows_the_choices() {
    let (mut app, _) = mixed();
    typed(&mut app, ":do");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "doctor");
    // Two commands start with "re": the common part, and both offered.
    update(&mut app, code(KeyCode::Esc));
    typed(&mut app, ":re");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "re");
    assert!(app.screen.suggestions.contains(&"refresh".to_string()));
    assert!(app.screen.suggestions.contains(&"resume".to_string()));
    assert!(app.screen.suggestions.contains(&"reconnect".to_string()));
    update(&mut app, code(KeyCode::Esc));
    // "la": label and latency; "lab": label.
    typed(&mut app, ":sort la");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "sort la");
    typed(&mut app, "b");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "sort label");
    update(&mut app, code(KeyCode::Esc));
    // Spanish aliases complete too.
    // One command, two spellings: its name.
    typed(&mut app, ":reco");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "reconnect ");
    update(&mut app, code(KeyCode::Esc));
    typed(&mut app, ":reconec");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "reconectar ");
    update(&mut app, code(KeyCode::Esc));
    typed(&mut app, ":filter tag:pe");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "filter tag:peru");
}

#[test]
fn up_recalls_the_lines_run_before() {
    let (mut app, _) = mixed();
    typed(&mut app, ":sort latency");
    update(&mut app, code(KeyCode::Enter));
    typed(&mut app, ":filter tag:peru");
    update(&mut app, code(KeyCode::Enter));
    typed(&mut app, ":");
    update(&mut app, code(KeyCode::Up));
    assert_eq!(command_line(&app), "filter tag:peru");
    update(&mut app, code(KeyCode::Up));
    assert_eq!(command_line(&app), "sort latency");
    update(&mut app, code(KeyCode::Down));
    update(&mut app, code(KeyCode::Down));
    assert_eq!(command_line(&app), "");
    update(&mut app, code(KeyCode::Up));
    update(&mut app, code(KeyCode::Up));
    update(&mut app, code(KeyCode::Enter));
    assert_eq!(app.sort, SortKey::Latency);
}

#[test]
fn every_command_in_the_table_runs_and_the_unknown_message_lists_them_all() {
    for spec in COMMANDS {
        let (mut app, _) = mixed();
        app.sort = SortKey::Label;
        let before = format!("{:?}", app.mode);
        // With the usage's first example as the argument.
        let arg = spec.usage.split('|').next().unwrap_or("");
        let line = format!(
            "{} {}",
            spec.name,
            arg.trim_matches(|c| c == '[' || c == ']')
        );
        crate::app::update::run_command(&mut app, &line, &mut Vec::new());
        let flash = app
            .flash
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_default();
        assert!(
            !flash.contains(app.strings().unknown_command),
            ":{} is in the table but not run: {flash}",
            spec.name
        );
        let changed = app.quit
            || format!("{:?}", app.mode) != before
            || app.flash.is_some()
            || app.monitor.polling.paused
            || !app.filter_text.is_empty()
            || app.sort != SortKey::Label
            || !app.monitor.rows.iter().all(|r| !r.polling);
        assert!(changed, ":{} did nothing", spec.name);
        for alias in spec.aliases {
            assert_eq!(crate::app::commands::find(alias).unwrap().name, spec.name);
        }
    }
    let (mut app, _) = mixed();
    crate::app::update::run_command(&mut app, "frobnicate", &mut Vec::new());
    let flash = app.flash.clone().unwrap().text;
    for spec in COMMANDS {
        assert!(flash.contains(&format!(":{}", spec.name)), "{flash}");
    }
    // Longer than a status line at 80 columns: the log holds it whole.
    assert!(flash.chars().count() > 80);
    assert_eq!(app.log.entries().back().unwrap().outcome, flash);
}

#[test]
fn y_copies_the_id_and_shift_y_the_label() {
    let (mut app, _) = mixed();
    let row = app.selected_row().unwrap().clone();
    let effects = update(&mut app, key('y'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Clipboard(t) if *t == row.id)),
        "{effects:?}"
    );
    let effects = update(&mut app, key('Y'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Clipboard(t) if *t == row.label))
    );
}

#[test]
fn the_attention_key_shows_rows_that_need_a_look_and_then_all_again() {
    let (mut app, _) = mixed();
    typed(&mut app, "/tag:peru");
    update(&mut app, code(KeyCode::Enter));
    let peru = app.view.len();
    update(&mut app, key('!'));
    assert_eq!(app.view.len(), 4, "inactive and unknown rows");
    assert!(app.view.iter().all(|&i| !app.monitor.rows[i].is_active()));
    update(&mut app, key('!'));
    assert_eq!(app.filter_text, "tag:peru");
    assert_eq!(app.view.len(), peru);
}

#[test]
fn a_saved_view_sets_filter_and_sort_and_completes() {
    let (app, _) = mixed();
    let mut app = app.with_screen(&ScreenConfig {
        columns: None,
        views: vec![SavedView {
            name: "caidas".into(),
            filter: "status:inactive".into(),
            sort: Some("label desc".into()),
        }],
    });
    typed(&mut app, ":view ca");
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(command_line(&app), "view caidas");
    update(&mut app, code(KeyCode::Enter));
    assert_eq!(app.filter_text, "status:inactive");
    assert_eq!((app.sort, app.sort_reverse), (SortKey::Label, true));
    assert_eq!(app.view.len(), 2);
    typed(&mut app, ":view nope");
    update(&mut app, code(KeyCode::Enter));
    assert!(app.flash.as_ref().unwrap().text.contains("caidas"));
}

#[test]
fn s_shift_reverses_the_order() {
    let (mut app, _) = mixed();
    typed(&mut app, ":sort label");
    update(&mut app, code(KeyCode::Enter));
    let first = app.selected_row().unwrap().id.clone();
    update(&mut app, key('S'));
    assert!(app.sort_reverse);
    update(&mut app, key('g'));
    assert_ne!(app.selected_row().unwrap().id, first);
}

#[test]
fn details_and_wide_toggle() {
    let (mut app, _) = mixed();
    assert!(app.screen.details && !app.screen.wide);
    update(&mut app, key('v'));
    update(&mut app, key('w'));
    assert!(!app.screen.details && app.screen.wide);
}

#[test]
fn c_on_a_filtered_list_offers_the_inactive_rows_shown() {
    let (mut app, _) = mixed();
    update(&mut app, key('!'));
    update(&mut app, key('c'));
    match &app.mode {
        Mode::Confirm(c) => assert_eq!(
            c.on_yes,
            Pending::ReconnectShown(vec!["ID001".into(), "ID004".into()])
        ),
        other => panic!("{other:?}"),
    }
    update(&mut app, key('y'));
    assert!(app.reconnect.is_some(), "the queue started");
    // Unfiltered, `c` opens the selected row's pane as before.
    let (mut app, _) = mixed();
    update(&mut app, key('c'));
    assert!(matches!(app.mode, Mode::Qr(_)));
}

#[test]
fn doctor_has_its_own_pane_and_leaves_the_log_alone() {
    let (mut app, _) = mixed();
    let logged = app.log.len();
    typed(&mut app, ":doctor");
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Doctor(0)));
    assert!(!app.screen.doctor.is_empty());
    assert_eq!(app.log.len(), logged);
    update(&mut app, key('j'));
    assert!(matches!(app.mode, Mode::Doctor(1)));
    update(&mut app, code(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::List));
}

#[test]
fn help_search_narrows_as_one_types_and_esc_clears_it_first() {
    let (mut app, _) = mixed();
    update(&mut app, key('?'));
    update(&mut app, key('/'));
    // `q` is text in the search, not "close".
    typed(&mut app, "doctorq");
    assert_eq!(app.screen.help_query, "doctorq");
    update(&mut app, code(KeyCode::Backspace));
    update(&mut app, code(KeyCode::Enter));
    assert_eq!(app.screen.help_query, "doctor");
    assert!(matches!(app.mode, Mode::Help { .. }));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.screen.help_query.is_empty());
    assert!(matches!(app.mode, Mode::Help { .. }));
    update(&mut app, code(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::List));
}

#[test]
fn routine_polls_stay_out_of_the_log_and_the_log_filters() {
    let (mut app, t1) = mixed();
    let logged = app.log.len();
    assert_eq!(logged, 6, "first answers are news");
    // The same status again: not logged. A change: logged.
    let t2 = t1 + Duration::from_secs(11);
    update(&mut app, status_done("ID000", t2, InstanceStatus::Active));
    assert_eq!(app.log.len(), logged);
    update(&mut app, status_done("ID000", t2, InstanceStatus::Inactive));
    assert_eq!(app.log.len(), logged + 1);

    let shown = |app: &App| {
        app.log
            .entries()
            .iter()
            .filter(|e| crate::app::log_filter::shows(&app.screen, e))
            .count()
    };
    typed(&mut app, ":log tienda 001");
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Log));
    assert_eq!(shown(&app), 1);
    typed(&mut app, "e");
    assert!(app.screen.log_errors);
    assert_eq!(shown(&app), 0, "Tienda 001's answer was no error");
    update(&mut app, code(KeyCode::Esc));
    typed(&mut app, ":log");
    update(&mut app, code(KeyCode::Enter));
    assert_eq!(shown(&app), app.log.len());
}

#[test]
fn the_qr_bar_offers_no_save_renew_or_open_for_a_linked_instance() {
    use crate::app::context::in_bar;
    use crate::keys::{Action, ModeKind};
    let (mut app, _) = mixed();
    app.can_open_viewer = true;
    let active = app
        .view
        .iter()
        .position(|&i| app.monitor.rows[i].is_active())
        .unwrap();
    app.selected = active;
    app.follow_top = false;
    update(&mut app, key('c'));
    assert!(matches!(app.mode, Mode::Qr(_)), "{:?}", app.mode);
    for action in [Action::QrSave, Action::QrNewCode, Action::QrOpen] {
        assert!(!in_bar(&app, ModeKind::Qr, action, true), "{action:?}");
    }
    assert!(in_bar(&app, ModeKind::Qr, Action::Close, true));
    // An inactive one: all offered.
    update(&mut app, code(KeyCode::Esc));
    let inactive = app
        .view
        .iter()
        .position(|&i| !app.monitor.rows[i].is_active())
        .unwrap();
    app.selected = inactive;
    update(&mut app, key('c'));
    for action in [Action::QrSave, Action::QrNewCode, Action::QrOpen] {
        assert!(in_bar(&app, ModeKind::Qr, action, true), "{action:?}");
    }
}
