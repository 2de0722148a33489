//! The header names the achieved cycle when the interval cannot be met,
//! and stays quiet when it is: measured by `update` from real answers.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::tests::{app_with, status_done};
use crate::app::{App, update};
use crate::domain::InstanceStatus;
use crate::i18n::Lang;
use crate::ui::{Theme, draw};

fn header(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    app.settle();
    terminal
        .draw(|f| {
            draw(f, app, &Theme::new(false));
        })
        .unwrap();
    let text = terminal.backend().to_string();
    text.lines().next().unwrap_or_default().to_string()
}

/// Three scheduled answers for every instance, `gap` apart.
fn polled_every(gap: Duration, lang: Lang) -> App {
    let t0 = Instant::now();
    let mut app = app_with(4, 16, t0);
    app.lang = lang;
    for round in 0..3u32 {
        let at = t0 + gap * round;
        for i in 0..4 {
            update(
                &mut app,
                status_done(&format!("ID{i:03}"), at, InstanceStatus::Active),
            );
        }
    }
    app
}

#[test]
fn a_cycle_slower_than_the_interval_shows_in_the_header() {
    // The interval is 10 s; every instance came round only every 30 s.
    let mut app = polled_every(Duration::from_secs(30), Lang::En);
    assert_eq!(app.monitor.cycle.achieved, Some(Duration::from_secs(30)));
    let line = header(&mut app);
    assert!(line.contains("every 10s (cycle 30s)"), "{line}");
    let mut app = polled_every(Duration::from_secs(30), Lang::Es);
    let line = header(&mut app);
    assert!(line.contains("(ciclo 30s)"), "{line}");
}

#[test]
fn a_cycle_that_meets_the_interval_is_not_mentioned() {
    let mut app = polled_every(Duration::from_secs(10), Lang::En);
    assert_eq!(app.monitor.cycle.achieved, Some(Duration::from_secs(10)));
    let line = header(&mut app);
    assert!(
        line.contains("every 10s") && !line.contains("cycle"),
        "{line}"
    );
}
