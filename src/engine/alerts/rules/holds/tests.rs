//! Acks, maintenance windows and escalation on a fake clock, and the
//! properties that hold over any sequence of checks, acks, ticks and windows.

use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use crate::domain::Seen;
use crate::domain::calendar::Calendar;
use crate::domain::holds::{Ack, Escalation, Window};
use crate::domain::matcher::Matcher;
use crate::engine::alerts::event::{AlertEvent, AlertKind};
use crate::engine::alerts::rules::{Check, Engine, Settings};

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000 + secs)
}

fn once(from: u64, to: u64) -> Calendar {
    let ts = |s: u64| jiff::Timestamp::try_from(t(s)).unwrap();
    Calendar::Once {
        start: ts(from),
        end: ts(to),
    }
}

fn window(from: u64, to: u64, only: Option<&str>) -> Window {
    Window {
        name: "w".into(),
        only: only.map(|o| Matcher::only(o).unwrap()),
        calendar: once(from, to),
    }
}

fn ack(id: &str, at: u64) -> Ack {
    Ack {
        id: 1,
        instance_id: id.into(),
        at: t(at),
        by: "ana".into(),
        reason: "ISP outage".into(),
    }
}

fn engine(remind: Option<u64>) -> Engine {
    let mut e = Engine::new(Settings {
        group_window: Duration::ZERO,
        remind_every: remind.map(Duration::from_secs),
        ..Settings::default()
    });
    e.set_escalations(vec![Escalation {
        after: Duration::from_secs(30 * 60),
        channel: "oncall".into(),
    }]);
    e
}

/// One check of `id` at `secs`, then a tick.
fn check(e: &mut Engine, id: &str, seen: Seen, secs: u64) -> Vec<AlertEvent> {
    let tags = vec!["lima".to_string()];
    e.observe(Check {
        id,
        label: "Tienda Lima",
        account: "main",
        tags: &tags,
        seen,
        detail: seen.name(),
        at: t(secs),
    });
    e.tick(t(secs))
}

/// Checks every 10 s over [from, to).
fn run(e: &mut Engine, id: &str, seen: Seen, from: u64, to: u64) -> Vec<AlertEvent> {
    (from..to)
        .step_by(10)
        .flat_map(|s| check(e, id, seen, s))
        .collect()
}

