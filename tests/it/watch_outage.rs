//! A vendor outage under `wadash watch` (issue 18, item 1): the real binary
//! against the sandbox, every API call failing for a while (the sandbox
//! drops the connections), a local webhook receiver counting what on-call
//! would have been paged with. No `up` while nothing can be checked, no
//! second `down` for an instance already down, one `error` per instance
//! that was up; after recovery, exactly one `up` for each instance told of.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};

use crate::common::sandbox::env_with;
use crate::common::watch::{Watch, config_text};

/// Webhook bodies received at `/hook`.
async fn receiver() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let store = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |body: axum::Json<Value>| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push(body.0);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

/// The events received for `id`, as "kind status".
fn said(got: &Mutex<Vec<Value>>, id: &str) -> Vec<String> {
    got.lock()
        .unwrap()
        .iter()
        .filter(|e| e["id"] == id)
        .map(|e| {
            format!(
                "{} {}",
                e["event"].as_str().unwrap(),
                e["status"].as_str().unwrap()
            )
        })
        .collect()
}

async fn wait_for(what: &str, limit: Duration, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn faults(env: &crate::common::sandbox::Env, settings: Value) {
    let resp = env
        .http
        .post(env.url("/_sandbox/faults"))
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_gives_no_false_up_and_no_second_down() {
    let env = env_with(|o| o.instances = 2).await;
    let (ok, dead) = (env.id(true), env.id(false));
    let (url, got) = receiver().await;
    let alerts = format!(
        "[alerts]\nafter = 3\nresolve_after = 2\ngroup_window = \"1s\"\n\n\
         [[alerts.webhook]]\nurl = \"{url}\"\nformat = \"json\"\n"
    );
    let config = format!(
        "{}{alerts}",
        config_text(&env.sandbox.base_url(), &[ok.clone(), dead.clone()], "")
    );
    let _w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    wait_for(
        "the down of the unlinked one",
        Duration::from_secs(30),
        || !said(&got, &dead).is_empty(),
    )
    .await;
    assert_eq!(said(&got, &dead), ["down inactive"]);

    // The vendor goes away: every API call loses its connection.
    faults(&env, json!({ "rate": 1.0, "fault": "reset" })).await;
    wait_for(
        "the error of the linked one",
        Duration::from_secs(20),
        || !said(&got, &ok).is_empty(),
    )
    .await;
    // Meanwhile the unlinked one is linked again, unseen.
    env.control(&dead, "scan").await;
    // Many rounds of failed checks (the bug repeated every few rounds).
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert_eq!(said(&got, &ok), ["error error"], "one error, no false up");
    assert_eq!(
        said(&got, &dead),
        ["down inactive"],
        "no second down, no up"
    );

    // Back: each instance told of trouble hears it is up, once.
    faults(&env, json!({})).await;
    wait_for("both ups", Duration::from_secs(20), || {
        said(&got, &ok).len() == 2 && said(&got, &dead).len() == 2
    })
    .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(said(&got, &ok), ["error error", "up active"]);
    assert_eq!(said(&got, &dead), ["down inactive", "up active"]);
}
