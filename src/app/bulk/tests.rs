//! Marks, filter + `*`, bulk progress and the failure summary.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::actions::tests::{answer, api_calls, app_with, ch, key, not_found, ok, typed};
use crate::app::modes::form::FormKind;
use crate::app::msg::Msg;
use crate::engine::effect::Purpose;

use crate::app::modes::Mode;
use crate::app::modes::confirm::Pending;
use crate::app::update;

fn marks(app: &App) -> Vec<&str> {
    app.marks.iter().map(String::as_str).collect()
}

#[test]
fn space_marks_and_moves_down_space_again_unmarks() {
    let mut app = app_with(3);
    ch(&mut app, ' ');
    assert_eq!(marks(&app), ["i1"]);
    assert_eq!(app.selected_id().as_deref(), Some("i2"));
    ch(&mut app, ' ');
    assert_eq!(marks(&app), ["i1", "i2"]);
    key(&mut app, KeyCode::Up);
    ch(&mut app, ' ');
    assert_eq!(marks(&app), ["i1"]);
    // At the bottom the selection stays put.
    ch(&mut app, 'G');
    ch(&mut app, ' ');
    ch(&mut app, ' ');
    assert_eq!(app.selected_id().as_deref(), Some("i3"));
    ch(&mut app, 'u');
    assert!(app.marks.is_empty());
}

#[test]
fn star_marks_only_what_the_filter_shows() {
    let mut app = app_with(6);
    ch(&mut app, '/');
    typed(&mut app, "tag:even");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.view.len(), 3);
    ch(&mut app, '*');
    assert_eq!(marks(&app), ["i2", "i4", "i6"]);
    // Marks survive clearing the filter, and bulk ids include them all.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.view.len(), 6);
    assert_eq!(marked_ids(&app), ["i2", "i4", "i6"]);
}

#[test]
fn bulk_auto_read_asks_once_then_sends_one_bulk_request_each() {
    let mut app = app_with(4);
    ch(&mut app, '*');
    assert!(api_calls(&ch(&mut app, 'a')).is_empty());
    let Mode::Form(form) = &app.mode else {
        panic!("no choice form")
    };
    assert!(matches!(&form.kind, FormKind::AutoRead { ids, bulk: true, .. } if ids.len() == 4));
    key(&mut app, KeyCode::Tab); // on → off
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert!(matches!(app.mode, Mode::List));
    assert_eq!(calls.len(), 4);
    assert!(
        calls
            .iter()
            .all(|(_, call, p)| *call == Call::AutoRead(false) && *p == Purpose::Bulk)
    );
    let run = app.bulk.as_ref().unwrap();
    assert_eq!((run.total, run.done, run.pending.len()), (4, 0, 4));
    assert_eq!(app.busy.len(), 4);
}

