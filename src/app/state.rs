//! The dashboard's whole state. Only `update` changes it; `ui` only reads it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use ratatui::layout::Rect;
use tui_input::Input;

use super::bulk::BulkRun;
use super::form::Form;
use super::log::EventLog;
use crate::domain::Filter;
use crate::engine::alerts::feed::MonitorAlerts;
use crate::engine::monitor::{AccountView, InstanceSeed, Monitor};
use crate::engine::msg::PicturePreview;
use crate::engine::pairing::qr_pane::{QrPane, Strays};
use crate::engine::row::Row;
use crate::i18n::{Lang, Strings};
use crate::keys::ModeKind;
use crate::keys::rebind::Keymap;
use crate::memory::Memory;

/// Everything `App::new` needs, gathered by the caller.
#[derive(Debug, Clone)]
pub struct AppInit {
    pub accounts: Vec<AccountView>,
    pub instances: Vec<InstanceSeed>,
    pub lang: Lang,
    pub interval: Duration,
    pub concurrency: usize,
    pub bell: bool,
    pub read_only: bool,
    /// The config file add/remove edit; None in the demo (memory only).
    pub config_path: Option<PathBuf>,
    pub memory: Memory,
    pub qr_refresh: Duration,
    pub now: Instant,
    pub wall: SystemTime,
    /// Shown once at start (e.g. a config permission warning).
    pub notice: Option<String>,
    /// The key table with the user's `[keys]`.
    pub keys: Keymap,
}

impl AppInit {
    /// For tests and benches: one account ("main", a masked key, no real
    /// server), English, a 10 s interval, 16 polls at once, no bell, no
    /// config file, the wall clock at the Unix epoch. Change what a test
    /// needs with `AppInit { bell: true, ..AppInit::sample(seeds, now) }`.
    pub fn sample(instances: Vec<InstanceSeed>, now: Instant) -> AppInit {
        AppInit {
            accounts: vec![AccountView {
                name: "main".into(),
                base_url: "https://apiwhatsappweb.com".into(),
                key_masked: "••••abcd".into(),
            }],
            instances,
            lang: Lang::En,
            interval: Duration::from_secs(10),
            concurrency: 16,
            bell: false,
            read_only: false,
            config_path: None,
            memory: Memory::default(),
            qr_refresh: Duration::from_secs(20),
            now,
            wall: SystemTime::UNIX_EPOCH,
            notice: None,
            keys: Keymap::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Status,
    Label,
    LastChange,
    Latency,
    /// Lowest uptime over the history window first.
    Uptime,
    /// Most drops in the history window first.
    Drops,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Status => SortKey::Label,
            SortKey::Label => SortKey::LastChange,
            SortKey::LastChange => SortKey::Latency,
            SortKey::Latency => SortKey::Uptime,
            SortKey::Uptime => SortKey::Drops,
            SortKey::Drops => SortKey::Status,
        }
    }

    pub fn name(self, s: &Strings) -> &'static str {
        match self {
            SortKey::Status => s.sort_status,
            SortKey::Label => s.sort_label,
            SortKey::LastChange => s.sort_changed,
            SortKey::Latency => s.sort_latency,
            SortKey::Uptime => s.sort_uptime,
            SortKey::Drops => s.sort_drops,
        }
    }
}

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

/// What a confirmed dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    RemoveInstance(String),
    /// Disconnect one instance (single action).
    Disconnect(String),
    /// Disconnect every marked instance (bulk, with progress).
    BulkDisconnect(Vec<String>),
    /// Link the inactive rows a filtered list showed, one after another.
    ReconnectShown(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// "No" is the default: Enter on a fresh dialog does nothing harmful.
    pub yes_focused: bool,
    pub on_yes: Pending,
    /// Large bulk runs: the count to type before "yes" is taken.
    pub typed: Option<super::bulk_confirm::TypedCount>,
}

#[derive(Debug, Clone)]
pub enum Mode {
    List,
    Filter(Input),
    Command(Input),
    Help {
        scroll: u16,
    },
    Log,
    /// `:doctor`'s report in its own pane (scroll).
    Doctor(u16),
    Confirm(Confirm),
    Form(Form),
    /// Scanning a QR code to connect an instance (boxed: it holds a code).
    Qr(Box<QrPane>),
    /// The selected instance's stored periods (scroll in `App::history`).
    History,
}

