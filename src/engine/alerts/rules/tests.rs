//! The engine's rules, one by one, on a fake clock.

use std::time::{Duration, SystemTime};

use super::*;
use crate::domain::matcher::Matcher;
use crate::engine::alerts::event::unix;

const S: Duration = Duration::from_secs(1);

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

fn engine(f: impl FnOnce(&mut Settings)) -> Engine {
    let mut s = Settings {
        group_window: Duration::ZERO,
        ..Settings::default()
    };
    f(&mut s);
    Engine::new(s)
}

struct Fleet {
    engine: Engine,
    tags: Vec<String>,
}

impl Fleet {
    fn new(engine: Engine) -> Fleet {
        Fleet {
            engine,
            tags: vec!["peru".to_string()],
        }
    }

    /// One check of `id` at `secs`, then a tick at the same time.
    fn check(&mut self, id: &str, seen: Seen, secs: u64) -> Vec<AlertEvent> {
        self.observe(id, seen, secs);
        self.engine.tick(t(secs))
    }

    fn observe(&mut self, id: &str, seen: Seen, secs: u64) {
        let label = format!("Tienda {id}");
        self.engine.observe(Check {
            id,
            label: &label,
            account: "main",
            tags: &self.tags,
            seen,
            detail: seen.name(),
            at: t(secs),
        });
    }

    /// Checks every 10 s from `start`; all events, in order.
    fn run(&mut self, id: &str, seen: &[Seen], start: u64) -> Vec<AlertEvent> {
        let mut out = Vec::new();
        for (n, &s) in seen.iter().enumerate() {
            out.extend(self.check(id, s, start + 10 * n as u64));
        }
        out
    }
}

