//! The HTTP side of `--metrics`: a bounded listener. `axum::serve` keeps
//! every connection as long as the peer likes, so 1,100 idle sockets (or
//! half-sent headers) used up the usual 1,024 descriptors: `/metrics` went
//! silent and every status check failed with "Too many open files". Here a
//! connection gets a slot out of a fixed number (one more is closed at
//! once, giving its descriptor back), has `HEADER_TIMEOUT` to send its
//! headers (also before each kept-alive request), and lives at most
//! `LIFETIME`, after which it finishes its request and closes. Requests
//! whose `Host` is not one this watcher answers get 421 (see `host_check`).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::host_check::HostPolicy;

/// Headers must be in within this (Prometheus sends them in one packet).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// A kept-alive connection is closed after this; scrapers reconnect.
pub const LIFETIME: Duration = Duration::from_secs(60);
/// After accept errors (out of descriptors): wait instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serve `router` on `listener` with at most `cap` connections, until
/// `stop` turns true.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    policy: HostPolicy,
    cap: usize,
    mut stop: watch::Receiver<bool>,
) {
    let router = router.layer(from_fn_with_state(Arc::new(policy), check_host));
    let slots = Arc::new(Semaphore::new(cap.max(1)));
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|s| *s) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Full: closed now rather than queued, so the descriptor is back at once.
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = tokio::time::sleep(LIFETIME) => {}
                _ = stop.wait_for(|s| *s) => {}
            }
            // The request under way finishes; a peer that will not read its
            // answer is dropped after one more timeout.
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(HEADER_TIMEOUT, conn).await;
        });
    }
}

/// 421 Misdirected Request for a `Host` this listener does not answer: the
/// request reached a server that does not serve that name, which is what
/// happened (403 would say the client lacks a right it could have).
async fn check_host(State(policy): State<Arc<HostPolicy>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    if policy.allows(host) {
        next.run(req).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "wadash: this Host is not answered here (add it with --metrics-host NAME)\n",
        )
            .into_response()
    }
}
