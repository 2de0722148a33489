//! The writer thread's loop: batches from the channel into the file, and
//! what happens when the file misbehaves while we run. Every fault is said
//! once and retried with backoff; history comes back on its own (space
//! freed, a new file in place of one replaced or truncated). Checks are
//! kept in memory meanwhile, up to a bound; anything lost is remembered
//! so a stop line never claims "flushed".

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, params};

use super::guard::{self, Fault};
use super::notice::{Face, Notice};
use super::writer::{Job, Notify, WriterOptions, write_batch};
use super::{ms, prune, store};
use crate::domain::Observation;

const BATCH_WINDOW: Duration = Duration::from_millis(500);
const MAX_BATCH: usize = 20_000;
/// Kept in memory while the file cannot be written, at most; older ones
/// are dropped (and counted as lost).
const MAX_PENDING: usize = 500_000;
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
const FIRST_PAUSE: Duration = Duration::from_secs(1);
const LONGEST_PAUSE: Duration = Duration::from_secs(30);
/// "Resumed" is said once writes have gone through this long: a nearly
/// full disk lets a batch through now and then (closing our connection
/// frees its WAL), and a notice each time would be noise.
const STEADY: Duration = Duration::from_secs(10);

pub(super) struct Shared {
    pub ready: Mutex<Option<Result<(), String>>>,
    pub lost: AtomicBool,
}

struct Live {
    conn: Connection,
    seen: guard::Seen,
}

/// History is off for now and tried again at `next`.
struct Down {
    next: Instant,
}

struct Keeper {
    options: WriterOptions,
    face: Face,
    notify: Notify,
    shared: Arc<Shared>,
    live: Option<Live>,
    down: Option<Down>,
    /// Instances this process wrote: a clean stop ends their observation.
    ours: HashSet<String>,
    locked_since: Option<Instant>,
    /// A fault was said and writes have not been steady since.
    said_down: bool,
    /// The first write that went through after the last fault.
    writing_since: Option<Instant>,
    /// The next wait between tries (doubles while faults repeat).
    pause: Duration,
}