fn kinds(events: &[AlertEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

use Seen::{Active as A, Error as E, Inactive as I, Unknown as U};

#[test]
fn down_only_after_the_configured_number_of_not_active_checks() {
    let mut f = Fleet::new(engine(|_| {}));
    assert!(f.run("x", &[A, I, I], 0).is_empty(), "two are not enough");
    let events = f.check("x", I, 30);
    assert_eq!(kinds(&events), ["down"]);
    let e = &events[0];
    assert_eq!(
        (e.id.as_str(), e.label.as_str(), e.account.as_str()),
        ("x", "Tienda x", "main")
    );
    assert_eq!(e.status, "inactive");
    assert_eq!(e.tags, ["peru"]);
    assert_eq!(e.since, t(10), "since the first inactive check");
    assert!(f.run("x", &[I, I, I, I], 40).is_empty(), "said once");
}

#[test]
fn unknown_counts_as_not_active_and_after_one_alerts_at_once() {
    let mut f = Fleet::new(engine(|s| s.after = 1));
    assert_eq!(kinds(&f.check("x", U, 0)), ["down"]);
    let mut f = Fleet::new(engine(|_| {}));
    assert_eq!(kinds(&f.run("x", &[U, I, U], 0)), ["down"]);
}

#[test]
fn up_only_after_resolve_after_active_checks_with_how_long_it_was_down() {
    let mut f = Fleet::new(engine(|_| {}));
    assert_eq!(kinds(&f.run("x", &[A, I, I, I], 0)), ["down"]);
    assert!(
        f.check("x", A, 100).is_empty(),
        "one active check is not enough"
    );
    assert!(
        f.check("x", I, 110).is_empty(),
        "and breaking the streak restarts it"
    );
    assert!(f.check("x", A, 120).is_empty());
    let events = f.check("x", A, 130);
    assert_eq!(kinds(&events), ["up"]);
    // Down until the first active check of the streak that ended it (at
    // 120 s), as the status line says: not until the up was decided.
    assert_eq!(events[0].down_for, Some(Duration::from_secs(110)));
    assert_eq!(events[0].since, t(10));
    assert!(f.run("x", &[A, A, A], 140).is_empty());
}

#[test]
fn a_short_blip_gives_nothing_either_way() {
    let mut f = Fleet::new(engine(|_| {}));
    assert!(f.run("x", &[A, I, I, A, A, I, A], 0).is_empty());
}

#[test]
fn a_single_failed_check_gives_nothing_and_breaks_no_streak() {
    let mut f = Fleet::new(engine(|_| {}));
    assert!(f.run("x", &[A, E, A, A, E, E, A], 0).is_empty());
    // An error between inactive checks neither resets nor adds to the count.
    let mut f = Fleet::new(engine(|_| {}));
    assert!(f.run("x", &[A, I, I, E], 0).is_empty());
    assert_eq!(kinds(&f.check("x", I, 40)), ["down"]);
    // …nor between the active checks that end an outage.
    assert!(f.run("x", &[A, E], 50).is_empty());
    assert_eq!(kinds(&f.check("x", A, 70)), ["up"]);
}

#[test]
fn errors_are_debounced_and_distinct_from_down() {
    let mut f = Fleet::new(engine(|_| {}));
    assert!(f.run("x", &[A, E, E], 0).is_empty());
    let events = f.check("x", E, 30);
    assert_eq!(kinds(&events), ["error"]);
    assert_eq!(events[0].status, "error");
    assert_eq!(events[0].since, t(10));
    assert!(f.run("x", &[E, E], 40).is_empty());
    // Checkable again and inactive: now it is down, same outage.
    let events = f.run("x", &[I, I, I], 60);
    assert_eq!(kinds(&events), ["down"]);
    assert_eq!(events[0].since, t(10));
    let events = f.run("x", &[A, A], 90);
    assert_eq!(kinds(&events), ["up"]);
    assert_eq!(events[0].down_for, Some(Duration::from_secs(80)));
}

#[test]
fn flapping_sends_one_alert_then_quiet_until_it_settles() {
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.resolve_after = 1;
        s.flap_changes = 4;
        s.flap_window = Duration::from_secs(600);
    }));
    // Four changes are allowed (down, up, down, up)…
    let events = f.run("x", &[A, I, A, I, A], 0);
    assert_eq!(kinds(&events), ["down", "up", "down", "up"]);
    // …the fifth within the window is flapping: one alert, then silence.
    let events = f.check("x", I, 50);
    assert_eq!(kinds(&events), ["flapping"]);
    assert_eq!(events[0].since, t(10));
    assert!(
        events[0].detail.contains("5 changes"),
        "{}",
        events[0].detail
    );
    assert!(f.engine.is_flapping("x"));
    assert!(f.run("x", &[A, I, A, I, A, I], 60).is_empty());
    // It stays down; once the window holds few changes it settles, and the
    // one event that matters is sent: it is down (last told: up).
    assert!(f.run("x", &[I, I, I], 120).is_empty());
    let mut settled = Vec::new();
    for secs in (150..900).step_by(10) {
        settled.extend(f.check("x", I, secs));
    }
    assert_eq!(kinds(&settled), ["down"]);
    assert!(!f.engine.is_flapping("x"));
}

#[test]
fn flapping_that_ends_as_it_began_settles_quietly() {
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.resolve_after = 1;
        s.flap_changes = 2;
        s.flap_window = Duration::from_secs(300);
    }));
    assert_eq!(
        kinds(&f.run("x", &[A, I, A, I], 0)),
        ["down", "up", "flapping"]
    );
    let mut later = Vec::new();
    for secs in (40..1000).step_by(10) {
        later.extend(f.check("x", A, secs));
    }
    assert!(later.is_empty(), "told up, is up: {later:?}");
    assert!(!f.engine.is_flapping("x"));
    // Flap detection off: every debounced change is sent.
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.resolve_after = 1;
        s.flap_changes = 0;
    }));
    assert_eq!(f.run("x", &[A, I, A, I, A, I, A, I], 0).len(), 7);
}

#[test]
fn reminders_repeat_while_down_and_stop_when_up() {
    let mut f = Fleet::new(engine(|s| s.remind_every = Some(Duration::from_secs(300))));
    assert_eq!(kinds(&f.run("x", &[I, I, I], 0)), ["down"]); // told at 20
    assert!(f.engine.tick(t(319)).is_empty());
    let events = f.engine.tick(t(320));
    assert_eq!(kinds(&events), ["reminder"]);
    assert_eq!(events[0].since, t(0));
    assert!(f.engine.tick(t(619)).is_empty());
    assert_eq!(kinds(&f.engine.tick(t(620))), ["reminder"]);
    assert_eq!(kinds(&f.run("x", &[A, A], 700)), ["up"]);
    assert!(f.engine.tick(t(5000)).is_empty());
}

