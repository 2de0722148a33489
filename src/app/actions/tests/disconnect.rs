//! `D`: the confirmation, and answers that are not status polls.

use super::*;

#[test]
fn disconnect_confirms_naming_the_instance_default_no() {
    let mut app = app_with(2);
    ch(&mut app, 'D');
    let Mode::Confirm(confirm) = &app.mode else {
        panic!("no confirm")
    };
    assert!(!confirm.yes_focused);
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("Shop 1") && l.contains("i1"))
    );
    // Enter on the default button sends nothing.
    assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
    assert!(matches!(app.mode, Mode::List));
    ch(&mut app, 'D');
    assert!(api_calls(&ch(&mut app, 'n')).is_empty());
    ch(&mut app, 'D');
    let calls = api_calls(&ch(&mut app, 'y'));
    assert_eq!(
        calls,
        vec![("i1".to_string(), Call::Disconnect, Purpose::Action)]
    );
    let reply = Ok(Reply::Disconnect(DisconnectReply {
        text: "instancia desconectada".into(),
        already: false,
    }));
    answer(&mut app, "i1", Call::Disconnect, Purpose::Action, reply);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("instancia desconectada")
    );
    // Its status is checked at once rather than at the next interval.
    assert!(app.row("i1").unwrap().next_poll <= app.monitor.now);
}

#[test]
fn action_answers_are_not_taken_for_status_polls() {
    let mut app = app_with(1);
    ch(&mut app, 'n');
    typed(&mut app, "Lima");
    key(&mut app, KeyCode::Enter);
    answer(
        &mut app,
        "i1",
        Call::Name("Lima".into()),
        Purpose::Action,
        not_found(),
    );
    let row = app.row("i1").unwrap();
    assert_eq!(row.checks, 0);
    assert!(row.error.is_none());
    assert_eq!(app.monitor.polling.in_flight, 0);
}