pub(super) fn run(
    options: WriterOptions,
    face: Face,
    rx: mpsc::Receiver<Job>,
    shared: Arc<Shared>,
    notify: Notify,
) {
    let mut k = Keeper {
        options,
        face,
        notify,
        shared,
        live: None,
        down: None,
        ours: HashSet::new(),
        locked_since: None,
        said_down: false,
        writing_since: None,
        pause: FIRST_PAUSE,
    };
    let usable = match store::open_writer(&k.options.path) {
        Ok(opened) => {
            if let Some((to, reason)) = opened.moved_aside.clone() {
                k.say(Notice::Damaged { to, reason });
            }
            k.live = Live::of(opened.conn, &k.options.path);
            k.set_ready(Ok(()));
            true
        }
        Err(e) => {
            // A refusal (foreign file, link, newer schema) is for the user
            // to settle: history stays off for this run.
            k.say(Notice::Off(e.0.clone()));
            k.set_ready(Err(e.0));
            false
        }
    };
    let grace = i64::try_from(k.options.grace.as_millis()).unwrap_or(i64::MAX);
    let mut pending: Vec<Observation> = Vec::new();
    let mut waiting: Vec<mpsc::Sender<()>> = Vec::new();
    let mut closing: Vec<SystemTime> = Vec::new();
    let mut next_prune = Instant::now() + Duration::from_secs(60);
    let mut open = true;
    while open {
        let mut timeout = if pending.is_empty() {
            Duration::from_secs(60)
        } else {
            BATCH_WINDOW
        };
        if let Some(down) = &k.down {
            timeout = timeout.min(down.next.saturating_duration_since(Instant::now()));
        }
        match rx.recv_timeout(timeout) {
            Ok(job) => take(job, &mut pending, &mut waiting, &mut closing),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
        let deadline = Instant::now() + BATCH_WINDOW;
        while open && waiting.is_empty() && pending.len() < MAX_BATCH {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match rx.recv_timeout(left) {
                Ok(job) => take(job, &mut pending, &mut waiting, &mut closing),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
        }
        if !usable {
            pending.clear();
            closing.clear();
            answer(&mut waiting);
            continue;
        }
        k.check_file();
        k.retry_if_due();
        if !pending.is_empty() {
            k.write(&mut pending, grace, open);
        }
        if let Some(live) = k.live.as_mut() {
            for at in closing.drain(..) {
                if let Err(e) = end_observation(&live.conn, &k.ours, ms(at)) {
                    tracing::warn!("history: could not end observation at stop: {e}");
                }
            }
            live.seen = guard::seen(&k.options.path).unwrap_or(live.seen);
        }
        closing.clear();
        if k.live.is_none() || !open {
            k.bound(&mut pending, open);
        }
        answer(&mut waiting);
        if let Some(live) = k.live.as_mut()
            && Instant::now() >= next_prune
        {
            next_prune = Instant::now() + PRUNE_EVERY;
            let cutoff = ms(SystemTime::now())
                - i64::try_from(k.options.retention.as_millis()).unwrap_or(i64::MAX / 2);
            match prune::prune(&mut live.conn, cutoff) {
                Ok(n) if n > 0 => tracing::info!(rows = n, "history pruned"),
                Ok(_) => {}
                Err(e) => tracing::warn!("history prune failed: {e}"),
            }
        }
    }
}

impl Live {
    fn of(conn: Connection, path: &Path) -> Option<Live> {
        let seen = guard::seen(path)?;
        Some(Live { conn, seen })
    }
}

impl Keeper {
    fn say(&self, notice: Notice) {
        (self.notify)(self.face.text(&notice));
    }

    fn set_ready(&self, r: Result<(), String>) {
        if let Ok(mut slot) = self.shared.ready.lock() {
            *slot = Some(r);
        }
    }

    /// Off until the next try; `now`: try again at once (a new file).
    fn go_down(&mut self, now: bool) {
        self.live = None;
        self.said_down = true;
        self.writing_since = None;
        let wait = if now { Duration::ZERO } else { self.pause };
        self.down = Some(Down {
            next: Instant::now() + wait,
        });
        if !now {
            self.pause = (self.pause * 2).min(LONGEST_PAUSE);
        }
    }

    /// Before writing: is the file still ours? If not, what it held of this
    /// run is gone; say so, and start over in a proper file.
    fn check_file(&mut self) {
        let Some(live) = &self.live else { return };
        let path = self.options.path.clone();
        let Err(fault) = guard::check(&path, live.seen) else {
            return;
        };
        self.shared.lost.store(true, Ordering::Relaxed);
        let Some(live) = self.live.take() else { return };
        match fault {
            Fault::Replaced => {
                // Closing checkpoints into the old (unlinked) file and
                // removes our WAL, which must not meet the new file.
                drop(live.conn);
                self.say(Notice::Replaced(path));
            }
            Fault::Truncated => {
                // Our WAL must not be replayed onto what is left: keep
                // both aside, as a damaged file is kept.
                let _ = live
                    .conn
                    .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
                drop(live.conn);
                match store::move_aside(&path) {
                    Ok(kept) => self.say(Notice::Truncated { path, kept }),
                    Err(_) => self.say(Notice::Replaced(path)),
                }
            }
        }
        self.go_down(true);
    }

    fn retry_if_due(&mut self) {
        if self.down.as_ref().is_none_or(|d| Instant::now() < d.next) {
            return;
        }
        match store::open_writer(&self.options.path) {
            Ok(opened) => {
                if let Some((to, reason)) = opened.moved_aside.clone() {
                    self.say(Notice::Damaged { to, reason });
                }
                self.live = Live::of(opened.conn, &self.options.path);
                if self.live.is_some() {
                    self.down = None;
                }
            }
            Err(e) => {
                tracing::debug!("history: still off: {e}");
                self.down = Some(Down {
                    next: Instant::now() + self.pause,
                });
                self.pause = (self.pause * 2).min(LONGEST_PAUSE);
            }
        }
    }

    fn write(&mut self, pending: &mut Vec<Observation>, grace: i64, open: bool) {
        let Some(mut live) = self.live.take() else {
            return;
        };
        match write_batch(&mut live.conn, pending, grace) {
            Ok(()) => {
                self.ours.extend(pending.iter().map(|o| o.id.clone()));
                pending.clear();
                live.seen = guard::seen(&self.options.path).unwrap_or(live.seen);
                self.live = Some(live);
                if self.locked_since.take().is_some() {
                    self.say(Notice::Unlocked);
                }
                if self.said_down {
                    let since = *self.writing_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= STEADY {
                        self.said_down = false;
                        self.pause = FIRST_PAUSE;
                        let lost = self.shared.lost.load(Ordering::Relaxed);
                        self.say(Notice::Resumed { lost });
                    }
                }
            }
            Err(e) if is_busy(&e) => {
                // Another process holds the write lock past the busy
                // timeout: keep the batch, say so once, try again.
                if self.locked_since.is_none() {
                    self.locked_since = Some(Instant::now());
                    self.say(Notice::Locked(self.options.path.clone()));
                }
                if pending.len() > MAX_PENDING {
                    let lost = pending.len() - MAX_PENDING;
                    pending.drain(..lost);
                    self.shared.lost.store(true, Ordering::Relaxed);
                    self.say(Notice::LockedDropped(lost));
                }
                if !open {
                    // Quitting: one more try is all we can afford.
                    std::thread::sleep(Duration::from_millis(200));
                    if write_batch(&mut live.conn, pending, grace).is_ok() {
                        pending.clear();
                    }
                }
                self.live = Some(live);
            }
            Err(e) => {
                drop(live);
                tracing::error!("history write failed: {e}");
                if !self.said_down {
                    let why = self.face.describe(&e);
                    self.say(Notice::Paused {
                        why,
                        path: self.options.path.clone(),
                    });
                }
                self.go_down(false);
            }
        }
    }

    /// While the file cannot take them, checks wait in memory, up to a
    /// bound; at the end of the run, whatever still waits is lost.
    fn bound(&mut self, pending: &mut Vec<Observation>, open: bool) {
        if !open && !pending.is_empty() {
            pending.clear();
            self.shared.lost.store(true, Ordering::Relaxed);
        } else if pending.len() > MAX_PENDING {
            pending.drain(..pending.len() - MAX_PENDING);
            self.shared.lost.store(true, Ordering::Relaxed);
        }
    }
}

fn take(
    job: Job,
    pending: &mut Vec<Observation>,
    waiting: &mut Vec<mpsc::Sender<()>>,
    closing: &mut Vec<SystemTime>,
) {
    match job {
        Job::Record(o) => pending.push(o),
        Job::Flush(w) => waiting.push(w),
        Job::Close(at, w) => {
            closing.push(at);
            waiting.push(w);
        }
    }
}

fn answer(waiting: &mut Vec<mpsc::Sender<()>>) {
    for w in waiting.drain(..) {
        let _ = w.send(());
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// A clean stop: the open periods this process kept stop counting as
/// observed at `at` instead of `last_seen + grace` (a restart soon after
/// must show the time nobody watched). Another process still polling
/// extends them again with its own grace.
pub fn end_observation(conn: &Connection, ours: &HashSet<String>, at: i64) -> rusqlite::Result<()> {
    let mut shrink = conn.prepare_cached(
        "UPDATE periods SET grace_ms = max(0, ?2 - last_seen_ms) \
         WHERE instance_id = ?1 AND end_ms IS NULL AND last_seen_ms + grace_ms > ?2",
    )?;
    let tx = conn.unchecked_transaction()?;
    for id in ours {
        shrink.execute(params![id, at])?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests;