#[test]
fn no_reminders_when_remind_every_is_off() {
    let mut f = Fleet::new(engine(|s| s.remind_every = None));
    assert_eq!(kinds(&f.run("x", &[I, I, I], 0)), ["down"]);
    for secs in (100..100_000).step_by(1000) {
        assert!(f.engine.tick(t(secs)).is_empty());
    }
}

#[test]
fn more_than_ten_down_in_one_window_is_one_grouped_alert() {
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.group_window = Duration::from_secs(10);
    }));
    for n in 0..23 {
        f.observe(&format!("i{n:02}"), I, n % 9);
    }
    assert!(f.engine.tick(t(9)).is_empty(), "the window is still open");
    let events = f.engine.tick(t(10));
    assert_eq!(kinds(&events), ["group"]);
    let g = &events[0];
    assert_eq!(g.grouped, Some(AlertKind::Down));
    assert_eq!(g.members.len(), 23);
    assert_eq!(g.status, "down");
    assert!(
        g.detail
            .starts_with("23 instances down: Tienda i00, Tienda i01"),
        "{}",
        g.detail
    );
    assert!(g.detail.ends_with("and 18 more"), "{}", g.detail);
    assert_eq!(g.since, t(0));
    // They all come back: one grouped "up" too.
    for n in 0..23 {
        f.observe(&format!("i{n:02}"), A, 100);
        f.observe(&format!("i{n:02}"), A, 110);
    }
    let events = f.engine.tick(t(120));
    assert_eq!(kinds(&events), ["group"]);
    assert_eq!(events[0].grouped, Some(AlertKind::Up));
}

#[test]
fn ten_at_once_are_sent_one_by_one_and_kinds_group_separately() {
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.group_window = Duration::from_secs(10);
    }));
    for n in 0..10 {
        f.observe(&format!("d{n}"), I, 1);
    }
    let events = f.engine.tick(t(11));
    assert_eq!(events.len(), 10);
    assert!(events.iter().all(|e| e.kind == AlertKind::Down));
    // Twelve errors and three downs in one window: one group and three downs.
    for n in 0..12 {
        f.observe(&format!("e{n}"), E, 20);
    }
    for n in 0..3 {
        f.observe(&format!("x{n}"), I, 21);
    }
    let events = f.engine.tick(t(30));
    assert_eq!(kinds(&events), ["down", "down", "down", "group"]);
    assert_eq!(events[3].grouped, Some(AlertKind::Error));
}

#[test]
fn down_and_up_again_within_the_window_sends_nothing() {
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.resolve_after = 1;
        s.group_window = Duration::from_secs(30);
    }));
    f.observe("x", I, 0);
    f.observe("x", A, 10);
    assert!(f.engine.tick(t(40)).is_empty());
    // …and it is not "told down": the next drop alerts normally.
    f.observe("x", I, 50);
    assert_eq!(kinds(&f.engine.tick(t(80))), ["down"]);
}

fn silence(id: i64, matcher: &str, from: u64, to: u64) -> Silence {
    Silence {
        id,
        matcher: Matcher::silence(matcher).unwrap(),
        starts_at: t(from),
        ends_at: t(to),
        comment: String::new(),
        created_by: String::new(),
    }
}

#[test]
fn a_silence_holds_alerts_back_and_what_is_still_true_is_sent_when_it_ends() {
    let mut f = Fleet::new(engine(|_| {}));
    f.engine.set_silences(vec![silence(1, "x", 0, 100)]);
    assert!(f.run("x", &[I, I, I, I], 0).is_empty());
    // Another instance is not covered.
    assert_eq!(kinds(&f.run("y", &[I, I, I], 0)), ["down"]);
    assert!(f.engine.tick(t(99)).is_empty());
    let events = f.engine.tick(t(100));
    assert_eq!(kinds(&events), ["down"], "still down when the silence ends");
    assert_eq!(events[0].id, "x");
    assert_eq!(events[0].since, t(0));
}

