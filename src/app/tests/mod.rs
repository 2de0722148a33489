//! `update` driven directly: scheduling, backoff and pause here; alerts and
//! the list (filter, sort, selection, commands, editing) beside.

use std::time::{Duration, Instant, SystemTime};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::init::AppInit;
use super::msg::Msg;
use super::order::SortKey;
use super::state::App;
use super::update;
use crate::api::{ApiError, InstanceStatus, StatusReply};
use crate::app::modes::Mode;
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::monitor::InstanceSeed;
use crate::engine::msg::{ApiDone, CallError, CoreMsg, Reply};

pub fn app_with(n: usize, concurrency: usize, now: Instant) -> App {
    let seeds = (0..n)
        .map(|i| {
            let tag = if i % 2 == 0 { "peru" } else { "chile" };
            InstanceSeed::new(format!("ID{i:03}"), format!("Tienda {i:03}"), &[tag])
        })
        .collect();
    App::new(AppInit {
        concurrency,
        bell: true,
        ..AppInit::sample(seeds, now)
    })
}

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn polls(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api {
                instance,
                call: Call::Status,
                ..
            } => Some(instance.clone()),
            _ => None,
        })
        .collect()
}

pub fn status_done(id: &str, at: Instant, status: InstanceStatus) -> Msg {
    Msg::Core(CoreMsg::Api(ApiDone {
        instance: id.into(),
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: Duration::from_millis(42),
        result: Ok(Reply::Status(StatusReply {
            text: match status {
                InstanceStatus::Active => "Instancia activa".into(),
                InstanceStatus::Inactive => "Instancia inactiva".into(),
                InstanceStatus::Unknown(ref s) => s.clone(),
            },
            status,
        })),
    }))
}

fn error_done(id: &str, at: Instant) -> Msg {
    Msg::Core(CoreMsg::Api(ApiDone {
        instance: id.into(),
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: Duration::from_secs(15),
        result: Err(CallError::Api(ApiError::Timeout {
            after: Duration::from_secs(15),
        })),
    }))
}

#[test]
fn first_polls_spread_over_the_first_second_and_respect_the_cap() {
    let t0 = Instant::now();
    let mut app = app_with(50, 16, t0);
    let early = polls(&update(&mut app, Msg::tick(t0)));
    assert!(
        early.len() < 16,
        "not every instance is due at t0: {}",
        early.len()
    );
    let effects = update(&mut app, Msg::tick(t0 + Duration::from_secs(1)));
    let total = early.len() + polls(&effects).len();
    assert_eq!(total, 16, "the cap bounds polls in flight");
    assert_eq!(app.monitor.polling.in_flight, 16);
}

#[test]
fn never_two_polls_of_one_instance_and_a_finished_poll_frees_its_slot() {
    let t0 = Instant::now();
    let mut app = app_with(3, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    let first = polls(&update(&mut app, Msg::tick(t1)));
    assert_eq!(first.len(), 3);
    // Overdue again long before the answer: still no second request.
    let again = polls(&update(&mut app, Msg::tick(t1 + Duration::from_secs(60))));
    assert!(again.is_empty(), "{again:?}");
    // `r` on an instance whose poll is in flight sends nothing either.
    assert!(polls(&update(&mut app, key('r'))).is_empty());

    let mut app = app_with(5, 2, t0);
    let sent = polls(&update(&mut app, Msg::tick(t1)));
    assert_eq!(sent.len(), 2);
    let next = polls(&update(
        &mut app,
        status_done(&sent[0], t1, InstanceStatus::Active),
    ));
    assert_eq!(
        next.len(),
        1,
        "the freed slot goes to the next due instance at once"
    );
    assert!(!sent.contains(&next[0]));
}

#[test]
fn next_poll_is_the_interval_with_jitter() {
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    update(&mut app, Msg::tick(t1));
    update(&mut app, status_done("ID000", t1, InstanceStatus::Active));
    let row = app.row("ID000").unwrap();
    let wait = row.next_poll - t1;
    assert!(
        wait >= Duration::from_secs(9) && wait <= Duration::from_secs(11),
        "{wait:?}"
    );
    assert!(polls(&update(&mut app, Msg::tick(t1 + Duration::from_secs(8)))).is_empty());
    assert_eq!(
        polls(&update(&mut app, Msg::tick(t1 + Duration::from_secs(12)))).len(),
        1
    );
}

#[test]
fn errors_back_off_exponentially_and_success_resets() {
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    let mut t = t0 + Duration::from_secs(1);
    update(&mut app, Msg::tick(t));
    let mut waits = Vec::new();
    for _ in 0..7 {
        update(&mut app, error_done("ID000", t));
        let row = app.row("ID000").unwrap();
        waits.push((row.next_poll - t).as_secs_f64());
        t = row.next_poll;
        assert_eq!(polls(&update(&mut app, Msg::tick(t))).len(), 1);
    }
    // 20, 40, 80, 160, then capped at 300 (±10 %).
    for (w, nominal) in waits
        .iter()
        .zip([20.0, 40.0, 80.0, 160.0, 300.0, 300.0, 300.0])
    {
        assert!((w - nominal).abs() <= nominal * 0.1 + 0.01, "{waits:?}");
    }
    assert!(app.row("ID000").unwrap().error.is_some());
    update(&mut app, status_done("ID000", t, InstanceStatus::Active));
    let row = app.row("ID000").unwrap();
    assert!(row.error.is_none());
    assert_eq!(row.consecutive_errors, 0);
    assert!((row.next_poll - t) <= Duration::from_secs(11));
}

#[test]
fn pause_stops_new_polls_and_resume_restarts_them() {
    let t0 = Instant::now();
    let mut app = app_with(4, 16, t0);
    update(&mut app, key('p'));
    assert!(app.monitor.polling.paused);
    assert!(polls(&update(&mut app, Msg::tick(t0 + Duration::from_secs(2)))).is_empty());
    // Resuming sends what came due while paused at once.
    let mut sent = polls(&update(&mut app, key('p')));
    sent.extend(polls(&update(
        &mut app,
        Msg::tick(t0 + Duration::from_secs(3)),
    )));
    assert_eq!(sent.len(), 4);
}

mod alerts;
mod fair;
mod getting_around;
mod history;
mod history_truth;
mod list;
mod modes;
mod qr_pane;
mod reload;
