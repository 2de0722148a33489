//! The engine's promises to on-call, over arbitrary histories: what is
//! delivered never gives a false all-clear and never pages twice for one
//! outage. Checks (active, inactive, unknown, failed), time, silences,
//! deliberate disconnects and restarts come in any order, under any
//! debouncing, flapping, reminder and grouping settings.
//!
//! `PROPTEST_CASES=20000 cargo test --lib engine::alerts::rules::props_tests` for a
//! longer run.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use super::{Check, Engine, Settings};
use crate::domain::Seen;
use crate::domain::matcher::{Matcher, Silence};
use crate::engine::alerts::event::{AlertEvent, AlertKind};

const IDS: [&str; 3] = ["a", "b", "c"];

#[derive(Debug, Clone)]
enum Step {
    Check {
        id: usize,
        seen: Seen,
        dt: u64,
    },
    Tick {
        dt: u64,
    },
    Silence {
        matcher: &'static str,
        len: u64,
    },
    Disconnect {
        id: usize,
    },
    /// A stop (clean: the batch is handed out first; or killed) and a
    /// start from the store.
    Restart {
        clean: bool,
    },
}

fn seen() -> impl Strategy<Value = Seen> {
    prop_oneof![
        Just(Seen::Active),
        Just(Seen::Inactive),
        Just(Seen::Unknown),
        Just(Seen::Error),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (0..IDS.len(), seen(), 1u64..20).prop_map(|(id, seen, dt)| Step::Check { id, seen, dt }),
        3 => (0u64..400).prop_map(|dt| Step::Tick { dt }),
        1 => (
            prop_oneof![Just("a"), Just("b"), Just("status:error"), Just("status:inactive")],
            1u64..300
        )
            .prop_map(|(matcher, len)| Step::Silence { matcher, len }),
        1 => (0..IDS.len()).prop_map(|id| Step::Disconnect { id }),
        1 => any::<bool>().prop_map(|clean| Step::Restart { clean }),
    ]
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        1u32..5,
        1u32..5,
        prop_oneof![Just(None), (30u64..400).prop_map(Some)],
        prop_oneof![Just(0u32), 1u32..6],
        30u64..600,
        prop_oneof![Just(0u64), 1u64..40],
    )
        .prop_map(
            |(after, resolve_after, remind, flap_changes, window, group)| Settings {
                after,
                resolve_after,
                remind_every: remind.map(Duration::from_secs),
                flap_changes,
                flap_window: Duration::from_secs(window),
                group_window: Duration::from_secs(group),
            },
        )
}

fn t(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

/// What one instance's audience has heard, and the checks it had.
#[derive(Default)]
struct Heard {
    /// The last down, error or up delivered (None: nothing yet, as up).
    last: Option<AlertKind>,
    /// Every check so far: (time, seen). Times strictly increase.
    checks: Vec<(SystemTime, Seen)>,
}

fn judge(
    heard: &mut HashMap<&'static str, Heard>,
    events: Vec<AlertEvent>,
    s: &Settings,
) -> Result<(), TestCaseError> {
    for e in events {
        // A group stands for each of its members, of the grouped kind.
        let members: Vec<(String, AlertKind, String)> = match e.grouped {
            Some(kind) => e
                .members
                .iter()
                .map(|m| (m.id.clone(), kind, m.status.clone()))
                .collect(),
            None => vec![(e.id.clone(), e.kind, e.status.clone())],
        };
        for (id, kind, status) in members {
            let id = IDS.iter().find(|&&i| i == id).expect("a known id");
            let h = heard.entry(id).or_default();
            let told_trouble = matches!(h.last, Some(AlertKind::Down | AlertKind::Error));
            match kind {
                AlertKind::Up => {
                    prop_assert!(told_trouble, "up for {id} with no down or error told");
                    prop_assert_ne!(status.as_str(), "error", "up for {} while failing", id);
                    let good: Vec<Seen> = h
                        .checks
                        .iter()
                        .filter(|(at, seen)| *at <= e.at && *seen != Seen::Error)
                        .rev()
                        .take(s.resolve_after as usize)
                        .map(|(_, seen)| *seen)
                        .collect();
                    prop_assert!(
                        good.len() == s.resolve_after as usize
                            && good.iter().all(|&g| g == Seen::Active),
                        "up for {} at {:?} after {:?}",
                        id,
                        e.at,
                        good
                    );
                }
                AlertKind::Down => {
                    prop_assert_ne!(h.last, Some(AlertKind::Down), "second down for {}", id);
                }
                AlertKind::Error => {
                    prop_assert_ne!(h.last, Some(AlertKind::Down), "error for {} told down", id);
                }
                AlertKind::Reminder => {
                    prop_assert!(told_trouble, "reminder for {} not in trouble", id);
                }
                AlertKind::Flapping | AlertKind::Group => {}
            }
            if matches!(kind, AlertKind::Up | AlertKind::Down | AlertKind::Error) {
                h.last = Some(kind);
            }
        }
    }
    Ok(())
}

fn cases() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn no_false_all_clear_and_no_second_page(
        s in settings(),
        steps in proptest::collection::vec(step(), 1..120),
    ) {
        let mut engine = Engine::new(s.clone());
        let mut heard: HashMap<&'static str, Heard> = HashMap::new();
        let mut silences: Vec<Silence> = Vec::new();
        let mut now = 0u64;
        let tags = vec!["peru".to_string()];
        for step in steps {
            match step {
                Step::Check { id, seen, dt } => {
                    now += dt;
                    let id = IDS[id];
                    heard.entry(id).or_default().checks.push((t(now), seen));
                    engine.observe(Check {
                        id,
                        label: id,
                        account: "main",
                        tags: &tags,
                        seen,
                        detail: seen.name(),
                        at: t(now),
                    });
                }
                Step::Tick { dt } => now += dt,
                Step::Silence { matcher, len } => {
                    silences.push(Silence {
                        id: silences.len() as i64,
                        matcher: Matcher::silence(matcher).expect("a valid matcher"),
                        starts_at: t(now),
                        ends_at: t(now + len),
                        comment: String::new(),
                        created_by: String::new(),
                    });
                    engine.set_silences(silences.clone());
                }
                Step::Disconnect { id } => engine.expect_down(IDS[id], t(now)),
                Step::Restart { clean } => {
                    if clean {
                        now += s.group_window.as_secs();
                        judge(&mut heard, engine.tick(t(now)), &s)?;
                    }
                    let stored = engine.export();
                    engine = Engine::new(s.clone());
                    engine.import(&stored);
                    engine.set_silences(silences.clone());
                }
            }
            judge(&mut heard, engine.tick(t(now)), &s)?;
        }
    }
}
