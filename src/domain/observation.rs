//! What the store keeps: one observation per status answer (or per user
//! action that decides the status), and why a state began.

use std::time::{Duration, SystemTime};

use crate::domain::check::Seen;

/// Why a state began, where wadash knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A status check saw it.
    Poll,
    /// The user disconnected the instance from wadash.
    UserDisconnect,
    /// Linked through wadash's QR pane, this long after the first code.
    QrLinked { qr_to_link: Duration },
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Poll => "poll",
            Cause::UserDisconnect => "user_disconnect",
            Cause::QrLinked { .. } => "qr_linked",
        }
    }
}

/// One status answer (or a user action that decides the status), on its
/// way to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub id: String,
    pub at: SystemTime,
    pub kind: Seen,
    /// The server's text, the unknown status as sent, or the error kind.
    pub detail: Option<String>,
    pub cause: Cause,
    pub latency: Option<Duration>,
}
