//! The modes' own small rules: `:log` by id, every flash kept in the log,
//! the list's bar with marks.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyCode;

use super::{app_with, code, key};
use crate::app::modes::Mode;
use crate::app::state::{App, FlashKind};
use crate::app::update;
use crate::keys::{Action, ModeKind};

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(c));
    }
}

#[test]
fn log_by_id_narrows_to_the_instances_label() {
    let mut app = app_with(3, 4, Instant::now());
    typed(&mut app, ":log id001");
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::Log));
    assert_eq!(app.screen.log_instance.as_deref(), Some("tienda 001"));
}

#[test]
fn tab_on_log_offers_the_errors_word_labels_and_ids() {
    let mut app = app_with(3, 4, Instant::now());
    typed(&mut app, ":log ");
    update(&mut app, code(KeyCode::Tab));
    let offered = &app.screen.suggestions;
    for word in ["errors", "Tienda 000", "ID002"] {
        assert!(offered.iter().any(|w| w == word), "{word}: {offered:?}");
    }
}

#[test]
fn info_and_success_flashes_are_kept_whole_in_the_log() {
    let mut app = app_with(1, 4, Instant::now());
    let long = "x".repeat(200);
    app.flash(long.clone(), FlashKind::Info, Duration::from_secs(5));
    assert_eq!(app.log.entries().back().unwrap().outcome, long);
    app.flash("done", FlashKind::Success, Duration::from_secs(5));
    assert_eq!(app.log.entries().back().unwrap().outcome, "done");
}

#[test]
fn with_marks_the_bar_puts_their_keys_first_and_says_this_row() {
    let mut app = app_with(3, 4, Instant::now());
    let first = |app: &App, a| crate::app::context::bar_first(app, ModeKind::List, a);
    assert_eq!(first(&app, Action::ClearMarks), None);
    update(&mut app, key(' '));
    assert_eq!(first(&app, Action::ClearMarks), Some(0));
    assert!(first(&app, Action::EditName).is_none());
    let note = crate::app::context::bar_note(&app, ModeKind::List, Action::EditName);
    assert_eq!(note, Some("(this row)"));
}

/// A failed call reads in the dashboard's language in the log, the flash
/// and the form, whatever the process-wide language (English in tests).
#[test]
fn a_failed_call_is_worded_in_the_dashboards_language() {
    use crate::api::ApiError;
    use crate::engine::msg::{ApiDone, CallError, CoreMsg};
    use crate::engine::{Call, Purpose};
    let now = Instant::now();
    let mut app = app_with(1, 4, now);
    app.lang = crate::i18n::Lang::Es;
    update(&mut app, key('n'));
    typed(&mut app, "Lima");
    update(&mut app, code(KeyCode::Enter));
    let done = ApiDone {
        instance: "ID000".into(),
        call: Call::Name("Lima".into()),
        purpose: Purpose::Action,
        at: now,
        latency: Duration::from_millis(5),
        result: Err(CallError::Api(ApiError::NotFound {
            server_text: "Instancia no encontrada".into(),
        })),
    };
    update(&mut app, crate::app::msg::Msg::Core(CoreMsg::Api(done)));
    let hint = "revise la apiKey y el id";
    let Mode::Form(form) = &app.mode else {
        panic!("the form stays open")
    };
    assert!(
        form.error.as_deref().unwrap().contains(hint),
        "{:?}",
        form.error
    );
    assert!(app.flash.as_ref().unwrap().text.contains(hint));
    let logged: Vec<&str> = app
        .log
        .entries()
        .iter()
        .map(|e| e.outcome.as_str())
        .collect();
    assert!(
        logged.iter().filter(|o| o.contains(hint)).count() >= 2,
        "{logged:?}"
    );
}
