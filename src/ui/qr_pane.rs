//! The QR pane: the code, centred, with the instance label, a countdown and
//! one line of instructions; or, when the body cannot hold the code, the
//! terminal size that would. A pure function of the state and the area, so
//! a resize redraws it at once.
//!
//! Two layouts compete: text beside the code (what fits 80×24: a compact
//! code is 31 cells wide and 21 tall, the body has 21 rows) and text under
//! the code (narrow, tall terminals). The one that allows the better drawing
//! wins: half blocks over compact, the full quiet zone over the tight one.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::format::spinner;
use crate::app::state::App;
use crate::engine::pairing::qr_pane::{Problem, QrPane, Stage};
use crate::i18n::Strings;
use crate::qr::image::QrImages;
use crate::qr::placement::{self as qr_layout, Caps, Drawing, TextPlace};
use crate::qr::{self, DrawMode, ModeChoice, QUIET, QrWidget};
use crate::term::SextantSupport;

pub use crate::qr::placement::{Placement, place};

/// Text-only content (no code) is kept to a readable width.
const TEXT_WIDTH: u16 = 72;

/// What this terminal lets the pane draw; images only when the dashboard
/// handed over an encoder (tests and snapshots draw glyphs).
pub fn caps(app: &App, images: bool) -> Caps {
    let support = &app.terminal.images;
    Caps {
        sextants: app.terminal.identity.sextants,
        image_cell_px: support
            .cell_px
            .filter(|_| images && support.protocol.is_some()),
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    pane: &QrPane,
    theme: &Theme,
    images: Option<&mut QrImages>,
) {
    frame.render_widget(Clear, area);
    let s = app.strings();
    let code = pane
        .code
        .as_ref()
        .filter(|_| pane.stage == Stage::Waiting && !pane.code_expired(app.monitor.now));
    let Some(code) = code else {
        let lines = text_only_lines(app, pane, s, theme);
        draw_text_block(frame, area, lines);
        return;
    };
    let width = code.modules.width();
    let base = code_lines(app, pane, s, theme);
    let widest = base.iter().map(Line::width).max().unwrap_or(0) as u16;
    let rows = |w: u16| wrapped_rows(&base, w);
    let mut caps = caps(app, images.is_some());
    let mut placed = qr_layout::place(area, width, pane.mode, caps, widest, rows);
    if let Some(Placement {
        drawing: Drawing::Image(fit),
        qr: rect,
        ..
    }) = placed
    {
        let drawn = match images {
            Some(i) => i.render(
                frame.buffer_mut(),
                rect,
                &code.payload,
                &code.modules,
                fit,
                pane.invert,
            ),
            None => false,
        };
        if !drawn {
            // The encoder failed: glyphs, as if there were no images.
            caps.image_cell_px = None;
            placed = qr_layout::place(area, width, pane.mode, caps, widest, rows);
        }
    }
    let Some(place) = placed else {
        let full = frame.area();
        note_drawing("advice", full);
        let lines = advice_lines(
            app,
            pane,
            width,
            (full.width, full.height),
            caps.sextants,
            s,
            theme,
        );
        draw_text_block(frame, area, lines);
        return;
    };
    let mut lines = base;
    note_drawing(
        match place.drawing {
            Drawing::Image(_) => "image",
            Drawing::Glyphs {
                mode: DrawMode::Half,
                ..
            } => "half blocks",
            Drawing::Glyphs { .. } => "sextants",
        },
        frame.area(),
    );
    match place.drawing {
        Drawing::Image(_) => {
            let protocol = app
                .terminal
                .images
                .protocol
                .map(|p| p.to_string())
                .unwrap_or_default();
            lines.push(Line::styled(
                format!("{}: {} ({protocol})", s.qr_mode, s.qr_drawing_image),
                theme.dim(),
            ));
        }
        Drawing::Glyphs { mode, quiet } => {
            frame.render_widget(
                // Explicit black on white even under NO_COLOR: a QR is not
                // decoration, and the terminal's own colours would invert
                // it on a dark theme (many phone scanners refuse that).
                QrWidget::new(&qr::draw(&code.modules, mode, quiet, pane.invert)),
                place.qr,
            );
            let name = match mode {
                DrawMode::Half => s.qr_drawing_half,
                DrawMode::Compact => s.qr_drawing_compact,
            };
            let mut line = format!("{}: {name}", s.qr_mode);
            if pane.invert {
                line.push_str(&format!(" · {}", s.qr_inverted));
            }
            let other_fits = qr_layout::other_mode_fits(area, width, mode);
            if other_fits {
                line.push_str(&format!(
                    " · m: {}",
                    match mode {
                        DrawMode::Half => s.qr_drawing_compact,
                        DrawMode::Compact => s.qr_drawing_half,
                    }
                ));
            }
            lines.push(Line::styled(line, theme.dim()));
            if quiet < QUIET {
                lines.push(Line::styled(s.qr_tight_quiet, theme.error()));
            }
            // A terminal that draws sextants itself needs no warning.
            if mode == DrawMode::Compact && caps.sextants != SextantSupport::Draws {
                let hint = if other_fits {
                    s.qr_compact_hint
                } else {
                    s.qr_compact_warn
                };
                lines.push(Line::styled(hint, theme.dim()));
            }
        }
    }
    lines.extend(saved_line(pane, s, theme));
    match place.text_place {
        TextPlace::Beside | TextPlace::Below => {
            // Centre the text on the code's middle, within the room it has.
            let used = wrapped_rows(&lines, place.text.width).min(place.text.height);
            let text = Rect {
                y: place.text.y + (place.text.height - used) / 2,
                height: used,
                ..place.text
            };
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
        }
        TextPlace::OneLine => {
            let line = countdown_line(app, pane, s, theme);
            let text = Rect {
                height: 1,
                ..place.text
            };
            frame.render_widget(Paragraph::new(line).centered(), text);
        }
        TextPlace::None => {}
    }
}

/// Log the pane's drawing when it changes (not every frame): what the
/// user saw is then in the log, and the real-terminal test reads it.
fn note_drawing(kind: &'static str, area: Rect) {
    use std::sync::Mutex;
    static LAST: Mutex<Option<(&'static str, u16, u16)>> = Mutex::new(None);
    let now = Some((kind, area.width, area.height));
    if let Ok(mut last) = LAST.lock()
        && *last != now
    {
        *last = now;
        tracing::info!("qr pane drawing: {kind} at {}×{}", area.width, area.height);
    }
}

/// No drawing this terminal can show fits: no code (an unscannable one
/// only misleads), what would help in order, and the pane keeps polling.
fn advice_lines<'a>(
    app: &App,
    pane: &QrPane,
    module_width: usize,
    (cols, rows): (u16, u16),
    sextants: SextantSupport,
    s: &Strings,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let sizes = qr_layout::terminal_needed(module_width, pane.mode, sextants);
    let mut lines = vec![title(pane, s, theme)];
    lines.extend(queue_line(app, theme));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{} ({cols}×{rows}).", s.qr_no_fit),
        theme.error(),
    ));
    lines.push(Line::raw(s.qr_advice_intro));
    let mut steps = vec![
        s.qr_advice_zoom.to_string(),
        format!(
            "{}{}",
            s.qr_enlarge,
            qr::describe_sizes(&sizes, s.qr_with_half)
        ),
        s.qr_advice_images.to_string(),
        s.qr_advice_save.to_string(),
    ];
    if app.can_open_viewer {
        steps.push(s.qr_advice_open.to_string());
    }
    for (i, step) in steps.into_iter().enumerate() {
        lines.push(Line::styled(format!("{}. {step}", i + 1), theme.key()));
    }
    lines.push(Line::raw(""));
    lines.push(countdown_line(app, pane, s, theme));
    lines.push(Line::styled(s.qr_advice_waiting, theme.dim()));
    lines.extend(saved_line(pane, s, theme));
    lines.extend(share_lines(pane, s, theme));
    lines
}

