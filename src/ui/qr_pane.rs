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
use crate::app::qr_pane::{Problem, QrPane, Stage};
use crate::app::state::App;
use crate::i18n::Strings;
use crate::qr::{self, DrawMode, Fit, ModeChoice, QUIET, QrWidget};

/// Columns between the code and the text beside it.
const GAP: u16 = 2;
/// The text beside the code needs at least this many columns to be readable.
const SIDE_MIN: u16 = 28;
/// Rows the text under the code may need beyond its estimate (notes that
/// depend on the drawing chosen, word wrapping).
const STACK_SLACK: u16 = 2;
/// Rows the dashboard's header and status bar take around the body.
const CHROME_ROWS: u16 = 3;
/// Text-only content (no code) is kept to a readable width.
const TEXT_WIDTH: u16 = 72;

/// Where the code and the text go, and how the code is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub qr: Rect,
    pub text: Rect,
    pub mode: DrawMode,
    pub quiet: usize,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, pane: &QrPane, theme: &Theme) {
    frame.render_widget(Clear, area);
    let s = app.strings();
    let code = pane.code.as_ref().filter(|_| pane.stage == Stage::Waiting);
    let Some(code) = code else {
        let lines = text_only_lines(app, pane, s, theme);
        draw_text_block(frame, area, lines);
        return;
    };
    let base = code_lines(app, pane, s, theme);
    let widest = base.iter().map(Line::width).max().unwrap_or(0) as u16;
    let rows = |width: u16| wrapped_rows(&base, width);
    let Some(place) = place(area, code.modules.width(), pane.mode, widest, rows) else {
        let mut lines = vec![title(pane, s, theme), Line::raw("")];
        lines.push(Line::styled(
            enlarge_text(code.modules.width(), pane.mode, s),
            theme.error(),
        ));
        lines.push(Line::raw(""));
        lines.extend(base.into_iter().skip(2));
        draw_text_block(frame, area, lines);
        return;
    };
    let drawing = qr::draw(&code.modules, place.mode, place.quiet, pane.invert);
    frame.render_widget(QrWidget::new(&drawing).color(theme.color), place.qr);
    let mut lines = base;
    if place.quiet < QUIET {
        lines.push(Line::styled(s.qr_tight_quiet, theme.error()));
    }
    if place.mode == DrawMode::Compact {
        lines.push(Line::styled(s.qr_compact_hint, theme.dim()));
    }
    // Centre the text on the code's middle, within the room it has.
    let used = wrapped_rows(&lines, place.text.width).min(place.text.height);
    let text = Rect {
        y: place.text.y + (place.text.height - used) / 2,
        height: used,
        ..place.text
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
}

/// Fit the code (`module_width` modules a side) and its text into `body`.
/// `text_rows(width)` says how many rows the text needs at a width. The
/// text rectangle is all the room left for it (beside: the full column;
/// stacked: everything under the code). `None` when the code fits in
/// neither layout.
pub fn place(
    body: Rect,
    module_width: usize,
    choice: ModeChoice,
    text_width: u16,
    text_rows: impl Fn(u16) -> u16,
) -> Option<Placement> {
    let side_room = (body.width.saturating_sub(GAP + SIDE_MIN), body.height);
    let side = qr::choose(module_width, side_room, choice);
    let stack_rows = text_rows(body.width) + STACK_SLACK;
    let stack_room = (body.width, body.height.saturating_sub(stack_rows));
    let stacked = qr::choose(module_width, stack_room, choice);
    let (fit, beside) = match (score(side), score(stacked)) {
        (None, None) => return None,
        (a, b) if a >= b => (side, true),
        _ => (stacked, false),
    };
    let Fit::Draw { mode, quiet } = fit else {
        return None;
    };
    let (width, height) = qr::cells_needed(module_width, mode, quiet);
    if beside {
        let text_w = text_width
            .max(SIDE_MIN)
            .min(body.width.saturating_sub(width + GAP));
        let left = body.x + body.width.saturating_sub(width + GAP + text_w) / 2;
        let top = body.y + (body.height - height) / 2;
        Some(Placement {
            qr: Rect::new(left, top, width, height),
            text: Rect::new(left + width + GAP, body.y, text_w, body.height),
            mode,
            quiet,
        })
    } else {
        let used = (height + stack_rows).min(body.height);
        let top = body.y + (body.height - used) / 2;
        let left = body.x + (body.width - width) / 2;
        Some(Placement {
            qr: Rect::new(left, top, width, height),
            text: Rect::new(
                body.x,
                top + height,
                body.width,
                body.bottom().saturating_sub(top + height),
            ),
            mode,
            quiet,
        })
    }
}

/// Higher is a better drawing: the full quiet zone first, then half blocks.
fn score(fit: Fit) -> Option<u8> {
    match fit {
        Fit::Draw { mode, quiet } => {
            Some(u8::from(quiet >= QUIET) * 2 + u8::from(mode == DrawMode::Half))
        }
        Fit::TooSmall => None,
    }
}

/// The whole terminal (not just the pane) to name when the code does not
/// fit, in the order to name them: the text beside the code, the full quiet
/// zone, the header and status bar.
pub fn terminal_needed(module_width: usize, choice: ModeChoice) -> Vec<(DrawMode, (u16, u16))> {
    qr::enlarge_sizes(module_width, choice, (GAP + SIDE_MIN, CHROME_ROWS))
        .into_iter()
        .map(|(mode, (w, h))| (mode, (w.max(super::MIN_WIDTH), h.max(super::MIN_HEIGHT))))
        .collect()
}

fn enlarge_text(module_width: usize, choice: ModeChoice, s: &Strings) -> String {
    let sizes = terminal_needed(module_width, choice);
    format!(
        "{}{}",
        s.qr_enlarge,
        qr::describe_sizes(&sizes, s.qr_with_half)
    )
}

fn title<'a>(pane: &QrPane, s: &Strings, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{} {}", s.qr_title, pane.label), theme.title()),
        Span::styled(format!("  ({})", pane.instance), theme.dim()),
    ])
}

