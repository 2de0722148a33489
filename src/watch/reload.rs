//! SIGHUP: a config read again becomes the running one. The runtime's part
//! happens here (the worker gets the new accounts first, so the newcomers'
//! first polls use them, and the new alert channels); the roster and the
//! alert rules reach the monitor as one message, and its `Reloaded` event
//! brings the metrics and the log line.

use super::{Loaded, Shard, account_views, select};
use crate::alerts::deliver::Channels;
use crate::engine::alerts::Settings;
use crate::engine::msg::CoreMsg;
use crate::engine::reload::Reload;
use crate::run_loop::RunLoop;

/// Swap the executors' accounts and channels; the message for the monitor.
pub fn apply(
    core: &mut RunLoop<CoreMsg>,
    loaded: Loaded,
    shard: Option<Shard>,
    alert_store: Option<std::path::PathBuf>,
) -> CoreMsg {
    let instances = select(&loaded.roster, shard);
    let accounts = account_views(&loaded.roster);
    core.worker.set_accounts(loaded.roster.accounts);
    // New alert channels; deliveries already under way finish.
    core.worker = core
        .worker
        .clone()
        .with_alerts(Channels::unattended(&loaded.alerts), alert_store);
    core.worker
        .alerts_watch_only(instances.iter().map(|i| i.id.as_str()));
    CoreMsg::Reloaded(Box::new(Reload {
        accounts,
        instances,
        interval: loaded.interval,
        concurrency: loaded.concurrency,
        alerts: Some(Settings::from_config(&loaded.alerts, loaded.interval)),
    }))
}
