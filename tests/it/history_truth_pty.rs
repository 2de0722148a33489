//! One truth in the real dashboard: for the selected instance, the list's
//! "Up 24h" and "Drops" columns and the details pane's figures are the
//! same numbers, and they agree with `wadash report` on the same store.

use std::time::Duration;

use crate::common::pty::PtySession;
use crate::common::store_fixture::StoreFixture;

const WAIT: Duration = Duration::from_secs(30);
const BIN: &str = env!("CARGO_BIN_EXE_wadash");

#[test]
fn columns_details_and_report_read_the_same_uptime_and_drops() {
    let fixture = StoreFixture::new();
    let (rt, sandbox, target) = (&fixture.rt, &fixture.sandbox, &fixture.target);
    let cfg = fixture.cfg();
    let args = ["--config", cfg, "--interval", "1s", "--lang", "en"];
    let post = |action: &str| {
        let url = format!(
            "{}/_sandbox/instances/{}/{action}",
            sandbox.base_url(),
            target.id
        );
        rt.block_on(async { reqwest::Client::new().post(&url).send().await.unwrap() });
    };

    let mut s = PtySession::spawn(&args, &[], 160, 32);
    s.wait_for("statuses", WAIT, |sc| {
        sc.contains("● active") && !sc.contains("checking")
    });
    std::thread::sleep(Duration::from_secs(2));
    post("drop");
    s.wait_for("the drop", WAIT, |sc| {
        sc.lines()
            .any(|l| l.contains(&target.label) && l.contains("○ inactive"))
    });
    std::thread::sleep(Duration::from_secs(2));
    post("scan");
    s.send("/");
    s.send(&target.label);
    s.send("\r");
    // The columns are asked again after the change (not a minute later),
    // and the selected row's pane and columns show one summary.
    let screen = s.wait_for("the drop in the column and the pane", WAIT, |sc| {
        sc.contains("dropped 1×")
            && sc
                .lines()
                .any(|l| l.contains(&target.label) && l.contains("● active") && l.contains('%'))
    });
    let line = screen
        .lines()
        .find(|l| l.contains(&target.label) && l.contains('%'))
        .unwrap();
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let at = tokens.iter().position(|t| t.ends_with('%')).unwrap();
    let (column_pct, column_drops) = (tokens[at], tokens[at + 1]);
    assert_eq!(column_drops, "1", "{screen}");
    let pane_pct = screen
        .split("24h ")
        .skip(1)
        .find_map(|rest| rest.split_whitespace().next().filter(|t| t.ends_with('%')))
        .unwrap_or_else(|| panic!("no 24h figure in the pane:\n{screen}"));
    assert_eq!(column_pct, pane_pct, "{screen}");
    s.send("q");
    assert!(s.wait_exit(WAIT).success());

    let out = std::process::Command::new(BIN)
        .args(["--config", cfg, "report", "--format", "json", &target.id])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report[0]["drops"], 1, "{report:#}");
    drop(fixture);
}
