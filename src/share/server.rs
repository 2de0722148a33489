//! The share routes (axum): the page, its picture and its state, under
//! `/s/{token}/`. Anything else, and any token that is not live, is the
//! same bare 404. Every answer carries `Cache-Control: no-store`, a CSP
//! with no external source, `nosniff` and `Referrer-Policy: no-referrer`.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::page;
use super::state::{Lookup, Shares, View};
use super::token::nonce;

/// For everything but the page: nothing may load, nothing may frame it.
const CSP_NONE: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The routes for every share in `shares`; anything else is 404.
pub fn router(shares: Arc<Shares>) -> Router {
    routes(shares)
        .fallback(|| async { gone() })
        .layer(axum::middleware::map_response(harden))
}

/// Only the `/s/…` routes, to merge into another server (`watch`'s
/// listener, whose other paths stay its own).
pub fn routes(shares: Arc<Shares>) -> Router {
    Router::new()
        .route("/s/{token}", get(redirect))
        .route("/s/{token}/", get(page_route))
        .route("/s/{token}/qr.png", get(picture))
        .route("/s/{token}/state", get(state))
        .layer(axum::middleware::map_response(harden))
        .with_state(shares)
}

/// Serve until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shares: Arc<Shares>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(shares))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn harden(mut resp: Response) -> Response {
    let headers = resp.headers_mut();
    let set = |h: &mut HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CACHE_CONTROL, "no-store");
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, CSP_NONE);
    }
    resp
}

fn gone() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404\n",
    )
        .into_response()
}

fn refused(lookup: Lookup) -> Response {
    match lookup {
        Lookup::Gone => gone(),
        Lookup::Limited(wait) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.as_secs().max(1).to_string())],
            "429\n",
        )
            .into_response(),
    }
}

/// `/s/TOKEN` → `/s/TOKEN/`, so the page's relative paths resolve (only for a live token).
async fn redirect(State(shares): State<Arc<Shares>>, Path(token): Path<String>) -> Response {
    match shares.request(&token, Instant::now()) {
        Ok(_) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, format!("{token}/"))],
        )
            .into_response(),
        Err(lookup) => refused(lookup),
    }
}

async fn page_route(State(shares): State<Arc<Shares>>, Path(token): Path<String>) -> Response {
    let now = Instant::now();
    let view = match shares.request(&token, now) {
        Ok(view) => view,
        Err(lookup) => return refused(lookup),
    };
    let nonce = nonce();
    let csp = format!(
        "default-src 'none'; img-src 'self'; connect-src 'self'; style-src 'nonce-{nonce}'; \
         script-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (header::CONTENT_SECURITY_POLICY, csp),
        ],
        page::render(&view, &nonce, now),
    )
        .into_response()
}

async fn picture(State(shares): State<Arc<Shares>>, Path(token): Path<String>) -> Response {
    match shares.request(&token, Instant::now()) {
        Ok(View::Live {
            code: Some(code), ..
        }) => ([(header::CONTENT_TYPE, "image/png")], code.png.to_vec()).into_response(),
        Ok(_) => gone(),
        Err(lookup) => refused(lookup),
    }
}

/// `{"state":"live","n":3,"left":12,"ends":840}` or `{"state":"linked"}`.
async fn state(State(shares): State<Arc<Shares>>, Path(token): Path<String>) -> Response {
    let now = Instant::now();
    let body = match shares.request(&token, now) {
        Ok(View::Live { code, ends_at, .. }) => {
            let left = code.as_ref().and_then(|c| c.next_at).map_or(0, |at| {
                at.saturating_duration_since(now).as_secs_f64().ceil() as u64
            });
            json!({
                "state": "live",
                "n": code.as_ref().map_or(0, |c| c.number),
                "left": left,
                "ends": ends_at.saturating_duration_since(now).as_secs_f64().ceil() as u64,
            })
        }
        Ok(View::Linked { .. }) => json!({ "state": "linked" }),
        Err(lookup) => return refused(lookup),
    };
    axum::Json(body).into_response()
}
