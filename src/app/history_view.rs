//! What the dashboard knows from the history store, and when it asks for
//! more. Pure, like `update`: questions go out as `Effect::HistoryQuery`,
//! answers come back as `Msg::Core(CoreMsg::History)`. The store is never read whole:
//! the last statuses and the window's summaries once at start and then
//! every minute, the selected instance when the selection moves.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::history_truth;
use super::state::App;
use crate::engine::effect::Effect;
use crate::history::query::LastStatus;
use crate::history::{self, HistoryAnswer, HistoryQuery, InstanceHistory, Summary};

/// How often the columns' summaries are asked again.
pub const SUMMARIES_EVERY: Duration = Duration::from_secs(60);
/// How often the selected instance's history is asked again while shown.
pub const DETAIL_EVERY: Duration = Duration::from_secs(10);
/// Cells in the details pane's strip (it is drawn to the pane's width
/// from these).
pub const STRIP_CELLS: usize = 48;

#[derive(Debug, Clone, Default)]
pub struct HistoryView {
    /// False without a store (history off): nothing is asked, nothing shown.
    pub enabled: bool,
    /// The columns' window (`:uptime 7d`).
    pub window: Duration,
    pub summaries: HashMap<String, Summary>,
    pub summaries_window_ms: i64,
    summaries_asked: Option<Instant>,
    summaries_in_flight: bool,
    last_asked: bool,
    /// The latest stored status per instance: shown until the first poll answers.
    pub last_run: HashMap<String, LastStatus>,
    pub detail: Option<Box<InstanceHistory>>,
    detail_asked: Option<(String, i64, Instant)>,
    /// Why the store cannot be read, when it cannot.
    pub unavailable: Option<String>,
    /// The `h` pane's first line.
    pub scroll: usize,
}

impl HistoryView {
    pub fn new(window: Duration) -> HistoryView {
        HistoryView {
            enabled: true,
            window,
            ..HistoryView::default()
        }
    }

    pub fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX / 4)
    }

    /// The selected instance's stored history, if that is what we have.
    pub fn detail_for(&self, id: &str) -> Option<&InstanceHistory> {
        self.detail.as_deref().filter(|d| d.id == id)
    }

    /// Uptime % over the columns' window (None: nothing observed / not known yet).
    pub fn uptime(&self, id: &str) -> Option<f64> {
        self.summaries.get(id).and_then(Summary::uptime_pct)
    }

    pub fn drops(&self, id: &str) -> Option<u32> {
        self.summaries.get(id).map(|s| s.drops)
    }

    /// A new window: the columns are asked again at once.
    /// Ask the selected instance's history again at the next chance: the
    /// last answer may predate the latest checks.
    pub fn ask_detail_afresh(&mut self) {
        self.detail_asked = None;
    }

    pub fn set_window(&mut self, window: Duration) {
        self.window = window;
        self.summaries_asked = None;
        self.summaries_in_flight = false;
        self.detail_asked = None;
    }
}

/// After every message: ask what is due.
pub fn request_due(app: &mut App, effects: &mut Vec<Effect>) {
    if !app.history.enabled {
        return;
    }
    let now = app.monitor.now;
    let now_ms = history::ms(app.wall_time(now));
    let window_ms = app.history.window_ms();
    let view = &mut app.history;
    if !view.last_asked {
        view.last_asked = true;
        effects.push(Effect::HistoryQuery(HistoryQuery::LastStatus));
    }
    let summaries_due = match view.summaries_asked {
        None => true,
        Some(t) => {
            now.saturating_duration_since(t) >= SUMMARIES_EVERY
                || (!view.summaries_in_flight && history_truth::changed_since(app, t, now))
        }
    };
    let view = &mut app.history;
    if summaries_due && !view.summaries_in_flight {
        view.summaries_asked = Some(now);
        view.summaries_in_flight = true;
        effects.push(Effect::HistoryQuery(HistoryQuery::Summaries {
            window_ms,
            now_ms,
        }));
    }
    let Some(id) = app.selected_row().map(|r| r.id.clone()) else {
        return;
    };
    let view = &mut app.history;
    let due = match &view.detail_asked {
        Some((asked, w, at)) => {
            *asked != id || *w != window_ms || now.saturating_duration_since(*at) >= DETAIL_EVERY
        }
        None => true,
    };
    if due {
        view.detail_asked = Some((id.clone(), window_ms, now));
        effects.push(Effect::HistoryQuery(HistoryQuery::Instance {
            id,
            window_ms,
            now_ms,
            cells: STRIP_CELLS,
        }));
    }
}

pub fn on_answer(app: &mut App, answer: HistoryAnswer) {
    let view = &mut app.history;
    match answer {
        HistoryAnswer::LastStatus(list) => {
            view.last_run = list.into_iter().map(|l| (l.id.clone(), l)).collect();
        }
        HistoryAnswer::Summaries { window_ms, map } => {
            // An answer for a window no longer shown is dropped (the
            // question for the new one is already on its way).
            if window_ms != view.window_ms() {
                return;
            }
            view.summaries_in_flight = false;
            view.summaries = map;
            view.summaries_window_ms = window_ms;
            history_truth::adopt_detail(view);
            view.unavailable = None;
            app.view_stale = true;
        }
        HistoryAnswer::Instance(detail) => {
            let wanted = view.detail_asked.as_ref().map(|(id, ..)| id.as_str());
            if wanted == Some(detail.id.as_str()) {
                view.detail = Some(detail);
                view.unavailable = None;
                history_truth::adopt_detail(view);
                app.view_stale = true;
            }
        }
        HistoryAnswer::Unavailable(why) => {
            view.summaries_in_flight = false;
            view.unavailable = Some(why);
        }
    }
    app.dirty = true;
}
