//! `update` and the history: what it records, what it asks, what it shows.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::api::{DisconnectReply, InstanceStatus};
use crate::app::history_view::HistoryView;
use crate::app::modes::Mode;
use crate::app::msg::Msg;
use crate::app::order::SortKey;
use crate::app::tests::{app_with, key, status_done};
use crate::app::update;
use crate::domain::{Cause, Seen};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::{ApiDone, CoreMsg, Reply};
use crate::history::query::LastStatus;
use crate::history::{HistoryAnswer, HistoryQuery, State, Summary};

fn records(effects: &[Effect]) -> Vec<(String, Seen, Cause)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Record(o) => Some((o.id.clone(), o.kind, o.cause)),
            _ => None,
        })
        .collect()
}

fn queries(effects: &[Effect]) -> Vec<&HistoryQuery> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::HistoryQuery(q) => Some(q),
            _ => None,
        })
        .collect()
}

#[test]
fn every_status_answer_and_a_user_disconnect_is_recorded() {
    let now = Instant::now();
    let mut app = app_with(2, 4, now);
    let fx = update(&mut app, status_done("ID000", now, InstanceStatus::Active));
    assert_eq!(records(&fx), [("ID000".into(), Seen::Active, Cause::Poll)]);
    let fx = update(
        &mut app,
        Msg::Core(CoreMsg::Api(ApiDone {
            instance: "ID000".into(),
            call: Call::Disconnect,
            purpose: Purpose::Action,
            at: now,
            latency: Duration::from_millis(5),
            result: Ok(Reply::Disconnect(DisconnectReply {
                text: "Instancia desconectada".into(),
                already: false,
            })),
        })),
    );
    assert_eq!(
        records(&fx),
        [("ID000".into(), Seen::Inactive, Cause::UserDisconnect)]
    );
}

#[test]
fn without_a_store_nothing_is_asked() {
    let now = Instant::now();
    let mut app = app_with(3, 4, now);
    let fx = update(&mut app, Msg::tick(now));
    assert!(queries(&fx).is_empty());
    update(&mut app, key('h'));
    assert!(matches!(app.mode, Mode::List), "h says history is off");
}

#[test]
fn the_store_is_asked_lazily_and_once_per_need() {
    let now = Instant::now();
    let mut app = app_with(3, 4, now);
    app.history = HistoryView::new(Duration::from_secs(86_400));
    let fx = update(&mut app, Msg::tick(now));
    let q = queries(&fx);
    assert_eq!(q.len(), 3, "{q:?}");
    assert!(matches!(q[0], HistoryQuery::LastStatus));
    assert!(matches!(
        q[1],
        HistoryQuery::Summaries {
            window_ms: 86_400_000,
            ..
        }
    ));
    assert!(matches!(q[2], HistoryQuery::Instance { .. }));
    // Nothing new on the next tick; moving the selection asks for that row.
    let fx = update(&mut app, Msg::tick(now + Duration::from_millis(250)));
    assert!(queries(&fx).is_empty());
    let fx = update(&mut app, key('j'));
    let q = queries(&fx);
    assert_eq!(q.len(), 1);
    assert!(matches!(q[0], HistoryQuery::Instance { id, .. } if id == "ID001"));
    // `:uptime 7d` changes the window and asks again.
    crate::app::update::run_command(&mut app, "uptime 7d", &mut Vec::new());
    assert_eq!(app.history.window, Duration::from_secs(7 * 86_400));
    let fx = update(&mut app, Msg::tick(now + Duration::from_secs(1)));
    assert!(queries(&fx).iter().any(|q| matches!(
        q,
        HistoryQuery::Summaries { window_ms, .. } if *window_ms == 7 * 86_400_000
    )));
    let mut fx = Vec::new();
    crate::app::update::run_command(&mut app, "uptime soon", &mut fx);
    assert_eq!(app.history.window, Duration::from_secs(7 * 86_400), "kept");
}

#[test]
fn summaries_sort_the_worst_first_and_last_run_status_shows_until_a_poll() {
    let now = Instant::now();
    let mut app = app_with(3, 4, now);
    app.history = HistoryView::new(Duration::from_secs(86_400));
    let sum = |active, down, drops| Summary {
        active,
        down,
        drops,
        ..Summary::default()
    };
    let map: HashMap<String, Summary> = [
        ("ID000".to_string(), sum(90, 10, 1)),
        ("ID001".to_string(), sum(50, 50, 4)),
        ("ID002".to_string(), sum(0, 0, 0)),
    ]
    .into();
    update(
        &mut app,
        Msg::Core(CoreMsg::History(HistoryAnswer::Summaries {
            window_ms: 86_400_000,
            map,
        })),
    );
    app.sort = SortKey::Uptime;
    app.view_stale = true;
    app.settle();
    let order: Vec<&str> = app
        .view
        .iter()
        .map(|&i| app.monitor.rows[i].id.as_str())
        .collect();
    assert_eq!(order, ["ID001", "ID000", "ID002"], "nothing observed last");
    app.sort = SortKey::Drops;
    app.view_stale = true;
    app.settle();
    assert_eq!(app.monitor.rows[app.view[0]].id, "ID001");

    update(
        &mut app,
        Msg::Core(CoreMsg::History(HistoryAnswer::LastStatus(vec![
            LastStatus {
                id: "ID000".into(),
                state: State::Inactive,
                detail: None,
                last_seen_ms: 0,
            },
        ]))),
    );
    assert_eq!(app.history.last_run["ID000"].state, State::Inactive);
    update(&mut app, key('h'));
    assert!(matches!(app.mode, Mode::History));
    update(
        &mut app,
        crate::app::tests::code(ratatui::crossterm::event::KeyCode::Esc),
    );
    assert!(matches!(app.mode, Mode::List));
}
