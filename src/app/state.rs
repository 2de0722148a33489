//! The dashboard's whole state. Only `update` changes it; `ui` only reads it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use ratatui::layout::Rect;

use super::bulk::BulkRun;
use super::init::AppInit;
use super::log::EventLog;
use super::modes::Mode;
use super::modes::form::picture::PictureState;
use super::order::SortKey;
use crate::domain::Filter;
use crate::engine::alerts::feed::MonitorAlerts;
use crate::engine::monitor::Monitor;
use crate::engine::pairing::qr_pane::Strays;
use crate::engine::row::Row;
use crate::i18n::{Lang, Strings};
use crate::keys::rebind::Keymap;
use crate::memory::Memory;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Info,
    Success,
    Error,
}

/// The status bar's message, shown for a few seconds.
#[derive(Debug, Clone)]
pub struct Flash {
    pub text: String,
    pub kind: FlashKind,
    pub until: Instant,
}

/// Screen regions from the last draw, for mouse clicks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Regions {
    /// The table's rows (without its header).
    pub table_rows: Rect,
}

pub struct App {
    /// The fleet and its alerts: what every face that watches shares.
    pub monitor: Monitor,
    /// Visible rows (indices into `rows`), filtered and sorted.
    pub view: Vec<usize>,
    pub view_stale: bool,
    /// Position of the selection in `view`.
    pub selected: usize,
    /// Until the user moves, the selection stays on the top row while the
    /// order changes (statuses arriving re-sort the list); after that it
    /// follows the chosen instance. `g` pins it to the top again.
    pub follow_top: bool,
    /// First visible position in `view`.
    pub offset: usize,
    pub filter_text: String,
    pub filter: Filter,
    pub sort: SortKey,
    pub sort_reverse: bool,
    pub mode: Mode,
    pub log: EventLog,
    pub flash: Option<Flash>,
    pub lang: Lang,
    pub bell_enabled: bool,
    pub quit: bool,
    pub dirty: bool,
    pub marks: BTreeSet<String>,
    pub memory: Memory,
    pub config_path: Option<PathBuf>,
    pub read_only: bool,
    pub qr_refresh: Duration,
    /// Requests a closed QR pane left unanswered.
    pub qr_strays: Strays,
    pub regions: Regions,
    /// Whole seconds since start at the last redraw-worthy tick.
    pub last_second: u64,
    /// Instances with an action (not a poll) in flight: the row spinner.
    pub busy: HashSet<String>,
    /// The bulk action running or last finished, for the progress line.
    pub bulk: Option<BulkRun>,
    /// The picture form's preview, requested from the worker.
    pub picture: PictureState,
    /// What the history store said (off unless the face opened a store).
    pub history: super::history_view::HistoryView,
    /// The key table with the user's `[keys]`: `update` looks keys up in
    /// it, the bar and the help list it.
    pub keys: Keymap,
    /// What the terminal is and can draw (probed at start; unknown in tests).
    pub terminal: crate::term::Terminal,
    /// `xdg-open` (or `open`) exists and a desktop is there: the QR pane's `o`.
    pub can_open_viewer: bool,
    /// The reconnect queue the QR pane is walking through, if any.
    pub reconnect: Option<crate::engine::pairing::reconnect_queue::ReconnectQueue>,
    /// The terminal's size (cols, rows), for `:doctor`.
    pub screen_size: (u16, u16),
    /// Rows highlighted after a trouble alert, until then.
    pub highlight: HashMap<String, Instant>,
    /// View choices: the `:` history, details, columns, views, help search.
    pub screen: super::screen::ScreenState,
}

