//! The pane's clock: opening it, which requests are due and when, the
//! backoff after failures, and when the pane rests or closes.

use std::time::{Duration, Instant};

use super::{
    BACKOFF_MAX, BACKOFF_START, Kind, MAX_UNSCANNED_CODES, MIN_INTERVAL, QrPane, STATUS_EVERY,
    Stage,
};
use crate::engine::effect::{Effect, Purpose};
use crate::qr::ModeChoice;

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
            share: None,
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
}

/// 2 s, 4 s, 8 s … capped at a minute, after `failures` (≥ 1) in a row.
pub fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    BACKOFF_START
        .saturating_mul(1 << doublings)
        .min(BACKOFF_MAX)
}
