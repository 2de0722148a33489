//! Unit tests of the pane on its own: timers, backoff, file names, strays.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::engine::effect::Purpose;
use crate::engine::msg::{ApiDone, CallError};

#[test]
fn backoff_doubles_up_to_a_minute() {
    let secs: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
    assert_eq!(secs, [2, 4, 8, 16, 32, 60, 60, 60]);
    assert_eq!(backoff(u32::MAX), BACKOFF_MAX);
}

#[test]
fn file_name_is_safe_and_dated() {
    let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let name = png_file_name("inst/../1 a:b", wall);
    assert_eq!(name, "qr-inst____1_a_b-2023-11-14T22-13-20Z.png");
}

#[test]
fn png_goes_next_to_the_config() {
    let now = Instant::now();
    let pane = QrPane::open(
        "i1".into(),
        "L".into(),
        0,
        false,
        Duration::from_secs(20),
        now,
    );
    let wall = SystemTime::UNIX_EPOCH;
    let path = pane.png_path(Some(Path::new("/etc/wadash/config.toml")), wall);
    assert_eq!(path.parent(), Some(Path::new("/etc/wadash")));
    let here = pane.png_path(Some(Path::new("config.toml")), wall);
    assert_eq!(here.parent(), Some(Path::new(".")));
    assert_eq!(pane.png_path(None, wall).parent(), Some(Path::new(".")));
}

#[test]
fn next_due_follows_the_timers_and_status_every_can_be_set() {
    let t0 = Instant::now();
    let mut pane = QrPane::open("i1".into(), "L".into(), 0, false, QR_REFRESH, t0)
        .with_status_every(Duration::from_millis(500));
    assert_eq!(pane.next_due(), Some(t0), "the QR at once");
    let mut effects = Vec::new();
    pane.due(t0, &mut effects);
    assert_eq!(effects.len(), 1);
    let half_second = t0 + Duration::from_millis(500);
    assert_eq!(pane.next_due(), Some(half_second), "then the status");
    pane.due(half_second, &mut effects);
    assert_eq!(effects.len(), 2);
    assert_eq!(pane.next_due(), None, "both in flight");
    // A zero interval is floored rather than asked in a tight loop.
    let pane = QrPane::open("i1".into(), "L".into(), 0, false, QR_REFRESH, t0)
        .with_status_every(Duration::ZERO);
    assert_eq!(pane.status_every, MIN_INTERVAL);
}

#[test]
fn a_slow_status_interval_outlasts_the_status_backoff_cap() {
    let t0 = Instant::now();
    let every = Duration::from_secs(30);
    let mut pane =
        QrPane::open("i1".into(), "L".into(), 0, false, QR_REFRESH, t0).with_status_every(every);
    pane.status_in_flight = true;
    pane.on_answer(&ApiDone {
        instance: "i1".into(),
        call: Call::Status,
        purpose: Purpose::QrPane,
        at: t0,
        latency: Duration::ZERO,
        result: Err(CallError::Local("down".into())),
    });
    assert_eq!(pane.next_status, t0 + every);
}

#[test]
fn strays_match_instance_and_kind_once() {
    let mut strays = Strays::default();
    strays.add("a", Kind::Qr);
    assert!(!strays.take("a", &Call::Status));
    assert!(!strays.take("b", &Call::Qr));
    assert!(strays.take("a", &Call::Qr));
    assert!(!strays.take("a", &Call::Qr));
    assert!(strays.is_empty());
}