/// The whole terminal to name when the code does not fit (kept for
/// callers that do not know the terminal: kind c).
pub fn terminal_needed(module_width: usize, choice: ModeChoice) -> Vec<(DrawMode, (u16, u16))> {
    qr_layout::terminal_needed(module_width, choice, SextantSupport::Unknown)
}

/// "3 of 9 · 2 linked · 1 skipped" while a reconnect queue runs.
fn queue_line<'a>(app: &App, theme: &Theme) -> Option<Line<'a>> {
    let queue = app.reconnect.as_ref()?;
    let words = crate::engine::pairing::reconnect_queue::Words::from_strings(app.strings());
    Some(Line::from(vec![
        Span::styled(queue.progress(&words), theme.info()),
        Span::styled("  Tab ", theme.key()),
        Span::styled(app.strings().key_qr_skip, theme.dim()),
    ]))
}

fn title<'a>(pane: &QrPane, s: &Strings, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{} {}", s.qr_title, pane.label), theme.title()),
        Span::styled(format!("  ({})", pane.instance), theme.dim()),
    ])
}

/// Text beside or under a code on screen.
fn code_lines<'a>(app: &App, pane: &QrPane, s: &Strings, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![title(pane, s, theme)];
    lines.extend(queue_line(app, theme));
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", s.qr_on_phone), theme.dim()),
        Span::styled(s.qr_instructions, theme.key()),
    ]));
    lines.push(countdown_line(app, pane, s, theme));
    if let Some(problem) = &pane.problem {
        lines.extend(problem_lines(problem, s, theme));
        lines.push(Line::styled(s.qr_may_be_old, theme.dim()));
    }
    if let Some(e) = &pane.status_problem {
        lines.push(Line::styled(
            format!("{} {e}", s.qr_status_failed),
            theme.error(),
        ));
    }
    // Here, not after the drawing: the layout keeps room for the whole link.
    lines.extend(share_lines(pane, s, theme));
    lines
}

