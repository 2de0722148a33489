//! A form popup: labelled fields (tui-input), live counters, the error or
//! server answer, and a spinner while the request flies.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use super::format::spinner;
use crate::app::form::Form;
use crate::app::state::App;

pub fn draw(frame: &mut Frame, area: Rect, form: &Form, app: &App, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(70);
    let height = (form.fields.len() as u16 * 2 + 5).min(area.height);
    let popup = super::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let mut title = format!(" {} ", form.title);
    if form.submitting {
        title = format!(
            " {} {}",
            spinner(app.now.saturating_duration_since(app.clock_base())),
            title
        );
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.key())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let field_width = inner.width.saturating_sub(2) as usize;
    let mut y = inner.y;
    for (n, field) in form.fields.iter().enumerate() {
        let focused = n == form.focus;
        let mut label = vec![Span::styled(
            field.label.to_string(),
            if focused { theme.key() } else { theme.dim() },
        )];
        if let Some(max) = field.max_chars {
            let count = field.chars();
            let style = if count > max {
                theme.error()
            } else {
                theme.dim()
            };
            label.push(Span::styled(format!("  {count}/{max}"), style));
        }
        frame.render_widget(
            Paragraph::new(Line::from(label)),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
        let scroll = field.input.visual_scroll(field_width);
        let visible: String = field.value().chars().skip(scroll).collect();
        let marker = if focused { "›" } else { " " };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(marker, theme.key()),
                Span::raw(" "),
                Span::raw(visible),
            ])),
            Rect::new(inner.x, y, inner.width, 1),
        );
        if focused {
            let x = inner.x + 2 + (field.input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position(Position::new(x.min(inner.right().saturating_sub(1)), y));
        }
        y += 1;
    }
    if let Some(error) = &form.error {
        let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
        frame.render_widget(
            Paragraph::new(Span::styled(error.clone(), theme.error())).wrap(Wrap { trim: true }),
            rest,
        );
    }
}
