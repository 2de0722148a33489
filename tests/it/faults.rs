//! Every injected fault gives the client a clear, classified error within
//! its timeout, never a panic, and the sandbox keeps serving afterwards.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wadash::api::{Account, ApiError, Client, InstanceStatus};
use wadash::sandbox::Fault;
use wadash::secret::Secret;

use crate::common::sandbox::Env;

/// Generous bound for "within the timeout": the client timeout plus slack
/// for a loaded 2-core machine. Not a performance target.
const TIMEOUT: Duration = Duration::from_secs(1);
const WITHIN: Duration = Duration::from_secs(6);

async fn env() -> Env {
    let mut env = crate::common::sandbox::env().await;
    env.account = env.account.with_timeout(TIMEOUT);
    env
}

impl Env {
    /// Any instance: faults do not care which.
    fn any_id(&self) -> String {
        self.sandbox.instances[0].id.clone()
    }

    /// `fault` on every request, then one call of each kind, timed.
    async fn always(&self, fault: &str) {
        self.set_faults(json!({"rate": 1.0, "fault": fault})).await;
    }

    async fn timed_status(&self) -> (Result<InstanceStatus, ApiError>, Duration) {
        let started = Instant::now();
        let result = self
            .client
            .status(&self.account, &self.any_id())
            .await
            .map(|r| r.status);
        (result, started.elapsed())
    }

    /// Faults off: the same sandbox answers normally again.
    async fn recovers(&self) {
        self.set_faults(json!({})).await;
        let reply = self
            .client
            .status(&self.account, &self.any_id())
            .await
            .expect("the sandbox serves again once faults are off");
        assert_ne!(reply.text, "");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hang_times_out() {
    let env = env().await;
    env.always("hang").await;
    let (result, took) = env.timed_status().await;
    assert_eq!(result.unwrap_err(), ApiError::Timeout { after: TIMEOUT });
    assert!(took >= TIMEOUT && took < WITHIN, "{took:?}");
    env.recovers().await;
    // Shutdown must not wait for the hanging answer.
    let started = Instant::now();
    env.sandbox.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_502_is_not_json_and_quoted() {
    let env = env().await;
    env.always("http502-html").await;
    let (result, took) = env.timed_status().await;
    match result.unwrap_err() {
        ApiError::NotJson { http, snippet } => {
            assert_eq!(http, 502);
            assert!(snippet.contains("502 Bad Gateway"), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
    assert!(took < WITHIN);
    env.recovers().await;
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_body_is_a_transport_error() {
    let env = env().await;
    env.always("truncated").await;
    let (result, took) = env.timed_status().await;
    let err = result.unwrap_err();
    eprintln!("client saw: {err:?}");
    assert!(
        matches!(err.kind(), "transport" | "not_json"),
        "{err:?}: {err}"
    );
    assert!(took < WITHIN);
    env.recovers().await;
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_answer_is_cut_off() {
    let env = env().await;
    env.always("huge").await;
    let started = Instant::now();
    let err = env
        .client
        .qr(&env.account, &env.any_id())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::TooLarge {
            limit: 8 * 1024 * 1024
        }
    );
    let (result, _) = env.timed_status().await;
    assert_eq!(
        result.unwrap_err(),
        ApiError::TooLarge { limit: 1024 * 1024 }
    );
    assert!(started.elapsed() < WITHIN);
    env.recovers().await;
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_text_answer_is_not_json() {
    let env = env().await;
    env.always("not-json").await;
    let (result, _) = env.timed_status().await;
    match result.unwrap_err() {
        ApiError::NotJson { http, snippet } => {
            assert_eq!(http, 200);
            assert!(snippet.contains("mantenimiento"), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
    env.recovers().await;
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_connection_is_a_transport_error() {
    let env = env().await;
    env.always("reset").await;
    let (result, took) = env.timed_status().await;
    let err = result.unwrap_err();
    eprintln!("client saw: {err:?}");
    assert!(
        matches!(err.kind(), "transport" | "connect"),
        "{err:?}: {err}"
    );
    assert!(took < WITHIN);
    env.recovers().await;
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_port_is_connect() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let account = Account::new(
        "closed",
        &format!("http://127.0.0.1:{port}"),
        Secret::new("whatever-key-1234"),
        false,
    )
    .unwrap()
    .with_timeout(TIMEOUT);
    let err = Client::new().status(&account, "X").await.unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_from_the_command_line_options() {
    // `--fault` without `--fault-rate`: every request.
    let env = crate::common::sandbox::env_with(|opts| opts.fault = Some(Fault::NotJson)).await;
    for _ in 0..5 {
        let err = env.timed_status().await.0.unwrap_err();
        assert_eq!(err.kind(), "not_json");
    }
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_rate_mixes_faults_and_answers_and_logs_them() {
    let env = env().await;
    env.set_faults(json!({"rate": 0.5, "fault": "not-json"}))
        .await;
    let mut ok = 0;
    let mut failed = 0;
    for _ in 0..60 {
        match env.timed_status().await.0 {
            Ok(_) => ok += 1,
            Err(e) => {
                assert_eq!(e.kind(), "not_json");
                failed += 1;
            }
        }
    }
    // Both outcomes all but certain (each is missed with probability 2^-60).
    assert!(ok > 0 && failed > 0, "ok {ok}, failed {failed}");
    let log = env.requests().await;
    let logged_faults = log.iter().filter(|e| e["fault"] == "not-json").count();
    assert_eq!(logged_faults, failed);

    let settings: Value = env
        .http
        .get(format!("{}/_sandbox/faults", env.sandbox.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["fault"], "not-json");
    assert_eq!(settings["rate"], 0.5);
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_delays_answers_and_bad_settings_are_refused() {
    let env = env().await;
    env.set_faults(json!({"latency_ms": 150, "jitter_ms": 10}))
        .await;
    let (result, took) = env.timed_status().await;
    result.unwrap();
    assert!(took >= Duration::from_millis(150), "{took:?}");

    for bad in [
        json!({"rate": 1.5, "fault": "hang"}),
        json!({"fault": "explode"}),
        json!({"latency": 5}),
    ] {
        let resp = env
            .http
            .post(format!("{}/_sandbox/faults", env.sandbox.base_url()))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{bad}");
    }
    // The refused settings left the previous ones in place.
    let settings: Value = env
        .http
        .get(format!("{}/_sandbox/faults", env.sandbox.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["latency_ms"], 150);
    env.sandbox.shutdown().await;
}
