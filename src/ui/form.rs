//! A form popup: labelled fields (tui-input), live counters, the error or
//! server answer, and a spinner while the request flies. The picture form
//! adds Tab completions and a half-block preview; the auto-read form is an
//! on/off choice.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use super::format::spinner;
use crate::app::modes::form::{Form, FormKind};
use crate::app::state::App;

/// Rows the picture form gives its preview at most (64 pixels tall).
const PREVIEW_ROWS: u16 = 16;

pub fn draw(frame: &mut Frame, area: Rect, form: &Form, app: &App, theme: &Theme) {
    // Wide enough for the title where the screen allows: it may carry the
    // "only this row is edited" note, which must not be cut.
    let title_width = form.title.chars().count() as u16 + 4;
    let width = area.width.saturating_sub(4).min(title_width.max(70));
    let extra = match &form.kind {
        FormKind::Picture { .. } => {
            let completions = app.picture.completions.len().min(2) as u16;
            completions + 2 + PREVIEW_ROWS
        }
        FormKind::AutoRead { .. } => 4,
        _ => 0,
    };
    // A long error takes the lines it wraps to.
    let error_lines = form.error.as_ref().map_or(0, |e| {
        super::wrap::wrap(e, width.saturating_sub(2) as usize, 0).len() as u16
    });
    let height = (form.fields.len() as u16 * 2 + 4 + extra + error_lines.max(1)).min(area.height);
    let popup = super::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let mut title = format!(" {} ", form.title);
    if form.submitting {
        title = format!(" {} {}", spinner(app), title);
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
    if let FormKind::AutoRead { ids, on, .. } = &form.kind {
        y = draw_choice(frame, inner, y, app, ids, *on, theme);
    }
    if let Some(error) = &form.error {
        let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
        // The server's words and the hint: the first thing to read.
        // Wrapped here (not by the widget) so the lines it takes are known.
        let wrapped = super::wrap::wrap(error, inner.width as usize, 0);
        let lines = wrapped.len() as u16;
        let text: Vec<Line> = wrapped
            .into_iter()
            .map(|l| Line::styled(l, theme.error()))
            .collect();
        frame.render_widget(Paragraph::new(text), rest);
        y = y.saturating_add(lines).min(inner.bottom());
    } else if form.submitting {
        frame.render_widget(
            Paragraph::new(Span::styled(app.strings().sending, theme.dim())),
            Rect::new(
                inner.x,
                y,
                inner.width,
                1.min(inner.bottom().saturating_sub(y)),
            ),
        );
        y = (y + 1).min(inner.bottom());
    }
    if matches!(form.kind, FormKind::Picture { .. }) {
        let rest = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
        draw_picture_extras(frame, rest, form, app, theme);
    }
}

/// "Turn automatic read on or off?" and two buttons, the chosen one
/// highlighted and bracketed (readable without colour).
fn draw_choice(
    frame: &mut Frame,
    inner: Rect,
    mut y: u16,
    app: &App,
    ids: &[String],
    on: bool,
    theme: &Theme,
) -> u16 {
    let s = app.strings();
    let mut lines = Vec::new();
    if let [id] = ids {
        let current = app
            .memory
            .get(id)
            .and_then(|m| m.auto_read.as_ref())
            .map(|v| if v.value { s.on } else { s.off })
            .unwrap_or(s.auto_read_unknown);
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", s.auto_read), theme.dim()),
            Span::raw(current),
        ]));
    }
    lines.push(Line::raw(s.auto_read_choose));
    let button = |text: &str, chosen: bool| {
        if chosen {
            Span::styled(
                format!("[ {text} ]"),
                theme.selected().add_modifier(Modifier::BOLD),
            )
        } else {
            Span::styled(format!("  {text}  "), theme.dim())
        }
    };
    lines.push(Line::from(vec![
        Span::raw("   "),
        button(s.on, on),
        Span::raw("   "),
        button(s.off, !on),
    ]));
    for line in lines {
        if y >= inner.bottom() {
            break;
        }
        frame.render_widget(Paragraph::new(line), Rect::new(inner.x, y, inner.width, 1));
        y += 1;
    }
    y
}

