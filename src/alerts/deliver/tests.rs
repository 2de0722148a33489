//! Delivery for real: hooks are run, webhooks posted to a local receiver.

use std::time::{Duration, Instant, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use super::*;
use crate::config::alerts::WebhookFormat;
use crate::engine::alerts::event::Member;

fn event(kind: AlertKind) -> AlertEvent {
    AlertEvent {
        kind,
        id: "AB12".into(),
        label: "Tienda Lima".into(),
        account: "main".into(),
        tags: vec!["peru".into(), "ventas".into()],
        status: "inactive".into(),
        detail: "disconnected\0!".into(),
        since: SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_547_200),
        at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_547_300),
        down_for: (kind == AlertKind::Up).then_some(Duration::from_secs(100)),
        grouped: None,
        members: Vec::new(),
        to: None,
    }
}

fn group(n: usize) -> AlertEvent {
    AlertEvent {
        kind: AlertKind::Group,
        id: String::new(),
        label: format!("{n} instances"),
        grouped: Some(AlertKind::Down),
        status: "down".into(),
        members: (0..n)
            .map(|i| Member {
                id: format!("i{i}"),
                label: format!("L{i}"),
                account: "main".into(),
                tags: if i == 7 { vec!["chile".into()] } else { vec![] },
                status: "inactive".into(),
            })
            .collect(),
        ..event(AlertKind::Down)
    }
}

#[test]
fn hook_environment_and_arguments() {
    let e = event(AlertKind::Up);
    let env: std::collections::HashMap<_, _> = hook_env(&e).into_iter().collect();
    assert_eq!(env["WADASH_EVENT"], "up");
    assert_eq!(env["WADASH_ID"], "AB12");
    assert_eq!(env["WADASH_LABEL"], "Tienda Lima");
    assert_eq!(env["WADASH_ACCOUNT"], "main");
    assert_eq!(env["WADASH_TAGS"], "peru,ventas");
    assert_eq!(env["WADASH_STATUS"], "inactive");
    assert_eq!(env["WADASH_DETAIL"], "disconnected!", "NUL removed");
    assert_eq!(env["WADASH_SINCE"], "2025-12-01T00:00:00Z");
    assert_eq!(env["WADASH_DOWN_S"], "100");
    assert_eq!(
        expand("--{event}={id}:{label}", &e),
        "--up=AB12:Tienda Lima"
    );
    let g = group(30);
    assert_eq!(expand("{id}", &g), "i0,i1,i2,i3,i4,i5,i6,i7,i8,i9");
    let env: std::collections::HashMap<_, _> = hook_env(&g).into_iter().collect();
    assert_eq!(env["WADASH_COUNT"], "30");
    assert_eq!(env["WADASH_EVENT"], "group");
}

#[test]
fn json_and_slack_bodies() {
    let body = json_body(&event(AlertKind::Up));
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    for key in [
        "event", "id", "label", "account", "tags", "status", "detail", "since", "down_s",
    ] {
        assert!(keys.contains(&key), "{key} in {body}");
    }
    assert_eq!(body["down_s"], 100);
    assert_eq!(body["tags"], serde_json::json!(["peru", "ventas"]));
    assert_eq!(body["since"], "2025-12-01T00:00:00Z");
    assert!(json_body(&event(AlertKind::Down))["down_s"].is_null());
    let g = json_body(&group(12));
    assert_eq!(g["count"], 12);
    assert_eq!(g["ids"].as_array().unwrap().len(), 12);
    let slack = slack_body(&event(AlertKind::Down));
    let text = slack["text"].as_str().unwrap();
    assert!(
        text.contains("down: Tienda Lima") && text.contains("[AB12]"),
        "{text}"
    );
    assert_eq!(slack.as_object().unwrap().len(), 1);
}

#[test]
fn only_picks_events_and_a_group_when_any_member_matches() {
    let peru = Matcher::only("tag:peru").unwrap();
    let chile = Matcher::only("tag:chile").unwrap();
    assert!(wanted(None, &event(AlertKind::Down)));
    assert!(wanted(Some(&peru), &event(AlertKind::Down)));
    assert!(!wanted(Some(&chile), &event(AlertKind::Down)));
    assert!(wanted(Some(&chile), &group(12)));
    assert!(!wanted(Some(&chile), &group(5)));
    let inactive = Matcher::only("status:inactive").unwrap();
    assert!(wanted(Some(&inactive), &event(AlertKind::Down)));
}

