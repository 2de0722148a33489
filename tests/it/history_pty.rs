//! The dashboard in a real pty with a real store: after a restart, the
//! uptime column and the `h` pane show what the previous run recorded.

use std::time::Duration;

use crate::common::pty::PtySession;
use crate::common::store_fixture::StoreFixture;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn uptime_column_and_history_pane_show_stored_periods_after_a_restart() {
    let fixture = StoreFixture::new();
    let (rt, sandbox, target) = (&fixture.rt, &fixture.sandbox, &fixture.target);
    let cfg = fixture.cfg();
    let args = ["--config", cfg, "--interval", "1s", "--lang", "en"];

    // Run 1: see it active, drop it, see it inactive, quit.
    let mut s = PtySession::spawn(&args, &[], 110, 30);
    s.wait_for("statuses", WAIT, |sc| {
        sc.contains("● active") && !sc.contains("checking") && !sc.contains('◌')
    });
    let drop_url = format!(
        "{}/_sandbox/instances/{}/drop",
        sandbox.base_url(),
        target.id
    );
    rt.block_on(async { reqwest::Client::new().post(&drop_url).send().await.unwrap() });
    s.wait_for("the drop", WAIT, |sc| {
        sc.lines()
            .any(|l| l.contains(&target.label) && l.contains("○ inactive"))
    });
    std::thread::sleep(Duration::from_millis(1500));
    s.send("q");
    assert!(s.wait_exit(WAIT).success());

    // Run 2: the column and the pane come from the store.
    let mut s = PtySession::spawn(&args, &[], 110, 30);
    let screen = s.wait_for("stored uptime in the column", WAIT, |sc| {
        sc.contains("Up 24h")
            && sc
                .lines()
                .any(|l| l.contains(&target.label) && l.contains('%'))
    });
    let line = screen.lines().find(|l| l.contains(&target.label)).unwrap();
    assert!(!line.contains("100.0%"), "it was down for a while: {line}");
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let pct = tokens.iter().position(|t| t.ends_with('%')).unwrap();
    assert_eq!(tokens[pct + 1], "1", "one drop in the Drops column: {line}");
    // Select the dropped instance (inactive rows sort first) and open `h`.
    s.send("/");
    s.send(&target.label);
    s.send("\r");
    s.send("h");
    let pane = s.wait_for("the history pane", WAIT, |sc| {
        sc.contains("History") && sc.contains("inactive") && sc.contains("active")
    });
    assert!(pane.contains("dropped 1×"), "{pane}");
    assert!(pane.contains("Esc/h"), "keys in the bar: {pane}");
    s.send("\x1b");
    // Esc and q in one read would be Alt+q: wait for the pane to close.
    s.wait_for("the pane to close", WAIT, |sc| sc.contains("Details"));
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
    drop(fixture);
}
