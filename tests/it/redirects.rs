//! The key travels in a custom `apiKey` header, which HTTP clients do not
//! strip on redirects. A redirect to another origin must be refused before
//! the key could reach it.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use wadash::api::{Account, Client};
use wadash::secret::Secret;

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_the_key_never_reaches_it() {
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let record = seen.clone();
    let elsewhere = serve(Router::new().route(
        "/api/config/status",
        post(move |headers: HeaderMap| {
            let record = record.clone();
            async move {
                let key = headers
                    .get("apiKey")
                    .map(|v| v.to_str().unwrap().to_string());
                record.lock().unwrap().push(key);
                axum::Json(serde_json::json!({"success": "Instancia activa"}))
            }
        }),
    ))
    .await;
    let target = format!("{elsewhere}/api/config/status");
    let origin =
        serve(Router::new().route(
            "/api/config/status",
            post(move || {
                let target = target.clone();
                async move {
                    (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, target)]).into_response()
                }
            }),
        ))
        .await;

    let account =
        Account::new("a", &origin, Secret::new("KEY-THAT-MUST-STAY-HOME"), false).unwrap();
    let err = Client::new().status(&account, "inst").await.unwrap_err();
    assert_eq!(err.kind(), "redirect", "{err:?}");
    assert!(err.to_string().contains(&elsewhere), "{err}");
    assert!(!format!("{err} {err:?}").contains("KEY-THAT"));
    assert!(
        seen.lock().unwrap().is_empty(),
        "the other host saw a request: {seen:?}"
    );
}

#[tokio::test]
async fn a_redirect_on_the_same_origin_is_followed() {
    let app = Router::new()
        .route(
            "/api/config/status",
            post(|| async {
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, "/v2/api/config/status")],
                )
                    .into_response()
            }),
        )
        .route(
            "/v2/api/config/status",
            post(|headers: HeaderMap| async move {
                assert_eq!(headers.get("apiKey").unwrap(), "k");
                axum::Json(serde_json::json!({"success": "Instancia activa"}))
            }),
        );
    let base = serve(app).await;
    let account = Account::new("a", &base, Secret::new("k"), false).unwrap();
    let reply = Client::new().status(&account, "inst").await.unwrap();
    assert_eq!(reply.text, "Instancia activa");
}

#[tokio::test]
async fn a_same_origin_loop_is_called_a_redirect_loop_after_a_few_hops() {
    let hits = Arc::new(Mutex::new(0usize));
    let count = hits.clone();
    let app = Router::new().route(
        "/api/config/status",
        post(move || {
            let count = count.clone();
            async move {
                *count.lock().unwrap() += 1;
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, "/api/config/status")],
                )
                    .into_response()
            }
        }),
    );
    let base = serve(app).await;
    let account = Account::new("a", &base, Secret::new("k-loop-0123456789"), false).unwrap();
    let err = Client::new().status(&account, "inst").await.unwrap_err();
    assert!(err.to_string().contains("redirect loop"), "{err}");
    assert!(
        *hits.lock().unwrap() <= 4,
        "{} requests",
        hits.lock().unwrap()
    );
}

#[tokio::test]
async fn a_301_is_not_followed_as_a_get_with_the_key() {
    let gets = Arc::new(Mutex::new(0usize));
    let count = gets.clone();
    let app = Router::new()
        .route(
            "/api/config/status",
            post(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "/moved")],
                )
                    .into_response()
            }),
        )
        .route(
            "/moved",
            axum::routing::get(move || {
                let count = count.clone();
                async move {
                    *count.lock().unwrap() += 1;
                    "moved"
                }
            }),
        );
    let base = serve(app).await;
    let account = Account::new("a", &base, Secret::new("k-301-0123456789"), false).unwrap();
    let err = Client::new().status(&account, "inst").await.unwrap_err();
    assert!(err.to_string().contains("HTTP 301"), "{err}");
    assert!(err.to_string().contains("does not follow"), "{err}");
    assert_eq!(*gets.lock().unwrap(), 0, "the key was re-sent as a GET");
}
