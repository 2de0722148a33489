//! A down inside a maintenance window is planned time in `report`, as a
//! `D` is: a real `wadash watch` against the sandbox with two windows open
//! now, one-off (RFC 3339 times) and recurring (`daily` in America/Lima),
//! each over one instance; a third instance, under no window, drops at the
//! same time and counts as down. Read back from the real SQLite file by
//! the real `wadash report`.

use std::time::Duration;

use serde_json::Value;

use crate::common::sandbox::env_with;
use crate::common::watch::{BIN, Watch, config_text};
use nix::sys::signal::Signal;

/// `daily HH:MM-HH:MM` around now in `tz`: open half an hour ago, for an hour more.
fn daily_around_now(tz: &str) -> String {
    let now = jiff::Timestamp::now()
        .in_tz(tz)
        .expect("a tz-database zone");
    let at = |minutes: i64| {
        now.checked_add(jiff::SignedDuration::from_mins(minutes))
            .unwrap()
            .strftime("%H:%M")
            .to_string()
    };
    format!("daily {}-{}", at(-30), at(60))
}

#[tokio::test(flavor = "multi_thread")]
async fn report_counts_a_down_inside_a_maintenance_window_as_planned() {
    let env = env_with(|o| o.instances = 8).await;
    let ids: Vec<String> = env
        .sandbox
        .instances
        .iter()
        .filter(|i| i.active)
        .take(3)
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(ids.len(), 3, "the sandbox links at least three of eight");
    let store = tempfile::tempdir().unwrap();
    let db = store.path().join("history.db");
    let rfc = |t: std::time::SystemTime| humantime::format_rfc3339_seconds(t).to_string();
    let now = std::time::SystemTime::now();
    // config_text tags the instances t0, t1, t2 in order.
    let extra = format!(
        "[history]\npath = \"{db}\"\n\n\
         [alerts]\nafter = 2\nresolve_after = 1\n\n\
         [[alerts.maintenance]]\nname = \"router swap\"\nonly = \"tag:t0\"\n\
         start = \"{start}\"\nend = \"{end}\"\n\n\
         [[alerts.maintenance]]\nname = \"nightly backup\"\nonly = \"tag:t1\"\n\
         every = \"{every}\"\ntz = \"America/Lima\"\n",
        db = db.display(),
        start = rfc(now - Duration::from_secs(60)),
        end = rfc(now + Duration::from_secs(3600)),
        every = daily_around_now("America/Lima"),
    );
    let config = format!("{}{extra}", config_text(&env.sandbox.base_url(), &ids, ""));
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    for id in &ids {
        env.control(id, "drop").await;
    }
    tokio::time::sleep(Duration::from_secs(6)).await;
    for id in &ids {
        env.control(id, "scan").await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    w.signal(Signal::SIGTERM);
    let status = w.wait_exit(Duration::from_secs(10)).expect("watch exits");
    assert_eq!(status.code(), Some(0), "{}", w.stderr());

    let out = std::process::Command::new(BIN)
        .arg("--config")
        .arg(&w.config)
        .args(["report", "--format", "json", "--since", "1h"])
        .env("HOME", w.home.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_str(&said).unwrap();
    let row = |id: &str| {
        report
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {report:#}"))
    };
    for id in &ids[..2] {
        let r = row(id);
        assert_eq!(r["down_s"], 0, "inside a window: {r:#}");
        assert_eq!(r["drops"], 0, "inside a window: {r:#}");
        assert!(r["planned_s"].as_u64().unwrap() >= 4, "{r:#}");
        assert_eq!(r["uptime_pct"], 100.0, "{r:#}");
    }
    let outside = row(&ids[2]);
    assert!(outside["down_s"].as_u64().unwrap() >= 4, "{outside:#}");
    assert_eq!(outside["drops"], 1, "{outside:#}");
    assert_eq!(outside["planned_s"], 0, "{outside:#}");
}
