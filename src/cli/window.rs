//! What `report` and `history` say about what they read: the window
//! ("the last 7d (… → … UTC)") and the ids left out.

use std::time::Duration;

use super::store_access::{StoreView, rfc3339};
use crate::i18n::{self, fill};

/// "window: the last 7d (2026-11-27 13:10 → 2026-12-04 13:10 UTC)".
pub fn window_line(window: Duration, since_ms: i64, now_ms: i64) -> String {
    let minute = |ms: i64| {
        rfc3339(ms)
            .replace('T', " ")
            .chars()
            .take(16)
            .collect::<String>()
    };
    fill(
        i18n::strings().report_window,
        &[
            ("window", &crate::history::window_label(window)),
            ("from", &minute(since_ms)),
            ("to", &minute(now_ms)),
        ],
    )
}

/// Without `--all` (and without ids named), only the config's instances:
/// ids the history still holds for instances removed since are left out.
/// Returns how many were left out.
pub fn keep_configured(view: &mut StoreView, named: bool, all: bool) -> usize {
    if named || all {
        return 0;
    }
    let before = view.ids.len();
    let labels = &view.labels;
    view.ids.retain(|id| labels.contains_key(id));
    before - view.ids.len()
}

/// "3 id(s) no longer in the config left out (--all shows them)".
pub fn left_out_line(n: usize) -> String {
    fill(i18n::strings().report_left_out, &[("n", &n.to_string())])
}