#[test]
fn progress_counts_and_failures_stay_marked_with_reasons() {
    let mut app = app_with(5);
    ch(&mut app, '*');
    ch(&mut app, 'a');
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(calls.len(), 5);
    let call = Call::AutoRead(true);

    let e = answer(
        &mut app,
        "i1",
        call.clone(),
        Purpose::Bulk,
        ok("Lectura automática actualizada"),
    );
    assert!(
        e.iter().all(|e| !matches!(e, Effect::SaveMemory(_))),
        "saved once at the end"
    );
    answer(&mut app, "i2", call.clone(), Purpose::Bulk, not_found());
    answer(&mut app, "i3", call.clone(), Purpose::Bulk, ok("ok"));
    let line = &app.flash.as_ref().unwrap().text;
    assert_eq!(line, "auto-read on: 3/5 done, 1 failed");
    answer(&mut app, "i4", call.clone(), Purpose::Bulk, ok("ok"));
    let last = answer(&mut app, "i5", call.clone(), Purpose::Bulk, not_found());

    let run = app.bulk.as_ref().unwrap();
    assert!(run.finished());
    assert_eq!(run.done, 5);
    let failed: Vec<&str> = run.failures.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(failed, ["i2", "i5"]);
    assert!(run.failures[0].reason.contains("Instancia no encontrada"));
    // Successes unmarked, failures kept for a retry.
    assert_eq!(marks(&app), ["i2", "i5"]);
    assert!(app.busy.is_empty());
    let summary = &app.flash.as_ref().unwrap();
    assert_eq!(summary.kind, FlashKind::Error);
    assert!(summary.text.starts_with("auto-read on: 5/5 done, 2 failed"));
    assert!(summary.text.contains("Shop 2 (Instancia no encontrada"));
    // One save for the whole run, with every success in it.
    let saved: Vec<&crate::memory::Memory> = last
        .iter()
        .filter_map(|e| match e {
            Effect::SaveMemory(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1);
    for id in ["i1", "i3", "i4"] {
        assert!(saved[0].get(id).unwrap().auto_read.as_ref().unwrap().value);
    }
    assert!(saved[0].get("i2").is_none());
    // The failures are in the log, reason and all.
    assert!(
        app.log
            .entries()
            .iter()
            .any(|e| e.instance == "Shop 5" && e.outcome.contains("Instancia no encontrada"))
    );
    // Retry: `a` again targets exactly the failures.
    ch(&mut app, 'a');
    let retry = api_calls(&key(&mut app, KeyCode::Enter));
    let ids: Vec<&str> = retry.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["i2", "i5"]);
}

#[test]
fn bulk_disconnect_confirms_with_count_and_first_labels() {
    let mut app = app_with(6);
    ch(&mut app, '*');
    ch(&mut app, 'D');
    let Mode::Confirm(confirm) = &app.mode else {
        panic!("no confirm")
    };
    assert!(!confirm.yes_focused);
    assert!(matches!(&confirm.on_yes, Pending::BulkDisconnect(ids) if ids.len() == 6));
    let text = confirm.lines.join("\n");
    assert!(
        text.contains("6 instances: Shop 1, Shop 2, Shop 3 … +3 more"),
        "{text}"
    );
    assert!(api_calls(&key(&mut app, KeyCode::Esc)).is_empty());
    ch(&mut app, 'D');
    let calls = api_calls(&ch(&mut app, 'y'));
    assert_eq!(calls.len(), 6);
    assert!(
        calls
            .iter()
            .all(|(_, c, p)| *c == Call::Disconnect && *p == Purpose::Bulk)
    );
    // Another bulk action is refused while this one runs.
    ch(&mut app, '*');
    assert!(api_calls(&ch(&mut app, 'a')).is_empty());
    assert!(matches!(app.mode, Mode::List));
    assert_eq!(app.flash.as_ref().unwrap().text, app.strings().bulk_running);
    for (id, _, _) in &calls {
        answer(
            &mut app,
            id,
            Call::Disconnect,
            Purpose::Bulk,
            ok("instancia desconectada"),
        );
    }
    assert!(app.bulk.as_ref().unwrap().failures.is_empty());
    assert!(app.marks.is_empty());
    assert_eq!(app.flash.as_ref().unwrap().kind, FlashKind::Success);
}

#[test]
fn a_busy_instance_is_not_sent_twice_by_a_bulk_run() {
    let mut app = app_with(2);
    ch(&mut app, 'D');
    ch(&mut app, 'y'); // i1 disconnect flying (single action)
    ch(&mut app, '*');
    ch(&mut app, 'D');
    let calls = api_calls(&ch(&mut app, 'y'));
    let ids: Vec<&str> = calls.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["i2"]);
    let run = app.bulk.as_ref().unwrap();
    assert_eq!(run.failures.len(), 1);
    assert_eq!(run.failures[0].id, "i1");
    // The single answer still goes to the single-action path.
    let now = app.monitor.now;
    update(&mut app, Msg::tick(now));
    answer(
        &mut app,
        "i1",
        Call::Disconnect,
        Purpose::Action,
        ok("instancia desconectada"),
    );
    assert!(app.bulk.as_ref().unwrap().pending.contains("i2"));
}
