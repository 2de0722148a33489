//! The confirmation dialog every destructive action goes through. "No" is
//! focused by default.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use crate::app::modes::confirm::Confirm;
use crate::app::state::App;

pub fn draw(frame: &mut Frame, area: Rect, confirm: &Confirm, app: &App, theme: &Theme) {
    let s = app.strings();
    let width = confirm
        .lines
        .iter()
        .map(|l| l.chars().count() as u16 + 4)
        .max()
        .unwrap_or(30)
        .clamp(36, area.width.saturating_sub(4).max(36));
    // The typed count takes a blank line, its prompt and maybe a warning.
    let typed_lines = confirm
        .typed
        .as_ref()
        .map_or(0, |t| 2 + u16::from(t.mismatch));
    let height = confirm.lines.len() as u16 + 5 + typed_lines;
    let popup = super::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(Span::styled(format!(" {} ", confirm.title), theme.error()));
    let mut lines: Vec<Line> = confirm.lines.iter().map(|l| Line::raw(l.clone())).collect();
    if let Some(typed) = &confirm.typed {
        lines.push(Line::raw(""));
        lines.push(Line::styled(typed.prompt(s), theme.key()));
        if typed.mismatch {
            lines.push(Line::styled(
                s.type_count_mismatch.to_string(),
                theme.error(),
            ));
        }
    }
    lines.push(Line::raw(""));
    let button = |text: &str, focused: bool| {
        let style = if focused {
            theme.selected().add_modifier(Modifier::BOLD)
        } else {
            theme.dim()
        };
        Span::styled(format!("[ {text} ]"), style)
    };
    lines.push(Line::from(vec![
        Span::raw("   "),
        button(&format!("{} ({})", s.yes, s.yes_key), confirm.yes_focused),
        Span::raw("   "),
        button(&format!("{} (n)", s.no), !confirm.yes_focused),
    ]));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
