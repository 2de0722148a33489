//! `l`: the event log, newest at the bottom, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use super::format::{clip, clock, latency};
use crate::app::log::LogLevel;
use crate::app::state::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let total = app.log.len();
    let title = if app.log.dropped > 0 {
        format!(
            " {} ({total}, +{} {}) ",
            s.log_title, app.log.dropped, s.older_dropped
        )
    } else {
        format!(" {} ({total}) ", s.log_title)
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    let height = inner.height as usize;
    let end = total.saturating_sub(app.log.scroll);
    let start = end.saturating_sub(height);
    let label_width = 18;
    let lines: Vec<Line> = app
        .log
        .entries()
        .range(start..end)
        .map(|e| {
            let style = match e.level {
                LogLevel::Ok => theme.success(),
                LogLevel::Warn => theme.health(crate::domain::Health::Inactive),
                LogLevel::Error => theme.error(),
            };
            let mark = match e.level {
                LogLevel::Ok => "✓",
                LogLevel::Warn => "⚠",
                LogLevel::Error => "✗",
            };
            Line::from(vec![
                Span::styled(clock(e.at), theme.dim()),
                Span::raw(format!(
                    " {:<w$} ",
                    clip(&e.instance, label_width),
                    w = label_width
                )),
                Span::raw(format!("{:<11} ", e.endpoint)),
                Span::styled(format!("{mark} "), style),
                Span::raw(format!(
                    "{:>7} ",
                    e.latency.map(latency).unwrap_or_default()
                )),
                Span::styled(
                    crate::sanitize::for_terminal(&e.outcome).into_owned(),
                    style,
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
