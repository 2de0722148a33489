//! `:doctor`'s report in its own pane: wrapped, scrolled, and left alone
//! by the polls (the event log keeps only requests).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use super::wrap::wrap;
use crate::app::state::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, scroll: u16) {
    let s = app.strings();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {} ", s.mode_doctor), theme.title()));
    let width = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for line in &app.screen.doctor {
        // Keep the report's own indentation on continuation lines.
        let indent = line.len() - line.trim_start().len() + 2;
        lines.extend(wrap(line, width, indent).into_iter().map(Line::raw));
    }
    let visible = area.height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(visible);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        area,
    );
}
