//! What an answer changes: a new code, a failure and its backoff, a status
//! that links the instance or unlinks it.

use std::time::Instant;

use super::timers::backoff;
use super::{
    CONNECTED_HOLD, Code, Event, Kind, Problem, QrPane, SNIPPET_CHARS, STATUS_BACKOFF_MAX, Stage,
};
use crate::domain::InstanceStatus;
use crate::engine::msg::{ApiDone, CallError, Reply};
use crate::qr;

impl QrPane {
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
