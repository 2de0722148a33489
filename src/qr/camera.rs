//! A rendered code read as a phone camera sees it: each module's brightness
//! comes from the colour the cell paints it in (foreground for the glyph's
//! part, background for the rest), never from guessing the polarity. A
//! module left in the terminal's default colours has no brightness of its
//! own (it depends on the terminal's theme), so such a code is refused:
//! proof that a code is black on white whatever the theme.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::decode::read_qr;
use super::error::QrError;
use super::glyphs::{half_modules, sextant_pattern};
use super::layout::DrawMode;

const PIXELS_PER_MODULE: usize = 4;
/// Light margin around the picture, as the paper around a printed code.
const MARGIN: usize = 4;

/// Decode the code drawn in `area`, modules lit by their cells' colours.
pub fn decode_as_seen(buffer: &Buffer, area: Rect) -> Result<String, QrError> {
    let area = area.intersection(buffer.area);
    let mut first_error = None;
    for mode in [DrawMode::Compact, DrawMode::Half] {
        match seen(buffer, area, mode).and_then(|(w, h, light)| decode(w, h, &light)) {
            Ok(text) => return Ok(text),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(QrError::Buffer {
        reason: "no glyphs".into(),
    }))
}

/// Each module: light (true) or dark, from the colour that paints it.
fn seen(buffer: &Buffer, area: Rect, mode: DrawMode) -> Result<(usize, usize, Vec<bool>), QrError> {
    let (across, down) = mode.modules_per_cell();
    let (width, height) = (
        usize::from(area.width) * across,
        usize::from(area.height) * down,
    );
    let mut light = vec![true; width * height];
    for (row, y) in (area.top()..area.bottom()).enumerate() {
        for (col, x) in (area.left()..area.right()).enumerate() {
            let Some(cell) = buffer.cell((x, y)) else {
                continue;
            };
            let symbol = cell.symbol().chars().next().unwrap_or(' ');
            let bits = match mode {
                DrawMode::Half => {
                    half_modules(symbol).map(|(top, bottom)| u8::from(top) | u8::from(bottom) << 1)
                }
                DrawMode::Compact => sextant_pattern(symbol),
            };
            // Text around the code (labels, borders) is background, and so
            // is a blank cell in the terminal's colours: the code carries
            // its own (painted) quiet zone.
            let Some(bits) = bits else { continue };
            if bits == 0 && cell.bg == Color::Reset {
                continue;
            }
            for dy in 0..down {
                for dx in 0..across {
                    let painted_by = if bits & (1 << (dy * across + dx)) != 0 {
                        cell.fg
                    } else {
                        cell.bg
                    };
                    light[(row * down + dy) * width + col * across + dx] = brightness(painted_by)?;
                }
            }
        }
    }
    Ok((width, height, light))
}

fn brightness(color: Color) -> Result<bool, QrError> {
    match color {
        Color::White | Color::Gray => Ok(true),
        Color::Black | Color::DarkGray => Ok(false),
        Color::Rgb(r, g, b) => Ok(u32::from(r) + u32::from(g) + u32::from(b) > 3 * 128),
        other => Err(QrError::Buffer {
            reason: format!("a module is painted {other:?}: its brightness is the terminal's"),
        }),
    }
}

fn decode(width: usize, height: usize, light: &[bool]) -> Result<String, QrError> {
    let side = |n: usize| (n + 2 * MARGIN) * PIXELS_PER_MODULE;
    read_qr(side(width), side(height), |px, py| {
        let (x, y) = (px / PIXELS_PER_MODULE, py / PIXELS_PER_MODULE);
        let inside =
            (MARGIN..MARGIN + width).contains(&x) && (MARGIN..MARGIN + height).contains(&y);
        let lit = !inside || light[(y - MARGIN) * width + (x - MARGIN)];
        if lit { 255 } else { 0 }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::{QrWidget, draw, encode};
    use ratatui::widgets::Widget;

    fn rendered(invert: bool, color: bool) -> Buffer {
        let drawing = draw(&encode("pairing").unwrap(), DrawMode::Half, 4, invert);
        let area = Rect::new(0, 0, drawing.width + 2, drawing.height + 2);
        let mut buf = Buffer::empty(area);
        QrWidget::new(&drawing).color(color).render(area, &mut buf);
        buf
    }

    #[test]
    fn explicit_colours_read_in_both_polarities() {
        for invert in [false, true] {
            let buf = rendered(invert, true);
            assert_eq!(decode_as_seen(&buf, buf.area).unwrap(), "pairing");
        }
    }

    #[test]
    fn the_terminals_own_colours_are_refused() {
        let buf = rendered(false, false);
        assert!(decode_as_seen(&buf, buf.area).is_err());
    }
}
