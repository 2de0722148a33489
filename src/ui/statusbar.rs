//! Two lines: the last message, and the keys of the current mode (from the
//! keymap, the same table the help is drawn from). Filter and command
//! lines take the message line while open.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::app::filter_note::filter_note;
use crate::app::modes::Mode;
use crate::app::state::{App, FlashKind};
use crate::keys::{self as keymap, Action};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let message_area = Rect { height: 1, ..area };
    let keys_area = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };

    match &app.mode {
        Mode::Filter(input) | Mode::Command(input) => {
            let prompt = if matches!(app.mode, Mode::Filter(_)) {
                format!("/{} ", s.filter_prompt)
            } else {
                format!(":{} ", s.command_prompt)
            };
            let prompt_width = prompt.chars().count() as u16;
            let width = message_area.width.saturating_sub(prompt_width + 1) as usize;
            let scroll = input.visual_scroll(width);
            let visible: String = input.value().chars().skip(scroll).collect();
            frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(prompt, theme.key()),
                    Span::raw(visible),
                ])),
                message_area,
            );
            let x = message_area.x
                + prompt_width
                + (input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position(Position::new(x.min(area.right() - 1), message_area.y));
        }
        _ => {
            let mut spans = Vec::new();
            if !app.filter_text.is_empty() {
                spans.push(Span::styled(format!("/{} ", app.filter_text), theme.key()));
                spans.push(Span::styled(
                    format!(
                        "({} {} {})  ",
                        app.view.len(),
                        s.shown_of,
                        app.monitor.rows.len()
                    ),
                    theme.dim(),
                ));
                // A flash is newer news; the list itself still names the error.
                if let Some((note, is_error)) = filter_note(app).filter(|_| app.flash.is_none()) {
                    let style = if is_error {
                        theme.error()
                    } else {
                        theme.info()
                    };
                    spans.push(Span::styled(format!("{note}  "), style));
                }
            }
            if !app.marks.is_empty() {
                spans.push(Span::styled(
                    format!("▶ {} {}  ", app.marks.len(), s.marked),
                    theme.key(),
                ));
            }
            if let Some(flash) = &app.flash {
                let style = match flash.kind {
                    FlashKind::Info => theme.info(),
                    FlashKind::Success => theme.success(),
                    FlashKind::Error => theme.error(),
                };
                // Cut with an ellipsis, never mid-letter without a sign.
                let used: usize = spans.iter().map(|sp| sp.width()).sum();
                let room = (message_area.width as usize).saturating_sub(used);
                spans.push(Span::styled(
                    super::wrap::ellipsis(&flash.text, room),
                    style,
                ));
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), message_area);
        }
    }

    // Under a filter being typed, its error takes the keys line: the user
    // sees the typo before acting on the rows it would pick.
    if matches!(app.mode, Mode::Filter(_))
        && let Some((note, is_error)) = filter_note(app)
    {
        let style = if is_error {
            theme.error()
        } else {
            theme.info()
        };
        frame.render_widget(Paragraph::new(Span::styled(note, style)), keys_area);
        return;
    }
    let mut spans = Vec::new();
    let mode = app.mode.kind();
    // On the `:` line, the commands that fit what is typed (Tab completes).
    if let Mode::Command(input) = &app.mode {
        let suggestions = if app.screen.suggestions.is_empty() && !input.value().is_empty() {
            // Views only: the fleet's names are gathered on Tab, not per frame.
            let known = crate::app::commands::Known {
                views: app.screen.view_names(),
                ..Default::default()
            };
            let done = crate::app::commands::complete::complete(input.value(), &known);
            done.candidates
        } else {
            app.screen.suggestions.clone()
        };
        if !suggestions.is_empty() {
            let text = format!("Tab → {}", suggestions.join("  "));
            let line = super::wrap::ellipsis(&text, keys_area.width as usize);
            frame.render_widget(Paragraph::new(Span::styled(line, theme.dim())), keys_area);
            return;
        }
    }
    if let (Mode::Help { .. }, Some(input)) = (&app.mode, &app.screen.help_input) {
        let prompt = format!("/{} ", s.help_search);
        let line = format!("{prompt}{}", input.value());
        frame.render_widget(Paragraph::new(Span::styled(line, theme.key())), keys_area);
        let x = keys_area.x + (prompt.chars().count() + input.visual_cursor()) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right() - 1), keys_area.y));
        return;
    }
    // Help and quit first: when the line is cut on a narrow screen, the way
    // to every other key is still on it.
    let shown = app.keys.bindings(mode);
    let bar = shown
        .iter()
        .filter(|b| crate::app::context::in_bar(app, mode, b.action, b.in_bar));
    let (first, rest): (Vec<_>, Vec<_>) =
        bar.partition(|b| matches!(b.action, Action::Help | Action::Quit));
    let (mut forward, rest): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|b| crate::app::context::bar_first(app, mode, b.action).is_some());
    forward.sort_by_key(|b| crate::app::context::bar_first(app, mode, b.action));
    // Whole entries only: what does not fit is in `?`, which is always first.
    let mut used = 0;
    for binding in first.into_iter().chain(forward).chain(rest) {
        let mut what = format!(" {}", keymap::describe(binding.action, app.lang));
        if let Some(note) = crate::app::context::bar_note(app, mode, binding.action) {
            what = format!("{what} {note}");
        }
        let what = format!("{what}  ");
        let width = binding.label.width() + what.trim_end().width();
        if used + width > keys_area.width as usize {
            break;
        }
        used += width + 2;
        spans.push(Span::styled(binding.label.clone(), theme.key()));
        spans.push(Span::raw(what));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), keys_area);
}
