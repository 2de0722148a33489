//! Module grid -> lines of glyphs.
//!
//! Light modules are the glyphs: the default terminal draws glyphs light on
//! a dark background, so the code has the right polarity even with no colour
//! at all. `invert` makes the dark modules the glyphs instead, for light
//! terminal themes under NO_COLOR.

use super::encode::Modules;
use super::glyphs::{half_glyph, sextant_glyph};
use super::layout::{DrawMode, cells_needed};

/// No drawing needs more; caps memory for a careless caller.
const MAX_QUIET: usize = 16;

/// A code drawn as text, one `String` per terminal row, one char per cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    /// Whether dark modules are the glyphs.
    pub invert: bool,
    pub lines: Vec<String>,
    /// Size in cells.
    pub width: u16,
    pub height: u16,
}

pub fn draw(modules: &Modules, mode: DrawMode, quiet: usize, invert: bool) -> Drawing {
    let quiet = quiet.min(MAX_QUIET);
    let (width, height) = cells_needed(modules.width(), mode, quiet);
    let (across, down) = mode.modules_per_cell();
    let offset = quiet as isize;
    // Past the padded side (when the side does not divide evenly into cells)
    // we keep drawing light modules: a wider quiet zone, never a stray bar.
    let glyph_at = |x: usize, y: usize| {
        let light = !modules.is_dark(x as isize - offset, y as isize - offset);
        light != invert
    };
    let lines: Vec<String> = (0..usize::from(height))
        .map(|row| {
            (0..usize::from(width))
                .map(|col| {
                    let (x, y) = (col * across, row * down);
                    match mode {
                        DrawMode::Half => half_glyph(glyph_at(x, y), glyph_at(x, y + 1)),
                        DrawMode::Compact => {
                            let mut pattern = 0u8;
                            for dy in 0..3 {
                                for dx in 0..2 {
                                    if glyph_at(x + dx, y + dy) {
                                        pattern |= 1 << (dy * 2 + dx);
                                    }
                                }
                            }
                            sextant_glyph(pattern)
                        }
                    }
                })
                .collect()
        })
        .collect();
    Drawing {
        invert,
        lines,
        width,
        height,
    }
}

impl Drawing {
    /// The drawing for a plain terminal (`wadash qr`): with `color`, each
    /// line carries explicit SGR colours (bright white on black, or swapped
    /// when inverted) so the code scans on light themes too; without, the
    /// glyphs alone carry it (NO_COLOR). Ends with a newline.
    pub fn to_ansi(&self, color: bool) -> String {
        let (start, end) = match (color, self.invert) {
            (false, _) => ("", ""),
            (true, false) => ("\x1b[97;40m", "\x1b[0m"),
            (true, true) => ("\x1b[30;107m", "\x1b[0m"),
        };
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(start);
            out.push_str(line);
            out.push_str(end);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::encode::encode;

    #[test]
    fn size_matches_the_arithmetic() {
        let modules = encode("hello world").unwrap();
        for mode in [DrawMode::Half, DrawMode::Compact] {
            for quiet in [2, 4] {
                let d = draw(&modules, mode, quiet, false);
                assert_eq!(
                    (d.width, d.height),
                    cells_needed(modules.width(), mode, quiet)
                );
                assert_eq!(d.lines.len(), usize::from(d.height));
                assert!(
                    d.lines
                        .iter()
                        .all(|l| l.chars().count() == usize::from(d.width))
                );
            }
        }
    }

    #[test]
    fn quiet_zone_is_light_glyphs_and_inverts() {
        let modules = encode("hello world").unwrap();
        let normal = draw(&modules, DrawMode::Half, 4, false);
        // First two rows are all quiet zone: light, so full glyphs.
        assert!(normal.lines[0].chars().all(|c| c == '█'));
        let inverted = draw(&modules, DrawMode::Half, 4, true);
        assert!(inverted.lines[0].chars().all(|c| c == ' '));
        // Row 2 holds module rows 4 and 5 = the finder's top edge (dark) and
        // the row below it; column 4 is the finder's corner: dark over dark.
        assert_eq!(normal.lines[2].chars().nth(4), Some(' '));
        assert_eq!(inverted.lines[2].chars().nth(4), Some('█'));
    }

    #[test]
    fn ansi_colours_follow_polarity() {
        let modules = encode("x").unwrap();
        let d = draw(&modules, DrawMode::Compact, 4, false);
        assert!(d.to_ansi(true).starts_with("\x1b[97;40m"));
        assert!(!d.to_ansi(false).contains('\x1b'));
        let i = draw(&modules, DrawMode::Compact, 4, true);
        assert!(i.to_ansi(true).starts_with("\x1b[30;107m"));
    }

    #[test]
    fn absurd_quiet_zone_is_capped() {
        let modules = encode("x").unwrap();
        let d = draw(&modules, DrawMode::Half, usize::MAX, false);
        assert_eq!(
            (d.width, d.height),
            cells_needed(modules.width(), DrawMode::Half, MAX_QUIET)
        );
    }
}
