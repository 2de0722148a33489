//! Runs the effects `update` asks for, off the UI: HTTP with bounded
//! concurrency, picture preparation and file writes. Never touches the UI
//! state; every outcome comes back as a `CoreMsg` over the channel.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc, oneshot};

use files::{FileJob, file_task};

use crate::api::{Account, ApiError, Client};
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::{ApiDone, CallError, CoreMsg, PicturePreview, Reply};
use crate::pacer::Pacer;
use crate::profile_image::{self, PrepareOptions};

/// Single actions (forms, keys, the QR pane) get their own lane, so that
/// neither hung polls nor a 1,000-instance bulk run delays what the user is
/// waiting for. Polls are not capped here: `update` owns that cap, and `r`
/// is meant to go past it.
const ACTION_CONCURRENCY: usize = 8;

pub type MsgSender = mpsc::UnboundedSender<CoreMsg>;

#[derive(Clone)]
pub struct Worker {
    client: Client,
    /// Swapped whole when `watch` reloads its config; each request keeps
    /// the snapshot it started with, so an index never changes meaning
    /// under a request in flight.
    accounts: Arc<RwLock<Arc<Accounts>>>,
    actions: Arc<Semaphore>,
    /// Bulk runs send everything at once; this lane paces them.
    bulk: Arc<Semaphore>,
    tx: MsgSender,
    files: mpsc::UnboundedSender<FileJob>,
    /// The history writer and its query thread (None: history off).
    history: Option<(crate::history::History, crate::history::reader::Reader)>,
    /// Alert delivery and the alert tables (none until `with_alerts`).
    alerts: crate::alerts::runner::AlertRunner,
    /// The QR pane's share links, served on loopback once the first is asked for.
    shares: crate::share::host::ShareHost,
    /// `watch --public-url`: relink links opened for down alerts.
    alert_links: Option<Arc<crate::share::alert_links::AlertLinks>>,
}

/// The accounts, and the pacer of each one that has a `rate`: one pacer per
/// server, shared by every lane.
struct Accounts {
    list: Vec<Account>,
    pacers: Vec<Option<Arc<Pacer>>>,
}

impl Accounts {
    fn new(list: Vec<Account>) -> Accounts {
        let pacers = list
            .iter()
            .map(|a| a.rate.map(|r| Arc::new(Pacer::new(r))))
            .collect();
        Accounts { list, pacers }
    }
}

/// Where the worker writes files.
#[derive(Debug, Clone, Default)]
pub struct WorkerPaths {
    pub config: Option<PathBuf>,
    pub memory: Option<PathBuf>,
}

