//! Runs the effects `update` asks for, off the UI: HTTP with bounded
//! concurrency, picture preparation and file writes. Never touches the UI
//! state; every outcome comes back as a `Msg` over the channel.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{Semaphore, mpsc};

use crate::api::{Account, ApiError, Client};
use crate::app::effect::{Call, Effect, NewInstance, Purpose};
use crate::app::msg::{ApiDone, CallError, ConfigEdit, Msg, PicturePreview, Reply};
use crate::memory::Memory;
use crate::profile_image::{self, PrepareOptions};

/// Actions (forms, bulk, QR pane) get their own lane so that a full polling
/// queue never delays what the user is waiting for.
const ACTION_CONCURRENCY: usize = 8;

pub type MsgSender = mpsc::UnboundedSender<Msg>;

#[derive(Clone)]
pub struct Worker {
    client: Client,
    accounts: Arc<Vec<Account>>,
    polls: Arc<Semaphore>,
    actions: Arc<Semaphore>,
    tx: MsgSender,
    files: mpsc::UnboundedSender<FileJob>,
}

/// File writes go through one task, in order, so two saves of the same file
/// can never land out of order.
enum FileJob {
    Memory(Memory),
    Add(NewInstance),
    Remove(String),
}

/// Where the worker writes files.
#[derive(Debug, Clone, Default)]
pub struct WorkerPaths {
    pub config: Option<PathBuf>,
    pub memory: Option<PathBuf>,
}

impl Worker {
    /// Must be called inside a tokio runtime.
    pub fn spawn(
        client: Client,
        accounts: Vec<Account>,
        concurrency: usize,
        tx: MsgSender,
        paths: WorkerPaths,
    ) -> Worker {
        let (files, jobs) = mpsc::unbounded_channel();
        tokio::spawn(file_task(jobs, paths, tx.clone()));
        Worker {
            client,
            accounts: Arc::new(accounts),
            polls: Arc::new(Semaphore::new(concurrency.max(1))),
            actions: Arc::new(Semaphore::new(ACTION_CONCURRENCY)),
            tx,
            files,
        }
    }