#[test]
fn trouble_that_came_and_went_under_a_silence_is_never_sent() {
    let mut f = Fleet::new(engine(|_| {}));
    f.engine.set_silences(vec![silence(1, "tag:peru", 0, 1000)]);
    assert!(f.run("x", &[I, I, I, A, A], 0).is_empty());
    assert!(f.engine.tick(t(2000)).is_empty());
    // Silenced by status: only while the instance shows that status.
    let mut f = Fleet::new(engine(|_| {}));
    f.engine
        .set_silences(vec![silence(2, "status:error", 0, 1000)]);
    assert!(f.run("x", &[E, E, E], 0).is_empty());
    assert_eq!(kinds(&f.run("y", &[I, I, I], 0)), ["down"]);
}

#[test]
fn an_up_is_held_back_by_a_silence_too_and_sent_after_it() {
    let mut f = Fleet::new(engine(|_| {}));
    assert_eq!(kinds(&f.run("x", &[I, I, I], 0)), ["down"]);
    f.engine.set_silences(vec![silence(1, "x", 25, 200)]);
    assert!(f.run("x", &[A, A], 30).is_empty());
    let events = f.engine.tick(t(200));
    assert_eq!(kinds(&events), ["up"], "those told down hear it is up");
    // Held back until 200 s, but it was down only until it came back at 30 s.
    assert_eq!(events[0].down_for, Some(Duration::from_secs(30)));
}

#[test]
fn silence_for_names_the_covering_silence() {
    let mut e = engine(|_| {});
    e.set_silences(vec![
        silence(7, "tag:peru", 0, 100),
        silence(8, "zz", 0, 100),
    ]);
    e.tick(t(50));
    let tags = vec!["peru".to_string()];
    let subject = Subject {
        id: "x",
        label: "X",
        tags: &tags,
        health: Health::Active,
    };
    assert_eq!(e.silence_for(&subject).map(|s| s.id), Some(7));
    e.tick(t(100));
    assert!(e.silence_for(&subject).is_none(), "expired");
}

#[test]
fn a_restart_does_not_alert_again_for_what_was_already_told() {
    let mut f = Fleet::new(engine(|_| {}));
    assert_eq!(kinds(&f.run("x", &[I, I, I], 0)), ["down"]);
    let changed = f.engine.take_changed();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].state, "down");
    assert_eq!(changed[0].since, unix(t(0)));
    assert_eq!(changed[0].alerted_at, Some(unix(t(20))));
    assert!(f.engine.take_changed().is_empty(), "taken");
    let stored = f.engine.export();
    assert_eq!(stored, changed);

    let mut g = Fleet::new(engine(|_| {}));
    g.engine.import(&stored);
    assert!(
        g.run("x", &[I, I, I, I, I], 1000).is_empty(),
        "no second down"
    );
    let events = g.run("x", &[A, A], 2000);
    assert_eq!(kinds(&events), ["up"]);
    assert_eq!(
        events[0].down_for,
        Some(Duration::from_secs(2000)),
        "the whole outage, across the restart, until the first active check"
    );
    assert_eq!(g.engine.take_changed()[0].state, "up");
}

#[test]
fn a_restart_keeps_the_reminder_clock_and_alerts_what_was_never_told() {
    let mut f = Fleet::new(engine(|s| s.remind_every = Some(Duration::from_secs(300))));
    f.run("x", &[I, I, I], 0); // told at 20
    f.engine.set_silences(vec![silence(1, "y", 0, 50)]);
    f.run("y", &[I, I, I], 0); // silenced: never told
    let stored = f.engine.export();
    assert_eq!(stored.len(), 1, "only what was announced: {stored:?}");

    let mut g = Fleet::new(engine(|s| s.remind_every = Some(Duration::from_secs(300))));
    g.engine.import(&stored);
    // Not checked yet: nothing is sent about an instance not seen this run.
    assert!(g.engine.tick(t(400)).is_empty());
    assert_eq!(
        kinds(&g.check("x", I, 401)),
        ["reminder"],
        "due since 320 by the stored clock"
    );
    assert!(g.check("x", I, 402).is_empty());
    // y was down and never told: told now, after `after` checks again.
    assert_eq!(kinds(&g.run("y", &[I, I, I], 500)), ["down"]);
}

