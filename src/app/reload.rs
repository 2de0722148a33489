//! A reloaded configuration applied to a running face (`watch` on SIGHUP):
//! instances added and removed, settings changed, and everything known
//! about the instances that stayed (status, history strip, schedule,
//! backoff, a poll in flight) kept as it was.

use std::time::Duration;

use super::row::Row;
use super::state::{AccountView, App, InstanceSeed};

/// The new configuration, as the face resolved it.
#[derive(Debug, Clone)]
pub struct Reload {
    pub accounts: Vec<AccountView>,
    pub instances: Vec<InstanceSeed>,
    pub interval: Duration,
    pub concurrency: usize,
}

/// What changed, for the log line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadSummary {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Same id, new label, tags or account: state kept, identity updated.
    pub changed: Vec<String>,
    pub kept: usize,
    /// (before, after) when the setting changed.
    pub interval: Option<(Duration, Duration)>,
    pub concurrency: Option<(usize, usize)>,
}

impl ReloadSummary {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.interval.is_none()
            && self.concurrency.is_none()
    }
}

/// Replace the roster and settings of `app` with `reload`.
pub fn apply(app: &mut App, reload: Reload) -> ReloadSummary {
    let mut summary = ReloadSummary::default();
    let old_accounts = std::mem::replace(&mut app.accounts, reload.accounts);
    let account_name = |accounts: &[AccountView], i: usize| accounts.get(i).map(|a| a.name.clone());
    let mut old_rows: std::collections::HashMap<String, Row> =
        app.rows.drain(..).map(|r| (r.id.clone(), r)).collect();
    let mut rows = Vec::with_capacity(reload.instances.len());
    for seed in reload.instances {
        match old_rows.remove(&seed.id) {
            Some(old) => {
                let same = old.label == seed.label
                    && old.tags == seed.tags
                    && account_name(&old_accounts, old.account)
                        == account_name(&app.accounts, seed.account);
                if same {
                    summary.kept += 1;
                    let mut old = old;
                    // The same account may sit at another index now.
                    old.account = seed.account;
                    rows.push(old);
                } else {
                    summary.changed.push(seed.id.clone());
                    rows.push(carry_over(old, seed));
                }
            }
            None => {
                summary.added.push(seed.id.clone());
                // Checked at once: a newcomer should not wait a whole interval.
                rows.push(Row::new(
                    seed.id,
                    seed.label,
                    seed.tags,
                    seed.account,
                    app.now,
                ));
            }
        }
    }
    let mut removed: Vec<String> = old_rows.into_keys().collect();
    removed.sort();
    for id in &removed {
        app.marks.remove(id);
        app.busy.remove(id);
    }
    summary.removed = removed;
    app.rows = rows;
    app.reindex();
    if app.polling.interval != reload.interval {
        summary.interval = Some((app.polling.interval, reload.interval));
        app.polling.interval = reload.interval;
    }
    let concurrency = reload.concurrency.max(1);
    if app.polling.max_in_flight != concurrency {
        summary.concurrency = Some((app.polling.max_in_flight, concurrency));
        app.polling.max_in_flight = concurrency;
    }
    app.dirty = true;
    summary
}

/// A new identity (label, tags, account) with the old row's knowledge.
fn carry_over(old: Row, seed: InstanceSeed) -> Row {
    let mut row = Row::new(seed.id, seed.label, seed.tags, seed.account, old.next_poll);
    row.status = old.status;
    row.error = old.error;
    row.checked_at = old.checked_at;
    row.latency = old.latency;
    row.changed_at = old.changed_at;
    row.history = old.history;
    row.checks = old.checks;
    row.active_checks = old.active_checks;
    row.consecutive_errors = old.consecutive_errors;
    row.polling = old.polling;
    row.poll_started = old.poll_started;
    row.alert_until = old.alert_until;
    row
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::api::{InstanceStatus, StatusReply};
    use crate::app::msg::{ApiDone, Msg, Reply};
    use crate::app::state::AppInit;
    use crate::app::{Call, Purpose, update};

    fn seeds(ids: &[(&str, &str)]) -> Vec<InstanceSeed> {
        ids.iter()
            .map(|(id, label)| InstanceSeed::new(*id, *label, &[]))
            .collect()
    }

    fn answer(app: &mut App, id: &str, status: InstanceStatus) {
        let at = app.now;
        update(
            app,
            Msg::Api(ApiDone {
                instance: id.into(),
                call: Call::Status,
                purpose: Purpose::Refresh,
                at,
                latency: Duration::from_millis(5),
                result: Ok(Reply::Status(StatusReply {
                    status,
                    text: String::new(),
                })),
            }),
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
        let accounts = app.accounts.clone();
        let summary = apply(
            &mut app,
            Reload {
                accounts,
                instances: seeds(&[("b", "B renamed"), ("a", "A"), ("d", "D")]),
                interval: Duration::from_secs(5),
                concurrency: 16,
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
        assert_eq!(app.rows.len(), 3);
        assert_eq!(app.row("a").unwrap().status, Some(InstanceStatus::Active));
        let b = app.row("b").unwrap();
        assert_eq!((b.label.as_str(), b.checks), ("B renamed", 1));
        assert_eq!(b.status, Some(InstanceStatus::Inactive));
        assert!(app.row("c").is_none());
        assert_eq!(app.row("d").unwrap().next_poll, now);
        assert_eq!(app.polling.interval, Duration::from_secs(5));
        // The index follows the new order.
        assert_eq!(app.index["d"], 2);
    }

    #[test]
    fn the_same_config_changes_nothing() {
        let now = Instant::now();
        let init = AppInit::sample(seeds(&[("a", "A"), ("b", "B")]), now);
        let mut app = App::new(init.clone());
        answer(&mut app, "a", InstanceStatus::Active);
        let summary = apply(
            &mut app,
            Reload {
                accounts: init.accounts,
                instances: init.instances,
                interval: init.interval,
                concurrency: init.concurrency,
            },
        );
        assert!(summary.is_empty(), "{summary:?}");
        assert_eq!(summary.kept, 2);
        assert_eq!(app.row("a").unwrap().checks, 1);
    }
}
