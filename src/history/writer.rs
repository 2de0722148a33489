//! The one writer per process: a thread that takes observations from a
//! channel, batches them (one transaction per batch, `BEGIN IMMEDIATE` so
//! several processes serialise cleanly), retries while another process
//! holds the lock, and turns a full disk or a read-only file into a notice
//! and a history-less but running app. Nothing here ever blocks its caller:
//! `record` is a channel send.
//!
//! How an observation lands (see [`decide`]): each instance has at most one
//! open period (a unique partial index enforces it, so two processes can
//! never both open one). A check that sees the open period's state extends
//! its `last_seen`; a different state closes it at that check's time and
//! opens the next; a check after `last_seen + grace` closes it at
//! `last_seen + grace` (the rest was not observed) and opens a new one. An
//! observation older than `last_seen` (another process's, a little behind)
//! is already covered and changes nothing, so two writers polling the same
//! instance neither lose nor double time.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use super::keeper::{self, Shared};
use super::notice::Face;
use super::{State, ms};
use crate::domain::{Cause, Observation, Seen};

/// A check this far behind the last one is the clock stepping back, not a
/// late answer: start a new period rather than ignore time for hours.
const CLOCK_STEP_MS: i64 = 10 * 60 * 1000;
/// Longest text kept per period (a hostile server's megabyte stays out).
const MAX_DETAIL: usize = 200;

#[derive(Debug, Clone)]
pub struct WriterOptions {
    pub path: PathBuf,
    pub grace: Duration,
    pub retention: Duration,
}

pub(super) enum Job {
    Record(Observation),
    Flush(mpsc::Sender<()>),
    /// A clean stop at this time: flush, then end observation there.
    Close(SystemTime, mpsc::Sender<()>),
}

/// Where the writer says what went wrong (a flash in the dashboard, a log
/// line elsewhere).
pub type Notify = Box<dyn Fn(String) + Send>;

/// The handle every face holds: cheap to clone, never blocks.
#[derive(Clone)]
pub struct History {
    tx: mpsc::Sender<Job>,
    path: PathBuf,
    /// Whether the file is open (Err: history is off), and whether any
    /// check was lost (the file replaced, truncated, or full too long).
    shared: Arc<Shared>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").field("path", &self.path).finish()
    }
}

impl History {
    /// Start the writer thread; it opens the file itself (the caller does
    /// not wait for the integrity check).
    pub fn spawn(options: WriterOptions, notify: Notify) -> History {
        History::spawn_for(options, Face::default(), notify)
    }

