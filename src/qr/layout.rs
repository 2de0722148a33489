//! Size arithmetic: how many terminal cells a code needs in each mode, and
//! which mode fits an area. Pure functions, so the pane and `wadash qr`
//! agree and tests can check them against the formulas.

use std::fmt;

/// The preferred quiet zone (what the QR standard asks for).
pub const QUIET: usize = 4;
/// The fallback quiet zone, used only when it is what makes the code fit.
pub const QUIET_TIGHT: usize = 2;

/// How modules map onto cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DrawMode {
    /// `█ ▀ ▄`: 1×2 modules per cell. Works with every font.
    Half,
    /// Sextants: 2×3 modules per cell. Needs a font with U+1FB00–U+1FB3B.
    Compact,
}

impl DrawMode {
    /// Modules per cell, (across, down).
    pub fn modules_per_cell(self) -> (usize, usize) {
        match self {
            DrawMode::Half => (1, 2),
            DrawMode::Compact => (2, 3),
        }
    }
}

impl fmt::Display for DrawMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DrawMode::Half => "half",
            DrawMode::Compact => "compact",
        })
    }
}

/// What the user asked for: `--mode` and the pane's `m` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum ModeChoice {
    /// Half blocks when they fit, compact otherwise.
    #[default]
    Auto,
    Half,
    Compact,
}

impl ModeChoice {
    /// The next choice in the `m` key's cycle: auto -> half -> compact -> auto.
    pub fn next(self) -> ModeChoice {
        match self {
            ModeChoice::Auto => ModeChoice::Half,
            ModeChoice::Half => ModeChoice::Compact,
            ModeChoice::Compact => ModeChoice::Auto,
        }
    }
}

impl fmt::Display for ModeChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ModeChoice::Auto => "auto",
            ModeChoice::Half => "half",
            ModeChoice::Compact => "compact",
        })
    }
}

/// Cells (cols, rows) a code of `module_width` modules needs, quiet zone included.
/// Saturates at `u16::MAX` rather than wrapping.
pub fn cells_needed(module_width: usize, mode: DrawMode, quiet: usize) -> (u16, u16) {
    let side = module_width.saturating_add(quiet.saturating_mul(2));
    let (across, down) = mode.modules_per_cell();
    (to_u16(side.div_ceil(across)), to_u16(side.div_ceil(down)))
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// The outcome of fitting a code into an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Draw {
        mode: DrawMode,
        quiet: usize,
    },
    /// No allowed mode fits, not even with the tight quiet zone: say how
    /// big the terminal must be with [`enlarge_sizes`].
    TooSmall,
}

/// " 31×24 (61×34 with half blocks)": the sizes from [`enlarge_sizes`], the
/// first plain and the rest in parentheses; `half_blocks` is the caller's
/// words for "with half blocks" (the pane translates them).
pub fn describe_sizes(sizes: &[(DrawMode, (u16, u16))], half_blocks: &str) -> String {
    let mut text = String::new();
    for (i, (mode, (w, h))) in sizes.iter().enumerate() {
        let size = match mode {
            DrawMode::Half => format!("{w}×{h} {half_blocks}"),
            DrawMode::Compact => format!("{w}×{h}"),
        };
        text.push_str(&if i == 0 {
            format!(" {size}")
        } else {
            format!(" ({size})")
        });
    }
    text
}

/// The one answer to "how big must the terminal be": the sizes (cols, rows)
/// to name when a code does not fit, each with the full quiet zone plus the
/// `extra` (cols, rows) the caller puts around the code (its text, its
/// chrome). `Auto` names compact (the smaller) then half blocks; a forced
/// mode names only itself.
pub fn enlarge_sizes(
    module_width: usize,
    choice: ModeChoice,
    extra: (u16, u16),
) -> Vec<(DrawMode, (u16, u16))> {
    let modes: &[DrawMode] = match choice {
        ModeChoice::Auto => &[DrawMode::Compact, DrawMode::Half],
        ModeChoice::Half => &[DrawMode::Half],
        ModeChoice::Compact => &[DrawMode::Compact],
    };
    modes
        .iter()
        .map(|&mode| {
            let (cols, rows) = cells_needed(module_width, mode, QUIET);
            (
                mode,
                (cols.saturating_add(extra.0), rows.saturating_add(extra.1)),
            )
        })
        .collect()
}