impl Mode {
    pub fn kind(&self) -> ModeKind {
        match self {
            Mode::List => ModeKind::List,
            Mode::Filter(_) => ModeKind::Filter,
            Mode::Command(_) => ModeKind::Command,
            Mode::Help { .. } => ModeKind::Help,
            Mode::Log => ModeKind::Log,
            Mode::Doctor(_) => ModeKind::Doctor,
            Mode::Confirm(_) => ModeKind::Confirm,
            Mode::Form(form) if matches!(form.kind, super::form::FormKind::Picture { .. }) => {
                ModeKind::PictureForm
            }
            Mode::Form(form) if matches!(form.kind, super::form::FormKind::AutoRead { .. }) => {
                ModeKind::Choice
            }
            Mode::Form(_) => ModeKind::Form,
            Mode::Qr(_) => ModeKind::Qr,
            Mode::History => ModeKind::History,
        }
    }
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

/// The picture form's preview. Requested only once the value stopped
/// changing (debounced on ticks) or on Tab, so typing a path does not
/// decode a picture per key.
#[derive(Debug, Clone, Default)]
pub struct PictureState {
    /// Sequence number of the latest request; older answers are dropped.
    pub seq: u64,
    /// The value the latest request was made for.
    pub requested: Option<String>,
    /// The value seen at the last tick, and since when it has not changed.
    pub seen: Option<(String, Instant)>,
    /// The preview (or why there is none) and the value it was made for.
    pub result: Option<(String, Result<PicturePreview, String>)>,
    /// Tab found several names: the first few, to show under the field.
    pub completions: Vec<String>,
    /// The preview as half blocks, built once when it arrives (thousands of
    /// spans: not something to rebuild every frame).
    pub text: Option<ratatui::text::Text<'static>>,
}

impl PictureState {
    /// Build `text` from the preview just received.
    pub fn cache_text(&mut self) {
        self.text = self
            .result
            .as_ref()
            .and_then(|(_, result)| result.as_ref().ok())
            .and_then(|preview| preview.preview.as_ref())
            .map(crate::profile_image::preview_text);
    }
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
        // The status line may cut an error at 80 columns: the log keeps it whole.
        if kind == FlashKind::Error {
            self.log.push(super::log::LogEntry {
                at: self.wall_time(self.monitor.now),
                instance: String::new(),
                endpoint: "message".into(),
                outcome: text.clone(),
                latency: None,
                level: super::log::LogLevel::Error,
            });
        }
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

    /// Recompute the visible order if anything it depends on changed,
    /// keeping the same instance selected.
    pub fn settle(&mut self) {
        if !self.view_stale {
            return;
        }
        self.view_stale = false;
        let keep = self.selected_row().map(|r| r.id.clone());
        let filter = &self.filter;
        let rows = &self.monitor.rows;
        let mut view: Vec<usize> = (0..rows.len())
            .filter(|&i| filter.matches(&rows[i]))
            .collect();
        match self.sort {
            SortKey::Status => view.sort_by(|&a, &b| {
                (rows[a].health(), &rows[a].label_key).cmp(&(rows[b].health(), &rows[b].label_key))
            }),
            SortKey::Label => view.sort_by(|&a, &b| rows[a].label_key.cmp(&rows[b].label_key)),
            // Most recent change first; never-changed last.
            SortKey::LastChange => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].changed_at)),
            // Slowest first: the ones worth a look.
            SortKey::Latency => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].latency)),
            // Worst first; instances with nothing observed last.
            SortKey::Uptime => {
                let h = &self.history;
                view.sort_by(|&a, &b| {
                    let key = |i: usize| h.uptime(&rows[i].id).unwrap_or(f64::INFINITY);
                    key(a).total_cmp(&key(b))
                })
            }
            SortKey::Drops => {
                let h = &self.history;
                view.sort_by_key(|&i| std::cmp::Reverse(h.drops(&rows[i].id).unwrap_or(0)))
            }
        }
        if self.sort_reverse {
            view.reverse();
        }
        self.view = view;
        let keep = if self.follow_top { None } else { keep };
        self.selected = keep
            .and_then(|id| self.monitor.index.get(&id).copied())
            .and_then(|row| self.view.iter().position(|&i| i == row))
            .unwrap_or(0)
            .min(self.view.len().saturating_sub(1));
        self.dirty = true;
    }

    /// Rows the table can show at once (from the last draw).
    pub fn page_size(&self) -> usize {
        (self.regions.table_rows.height as usize).max(1)
    }

    /// Keep the selection inside the visible window of the table.
    pub fn clamp_offset(&mut self) {
        let page = self.page_size();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.view.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
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
