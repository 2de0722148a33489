//! The two glyph alphabets and their inverses.
//!
//! Half mode: one cell holds 1×2 modules: `█ ▀ ▄` and space.
//!
//! Compact mode: one cell holds 2×3 modules. A pattern is 6 bits, bit 0 the
//! top-left module, bit 1 top-right, bit 2 middle-left, bit 3 middle-right,
//! bit 4 bottom-left, bit 5 bottom-right: exactly Unicode's "BLOCK SEXTANT-n"
//! numbering (cell n is bit n−1). The block U+1FB00–U+1FB3B lists patterns
//! 1..=62 in order but skips the two that already existed as characters:
//! 21 (left column, `▌`) and 42 (right column, `▐`); 0 is space, 63 is `█`.

const SEXTANT_BASE: u32 = 0x1FB00;
const LEFT_HALF: u8 = 0b01_01_01;
const RIGHT_HALF: u8 = 0b10_10_10;
const FULL: u8 = 0b11_11_11;

/// Glyph for a sextant pattern (only the low 6 bits are used).
pub(crate) fn sextant_glyph(pattern: u8) -> char {
    SEXTANTS[usize::from(pattern & FULL)]
}

/// Pattern for a compact-mode glyph, or `None` for any other character.
pub(crate) fn sextant_pattern(glyph: char) -> Option<u8> {
    match glyph {
        ' ' => Some(0),
        '█' => Some(FULL),
        '▌' => Some(LEFT_HALF),
        '▐' => Some(RIGHT_HALF),
        _ => {
            let offset = u32::from(glyph).checked_sub(SEXTANT_BASE)?;
            if offset > 0x3B {
                return None;
            }
            // Undo the two skips: offsets after each skipped pattern are one short.
            let mut pattern = offset as u8 + 1;
            if pattern >= LEFT_HALF {
                pattern += 1;
            }
            if pattern >= RIGHT_HALF {
                pattern += 1;
            }
            Some(pattern)
        }
    }
}

/// True for glyphs that only compact mode produces (so a reader can tell modes apart).
pub(crate) fn is_compact_only(glyph: char) -> bool {
    matches!(glyph, '▌' | '▐') || (SEXTANT_BASE..=SEXTANT_BASE + 0x3B).contains(&u32::from(glyph))
}

const SEXTANTS: [char; 64] = sextant_table();

const fn sextant_table() -> [char; 64] {
    let mut table = [' '; 64];
    let mut pattern: u32 = 1;
    let mut offset: u32 = 0;
    while pattern < FULL as u32 {
        if pattern == LEFT_HALF as u32 {
            table[pattern as usize] = '▌';
        } else if pattern == RIGHT_HALF as u32 {
            table[pattern as usize] = '▐';
        } else {
            table[pattern as usize] = match char::from_u32(SEXTANT_BASE + offset) {
                Some(c) => c,
                None => '?',
            };
            offset += 1;
        }
        pattern += 1;
    }
    table[FULL as usize] = '█';
    table
}

/// Glyph for a half-mode cell: which of its two modules are drawn.
pub(crate) fn half_glyph(top: bool, bottom: bool) -> char {
    match (top, bottom) {
        (true, true) => '█',
        (true, false) => '▀',
        (false, true) => '▄',
        (false, false) => ' ',
    }
}

/// (top, bottom) for a half-mode glyph, or `None` for any other character.
pub(crate) fn half_modules(glyph: char) -> Option<(bool, bool)> {
    match glyph {
        '█' => Some((true, true)),
        '▀' => Some((true, false)),
        '▄' => Some((false, true)),
        ' ' => Some((false, false)),
        _ => None,
    }
}

/// True for glyphs that only half mode produces.
pub(crate) fn is_half_only(glyph: char) -> bool {
    matches!(glyph, '▀' | '▄')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_64_sextant_patterns_are_distinct_and_map_back() {
        let glyphs: HashSet<char> = (0..64u8).map(sextant_glyph).collect();
        assert_eq!(glyphs.len(), 64);
        for pattern in 0..64u8 {
            assert_eq!(
                sextant_pattern(sextant_glyph(pattern)),
                Some(pattern),
                "pattern {pattern}"
            );
        }
    }

    #[test]
    fn sextant_block_is_used_exactly() {
        // The 60 block characters plus the 4 outside it, nothing else.
        let in_block = (0..64u8)
            .map(sextant_glyph)
            .filter(|&c| (0x1FB00..=0x1FB3B).contains(&u32::from(c)))
            .count();
        assert_eq!(in_block, 60);
    }

    /// The cells named by each character of U+1FB00..=U+1FB3B, in code point
    /// order, copied from the Unicode character names ("BLOCK SEXTANT-135"…).
    const UNICODE_NAMES: [&str; 60] = [
        "1", "2", "12", "3", "13", "23", "123", "4", "14", "24", "124", "34", "134", "234", "1234",
        "5", "15", "25", "125", "35", "235", "1235", "45", "145", "245", "1245", "345", "1345",
        "2345", "12345", "6", "16", "26", "126", "36", "136", "236", "1236", "46", "146", "1246",
        "346", "1346", "2346", "12346", "56", "156", "256", "1256", "356", "1356", "2356", "12356",
        "456", "1456", "2456", "12456", "3456", "13456", "23456",
    ];

    #[test]
    fn sextant_table_matches_unicode_names() {
        for (offset, cells) in UNICODE_NAMES.iter().enumerate() {
            let pattern = cells
                .bytes()
                .fold(0u8, |acc, digit| acc | 1 << (digit - b'1'));
            let expected = char::from_u32(0x1FB00 + offset as u32).unwrap();
            assert_eq!(sextant_glyph(pattern), expected, "SEXTANT-{cells}");
        }
        assert_eq!(sextant_glyph(LEFT_HALF), '▌');
        assert_eq!(sextant_glyph(RIGHT_HALF), '▐');
        assert_eq!(sextant_glyph(0), ' ');
        assert_eq!(sextant_glyph(FULL), '█');
    }

    #[test]
    fn every_glyph_is_one_cell_wide() {
        // ratatui's diff skips cells after wide symbols: a 2-wide glyph would
        // shift the rest of the row and break the code on a real terminal.
        use unicode_width::UnicodeWidthChar;
        for pattern in 0..64u8 {
            let glyph = sextant_glyph(pattern);
            assert_eq!(glyph.width(), Some(1), "{glyph:?}");
        }
        for glyph in ['█', '▀', '▄', ' '] {
            assert_eq!(glyph.width(), Some(1));
        }
    }

    #[test]
    fn half_glyphs_map_back() {
        for top in [false, true] {
            for bottom in [false, true] {
                assert_eq!(half_modules(half_glyph(top, bottom)), Some((top, bottom)));
            }
        }
        assert_eq!(half_modules('x'), None);
        assert_eq!(sextant_pattern('x'), None);
        assert_eq!(sextant_pattern('\u{1FB3C}'), None);
    }
}
