//! `a`: the on/off choice, or the opposite of what is remembered.

use super::*;

#[test]
fn auto_read_unknown_asks_then_sends_the_choice() {
    let mut app = app_with(1);
    assert!(api_calls(&ch(&mut app, 'a')).is_empty());
    assert!(matches!(
        form(&app).kind,
        FormKind::AutoRead {
            on: true,
            bulk: false,
            ..
        }
    ));
    key(&mut app, KeyCode::Right);
    assert!(matches!(
        form(&app).kind,
        FormKind::AutoRead { on: false, .. }
    ));
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        calls,
        vec![("i1".to_string(), Call::AutoRead(false), Purpose::Action)]
    );
    answer(
        &mut app,
        "i1",
        Call::AutoRead(false),
        Purpose::Action,
        ok("Lectura automática actualizada"),
    );
    assert!(matches!(app.mode, Mode::List));
    assert!(
        !app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
}

#[test]
fn auto_read_known_sends_the_opposite_and_keeps_the_old_value_until_confirmed() {
    let mut app = app_with(1);
    app.memory.record_auto_read("i1", true, SystemTime::now());
    let calls = api_calls(&ch(&mut app, 'a'));
    assert_eq!(
        calls,
        vec![("i1".to_string(), Call::AutoRead(false), Purpose::Action)]
    );
    assert!(matches!(app.mode, Mode::List));
    // Still the old value while the request flies.
    assert!(
        app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
    assert!(app.busy.contains("i1"));
    // A second `a` while it flies sends nothing.
    assert!(api_calls(&ch(&mut app, 'a')).is_empty());
    answer(
        &mut app,
        "i1",
        Call::AutoRead(false),
        Purpose::Action,
        not_found(),
    );
    assert!(
        app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("Instancia no encontrada")
    );
    let calls = api_calls(&ch(&mut app, 'a'));
    answer(
        &mut app,
        "i1",
        calls[0].1.clone(),
        Purpose::Action,
        ok("ok"),
    );
    assert!(
        !app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
}
