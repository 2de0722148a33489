//! The QR pane's state and timers: which requests are due, what an answer
//! changes, when the pane closes. Pure like `update`: every function takes
//! the time it should act at, so tests drive it with synthetic instants.
//!
//! Requests: the QR at open and every `qr_refresh` after each answer; the
//! status every [`STATUS_EVERY`]; never two of a kind in flight. Failures
//! back off (2 s, 4 s, 8 s … up to 60 s) and show the server's text.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::effect::{Call, Effect, Purpose};
use super::msg::{ApiDone, CallError, Reply};
use crate::api::InstanceStatus;
use crate::qr::{self, ModeChoice, Modules};

/// How often the open pane asks whether the phone has scanned the code.
pub const STATUS_EVERY: Duration = Duration::from_millis(2500);
/// How long "Connected" stays on screen before the pane closes by itself.
pub const CONNECTED_HOLD: Duration = Duration::from_secs(2);
/// First retry delay after a failure; doubles per consecutive failure.
pub const BACKOFF_START: Duration = Duration::from_secs(2);
pub const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// A failing status check must not hide a scan for long: its backoff stops here.
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
    pub invert: bool,
    pub mode: ModeChoice,
    /// Where the last `s` saved the code, or why it could not.
    pub saved: Option<Result<PathBuf, String>>,
}

/// What an answer meant for the rest of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Nothing,
    /// The status turned active after a code was shown: ring, then close.
    Connected,
}

impl QrPane {
    /// A pane for one instance. `active` is what the list last knew.
    pub fn open(
        instance: String,
        label: String,
        account: usize,
        active: bool,
        refresh: Duration,
        now: Instant,
    ) -> QrPane {
        QrPane {
            instance,
            label,
            account,
            opened_at: now,
            stage: if active {
                Stage::AlreadyActive
            } else {
                Stage::Waiting
            },
            code: None,
            problem: None,
            status_problem: None,
            qr_in_flight: false,
            status_in_flight: false,
            next_qr: now,
            // The QR answer already says whether the instance can pair; the
            // first status check can wait its turn.
            next_status: now + STATUS_EVERY,
            qr_failures: 0,
            status_failures: 0,
            // A zero interval would re-request in a tight loop.
            refresh: refresh.max(Duration::from_millis(200)),
            invert: false,
            mode: ModeChoice::Auto,
            saved: None,
        }
    }

    /// The requests due at `now`, marked in flight. Nothing once connected.
    pub fn due(&mut self, now: Instant, effects: &mut Vec<Effect>) {
        if matches!(self.stage, Stage::Connected { .. }) {
            return;
        }
        if self.stage == Stage::Waiting && !self.qr_in_flight && self.next_qr <= now {
            self.qr_in_flight = true;
            effects.push(self.effect(Kind::Qr));
        }
        if !self.status_in_flight && self.next_status <= now {
            self.status_in_flight = true;
            effects.push(self.effect(Kind::Status));
        }
    }

    fn effect(&self, kind: Kind) -> Effect {
        Effect::Api {
            instance: self.instance.clone(),
            account: self.account,
            call: kind.call(),
            purpose: Purpose::QrPane,
        }
    }

    /// Take in an answer to one of this pane's requests.
    pub fn on_answer(&mut self, done: &ApiDone) -> Event {
        let Some(kind) = Kind::of(&done.call) else {
            return Event::Nothing;
        };
        match kind {
            Kind::Qr => self.qr_in_flight = false,
            Kind::Status => self.status_in_flight = false,
        }
        if matches!(self.stage, Stage::Connected { .. }) {
            return Event::Nothing;
        }
        match (kind, &done.result) {
            (Kind::Qr, Ok(Reply::Qr { reply, payload })) => {
                self.on_qr(payload, &reply.qr, done.at);
                Event::Nothing
            }
            (Kind::Status, Ok(Reply::Status(reply))) => self.on_status(&reply.status, done.at),
            (Kind::Qr, Err(e)) => {
                self.qr_failed(Problem::Request(error_text(e)), done.at);
                Event::Nothing
            }
            (Kind::Status, Err(e)) => {
                self.status_failures += 1;
                self.status_problem = Some(error_text(e));
                self.next_status =
                    done.at + backoff(self.status_failures).clamp(STATUS_EVERY, STATUS_BACKOFF_MAX);
                Event::Nothing
            }
            // An answer of the wrong shape: treat like a failure, retry later.
            (Kind::Qr, Ok(other)) => {
                self.qr_failed(Problem::Request(other.text().to_string()), done.at);
                Event::Nothing
            }
            (Kind::Status, Ok(_)) => {
                self.next_status = done.at + STATUS_EVERY;
                Event::Nothing
            }
        }
    }

