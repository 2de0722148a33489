//! A reload through the monitor, seen from the dashboard: what stays, what
//! comes, what goes.

use std::time::Instant;

use std::time::Duration;

use crate::api::{InstanceStatus, StatusReply};
use crate::app::init::AppInit;
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::app::update;
use crate::engine::monitor::InstanceSeed;
use crate::engine::msg::{ApiDone, CoreMsg, Reply};
use crate::engine::reload::{Reload, apply};
use crate::engine::{Call, Purpose};

fn seeds(ids: &[(&str, &str)]) -> Vec<InstanceSeed> {
    ids.iter()
        .map(|(id, label)| InstanceSeed::new(*id, *label, &[]))
        .collect()
}

fn answer(app: &mut App, id: &str, status: InstanceStatus) {
    let at = app.monitor.now;
    update(
        app,
        Msg::Core(CoreMsg::Api(ApiDone {
            instance: id.into(),
            call: Call::Status,
            purpose: Purpose::Refresh,
            at,
            latency: Duration::from_millis(5),
            result: Ok(Reply::Status(StatusReply {
                status,
                text: String::new(),
            })),
        })),
    );
}

#[test]
fn kept_instances_keep_their_state_and_newcomers_are_due_now() {
    let now = Instant::now();
    let mut app = App::new(AppInit::sample(
        seeds(&[("a", "A"), ("b", "B"), ("c", "C")]),
        now,
    ));
    answer(&mut app, "a", InstanceStatus::Active);
    answer(&mut app, "b", InstanceStatus::Inactive);
    let accounts = app.monitor.accounts.clone();
    let summary = apply(
        &mut app.monitor,
        Reload {
            accounts,
            instances: seeds(&[("b", "B renamed"), ("a", "A"), ("d", "D")]),
            interval: Duration::from_secs(5),
            concurrency: 16,
            alerts: None,
        },
    );
    assert_eq!(summary.added, ["d"]);
    assert_eq!(summary.removed, ["c"]);
    assert_eq!(summary.changed, ["b"]);
    assert_eq!(summary.kept, 1);
    assert_eq!(
        summary.interval,
        Some((Duration::from_secs(10), Duration::from_secs(5)))
    );
    assert_eq!(summary.concurrency, None);
    assert_eq!(app.monitor.rows.len(), 3);
    assert_eq!(app.row("a").unwrap().status, Some(InstanceStatus::Active));
    let b = app.row("b").unwrap();
    assert_eq!((b.label.as_str(), b.checks), ("B renamed", 1));
    assert_eq!(b.status, Some(InstanceStatus::Inactive));
    assert!(app.row("c").is_none());
    assert_eq!(app.row("d").unwrap().next_poll, now);
    assert_eq!(app.monitor.polling.interval, Duration::from_secs(5));
    // The index follows the new order.
    assert_eq!(app.monitor.index["d"], 2);
}

#[test]
fn the_same_config_changes_nothing() {
    let now = Instant::now();
    let init = AppInit::sample(seeds(&[("a", "A"), ("b", "B")]), now);
    let mut app = App::new(init.clone());
    answer(&mut app, "a", InstanceStatus::Active);
    let summary = apply(
        &mut app.monitor,
        Reload {
            accounts: init.accounts,
            instances: init.instances,
            interval: init.interval,
            concurrency: init.concurrency,
            alerts: None,
        },
    );
    assert!(summary.is_empty(), "{summary:?}");
    assert_eq!(summary.kept, 2);
    assert_eq!(app.row("a").unwrap().checks, 1);
}
