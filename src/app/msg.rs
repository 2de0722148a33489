//! Everything that can happen to the dashboard, as one type: terminal
//! events, clock ticks, and the answers to effects.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::effect::{Call, Purpose};
use crate::api::{ApiError, Confirmation, DisconnectReply, QrReply, StatusReply};

#[derive(Debug)]
pub enum Msg {
    Tick(Instant),
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
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
    /// SIGTERM, SIGHUP or another outside request to leave.
    Quit,
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
        channel: String,
        ok: bool,
        detail: String,
    },
    /// The silences as the store holds them now.
    Silences(Result<Vec<crate::alerts::Silence>, String>),
    /// A share link for `instance` (or why there is none).
    ShareOpened {
        instance: String,
        result: Result<String, String>,
    },
    /// The config was read again (`watch` on SIGHUP): new roster and settings.
    Reloaded(Box<super::reload::Reload>),
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

#[derive(Debug)]
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
