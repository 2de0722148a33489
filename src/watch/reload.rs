//! SIGHUP: a config read again becomes the running one. The diff itself
//! is `app::reload` (pure, through `update`); here the worker gets the new
//! accounts first (so the newcomers' first polls use them), the metrics
//! drop the series of instances that left, and one line says what changed.

use super::observe::{Watcher, identity};
use super::reload_guard::{judge, say};
use super::{Loaded, Shard, account_views, select};
use crate::app::msg::Msg;
use crate::app::reload::Reload;
use crate::run_loop::RunLoop;

pub fn apply(
    core: &mut RunLoop,
    watcher: &mut Watcher,
    loaded: Loaded,
    shard: Option<Shard>,
    alert_store: Option<std::path::PathBuf>,
) {
    let instances = select(&loaded.roster, shard);
    let verdict = judge(
        core.app.rows.iter().map(|r| r.id.as_str()),
        instances.iter().map(|i| i.id.as_str()),
        loaded.roster.instances.len(),
    );
    if !say(&watcher.log, &verdict) {
        return;
    }
    let accounts = account_views(&loaded.roster);
    core.worker.set_accounts(loaded.roster.accounts);
    // New alert rules and channels; deliveries already under way finish.
    core.app
        .alerts
        .engine
        .set_settings(loaded.alerts.settings(loaded.interval));
    core.worker = core
        .worker
        .clone()
        .with_alerts(loaded.alerts.channels(), alert_store);
    core.apply(Msg::Reloaded(Box::new(Reload {
        accounts,
        instances,
        interval: loaded.interval,
        concurrency: loaded.concurrency,
    })));
    let summary = core.app.reloaded.take().unwrap_or_default();
    for id in &summary.removed {
        watcher.metrics.remove_instance(id);
        core.app.alerts.engine.forget(id);
    }
    // New and changed instances get (new) series; unchanged ones keep theirs.
    for row in &core.app.rows {
        watcher.metrics.set_instance(identity(&core.app, row));
    }
    watcher.reload_line(&summary);
}