/// Tab's candidates, then the preview of the picture as it will be sent
/// (or why it cannot be), scaled to the room left.
fn draw_picture_extras(frame: &mut Frame, area: Rect, form: &Form, app: &App, theme: &Theme) {
    let s = app.strings();
    let mut y = area.y;
    let bottom = area.bottom();
    let line = |frame: &mut Frame, y: &mut u16, content: Line| {
        if *y < bottom {
            frame.render_widget(
                Paragraph::new(content).wrap(Wrap { trim: true }),
                Rect::new(area.x, *y, area.width, 1),
            );
            *y += 1;
        }
    };
    let completions = &app.picture.completions;
    if !completions.is_empty() {
        let shown: Vec<&str> = completions
            .iter()
            .take(crate::app::modes::form::picture::COMPLETIONS_SHOWN)
            .map(String::as_str)
            .collect();
        let mut text = shown.join("  ");
        if completions.len() > shown.len() {
            text.push_str(&format!("  … +{}", completions.len() - shown.len()));
        }
        line(frame, &mut y, Line::styled(text, theme.dim()));
    }
    let value = form.value(0).trim();
    if value.is_empty() {
        return;
    }
    let current = app
        .picture
        .result
        .as_ref()
        .filter(|(for_value, _)| for_value == value);
    let Some((_, result)) = current else {
        if app.picture.requested.as_deref() == Some(value) {
            line(frame, &mut y, Line::styled(s.preview_loading, theme.dim()));
        }
        return;
    };
    match result {
        Err(why) if form.error.as_deref() != Some(why.as_str()) => {
            for part in super::wrap::wrap(why, area.width.saturating_sub(2) as usize, 2) {
                line(frame, &mut y, Line::styled(part, theme.error()));
            }
        }
        Err(_) => {}
        Ok(preview) => {
            let Some(image) = &preview.preview else {
                line(frame, &mut y, Line::styled(s.preview_url, theme.dim()));
                return;
            };
            // Size first, then how it will be sent, wrapped: nothing cut.
            let size = format!(
                "{}×{}, {} {} ",
                preview.width, preview.height, preview.bytes, s.bytes_word
            );
            let sent = format!("({})  {}", s.preview_as_sent, preview.summary);
            let width = area.width.saturating_sub(2) as usize;
            let text = format!("{size}{sent}");
            for (n, part) in super::wrap::wrap(&text, width, 2).into_iter().enumerate() {
                let styled = if n == 0 && part.starts_with(size.trim_end()) {
                    let (a, b) = part.split_at(size.len().min(part.len()));
                    Line::from(vec![
                        Span::raw(a.to_string()),
                        Span::styled(b.to_string(), theme.dim()),
                    ])
                } else {
                    Line::styled(part, theme.dim())
                };
                line(frame, &mut y, styled);
            }
            let rows = bottom.saturating_sub(y);
            let cols = area.width.saturating_sub(2);
            let (w, h) = image.dimensions();
            let fits = w <= u32::from(cols) && h.div_ceil(2) <= u32::from(rows);
            // The text built on arrival, unless the room is too small for it.
            let scaled;
            let text = match &app.picture.text {
                Some(text) if fits => text,
                _ => match fit(image, cols, rows) {
                    Some(fitted) => {
                        scaled = crate::profile_image::preview_text(&fitted);
                        &scaled
                    }
                    None => return,
                },
            };
            let h = (text.lines.len() as u16).min(rows);
            frame.render_widget(text, Rect::new(area.x + 2, y, cols, h));
        }
    }
}

/// Shrink the preview to `cols` × `rows` cells (two pixel rows per cell),
/// keeping its shape; None when there is no room at all.
fn fit(image: &image::RgbImage, cols: u16, rows: u16) -> Option<image::RgbImage> {
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 || cols == 0 || rows == 0 {
        return None;
    }
    let max_w = u32::from(cols).min(w);
    let max_h = (u32::from(rows) * 2).min(h);
    let scale = f64::min(max_w as f64 / w as f64, max_h as f64 / h as f64);
    let nw = ((w as f64 * scale).floor() as u32).max(1);
    let nh = ((h as f64 * scale).floor() as u32).max(1);
    Some(image::imageops::resize(
        image,
        nw,
        nh,
        image::imageops::FilterType::Triangle,
    ))
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyCode;

    use crate::app::actions::tests::{app_with, ch, key, typed};
    use crate::app::msg::Msg;
    use crate::app::{App, update};
    use crate::engine::msg::{CoreMsg, PicturePreview};
    use crate::ui::{Theme, draw};

    fn render(app: &mut App, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let theme = Theme::new(false);
        terminal
            .draw(|f| app.regions = draw(f, app, &theme))
            .unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn name_form_shows_the_live_counter_and_the_reason() {
        let mut app = app_with(2);
        ch(&mut app, 'n');
        typed(&mut app, &"x".repeat(26));
        let screen = render(&mut app, 80, 24);
        assert!(screen.contains("26/25"), "{screen}");
        key(&mut app, KeyCode::Enter);
        let screen = render(&mut app, 80, 24);
        assert!(screen.contains("too long"), "{screen}");
    }

    #[test]
    fn picture_form_draws_the_preview_with_size_at_80x24_and_large() {
        let mut app = app_with(1);
        ch(&mut app, 'i');
        typed(&mut app, "a.png");
        // As the worker would answer for the current value.
        app.picture.requested = Some("a.png".into());
        let seq = app.picture.seq;
        let mut image = image::RgbImage::new(64, 64);
        for (x, _, p) in image.enumerate_pixels_mut() {
            *p = image::Rgb([(x * 4) as u8, 0, 0]);
        }
        update(
            &mut app,
            Msg::Core(CoreMsg::PicturePreview {
                seq,
                result: Ok(PicturePreview {
                    width: 640,
                    height: 640,
                    bytes: 51_234,
                    summary: "PNG 900×600 → 640×640, 51 KB".into(),
                    preview: Some(image),
                }),
            }),
        );
        // Built once, on arrival: 64 pixels wide, two pixel rows per line.
        let text = app.picture.text.as_ref().expect("the preview's text");
        assert_eq!(text.lines.len(), 32);
        assert_eq!(text.lines[0].spans.len(), 64);
        for (w, h) in [(80, 24), (200, 60), (20, 8)] {
            let screen = render(&mut app, w, h);
            if w >= 80 {
                assert!(screen.contains("640×640, 51234 bytes"), "{screen}");
                assert!(screen.contains('▀'), "no half blocks at {w}x{h}");
            }
        }
    }

    #[test]
    fn choice_form_brackets_the_chosen_value() {
        let mut app = app_with(1);
        ch(&mut app, 'a');
        let screen = render(&mut app, 80, 24);
        assert!(screen.contains("[ on ]"), "{screen}");
        key(&mut app, KeyCode::Right);
        let screen = render(&mut app, 80, 24);
        assert!(screen.contains("[ off ]"), "{screen}");
        assert!(!screen.contains("[ on ]"));
    }
}
