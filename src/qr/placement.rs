//! Where the QR pane puts the code and its text, and how it draws the
//! code: pure arithmetic over the body's size, the code's size and what
//! the terminal can show, so the choice is unit-tested case by case.
//!
//! Drawings, best first: a terminal image (whole pixels per module); half
//! blocks (every font); sextants (only where the terminal draws them, or
//! is unknown). Layouts, best first: text beside the code, text under it,
//! one line under it, the code alone (the header and key bar stay, which
//! is all half blocks need). Where nothing scannable fits: no code, the
//! advice instead (see `qr_pane`).

use ratatui::layout::Rect;

use crate::qr::image::{ImageFit, image_fit};
use crate::qr::{DrawMode, ModeChoice, QUIET, QUIET_TIGHT, cells_needed};
use crate::term::SextantSupport;

/// Columns between the code and the text beside it.
/// The smallest screen the dashboard draws in (the QR pane plans for it too).
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub const GAP: u16 = 2;
/// The text beside the code needs at least this many columns to be readable.
pub const SIDE_MIN: u16 = 28;
/// Rows the text under the code may need beyond its estimate.
pub const STACK_SLACK: u16 = 2;
/// Rows the dashboard's header and status bar take around the body.
pub const CHROME_ROWS: u16 = 3;

/// What the terminal can do, as the pane needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub sextants: SextantSupport,
    /// Cell size in pixels when images can be shown; `None`: glyphs only.
    pub image_cell_px: Option<(u16, u16)>,
}

