//! The shipped assets say what they should: the Grafana dashboard queries
//! only families `wadash watch` really exposes (read from a live scrape of
//! the metrics encoder, not a hand-kept list), the unit restarts and
//! reloads, the image runs `watch`.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use wadash::domain::Health;
use wadash::metrics::{InstanceIdentity, Metrics};

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every metric name a scrape can hold (histogram series included).
fn exposed() -> BTreeSet<String> {
    let m = Metrics::new();
    m.set_instance(InstanceIdentity {
        id: "A".into(),
        label: "a".into(),
        account: "main".into(),
        tags: vec![],
    });
    m.observe_check(
        "A",
        "main",
        "active",
        Duration::from_millis(5),
        Health::Active,
        SystemTime::now(),
    );
    m.set_cycle(Duration::from_secs(1));
    m.alert("down", "hook", true);
    m.encode()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(['{', ' ']).next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_grafana_dashboard_queries_real_families() {
    let dash: serde_json::Value =
        serde_json::from_str(&read("assets/grafana/wadash.json")).unwrap();
    let panels = dash["panels"].as_array().unwrap();
    let kinds: BTreeSet<&str> = panels.iter().filter_map(|p| p["type"].as_str()).collect();
    assert!(
        kinds.contains("state-timeline") && kinds.contains("stat"),
        "{kinds:?}"
    );
    let exposed = exposed();
    let mut used = BTreeSet::new();
    for panel in panels {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if word.starts_with("wadash_") {
                    assert!(
                        exposed.contains(word),
                        "{word} in {expr:?} is not exposed: {exposed:?}"
                    );
                    used.insert(word.to_string());
                }
            }
        }
    }
    for wanted in [
        "wadash_instance_up",
        "wadash_check_duration_seconds_bucket",
        "wadash_alerts_total",
        "wadash_cycle_seconds",
    ] {
        assert!(used.contains(wanted), "the dashboard shows {wanted}");
    }
}

#[test]
fn the_unit_and_the_image_run_watch() {
    let unit = read("assets/systemd/wadash-watch.service");
    for line in [
        "Restart=on-failure",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "WantedBy=default.target",
    ] {
        assert!(unit.lines().any(|l| l.trim() == line), "{line}");
    }
    assert!(unit.contains("wadash watch --metrics 127.0.0.1:9469"));
    let docker = read("Dockerfile");
    assert!(docker.contains(r#"ENTRYPOINT ["/usr/local/bin/wadash", "watch"]"#));
    assert!(docker.contains("--metrics-public"));
}