async fn next(
    rx: &mut mpsc::UnboundedReceiver<CoreMsg>,
    within: Duration,
) -> (String, String, bool, String) {
    match tokio::time::timeout(within, rx.recv()).await {
        Ok(Some(CoreMsg::AlertDelivered {
            event,
            channel,
            ok,
            detail,
            ..
        })) => (event, channel, ok, detail),
        other => panic!("no delivery report: {other:?}"),
    }
}

fn hook(command: &[&str]) -> HookConfig {
    HookConfig {
        command: command.iter().map(|s| s.to_string()).collect(),
        only: None,
        meta: Default::default(),
    }
}

#[tokio::test]
async fn a_hook_runs_directly_with_its_environment_and_never_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("env.txt");
    let script = format!(
        "env > '{}'; echo \"$@\" >> '{}'",
        out.display(),
        out.display()
    );
    // SAFETY-free: the variable is set in this test's own process only to
    // check that the child does not inherit it.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            hooks: vec![hook(&[
                "/bin/sh", "-c", &script, "sh", "{event}", "{id}", "{label}",
            ])],
            ..Channels::default()
        },
        tx,
    );
    d.deliver(event(AlertKind::Down));
    let (ev, channel, ok, detail) = next(&mut rx, Duration::from_secs(10)).await;
    assert_eq!(
        (ev.as_str(), channel.as_str(), ok),
        ("down", "hook", true),
        "{detail}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("WADASH_EVENT=down"), "{text}");
    assert!(text.contains("WADASH_TAGS=peru,ventas"), "{text}");
    assert!(text.contains("WADASH_SINCE=2025-12-01T00:00:00Z"), "{text}");
    assert!(
        text.contains("WADASH_RUNBOOK=relink: wadash qr AB12 --wait"),
        "{text}"
    );
    assert!(
        text.contains("down AB12 Tienda Lima"),
        "arguments filled in: {text}"
    );
    assert!(!text.contains("WADASH_API_KEY"), "{text}");
}

#[tokio::test]
async fn a_failing_or_missing_hook_is_reported_with_its_reason() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            hooks: vec![hook(&[
                "/bin/sh",
                "-c",
                "echo no pager configured >&2; exit 3",
            ])],
            ..Channels::default()
        },
        tx.clone(),
    );
    d.deliver(event(AlertKind::Down));
    let (_, _, ok, detail) = next(&mut rx, Duration::from_secs(10)).await;
    assert!(!ok);
    assert!(
        detail.contains("no pager configured") && detail.contains('3'),
        "{detail}"
    );
    let d = Delivery::new(
        Channels {
            hooks: vec![hook(&["/nonexistent/page-me"])],
            ..Channels::default()
        },
        tx,
    );
    d.deliver(event(AlertKind::Down));
    let (_, _, ok, detail) = next(&mut rx, Duration::from_secs(10)).await;
    assert!(!ok && detail.contains("/nonexistent/page-me"), "{detail}");
}

#[tokio::test]
async fn a_hung_hook_and_what_it_started_are_killed_after_ten_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("child.pid");
    // The hook starts a grandchild and waits; both must die.
    let script = format!("sleep 600 & echo $! > '{}'; wait", pidfile.display());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            hooks: vec![hook(&["/bin/sh", "-c", &script])],
            ..Channels::default()
        },
        tx,
    );
    let started = Instant::now();
    d.deliver(event(AlertKind::Down));
    let (_, _, ok, detail) = next(&mut rx, Duration::from_secs(20)).await;
    let took = started.elapsed();
    assert!(!ok && detail.contains("killed"), "{detail}");
    assert!(
        took >= HOOK_TIMEOUT && took < HOOK_TIMEOUT + Duration::from_secs(5),
        "{took:?}"
    );
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // Give the kernel a moment to deliver SIGKILL, then the process is gone
    // (or a zombie awaiting its reaper, which /proc shows as state Z).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.contains(") Z "))
        .unwrap_or(false);
    assert!(!alive, "the hook's child {pid} survived");
}

/// A receiver answering the given statuses in turn; every body it got.
async fn receiver(statuses: Vec<u16>) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/hooks/T000/secret-token",
        listener.local_addr().unwrap()
    );
    let task = tokio::spawn(async move {
        let mut bodies = Vec::new();
        for status in statuses {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 65536];
            let mut got = 0;
            // Read headers and the body (Content-Length).
            loop {
                let n = sock.read(&mut buf[got..]).await.unwrap();
                got += n;
                let text = String::from_utf8_lossy(&buf[..got]).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if got >= end + 4 + len {
                        bodies.push(text[end + 4..end + 4 + len].to_string());
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let reply =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            sock.write_all(reply.as_bytes()).await.unwrap();
        }
        bodies
    });
    (url, task)
}

