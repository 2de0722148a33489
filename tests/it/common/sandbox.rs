//! A sandbox on loopback with a client and an account for it, plus the
//! control-route calls and the QR read-back the integration tests share.

#![allow(dead_code)]

use serde_json::Value;
use wadash::api::{Account, Client};
use wadash::sandbox::{self, RunningSandbox, SandboxOptions};
use wadash::secret::Secret;

pub struct Env {
    pub sandbox: RunningSandbox,
    pub client: Client,
    pub account: Account,
    /// Plain HTTP, for the control routes and requests the client never sends.
    pub http: reqwest::Client,
}

/// A sandbox with the test defaults changed by `configure`.
pub async fn env_with(configure: impl FnOnce(&mut SandboxOptions)) -> Env {
    let mut opts = SandboxOptions::for_tests();
    configure(&mut opts);
    let sandbox = sandbox::start(opts).await.expect("sandbox starts");
    let account = Account::new(
        "test",
        &sandbox.base_url(),
        Secret::new(sandbox.api_key.clone()),
        false,
    )
    .expect("loopback http is allowed");
    Env {
        sandbox,
        client: Client::new(),
        account,
        http: reqwest::Client::new(),
    }
}

pub async fn env() -> Env {
    env_with(|_| {}).await
}

impl Env {
    /// The first demo instance that is (or is not) linked.
    pub fn id(&self, active: bool) -> String {
        self.sandbox
            .instances
            .iter()
            .find(|i| i.active == active)
            .expect("the demo has both active and inactive instances")
            .id
            .clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// `GET /_sandbox/instances/{id}`.
    pub async fn state(&self, id: &str) -> Value {
        let resp = self
            .http
            .get(self.url(&format!("/_sandbox/instances/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    /// `POST /_sandbox/instances/{id}/{scan|drop}`.
    pub async fn control(&self, id: &str, action: &str) -> Value {
        let resp = self
            .http
            .post(self.url(&format!("/_sandbox/instances/{id}/{action}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    /// `GET` a control route's JSON (`/_sandbox/requests`, `/_sandbox/instances`).
    pub async fn get_json(&self, path: &str) -> Value {
        self.http
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The sandbox's request log, oldest first.
    pub async fn requests(&self) -> Vec<Value> {
        match self.get_json("/_sandbox/requests").await {
            Value::Array(log) => log,
            other => panic!("the request log is not a list: {other}"),
        }
    }

    /// `DELETE /_sandbox/requests`: the log starts afresh.
    pub async fn clear_requests(&self) {
        let resp = self
            .http
            .delete(self.url("/_sandbox/requests"))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
    }

    /// `POST /_sandbox/faults` (replaces the whole setting).
    pub async fn set_faults(&self, settings: Value) {
        let resp = self
            .http
            .post(self.url("/_sandbox/faults"))
            .json(&settings)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{settings}");
    }
}

/// The text of the one QR code in a PNG (or any image format `image` reads).
pub fn read_qr_png(bytes: &[u8]) -> String {
    let img = image::load_from_memory(bytes)
        .expect("a decodable image")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        img.width() as usize,
        img.height() as usize,
        |x, y| img.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("the QR decodes").1
}
