//! What `update` turns an answer into (pure: the caller gives the time).

use std::time::{Duration, SystemTime};

use crate::domain::{Cause, Observation, Seen};
use crate::engine::msg::{ApiDone, CallError, Reply};

/// A status answer (or failure) as an observation; None for answers that
/// say nothing about the status.
pub fn from_answer(done: &ApiDone, at: SystemTime, cause: Cause) -> Option<Observation> {
    let (kind, detail) = match &done.result {
        Ok(Reply::Status(reply)) => {
            let (seen, detail) = Seen::of_reply(&reply.status, &reply.text);
            (seen, Some(detail))
        }
        Ok(_) => return None,
        Err(CallError::Api(e)) => (Seen::Error, Some(e.kind().to_string())),
        Err(CallError::Local(_)) => (Seen::Error, Some("local".to_string())),
    };
    Some(Observation {
        id: done.instance.clone(),
        at,
        kind,
        detail,
        cause,
        latency: Some(done.latency),
    })
}

/// The user disconnected the instance from wadash and the server agreed.
pub fn disconnected(id: &str, at: SystemTime, server_text: &str) -> Observation {
    Observation {
        id: id.to_string(),
        at,
        kind: Seen::Inactive,
        detail: Some(server_text.to_string()),
        cause: Cause::UserDisconnect,
        latency: None,
    }
}

/// The QR pane saw the instance turn active after showing a code.
pub fn linked(id: &str, at: SystemTime, qr_to_link: Duration) -> Observation {
    Observation {
        id: id.to_string(),
        at,
        kind: Seen::Active,
        detail: None,
        cause: Cause::QrLinked { qr_to_link },
        latency: None,
    }
}