impl Caps {
    pub const UNKNOWN: Caps = Caps {
        sextants: SextantSupport::Unknown,
        image_cell_px: None,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawing {
    Image(ImageFit),
    Glyphs { mode: DrawMode, quiet: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPlace {
    Beside,
    Below,
    /// One line under the code.
    OneLine,
    /// No room: the header and key bar only.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub qr: Rect,
    pub text: Rect,
    pub drawing: Drawing,
    pub text_place: TextPlace,
}

/// The glyph drawings allowed, best first. Auto never picks sextants in a
/// terminal known to leave them to the font (issue 12's kind b); `m`
/// forces a mode whatever the kind.
pub fn glyph_candidates(
    choice: ModeChoice,
    sextants: SextantSupport,
) -> &'static [(DrawMode, usize)] {
    match (choice, sextants) {
        (ModeChoice::Half, _) | (ModeChoice::Auto, SextantSupport::Font) => {
            &[(DrawMode::Half, QUIET), (DrawMode::Half, QUIET_TIGHT)]
        }
        (ModeChoice::Compact, _) => &[(DrawMode::Compact, QUIET), (DrawMode::Compact, QUIET_TIGHT)],
        (ModeChoice::Auto, _) => &[
            (DrawMode::Half, QUIET),
            (DrawMode::Compact, QUIET),
            (DrawMode::Compact, QUIET_TIGHT),
        ],
    }
}

/// Fit the code (`module_width` modules a side) and its text into `body`.
/// `text_width` is the widest text line, `text_rows(width)` the rows the
/// text needs at a width. `None`: nothing scannable fits.
pub fn place(
    body: Rect,
    module_width: usize,
    choice: ModeChoice,
    caps: Caps,
    text_width: u16,
    text_rows: impl Fn(u16) -> u16,
) -> Option<Placement> {
    let stack_rows = text_rows(body.width) + STACK_SLACK;
    let rooms = [
        (
            TextPlace::Beside,
            (body.width.saturating_sub(GAP + SIDE_MIN), body.height),
        ),
        (
            TextPlace::Below,
            (body.width, body.height.saturating_sub(stack_rows)),
        ),
        (
            TextPlace::OneLine,
            (body.width, body.height.saturating_sub(1)),
        ),
        (TextPlace::None, (body.width, body.height)),
    ];
    // Images: the layout that gives the biggest code (beside on ties); the
    // `m` key's forced modes mean glyphs.
    if let (ModeChoice::Auto, Some(px)) = (choice, caps.image_cell_px) {
        let best = rooms
            .iter()
            .filter_map(|&(place, room)| image_fit(module_width, room, px).map(|f| (place, f)))
            .fold(None::<(TextPlace, ImageFit)>, |best, c| match best {
                Some(b) if b.1.scale >= c.1.scale => Some(b),
                _ => Some(c),
            });
        if let Some((place, fit)) = best {
            return Some(arrange(
                body,
                (fit.cols, fit.rows),
                place,
                text_width,
                stack_rows,
                Drawing::Image(fit),
            ));
        }
    }
    for &(mode, quiet) in glyph_candidates(choice, caps.sextants) {
        let size = cells_needed(module_width, mode, quiet);
        for &(place, room) in &rooms {
            if size.0 <= room.0 && size.1 <= room.1 {
                return Some(arrange(
                    body,
                    size,
                    place,
                    text_width,
                    stack_rows,
                    Drawing::Glyphs { mode, quiet },
                ));
            }
        }
    }
    None
}

fn arrange(
    body: Rect,
    (width, height): (u16, u16),
    place: TextPlace,
    text_width: u16,
    stack_rows: u16,
    drawing: Drawing,
) -> Placement {
    let left = body.x + body.width.saturating_sub(width) / 2;
    match place {
        TextPlace::Beside => {
            let text_w = text_width
                .max(SIDE_MIN)
                .min(body.width.saturating_sub(width + GAP));
            let left = body.x + body.width.saturating_sub(width + GAP + text_w) / 2;
            let top = body.y + body.height.saturating_sub(height) / 2;
            Placement {
                qr: Rect::new(left, top, width, height),
                text: Rect::new(left + width + GAP, body.y, text_w, body.height),
                drawing,
                text_place: place,
            }
        }
        TextPlace::Below | TextPlace::OneLine => {
            let under = if place == TextPlace::Below {
                stack_rows
            } else {
                1
            };
            let used = (height + under).min(body.height);
            let top = body.y + (body.height - used) / 2;
            Placement {
                qr: Rect::new(left, top, width, height),
                text: Rect::new(
                    body.x,
                    top + height,
                    body.width,
                    body.bottom().saturating_sub(top + height),
                ),
                drawing,
                text_place: place,
            }
        }
        TextPlace::None => {
            let top = body.y + body.height.saturating_sub(height) / 2;
            Placement {
                qr: Rect::new(left, top, width, height),
                text: Rect::new(body.x, body.y, 0, 0),
                drawing,
                text_place: place,
            }
        }
    }
}

/// The terminal sizes (whole window) that would show a code, smallest
/// drawing first: the code alone plus the header and key bar.
pub fn terminal_needed(
    module_width: usize,
    choice: ModeChoice,
    sextants: SextantSupport,
) -> Vec<(DrawMode, (u16, u16))> {
    let mut sizes: Vec<(DrawMode, (u16, u16))> = Vec::new();
    let mut candidates: Vec<DrawMode> = glyph_candidates(choice, sextants)
        .iter()
        .map(|&(m, _)| m)
        .collect();
    candidates.dedup();
    // Smallest first: compact (if allowed) then half.
    candidates.sort_by_key(|m| match m {
        DrawMode::Compact => 0,
        DrawMode::Half => 1,
    });
    for mode in candidates {
        let (w, h) = cells_needed(module_width, mode, QUIET);
        sizes.push((mode, (w.max(MIN_WIDTH), (h + CHROME_ROWS).max(MIN_HEIGHT))));
    }
    sizes
}

/// Whether the other glyph mode than `drawn` would fit `body` (the `m`
/// hint is shown only then).
pub fn other_mode_fits(body: Rect, module_width: usize, drawn: DrawMode) -> bool {
    let other = match drawn {
        DrawMode::Half => ModeChoice::Compact,
        DrawMode::Compact => ModeChoice::Half,
    };
    place(body, module_width, other, Caps::UNKNOWN, 0, |_| 0).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: Caps = Caps {
        sextants: SextantSupport::Font,
        image_cell_px: None,
    };
    const DRAWS: Caps = Caps {
        sextants: SextantSupport::Draws,
        image_cell_px: None,
    };

    fn body(w: u16, h: u16) -> Rect {
        // The dashboard's body: the header row above, two rows below.
        Rect::new(0, 1, w, h - CHROME_ROWS)
    }

    fn glyphs(p: &Placement) -> (DrawMode, usize) {
        match p.drawing {
            Drawing::Glyphs { mode, quiet } => (mode, quiet),
            Drawing::Image(_) => panic!("image"),
        }
    }

    #[test]
    fn drawing_choice_by_identity_size_graphics_and_override() {
        // v9 pairing code: 53 modules; half 61×31, compact 31×21 with quiet 4.
        let xterm_px = Caps {
            sextants: SextantSupport::Font,
            image_cell_px: Some((6, 13)),
        };
        let kitty_px = Caps {
            sextants: SextantSupport::Draws,
            image_cell_px: Some((10, 20)),
        };
        let unknown = Caps::UNKNOWN;
        type Want = Option<(DrawMode, usize)>;
        /// (terminal size, caps, choice, image expected, glyphs expected)
        type Case = ((u16, u16), Caps, ModeChoice, bool, Want);
        let half = Some((DrawMode::Half, QUIET));
        let compact = Some((DrawMode::Compact, QUIET));
        // (terminal, caps, choice, expect image?, expected glyphs)
        let table: [Case; 14] = [
            ((80, 24), FONT, ModeChoice::Auto, false, None),
            ((80, 24), DRAWS, ModeChoice::Auto, false, compact),
            ((80, 24), unknown, ModeChoice::Auto, false, compact),
            ((80, 24), xterm_px, ModeChoice::Auto, true, None),
            ((80, 24), kitty_px, ModeChoice::Auto, true, None),
            // `m` overrides images and kinds.
            ((80, 24), kitty_px, ModeChoice::Compact, false, compact),
            ((80, 24), FONT, ModeChoice::Compact, false, compact),
            ((80, 24), DRAWS, ModeChoice::Half, false, None),
            // Half blocks need only the code + header + key bar: 61×34.
            ((61, 34), FONT, ModeChoice::Auto, false, half),
            (
                (61, 33),
                FONT,
                ModeChoice::Auto,
                false,
                Some((DrawMode::Half, QUIET_TIGHT)),
            ),
            ((61, 33), DRAWS, ModeChoice::Auto, false, compact),
            ((100, 34), DRAWS, ModeChoice::Auto, false, half),
            ((57, 29), FONT, ModeChoice::Auto, false, None),
            ((20, 6), kitty_px, ModeChoice::Auto, false, None),
        ];
        for (i, ((w, h), caps, choice, image, want)) in table.into_iter().enumerate() {
            let p = place(body(w, h), 53, choice, caps, 40, |_| 8);
            match (image, want, p) {
                (true, _, Some(p)) => {
                    assert!(matches!(p.drawing, Drawing::Image(_)), "case {i}: {p:?}")
                }
                (false, None, p) => assert_eq!(p, None, "case {i}"),
                (false, Some(want), Some(p)) => assert_eq!(glyphs(&p), want, "case {i}"),
                (_, _, None) => panic!("case {i}: nothing placed"),
            }
        }
    }

    #[test]
    fn images_at_80x24_leave_room_for_the_text_beside() {
        for px in [(6, 13), (8, 16), (10, 20)] {
            let caps = Caps {
                sextants: SextantSupport::Font,
                image_cell_px: Some(px),
            };
            let b = body(80, 24);
            let p = place(b, 53, ModeChoice::Auto, caps, 40, |_| 8).unwrap();
            let Drawing::Image(fit) = p.drawing else {
                panic!()
            };
            assert_eq!(p.text_place, TextPlace::Beside, "{px:?}");
            assert!(p.text.width >= SIDE_MIN && p.text.x >= p.qr.right() + GAP);
            assert!(p.qr.right() <= b.right() && p.qr.bottom() <= b.bottom());
            assert_eq!((p.qr.width, p.qr.height), (fit.cols, fit.rows));
            // Square in pixels: the code's pixel side fits both ways.
            let side = 61 * fit.scale;
            assert!(u32::from(fit.cols) * u32::from(px.0) >= side);
            assert!(u32::from(fit.rows) * u32::from(px.1) >= side);
        }
    }

    #[test]
    fn layouts_fall_back_from_beside_to_below_to_one_line_to_alone() {
        // 61 wide: no room beside a half code; tall enough for text below.
        let p = place(
            Rect::new(0, 0, 62, 45),
            53,
            ModeChoice::Auto,
            FONT,
            60,
            |w| 60u16.div_ceil(w) + 5,
        )
        .unwrap();
        assert_eq!(
            (p.text_place, glyphs(&p).0),
            (TextPlace::Below, DrawMode::Half)
        );
        assert_eq!(p.text.y, p.qr.bottom());
        let p = place(
            Rect::new(0, 0, 62, 32),
            53,
            ModeChoice::Auto,
            FONT,
            60,
            |_| 8,
        )
        .unwrap();
        assert_eq!(p.text_place, TextPlace::OneLine);
        let p = place(
            Rect::new(0, 0, 62, 31),
            53,
            ModeChoice::Auto,
            FONT,
            60,
            |_| 8,
        )
        .unwrap();
        assert_eq!(p.text_place, TextPlace::None);
        assert_eq!((p.qr.width, p.qr.height), (61, 31));
    }

    #[test]
    fn sizes_to_name_and_the_m_hint() {
        // Font kind: only half blocks are worth naming.
        assert_eq!(
            terminal_needed(53, ModeChoice::Auto, SextantSupport::Font),
            [(DrawMode::Half, (61, 34))]
        );
        assert_eq!(
            terminal_needed(53, ModeChoice::Auto, SextantSupport::Unknown),
            [(DrawMode::Compact, (60, 24)), (DrawMode::Half, (61, 34))]
        );
        // At 80×24 half blocks do not fit: no "press m" hint under a compact code.
        assert!(!other_mode_fits(body(80, 24), 53, DrawMode::Compact));
        assert!(other_mode_fits(body(100, 40), 53, DrawMode::Compact));
        assert!(other_mode_fits(body(80, 24), 53, DrawMode::Half));
    }
}