/// Which mode and quiet zone to draw with in `available` (cols, rows).
///
/// Auto: half blocks with the full quiet zone when they fit, else compact
/// with the full quiet zone, else compact with the tight one. A forced mode
/// tries its full then its tight quiet zone. `TooSmall` otherwise.
pub fn choose(module_width: usize, available: (u16, u16), choice: ModeChoice) -> Fit {
    let candidates: &[(DrawMode, usize)] = match choice {
        ModeChoice::Auto => &[
            (DrawMode::Half, QUIET),
            (DrawMode::Compact, QUIET),
            (DrawMode::Compact, QUIET_TIGHT),
        ],
        ModeChoice::Half => &[(DrawMode::Half, QUIET), (DrawMode::Half, QUIET_TIGHT)],
        ModeChoice::Compact => &[(DrawMode::Compact, QUIET), (DrawMode::Compact, QUIET_TIGHT)],
    };
    let fits = |(cols, rows): (u16, u16)| cols <= available.0 && rows <= available.1;
    candidates
        .iter()
        .find(|&&(mode, quiet)| fits(cells_needed(module_width, mode, quiet)))
        .map_or(Fit::TooSmall, |&(mode, quiet)| Fit::Draw { mode, quiet })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked out by hand, independent of `cells_needed`: (cols, rows) =
    /// half: (n, ceil(n/2)), compact: (ceil(n/2), ceil(n/3)), n = w + 2q.
    fn expected(w: usize, mode: DrawMode, q: usize) -> (u16, u16) {
        let n = (w + 2 * q) as u16;
        match mode {
            DrawMode::Half => (n, n / 2 + n % 2),
            DrawMode::Compact => (n / 2 + n % 2, n / 3 + u16::from(!n.is_multiple_of(3))),
        }
    }

    #[test]
    fn cells_needed_for_versions_1_to_12() {
        for v in 1..=12 {
            let w = 17 + 4 * v;
            for mode in [DrawMode::Half, DrawMode::Compact] {
                assert_eq!(
                    cells_needed(w, mode, QUIET),
                    expected(w, mode, QUIET),
                    "v{v} {mode}"
                );
                assert_eq!(
                    cells_needed(w, mode, QUIET_TIGHT),
                    expected(w, mode, QUIET_TIGHT)
                );
            }
        }
        // Two rows written out in full, as a sanity check of the helper itself.
        assert_eq!(cells_needed(21, DrawMode::Half, 4), (29, 15));
        assert_eq!(cells_needed(53, DrawMode::Compact, 4), (31, 21));
    }

    #[test]
    fn cells_needed_saturates() {
        assert_eq!(
            cells_needed(usize::MAX, DrawMode::Half, 4),
            (u16::MAX, u16::MAX)
        );
    }

    #[test]
    fn auto_choice_for_common_terminals() {
        // Worked out by hand from the formulas above, versions 1 to 12
        // (w = 17 + 4v): H = half blocks, C = compact, c = compact with the
        // tight quiet zone.
        let table = [
            ((80, 24), "HHHHHCCCCCCc"),
            ((100, 30), "HHHHHHHHCCCC"),
            ((120, 40), "HHHHHHHHHHHH"),
        ];
        for (area, modes) in table {
            for (v, letter) in (1..).zip(modes.chars()) {
                let expected = match letter {
                    'H' => (DrawMode::Half, QUIET),
                    'C' => (DrawMode::Compact, QUIET),
                    _ => (DrawMode::Compact, QUIET_TIGHT),
                };
                let (mode, quiet) = expected;
                assert_eq!(
                    choose(17 + 4 * v, area, ModeChoice::Auto),
                    Fit::Draw { mode, quiet },
                    "v{v} in {area:?}"
                );
            }
        }
        // Spelled out for the pairing-text sizes (v9 = 53, v10 = 57 modules):
        // 80×24 cannot take half blocks (61×31) but takes compact (31×21).
        assert_eq!(
            choose(53, (80, 24), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Compact,
                quiet: 4
            }
        );
        assert_eq!(
            choose(57, (80, 24), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Compact,
                quiet: 4
            }
        );
        // 120×40 takes half blocks up to v12 (65 + 8 = 73 → 73×37).
        assert_eq!(
            choose(65, (120, 40), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Half,
                quiet: 4
            }
        );
        // 100×30: v9 half needs 61×31, one row too many.
        assert_eq!(
            choose(53, (100, 30), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Compact,
                quiet: 4
            }
        );
        assert_eq!(
            choose(49, (100, 30), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Half,
                quiet: 4
            }
        );
    }

    #[test]
    fn tight_quiet_zone_only_when_it_is_what_fits() {
        // v9 compact: 31×21 with quiet 4, 29×19 with quiet 2.
        assert_eq!(
            choose(53, (78, 19), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Compact,
                quiet: 2
            }
        );
        assert_eq!(
            choose(53, (78, 21), ModeChoice::Auto),
            Fit::Draw {
                mode: DrawMode::Compact,
                quiet: 4
            }
        );
        assert_eq!(choose(53, (28, 19), ModeChoice::Auto), Fit::TooSmall);
    }

    #[test]
    fn enlarge_sizes_follow_the_choice_and_add_the_callers_room() {
        // v9: compact 31×21, half 61×31 with the full quiet zone.
        let compact = (DrawMode::Compact, (31, 21));
        let half = (DrawMode::Half, (61, 31));
        assert_eq!(enlarge_sizes(53, ModeChoice::Auto, (0, 0)), [compact, half]);
        assert_eq!(enlarge_sizes(53, ModeChoice::Half, (0, 0)), [half]);
        assert_eq!(enlarge_sizes(53, ModeChoice::Compact, (0, 0)), [compact]);
        assert_eq!(
            enlarge_sizes(53, ModeChoice::Half, (30, 3)),
            [(DrawMode::Half, (91, 34))]
        );
        assert_eq!(
            enlarge_sizes(usize::MAX, ModeChoice::Compact, (5, 5)),
            [(DrawMode::Compact, (u16::MAX, u16::MAX))]
        );
    }

    #[test]
    fn forced_modes() {
        assert_eq!(
            choose(21, (200, 100), ModeChoice::Compact),
            Fit::Draw {
                mode: DrawMode::Compact,
                quiet: 4
            }
        );
        assert_eq!(choose(53, (80, 24), ModeChoice::Half), Fit::TooSmall);
        assert_eq!(
            choose(53, (61, 31), ModeChoice::Half),
            Fit::Draw {
                mode: DrawMode::Half,
                quiet: 4
            }
        );
        assert_eq!(ModeChoice::Auto.next().next().next(), ModeChoice::Auto);
    }
}
