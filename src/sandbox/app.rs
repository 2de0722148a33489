//! The server's shared state and its routes.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use bytes::Bytes;
use tokio::sync::watch;

use super::faults::{FaultSettings, RequestLog};
use super::state::Store;
use super::{QrFormat, Shape, api, control, faults};

/// Uploads up to this size are read (the vendor's limit is unknown; profile
/// pictures from phones are a few MiB, the client allows 20 MiB on disk and
/// base64 adds a third).
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

pub struct Shared {
    pub api_key: String,
    pub shape: Shape,
    pub qr_format: QrFormat,
    pub store: Store,
    pub log: RequestLog,
    faults: Mutex<FaultSettings>,
    pub shutdown: watch::Receiver<bool>,
    /// One 64 KiB block reused by every `huge` answer (refcounted, no copy).
    pub huge_filler: Bytes,
}

impl Shared {
    pub fn new(
        api_key: String,
        shape: Shape,
        qr_format: QrFormat,
        store: Store,
        faults: FaultSettings,
        shutdown: watch::Receiver<bool>,
    ) -> Self {
        Shared {
            api_key,
            shape,
            qr_format,
            store,
            log: RequestLog::default(),
            faults: Mutex::new(faults),
            shutdown,
            huge_filler: Bytes::from(vec![b'A'; 64 * 1024]),
        }
    }

    pub fn fault_settings(&self) -> FaultSettings {
        *self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_fault_settings(&self, settings: FaultSettings) {
        *self.faults.lock().unwrap_or_else(|e| e.into_inner()) = settings;
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/api/config/status", post(api::status))
        .route("/api/config/qr", post(api::qr))
        .route("/api/config/disconnect", post(api::disconnect))
        .route("/api/config/name", post(api::name))
        .route("/api/config/description", post(api::description))
        .route("/api/config/automatic", post(api::automatic))
        .route("/api/config/image", put(api::image))
        // Not in the seed: the vendor's neighbouring webhook endpoint.
        .route("/api/config/sent", put(api::webhook))
        .route_layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            faults::gate,
        ));
    let control = Router::new()
        .route("/_sandbox/instances", get(control::list))
        .route("/_sandbox/instances/{id}", get(control::one))
        .route("/_sandbox/instances/{id}/scan", post(control::scan))
        .route("/_sandbox/instances/{id}/drop", post(control::drop_link))
        .route(
            "/_sandbox/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .route(
            "/_sandbox/faults",
            get(control::get_faults).post(control::set_faults),
        )
        .route_layer(axum::middleware::from_fn(control::loopback_only));
    api.merge(control)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}
