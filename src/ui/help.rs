//! `?`: every key of every mode, from the keymap table, plus the commands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::app::state::App;
use crate::i18n::Strings;
use crate::keys::{self as keymap, ModeKind};

/// The `:` commands (typed as shown) and what they do.
fn commands(s: &Strings) -> [(&'static str, &'static str); 7] {
    [
        (":q", s.cmd_quit),
        (":refresh", s.cmd_refresh),
        (":pause  :resume", s.cmd_pause),
        (":interval 30s", s.cmd_interval),
        (":filter status:inactive tag:peru", s.cmd_filter),
        (":sort status|label|change|latency", s.cmd_sort),
        (":log  :help", s.cmd_panes),
    ]
}

pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let s = app.strings();
    let mut lines = Vec::new();
    for mode in ModeKind::ALL {
        lines.push(Line::styled(
            mode.title(app.lang).to_string(),
            theme.title(),
        ));
        for binding in app.keys.bindings(mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10}", binding.label), theme.key()),
                Span::raw(keymap::describe(binding.action, app.lang).to_string()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(s.help_commands.to_string(), theme.title()));
    for (cmd, what) in commands(s) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {cmd:<34}"), theme.key()),
            Span::raw(what.to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(s.help_filter_note.to_string(), theme.dim()));
    lines.push(Line::styled(s.help_qr_font_note.to_string(), theme.dim()));
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, scroll: u16) {
    let s = app.strings();
    let popup = super::centered(area, 72, area.height);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(format!(" {} ", s.help_title), theme.title()));
    frame.render_widget(Clear, popup);
    let content = lines(app, theme);
    let visible = popup.height.saturating_sub(2);
    let max_scroll = (content.len() as u16).saturating_sub(visible);
    frame.render_widget(
        Paragraph::new(content)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        popup,
    );
}
