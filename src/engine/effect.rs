//! What `update` asks the outside world to do. The worker runs these and
//! answers with a `Msg`.

use std::path::PathBuf;

use crate::api::Endpoint;

/// One API call on one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Status,
    Qr,
    Disconnect,
    Name(String),
    Description(String),
    AutoRead(bool),
    /// What the user typed in the picture field: a path, a URL or base64.
    Picture(String),
}

impl Call {
    pub fn endpoint(&self) -> Endpoint {
        match self {
            Call::Status => Endpoint::Status,
            Call::Qr => Endpoint::Qr,
            Call::Disconnect => Endpoint::Disconnect,
            Call::Name(_) => Endpoint::Name,
            Call::Description(_) => Endpoint::Description,
            Call::AutoRead(_) => Endpoint::Automatic,
            Call::Picture(_) => Endpoint::Image,
        }
    }
}

/// Why a call was made: decides where its answer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Scheduled status poll (counts against the polling cap).
    Poll,
    /// `r` / `R`: a status check the user asked for.
    Refresh,
    /// A single-instance action from a form or key.
    Action,
    /// One instance of a bulk action.
    Bulk,
    /// Requests made by the open QR pane.
    QrPane,
}

/// A new instance for the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstance {
    pub id: String,
    pub label: String,
    pub account: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Effect {
    Api {
        instance: String,
        account: usize,
        call: Call,
        purpose: Purpose,
    },
    AddInstance(NewInstance),
    RemoveInstance(String),
    /// Persist what wadash has set on instances.
    SaveMemory(crate::memory::Memory),
    /// Save a QR payload as a PNG.
    SaveQrPng {
        payload: String,
        path: PathBuf,
    },
    /// Prepare a picture to preview it in the form (no request is sent).
    PreviewPicture {
        input: String,
        /// Whose upload shape to prepare it for.
        account: usize,
        seq: u64,
    },
    /// Store what a check (or a user action) showed, in the history.
    Record(crate::history::Observation),
    /// Ask the history store something; answered by `Msg::Core(CoreMsg::History)`.
    HistoryQuery(crate::history::HistoryQuery),
    /// Save a QR payload as a PNG and open it in the desktop's viewer.
    OpenQrPng {
        payload: String,
        path: PathBuf,
    },
    /// Deliver an alert (hooks, webhooks, desktop); answered by `Msg::Core(CoreMsg::AlertDelivered)`.
    Alert(crate::engine::alerts::AlertEvent),
    /// Write what the alert engine announced to the store's `alert_state`.
    SaveAlertState(Vec<crate::engine::alerts::StateRow>),
    /// Read the silences again from the store; answered by `CoreMsg::Silences`.
    LoadSilences,
    /// Ring the terminal's bell (the dashboard's loop does; executors ignore it).
    Bell,
    /// `S` in the QR pane: a one-time link with the instance's live code;
    /// answered by `CoreMsg::ShareOpened`.
    Share {
        instance: String,
        label: String,
        account: usize,
        lang: crate::i18n::Lang,
        refresh: std::time::Duration,
    },
}