    fn on_qr(&mut self, payload: &Result<String, String>, raw: &str, at: Instant) {
        let modules = payload
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|text| qr::encode(text).map(|m| (text, m)).map_err(|e| e.to_string()));
        match modules {
            Ok((text, modules)) => {
                let number = self.code.as_ref().map_or(1, |c| c.number + 1);
                self.code = Some(Code {
                    payload: text.clone(),
                    modules,
                    received_at: at,
                    number,
                });
                self.problem = None;
                self.qr_failures = 0;
                self.next_qr = at + self.refresh;
            }
            Err(why) => self.qr_failed(
                Problem::Undecodable {
                    why,
                    start: snippet(raw),
                },
                at,
            ),
        }
    }

    fn qr_failed(&mut self, problem: Problem, at: Instant) {
        self.qr_failures += 1;
        self.problem = Some(problem);
        self.next_qr = at + backoff(self.qr_failures);
    }

    fn on_status(&mut self, status: &InstanceStatus, at: Instant) -> Event {
        self.status_failures = 0;
        self.status_problem = None;
        self.next_status = at + STATUS_EVERY;
        match (&self.stage, status) {
            // Active before any code was shown: it was connected all along
            // (the list was stale), not scanned from here.
            (Stage::Waiting, InstanceStatus::Active) if self.code.is_none() => {
                self.stage = Stage::AlreadyActive;
                Event::Nothing
            }
            (Stage::Waiting, InstanceStatus::Active) => {
                self.stage = Stage::Connected {
                    took: at.saturating_duration_since(self.opened_at),
                    close_at: at + CONNECTED_HOLD,
                };
                Event::Connected
            }
            (Stage::AlreadyActive, InstanceStatus::Inactive) => {
                self.stage = Stage::Waiting;
                self.next_qr = at;
                Event::Nothing
            }
            _ => Event::Nothing,
        }
    }

    /// `r`: ask for a new code now, forgetting any backoff wait.
    pub fn refresh_now(&mut self, now: Instant) {
        self.next_qr = now;
        self.next_status = self.next_status.min(now);
    }

    /// Whether the "Connected" message has been shown long enough.
    pub fn should_close(&self, now: Instant) -> bool {
        matches!(self.stage, Stage::Connected { close_at, .. } if now >= close_at)
    }

    /// Time until the next code (or retry), while one is expected.
    pub fn countdown(&self, now: Instant) -> Option<Duration> {
        (self.stage == Stage::Waiting && !self.qr_in_flight)
            .then(|| self.next_qr.saturating_duration_since(now))
    }

    /// The requests still unanswered, for [`Strays`] when the pane closes.
    pub fn in_flight(&self) -> impl Iterator<Item = Kind> {
        [
            (self.qr_in_flight, Kind::Qr),
            (self.status_in_flight, Kind::Status),
        ]
        .into_iter()
        .filter_map(|(busy, kind)| busy.then_some(kind))
    }

    /// Where `s` saves the code: next to the config, else the current dir.
    pub fn png_path(&self, config_path: Option<&Path>, wall: SystemTime) -> PathBuf {
        let dir = config_path
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        dir.join(png_file_name(&self.instance, wall))
    }
}

/// `qr-<id>-<UTC time>.png`; the id keeps only characters safe in file
/// names everywhere, and the time has no colons (Windows refuses them).
pub fn png_file_name(instance: &str, wall: SystemTime) -> String {
    let id: String = instance
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let time = humantime::format_rfc3339_seconds(wall)
        .to_string()
        .replace(':', "-");
    format!("qr-{id}-{time}.png")
}

/// 2 s, 4 s, 8 s … capped at a minute, after `failures` (≥ 1) in a row.
pub fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    BACKOFF_START.saturating_mul(1 << doublings).min(BACKOFF_MAX)
}

fn error_text(e: &CallError) -> String {
    e.to_string()
}

/// The first characters of a value, control characters escaped.
fn snippet(text: &str) -> String {
    let head: String = text.chars().take(SNIPPET_CHARS).collect();
    let mut out = head.escape_debug().to_string();
    if text.chars().nth(SNIPPET_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Requests a closed pane left unanswered. Their answers must not be taken
/// for the answers of a pane opened later on the same instance, or that
/// pane would send a second request of the same kind while one is out.
#[derive(Debug, Clone, Default)]
pub struct Strays {
    pending: Vec<(String, Kind)>,
}

impl Strays {
    pub fn add(&mut self, instance: &str, kind: Kind) {
        self.pending.push((instance.to_string(), kind));
    }

    /// Whether this answer belongs to a closed pane (and forget it if so).
    pub fn take(&mut self, instance: &str, call: &Call) -> bool {
        let Some(kind) = Kind::of(call) else {
            return false;
        };
        match self
            .pending
            .iter()
            .position(|(id, k)| id == instance && *k == kind)
        {
            Some(i) => {
                self.pending.swap_remove(i);
                true
            }
            None => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        let secs: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(u32::MAX), BACKOFF_MAX);
    }

    #[test]
    fn file_name_is_safe_and_dated() {
        let wall = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let name = png_file_name("inst/../1 a:b", wall);
        assert_eq!(name, "qr-inst____1_a_b-2023-11-14T22-13-20Z.png");
    }

    #[test]
    fn png_goes_next_to_the_config() {
        let now = Instant::now();
        let pane = QrPane::open("i1".into(), "L".into(), 0, false, Duration::from_secs(20), now);
        let wall = SystemTime::UNIX_EPOCH;
        let path = pane.png_path(Some(Path::new("/etc/wadash/config.toml")), wall);
        assert_eq!(path.parent(), Some(Path::new("/etc/wadash")));
        let here = pane.png_path(Some(Path::new("config.toml")), wall);
        assert_eq!(here.parent(), Some(Path::new(".")));
        assert_eq!(pane.png_path(None, wall).parent(), Some(Path::new(".")));
    }

    #[test]
    fn strays_match_instance_and_kind_once() {
        let mut strays = Strays::default();
        strays.add("a", Kind::Qr);
        assert!(!strays.take("a", &Call::Status));
        assert!(!strays.take("b", &Call::Qr));
        assert!(strays.take("a", &Call::Qr));
        assert!(!strays.take("a", &Call::Qr));
        assert!(strays.is_empty());
    }
}
