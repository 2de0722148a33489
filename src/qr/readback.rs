//! Drawn glyphs -> modules -> rqrr: proof that what we put on screen scans.
//! Used by tests and benchmarks, and handy for checking `wadash qr` output.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::decode::read_qr;
use super::error::QrError;
use super::glyphs::{half_modules, is_compact_only, is_half_only, sextant_pattern};
use super::layout::DrawMode;

/// Pixels per module in the picture handed to rqrr.
const PIXELS_PER_MODULE: usize = 4;
/// Light margin (modules) around the picture, in case the drawing touches its edge.
const MARGIN: usize = 4;

/// Which modules are drawn as glyphs, read back from cells.
struct GlyphMap {
    width: usize,
    height: usize,
    glyph: Vec<bool>,
}

impl GlyphMap {
    /// `rows` of cells; any symbol that is not a glyph of `mode` counts as
    /// empty (labels and borders around a code are background).
    fn from_cells<'a, R, C>(rows: R, mode: DrawMode) -> GlyphMap
    where
        R: IntoIterator<Item = C>,
        C: IntoIterator<Item = &'a str>,
    {
        let (across, down) = mode.modules_per_cell();
        let cell_rows: Vec<Vec<u8>> = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|symbol| cell_bits(symbol, mode))
                    .collect()
            })
            .collect();
        let cols = cell_rows.iter().map(Vec::len).max().unwrap_or(0);
        let (width, height) = (cols * across, cell_rows.len() * down);
        let mut glyph = vec![false; width * height];
        for (row, cells) in cell_rows.iter().enumerate() {
            for (col, &bits) in cells.iter().enumerate() {
                for dy in 0..down {
                    for dx in 0..across {
                        if bits & (1 << (dy * across + dx)) != 0 {
                            glyph[(row * down + dy) * width + col * across + dx] = true;
                        }
                    }
                }
            }
        }
        GlyphMap {
            width,
            height,
            glyph,
        }
    }

    /// Read the code, `glyph_is_light` telling which polarity the glyphs have.
    fn decode(&self, glyph_is_light: bool) -> Result<String, QrError> {
        if self.width == 0 || self.height == 0 {
            return Err(QrError::Buffer {
                reason: "the area is empty".into(),
            });
        }
        let side = |n: usize| (n + 2 * MARGIN) * PIXELS_PER_MODULE;
        read_qr(side(self.width), side(self.height), |px, py| {
            let (x, y) = (px / PIXELS_PER_MODULE, py / PIXELS_PER_MODULE);
            let inside = (MARGIN..MARGIN + self.width).contains(&x)
                && (MARGIN..MARGIN + self.height).contains(&y);
            let light = if inside {
                self.glyph[(y - MARGIN) * self.width + (x - MARGIN)] == glyph_is_light
            } else {
                true
            };
            if light { 255 } else { 0 }
        })
    }
}

/// Bits of the modules a cell draws, in reading order, for `mode`.
fn cell_bits(symbol: &str, mode: DrawMode) -> u8 {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return 0;
    };
    match mode {
        DrawMode::Half => {
            half_modules(c).map_or(0, |(top, bottom)| u8::from(top) | u8::from(bottom) << 1)
        }
        DrawMode::Compact => sextant_pattern(c).unwrap_or(0),
    }
}

/// Read a `Drawing`'s lines back, knowing its mode and polarity.
pub fn decode_lines(lines: &[String], mode: DrawMode, invert: bool) -> Result<String, QrError> {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| l.chars().map(String::from).collect())
        .collect();
    let map = GlyphMap::from_cells(rows.iter().map(|r| r.iter().map(String::as_str)), mode);
    map.decode(!invert)
}

/// Read a rendered buffer region back into modules and decode them.
///
/// The mode is recognised from the glyphs (`▀ ▄` only occur in half mode,
/// sextants and `▌ ▐` only in compact). Polarity comes from the colours when
/// there are any (black glyphs = inverted); with no colours both are tried,
/// as a phone would see either. Cells that are not glyphs count as empty.
pub fn decode_buffer(buffer: &Buffer, area: Rect) -> Result<String, QrError> {
    let area = area.intersection(buffer.area);
    if area.is_empty() {
        return Err(QrError::Buffer {
            reason: "the area is outside the buffer".into(),
        });
    }
    let cells = || {
        (area.top()..area.bottom()).map(move |y| {
            (area.left()..area.right())
                .map(move |x| buffer.cell((x, y)).map_or("", |cell| cell.symbol()))
        })
    };
    let mut saw_half = false;
    let mut saw_compact = false;
    let mut saw_black_glyph = false;
    for pos in area.positions() {
        let Some(cell) = buffer.cell(pos) else {
            continue;
        };
        let c = cell.symbol().chars().next().unwrap_or(' ');
        saw_half |= is_half_only(c);
        saw_compact |= is_compact_only(c);
        saw_black_glyph |= c != ' ' && cell.fg == Color::Black;
    }
    let modes: &[DrawMode] = match (saw_half, saw_compact) {
        (true, false) => &[DrawMode::Half],
        (false, true) => &[DrawMode::Compact],
        _ => &[DrawMode::Half, DrawMode::Compact],
    };
    let polarities = if saw_black_glyph {
        [false, true]
    } else {
        [true, false]
    };
    let mut first_error = None;
    for &mode in modes {
        let map = GlyphMap::from_cells(cells(), mode);
        for glyph_is_light in polarities {
            match map.decode(glyph_is_light) {
                Ok(text) => return Ok(text),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    Err(first_error.unwrap_or(QrError::Buffer {
        reason: "no glyphs".into(),
    }))
}