impl Worker {
    /// Must be called inside a tokio runtime. `concurrency` paces bulk runs
    /// (the user's cap on requests at once); polls are capped by `update`.
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
            accounts: Arc::new(RwLock::new(Arc::new(Accounts::new(accounts)))),
            actions: Arc::new(Semaphore::new(ACTION_CONCURRENCY)),
            bulk: Arc::new(Semaphore::new(concurrency.max(1))),
            tx,
            files,
            history: None,
            alerts: crate::alerts::runner::AlertRunner::none(),
            shares: crate::share::host::ShareHost::default(),
            alert_links: None,
        }
    }

    fn accounts(&self) -> Arc<Accounts> {
        self.accounts
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// New accounts (a reloaded config); requests in flight finish with the
    /// ones they started with. Pacers of accounts whose rate and server did
    /// not change are kept, so a reload never lets a burst through.
    pub fn set_accounts(&self, accounts: Vec<Account>) {
        let old = self.accounts();
        let mut next = Accounts::new(accounts);
        for (at, account) in next.list.iter().enumerate() {
            let same = old.list.iter().position(|o| {
                o.name == account.name && o.base_url == account.base_url && o.rate == account.rate
            });
            if let Some(same) = same
                && let Some(pacer) = &old.pacers[same]
            {
                next.pacers[at] = Some(pacer.clone());
            }
        }
        *self.accounts.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
    }

    /// Wait (at most `within`) until every file write queued so far is done.
    pub async fn flush(&self, within: Duration) -> bool {
        let (done, wait) = oneshot::channel();
        if self.files.send(FileJob::Flush(done)).is_err() {
            return true;
        }
        matches!(tokio::time::timeout(within, wait).await, Ok(Ok(())))
    }

    /// Record history through this writer (see `history::open_for`), and
    /// answer history queries from its file. Its notices come back as
    /// `CoreMsg::HistoryNotice` is up to whoever spawned it.
    pub fn with_history(mut self, history: crate::history::History) -> Worker {
        let tx = self.tx.clone();
        let reader = crate::history::reader::Reader::spawn(
            history.clone(),
            Box::new(move |answer| {
                let _ = tx.send(CoreMsg::History(answer));
            }),
        );
        self.history = Some((history, reader));
        self
    }

    /// The history writer, to flush it before leaving.
    pub fn history(&self) -> Option<&crate::history::History> {
        self.history.as_ref().map(|(h, _)| h)
    }

    /// Deliver alerts to these channels and keep their state in this store.
    pub fn with_alerts(
        mut self,
        channels: crate::alerts::deliver::Channels,
        store: Option<PathBuf>,
    ) -> Worker {
        self.alerts = crate::alerts::runner::AlertRunner::new(channels, store, self.tx.clone());
        self
    }

    /// The instances watched now (at start, after a reload): alerts of
    /// others stop being re-sent to Alertmanager.
    pub fn alerts_watch_only<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        self.alerts
            .keep_only(ids.into_iter().map(str::to_string).collect());
    }

    /// Put a relink link in every down alert (`watch --public-url`).
    pub fn with_alert_links(mut self, links: Arc<crate::share::alert_links::AlertLinks>) -> Worker {
        self.alert_links = Some(links);
        self
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
                let accounts = self.accounts();
                tokio::spawn(async move {
                    worker
                        .api(&accounts, instance, account, call, purpose)
                        .await;
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
                    let _ = tx.send(CoreMsg::QrSaved(result));
                });
            }
            Effect::PreviewPicture {
                input,
                account,
                seq,
            } => {
                let tx = self.tx.clone();
                let shape = self
                    .accounts()
                    .list
                    .get(account)
                    .map(|a| a.image_upload)
                    .unwrap_or_default();
                tokio::spawn(async move {
                    let result = preview(&input, shape).await;
                    let _ = tx.send(CoreMsg::PicturePreview { seq, result });
                });
            }
            Effect::Record(observation) => {
                if let Some((history, _)) = &self.history {
                    history.record(observation);
                }
            }
            Effect::HistoryQuery(query) => match &self.history {
                Some((_, reader)) => reader.ask(query),
                None => {
                    let _ = self.tx.send(CoreMsg::History(
                        crate::history::HistoryAnswer::Unavailable("history is off".into()),
                    ));
                }
            },
            Effect::OpenQrPng { payload, path } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = save_qr_png(&payload, &path)
                        .and_then(|()| crate::qr::viewer::open(&path))
                        .map(|()| path);
                    let _ = tx.send(CoreMsg::QrOpened(result));
                });
            }
            Effect::Alert(event) => match &self.alert_links {
                Some(links) => crate::share::alert_links::deliver(
                    links,
                    &self.alerts,
                    event,
                    &self.accounts().list,
                    &self.client,
                    &self.tx,
                ),
                None => self.alerts.deliver(event),
            },
            Effect::SaveAlertState(rows) => self.alerts.save_state(rows),
            Effect::LoadSilences => self.alerts.load_silences(),
            // The face's terminal, not work for an executor.
            Effect::Bell | Effect::Clipboard(_) => {}
            Effect::Share {
                instance,
                label,
                account,
                lang,
                refresh,
            } => {
                let (tx, host) = (self.tx.clone(), self.shares.clone());
                let account = self.accounts().list.get(account).cloned();
                let client = self.client.clone();
                tokio::spawn(async move {
                    let result = match account {
                        Some(account) => {
                            let source = crate::share::live::Source {
                                client,
                                account,
                                instance: instance.clone(),
                                label,
                                refresh,
                                status_every: crate::engine::pairing::qr_pane::STATUS_EVERY,
                            };
                            let valid = crate::share::host::DASHBOARD_SHARE_FOR;
                            host.open(source, lang, valid).await
                        }
                        None => Err(format!("instance `{instance}` points at no account")),
                    };
                    let _ = tx.send(CoreMsg::ShareOpened { instance, result });
                });
            }
            Effect::Acknowledge { instance, by } => self.alerts.acknowledge(instance, by),
            Effect::SavePlanned(marks) => self.alerts.save_planned(marks),
        }
    }

    async fn api(
        &self,
        accounts: &Accounts,
        instance: String,
        account: usize,
        call: Call,
        purpose: Purpose,
    ) {
        let lane = match purpose {
            Purpose::Poll | Purpose::Refresh => None,
            Purpose::Action | Purpose::QrPane => Some(&self.actions),
            Purpose::Bulk => Some(&self.bulk),
        };
        let _permit = match lane {
            Some(lane) => match lane.acquire().await {
                Ok(permit) => Some(permit),
                Err(_) => return,
            },
            None => None,
        };
        if let Some(Some(pacer)) = accounts.pacers.get(account) {
            pacer.wait().await;
        }
        // Latency counts from when the request may go, not from the queue.
        let started = Instant::now();
        let result = match accounts.list.get(account) {
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
        let _ = self.tx.send(CoreMsg::Api(ApiDone {
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
            Call::Picture(input) => {
                let input = input.clone();
                let options = PrepareOptions {
                    shape: account.image_upload,
                    ..PrepareOptions::default()
                };
                let prepared = profile_image::prepare_within(
                    profile_image::classify(&input),
                    options,
                    profile_image::PREPARE_TIMEOUT,
                )
                .await
                .map_err(|e| CallError::Local(e.to_string()))?;
                client
                    .set_image(account, id, &prepared.body)
                    .await
                    .map(Reply::Done)
                    .map_err(api)
            }
        }
    }
}

async fn preview(input: &str, shape: crate::api::UploadShape) -> Result<PicturePreview, String> {
    let source = profile_image::classify(input);
    let options = PrepareOptions {
        shape,
        preview: true,
        ..PrepareOptions::default()
    };
    let prepared =
        profile_image::prepare_within(source.clone(), options, profile_image::PREPARE_TIMEOUT)
            .await
            .map_err(|e| e.to_string())?;
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
    // The name is fresh (id + time): an existing file is someone else's.
    crate::output_file::write_output(path, &png, false, &crate::output_file::Protected::default())
}

mod files;

#[cfg(test)]
mod tests;
