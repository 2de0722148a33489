//! Through `update`: linking, ringing and closing, Esc and reopening, an
//! already active instance, and the pane's keys.

use super::*;

#[test]
fn connected_rings_then_closes_after_two_seconds() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    answer(&mut app, Call::Qr, secs(t0, 0.5), qr_ok(PAIRING));
    assert!(!rang(&update(&mut app, Msg::tick(secs(t0, 2.5)))));
    let fx = answer_effects(
        &mut app,
        Call::Status,
        secs(t0, 12.0),
        status(InstanceStatus::Active),
    );
    assert!(rang(&fx));
    assert_eq!(
        pane(&app).stage,
        Stage::Connected {
            took: Duration::from_secs(12),
            close_at: secs(t0, 14.0)
        }
    );
    assert!(
        app.monitor.rows[0].is_active(),
        "the row turns active at once"
    );
    // Nothing more is asked while "Connected" shows.
    assert_eq!(tick(&mut app, secs(t0, 13.9)), []);
    assert_eq!(app.mode.kind(), ModeKind::Qr);
    assert_eq!(tick(&mut app, secs(t0, 14.0)), []);
    assert_eq!(app.mode.kind(), ModeKind::List);
    assert_eq!(tick(&mut app, secs(t0, 60.0)), []);
}

#[test]
fn no_bell_when_the_user_turned_it_off() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    app.bell_enabled = false;
    update(&mut app, key('c'));
    answer(&mut app, Call::Qr, secs(t0, 0.5), qr_ok(PAIRING));
    tick(&mut app, secs(t0, 2.5));
    let fx = answer_effects(
        &mut app,
        Call::Status,
        secs(t0, 3.0),
        status(InstanceStatus::Active),
    );
    assert!(matches!(pane(&app).stage, Stage::Connected { .. }));
    assert!(!rang(&fx));
}

#[test]
fn esc_stops_everything_and_late_answers_are_harmless() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    tick(&mut app, secs(t0, 2.5));
    assert_eq!(pane_calls(update(&mut app, esc())), []);
    assert_eq!(app.mode.kind(), ModeKind::List);
    for s in [3.0, 25.0, 60.0, 600.0] {
        assert_eq!(tick(&mut app, secs(t0, s)), [], "at {s} s");
    }
    // Both answers come back after the close.
    assert_eq!(
        answer(&mut app, Call::Qr, secs(t0, 601.0), qr_ok(PAIRING)),
        []
    );
    let fx = answer_effects(
        &mut app,
        Call::Status,
        secs(t0, 601.0),
        status(InstanceStatus::Active),
    );
    assert_eq!(pane_calls(fx.clone()), []);
    assert_eq!(app.mode.kind(), ModeKind::List);
    assert!(!rang(&fx), "no bell for a pane that is closed");
    assert!(
        app.monitor.rows[0].is_active(),
        "the status is still news for the row"
    );
    assert!(app.qr_strays.is_empty());
}

#[test]
fn a_reopened_pane_ignores_the_old_panes_answers() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    update(&mut app, esc());
    assert_eq!(pane_calls(update(&mut app, key('c'))), [Call::Qr]);
    // The first pane's answer arrives: not taken for the new request…
    answer(&mut app, Call::Qr, secs(t0, 0.5), qr_ok("2@old"));
    assert!(pane(&app).code.is_none());
    assert!(pane(&app).qr_in_flight);
    assert_eq!(tick(&mut app, secs(t0, 1.0)), [], "still one QR in flight");
    // …the new one is.
    answer(&mut app, Call::Qr, secs(t0, 1.2), qr_ok(PAIRING));
    assert_eq!(pane(&app).code.as_ref().unwrap().payload, PAIRING);
}

#[test]
fn already_active_offers_disconnect_and_watches_the_status() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Active));
    assert_eq!(pane_calls(update(&mut app, key('c'))), []);
    assert_eq!(pane(&app).stage, Stage::AlreadyActive);
    assert_eq!(tick(&mut app, secs(t0, 2.5)), [Call::Status]);
    answer(
        &mut app,
        Call::Status,
        secs(t0, 3.0),
        status(InstanceStatus::Active),
    );
    assert_eq!(tick(&mut app, secs(t0, 5.5)), [Call::Status]);
    // Disconnected elsewhere: the pane starts asking for codes.
    assert_eq!(
        answer(
            &mut app,
            Call::Status,
            secs(t0, 6.0),
            status(InstanceStatus::Inactive)
        ),
        []
    );
    assert_eq!(pane(&app).stage, Stage::Waiting);
    assert_eq!(tick(&mut app, secs(t0, 6.0)), [Call::Qr]);
}

#[test]
fn d_in_the_pane_asks_before_disconnecting() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Active));
    update(&mut app, key('c'));
    update(&mut app, key('D'));
    match &app.mode {
        Mode::Confirm(c) => {
            assert_eq!(c.on_yes, Pending::Disconnect("inst-1".into()));
            assert!(!c.yes_focused);
        }
        other => panic!("{:?}", other.kind()),
    }
    let effects = update(&mut app, key('y'));
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Api { call: Call::Disconnect, instance, .. } if instance == "inst-1"
    )));
}

#[test]
fn active_before_any_code_is_not_a_scan() {
    let t0 = Instant::now();
    // The list thought it inactive; the server says active at once.
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    tick(&mut app, secs(t0, 2.5));
    let fx = answer_effects(
        &mut app,
        Call::Status,
        secs(t0, 2.6),
        status(InstanceStatus::Active),
    );
    assert_eq!(pane(&app).stage, Stage::AlreadyActive);
    assert!(!rang(&fx));
}

#[test]
fn enter_opens_only_on_an_inactive_row() {
    let t0 = Instant::now();
    let enter = || Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    for (status, opens) in [
        (Some(InstanceStatus::Inactive), true),
        (Some(InstanceStatus::Active), false),
        (None, false),
    ] {
        let mut app = app(t0, status.clone());
        update(&mut app, enter());
        assert_eq!(app.mode.kind() == ModeKind::Qr, opens, "{status:?}");
    }
}

#[test]
fn keys_invert_cycle_mode_refresh_and_save() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    // Nothing to save yet: said, nothing written.
    assert!(
        update(&mut app, key('s'))
            .iter()
            .all(|e| !matches!(e, Effect::SaveQrPng { .. }))
    );
    answer(&mut app, Call::Qr, secs(t0, 1.0), qr_ok(PAIRING));
    update(&mut app, key('i'));
    assert!(pane(&app).invert);
    update(&mut app, key('m'));
    assert_eq!(pane(&app).mode, ModeChoice::Half);
    update(&mut app, key('m'));
    update(&mut app, key('m'));
    assert_eq!(pane(&app).mode, ModeChoice::Auto);
    // `r` asks for a code now instead of in 20 s.
    tick(&mut app, secs(t0, 5.0));
    assert!(pane_calls(update(&mut app, key('r'))).contains(&Call::Qr));
    let saved = update(&mut app, key('s'))
        .into_iter()
        .find_map(|e| match e {
            Effect::SaveQrPng { payload, path } => Some((payload, path)),
            _ => None,
        })
        .expect("a save effect");
    assert_eq!(saved.0, PAIRING);
    assert_eq!(saved.1.parent(), Some(Path::new("/srv/wadash")));
    let name = saved.1.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("qr-inst-1-2023-11-14T22-13-2"), "{name}");
    update(&mut app, Msg::Core(CoreMsg::QrSaved(Ok(saved.1.clone()))));
    assert_eq!(pane(&app).saved, Some(Ok(saved.1)));
}
