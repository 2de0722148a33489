//! A reloaded configuration applied to a running monitor (`watch` on SIGHUP):
//! instances added and removed, settings changed, and everything known
//! about the instances that stayed (status, history strip, schedule,
//! backoff, a poll in flight) kept as it was.

use std::time::Duration;

use crate::engine::monitor::{AccountView, InstanceSeed, Monitor};
use crate::engine::row::Row;

/// The new configuration, as the face resolved it.
#[derive(Debug, Clone)]
pub struct Reload {
    pub accounts: Vec<AccountView>,
    pub instances: Vec<InstanceSeed>,
    pub interval: Duration,
    pub concurrency: usize,
    /// New alert rules (None: keep them).
    pub alerts: Option<crate::engine::alerts::Settings>,
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

/// Replace the roster and settings of the monitor with `reload`.
pub fn apply(app: &mut Monitor, reload: Reload) -> ReloadSummary {
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
    summary.removed = removed;
    if let Some(settings) = reload.alerts {
        app.alerts.engine.set_settings(settings);
    }
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
    row
}
