//! Control routes under `/_sandbox/`: no auth, so they answer loopback
//! clients only (tests and demos read state, play the phone, steer faults).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::json;

use super::app::Shared;
use super::faults::FaultSettings;

fn error(http: StatusCode, text: &str) -> Response {
    (http, Json(json!({ "error": text }))).into_response()
}

/// Whether a peer may use the control routes (IPv4-mapped `::ffff:127.0.0.1` included).
pub fn is_local_peer(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Middleware: refuse control requests from other machines, even when the
/// sandbox listens on a public address for its `/api/` routes.
pub async fn loopback_only(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    if is_local_peer(peer.ip()) {
        next.run(req).await
    } else {
        error(
            StatusCode::FORBIDDEN,
            "the /_sandbox/ routes answer loopback clients only",
        )
    }
}

fn unknown(id: &str) -> Response {
    error(StatusCode::NOT_FOUND, &format!("no instance {id:?}"))
}

pub async fn list(State(s): State<Arc<Shared>>) -> Response {
    Json(s.store.snapshot()).into_response()
}

pub async fn one(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match s.store.with(&id, |i| i.clone()) {
        Some(view) => Json(view).into_response(),
        None => unknown(&id),
    }
}

/// The phone scanned the QR: the instance is linked.
pub async fn scan(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match s.store.with(&id, |i| {
        i.scan();
        i.clone()
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
        i.clone()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_may_control() {
        for local in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            assert!(is_local_peer(local.parse().unwrap()), "{local}");
        }
        for remote in [
            "192.168.1.5",
            "10.0.0.1",
            "0.0.0.0",
            "::",
            "2001:db8::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_local_peer(remote.parse().unwrap()), "{remote}");
        }
    }
}