impl App {
    pub fn new(init: AppInit) -> App {
        let now = init.now;
        let monitor = Monitor::new(
            init.accounts,
            init.instances,
            init.interval,
            init.concurrency,
            now,
            init.wall,
        );
        let mut app = App {
            monitor,
            view: Vec::new(),
            view_stale: true,
            selected: 0,
            follow_top: true,
            offset: 0,
            filter_text: String::new(),
            filter: Filter::default(),
            sort: SortKey::Status,
            sort_reverse: false,
            mode: Mode::List,
            log: EventLog::default(),
            flash: None,
            lang: init.lang,
            bell_enabled: init.bell,
            quit: false,
            dirty: true,
            marks: BTreeSet::new(),
            memory: init.memory,
            config_path: init.config_path,
            read_only: init.read_only,
            qr_refresh: init.qr_refresh,
            qr_strays: Strays::default(),
            regions: Regions::default(),
            last_second: 0,
            busy: HashSet::new(),
            bulk: None,
            picture: PictureState::default(),
            history: super::history_view::HistoryView::default(),
            keys: init.keys,
            terminal: crate::term::Terminal::unknown(),
            can_open_viewer: false,
            reconnect: None,
            screen_size: (80, 24),
            highlight: HashMap::new(),
            screen: super::screen::ScreenState::default(),
        };
        app.settle();
        if let Some(notice) = init.notice {
            app.flash(notice, FlashKind::Error, Duration::from_secs(15));
        }
        app
    }

    /// `[ui] columns` and `[views.<name>]` from the config.
    pub fn with_screen(mut self, config: &crate::config::views::ScreenConfig) -> App {
        self.screen = super::screen::ScreenState::from_config(config);
        self
    }

    /// Set the alert engine up (from `[alerts]` and what the store held).
    pub fn with_alerts(mut self, alerts: MonitorAlerts) -> App {
        self.monitor.alerts = alerts;
        self
    }

    pub fn strings(&self) -> &'static Strings {
        self.lang.strings()
    }

    /// The monitor's time now.
    pub fn now(&self) -> Instant {
        self.monitor.now
    }

    /// The wall-clock time of an instant, for the log and details.
    pub fn wall_time(&self, at: Instant) -> SystemTime {
        self.monitor.wall_time(at)
    }

    /// The roster changed: positions and the visible order are stale.
    pub fn reindex(&mut self) {
        self.monitor.reindex();
        self.view_stale = true;
    }

    pub fn row(&self, id: &str) -> Option<&Row> {
        self.monitor.row(id)
    }

    pub fn row_mut(&mut self, id: &str) -> Option<&mut Row> {
        self.monitor.row_mut(id)
    }

    pub fn selected_row(&self) -> Option<&Row> {
        // `view` may be stale (rows removed) until the next settle.
        self.view
            .get(self.selected)
            .and_then(|&i| self.monitor.rows.get(i))
    }

    pub fn selected_id(&self) -> Option<String> {
        self.selected_row().map(|r| r.id.clone())
    }

    pub fn flash(&mut self, text: impl Into<String>, kind: FlashKind, for_: Duration) {
        let text = text.into();
        // The status line cuts a message at its width (with `…`): the log
        // keeps every one whole, wrapped, for as long as it holds entries.
        let level = match kind {
            FlashKind::Error => super::log::LogLevel::Error,
            FlashKind::Info | FlashKind::Success => super::log::LogLevel::Ok,
        };
        self.log.push(super::log::LogEntry {
            at: self.wall_time(self.monitor.now),
            instance: String::new(),
            endpoint: "message".into(),
            outcome: text.clone(),
            latency: None,
            level,
        });
        self.show_progress(text, kind, for_);
    }

    /// A status line that is not kept in the log: a bulk run's running
    /// count, replaced at every answer (each answer is logged itself).
    pub fn show_progress(&mut self, text: String, kind: FlashKind, for_: Duration) {
        self.flash = Some(Flash {
            text,
            kind,
            until: self.monitor.now + for_,
        });
        self.dirty = true;
    }

    /// Counts for the header: (active, inactive, error, unknown, not checked).
    pub fn counts(&self) -> [usize; 5] {
        self.monitor.counts()
    }

    /// Anything animating (spinners, checking…) needs frequent redraws.
    pub fn is_busy(&self) -> bool {
        self.monitor.is_busy()
            || !self.busy.is_empty()
            || matches!(&self.mode, Mode::Form(f) if f.submitting)
    }
}

impl App {
    /// When the dashboard started (the clock's origin).
    pub fn clock_base(&self) -> Instant {
        self.monitor.started()
    }
}
