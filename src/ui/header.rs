use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::state::App;
use crate::domain::Health;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let [active, inactive, error, unknown, unchecked] = app.counts();
    let server = match app.monitor.accounts.as_slice() {
        [] => String::new(),
        [one] => format!("{} @ {}", one.name, crate::url_secret::host(&one.base_url)),
        many => format!("{} {}", many.len(), s.accounts_word),
    };
    let mut spans = vec![Span::styled(" wadash ", theme.title())];
    // Near the start: at 80 columns the end of the line is cut off.
    if app.read_only {
        spans.push(Span::styled(format!("[{}] ", s.read_only), theme.info()));
    }
    spans.extend([
        Span::raw(format!("{server}  ")),
        Span::styled(format!("● {active}"), theme.health(Health::Active)),
        Span::raw(" "),
        Span::styled(format!("○ {inactive}"), theme.health(Health::Inactive)),
        Span::raw(" "),
        Span::styled(format!("! {error}"), theme.health(Health::Error)),
        Span::raw(" "),
        Span::styled(format!("? {unknown}"), theme.health(Health::Unknown)),
    ]);
    if unchecked > 0 {
        spans.push(Span::styled(format!(" · {unchecked}"), theme.dim()));
    }
    spans.push(Span::raw("  "));
    if app.monitor.polling.paused {
        spans.push(Span::styled(s.paused, theme.error()));
    } else {
        spans.push(Span::raw(format!(
            "⟳ {} {}",
            s.polling_every,
            super::format::ago(app.monitor.polling.interval)
        )));
        // The interval cannot be met (N×L÷C, a slow server, pacing): say
        // how long a round of checks really takes.
        if app.monitor.cycle.is_slow(app.monitor.polling.interval)
            && let Some(achieved) = app.monitor.cycle.achieved
        {
            spans.push(Span::styled(
                format!(" ({} {})", s.cycle_slow, cycle_text(achieved)),
                theme.error(),
            ));
        }
    }
    spans.push(Span::styled(
        format!("  {} {}", app.monitor.polling.in_flight, s.in_flight),
        theme.dim(),
    ));
    let slow = app.monitor.lanes.waiting_on_slow();
    if slow > 0 {
        spans.push(Span::styled(
            format!(" ({slow} {})", s.waiting_on_slow),
            theme.health(Health::Error),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Tenths under 10 s: "every 1s (cycle 1s)" would hide a 1.8 s cycle.
fn cycle_text(d: std::time::Duration) -> String {
    if d < std::time::Duration::from_secs(10) {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        super::format::ago(d)
    }
}
