//! The worker's lanes: hung polls and bulk runs never hold up an action.

use std::time::Duration;

use super::*;
use crate::engine::msg::Reply;
use crate::sandbox::{self, SandboxOptions};
use crate::secret::Secret;

/// A server that accepts connections and never answers.
async fn black_hole() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

fn api(effect_instance: &str, account: usize, call: Call, purpose: Purpose) -> Effect {
    Effect::Api {
        instance: effect_instance.into(),
        account,
        call,
        purpose,
    }
}

async fn next_answer(rx: &mut mpsc::UnboundedReceiver<CoreMsg>) -> ApiDone {
    let msg = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("an answer within 5 s: something queued it behind hung requests")
        .expect("worker alive");
    match msg {
        CoreMsg::Api(done) => done,
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn hung_polls_and_a_bulk_run_do_not_hold_up_a_check_or_an_action() {
    let (hole, hole_url) = black_hole().await;
    let sandbox = sandbox::start(SandboxOptions::for_tests()).await.unwrap();
    let id = sandbox.instances[0].id.clone();
    let account = |name: &str, url: &str| {
        Account::new(name, url, Secret::new(sandbox.api_key.clone()), false).unwrap()
    };
    let accounts = vec![
        account("hung", &hole_url),
        account("sandbox", &sandbox.base_url()),
    ];
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = Worker::spawn(Client::new(), accounts, 1, tx, WorkerPaths::default());

    // The cap of 1 is already taken by a poll that never comes back…
    worker.run(api("x", 0, Call::Status, Purpose::Poll));
    // …and a bulk run fills its own lane with more of them.
    for n in 0..ACTION_CONCURRENCY + 2 {
        worker.run(api(&format!("b{n}"), 0, Call::Disconnect, Purpose::Bulk));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;

    worker.run(api(&id, 1, Call::Status, Purpose::Refresh));
    let done = next_answer(&mut rx).await;
    assert_eq!(
        (done.instance.as_str(), done.purpose),
        (id.as_str(), Purpose::Refresh)
    );
    assert!(
        matches!(done.result, Ok(Reply::Status(_))),
        "{:?}",
        done.result
    );

    worker.run(api(&id, 1, Call::Status, Purpose::QrPane));
    let done = next_answer(&mut rx).await;
    assert_eq!(done.purpose, Purpose::QrPane);
    drop(hole);
}
