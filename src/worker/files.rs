//! The worker's file writes: one task, in order, the newest memory
//! snapshot only, each write answered as a `CoreMsg`.

use tokio::sync::{mpsc, oneshot};

use super::{MsgSender, WorkerPaths};
use crate::engine::effect::NewInstance;
use crate::engine::msg::{ConfigEdit, CoreMsg};
use crate::memory::Memory;

/// File writes go through one task, in order, so two saves of the same file
/// can never land out of order.
pub(super) enum FileJob {
    Memory(Memory),
    Add(NewInstance),
    Remove(String),
    /// Answered once every job queued before it is done (clean shutdown).
    Flush(oneshot::Sender<()>),
}

pub(super) async fn file_task(
    mut jobs: mpsc::UnboundedReceiver<FileJob>,
    paths: WorkerPaths,
    tx: MsgSender,
) {
    while let Some(mut job) = jobs.recv().await {
        // Only the newest memory snapshot matters: skip the ones behind it.
        while let FileJob::Memory(_) = job {
            match jobs.try_recv() {
                Ok(next @ FileJob::Memory(_)) => job = next,
                Ok(other) => {
                    run_file_job(job, &paths, &tx).await;
                    job = other;
                    break;
                }
                Err(_) => break,
            }
        }
        run_file_job(job, &paths, &tx).await;
    }
}

async fn run_file_job(job: FileJob, paths: &WorkerPaths, tx: &MsgSender) {
    let paths = paths.clone();
    let msg = tokio::task::spawn_blocking(move || match job {
        // Jobs run one at a time, in order: reaching this one means every
        // write queued before it has landed.
        FileJob::Flush(done) => {
            let _ = done.send(());
            None
        }
        FileJob::Memory(memory) => Some(match &paths.memory {
            Some(path) => CoreMsg::MemorySaved(
                memory
                    .save(path)
                    .map_err(|e| format!("could not save {}: {e}", path.display())),
            ),
            None => CoreMsg::MemorySaved(Ok(())),
        }),
        FileJob::Add(new) => {
            let result = match &paths.config {
                Some(path) => crate::config::add_instance(
                    path,
                    &crate::config::InstanceConfig {
                        id: new.id.clone(),
                        label: Some(new.label.clone()).filter(|l| *l != new.id),
                        account: new.account.clone(),
                        tags: new.tags.clone(),
                    },
                )
                .map_err(|e| e.to_string()),
                None => Ok(()),
            };
            Some(CoreMsg::ConfigEdited {
                what: ConfigEdit::Added(new.id),
                result,
            })
        }
        FileJob::Remove(id) => {
            let result = match &paths.config {
                Some(path) => crate::config::remove_instance(path, &id)
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                None => Ok(()),
            };
            Some(CoreMsg::ConfigEdited {
                what: ConfigEdit::Removed(id),
                result,
            })
        }
    })
    .await;
    if let Ok(Some(msg)) = msg {
        let _ = tx.send(msg);
    }
}
