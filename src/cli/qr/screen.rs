//! stdout as the code's canvas: what the terminal can draw, and how many
//! rows were drawn last so a new code replaces the old one in place.

use std::io::{IsTerminal, Write};

use super::{Block, Canvas};
use crate::qr;

/// stdout as the code's canvas: its size, what the terminal can
/// draw, and how many rows were drawn last (so a new code replaces the old
/// one in a terminal).
pub(super) struct Screen {
    pub(super) tty: bool,
    pub(super) terminal: crate::term::Terminal,
    pub(super) rows_drawn: usize,
}

impl Screen {
    pub(super) fn new(graphics: crate::term::GraphicsChoice) -> Screen {
        let tty = std::io::stdout().is_terminal();
        // Ask the terminal only when there is one to ask (and to draw on).
        let terminal = if tty {
            crate::term::detect_cooked(graphics, crate::term::PROBE_TIMEOUT)
        } else {
            crate::term::Terminal::unknown()
        };
        Screen {
            tty,
            terminal,
            rows_drawn: 0,
        }
    }

    /// The terminal as it is now (size read at each draw, so a resize
    /// counts); no limit when the output is a file or a pipe.
    pub(super) fn canvas(&self, waiting: bool) -> Canvas {
        Canvas {
            size: self
                .tty
                .then(|| ratatui::crossterm::terminal::size().unwrap_or((80, 24))),
            color: self.tty,
            sextants: self.terminal.identity.sextants,
            picker: if self.tty {
                qr::image::picker_for(&self.terminal.images)
            } else {
                None
            },
            waiting,
        }
    }

    /// In a terminal the code and the warnings are one block, redrawn in
    /// place when either changes. Elsewhere each new code is appended and
    /// warnings go to stderr as they come.
    pub(super) fn update(
        &mut self,
        code: &Block,
        new_code: bool,
        warnings: &str,
        warnings_changed: bool,
    ) {
        if self.tty {
            if new_code || warnings_changed {
                let rows = code.rows + warnings.lines().count();
                self.replace(&format!("{}{warnings}", code.text), rows);
            }
            return;
        }
        if new_code {
            self.replace(&code.text, code.rows);
        }
        if warnings_changed {
            eprint!("{}", crate::sanitize::for_terminal_lines(warnings));
        }
    }

    pub(super) fn replace(&mut self, block: &str, rows: usize) {
        let mut out = std::io::stdout().lock();
        self.replace_in(&mut out, block, rows);
    }

    /// Print `block` (`rows` on screen); in a terminal, over the previous
    /// one (cursor up, clear to end of screen); elsewhere after a
    /// separator, so logs stay readable.
    pub(super) fn replace_in(&mut self, out: &mut impl Write, block: &str, rows: usize) {
        if self.rows_drawn > 0 {
            let _ = if self.tty {
                write!(out, "\x1b[{}F\x1b[J", self.rows_drawn)
            } else {
                writeln!(out, "{}", crate::i18n::strings().cli.qr_new_code)
            };
        }
        let _ = out.write_all(block.as_bytes());
        let _ = out.flush();
        self.rows_drawn = rows;
    }
}