#[tokio::test]
async fn a_webhook_is_retried_with_backoff_and_its_token_never_shown() {
    let (url, task) = receiver(vec![500, 503, 200]).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            webhooks: vec![WebhookConfig {
                url: url::Url::parse(&url).unwrap(),
                format: WebhookFormat::Json,
                only: None,
                meta: Default::default(),
            }],
            ..Channels::default()
        },
        tx,
    );
    let started = Instant::now();
    d.deliver(event(AlertKind::Down));
    let (ev, channel, ok, detail) = next(&mut rx, Duration::from_secs(20)).await;
    assert_eq!(
        (ev.as_str(), channel.as_str(), ok),
        ("down", "webhook", true),
        "{detail}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "waited 1 s then 3 s"
    );
    assert!(!detail.contains("secret-token"), "{detail}");
    let bodies = task.await.unwrap();
    assert_eq!(bodies.len(), 3);
    let body: serde_json::Value = serde_json::from_str(&bodies[2]).unwrap();
    assert_eq!(body["event"], "down");
    assert_eq!(body["id"], "AB12");
}

#[tokio::test]
async fn a_webhook_that_keeps_failing_is_reported_after_three_tries() {
    let (url, task) = receiver(vec![500, 500, 500]).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            webhooks: vec![WebhookConfig {
                url: url::Url::parse(&url).unwrap(),
                format: WebhookFormat::Slack,
                only: None,
                meta: Default::default(),
            }],
            ..Channels::default()
        },
        tx,
    );
    d.deliver(event(AlertKind::Up));
    let (_, _, ok, detail) = next(&mut rx, Duration::from_secs(20)).await;
    assert!(
        !ok && detail.contains("500") && detail.contains("3 tries"),
        "{detail}"
    );
    assert!(!detail.contains("secret-token"), "{detail}");
    let bodies = task.await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert!(body["text"].as_str().unwrap().contains("up: Tienda Lima"));
}

#[tokio::test]
async fn a_hook_that_leaves_a_child_holding_its_output_succeeds_and_the_child_dies() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("child.pid");
    // The child inherits the hook's stderr pipe and outlives the hook.
    let script = format!(
        "echo paged >&2; sleep 100 & echo $! > '{}'",
        pidfile.display()
    );
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            hooks: vec![hook(&["/bin/sh", "-c", &script])],
            ..Channels::default()
        },
        tx,
    );
    d.deliver(event(AlertKind::Down));
    // Reported as the success it was, not as a hang killed at the timeout.
    let (_, _, ok, detail) = next(&mut rx, HOOK_TIMEOUT + Duration::from_secs(5)).await;
    assert!(ok, "{detail}");
    assert!(detail.contains("exited 0"), "{detail}");
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.rsplit_once(") ").is_none_or(|(_, r)| !r.starts_with('Z')))
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!alive(), "the hook's child {pid} outlived it");
}

#[tokio::test]
async fn a_groups_json_webhook_gets_each_relink_link_by_id() {
    use crate::alerts::links::{Link, ShareLinks};
    let (url, task) = receiver(vec![200]).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let d = Delivery::new(
        Channels {
            webhooks: vec![WebhookConfig {
                url: url::Url::parse(&url).unwrap(),
                format: WebhookFormat::Json,
                only: None,
                meta: Default::default(),
            }],
            ..Channels::default()
        },
        tx,
    );
    let links = ShareLinks {
        links: (0..2)
            .map(|i| Link {
                id: format!("i{i}"),
                label: format!("L{i}"),
                url: format!("https://relink.example/s/tok{i}/"),
            })
            .collect(),
        missing: Some("2 links are open already".into()),
    };
    d.deliver_linked(group(3), &links);
    let (_, _, ok, detail) = next(&mut rx, Duration::from_secs(20)).await;
    assert!(ok, "{detail}");
    let bodies = task.await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert!(body["share_url"].is_null(), "{body}");
    assert_eq!(body["share_urls"]["i1"], "https://relink.example/s/tok1/");
    assert_eq!(body["share_urls"].as_object().unwrap().len(), 2);
    let runbook = body["runbook"].as_str().unwrap();
    assert!(
        runbook.contains("\nscan to relink: L0 https://relink.example/s/tok0/\nscan to relink: L1")
            && runbook.ends_with("\n1 without a relink link: 2 links are open already"),
        "{runbook}"
    );
}
