//! Issue 18's vendor outage, exactly: checks fail for 45 rounds while
//! instances were up or already told down.

use std::time::{Duration, SystemTime};

use super::{Check, Engine, Settings};
use crate::domain::Seen;
use crate::engine::alerts::event::AlertEvent;

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

/// One check of each instance per second; every event, as "id kind status".
fn rounds(engine: &mut Engine, start: u64, fleet: &[(&str, Seen)], n: u64) -> Vec<String> {
    let mut out = Vec::new();
    for s in start..start + n {
        for &(id, seen) in fleet {
            engine.observe(Check {
                id,
                label: id,
                account: "main",
                tags: &[],
                seen,
                detail: seen.name(),
                at: t(s),
            });
        }
        out.extend(engine.tick(t(s)).iter().map(said));
    }
    out
}

fn said(e: &AlertEvent) -> String {
    format!("{} {} {}", e.id, e.kind.name(), e.status)
}

#[test]
fn an_outage_is_one_error_per_instance_up_and_nothing_for_one_already_down() {
    let mut e = Engine::new(Settings {
        after: 3,
        resolve_after: 2,
        group_window: Duration::from_secs(1),
        ..Settings::default()
    });
    let before = [("ok", Seen::Active), ("dead", Seen::Inactive)];
    assert_eq!(rounds(&mut e, 0, &before, 10), ["dead down inactive"]);
    let outage = [("ok", Seen::Error), ("dead", Seen::Error)];
    // No `up` with status error, no second `down`, no repeated `error`.
    assert_eq!(rounds(&mut e, 10, &outage, 45), ["ok error error"]);
    // Back: the one told in error hears it is up; the one down stays down.
    assert_eq!(rounds(&mut e, 55, &before, 10), ["ok up active"]);
    // And the one told down hears its `up` once, when it is up.
    let healed = [("ok", Seen::Active), ("dead", Seen::Active)];
    assert_eq!(rounds(&mut e, 65, &healed, 10), ["dead up active"]);
}

#[test]
fn an_error_spell_needs_fresh_active_checks_to_end() {
    let mut e = Engine::new(Settings {
        after: 3,
        resolve_after: 3,
        group_window: Duration::ZERO,
        ..Settings::default()
    });
    let ok = [("x", Seen::Active)];
    assert!(rounds(&mut e, 0, &ok, 10).is_empty());
    assert_eq!(
        rounds(&mut e, 10, &[("x", Seen::Error)], 3),
        ["x error error"]
    );
    // Ten active checks before the spell do not count toward its end.
    assert!(rounds(&mut e, 13, &ok, 2).is_empty());
    assert_eq!(rounds(&mut e, 15, &ok, 1), ["x up active"]);
}
