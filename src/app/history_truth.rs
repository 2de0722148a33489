//! One truth for the dashboard's time and uptime: the columns, the details
//! pane and `report` read the same numbers from the store.
//!
//! - The selected instance's summary (asked every 10 s) also feeds its
//!   columns, so the list never disagrees with the pane beside it; the
//!   rest of the list is asked again soon after any row changes state,
//!   not only every minute.
//! - "since" is the start of the store's open period when it is the state
//!   shown (a restart does not reset it; errors do not hide it), and the
//!   session's own change time otherwise.

use std::time::{Duration, Instant};

use super::history_view::HistoryView;
use super::state::App;
use crate::domain::Health;
use crate::engine::row::Row;
use crate::history::{self, State};

/// After a row changes state, how long before the columns are asked again
/// (the writer batches for half a second; the answer must include it).
pub const AFTER_CHANGE: Duration = Duration::from_secs(2);
/// At most this often for changes (a flapping fleet must not flood the reader).
pub const CHANGE_EVERY: Duration = Duration::from_secs(5);

/// The selected instance's fresh summary overrides its column's.
pub fn adopt_detail(view: &mut HistoryView) {
    let Some(detail) = view.detail.as_deref() else {
        return;
    };
    if detail.window_ms == view.window_ms() {
        view.summaries.insert(detail.id.clone(), detail.summary);
    }
}

/// Whether some row changed state after the columns were last asked (and
/// long enough ago for the store to have it).
pub fn changed_since(app: &App, asked: Instant, now: Instant) -> bool {
    if now.saturating_duration_since(asked) < CHANGE_EVERY {
        return false;
    }
    app.monitor.rows.iter().any(|r| {
        r.changed_at
            .is_some_and(|c| c > asked && now.saturating_duration_since(c) >= AFTER_CHANGE)
    })
}

/// How long the shown state has lasted: from the store when its open
/// period is that state, else from this session.
pub fn since(app: &App, row: &Row, now: Instant) -> Option<Duration> {
    let from_store = app.history.detail_for(&row.id).and_then(|d| {
        let newest = d.periods.first()?;
        let same = newest.end.is_none() && state_health(newest.state) == Some(row.health());
        same.then_some(newest.start)
    });
    match from_store {
        Some(start) => {
            let now_ms = history::ms(app.wall_time(now));
            Some(Duration::from_millis(
                now_ms.saturating_sub(start).max(0) as u64
            ))
        }
        None => row.changed_at.map(|c| now.saturating_duration_since(c)),
    }
}

fn state_health(state: State) -> Option<Health> {
    state.seen().map(|s| s.health())
}
