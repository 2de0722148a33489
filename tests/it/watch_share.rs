//! `watch --public-url`: a real `wadash watch` with `--metrics` against the
//! sandbox; an instance drops; the JSON webhook receiver, a hook and a real
//! `apprise` get the down alert with a one-time link; the link, fetched through the watch
//! listener under the public name, is the page with the instance's current
//! code; `--share-max` bounds the links (the second down says why it has
//! none); after the sandbox's scan route the link answers 404; `/metrics`
//! still works and an unknown `Host` still gets 421.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::debs::ensure_debs;
use crate::common::local_server::free_port;
use crate::common::receiver;
use crate::common::sandbox::{env_with, read_qr_png};
use crate::common::watch::{Watch, config_text};

/// The name people open (a reverse proxy's); resolved to loopback here.
const PUBLIC_HOST: &str = "relink.example";

async fn wait_for<T>(what: &str, limit: Duration, mut found: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = found() {
            return v;
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn downs_for(got: &receiver::Received, id: &str) -> Vec<Value> {
    got.at("/hook")
        .into_iter()
        .filter(|b| b["event"] == "down" && b["id"] == id)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_down_alert_carries_a_link_to_the_live_qr_served_by_watch() {
    ensure_debs(&["apprise"]);
    let env = env_with(|o| {
        o.instances = 4;
        o.qr_rotate = Duration::from_secs(3600);
    })
    .await;
    let ids: Vec<String> = env
        .sandbox
        .instances
        .iter()
        .filter(|i| i.active)
        .take(2)
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(ids.len(), 2, "two linked instances to drop");
    let (first, second) = (&ids[0], &ids[1]);
    let (recv_url, got) = receiver::start().await;
    let hooks = tempfile::tempdir().unwrap();
    let script = format!(
        "printf '%s' \"$WADASH_SHARE_URL\" > \"{dir}/$WADASH_EVENT-$WADASH_ID.url\"",
        dir = hooks.path().display()
    );
    let config = format!(
        "{}[ui]\nqr_refresh = \"1s\"\n\n[alerts]\nafter = 2\nresolve_after = 2\ngroup_window = \"1s\"\n\n\
         [[alerts.webhook]]\nurl = \"{recv_url}/hook\"\n\n\
         [[alerts.hook]]\ncommand = [\"/bin/sh\", \"-c\", {script:?}]\n\n\
         [[alerts.apprise]]\nurls = [\"json://{hostport}/apprise\"]\n",
        config_text(&env.sandbox.base_url(), &ids, ""),
        hostport = recv_url.trim_start_matches("http://"),
    );
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let public = format!("http://{PUBLIC_HOST}:{port}/");
    let mut w = Watch::spawn(
        &config,
        &env.sandbox.api_key,
        &[
            "--interval",
            "1s",
            "--metrics",
            &listen,
            "--public-url",
            &public,
            "--share-for",
            "5m",
            "--share-max",
            "1",
        ],
    );
    let metrics_url = w.metrics_url();
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    let addr: SocketAddr = listen.parse().unwrap();
    let http = reqwest::Client::builder()
        .resolve(PUBLIC_HOST, addr)
        .resolve("evil.example", addr)
        .build()
        .unwrap();

    // The first drop: the alert carries a link under the public URL.
    env.control(first, "drop").await;
    let down = wait_for("the down webhook", Duration::from_secs(30), || {
        downs_for(&got, first).into_iter().next()
    })
    .await;
    let link = down["share_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no share_url in {down}"))
        .to_string();
    assert!(link.starts_with(&format!("{public}s/")), "{link}");
    let runbook = down["runbook"].as_str().unwrap();
    assert!(
        runbook.contains(&format!("scan to relink: {link}")),
        "{runbook}"
    );
    let hook_file = hooks.path().join(format!("down-{first}.url"));
    let from_hook = wait_for(
        "the hook's WADASH_SHARE_URL",
        Duration::from_secs(15),
        || std::fs::read_to_string(&hook_file).ok(),
    )
    .await;
    assert_eq!(from_hook, link);
    // A text channel (a real apprise): the line after the runbook.
    let through_apprise = wait_for("the apprise down", Duration::from_secs(30), || {
        got.at("/apprise").into_iter().find(|b| {
            b["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("id: {first}")))
        })
    })
    .await;
    let message = through_apprise["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("· scan to relink: {link}")),
        "{message}"
    );

    // Through the watch listener: the page, and the code the sandbox issued.
    let page = http.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let body = page.text().await.unwrap();
    assert!(body.contains("Número 0"), "{body}");
    assert!(
        !body.contains(&env.sandbox.api_key),
        "the key reached the page"
    );
    let png = wait_png(&http, &link).await;
    let state = env.state(first).await;
    assert_eq!(read_qr_png(&png), state["qr_text"].as_str().unwrap());

    // The log names the share with its token masked; never the link itself.
    w.wait_line("the share_opened line", Duration::from_secs(10), |l| {
        l.contains("share_opened") && l.contains(&format!("id={first}"))
    });
    let token = link.trim_end_matches('/').rsplit('/').next().unwrap();
    assert!(!w.stderr().contains(token), "the token reached the log");

    // A second drop while the one link allowed is open: no link, and why.
    env.control(second, "drop").await;
    let down2 = wait_for("the second down", Duration::from_secs(30), || {
        downs_for(&got, second).into_iter().next()
    })
    .await;
    assert!(down2["share_url"].is_null(), "{down2}");
    let why = down2["runbook"].as_str().unwrap();
    assert!(
        why.contains("no relink link: 1 links are open already (watch --share-max 1)"),
        "{why}"
    );

    // /metrics on the same listener, and an unknown Host refused as before.
    let scrape = http.get(&metrics_url).send().await.unwrap();
    assert_eq!(scrape.status(), 200);
    assert!(scrape.text().await.unwrap().contains("wadash_"));
    let evil = http
        .get(format!("http://evil.example:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 421);
    let evil_share = http
        .get(link.replace(PUBLIC_HOST, "evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(evil_share.status(), 421);

    // The phone scans: the link stops working.
    env.control(first, "scan").await;
    let start = Instant::now();
    loop {
        let status = http.get(&link).send().await.unwrap().status();
        if status == 404 {
            break;
        }
        assert_eq!(status, 200);
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "the link still works after the scan"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // The up carries no link.
    let up = wait_for("the up webhook", Duration::from_secs(30), || {
        got.at("/hook")
            .into_iter()
            .find(|b| b["event"] == "up" && b["id"] == first.as_str())
    })
    .await;
    assert!(up["share_url"].is_null(), "{up}");
    let up_url = hooks.path().join(format!("up-{first}.url"));
    let from_up = wait_for("the up hook", Duration::from_secs(15), || {
        std::fs::read_to_string(&up_url).ok()
    })
    .await;
    assert_eq!(from_up, "", "the up hook got a link");
}

/// The page's picture, once the live loop has fetched the first code.
async fn wait_png(http: &reqwest::Client, link: &str) -> Vec<u8> {
    let start = Instant::now();
    loop {
        let resp = http.get(format!("{link}qr.png")).send().await.unwrap();
        if resp.status() == 200 {
            return resp.bytes().await.unwrap().to_vec();
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no picture: {}",
            resp.status()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_public_url_alerts_carry_no_link_and_the_log_says_so() {
    let env = env_with(|o| o.instances = 2).await;
    let id = env.id(true);
    let (recv_url, got) = receiver::start().await;
    let config = format!(
        "{}[alerts]\nafter = 2\ngroup_window = \"1s\"\n\n[[alerts.webhook]]\nurl = \"{recv_url}/hook\"\n",
        config_text(&env.sandbox.base_url(), std::slice::from_ref(&id), "")
    );
    let mut w = Watch::spawn(
        &config,
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    // `config check` says where the links come from (they are a flag, not a key).
    let checked = std::process::Command::new(crate::common::watch::BIN)
        .args(["config", "check"])
        .env("WADASH_CONFIG", &w.config)
        .env(crate::common::watch::KEY_VAR, &env.sandbox.api_key)
        .env("HOME", w.home.path())
        .env("XDG_CONFIG_HOME", w.home.path().join("cfg"))
        .env("XDG_STATE_HOME", w.home.path().join("state"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        said.contains(
            "relink links in down alerts come from `wadash watch --metrics ADDR --public-url URL`"
        ),
        "{said}"
    );
    w.wait_line("the links-off line", Duration::from_secs(20), |l| {
        l.contains("relink_links_off") && l.contains("--public-url")
    });
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    let down = wait_for("the down webhook", Duration::from_secs(30), || {
        downs_for(&got, &id).into_iter().next()
    })
    .await;
    assert!(down["share_url"].is_null(), "{down}");
    assert!(
        !down["runbook"].as_str().unwrap().contains("relink link"),
        "{down}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_ends_after_share_for_and_the_next_reminder_brings_a_new_one() {
    let env = env_with(|o| {
        o.instances = 2;
        o.qr_rotate = Duration::from_secs(3600);
    })
    .await;
    let id = env.id(true);
    let (recv_url, got) = receiver::start().await;
    let config = format!(
        "{}[alerts]\nafter = 2\ngroup_window = \"1s\"\nremind_every = \"6s\"\n\n\
         [[alerts.webhook]]\nurl = \"{recv_url}/hook\"\n",
        config_text(&env.sandbox.base_url(), std::slice::from_ref(&id), "")
    );
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let public = format!("http://127.0.0.1:{port}/");
    let mut w = Watch::spawn(
        &config,
        &env.sandbox.api_key,
        &[
            "--interval",
            "1s",
            "--metrics",
            &listen,
            "--public-url",
            &public,
            "--share-for",
            "3s",
        ],
    );
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    let link_of = |kind: &str| {
        got.at("/hook")
            .into_iter()
            .find(|b| b["event"] == kind)
            .map(|b| b["share_url"].as_str().unwrap_or_default().to_string())
    };
    let first = wait_for("the down", Duration::from_secs(30), || link_of("down")).await;
    assert!(first.starts_with(&public), "{first:?}");
    assert_eq!(reqwest::get(&first).await.unwrap().status(), 200);
    // --share-for 3s: the link stops working while the number is still down.
    let start = Instant::now();
    while reqwest::get(&first).await.unwrap().status() != 404 {
        assert!(start.elapsed() < Duration::from_secs(10), "still served");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The reminder comes with a fresh link, which works.
    let second = wait_for("the reminder", Duration::from_secs(30), || {
        link_of("reminder")
    })
    .await;
    assert!(second.starts_with(&public), "{second:?}");
    assert_ne!(second, first);
    assert_eq!(reqwest::get(&second).await.unwrap().status(), 200);
}
