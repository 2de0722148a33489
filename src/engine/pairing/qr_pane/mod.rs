//! The QR pane's state and timers: which requests are due, what an answer
//! changes, when the pane closes. Pure like `update`: every function takes
//! the time it should act at, so tests drive it with synthetic instants.
//!
//! Requests: the QR at open and every `qr_refresh` after each answer; the
//! status every [`STATUS_EVERY`]; never two of a kind in flight. Failures
//! back off (2 s, 4 s, 8 s … up to 60 s) and show the server's text.

//!
//! Split by job: `timers` (when each request is due), `answers` (what an
//! answer changes), `save` (the PNG's name and place), `strays` (requests
//! a closed pane left behind).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::qr::{ModeChoice, Modules};

use crate::engine::effect::Call;

mod answers;
mod save;
mod strays;
mod timers;

pub use save::png_file_name;
pub use strays::Strays;
pub use timers::backoff;

#[cfg(test)]
mod tests;

/// How often a new code is fetched by default: WhatsApp rotates the pairing
/// code about every 20 s while unlinked. The one default for the pane
/// (`ui.qr_refresh` overrides it) and `wadash qr --wait`.
pub const QR_REFRESH: Duration = Duration::from_secs(20);
/// How often the open pane asks whether the phone has scanned the code.
pub const STATUS_EVERY: Duration = Duration::from_millis(2500);
/// The shortest interval either timer accepts: a zero would re-request in a tight loop.
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// How long "Connected" stays on screen before the pane closes by itself.
pub const CONNECTED_HOLD: Duration = Duration::from_secs(2);
/// First retry delay after a failure; doubles per consecutive failure.
pub const BACKOFF_START: Duration = Duration::from_secs(2);
pub const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// A failing status check must not hide a scan for long: its backoff stops here.
/// Codes shown without a scan before the pane stops asking for more and
/// waits for `r` (about two minutes at 20 s a code): WAHA fails a session
/// after 6 codes, Z-API advises stopping after 3; an unattended pane
/// should not churn codes for ever.
pub const MAX_UNSCANNED_CODES: u32 = 6;
pub const STATUS_BACKOFF_MAX: Duration = Duration::from_secs(10);
/// How much of an undecodable QR value the pane quotes.
const SNIPPET_CHARS: usize = 48;

/// The two kinds of request the pane makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Qr,
    Status,
}

impl Kind {
    fn of(call: &Call) -> Option<Kind> {
        match call {
            Call::Qr => Some(Kind::Qr),
            Call::Status => Some(Kind::Status),
            _ => None,
        }
    }

    fn call(self) -> Call {
        match self {
            Kind::Qr => Call::Qr,
            Kind::Status => Call::Status,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The instance was active when the pane opened: nothing to scan; the
    /// status is still watched so a disconnect elsewhere turns this into `Waiting`.
    AlreadyActive,
    /// Showing (or fetching) codes until the status turns active.
    Waiting,
    /// Scanned: shown until `close_at`, then the pane closes.
    Connected { took: Duration, close_at: Instant },
}

/// The code on screen: the pairing text and its modules, encoded once.
#[derive(Debug, Clone)]
pub struct Code {
    pub payload: String,
    pub modules: Modules,
    pub received_at: Instant,
    /// 1 for the first code since the pane opened, 2 for the next…
    pub number: u32,
}

/// Why the last QR request gave no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The request failed: the server's (or transport's) own text.
    Request(String),
    /// A QR value came but could not be read: why, and its first characters.
    Undecodable { why: String, start: String },
}

#[derive(Debug, Clone)]
pub struct QrPane {
    pub instance: String,
    pub label: String,
    pub account: usize,
    pub opened_at: Instant,
    pub stage: Stage,
    pub code: Option<Code>,
    pub problem: Option<Problem>,
    /// The last status check's error, if it failed (the server's text).
    pub status_problem: Option<String>,
    pub qr_in_flight: bool,
    pub status_in_flight: bool,
    pub next_qr: Instant,
    pub next_status: Instant,
    pub qr_failures: u32,
    pub status_failures: u32,
    pub refresh: Duration,
    /// [`STATUS_EVERY`] unless `wadash qr --status-every` says otherwise.
    pub status_every: Duration,
    pub invert: bool,
    pub mode: ModeChoice,
    /// Where the last `s` saved the code, or why it could not.
    pub saved: Option<Result<PathBuf, String>>,
    /// Codes received since the pane opened or the last `r`.
    pub codes_unscanned: u32,
    /// `S`: the share link for this instance, or why there is none.
    pub share: Option<Result<String, String>>,
}

/// What an answer meant for the rest of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Nothing,
    /// The status turned active after a code was shown: ring, then close.
    Connected,
}
