//! Through `update`: which requests the pane sends and when, the refresh
//! interval, the rest after unscanned codes, and the backoff on failures.

use super::*;

#[test]
fn qr_at_open_status_every_2_5_s_never_two_in_flight() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    assert_eq!(pane_calls(update(&mut app, key('c'))), [Call::Qr]);
    assert_eq!(app.mode.kind(), ModeKind::Qr);
    // The QR is in flight: later ticks do not send another.
    assert_eq!(tick(&mut app, secs(t0, 1.0)), []);
    assert_eq!(tick(&mut app, secs(t0, 2.4)), []);
    assert_eq!(tick(&mut app, secs(t0, 2.5)), [Call::Status]);
    assert_eq!(tick(&mut app, secs(t0, 4.0)), [], "status still in flight");
    // The list's own first poll went out meanwhile; the pane's answer
    // must not be taken for it.
    let list_poll = (app.monitor.rows[0].polling, app.monitor.polling.in_flight);
    answer(
        &mut app,
        Call::Status,
        secs(t0, 4.0),
        status(InstanceStatus::Inactive),
    );
    assert_eq!(
        (app.monitor.rows[0].polling, app.monitor.polling.in_flight),
        list_poll
    );
    assert_eq!(tick(&mut app, secs(t0, 6.4)), []);
    assert_eq!(tick(&mut app, secs(t0, 6.5)), [Call::Status]);
    // The row learnt the status too, like a poll would.
    assert_eq!(app.monitor.rows[0].checks, 1);
    assert_eq!(app.monitor.rows[0].checked_at, Some(secs(t0, 4.0)));
}

#[test]
fn qr_is_re_requested_after_the_refresh_interval() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    answer(&mut app, Call::Qr, secs(t0, 1.0), qr_ok(PAIRING));
    let code = pane(&app).code.as_ref().expect("a code");
    assert_eq!((code.payload.as_str(), code.number), (PAIRING, 1));
    assert_eq!(
        pane(&app).countdown(secs(t0, 6.0)),
        Some(Duration::from_secs(15))
    );
    let qr_calls = |calls: Vec<Call>| calls.into_iter().filter(|c| *c == Call::Qr).count();
    assert_eq!(qr_calls(tick(&mut app, secs(t0, 20.9))), 0);
    assert_eq!(qr_calls(tick(&mut app, secs(t0, 21.0))), 1);
    assert_eq!(
        qr_calls(tick(&mut app, secs(t0, 45.0))),
        0,
        "one QR in flight at most"
    );
    answer(&mut app, Call::Qr, secs(t0, 45.5), qr_ok("2@another,code"));
    let code = pane(&app).code.as_ref().unwrap();
    assert_eq!((code.payload.as_str(), code.number), ("2@another,code", 2));
    assert_eq!(qr_calls(tick(&mut app, secs(t0, 65.5))), 1);
}

#[test]
fn after_six_unscanned_codes_the_pane_rests_until_r() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    let qr_calls = |calls: Vec<Call>| calls.into_iter().filter(|c| *c == Call::Qr).count();
    let mut at = 0.0;
    for n in 1..=MAX_UNSCANNED_CODES {
        answer(
            &mut app,
            Call::Qr,
            secs(t0, at + 0.5),
            qr_ok(&format!("2@code{n},x")),
        );
        at += 20.5;
        let calls = tick(&mut app, secs(t0, at));
        if calls.contains(&Call::Status) {
            answer(
                &mut app,
                Call::Status,
                secs(t0, at + 0.1),
                status(InstanceStatus::Inactive),
            );
        }
        let asked = qr_calls(calls);
        assert_eq!(
            asked,
            usize::from(n < MAX_UNSCANNED_CODES),
            "after code {n}"
        );
    }
    assert!(pane(&app).resting());
    assert_eq!(pane(&app).countdown(secs(t0, at)), None);
    assert!(pane(&app).code_expired(secs(t0, at)));
    // Still watching the status: a late scan still counts.
    let later: Vec<Call> = tick(&mut app, secs(t0, at + 60.0));
    assert!(
        later.contains(&Call::Status) && !later.contains(&Call::Qr),
        "{later:?}"
    );
    answer(
        &mut app,
        Call::Status,
        secs(t0, at + 60.5),
        status(InstanceStatus::Inactive),
    );
    // `r`: a new code at once, and six more before the next rest.
    assert_eq!(qr_calls(pane_calls(update(&mut app, key('r')))), 1);
    assert!(!pane(&app).resting());
}

#[test]
fn failures_back_off_and_success_resets() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    answer(
        &mut app,
        Call::Qr,
        secs(t0, 1.0),
        server_error("Error interno"),
    );
    match &pane(&app).problem {
        Some(Problem::Request(text)) => assert!(text.contains("Error interno"), "{text}"),
        other => panic!("{other:?}"),
    }
    let qr_at = |app: &mut App, s: f64| tick(app, secs(t0, s)).contains(&Call::Qr);
    assert!(!qr_at(&mut app, 2.9));
    assert!(qr_at(&mut app, 3.0), "first retry after 2 s");
    answer(
        &mut app,
        Call::Qr,
        secs(t0, 3.0),
        server_error("Error interno"),
    );
    assert!(!qr_at(&mut app, 6.9));
    assert!(qr_at(&mut app, 7.0), "second retry after 4 s");
    answer(
        &mut app,
        Call::Qr,
        secs(t0, 7.0),
        server_error("Error interno"),
    );
    assert!(!qr_at(&mut app, 14.9));
    assert!(qr_at(&mut app, 15.0), "third retry after 8 s");
    // A value that is not a QR: the reason and its first characters.
    update(
        &mut app,
        Msg::Core(CoreMsg::Api(ApiDone {
            instance: "inst-1".into(),
            call: Call::Qr,
            purpose: Purpose::QrPane,
            at: secs(t0, 15.0),
            latency: Duration::ZERO,
            result: Ok(Reply::Qr {
                reply: QrReply {
                    text: "QR-CODE enviado".into(),
                    qr: "<html>502 Bad Gateway</html>".into(),
                },
                payload: Err("the QR value is not base64".into()),
            }),
        })),
    );
    match &pane(&app).problem {
        Some(Problem::Undecodable { why, start }) => {
            assert!(why.contains("not base64"));
            assert!(start.starts_with("<html>502"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!qr_at(&mut app, 30.9));
    assert!(qr_at(&mut app, 31.0), "fourth failure waits 16 s");
    answer(&mut app, Call::Qr, secs(t0, 31.0), qr_ok(PAIRING));
    assert_eq!(pane(&app).problem, None);
    assert_eq!(pane(&app).qr_failures, 0);
    assert!(qr_at(&mut app, 51.0), "back to the normal interval");
}
