//! Transport failures worded for what happened: https to a plain-http port,
//! and an answer that starts but trickles in too slowly.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wadash::api::{Account, ApiError, Client};

#[tokio::test(flavor = "multi_thread")]
async fn https_to_a_plain_http_port_says_so() {
    let sb = wadash::sandbox::start(wadash::sandbox::SandboxOptions::for_tests())
        .await
        .unwrap();
    let url = sb.base_url().replace("http://", "https://");
    let account = Account::new("t", &url, "k-0123456789abcdef".into(), false).unwrap();
    let err = Client::new().status(&account, "ID1").await.unwrap_err();
    let shown = err.to_string();
    assert!(matches!(err, ApiError::Tls { .. }), "{err:?}");
    assert!(shown.contains("does not speak TLS on this port"), "{shown}");
    assert!(!shown.contains("InvalidContentType"), "{shown}");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trickling_body_is_reported_as_too_slow() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let body = br#"{"200":{"success":"Instancia activa"}}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let _ = sock.write_all(head.as_bytes()).await;
        for b in body {
            if sock.write_all(&[*b]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let mut account = Account::new(
        "t",
        &format!("http://{addr}"),
        "k-0123456789abcdef".into(),
        false,
    )
    .unwrap();
    account.timeout = Duration::from_secs(2);
    let err = Client::new().status(&account, "ID1").await.unwrap_err();
    let shown = err.to_string();
    assert!(matches!(err, ApiError::SlowBody { .. }), "{err:?}");
    assert!(shown.contains("too slowly"), "{shown}");
}