#[test]
fn a_restart_mid_flapping_stays_quiet_for_a_window() {
    let rows = vec![StateRow {
        instance_id: "x".into(),
        state: "flapping".into(),
        since: unix(t(0)),
        alerted_at: Some(unix(t(50))),
        updated_at: unix(t(50)),
    }];
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.flap_window = Duration::from_secs(600);
    }));
    f.engine.import(&rows);
    assert!(f.engine.is_flapping("x"));
    assert!(f.run("x", &[I, A, I], 100).is_empty());
    let mut later = Vec::new();
    for secs in (200..1000).step_by(10) {
        later.extend(f.check("x", I, secs));
    }
    assert_eq!(kinds(&later), ["down"]);
}

#[test]
fn a_forgotten_instance_leaves_no_queued_event() {
    let mut f = Fleet::new(engine(|s| {
        s.after = 1;
        s.group_window = Duration::from_secs(10);
    }));
    f.observe("x", I, 0);
    f.engine.forget("x");
    assert!(f.engine.tick(t(20)).is_empty());
    assert!(f.engine.condition("x").is_none());
}

#[test]
fn settings_are_kept_sane_and_reload_keeps_state() {
    let e = engine(|s| {
        s.after = 0;
        s.resolve_after = 0;
    });
    assert_eq!((e.settings().after, e.settings().resolve_after), (1, 1));
    let mut f = Fleet::new(engine(|_| {}));
    f.run("x", &[I, I, I], 0);
    f.engine.set_settings(Settings {
        group_window: Duration::ZERO,
        ..Settings::default()
    });
    assert_eq!(f.engine.condition("x"), Some(Condition::Down));
    assert!(f.run("x", &[I, I], 30).is_empty());
    let _ = S;
}

#[test]
fn a_deliberate_disconnect_is_not_alerted_nor_its_relinking() {
    let mut f = Fleet::new(engine(|_| {}));
    assert!(f.run("x", &[A, A], 0).is_empty());
    f.engine.expect_down("x", t(15));
    assert!(f.engine.is_expected_down("x"));
    assert!(f.run("x", &[I, I, I, I, I], 20).is_empty(), "no down");
    // Linked again through the QR: nothing was told, so no up either.
    assert!(f.run("x", &[A, A, A], 100).is_empty(), "no up");
    assert!(!f.engine.is_expected_down("x"), "the spell ended");
    // The next drop is news again.
    assert_eq!(kinds(&f.run("x", &[I, I, I], 200)), ["down"]);
}

#[test]
fn a_disconnect_right_after_trouble_drops_the_queued_down() {
    let mut f = Fleet::new(engine(|s| s.group_window = Duration::from_secs(10)));
    f.run("x", &[A, I, I], 0);
    f.observe("x", I, 30);
    assert!(
        f.engine.tick(t(30)).is_empty(),
        "the down waits in its batch"
    );
    f.engine.expect_down("x", t(32));
    assert!(f.engine.tick(t(45)).is_empty(), "and is dropped");
}

#[test]
fn a_deliberate_disconnect_survives_a_restart() {
    let mut f = Fleet::new(engine(|_| {}));
    f.run("x", &[A, A], 0);
    f.engine.expect_down("x", t(15));
    f.run("x", &[I, I, I], 20);
    let stored = f.engine.export();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].state, "disconnected");
    assert_eq!(stored[0].alerted_at, None);

    let mut g = Fleet::new(engine(|_| {}));
    g.engine.import(&stored);
    assert!(g.run("x", &[I, I, I, I], 1000).is_empty(), "still no down");
    assert!(g.run("x", &[A, A], 2000).is_empty(), "no up");
    assert_eq!(g.engine.take_changed()[0].state, "up");
}

#[test]
fn an_instance_already_alerted_down_then_disconnected_still_gets_its_up() {
    let mut f = Fleet::new(engine(|_| {}));
    assert_eq!(kinds(&f.run("x", &[I, I, I], 0)), ["down"]);
    f.engine.expect_down("x", t(25));
    // Those told it was down hear that it came back.
    assert_eq!(kinds(&f.run("x", &[A, A], 100)), ["up"]);
}
