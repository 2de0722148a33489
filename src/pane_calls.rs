//! The QR pane's two requests (a code, the status) answered outside the
//! dashboard: by `wadash qr --wait` and by a share's live loop, the way the
//! worker answers them (a QR value comes with its pairing text).

use std::time::Instant;

use crate::api::{Account, Client};
use crate::engine::effect::{Call, Purpose};
use crate::engine::msg::{ApiDone, CallError, Reply};
use crate::qr;

/// One of the pane's requests, answered the way the dashboard's worker
/// answers it: a QR value comes with its pairing text, or why it has none.
pub async fn answer(client: Client, account: Account, instance: String, call: Call) -> ApiDone {
    let started = Instant::now();
    let result = match &call {
        Call::Qr => client
            .qr(&account, &instance)
            .await
            .map(|reply| {
                let payload = qr::decode_payload(&reply.qr).map_err(|e| e.to_string());
                Reply::Qr { reply, payload }
            })
            .map_err(CallError::Api),
        Call::Status => client
            .status(&account, &instance)
            .await
            .map(Reply::Status)
            .map_err(CallError::Api),
        other => Err(CallError::Local(format!(
            "{} is not a QR pane request",
            other.endpoint().name()
        ))),
    };
    let at = Instant::now();
    ApiDone {
        instance,
        call,
        purpose: Purpose::QrPane,
        at,
        latency: at - started,
        result,
    }
}
