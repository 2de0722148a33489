//! Control routes under `/_sandbox/`: no auth, meant for loopback use by
//! tests and demos (read state, simulate the phone, steer fault injection).

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::json;

use super::app::Shared;
use super::faults::FaultSettings;

fn error(http: StatusCode, text: &str) -> Response {
    (http, Json(json!({ "error": text }))).into_response()
}

fn unknown(id: &str) -> Response {
    error(StatusCode::NOT_FOUND, &format!("no instance {id:?}"))
}

pub async fn list(State(s): State<Arc<Shared>>) -> Response {
    Json(s.store.views()).into_response()
}

pub async fn one(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match s.store.view(&id) {
        Some(view) => Json(view).into_response(),
        None => unknown(&id),
    }
}

/// The phone scanned the QR: the instance is linked.
pub async fn scan(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match s.store.with(&id, |i| {
        i.scan();
        i.view()
    }) {
        Some(view) => Json(view).into_response(),
        None => unknown(&id),
    }
}

/// The phone unlinked: inactive, and a new QR cycle starts.
pub async fn drop_link(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let now = Instant::now();
    match s.store.with(&id, |i| {
        i.drop_link(now, &mut rand::rng());
        i.view()
    }) {
        Some(view) => Json(view).into_response(),
        None => unknown(&id),
    }
}

pub async fn requests(State(s): State<Arc<Shared>>) -> Response {
    Json(s.log.snapshot()).into_response()
}

pub async fn clear_requests(State(s): State<Arc<Shared>>) -> StatusCode {
    s.log.clear();
    StatusCode::NO_CONTENT
}

pub async fn get_faults(State(s): State<Arc<Shared>>) -> Response {
    Json(s.fault_settings()).into_response()
}

/// Replaces the whole setting: `{}` turns faults and latency off.
pub async fn set_faults(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let settings: FaultSettings = match serde_json::from_slice(&body) {
        Ok(settings) => settings,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("bad fault settings: {e}")),
    };
    if let Err(e) = settings.validate() {
        return error(StatusCode::BAD_REQUEST, &e);
    }
    s.set_fault_settings(settings);
    Json(settings).into_response()
}