    pub fn run(&self, effect: Effect) {
        match effect {
            Effect::Api {
                instance,
                account,
                call,
                purpose,
            } => {
                let worker = self.clone();
                tokio::spawn(async move {
                    worker.api(instance, account, call, purpose).await;
                });
            }
            Effect::SaveMemory(memory) => {
                let _ = self.files.send(FileJob::Memory(memory));
            }
            Effect::AddInstance(new) => {
                let _ = self.files.send(FileJob::Add(new));
            }
            Effect::RemoveInstance(id) => {
                let _ = self.files.send(FileJob::Remove(id));
            }
            Effect::SaveQrPng { payload, path } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = save_qr_png(&payload, &path).map(|()| path);
                    let _ = tx.send(Msg::QrSaved(result));
                });
            }
            Effect::PreviewPicture { input, seq } => {
                let tx = self.tx.clone();
                let shape = self
                    .accounts
                    .first()
                    .map(|a| a.image_upload)
                    .unwrap_or_default();
                tokio::task::spawn_blocking(move || {
                    let result = preview(&input, shape);
                    let _ = tx.send(Msg::PicturePreview { seq, result });
                });
            }
        }
    }

    async fn api(&self, instance: String, account: usize, call: Call, purpose: Purpose) {
        let lane = match purpose {
            Purpose::Poll | Purpose::Refresh => &self.polls,
            Purpose::Action | Purpose::Bulk | Purpose::QrPane => &self.actions,
        };
        let Ok(_permit) = lane.acquire().await else {
            return;
        };
        // Latency counts from when the request may go, not from the queue.
        let started = Instant::now();
        let result = match self.accounts.get(account) {
            Some(acct) => self.call(acct, &instance, &call).await,
            None => Err(CallError::Local(format!(
                "no account #{account} for {instance}"
            ))),
        };
        let at = Instant::now();
        // The log file gets failures and changes; polls that succeed would
        // only drown them. Nothing here formats the key.
        match &result {
            Err(e) => tracing::warn!(
                instance = %instance,
                endpoint = call.endpoint().name(),
                ?purpose,
                "failed: {e}"
            ),
            Ok(reply) if call != Call::Status => tracing::info!(
                instance = %instance,
                endpoint = call.endpoint().name(),
                "{}",
                reply.text()
            ),
            Ok(_) => {}
        }
        let _ = self.tx.send(Msg::Api(ApiDone {
            instance,
            call,
            purpose,
            at,
            latency: at - started,
            result,
        }));
    }

    async fn call(&self, account: &Account, id: &str, call: &Call) -> Result<Reply, CallError> {
        let api = |e: ApiError| CallError::Api(e);
        let client = &self.client;
        match call {
            Call::Status => client
                .status(account, id)
                .await
                .map(Reply::Status)
                .map_err(api),
            Call::Qr => {
                let reply = client.qr(account, id).await.map_err(api)?;
                let raw = reply.qr.clone();
                // rqrr on a PNG is milliseconds of CPU: keep it off the runtime threads.
                let payload = tokio::task::spawn_blocking(move || {
                    crate::qr::decode_payload(&raw).map_err(|e| e.to_string())
                })
                .await
                .unwrap_or_else(|e| Err(format!("decoder crashed: {e}")));
                Ok(Reply::Qr { reply, payload })
            }
            Call::Disconnect => client
                .disconnect(account, id)
                .await
                .map(Reply::Disconnect)
                .map_err(api),
            Call::Name(name) => client
                .set_name(account, id, name)
                .await
                .map(Reply::Done)
                .map_err(api),
            Call::Description(text) => client
                .set_description(account, id, text)
                .await
                .map(Reply::Done)
                .map_err(api),
            Call::AutoRead(on) => client
                .set_auto_read(account, id, *on)
                .await
                .map(Reply::Done)
                .map_err(api),
            Call::Webhook(url) => client
                .set_webhook(account, id, url)
                .await
                .map(Reply::Done)
                .map_err(api),
            Call::Picture(input) => {
                let input = input.clone();
                let options = PrepareOptions {
                    shape: account.image_upload,
                    ..PrepareOptions::default()
                };
                let prepared = tokio::task::spawn_blocking(move || {
                    profile_image::prepare(&profile_image::classify(&input), &options)
                        .map_err(|e| e.to_string())
                })
                .await
                .unwrap_or_else(|e| Err(format!("picture preparation crashed: {e}")))
                .map_err(CallError::Local)?;
                client
                    .set_image(account, id, &prepared.body)
                    .await
                    .map(Reply::Done)
                    .map_err(api)
            }
        }
    }
}

fn preview(input: &str, shape: crate::api::UploadShape) -> Result<PicturePreview, String> {
    let source = profile_image::classify(input);
    let options = PrepareOptions {
        shape,
        preview: true,
        ..PrepareOptions::default()
    };
    let prepared = profile_image::prepare(&source, &options).map_err(|e| e.to_string())?;
    let summary = match prepared.original {
        Some((w, h, format)) => format!(
            "{format} {w}×{h} → {}×{}, {} KB",
            prepared.width,
            prepared.height,
            prepared.bytes.div_ceil(1024)
        ),
        None => source.describe(),
    };
    Ok(PicturePreview {
        width: prepared.width,
        height: prepared.height,
        bytes: prepared.bytes,
        summary,
        preview: prepared.preview,
    })
}

fn save_qr_png(payload: &str, path: &std::path::Path) -> Result<(), String> {
    let modules = crate::qr::encode(payload).map_err(|e| e.to_string())?;
    let png = crate::qr::to_png(&modules, crate::qr::PNG_SCALE).map_err(|e| e.to_string())?;
    std::fs::write(path, png).map_err(|e| format!("{}: {e}", path.display()))
}

async fn file_task(mut jobs: mpsc::UnboundedReceiver<FileJob>, paths: WorkerPaths, tx: MsgSender) {
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
        FileJob::Memory(memory) => match &paths.memory {
            Some(path) => Msg::MemorySaved(
                memory
                    .save(path)
                    .map_err(|e| format!("could not save {}: {e}", path.display())),
            ),
            None => Msg::MemorySaved(Ok(())),
        },
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
            Msg::ConfigEdited {
                what: ConfigEdit::Added(new.id),
                result,
            }
        }
        FileJob::Remove(id) => {
            let result = match &paths.config {
                Some(path) => crate::config::remove_instance(path, &id)
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                None => Ok(()),
            };
            Msg::ConfigEdited {
                what: ConfigEdit::Removed(id),
                result,
            }
        }
    })
    .await;
    if let Ok(msg) = msg {
        let _ = tx.send(msg);
    }
}