/// Text beside or under a code on screen.
fn code_lines<'a>(app: &App, pane: &QrPane, s: &Strings, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![title(pane, s, theme), Line::raw("")];
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
    let mut mode = format!("{}: {}", s.qr_mode, pane.mode);
    if pane.invert {
        mode.push_str(&format!(" · {}", s.qr_inverted));
    }
    lines.push(Line::styled(mode, theme.dim()));
    lines.extend(saved_line(pane, s, theme));
    lines
}

/// "New code in 14 s", a spinner while fetching, or the retry wait.
fn countdown_line<'a>(app: &App, pane: &QrPane, s: &Strings, theme: &Theme) -> Line<'a> {
    let now = app.now;
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

/// No code to show: already connected, connected now, or still fetching.
fn text_only_lines<'a>(app: &App, pane: &QrPane, s: &Strings, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![title(pane, s, theme), Line::raw("")];
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

    /// v9 (53 modules) in the 80×24 body (80×21): compact beside the text.
    #[test]
    fn eighty_by_twenty_four_puts_a_compact_code_beside_the_text() {
        let body = Rect::new(0, 1, 80, 21);
        let p = place(body, 53, ModeChoice::Auto, 60, |_| 8).unwrap();
        assert_eq!((p.mode, p.quiet), (DrawMode::Compact, QUIET));
        assert_eq!((p.qr.width, p.qr.height), (31, 21));
        assert!(p.text.x >= p.qr.right() + GAP);
        assert!(p.text.right() <= body.right());
        assert!(p.qr.y >= body.y && p.qr.bottom() <= body.bottom());
    }

    #[test]
    fn large_terminal_gets_half_blocks() {
        let body = Rect::new(0, 1, 120, 37);
        let p = place(body, 57, ModeChoice::Auto, 60, |_| 8).unwrap();
        assert_eq!((p.mode, p.quiet), (DrawMode::Half, QUIET));
        assert!(p.qr.right() <= body.right() && p.qr.bottom() <= body.bottom());
        assert!(!p.qr.intersects(p.text));
    }

    #[test]
    fn narrow_tall_terminal_stacks_the_text_under_the_code() {
        let body = Rect::new(0, 0, 62, 45);
        let p = place(body, 53, ModeChoice::Auto, 60, |w| 60u16.div_ceil(w) + 5).unwrap();
        assert_eq!(p.mode, DrawMode::Half);
        assert_eq!(p.text.y, p.qr.bottom());
        assert!(p.text.bottom() <= body.bottom());
    }

    #[test]
    fn too_small_places_nothing_and_names_the_terminal_size() {
        assert_eq!(
            place(Rect::new(0, 1, 60, 13), 53, ModeChoice::Auto, 60, |_| 8),
            None
        );
        let en = crate::i18n::Lang::En.strings();
        let text = enlarge_text(53, ModeChoice::Auto, en);
        assert!(text.ends_with(" 61×24 (91×34 with half blocks)"), "{text}");
        let text = enlarge_text(53, ModeChoice::Half, en);
        assert!(text.ends_with(" 91×34 with half blocks"), "{text}");
        let text = enlarge_text(53, ModeChoice::Compact, en);
        assert!(text.ends_with(" 61×24"), "{text}");
    }

    #[test]
    fn countdown_rounds_up() {
        assert_eq!(seconds(Duration::from_millis(14_200)), "15 s");
        assert_eq!(seconds(Duration::from_secs(75)), "1 min 15 s");
    }
}
