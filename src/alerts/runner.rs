//! The worker's alert jobs: delivery (see `deliver`) and the store's alert
//! tables, written and read on one thread of their own, in order, so that a
//! slow disk or a locked database never holds up the runtime or polling.

use std::path::PathBuf;
use std::sync::mpsc as std_mpsc;
use std::time::SystemTime;

use super::deliver::{Channels, Delivery};
use crate::domain::alert_state::StateRow;
use crate::engine::alerts::event::AlertEvent;
use crate::engine::msg::CoreMsg;
use crate::history::alert_tables as persist;
use crate::worker::MsgSender;

enum StoreJob {
    Save(Vec<StateRow>),
    LoadSilences,
    Ack { instance: String, by: String },
    Planned(Vec<crate::domain::holds::PlannedMark>),
}

#[derive(Clone)]
pub struct AlertRunner {
    delivery: Option<Delivery>,
    store: Option<std_mpsc::Sender<StoreJob>>,
}

impl AlertRunner {
    /// Nowhere to deliver, no store: events are only shown.
    pub fn none() -> AlertRunner {
        AlertRunner {
            delivery: None,
            store: None,
        }
    }

    /// Must be called inside a tokio runtime (deliveries are tasks).
    pub fn new(channels: Channels, store: Option<PathBuf>, tx: MsgSender) -> AlertRunner {
        let delivery = Delivery::with_store(channels, store.clone(), tx.clone());
        let store = store.map(|path| {
            let (jobs, rx) = std_mpsc::channel();
            let tx = tx.clone();
            std::thread::Builder::new()
                .name("wadash-alert-store".into())
                .spawn(move || store_thread(path, rx, tx))
                .expect("a thread can be started");
            jobs
        });
        AlertRunner {
            delivery: Some(delivery),
            store,
        }
    }

    pub fn deliver(&self, event: AlertEvent) {
        if let Some(d) = &self.delivery {
            d.deliver(event);
        }
    }

    /// [`AlertRunner::deliver`] with the relink links opened for it.
    pub fn deliver_linked(&self, event: AlertEvent, links: &super::links::ShareLinks) {
        if let Some(d) = &self.delivery {
            d.deliver_linked(event, links);
        }
    }

    /// See [`Delivery::keep_only`].
    pub fn keep_only(&self, watched: std::collections::HashSet<String>) {
        if let Some(d) = &self.delivery {
            d.keep_only(watched);
        }
    }

    pub fn save_state(&self, rows: Vec<StateRow>) {
        if let Some(store) = &self.store {
            let _ = store.send(StoreJob::Save(rows));
        }
    }

    pub fn acknowledge(&self, instance: String, by: String) {
        if let Some(store) = &self.store {
            let _ = store.send(StoreJob::Ack { instance, by });
        }
    }

    pub fn save_planned(&self, marks: Vec<crate::domain::holds::PlannedMark>) {
        if let Some(store) = &self.store {
            let _ = store.send(StoreJob::Planned(marks));
        }
    }

    pub fn load_silences(&self) {
        if let Some(store) = &self.store {
            let _ = store.send(StoreJob::LoadSilences);
        }
    }
}

fn store_thread(path: PathBuf, jobs: std_mpsc::Receiver<StoreJob>, tx: MsgSender) {
    let mut conn = None;
    // Said once per kind of trouble, not on every job.
    let mut last_error = String::new();
    while let Ok(mut job) = jobs.recv() {
        // Only the newest silence read matters when several queue up.
        if matches!(job, StoreJob::LoadSilences) {
            while let Ok(next) = jobs.try_recv() {
                match next {
                    StoreJob::LoadSilences => {}
                    save => {
                        run(&path, &mut conn, save, &tx, &mut last_error);
                    }
                }
            }
            job = StoreJob::LoadSilences;
        }
        run(&path, &mut conn, job, &tx, &mut last_error);
    }
}

fn run(
    path: &std::path::Path,
    conn: &mut Option<rusqlite::Connection>,
    job: StoreJob,
    tx: &MsgSender,
    last_error: &mut String,
) {
    if conn.is_none() {
        match persist::open(path) {
            Ok(c) => *conn = Some(c),
            Err(e) => {
                fail(tx, last_error, e);
                return;
            }
        }
    }
    let c = conn.as_mut().expect("opened above");
    let outcome = match job {
        StoreJob::Save(rows) => persist::save_state(c, &rows)
            .and_then(|()| crate::history::acks::close_acks(c, &rows))
            .map_err(|e| e.to_string()),
        StoreJob::LoadSilences => match persist::load_silences(c, SystemTime::now()) {
            Ok((silences, broken)) => {
                for b in broken {
                    tracing::warn!("{b}");
                }
                let _ = tx.send(CoreMsg::Silences(Ok(silences)));
                match crate::history::acks::open_acks(c) {
                    Ok(acks) => {
                        let _ = tx.send(CoreMsg::Acks(acks));
                        Ok(())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        },
        StoreJob::Planned(marks) => {
            crate::history::acks::save_planned(c, &marks).map_err(|e| e.to_string())
        }
        StoreJob::Ack { instance, by } => {
            crate::history::acks::add_ack(c, &instance, SystemTime::now(), &by, "")
                .and_then(|_| crate::history::acks::open_acks(c))
                .map(|acks| {
                    let _ = tx.send(CoreMsg::Acks(acks));
                })
                .map_err(|e| e.to_string())
        }
    };
    match outcome {
        Ok(()) => last_error.clear(),
        Err(e) => {
            // Reopen next time: the file may have been replaced.
            *conn = None;
            fail(tx, last_error, format!("{}: {e}", path.display()));
        }
    }
}

fn fail(tx: &MsgSender, last_error: &mut String, e: String) {
    if *last_error != e {
        tracing::warn!("alert store: {e}");
        let _ = tx.send(CoreMsg::Silences(Err(e.clone())));
        *last_error = e;
    }
}
