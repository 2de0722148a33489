//! What the alert engine starts from: `[alerts]`, and from the store what
//! an earlier run announced and the silences in force now. Read here, by
//! the runtime, so the engine itself never touches a file or the clock.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::config::alerts::AlertsConfig;
use crate::engine::alerts::Settings;
use crate::engine::alerts::feed::{MonitorAlerts, Stored};
use crate::history::alert_tables;

/// The engine for a face, and why the store could not be read (alerting
/// then goes on without its past: the face says so).
pub fn alerts_at_start(
    config: &AlertsConfig,
    interval: Duration,
    store: Option<&Path>,
) -> (MonitorAlerts, Option<String>) {
    let settings = Settings::from_config(config, interval);
    let Some(path) = store else {
        return (MonitorAlerts::new(settings, None), None);
    };
    let loaded = alert_tables::open(path).and_then(|conn| {
        let state = alert_tables::load_state(&conn).map_err(|e| e.to_string())?;
        let (silences, _broken) =
            alert_tables::load_silences(&conn, SystemTime::now()).map_err(|e| e.to_string())?;
        Ok(Stored { state, silences })
    });
    match loaded {
        Ok(stored) => (MonitorAlerts::new(settings, Some(stored)), None),
        // Still a store to save to and read silences from later.
        Err(e) => (
            MonitorAlerts::new(settings, Some(Stored::default())),
            Some(e),
        ),
    }
}
