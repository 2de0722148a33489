//! `l`: the event log, newest at the bottom, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use super::format::{clip, clock, latency};
use super::wrap::wrap;
use crate::app::log::{LogEntry, LogLevel};
use crate::app::state::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let total = app.log.len();
    let mut title = if app.log.dropped > 0 {
        format!(
            " {} ({total}, +{} {}) ",
            s.log_title, app.log.dropped, s.older_dropped
        )
    } else {
        format!(" {} ({total}) ", s.log_title)
    };
    if let Some(what) = crate::app::log_filter::describe(&app.screen, s) {
        title = format!("{title}— {what} ");
    }
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    let height = inner.height as usize;
    let width = inner.width as usize;
    let label_width = 18;
    // Filtered (`e`, `:log errors`, `:log NAME`), newest last; the scroll
    // counts entries up from the newest shown.
    let shown: Vec<&LogEntry> = app
        .log
        .entries()
        .iter()
        .filter(|e| crate::app::log_filter::shows(&app.screen, e))
        .collect();
    let end = shown.len().saturating_sub(app.log.scroll);
    // From the newest up, each entry with its outcome wrapped whole.
    let mut lines: Vec<Line> = Vec::new();
    for e in shown[..end].iter().rev() {
        let mut entry = entry_lines(e, theme, label_width, width);
        entry.extend(std::mem::take(&mut lines));
        lines = entry;
        if lines.len() >= height {
            break;
        }
    }
    let cut = lines.len().saturating_sub(height);
    let lines: Vec<Line> = lines.into_iter().skip(cut).collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One entry: time, instance, endpoint, mark, latency and the outcome,
/// which continues on indented lines rather than being cut.
fn entry_lines(
    e: &LogEntry,
    theme: &Theme,
    label_width: usize,
    width: usize,
) -> Vec<Line<'static>> {
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
    let head = vec![
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
    ];
    let used: usize = head.iter().map(|sp| sp.width()).sum();
    let outcome = crate::sanitize::for_terminal(&e.outcome).into_owned();
    let first = wrap(&outcome, width.saturating_sub(used).max(8), 0);
    let first_part = first.first().cloned().unwrap_or_default();
    let rest = outcome[first_part.len().min(outcome.len())..].trim_start();
    let mut line = head;
    line.push(Span::styled(first_part, style));
    let mut out = vec![Line::from(line)];
    if !rest.is_empty() {
        for part in wrap(rest, width.saturating_sub(4), 0) {
            out.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(part, style),
            ]));
        }
    }
    out
}
