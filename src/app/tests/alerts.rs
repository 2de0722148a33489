//! The alert engine as the dashboard drives it: bell, highlight, log,
//! delivery, silences.

use super::*;

#[test]
fn the_alert_engine_drives_bell_highlight_log_and_delivery() {
    use crate::engine::alerts::AlertKind;
    let t0 = Instant::now();
    let sec = |n: u64| t0 + Duration::from_secs(n);
    let alerts = |effects: &[Effect]| -> Vec<AlertKind> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Alert(a) => Some(a.kind),
                _ => None,
            })
            .collect()
    };
    let mut app = app_with(1, 16, t0);
    // after = 3: two inactive answers after an active one are not "down".
    update(
        &mut app,
        status_done("ID000", sec(1), InstanceStatus::Active),
    );
    update(
        &mut app,
        status_done("ID000", sec(2), InstanceStatus::Inactive),
    );
    update(
        &mut app,
        status_done("ID000", sec(3), InstanceStatus::Inactive),
    );
    let fx = update(&mut app, Msg::tick(sec(30)));
    assert!(alerts(&fx).is_empty());
    assert!(!rang(&fx));
    update(
        &mut app,
        status_done("ID000", sec(31), InstanceStatus::Inactive),
    );
    // The event waits one group window (the 10 s interval) for others.
    assert!(alerts(&update(&mut app, Msg::tick(sec(32)))).is_empty());
    let fx = update(&mut app, Msg::tick(sec(41)));
    assert_eq!(alerts(&fx), [AlertKind::Down], "one down, to the worker");
    assert!(rang(&fx), "down rings");
    assert!(app.highlight.contains_key("ID000"));
    assert!(
        app.log
            .entries()
            .iter()
            .any(|e| e.outcome.contains("is down"))
    );
    update(
        &mut app,
        status_done("ID000", sec(42), InstanceStatus::Inactive),
    );
    let fx = update(&mut app, Msg::tick(sec(60)));
    assert!(alerts(&fx).is_empty());
    assert!(!rang(&fx), "staying down does not ring again");
    // resolve_after = 2: back up, the highlight goes.
    update(
        &mut app,
        status_done("ID000", sec(61), InstanceStatus::Active),
    );
    update(
        &mut app,
        status_done("ID000", sec(62), InstanceStatus::Active),
    );
    assert_eq!(
        alerts(&update(&mut app, Msg::tick(sec(80)))),
        [AlertKind::Up]
    );
    assert!(!app.highlight.contains_key("ID000"));
    // Bell off in config: highlighted, logged, silent.
    let mut quiet = app_with(1, 16, t0);
    quiet.bell_enabled = false;
    for n in 1..=3 {
        update(
            &mut quiet,
            status_done("ID000", sec(n), InstanceStatus::Inactive),
        );
    }
    let fx = update(&mut quiet, Msg::tick(sec(20)));
    assert_eq!(alerts(&fx), [AlertKind::Down]);
    assert!(!rang(&fx));
    assert!(quiet.highlight.contains_key("ID000"));
    // A delivery report lands in the log pane; a failure flashes.
    update(
        &mut quiet,
        Msg::Core(CoreMsg::AlertDelivered {
            event: "down".into(),
            id: "ID000".into(),
            label: "Tienda 000".into(),
            channel: "webhook".into(),
            ok: false,
            detail: "http://127.0.0.1:9/… answered 500 (3 tries)".into(),
        }),
    );
    assert!(
        quiet
            .log
            .entries()
            .iter()
            .any(|e| e.outcome.contains("answered 500"))
    );
    assert!(quiet.flash.as_ref().unwrap().text.contains("webhook"));
}

#[test]
fn silences_from_the_store_hold_alerts_back_and_mark_rows() {
    use crate::engine::alerts::{Matcher, Silence};
    let t0 = Instant::now();
    let sec = |n: u64| t0 + Duration::from_secs(n);
    let mut app = app_with(2, 16, t0);
    let wall = app.wall_time(t0);
    update(
        &mut app,
        Msg::Core(CoreMsg::Silences(Ok(vec![Silence {
            id: 1,
            matcher: Matcher::silence("tag:peru").unwrap(),
            starts_at: wall,
            ends_at: wall + Duration::from_secs(3600),
            comment: String::new(),
            created_by: String::new(),
        }]))),
    );
    update(&mut app, Msg::tick(sec(1)));
    assert!(
        app.monitor
            .alerts
            .silence_for(app.row("ID000").unwrap())
            .is_some()
    );
    assert!(
        app.monitor
            .alerts
            .silence_for(app.row("ID001").unwrap())
            .is_none()
    );
    for n in 1..=3 {
        update(
            &mut app,
            status_done("ID000", sec(n), InstanceStatus::Inactive),
        );
    }
    let effects = update(&mut app, Msg::tick(sec(30)));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Alert(_))));
    assert!(!rang(&effects));
}

/// Whether the terminal's bell was asked for.
fn rang(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Bell))
}
