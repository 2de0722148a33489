//! `?`: every key of every mode, from the keymap table, plus the commands
//! from the command table; wrapped to the terminal, scrolled, and narrowed
//! by `/` to the lines that match.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use super::wrap::wrap;
use crate::app::commands::{COMMANDS, synopsis};
use crate::app::state::App;
use crate::keys::{self as keymap, ModeKind};

/// One entry of the help: a heading, or a key (or command) and what it does.
enum Entry {
    Heading(String),
    Item(String, String),
    Note(String),
    Blank,
}

fn entries(app: &App) -> Vec<Entry> {
    let s = app.strings();
    let mut out = Vec::new();
    for mode in ModeKind::ALL {
        out.push(Entry::Heading(mode.title(app.lang).to_string()));
        for binding in app.keys.bindings(mode) {
            out.push(Entry::Item(
                binding.label.clone(),
                keymap::describe(binding.action, app.lang).to_string(),
            ));
        }
        out.push(Entry::Blank);
    }
    out.push(Entry::Heading(format!(
        "{} — {}",
        s.help_commands, s.command_tab_hint
    )));
    for spec in COMMANDS {
        let mut what = (spec.help)(s).to_string();
        if !spec.aliases.is_empty() {
            let aliases: Vec<String> = spec.aliases.iter().map(|a| format!(":{a}")).collect();
            what = format!("{what} ({})", aliases.join(" "));
        }
        out.push(Entry::Item(synopsis(spec), what));
    }
    out.push(Entry::Blank);
    out.push(Entry::Note(crate::app::modes::list::marks_note(app)));
    out.push(Entry::Note(s.help_filter_note.to_string()));
    out.push(Entry::Note(s.help_qr_font_note.to_string()));
    out.push(Entry::Note(s.help_osc52_note.to_string()));
    out
}

/// The help's lines at `width` columns: key column then wrapped text, the
/// key on a line of its own when it is too long for the column. With a
/// query, only matching items (under their heading) and notes are kept.
pub fn lines(app: &App, theme: &Theme, width: usize, query: &str) -> Vec<Line<'static>> {
    let query = query.to_lowercase();
    let matches = |t: &str| query.is_empty() || t.to_lowercase().contains(&query);
    const KEY_COL: usize = 12;
    let mut out = Vec::new();
    let mut heading: Option<String> = None;
    for entry in entries(app) {
        match entry {
            Entry::Heading(h) => heading = Some(h),
            Entry::Blank => {
                if query.is_empty() {
                    out.push(Line::raw(""));
                }
            }
            Entry::Note(text) => {
                if matches(&text) {
                    for l in wrap(&text, width, 2) {
                        out.push(Line::styled(l, theme.dim()));
                    }
                }
            }
            Entry::Item(key, what) => {
                let shown_heading = heading.as_deref().unwrap_or("");
                if !(matches(&key) || matches(&what) || matches(shown_heading)) {
                    continue;
                }
                if let Some(h) = heading.take() {
                    out.push(Line::styled(h, theme.title()));
                }
                let key_text = format!("  {key}");
                let (first_key, text_width) = if key_text.chars().count() < KEY_COL {
                    (
                        format!("{key_text:<KEY_COL$}"),
                        width.saturating_sub(KEY_COL),
                    )
                } else {
                    out.push(Line::styled(key_text, theme.key()));
                    (" ".repeat(KEY_COL), width.saturating_sub(KEY_COL))
                };
                for (i, part) in wrap(&what, text_width, 0).into_iter().enumerate() {
                    let lead = if i == 0 {
                        first_key.clone()
                    } else {
                        " ".repeat(KEY_COL)
                    };
                    out.push(Line::from(vec![
                        Span::styled(lead, theme.key()),
                        Span::raw(part),
                    ]));
                }
            }
        }
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, scroll: u16) {
    let s = app.strings();
    // The whole terminal up to a readable measure: nothing is cut.
    let popup = super::centered(area, area.width.min(100), area.height);
    let query = &app.screen.help_query;
    let mut title = format!(" {} ", s.help_title);
    if app.screen.help_input.is_some() || !query.is_empty() {
        title = format!(" {} — /{query} ", s.help_title);
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()));
    frame.render_widget(Clear, popup);
    let width = popup.width.saturating_sub(2) as usize;
    let mut content = lines(app, theme, width, query);
    if content.is_empty() {
        content.push(Line::styled(s.help_no_match.to_string(), theme.dim()));
    }
    let visible = popup.height.saturating_sub(2);
    let max_scroll = (content.len() as u16).saturating_sub(visible);
    frame.render_widget(
        Paragraph::new(content)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        popup,
    );
}
