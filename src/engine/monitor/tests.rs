//! The monitor driven alone, as `watch` drives it: no dashboard, only
//! messages in and effects and events out.

use std::time::{Duration, Instant, SystemTime};

use crate::api::{ApiError, StatusReply};
use crate::domain::{Health, InstanceStatus, Seen};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::event::Event;
use crate::engine::monitor::{AccountView, Command, InstanceSeed, Monitor, Step, step};
use crate::engine::msg::{ApiDone, CallError, CoreMsg, Reply};

fn monitor(n: usize, now: Instant) -> Monitor {
    let seeds = (0..n)
        .map(|i| InstanceSeed::new(format!("ID{i}"), format!("Shop {i}"), &[]))
        .collect();
    let accounts = vec![AccountView {
        name: "main".into(),
        base_url: "http://127.0.0.1:1".into(),
        key_masked: "••••abcd".into(),
    }];
    Monitor::new(
        accounts,
        seeds,
        Duration::from_secs(10),
        4,
        now,
        SystemTime::UNIX_EPOCH,
    )
}

fn run(m: &mut Monitor, msg: CoreMsg) -> Step {
    let mut out = Step::default();
    step(m, msg, &mut out);
    out
}

fn status(id: &str, at: Instant, answer: Result<InstanceStatus, ()>) -> CoreMsg {
    CoreMsg::Api(ApiDone {
        instance: id.into(),
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: Duration::from_millis(20),
        result: match answer {
            Ok(status) => Ok(Reply::Status(StatusReply {
                status,
                text: "x".into(),
            })),
            Err(()) => Err(CallError::Api(ApiError::Timeout {
                after: Duration::from_secs(1),
            })),
        },
    })
}

fn polled(out: &Step) -> Vec<String> {
    out.effects
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

#[test]
fn ticks_start_polls_up_to_the_cap_and_answers_free_slots() {
    let t0 = Instant::now();
    let mut m = monitor(10, t0);
    let out = run(&mut m, CoreMsg::tick(t0 + Duration::from_secs(5)));
    assert_eq!(polled(&out).len(), 4, "the cap holds");
    let first = polled(&out)[0].clone();
    let out = run(
        &mut m,
        status(
            &first,
            t0 + Duration::from_secs(5),
            Ok(InstanceStatus::Active),
        ),
    );
    assert_eq!(
        polled(&out).len(),
        1,
        "the freed slot goes to the next due row"
    );
    assert!(
        out.effects
            .iter()
            .any(|e| matches!(e, Effect::Record(o) if o.id == first && o.kind == Seen::Active))
    );
}

#[test]
fn a_change_is_an_event_the_first_answer_is_not() {
    let t0 = Instant::now();
    let mut m = monitor(2, t0);
    let t = t0 + Duration::from_secs(5);
    let out = run(&mut m, status("ID0", t, Ok(InstanceStatus::Active)));
    assert!(
        !out.events
            .iter()
            .any(|e| matches!(e, Event::StatusChanged { .. }))
    );
    assert!(out.events.iter().any(|e| matches!(
        e,
        Event::Checked {
            health: Health::Active,
            previous: Health::NotChecked,
            ..
        }
    )));
    let out = run(
        &mut m,
        status(
            "ID0",
            t + Duration::from_secs(10),
            Ok(InstanceStatus::Inactive),
        ),
    );
    let changed: Vec<_> = out
        .events
        .iter()
        .filter_map(|e| match e {
            Event::StatusChanged {
                id,
                from,
                to,
                was_for,
                ..
            } => Some((id.clone(), *from, *to, *was_for)),
            _ => None,
        })
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (changed[0].1, changed[0].2),
        (Health::Active, Health::Inactive)
    );
    assert_eq!(changed[0].0, "ID0");
}

#[test]
fn the_first_round_is_told_once_when_every_row_has_answered() {
    let t0 = Instant::now();
    let mut m = monitor(2, t0);
    let t = t0 + Duration::from_secs(5);
    let first_rounds = |out: &Step| {
        out.events
            .iter()
            .filter(|e| matches!(e, Event::FirstRound { .. }))
            .count()
    };
    assert_eq!(
        first_rounds(&run(&mut m, status("ID0", t, Ok(InstanceStatus::Active)))),
        0
    );
    assert_eq!(first_rounds(&run(&mut m, status("ID1", t, Err(())))), 1);
    assert_eq!(
        first_rounds(&run(&mut m, status("ID1", t, Ok(InstanceStatus::Active)))),
        0
    );
}

#[test]
fn the_wall_clock_is_read_on_every_tick() {
    let t0 = Instant::now();
    let mut m = monitor(1, t0);
    let stepped = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400 * 365 * 50);
    run(
        &mut m,
        CoreMsg::Tick {
            now: t0 + Duration::from_secs(1),
            wall: Some(stepped),
        },
    );
    // An answer after the step is stamped with the stepped clock, not the
    // start's reading plus monotonic time.
    let out = run(
        &mut m,
        status(
            "ID0",
            t0 + Duration::from_secs(2),
            Ok(InstanceStatus::Active),
        ),
    );
    let at = out
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Record(o) => Some(o.at),
            _ => None,
        })
        .unwrap();
    assert_eq!(at, stepped + Duration::from_secs(1));
}

#[test]
fn pause_and_refresh_are_commands() {
    let t0 = Instant::now();
    let mut m = monitor(3, t0);
    let out = run(&mut m, CoreMsg::Command(Command::Pause(Some(true))));
    assert_eq!(out.events, vec![Event::Paused(true)]);
    let out = run(&mut m, CoreMsg::tick(t0 + Duration::from_secs(30)));
    assert!(polled(&out).is_empty(), "paused: nothing starts");
    let out = run(&mut m, CoreMsg::Command(Command::Refresh("ID2".into())));
    assert_eq!(polled(&out), ["ID2"], "a refresh goes past the pause");
}