    /// [`History::spawn`], its notices worded for `face`.
    pub fn spawn_for(options: WriterOptions, face: Face, notify: Notify) -> History {
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            ready: Mutex::new(None),
            lost: AtomicBool::new(false),
        });
        let history = History {
            tx,
            path: options.path.clone(),
            shared: shared.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("history-writer".into())
            .spawn(move || keeper::run(options, face, rx, shared, notify));
        if let Err(e) = spawned {
            tracing::error!("history writer could not start: {e}");
        }
        history
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub fn record(&self, observation: Observation) {
        let _ = self.tx.send(Job::Record(observation));
    }

    /// Wait until everything recorded so far is on disk (or dropped), at
    /// most `timeout`. For quitting and for headless commands.
    pub fn flush(&self, timeout: Duration) -> bool {
        let (tx, rx) = mpsc::channel();
        if self.tx.send(Job::Flush(tx)).is_err() {
            return false;
        }
        rx.recv_timeout(timeout).is_ok()
    }

    /// A clean stop: [`History::flush`], and what this process watched
    /// stops counting as observed now (not a grace later).
    pub fn close(&self, timeout: Duration) -> bool {
        let (tx, rx) = mpsc::channel();
        if self.tx.send(Job::Close(SystemTime::now(), tx)).is_err() {
            return false;
        }
        rx.recv_timeout(timeout).is_ok()
    }

    /// Some checks of this run did not reach the file (or left it).
    pub fn lost(&self) -> bool {
        self.shared.lost.load(Ordering::Relaxed)
    }

    /// None while opening; Some(Err) when history is off.
    pub fn ready(&self) -> Option<Result<(), String>> {
        self.shared.ready.lock().ok().and_then(|r| r.clone())
    }

    /// Block until the file is open (or failed), at most `timeout`.
    pub fn wait_ready(&self, timeout: Duration) -> Option<Result<(), String>> {
        let until = Instant::now() + timeout;
        loop {
            if let Some(r) = self.ready() {
                return Some(r);
            }
            if Instant::now() >= until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// The open period of an instance, as far as deciding goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub start: i64,
    pub last_seen: i64,
    pub grace: i64,
    pub state: State,
    pub detail: Option<String>,
}

/// What one observation does to its instance's open period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// No open period: start one.
    Open,
    /// Same state, seen again: move `last_seen`.
    Extend,
    /// Close the open period at this time, then open a new one.
    CloseAndOpen { close_at: i64 },
    /// Older than what is stored (another writer was first): nothing to do.
    Stale,
}

/// Pure: the rule of the file (see the module comment).
pub fn decide(head: Option<&Head>, state: State, detail: Option<&str>, at: i64) -> Step {
    let Some(head) = head else {
        return Step::Open;
    };
    if at < head.last_seen {
        return if head.last_seen - at > CLOCK_STEP_MS {
            Step::CloseAndOpen {
                close_at: head.last_seen,
            }
        } else {
            Step::Stale
        };
    }
    let observed_until = head.last_seen.saturating_add(head.grace);
    if at > observed_until {
        return Step::CloseAndOpen {
            close_at: observed_until,
        };
    }
    // Active/inactive texts are not identity (a server may vary them);
    // an unknown status or an error kind is.
    let same = head.state == state
        && match state {
            State::Unknown | State::Error => head.detail.as_deref() == detail,
            _ => true,
        };
    if same {
        Step::Extend
    } else {
        Step::CloseAndOpen { close_at: at }
    }
}

fn clip_detail(detail: Option<&str>) -> Option<String> {
    detail.map(|d| {
        let clean: String = d.chars().filter(|c| !c.is_control()).collect();
        if clean.chars().count() > MAX_DETAIL {
            clean.chars().take(MAX_DETAIL).collect::<String>() + "…"
        } else {
            clean
        }
    })
}

/// One transaction for the whole batch.
pub fn write_batch(
    conn: &mut Connection,
    batch: &[Observation],
    grace: i64,
) -> rusqlite::Result<()> {
    let mut order: Vec<&Observation> = batch.iter().collect();
    order.sort_by_key(|o| ms(o.at));
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut head_q = tx.prepare_cached(
            "SELECT start_ms, last_seen_ms, grace_ms, state, detail FROM periods \
             WHERE instance_id = ?1 AND end_ms IS NULL",
        )?;
        let mut extend = tx.prepare_cached(
            "UPDATE periods SET last_seen_ms = ?3, grace_ms = max(grace_ms, ?4) \
             WHERE instance_id = ?1 AND start_ms = ?2",
        )?;
        let mut close = tx.prepare_cached(
            "UPDATE periods SET end_ms = ?3 WHERE instance_id = ?1 AND start_ms = ?2",
        )?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO periods (instance_id, start_ms, end_ms, last_seen_ms, grace_ms, state, detail, cause, qr_to_link_ms) \
             VALUES (?1, ?2, NULL, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut heads: HashMap<&str, Option<Head>> = HashMap::new();
        let mut rollup: HashMap<(&str, i64), (i64, i64, i64, i64)> = HashMap::new();
        for obs in order {
            let at = ms(obs.at);
            let state = State::from(obs.kind);
            let detail = clip_detail(obs.detail.as_deref());
            if obs.cause == Cause::Poll
                && let Some(latency) = obs.latency
            {
                let l = i64::try_from(latency.as_millis()).unwrap_or(i64::MAX);
                let e = rollup
                    .entry((&obs.id, at.div_euclid(3_600_000) * 3600))
                    .or_default();
                e.0 += 1;
                e.1 += i64::from(obs.kind == Seen::Error);
                e.2 = e.2.saturating_add(l);
                e.3 = e.3.max(l);
            }
            let head = match heads.get(obs.id.as_str()) {
                Some(h) => h.clone(),
                None => head_q
                    .query_row(params![obs.id], |r| {
                        let state: String = r.get(3)?;
                        Ok(Head {
                            start: r.get(0)?,
                            last_seen: r.get(1)?,
                            grace: r.get(2)?,
                            state: State::parse(&state).unwrap_or(State::Error),
                            detail: r.get(4)?,
                        })
                    })
                    .optional()?,
            };
            let step = decide(head.as_ref(), state, detail.as_deref(), at);
            let new_head = match (step, head) {
                (Step::Stale, head) => head,
                (Step::Extend, Some(mut h)) => {
                    extend.execute(params![obs.id, h.start, at, grace])?;
                    h.last_seen = at;
                    h.grace = h.grace.max(grace);
                    Some(h)
                }
                (step, head) => {
                    let mut start = at;
                    if let (Step::CloseAndOpen { close_at }, Some(h)) = (step, &head) {
                        close.execute(params![obs.id, h.start, close_at])?;
                        // Two states in the same millisecond: keep both, in order.
                        if start == h.start {
                            start += 1;
                        }
                    }
                    let (cause, qr) = match obs.cause {
                        Cause::QrLinked { qr_to_link } => (
                            obs.cause.as_str(),
                            Some(i64::try_from(qr_to_link.as_millis()).unwrap_or(i64::MAX)),
                        ),
                        other => (other.as_str(), None),
                    };
                    // A clock stepped back may land on an old row's start.
                    let mut tries = 0;
                    loop {
                        match insert.execute(params![
                            obs.id,
                            start,
                            grace,
                            state.as_str(),
                            detail,
                            cause,
                            qr
                        ]) {
                            Ok(_) => break,
                            Err(e)
                                if tries < 1000
                                    && e.sqlite_error_code()
                                        == Some(ErrorCode::ConstraintViolation) =>
                            {
                                start += 1;
                                tries += 1;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    Some(Head {
                        start,
                        last_seen: start,
                        grace,
                        state,
                        detail,
                    })
                }
            };
            heads.insert(&obs.id, new_head);
        }
        let mut upsert = tx.prepare_cached(
            "INSERT INTO latency_hourly (instance_id, hour, checks, errors, total_ms, max_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (instance_id, hour) DO UPDATE SET checks = checks + excluded.checks, \
             errors = errors + excluded.errors, total_ms = total_ms + excluded.total_ms, \
             max_ms = max(max_ms, excluded.max_ms)",
        )?;
        for ((id, hour), (checks, errors, total, max)) in rollup {
            upsert.execute(params![id, hour, checks, errors, total, max])?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests;
