//! The loop every long-running face drives: the executors' answers, ticks
//! (each carrying the time of day, read afresh) and the face's own events
//! come in as one batch of the face's message type; the face runs its
//! update and hands the effects back to the one worker. Neither face has
//! a poller of its own: polling is what the monitor asks for.

use std::time::{Duration, Instant, SystemTime};

use tokio::sync::mpsc;

use crate::api::{Account, Client};
use crate::engine::effect::Effect;
use crate::engine::msg::CoreMsg;
use crate::worker::{MsgSender, Worker, WorkerPaths};

/// Ticks drive schedules and countdowns.
pub const TICK: Duration = Duration::from_millis(250);

/// Messages handled between two looks at the outside (a frame, a signal):
/// thousands of answers queued at once never starve either.
const MAX_BATCH: usize = 4096;

pub struct RunLoop<M> {
    pub worker: Worker,
    /// Where the executors answer (and what a face may clone for its
    /// own notices in the engine's terms).
    pub core_tx: MsgSender,
    /// For the face's own event sources (terminal input, signals).
    pub face_tx: mpsc::UnboundedSender<M>,
    core_rx: mpsc::UnboundedReceiver<CoreMsg>,
    face_rx: mpsc::UnboundedReceiver<M>,
    ticker: tokio::time::Interval,
}

impl<M: From<CoreMsg>> RunLoop<M> {
    /// Spawns the worker; must be called inside a tokio runtime. `setup`
    /// makes a face's additions to the worker (history writer, alert
    /// delivery) before the first message, with the sender for their
    /// notices.
    pub fn start(
        accounts: Vec<Account>,
        concurrency: usize,
        paths: WorkerPaths,
        setup: impl FnOnce(Worker, &MsgSender) -> Worker,
    ) -> RunLoop<M> {
        let (core_tx, core_rx) = mpsc::unbounded_channel();
        let (face_tx, face_rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(Client::new(), accounts, concurrency, core_tx.clone(), paths);
        let worker = setup(worker, &core_tx);
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        RunLoop {
            worker,
            core_tx,
            face_tx,
            core_rx,
            face_rx,
            ticker,
        }
    }

    /// Wait for a message or the next tick, then take whatever else is
    /// queued. `wake`: also return (possibly empty) at that instant.
    /// Cancel-safe: nothing is lost when another branch of the caller's
    /// `select!` wins.
    pub async fn next_batch(&mut self, wake: Option<Instant>) -> Vec<M> {
        let first = tokio::select! {
            Some(msg) = self.core_rx.recv() => Some(M::from(msg)),
            Some(msg) = self.face_rx.recv() => Some(msg),
            _ = self.ticker.tick() => Some(M::from(CoreMsg::Tick {
                now: Instant::now(),
                wall: Some(SystemTime::now()),
            })),
            _ = sleep_until(wake), if wake.is_some() => None,
        };
        let mut batch: Vec<M> = first.into_iter().collect();
        while batch.len() < MAX_BATCH {
            match self.core_rx.try_recv() {
                Ok(msg) => batch.push(M::from(msg)),
                Err(_) => break,
            }
        }
        while batch.len() < MAX_BATCH {
            match self.face_rx.try_recv() {
                Ok(msg) => batch.push(msg),
                Err(_) => break,
            }
        }
        batch
    }

    /// Effects to the worker.
    pub fn run(&self, effects: Vec<Effect>) {
        for effect in effects {
            self.worker.run(effect);
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
