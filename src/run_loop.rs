//! The loop every long-running face drives: messages (answers, ticks, the
//! face's own events) in, the one pure `update`, effects out to the one
//! worker. The dashboard adds a terminal around it; `watch` adds logs,
//! metrics and signals. Neither has a poller of its own: polling is what
//! `update` asks for on ticks and answers.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::api::{Account, Client};
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::app::update;
use crate::worker::{MsgSender, Worker, WorkerPaths};

/// Ticks drive schedules and countdowns.
pub const TICK: Duration = Duration::from_millis(250);

/// Messages handled between two looks at the outside (a frame, a signal):
/// thousands of answers queued at once never starve either.
const MAX_BATCH: usize = 4096;

pub struct RunLoop {
    pub app: App,
    pub worker: Worker,
    /// For the face's own event sources (terminal input, signals).
    pub tx: MsgSender,
    rx: mpsc::UnboundedReceiver<Msg>,
    ticker: tokio::time::Interval,
}

impl RunLoop {
    /// Spawns the worker; must be called inside a tokio runtime.
    pub fn start(
        app: App,
        accounts: Vec<Account>,
        concurrency: usize,
        paths: WorkerPaths,
    ) -> RunLoop {
        Self::start_with(app, accounts, concurrency, paths, |worker, _, _| worker)
    }

    /// `start`, with a face's additions to the worker (history writer,
    /// alert delivery) made before the first message: `setup` gets the
    /// worker, the message sender for their notices, and the state.
    pub fn start_with(
        mut app: App,
        accounts: Vec<Account>,
        concurrency: usize,
        paths: WorkerPaths,
        setup: impl FnOnce(Worker, &MsgSender, &mut App) -> Worker,
    ) -> RunLoop {
        let (tx, rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(Client::new(), accounts, concurrency, tx.clone(), paths);
        let worker = setup(worker, &tx, &mut app);
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        RunLoop {
            app,
            worker,
            tx,
            rx,
            ticker,
        }
    }

    /// Wait for a message or the next tick, then take whatever else is
    /// queued. `wake`: also return (possibly empty) at that instant.
    /// None when every sender is gone. Cancel-safe: nothing is lost when
    /// another branch of the caller's `select!` wins.
    pub async fn next_batch(&mut self, wake: Option<Instant>) -> Option<Vec<Msg>> {
        let first = tokio::select! {
            msg = self.rx.recv() => Some(msg?),
            _ = self.ticker.tick() => Some(Msg::Tick(Instant::now())),
            _ = sleep_until(wake), if wake.is_some() => None,
        };
        let mut batch: Vec<Msg> = first.into_iter().collect();
        while batch.len() < MAX_BATCH {
            match self.rx.try_recv() {
                Ok(msg) => batch.push(msg),
                Err(_) => break,
            }
        }
        Some(batch)
    }

    /// One message through `update`; its effects to the worker.
    pub fn apply(&mut self, msg: Msg) {
        for effect in update(&mut self.app, msg) {
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
