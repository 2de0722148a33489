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
            refresh: refresh.max(MIN_INTERVAL),
            status_every: STATUS_EVERY,
            invert: false,
            mode: ModeChoice::Auto,
            saved: None,
            codes_unscanned: 0,
        }
    }

    /// Check the status every `every` instead of every [`STATUS_EVERY`].
    pub fn with_status_every(mut self, every: Duration) -> QrPane {
        self.status_every = every.max(MIN_INTERVAL);
        self.next_status = self.opened_at + self.status_every;
        self
    }

    /// When `due` will next have a request to send, if it can have any
    /// (none while connected or while both kinds are in flight).
    pub fn next_due(&self) -> Option<Instant> {
        if matches!(self.stage, Stage::Connected { .. }) {
            return None;
        }
        let qr = (self.stage == Stage::Waiting && !self.qr_in_flight && !self.resting())
            .then_some(self.next_qr);
        let status = (!self.status_in_flight).then_some(self.next_status);
        qr.into_iter().chain(status).min()
    }

    /// The requests due at `now`, marked in flight. Nothing once connected.
    pub fn due(&mut self, now: Instant, effects: &mut Vec<Effect>) {
        if matches!(self.stage, Stage::Connected { .. }) {
            return;
        }
        if self.stage == Stage::Waiting
            && !self.qr_in_flight
            && !self.resting()
            && self.next_qr <= now
        {
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
                let wait = backoff(self.status_failures).min(STATUS_BACKOFF_MAX);
                self.next_status = done.at + wait.max(self.status_every);
                Event::Nothing
            }
            // An answer of the wrong shape: treat like a failure, retry later.
            (Kind::Qr, Ok(other)) => {
                self.qr_failed(Problem::Request(other.text().to_string()), done.at);
                Event::Nothing
            }
            (Kind::Status, Ok(_)) => {
                self.next_status = done.at + self.status_every;
                Event::Nothing
            }
        }
    }

    fn on_qr(&mut self, payload: &Result<String, String>, raw: &str, at: Instant) {
        let modules = payload.as_ref().map_err(Clone::clone).and_then(|text| {
            qr::encode(text)
                .map(|m| (text, m))
                .map_err(|e| e.to_string())
        });
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
                self.codes_unscanned += 1;
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
        self.next_status = at + self.status_every;
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
        self.codes_unscanned = 0;
        self.next_qr = now;
        self.next_status = self.next_status.min(now);
    }

    /// [`MAX_UNSCANNED_CODES`] shown and the last one has run out: no new
    /// code until `r` (the status is still checked, so a link still counts).
    pub fn resting(&self) -> bool {
        self.codes_unscanned >= MAX_UNSCANNED_CODES
    }

    /// Resting and the last code's time is up: it is not worth showing.
    pub fn code_expired(&self, now: Instant) -> bool {
        self.resting() && now >= self.next_qr
    }

    /// Whether the "Connected" message has been shown long enough.
    pub fn should_close(&self, now: Instant) -> bool {
        matches!(self.stage, Stage::Connected { close_at, .. } if now >= close_at)
    }

    /// Time until the next code (or retry), while one is expected.
    pub fn countdown(&self, now: Instant) -> Option<Duration> {
        (self.stage == Stage::Waiting && !self.qr_in_flight && !self.resting())
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
    BACKOFF_START
        .saturating_mul(1 << doublings)
        .min(BACKOFF_MAX)
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
        let pane = QrPane::open(
            "i1".into(),
            "L".into(),
            0,
            false,
            Duration::from_secs(20),
            now,
        );
        let wall = SystemTime::UNIX_EPOCH;
        let path = pane.png_path(Some(Path::new("/etc/wadash/config.toml")), wall);
        assert_eq!(path.parent(), Some(Path::new("/etc/wadash")));
        let here = pane.png_path(Some(Path::new("config.toml")), wall);
        assert_eq!(here.parent(), Some(Path::new(".")));
        assert_eq!(pane.png_path(None, wall).parent(), Some(Path::new(".")));
    }

    #[test]
    fn next_due_follows_the_timers_and_status_every_can_be_set() {
        let t0 = Instant::now();
        let mut pane = QrPane::open("i1".into(), "L".into(), 0, false, QR_REFRESH, t0)
            .with_status_every(Duration::from_millis(500));
        assert_eq!(pane.next_due(), Some(t0), "the QR at once");
        let mut effects = Vec::new();
        pane.due(t0, &mut effects);
        assert_eq!(effects.len(), 1);
        let half_second = t0 + Duration::from_millis(500);
        assert_eq!(pane.next_due(), Some(half_second), "then the status");
        pane.due(half_second, &mut effects);
        assert_eq!(effects.len(), 2);
        assert_eq!(pane.next_due(), None, "both in flight");
        // A zero interval is floored rather than asked in a tight loop.
        let pane = QrPane::open("i1".into(), "L".into(), 0, false, QR_REFRESH, t0)
            .with_status_every(Duration::ZERO);
        assert_eq!(pane.status_every, MIN_INTERVAL);
    }

    #[test]
    fn a_slow_status_interval_outlasts_the_status_backoff_cap() {
        let t0 = Instant::now();
        let every = Duration::from_secs(30);
        let mut pane = QrPane::open("i1".into(), "L".into(), 0, false, QR_REFRESH, t0)
            .with_status_every(every);
        pane.status_in_flight = true;
        pane.on_answer(&ApiDone {
            instance: "i1".into(),
            call: Call::Status,
            purpose: Purpose::QrPane,
            at: t0,
            latency: Duration::ZERO,
            result: Err(CallError::Local("down".into())),
        });
        assert_eq!(pane.next_status, t0 + every);
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

    // ---- driven through `update`, as the dashboard does ----

    use crate::api::{ApiError, QrReply, StatusReply};
    use crate::app::keymap::ModeKind;
    use crate::app::msg::Msg;
    use crate::app::state::{App, AppInit, InstanceSeed, Mode, Pending};
    use crate::app::update;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    const REFRESH: Duration = Duration::from_secs(20);

    fn app(t0: Instant, status: Option<InstanceStatus>) -> App {
        let seeds = vec![InstanceSeed::new("inst-1", "Tienda Lima", &[])];
        let mut app = App::new(AppInit {
            interval: Duration::from_secs(3600),
            concurrency: 4,
            bell: true,
            config_path: Some(PathBuf::from("/srv/wadash/config.toml")),
            qr_refresh: REFRESH,
            wall: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            ..AppInit::sample(seeds, t0)
        });
        app.rows[0].status = status;
        app
    }

    fn secs(t0: Instant, s: f64) -> Instant {
        t0 + Duration::from_secs_f64(s)
    }

    fn key(c: char) -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn esc() -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
    }

    /// Only the pane's requests (the list's own polls are not under test).
    fn pane_calls(effects: Vec<Effect>) -> Vec<Call> {
        effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Api {
                    call,
                    purpose: Purpose::QrPane,
                    ..
                } => Some(call),
                _ => None,
            })
            .collect()
    }

    fn tick(app: &mut App, at: Instant) -> Vec<Call> {
        pane_calls(update(app, Msg::Tick(at)))
    }

    fn answer(
        app: &mut App,
        call: Call,
        at: Instant,
        result: Result<Reply, CallError>,
    ) -> Vec<Call> {
        pane_calls(update(
            app,
            Msg::Api(ApiDone {
                instance: "inst-1".into(),
                call,
                purpose: Purpose::QrPane,
                at,
                latency: Duration::from_millis(30),
                result,
            }),
        ))
    }

    const PAIRING: &str = "2@AbCdEfGhIjKlMnOpQrStUvWxYz0123456789,AbCdEfGhIjKlMnOpQrStUvWx=,Zz9=";

    fn qr_ok(payload: &str) -> Result<Reply, CallError> {
        Ok(Reply::Qr {
            reply: QrReply {
                text: "QR-CODE enviado".into(),
                qr: "ignored-by-the-pane".into(),
            },
            payload: Ok(payload.to_string()),
        })
    }

    fn status(s: InstanceStatus) -> Result<Reply, CallError> {
        Ok(Reply::Status(StatusReply {
            text: format!("Instancia {s}"),
            status: s,
        }))
    }

    fn server_error(text: &str) -> Result<Reply, CallError> {
        Err(CallError::Api(ApiError::Server {
            http: 500,
            server_text: text.into(),
        }))
    }

    fn pane(app: &App) -> &QrPane {
        match &app.mode {
            Mode::Qr(p) => p,
            other => panic!("expected the QR pane, got {:?}", other.kind()),
        }
    }

    #[test]
    fn qr_at_open_status_every_2_5_s_never_two_in_flight() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        assert_eq!(pane_calls(update(&mut app, key('c'))), [Call::Qr]);
        assert_eq!(app.mode.kind(), ModeKind::Qr);
        // The QR is in flight: later ticks do not send another.
        assert_eq!(tick(&mut app, secs(t0, 1.0)), []);
        assert_eq!(tick(&mut app, secs(t0, 2.4)), []);
        assert_eq!(tick(&mut app, secs(t0, 2.5)), [Call::Status]);
        assert_eq!(tick(&mut app, secs(t0, 4.0)), [], "status still in flight");
        // The list's own first poll went out meanwhile; the pane's answer
        // must not be taken for it.
        let list_poll = (app.rows[0].polling, app.polling.in_flight);
        answer(
            &mut app,
            Call::Status,
            secs(t0, 4.0),
            status(InstanceStatus::Inactive),
        );
        assert_eq!((app.rows[0].polling, app.polling.in_flight), list_poll);
        assert_eq!(tick(&mut app, secs(t0, 6.4)), []);
        assert_eq!(tick(&mut app, secs(t0, 6.5)), [Call::Status]);
        // The row learnt the status too, like a poll would.
        assert_eq!(app.rows[0].checks, 1);
        assert_eq!(app.rows[0].checked_at, Some(secs(t0, 4.0)));
    }

    #[test]
    fn qr_is_re_requested_after_the_refresh_interval() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        answer(&mut app, Call::Qr, secs(t0, 1.0), qr_ok(PAIRING));
        let code = pane(&app).code.as_ref().expect("a code");
        assert_eq!((code.payload.as_str(), code.number), (PAIRING, 1));
        assert_eq!(
            pane(&app).countdown(secs(t0, 6.0)),
            Some(Duration::from_secs(15))
        );
        let qr_calls = |calls: Vec<Call>| calls.into_iter().filter(|c| *c == Call::Qr).count();
        assert_eq!(qr_calls(tick(&mut app, secs(t0, 20.9))), 0);
        assert_eq!(qr_calls(tick(&mut app, secs(t0, 21.0))), 1);
        assert_eq!(
            qr_calls(tick(&mut app, secs(t0, 45.0))),
            0,
            "one QR in flight at most"
        );
        answer(&mut app, Call::Qr, secs(t0, 45.5), qr_ok("2@another,code"));
        let code = pane(&app).code.as_ref().unwrap();
        assert_eq!((code.payload.as_str(), code.number), ("2@another,code", 2));
        assert_eq!(qr_calls(tick(&mut app, secs(t0, 65.5))), 1);
    }

    #[test]
    fn after_six_unscanned_codes_the_pane_rests_until_r() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        let qr_calls = |calls: Vec<Call>| calls.into_iter().filter(|c| *c == Call::Qr).count();
        let mut at = 0.0;
        for n in 1..=MAX_UNSCANNED_CODES {
            answer(
                &mut app,
                Call::Qr,
                secs(t0, at + 0.5),
                qr_ok(&format!("2@code{n},x")),
            );
            at += 20.5;
            let calls = tick(&mut app, secs(t0, at));
            if calls.contains(&Call::Status) {
                answer(
                    &mut app,
                    Call::Status,
                    secs(t0, at + 0.1),
                    status(InstanceStatus::Inactive),
                );
            }
            let asked = qr_calls(calls);
            assert_eq!(
                asked,
                usize::from(n < MAX_UNSCANNED_CODES),
                "after code {n}"
            );
        }
        assert!(pane(&app).resting());
        assert_eq!(pane(&app).countdown(secs(t0, at)), None);
        assert!(pane(&app).code_expired(secs(t0, at)));
        // Still watching the status: a late scan still counts.
        let later: Vec<Call> = tick(&mut app, secs(t0, at + 60.0));
        assert!(
            later.contains(&Call::Status) && !later.contains(&Call::Qr),
            "{later:?}"
        );
        answer(
            &mut app,
            Call::Status,
            secs(t0, at + 60.5),
            status(InstanceStatus::Inactive),
        );
        // `r`: a new code at once, and six more before the next rest.
        assert_eq!(qr_calls(pane_calls(update(&mut app, key('r')))), 1);
        assert!(!pane(&app).resting());
    }

    #[test]
    fn failures_back_off_and_success_resets() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        answer(
            &mut app,
            Call::Qr,
            secs(t0, 1.0),
            server_error("Error interno"),
        );
        match &pane(&app).problem {
            Some(Problem::Request(text)) => assert!(text.contains("Error interno"), "{text}"),
            other => panic!("{other:?}"),
        }
        let qr_at = |app: &mut App, s: f64| tick(app, secs(t0, s)).contains(&Call::Qr);
        assert!(!qr_at(&mut app, 2.9));
        assert!(qr_at(&mut app, 3.0), "first retry after 2 s");
        answer(
            &mut app,
            Call::Qr,
            secs(t0, 3.0),
            server_error("Error interno"),
        );
        assert!(!qr_at(&mut app, 6.9));
        assert!(qr_at(&mut app, 7.0), "second retry after 4 s");
        answer(
            &mut app,
            Call::Qr,
            secs(t0, 7.0),
            server_error("Error interno"),
        );
        assert!(!qr_at(&mut app, 14.9));
        assert!(qr_at(&mut app, 15.0), "third retry after 8 s");
        // A value that is not a QR: the reason and its first characters.
        update(
            &mut app,
            Msg::Api(ApiDone {
                instance: "inst-1".into(),
                call: Call::Qr,
                purpose: Purpose::QrPane,
                at: secs(t0, 15.0),
                latency: Duration::ZERO,
                result: Ok(Reply::Qr {
                    reply: QrReply {
                        text: "QR-CODE enviado".into(),
                        qr: "<html>502 Bad Gateway</html>".into(),
                    },
                    payload: Err("the QR value is not base64".into()),
                }),
            }),
        );
        match &pane(&app).problem {
            Some(Problem::Undecodable { why, start }) => {
                assert!(why.contains("not base64"));
                assert!(start.starts_with("<html>502"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!qr_at(&mut app, 30.9));
        assert!(qr_at(&mut app, 31.0), "fourth failure waits 16 s");
        answer(&mut app, Call::Qr, secs(t0, 31.0), qr_ok(PAIRING));
        assert_eq!(pane(&app).problem, None);
        assert_eq!(pane(&app).qr_failures, 0);
        assert!(qr_at(&mut app, 51.0), "back to the normal interval");
    }

    #[test]
    fn connected_rings_then_closes_after_two_seconds() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        answer(&mut app, Call::Qr, secs(t0, 0.5), qr_ok(PAIRING));
        tick(&mut app, secs(t0, 2.5));
        assert!(!app.ring_bell);
        answer(
            &mut app,
            Call::Status,
            secs(t0, 12.0),
            status(InstanceStatus::Active),
        );
        assert!(app.ring_bell);
        assert_eq!(
            pane(&app).stage,
            Stage::Connected {
                took: Duration::from_secs(12),
                close_at: secs(t0, 14.0)
            }
        );
        assert!(app.rows[0].is_active(), "the row turns active at once");
        // Nothing more is asked while "Connected" shows.
        assert_eq!(tick(&mut app, secs(t0, 13.9)), []);
        assert_eq!(app.mode.kind(), ModeKind::Qr);
        assert_eq!(tick(&mut app, secs(t0, 14.0)), []);
        assert_eq!(app.mode.kind(), ModeKind::List);
        assert_eq!(tick(&mut app, secs(t0, 60.0)), []);
    }

    #[test]
    fn no_bell_when_the_user_turned_it_off() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        app.bell_enabled = false;
        update(&mut app, key('c'));
        answer(&mut app, Call::Qr, secs(t0, 0.5), qr_ok(PAIRING));
        tick(&mut app, secs(t0, 2.5));
        answer(
            &mut app,
            Call::Status,
            secs(t0, 3.0),
            status(InstanceStatus::Active),
        );
        assert!(matches!(pane(&app).stage, Stage::Connected { .. }));
        assert!(!app.ring_bell);
    }

    #[test]
    fn esc_stops_everything_and_late_answers_are_harmless() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        tick(&mut app, secs(t0, 2.5));
        assert_eq!(pane_calls(update(&mut app, esc())), []);
        assert_eq!(app.mode.kind(), ModeKind::List);
        for s in [3.0, 25.0, 60.0, 600.0] {
            assert_eq!(tick(&mut app, secs(t0, s)), [], "at {s} s");
        }
        // Both answers come back after the close.
        assert_eq!(
            answer(&mut app, Call::Qr, secs(t0, 601.0), qr_ok(PAIRING)),
            []
        );
        assert_eq!(
            answer(
                &mut app,
                Call::Status,
                secs(t0, 601.0),
                status(InstanceStatus::Active)
            ),
            []
        );
        assert_eq!(app.mode.kind(), ModeKind::List);
        assert!(!app.ring_bell, "no bell for a pane that is closed");
        assert!(
            app.rows[0].is_active(),
            "the status is still news for the row"
        );
        assert!(app.qr_strays.is_empty());
    }

    #[test]
    fn a_reopened_pane_ignores_the_old_panes_answers() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        update(&mut app, esc());
        assert_eq!(pane_calls(update(&mut app, key('c'))), [Call::Qr]);
        // The first pane's answer arrives: not taken for the new request…
        answer(&mut app, Call::Qr, secs(t0, 0.5), qr_ok("2@old"));
        assert!(pane(&app).code.is_none());
        assert!(pane(&app).qr_in_flight);
        assert_eq!(tick(&mut app, secs(t0, 1.0)), [], "still one QR in flight");
        // …the new one is.
        answer(&mut app, Call::Qr, secs(t0, 1.2), qr_ok(PAIRING));
        assert_eq!(pane(&app).code.as_ref().unwrap().payload, PAIRING);
    }

    #[test]
    fn already_active_offers_disconnect_and_watches_the_status() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Active));
        assert_eq!(pane_calls(update(&mut app, key('c'))), []);
        assert_eq!(pane(&app).stage, Stage::AlreadyActive);
        assert_eq!(tick(&mut app, secs(t0, 2.5)), [Call::Status]);
        answer(
            &mut app,
            Call::Status,
            secs(t0, 3.0),
            status(InstanceStatus::Active),
        );
        assert_eq!(tick(&mut app, secs(t0, 5.5)), [Call::Status]);
        // Disconnected elsewhere: the pane starts asking for codes.
        assert_eq!(
            answer(
                &mut app,
                Call::Status,
                secs(t0, 6.0),
                status(InstanceStatus::Inactive)
            ),
            []
        );
        assert_eq!(pane(&app).stage, Stage::Waiting);
        assert_eq!(tick(&mut app, secs(t0, 6.0)), [Call::Qr]);
    }

    #[test]
    fn d_in_the_pane_asks_before_disconnecting() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Active));
        update(&mut app, key('c'));
        update(&mut app, key('D'));
        match &app.mode {
            Mode::Confirm(c) => {
                assert_eq!(c.on_yes, Pending::Disconnect("inst-1".into()));
                assert!(!c.yes_focused);
            }
            other => panic!("{:?}", other.kind()),
        }
        let effects = update(&mut app, key('y'));
        assert!(effects.iter().any(|e| matches!(
            e,
            Effect::Api { call: Call::Disconnect, instance, .. } if instance == "inst-1"
        )));
    }

    #[test]
    fn active_before_any_code_is_not_a_scan() {
        let t0 = Instant::now();
        // The list thought it inactive; the server says active at once.
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        tick(&mut app, secs(t0, 2.5));
        answer(
            &mut app,
            Call::Status,
            secs(t0, 2.6),
            status(InstanceStatus::Active),
        );
        assert_eq!(pane(&app).stage, Stage::AlreadyActive);
        assert!(!app.ring_bell);
    }

    #[test]
    fn enter_opens_only_on_an_inactive_row() {
        let t0 = Instant::now();
        let enter = || Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        for (status, opens) in [
            (Some(InstanceStatus::Inactive), true),
            (Some(InstanceStatus::Active), false),
            (None, false),
        ] {
            let mut app = app(t0, status.clone());
            update(&mut app, enter());
            assert_eq!(app.mode.kind() == ModeKind::Qr, opens, "{status:?}");
        }
    }

    #[test]
    fn keys_invert_cycle_mode_refresh_and_save() {
        let t0 = Instant::now();
        let mut app = app(t0, Some(InstanceStatus::Inactive));
        update(&mut app, key('c'));
        // Nothing to save yet: said, nothing written.
        assert!(
            update(&mut app, key('s'))
                .iter()
                .all(|e| !matches!(e, Effect::SaveQrPng { .. }))
        );
        answer(&mut app, Call::Qr, secs(t0, 1.0), qr_ok(PAIRING));
        update(&mut app, key('i'));
        assert!(pane(&app).invert);
        update(&mut app, key('m'));
        assert_eq!(pane(&app).mode, ModeChoice::Half);
        update(&mut app, key('m'));
        update(&mut app, key('m'));
        assert_eq!(pane(&app).mode, ModeChoice::Auto);
        // `r` asks for a code now instead of in 20 s.
        tick(&mut app, secs(t0, 5.0));
        assert!(pane_calls(update(&mut app, key('r'))).contains(&Call::Qr));
        let saved = update(&mut app, key('s'))
            .into_iter()
            .find_map(|e| match e {
                Effect::SaveQrPng { payload, path } => Some((payload, path)),
                _ => None,
            })
            .expect("a save effect");
        assert_eq!(saved.0, PAIRING);
        assert_eq!(saved.1.parent(), Some(Path::new("/srv/wadash")));
        let name = saved.1.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("qr-inst-1-2023-11-14T22-13-2"), "{name}");
        update(&mut app, Msg::QrSaved(Ok(saved.1.clone())));
        assert_eq!(pane(&app).saved, Some(Ok(saved.1)));
    }
}