/// "New code in 14 s", a spinner while fetching, or the retry wait.
fn countdown_line<'a>(app: &App, pane: &QrPane, s: &Strings, theme: &Theme) -> Line<'a> {
    let now = app.monitor.now;
    if pane.resting() && pane.stage == Stage::Waiting {
        return Line::styled(s.qr_resting, theme.error());
    }
    match pane.countdown(now) {
        None => Line::styled(
            format!("{} {}", spinner(app), s.qr_refreshing),
            theme.info(),
        ),
        Some(wait) if pane.problem.is_some() => {
            Line::styled(format!("{} {}", s.retry_in, seconds(wait)), theme.error())
        }
        Some(wait) => Line::styled(format!("{} {}", s.qr_next_in, seconds(wait)), theme.info()),
    }
}

fn problem_lines<'a>(problem: &Problem, s: &Strings, theme: &Theme) -> Vec<Line<'a>> {
    match problem {
        Problem::Request(text) => vec![Line::styled(
            format!("{} {text}", s.qr_request_failed),
            theme.error(),
        )],
        Problem::Undecodable { why, start } => vec![
            Line::styled(format!("{} {why}", s.qr_cannot_read), theme.error()),
            Line::styled(format!("{}: \"{start}\"", s.qr_received), theme.dim()),
        ],
    }
}

fn saved_line<'a>(pane: &QrPane, s: &Strings, theme: &Theme) -> Option<Line<'a>> {
    match &pane.saved {
        Some(Ok(path)) => Some(Line::styled(
            format!("{} {}", s.qr_saved, path.display()),
            theme.success(),
        )),
        Some(Err(e)) => Some(Line::styled(e.clone(), theme.error())),
        None => None,
    }
}

/// `S`: the link to send to whoever holds the phone, on a line of its own
/// so it is copied whole.
fn share_lines<'a>(pane: &QrPane, s: &Strings, theme: &Theme) -> Vec<Line<'a>> {
    match &pane.share {
        Some(Ok(url)) => vec![
            Line::styled(s.share_link_is, theme.dim()),
            Line::styled(url.clone(), theme.success()),
        ],
        Some(Err(e)) => vec![Line::styled(e.clone(), theme.error())],
        None => Vec::new(),
    }
}

/// No code to show: already connected, connected now, or still fetching.
fn text_only_lines<'a>(app: &App, pane: &QrPane, s: &Strings, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![title(pane, s, theme)];
    lines.extend(queue_line(app, theme));
    lines.push(Line::raw(""));
    match &pane.stage {
        Stage::AlreadyActive => {
            lines.push(Line::styled(
                format!("● {} {}", pane.label, s.qr_already_active),
                theme.success(),
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled(s.qr_offer_disconnect, theme.key()));
        }
        Stage::Connected { took, .. } => {
            lines.push(Line::styled(
                format!("✓ {} {}", s.qr_connected_in, seconds(*took)),
                theme.success().add_modifier(Modifier::BOLD),
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled(s.qr_closing, theme.dim()));
        }
        Stage::Waiting => {
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", s.qr_on_phone), theme.dim()),
                Span::styled(s.qr_instructions, theme.key()),
            ]));
            match &pane.problem {
                None if pane.resting() => lines.push(countdown_line(app, pane, s, theme)),
                None => lines.push(Line::styled(
                    format!("{} {}", spinner(app), s.qr_requesting),
                    theme.info(),
                )),
                Some(problem) => {
                    lines.extend(problem_lines(problem, s, theme));
                    lines.push(countdown_line(app, pane, s, theme));
                }
            }
        }
    }
    if let Some(e) = &pane.status_problem {
        lines.push(Line::styled(
            format!("{} {e}", s.qr_status_failed),
            theme.error(),
        ));
    }
    lines.extend(saved_line(pane, s, theme));
    lines.extend(share_lines(pane, s, theme));
    lines
}

/// Lines centred in `area` at a readable width, wrapped.
fn draw_text_block(frame: &mut Frame, area: Rect, lines: Vec<Line>) {
    let width = area.width.min(TEXT_WIDTH);
    let height = wrapped_rows(&lines, width).min(area.height);
    let block = super::centered(area, width, height);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), block);
}

/// Rows `lines` take when wrapped at `width` (an estimate by width; word
/// wrapping may need a little more, which the layouts leave room for).
fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let rows: usize = lines
        .iter()
        .map(|line| {
            let w: usize = line.spans.iter().map(|s| s.content.width()).sum();
            w.div_ceil(width).max(1)
        })
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
}

/// Whole seconds, rounded up so a countdown never shows 0 while waiting.
fn seconds(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    if secs >= 60 {
        format!("{} min {} s", secs / 60, secs % 60)
    } else {
        format!("{secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_names_the_terminal_size() {
        let en = crate::i18n::Lang::En.strings();
        let sizes = terminal_needed(53, ModeChoice::Auto);
        let text = qr::describe_sizes(&sizes, en.qr_with_half);
        assert_eq!(text, " 60×24 (61×34 with half blocks)");
    }

    #[test]
    fn countdown_rounds_up() {
        assert_eq!(seconds(Duration::from_millis(14_200)), "15 s");
        assert_eq!(seconds(Duration::from_secs(75)), "1 min 15 s");
    }
}
