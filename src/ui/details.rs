//! The selected instance in depth: status history, errors with hints, and
//! what wadash last set on it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::Theme;
use super::format::{self, ago, clock};
use crate::app::state::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let block = Block::new()
        .borders(Borders::TOP | Borders::LEFT)
        .border_style(theme.border())
        .title(Span::styled(format!(" {} ", s.details), theme.title()));
    let Some(row) = app.selected_row() else {
        frame.render_widget(block, area);
        return;
    };
    let now = app.monitor.now;
    let health = row.health();
    let (glyph, word) = format::health(health, s);
    let mut lines = Vec::new();

    let mut head = vec![
        Span::styled(row.label.clone(), theme.title()),
        Span::raw(format!("  {}  ", row.id)),
        Span::styled(format!("{glyph} {word}"), theme.health(health)),
    ];
    if let Some(lasted) = crate::app::history_truth::since(app, row, now) {
        head.push(Span::raw(format!(" {} {}", s.since, ago(lasted))));
    }
    lines.push(Line::from(head));

    if let Some(status) = &row.status
        && let crate::domain::InstanceStatus::Unknown(raw) = status
    {
        lines.push(Line::raw(format!("  {}: {raw:?}", s.server)));
    }

    if app.history.enabled {
        // The store's view: days, not just this session.
        let width = area.width.saturating_sub(2) as usize;
        lines.extend(super::history::detail_lines(app, &row.id, width, theme));
    } else {
        let uptime = row
            .uptime()
            .map(|u| format!("{:.0}% ({}/{})", u * 100.0, row.active_checks, row.checks))
            .unwrap_or_else(|| "—".into());
        let strip: String = row.history.iter().map(|m| format::mark_glyph(*m)).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.uptime), theme.dim()),
            Span::raw(uptime),
            Span::styled(format!("  {}: ", s.last_checks), theme.dim()),
            Span::raw(strip),
        ]));
    }

    if let Some(error) = &row.error {
        let mut text = match error.server_text() {
            Some(server) => format!("{server:?} — {}", error.hint_in(s)),
            None => error.hint_in(s),
        };
        if !row.polling {
            let wait = row.next_poll.saturating_duration_since(now);
            text.push_str(&format!("  ({} {})", s.retry_in, ago(wait)));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.last_error), theme.error()),
            Span::raw(text),
        ]));
    }

    if app.busy.contains(&row.id) {
        // The values below stay the confirmed ones until the server answers.
        let spin = format::spinner(app);
        lines.push(Line::styled(format!("{spin} {}", s.sending), theme.info()));
    }
    let remembered = app.memory.get(&row.id);
    let stamp = |at: std::time::SystemTime| format!(" ({})", clock(at));
    let field = |label: &str, value: Option<(String, std::time::SystemTime)>| {
        let (text, when) = match value {
            Some((v, at)) => (v, stamp(at)),
            None => (s.not_set_here.to_string(), String::new()),
        };
        Line::from(vec![
            Span::styled(format!("{label}: "), theme.dim()),
            Span::raw(text),
            Span::styled(when, theme.dim()),
        ])
    };
    let nothing_set = remembered.is_none_or(|m| {
        m.name.is_none() && m.description.is_none() && m.picture.is_none() && m.auto_read.is_none()
    });
    if nothing_set {
        // One line instead of four "not set" ones: room matters at 80×24.
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.col_profile), theme.dim()),
            Span::raw(s.not_set_here.to_string()),
        ]));
    } else {
        let auto = remembered
            .and_then(|m| m.auto_read.as_ref())
            .map(|v| (if v.value { s.on } else { s.off }.to_string(), v.at));
        lines.push(field(s.auto_read, auto));
        lines.push(field(
            s.name,
            remembered
                .and_then(|m| m.name.as_ref())
                .map(|v| (v.value.clone(), v.at)),
        ));
        lines.push(field(
            s.description,
            remembered
                .and_then(|m| m.description.as_ref())
                .map(|v| (v.value.clone(), v.at)),
        ));
        lines.push(field(
            s.picture,
            remembered
                .and_then(|m| m.picture.as_ref())
                .map(|v| (v.value.clone(), v.at)),
        ));
    }
    if let Some(webhook) = remembered.and_then(|m| m.webhook.as_ref()) {
        lines.push(field(s.webhook, Some((webhook.value.clone(), webhook.at))));
    }
    if let Some(account) = app.monitor.accounts.get(row.account) {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.account), theme.dim()),
            Span::raw(format!(
                "{}  {}  ",
                account.name,
                crate::url_secret::masked(&account.base_url)
            )),
            // Non-breaking spaces: wrapping must not split "api key: ••••abcd".
            Span::styled(
                format!("{}:\u{a0}", s.api_key.replace(' ', "\u{a0}")),
                theme.dim(),
            ),
            Span::raw(account.key_masked.clone()),
        ]));
    }
    if !row.tags.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.col_tags), theme.dim()),
            Span::raw(row.tags.join(", ")),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
