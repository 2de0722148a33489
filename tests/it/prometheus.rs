//! The real thing: Debian's Prometheus scraping a real `wadash watch`
//! against the sandbox, asserted through Prometheus's HTTP API; and
//! promtool on the shipped rules. Installs `prometheus` when missing
//! (scripts/lib/ensure-prometheus.sh: root, or a clear failure).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::common::local_server::free_port;
use crate::common::sandbox::env_with;
use crate::common::watch::{Watch, config_text};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(60);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// prometheus and promtool on PATH, installed from Debian when missing.
fn ensure_prometheus() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let out = Command::new(root().join("scripts/lib/ensure-prometheus.sh"))
            .output()
            .expect("scripts/lib/ensure-prometheus.sh runs");
        assert!(
            out.status.success(),
            "Prometheus is needed for this test and could not be installed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

fn promtool(args: &[&str], dir: &Path) -> String {
    let out = Command::new("promtool")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("promtool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "promtool {args:?} failed:\n{text}");
    text
}

#[test]
fn the_shipped_rules_and_config_pass_promtool() {
    ensure_prometheus();
    let dir = root().join("assets/prometheus");
    let checked = promtool(&["check", "rules", "wadash.rules.yml"], &dir);
    assert!(checked.contains("SUCCESS: 5 rules found"), "{checked}");
    let tested = promtool(&["test", "rules", "wadash.rules.test.yml"], &dir);
    assert!(tested.contains("SUCCESS"), "{tested}");
    promtool(&["check", "config", "prometheus.yml"], &dir);
}

struct Prometheus {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_prometheus(target: &str) -> Prometheus {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             scrape_configs:\n  - job_name: wadash\n    static_configs:\n      - targets: [\"{target}\"]\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--storage.tsdb.retention.time=1h")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("prometheus starts");
    Prometheus {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    }
}

impl Prometheus {
    fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("prometheus.log")).unwrap_or_default()
    }

    /// `/api/v1/query` → the result vector, or None while not ready.
    async fn query(&self, http: &reqwest::Client, promql: &str) -> Option<Vec<Value>> {
        let url = url::Url::parse_with_params(
            &format!("{}/api/v1/query", self.url),
            &[("query", promql)],
        )
        .ok()?;
        let resp = http.get(url).send().await.ok()?;
        let body: Value = resp.json().await.ok()?;
        (body["status"] == "success").then(|| body["data"]["result"].as_array().cloned())?
    }

    /// Query until `pred` accepts the result (bounded).
    async fn until(
        &mut self,
        http: &reqwest::Client,
        promql: &str,
        what: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(result) = self.query(http, promql).await
                && pred(&result)
            {
                return result;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("prometheus exited ({status}):\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {WAIT:?}; last: {:?}\nprometheus log:\n{}",
                self.query(http, promql).await,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// id -> value of each series in a result vector.
fn by_id(result: &[Value]) -> std::collections::BTreeMap<String, String> {
    result
        .iter()
        .map(|s| {
            (
                s["metric"]["id"].as_str().unwrap_or_default().to_string(),
                s["value"][1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn prometheus_sees_one_up_series_per_instance_and_a_drop() {
    ensure_prometheus();
    let env = env_with(|o| o.instances = 6).await;
    let ids: Vec<String> = env.sandbox.instances.iter().map(|i| i.id.clone()).collect();
    let mut watch = Watch::spawn(
        &config_text(&env.sandbox.base_url(), &ids, ""),
        &env.sandbox.api_key,
        &["--interval", "1s", "--metrics", "127.0.0.1:0"],
    );
    let url = watch.metrics_url();
    let target = url
        .trim_start_matches("http://")
        .trim_end_matches("/metrics")
        .to_string();
    let mut prom = start_prometheus(&target);
    let http = reqwest::Client::new();

    // The truth, from the sandbox's own state.
    let expected: std::collections::BTreeMap<String, String> = env
        .sandbox
        .instances
        .iter()
        .map(|i| (i.id.clone(), if i.active { "1" } else { "0" }.to_string()))
        .collect();
    assert!(expected.values().any(|v| v == "1") && expected.values().any(|v| v == "0"));
    let result = prom
        .until(
            &http,
            "wadash_instance_up",
            "one series per instance with the sandbox's values",
            |r| by_id(r) == expected,
        )
        .await;
    assert_eq!(result.len(), ids.len());
    for series in &result {
        assert_eq!(series["metric"]["account"], "sandbox");
        assert_eq!(series["metric"]["job"], "wadash");
        assert!(
            series["metric"]["label"]
                .as_str()
                .unwrap()
                .starts_with("Número ")
        );
    }
    // The scrape itself is healthy.
    prom.until(&http, "up{job=\"wadash\"}", "up == 1", |r| {
        r.len() == 1 && r[0]["value"][1] == "1"
    })
    .await;

    // The phone unlinks one: its series turns 0, the others stay.
    let victim = env
        .sandbox
        .instances
        .iter()
        .find(|i| i.active)
        .unwrap()
        .id
        .clone();
    env.control(&victim, "drop").await;
    let mut after = expected.clone();
    after.insert(victim.clone(), "0".into());
    prom.until(
        &http,
        "wadash_instance_up",
        "the dropped instance at 0",
        |r| by_id(r) == after,
    )
    .await;
    let status = prom
        .until(
            &http,
            &format!("wadash_instance_status{{id=\"{victim}\"}}"),
            "its status series",
            |r| r.len() == 1 && r[0]["metric"]["status"] == "inactive",
        )
        .await;
    assert_eq!(status[0]["value"][1], "1");
    prom.until(
        &http,
        &format!("wadash_instance_changes_total{{id=\"{victim}\"}}"),
        "one change counted",
        |r| r.len() == 1 && r[0]["value"][1] == "1",
    )
    .await;
    drop(prom);
    drop(watch);
}
