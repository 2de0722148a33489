//! `[[alerts.alertmanager]]` against Debian's real `prometheus-alertmanager`,
//! started here on loopback with its own config: its webhook receiver is a
//! local server in this test. An instance drops: Alertmanager's API shows
//! it firing (re-sent, `endsAt` moving ahead) with its labels and runbook,
//! then resolved after the relink; a silence made in Alertmanager is
//! honoured by its own routing (the receiver never hears of that instance).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::channels::{shop_config, two_linked, wait_until};
use crate::common::debs::ensure_debs;
use crate::common::local_server::free_port;
use crate::common::receiver::{self, Received};
use crate::common::watch::Watch;

pub struct Alertmanager {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_alertmanager(webhook: &str) -> Alertmanager {
    ensure_debs(&["prometheus-alertmanager"]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("alertmanager.yml");
    std::fs::write(
        &config,
        format!(
            "route:\n  receiver: test\n  group_by: ['alertname', 'id']\n  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n\
             receivers:\n  - name: test\n    webhook_configs:\n      - url: '{webhook}'\n        send_resolved: true\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let child = Command::new("prometheus-alertmanager")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.path={}",
            dir.path().join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        // No gossip: one instance, no port beyond the API.
        .arg("--cluster.listen-address=")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("prometheus-alertmanager starts");
    let am = Alertmanager {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    };
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(r) = http.get(format!("{}/-/ready", am.url)).send().await
            && r.status().is_success()
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(ready, "alertmanager did not become ready");
    am
}

pub async fn alerts(am: &Alertmanager) -> Vec<Value> {
    let v: Value = reqwest::get(format!("{}/api/v2/alerts", am.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v.as_array().cloned().unwrap_or_default()
}

pub fn of<'a>(list: &'a [Value], id: &str) -> Option<&'a Value> {
    list.iter().find(|a| a["labels"]["id"] == id)
}

/// An alert's `endsAt`, to the second.
pub fn ends_at(alert: &Value) -> SystemTime {
    let text = alert["endsAt"].as_str().unwrap_or_default();
    let seconds = text.split(['.', 'Z']).next().unwrap_or_default();
    humantime::parse_rfc3339_weak(seconds).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Whether Alertmanager has it as firing now (listed and not past its end).
pub fn firing(list: &[Value], id: &str) -> bool {
    of(list, id).is_some_and(|a| ends_at(a) > SystemTime::now())
}

/// Every alert any webhook notification carried, with its status.
fn notified(got: &Received) -> Vec<(String, String)> {
    notified_alerts(got)
        .iter()
        .map(|a| {
            (
                a["labels"]["id"].as_str().unwrap_or_default().to_string(),
                a["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn notified_alerts(got: &Received) -> Vec<Value> {
    got.at("/am")
        .iter()
        .flat_map(|n| n["alerts"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn alertmanager_fires_resolves_and_its_silence_holds() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (recv_url, got) = receiver::start().await;
    let am = start_alertmanager(&format!("{recv_url}/am")).await;
    let (env, quiet, loud) = two_linked().await;

    // A planned job on `quiet`: silenced in Alertmanager, not in wadash.
    let now = SystemTime::now();
    let silence = json!({
        "matchers": [{"name": "id", "value": quiet, "isRegex": false, "isEqual": true}],
        "startsAt": humantime::format_rfc3339_seconds(now - Duration::from_secs(60)).to_string(),
        "endsAt": humantime::format_rfc3339_seconds(now + Duration::from_secs(3600)).to_string(),
        "createdBy": "wadash test",
        "comment": "phone being replaced",
    });
    let r = reqwest::Client::new()
        .post(format!("{}/api/v2/silences", am.url))
        .json(&silence)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success(),
        "silence: {}",
        r.text().await.unwrap()
    );

    let alerts_cfg = format!(
        "[alerts]\nafter = 2\nresolve_after = 1\ngroup_window = \"1s\"\n\n\
         [[alerts.alertmanager]]\nurl = \"{}\"\nresend = \"3s\"\n",
        am.url
    );
    let config = shop_config(
        &env.sandbox.base_url(),
        &[
            (&quiet, "Tienda Quieta", "north"),
            (&loud, "Tienda Ruidosa", "south"),
        ],
        &alerts_cfg,
    );
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&quiet, "drop").await;
    env.control(&loud, "drop").await;

    let mut list = Vec::new();
    for _ in 0..200 {
        list = alerts(&am).await;
        if firing(&list, &quiet) && firing(&list, &loud) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(firing(&list, &quiet) && firing(&list, &loud), "{list:?}");
    let a = of(&list, &loud).unwrap();
    assert_eq!(a["labels"]["alertname"], "WadashInstanceDown", "{a}");
    assert_eq!(a["labels"]["label"], "Tienda Ruidosa");
    assert_eq!(a["labels"]["account"], "sandbox");
    assert_eq!(a["labels"]["tags"], ",south,");
    assert_eq!(
        a["annotations"]["runbook"],
        format!("relink: wadash qr {loud} --wait")
    );
    assert_eq!(
        a["annotations"]["summary"],
        "down: Tienda Ruidosa (inactive)"
    );
    assert_eq!(a["status"]["state"], "active");
    assert_eq!(of(&list, &quiet).unwrap()["status"]["state"], "suppressed");

    // Re-sent while firing: its end keeps moving ahead.
    let first_end = ends_at(a);
    let mut moved = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let l = alerts(&am).await;
        if of(&l, &loud).is_some_and(|a| ends_at(a) > first_end) {
            moved = true;
            break;
        }
    }
    assert!(moved, "not re-sent: endsAt stayed {first_end:?}");

    wait_until(
        "the receiver hears of the loud one",
        Duration::from_secs(20),
        || notified(&got).contains(&(loud.clone(), "firing".into())),
    )
    .await;

    // Resolved by wadash, not by running out: it ends before this.
    let would_run_out = ends_at(of(&alerts(&am).await, &loud).unwrap());
    env.control(&quiet, "scan").await;
    env.control(&loud, "scan").await;
    let mut resolved = false;
    for _ in 0..150 {
        let l = alerts(&am).await;
        if !firing(&l, &loud) && !firing(&l, &quiet) {
            resolved = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        resolved,
        "still firing after the relink: {:?}",
        alerts(&am).await
    );
    wait_until(
        "the receiver hears it resolved",
        Duration::from_secs(20),
        || notified(&got).contains(&(loud.clone(), "resolved".into())),
    )
    .await;
    let resolved_alert = notified_alerts(&got)
        .into_iter()
        .find(|a| a["labels"]["id"] == loud.as_str() && a["status"] == "resolved")
        .unwrap();
    assert!(
        ends_at(&resolved_alert) < would_run_out,
        "it ran out instead of being resolved: {resolved_alert}"
    );
    // Alertmanager's own silence kept the quiet shop quiet, firing and resolved.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let heard = notified(&got);
    assert!(
        !heard.iter().any(|(id, _)| *id == quiet),
        "the silenced instance reached the receiver: {heard:?}"
    );
    w.signal(nix::sys::signal::Signal::SIGTERM);
    w.wait_exit(Duration::from_secs(10)).expect("watch exits");
}
