//! Alert channels of issue 20 through the real `wadash watch` against the
//! sandbox: a real `apprise` delivering through its `json://` URL, and the
//! Discord and ntfy webhook bodies, each to a local receiver; a channel's
//! `match` keeps one shop's alerts to that shop's channel; every trouble
//! alert carries its runbook line.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::debs::ensure_debs;
use crate::common::receiver::{self, Received};
use crate::common::sandbox::{Env, env_with};
use crate::common::watch::{KEY_VAR, Watch};

/// Instances as (id, label, tag), on the sandbox's account.
pub fn shop_config(base_url: &str, shops: &[(&str, &str, &str)], alerts: &str) -> String {
    let mut text = format!(
        "[[account]]\nname = \"sandbox\"\nbase_url = \"{base_url}\"\napi_key_env = \"{KEY_VAR}\"\n\n"
    );
    for (id, label, tag) in shops {
        text.push_str(&format!(
            "[[instance]]\nid = \"{id}\"\nlabel = \"{label}\"\ntags = [\"{tag}\"]\n\n"
        ));
    }
    text.push_str(alerts);
    text
}

/// Two linked instances of the sandbox.
pub async fn two_linked() -> (Env, String, String) {
    let env = env_with(|o| o.instances = 8).await;
    let active: Vec<String> = env
        .sandbox
        .instances
        .iter()
        .filter(|i| i.active)
        .map(|i| i.id.clone())
        .collect();
    assert!(active.len() >= 2, "the sandbox links at least two of eight");
    (env, active[0].clone(), active[1].clone())
}

pub async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn texts(got: &Received, path: &str, field: &str) -> Vec<String> {
    got.at(path)
        .iter()
        .map(|b| b[field].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn apprise_and_the_discord_and_ntfy_formats_page_only_their_shop() {
    ensure_debs(&["apprise"]);
    let (env, lima, cusco) = two_linked().await;
    let (url, got) = receiver::start().await;
    let hostport = url.trim_start_matches("http://");
    let alerts = format!(
        r#"[alerts]
after = 2
resolve_after = 1
group_window = "1s"

[[alerts.apprise]]
name = "lima-shop"
urls = ["json://{hostport}/apprise-lima"]
match = "tag:lima"
runbook = "the phone is at the Lima counter: wadash qr {{id}} --wait"

[[alerts.webhook]]
url = "{url}/discord-cusco"
format = "discord"
match = "tag:cusco"

[[alerts.webhook]]
url = "{url}/ntfy/wadash-all"
format = "ntfy"
"#
    );
    let config = shop_config(
        &env.sandbox.base_url(),
        &[
            (&lima, "Tienda Lima", "lima"),
            (&cusco, "Tienda Cusco", "cusco"),
        ],
        &alerts,
    );
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&lima, "drop").await;
    env.control(&cusco, "drop").await;
    wait_until("both downs everywhere", Duration::from_secs(40), || {
        got.at("/apprise-lima").len() == 1
            && got.at("/discord-cusco").len() == 1
            && got.at("/ntfy/").len() == 2
    })
    .await;

    // Apprise's json:// body: title, type, and our body from stdin.
    let a = &got.at("/apprise-lima")[0];
    assert_eq!(a["type"], "failure", "{a}");
    assert_eq!(a["title"], "wadash down: Tienda Lima (inactive)", "{a}");
    let message = a["message"].as_str().unwrap();
    assert!(message.contains(&format!("id: {lima}")), "{message}");
    assert!(
        message.contains(&format!(
            "what to do: the phone is at the Lima counter: wadash qr {lima} --wait"
        )),
        "{message}"
    );

    let d = &got.at("/discord-cusco")[0];
    let content = d["content"].as_str().unwrap();
    assert!(
        content.contains("down: Tienda Cusco (inactive)"),
        "{content}"
    );
    assert!(
        content.contains(&format!("what to do: relink: wadash qr {cusco} --wait")),
        "the default runbook: {content}"
    );
    assert_eq!(d["allowed_mentions"]["parse"], Value::Array(Vec::new()));

    let topics = texts(&got, "/ntfy/", "topic");
    assert_eq!(topics, vec!["wadash-all", "wadash-all"]);
    let n = &got.at("/ntfy/")[0];
    assert_eq!(
        (n["priority"].as_i64(), n["title"].as_str()),
        (Some(4), Some("wadash: down"))
    );

    // The lima shop's channel never heard of cusco, and the reverse.
    for (path, body) in got.all() {
        let text = body.to_string();
        if path == "/apprise-lima" {
            assert!(!text.contains(&cusco) && !text.contains("Cusco"), "{text}");
        }
        if path == "/discord-cusco" {
            assert!(!text.contains(&lima) && !text.contains("Lima"), "{text}");
        }
        assert!(!text.contains(&env.sandbox.api_key), "the key in {path}");
    }

    env.control(&lima, "scan").await;
    wait_until("lima's up through apprise", Duration::from_secs(30), || {
        got.at("/apprise-lima").len() == 2
    })
    .await;
    let up = &got.at("/apprise-lima")[1];
    assert_eq!(up["type"], "success", "{up}");
    assert!(
        up["title"]
            .as_str()
            .unwrap()
            .starts_with("wadash up: Tienda Lima"),
        "{up}"
    );
    assert!(
        !up["message"].as_str().unwrap().contains("what to do"),
        "{up}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        got.at("/discord-cusco").len(),
        1,
        "lima's up is not cusco's"
    );
    w.signal(nix::sys::signal::Signal::SIGTERM);
    w.wait_exit(Duration::from_secs(10)).expect("watch exits");
}