fn kinds(events: &[AlertEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

#[test]
fn reminders_say_how_long_it_has_been_down() {
    let mut e = engine(Some(65 * 60));
    e.set_escalations(Vec::new());
    let events = run(&mut e, "x", Seen::Inactive, 0, 8000);
    assert_eq!(kinds(&events), ["down", "reminder", "reminder"]);
    // Down since 0, told at 20 s; reminders 65 min apart.
    assert!(
        events[2].summary().contains("still down for 2 h 10 min"),
        "{}",
        events[2].summary()
    );
    assert!(events[1].summary().contains("still down for 1 h 5 min"));
    let slack = crate::alerts::deliver::slack_body(&events[2]);
    assert!(
        slack["text"]
            .as_str()
            .unwrap()
            .contains("still down for 2 h 10 min"),
        "{slack}"
    );
}

#[test]
fn escalation_after_thirty_minutes_to_the_named_channel_only_once() {
    let mut e = engine(None);
    let events = run(&mut e, "x", Seen::Inactive, 0, 3 * 3600);
    assert_eq!(kinds(&events), ["down", "escalate"]);
    let esc = &events[1];
    assert_eq!(esc.to.as_deref(), Some("oncall"));
    assert!(
        esc.at >= t(20 + 1800) && esc.at < t(20 + 1810),
        "{:?}",
        esc.at
    );
    assert!(
        esc.summary().contains("still down for 30 min"),
        "{}",
        esc.summary()
    );
    // Up again: the up goes everywhere (no `to`), and a new outage may escalate again.
    let up = run(&mut e, "x", Seen::Active, 3 * 3600, 3 * 3600 + 20);
    assert_eq!(kinds(&up), ["up"]);
    assert_eq!(up[0].to, None);
    let again = run(&mut e, "x", Seen::Inactive, 4 * 3600, 5 * 3600);
    assert_eq!(kinds(&again), ["down", "escalate"]);
}

#[test]
fn a_second_step_goes_later_to_its_own_channel() {
    let mut e = engine(None);
    e.set_escalations(vec![
        Escalation {
            after: Duration::from_secs(3600),
            channel: "boss".into(),
        },
        Escalation {
            after: Duration::from_secs(600),
            channel: "oncall".into(),
        },
    ]);
    let events = run(&mut e, "x", Seen::Inactive, 0, 2 * 3600);
    let to: Vec<_> = events.iter().map(|e| e.to.as_deref()).collect();
    assert_eq!(to, [None, Some("oncall"), Some("boss")]);
}

#[test]
fn a_restart_escalates_neither_twice_nor_never() {
    let mut first = engine(None);
    first.set_escalations(vec![
        Escalation {
            after: Duration::from_secs(600),
            channel: "oncall".into(),
        },
        Escalation {
            after: Duration::from_secs(3600),
            channel: "boss".into(),
        },
    ]);
    let events = run(&mut first, "x", Seen::Inactive, 0, 1000);
    assert_eq!(kinds(&events), ["down", "escalate"]);
    let stored = first.export();
    // A new run from the store: the first step was sent, the second is due later.
    let mut second = engine(None);
    second.set_escalations(first.settings().escalations.clone());
    second.import(&stored);
    let events = run(&mut second, "x", Seen::Inactive, 1000, 2 * 3600);
    let to: Vec<_> = events.iter().map(|e| e.to.as_deref()).collect();
    assert_eq!(to, [Some("boss")], "{:?}", kinds(&events));
    assert!(events[0].at >= t(3600) && events[0].at < t(3700));
}

#[test]
fn an_ack_stops_reminders_and_escalation_until_up_and_the_up_is_sent() {
    let mut e = engine(Some(600));
    let down = run(&mut e, "x", Seen::Inactive, 0, 300);
    assert_eq!(kinds(&down), ["down"]);
    e.set_acks(vec![ack("x", 300)]);
    assert!(e.ack_for("x").is_some());
    let quiet = run(&mut e, "x", Seen::Inactive, 300, 3 * 3600);
    assert!(quiet.is_empty(), "{:?}", kinds(&quiet));
    let up = run(&mut e, "x", Seen::Active, 3 * 3600, 3 * 3600 + 30);
    assert_eq!(kinds(&up), ["up"]);
    assert!(e.ack_for("x").is_none(), "the ack ends with the outage");
    let changed = e.take_changed();
    assert!(
        changed
            .iter()
            .any(|r| r.instance_id == "x" && r.state == "up")
    );
    // The next outage is news again.
    let next = run(&mut e, "x", Seen::Inactive, 4 * 3600, 4 * 3600 + 700);
    assert_eq!(kinds(&next), ["down", "reminder"]);
}

#[test]
fn an_ack_for_an_instance_already_up_ends_at_once() {
    let mut e = engine(None);
    run(&mut e, "x", Seen::Active, 0, 30);
    e.set_acks(vec![ack("x", 30)]);
    e.tick(t(31));
    assert!(e.ack_for("x").is_none());
}

#[test]
fn nothing_during_a_window_and_what_is_still_true_after_it() {
    // Down inside the window and still down after: told when it closes.
    let mut e = engine(None);
    e.set_windows(vec![window(0, 600, None)]);
    assert!(run(&mut e, "x", Seen::Inactive, 0, 600).is_empty());
    let after = run(&mut e, "x", Seen::Inactive, 600, 700);
    assert_eq!(kinds(&after), ["down"]);
    // Down and up again inside: nothing at all.
    let mut e = engine(None);
    e.set_windows(vec![window(0, 600, None)]);
    let mut all = run(&mut e, "x", Seen::Inactive, 0, 300);
    all.extend(run(&mut e, "x", Seen::Active, 300, 900));
    assert!(all.is_empty(), "{:?}", kinds(&all));
    // Down before, up inside: the up waits for the window's end.
    let mut e = engine(None);
    e.set_windows(vec![window(100, 600, None)]);
    assert_eq!(kinds(&run(&mut e, "x", Seen::Inactive, 0, 100)), ["down"]);
    assert!(run(&mut e, "x", Seen::Active, 100, 600).is_empty());
    assert_eq!(kinds(&run(&mut e, "x", Seen::Active, 600, 610)), ["up"]);
}

#[test]
fn a_window_covers_only_what_it_matches() {
    let mut e = engine(None);
    e.set_windows(vec![window(0, 600, Some("tag:cusco"))]);
    assert_eq!(kinds(&run(&mut e, "x", Seen::Inactive, 0, 100)), ["down"]);
}

#[test]
fn a_down_waiting_in_its_batch_when_a_window_opens_waits_too() {
    let mut e = Engine::new(Settings {
        group_window: Duration::from_secs(10),
        ..Settings::default()
    });
    e.set_windows(vec![window(25, 600, None)]);
    // Decided at 20, due at 30: the window opened at 25.
    assert!(run(&mut e, "x", Seen::Inactive, 0, 600).is_empty());
    assert_eq!(kinds(&run(&mut e, "x", Seen::Inactive, 600, 620)), ["down"]);
}

#[derive(Debug, Clone)]
enum Op {
    Check(Seen),
    Ack,
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop_oneof![
            Just(Seen::Active),
            Just(Seen::Inactive),
            Just(Seen::Unknown),
            Just(Seen::Error)
        ]
        .prop_map(Op::Check),
        1 => Just(Op::Ack),
        1 => (1u64..900).prop_map(Op::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any checks, acks, waits and windows: nothing is sent while a window
    /// is open, nothing but the up while an ack holds, escalations go to
    /// their channel, and once the instance stays up the up is sent.
    #[test]
    fn holds_never_send_in_a_window_or_after_an_ack_and_the_up_always_comes(
        ops in proptest::collection::vec(op(), 1..80),
        windows in proptest::collection::vec((0u64..4000, 1u64..2000), 0..3),
        after in 1u32..4,
        resolve_after in 1u32..3,
        group in prop_oneof![Just(0u64), Just(10)],
        flap in prop_oneof![Just(0u32), Just(4)],
    ) {
        let mut e = Engine::new(Settings {
            after,
            resolve_after,
            remind_every: Some(Duration::from_secs(120)),
            flap_changes: flap,
            flap_window: Duration::from_secs(600),
            group_window: Duration::from_secs(group),
            ..Settings::default()
        });
        e.set_escalations(vec![Escalation { after: Duration::from_secs(300), channel: "oncall".into() }]);
        let windows: Vec<Window> = windows.iter().map(|&(s, len)| window(s, s + len, None)).collect();
        let open = |at: SystemTime| windows.iter().any(|w| w.calendar.contains(at));
        e.set_windows(windows.clone());
        let mut now = 0u64;
        let mut sent: Vec<AlertEvent> = Vec::new();
        let step = |e: &mut Engine, now: u64, sent: &mut Vec<AlertEvent>| -> Result<(), TestCaseError> {
            let acked = e.ack_for("x").is_some();
            for ev in e.tick(t(now)) {
                prop_assert!(!open(t(now)), "{} sent at {now} inside a window", ev.kind.name());
                prop_assert!(!acked || ev.kind == AlertKind::Up, "{} sent at {now} while acknowledged", ev.kind.name());
                if ev.kind == AlertKind::Escalate {
                    prop_assert_eq!(ev.to.as_deref(), Some("oncall"));
                } else {
                    prop_assert_eq!(ev.to.as_deref(), None);
                }
                sent.push(ev);
            }
            Ok(())
        };
        for op in &ops {
            match op {
                Op::Check(seen) => {
                    now += 10;
                    let tags: Vec<String> = Vec::new();
                    e.observe(Check { id: "x", label: "X", account: "", tags: &tags, seen: *seen, detail: "", at: t(now) });
                    step(&mut e, now, &mut sent)?;
                }
                Op::Ack => e.set_acks(vec![ack("x", now)]),
                Op::Wait(secs) => {
                    for _ in 0..secs / 5 {
                        now += 5;
                        step(&mut e, now, &mut sent)?;
                    }
                }
            }
        }
        // It comes back for good: after every window and flapping spell.
        let end = now.max(6000) + 1200;
        while now < end {
            now += 10;
            let tags: Vec<String> = Vec::new();
            e.observe(Check { id: "x", label: "X", account: "", tags: &tags, seen: Seen::Active, detail: "", at: t(now) });
            step(&mut e, now, &mut sent)?;
        }
        let last = sent.iter().rev().find(|ev| matches!(ev.kind, AlertKind::Down | AlertKind::Error | AlertKind::Up));
        prop_assert!(
            last.is_none_or(|ev| ev.kind == AlertKind::Up),
            "a down was told and no up followed: {:?}",
            kinds(&sent)
        );
        prop_assert!(e.ack_for("x").is_none(), "the ack ends once up");
    }
}
