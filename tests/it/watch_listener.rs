//! The metrics listener cannot be starved (issue 18, items 3 and 4): with
//! the usual 1,024 descriptors, 1,100 idle connections and half-sent
//! headers stop neither `/metrics` nor the status checks; a `Host` that is
//! not the listen address or a configured name gets 421; and no
//! `wadash_instance_up` series exists before an instance's first answer.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::common::sandbox::env_with;
use crate::common::watch::{Watch, config_text, label, scrape, series};

const WAIT: Duration = Duration::from_secs(30);
const IDLE: usize = 1_100;
const HALF_SENT: usize = 100;

fn checks_by_result(text: &str, result: &str) -> u64 {
    series(text, "wadash_checks_total")
        .iter()
        .filter(|(l, _)| label(l, "result") == Some(result))
        .map(|(_, v)| v.parse::<u64>().unwrap())
        .sum()
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .trim_end_matches("/metrics")
        .parse()
        .unwrap()
}

/// One raw request; the status line of the answer.
fn status_line(addr: SocketAddr, host: Option<&str>) -> String {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        s,
        "GET /metrics HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text.lines().next().unwrap_or_default().to_string()
}

/// Whether the server closed `s` (EOF or reset) within `within`.
fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 256];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                );
            }
        }
    }
}

/// This test holds 1,200 sockets itself.
fn raise_own_limit(want: u64) {
    // SAFETY: getrlimit/setrlimit only read and write the struct given.
    let limit = unsafe {
        let mut l = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut l);
        l.rlim_cur = l.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &l);
        l.rlim_cur
    };
    assert!(
        limit >= want,
        "the test needs {want} descriptors, may have {limit}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_and_half_sent_connections_starve_neither_metrics_nor_checks() {
    raise_own_limit(2_048);
    let env = env_with(|o| o.instances = 8).await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    // Soft and hard at 1,024: raising at start cannot help, the listener's
    // own bounds must.
    let mut w = Watch::spawn_via(
        &["prlimit", "--nofile=1024:1024"],
        &config_text(&env.sandbox.base_url(), &ids, ""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    let url = w.metrics_url();
    let addr = addr_of(&url);
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
    let before = scrape(&url).await;
    let errors_before = checks_by_result(&before, "error");

    let mut hostile = Vec::new();
    for _ in 0..IDLE {
        if let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            hostile.push(s);
        }
    }
    for _ in 0..HALF_SENT {
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            let _ = s.write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            hostile.push(s);
        }
    }
    assert!(hostile.len() >= IDLE, "{} connections made", hostile.len());

    // /metrics answers again within the header timeout (bounded), while
    // every hostile socket is still open on our side.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = loop {
        if let Ok(resp) = http.get(&url).send().await
            && resp.status() == 200
            && let Ok(text) = resp.text().await
        {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "/metrics did not answer within 20 s of {} idle connections:\n{}",
            hostile.len(),
            w.stderr()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(text.ends_with("# EOF\n"));

    // The server closed the idle and the half-sent ones (bounded time).
    let mut kept = 0;
    for s in hostile.iter_mut().step_by(50) {
        if !closed_by_server(s, Duration::from_secs(10)) {
            kept += 1;
        }
    }
    assert_eq!(kept, 0, "idle connections kept open by the server");

    // And the checks went on without a single error.
    let then = checks_by_result(&text, "active") + checks_by_result(&text, "inactive");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = scrape(&url).await;
    let now = checks_by_result(&after, "active") + checks_by_result(&after, "inactive");
    assert!(now >= then + 8, "checks went on: {then} → {now}");
    assert_eq!(
        checks_by_result(&after, "error"),
        errors_before,
        "no check failed:\n{}",
        w.stderr()
    );
    assert!(
        !w.stderr().contains("Too many open files"),
        "{}",
        w.stderr()
    );
    drop(hostile);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_listen_address_and_configured_names_are_answered() {
    let env = env_with(|o| o.instances = 1).await;
    let ids = vec![env.sandbox.instances[0].id.clone()];
    let mut w = Watch::spawn(
        &config_text(&env.sandbox.base_url(), &ids, ""),
        &env.sandbox.api_key,
        &[
            "--metrics",
            "127.0.0.1:0",
            "--metrics-host",
            "mon.example.org",
        ],
    );
    let addr = addr_of(&w.metrics_url());
    let port = addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("mon.example.org:{port}"),
    ] {
        let line = status_line(addr, Some(&host));
        assert!(line.starts_with("HTTP/1.1 200"), "{host}: {line}");
    }
    // A DNS-rebinding page: the browser sends the page's own name.
    for host in [
        format!("rebind.attacker.example:{port}"),
        "evil.example".to_string(),
        format!("10.9.8.7:{port}"),
    ] {
        let line = status_line(addr, Some(&host));
        assert!(line.starts_with("HTTP/1.1 421"), "{host}: {line}");
    }
    // A kept-alive connection that goes quiet after its request is closed
    // (the header timeout runs again before each request).
    let mut kept = TcpStream::connect(addr).unwrap();
    write!(
        kept,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    assert!(
        closed_by_server(&mut kept, Duration::from_secs(15)),
        "an idle kept-alive connection stays open"
    );
    // No Host at all (HTTP/1.0 tools): not a browser, answered.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /metrics HTTP/1.0\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.0 200"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_up_series_before_the_first_answer() {
    // Checks take 3 s: the first scrape comes before any answer.
    let env = env_with(|o| {
        o.instances = 3;
        o.latency = 3_000;
    })
    .await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    let mut w = Watch::spawn(
        &config_text(&env.sandbox.base_url(), &ids, ""),
        &env.sandbox.api_key,
        &["--interval", "10s", "--metrics", "127.0.0.1:0"],
    );
    let url = w.metrics_url();
    let early = scrape(&url).await;
    assert_eq!(series(&early, "wadash_instance_info").len(), 3, "{early}");
    assert!(
        series(&early, "wadash_instance_up").is_empty(),
        "not checked yet is not down:\n{early}"
    );
    w.wait_line("the first round", WAIT, |l| l.contains(" first_round "));
    let late = scrape(&url).await;
    assert_eq!(series(&late, "wadash_instance_up").len(), 3, "{late}");
    assert!(
        late.contains("# HELP wadash_instance_up ")
            && late.contains("absent until its first check answers"),
        "{late}"
    );
}
