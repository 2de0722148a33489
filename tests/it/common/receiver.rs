//! A local HTTP receiver for alert channels: every POST, whatever its path,
//! kept as (path, JSON body).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::Uri;
use axum::routing::post;
use serde_json::Value;

#[derive(Clone, Default)]
pub struct Received(Arc<Mutex<Vec<(String, Value)>>>);

impl Received {
    /// The bodies posted to `path`, in order.
    pub fn at(&self, path: &str) -> Vec<Value> {
        let got = self.0.lock().unwrap();
        got.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, b)| b.clone())
            .collect()
    }

    pub fn all(&self) -> Vec<(String, Value)> {
        self.0.lock().unwrap().clone()
    }
}

/// The receiver's base URL (`http://127.0.0.1:PORT`) and what it got.
pub async fn start() -> (String, Received) {
    let got = Received::default();
    let store = got.clone();
    let app = Router::new().fallback(post(move |uri: Uri, body: String| {
        let store = store.clone();
        async move {
            let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
            store
                .0
                .lock()
                .unwrap()
                .push((uri.path().to_string(), value));
            "ok"
        }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}
