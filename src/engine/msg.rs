//! What the engine hears: clock ticks, the executors' answers to its
//! effects, and the faces' commands. Executors answer in this type only,
//! never in a face's message.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::api::{ApiError, Confirmation, DisconnectReply, QrReply, StatusReply};
use crate::engine::effect::{Call, Purpose};

#[derive(Debug)]
pub enum CoreMsg {
    /// The clock moved. `wall`: the time of day read with it (every face
    /// reads it on each tick, so an NTP step or a resume is seen at once);
    /// None keeps the last reading (tests).
    Tick {
        now: Instant,
        wall: Option<SystemTime>,
    },
    Api(ApiDone),
    ConfigEdited {
        what: ConfigEdit,
        result: Result<(), String>,
    },
    MemorySaved(Result<(), String>),
    QrSaved(Result<PathBuf, String>),
    PicturePreview {
        seq: u64,
        result: Result<PicturePreview, String>,
    },
    /// The history store's answer to an `Effect::HistoryQuery`.
    History(crate::history::HistoryAnswer),
    /// Something the user should know about the history store.
    HistoryNotice(String),
    /// The QR PNG was saved and handed to the image viewer (or why not).
    QrOpened(Result<PathBuf, String>),
    /// One delivery of one alert finished. `event`: down|up|flapping|
    /// reminder|error|group; `channel`: hook|webhook|desktop.
    AlertDelivered {
        event: String,
        /// The instance alerted about (empty for a group) and its label.
        id: String,
        label: String,
        channel: String,
        ok: bool,
        detail: String,
    },
    /// The silences as the store holds them now.
    Silences(Result<Vec<crate::engine::alerts::Silence>, String>),
    /// A share link for `instance` (or why there is none).
    ShareOpened {
        instance: String,
        result: Result<String, String>,
    },
    /// The config was read again (`watch` on SIGHUP): new roster and settings.
    Reloaded(Box<crate::engine::reload::Reload>),
    /// A face asks the monitor for something (refresh, pause, …).
    Command(crate::engine::monitor::Command),
}

impl CoreMsg {
    /// A tick that keeps the last wall-clock reading (tests, benches).
    pub fn tick(now: Instant) -> CoreMsg {
        CoreMsg::Tick { now, wall: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigEdit {
    Added(String),
    Removed(String),
}

/// What the worker learned preparing a picture for the form's preview.
#[derive(Debug, Clone)]
pub struct PicturePreview {
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    pub summary: String,
    pub preview: Option<image::RgbImage>,
}

#[derive(Debug, Clone)]
pub struct ApiDone {
    pub instance: String,
    pub call: Call,
    pub purpose: Purpose,
    pub at: Instant,
    pub latency: Duration,
    pub result: Result<Reply, CallError>,
}

#[derive(Debug, Clone)]
pub enum Reply {
    Status(StatusReply),
    Qr {
        reply: QrReply,
        /// The pairing text decoded from the QR value, or why it could not be.
        payload: Result<String, String>,
    },
    Disconnect(DisconnectReply),
    Done(Confirmation),
}

impl Reply {
    pub fn text(&self) -> &str {
        match self {
            Reply::Status(r) => &r.text,
            Reply::Qr { reply, .. } => &reply.text,
            Reply::Disconnect(r) => &r.text,
            Reply::Done(c) => &c.text,
        }
    }
}

#[derive(Debug, Clone)]
pub enum CallError {
    Api(ApiError),
    /// Refused before sending (a bad picture file, a config problem).
    Local(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Api(e) => e.fmt(f),
            CallError::Local(s) => f.write_str(s),
        }
    }
}
