//! One code laid out for the terminal: header, drawing (or what would help),
//! instruction and notes, every row counted so a redraw never scrolls.

use std::path::Path;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::cli::CliError;
use crate::cli::args::QrArgs;
use crate::config::RosterInstance;
use crate::qr::{self, DrawMode, ModeChoice, Modules, PNG_SCALE, QUIET};
use crate::term::SextantSupport;

/// What `wadash qr` draws on: the terminal's size (None: a file or pipe,
/// no limit), colour, what the terminal draws (sextants, images).
pub(crate) struct Canvas {
    pub size: Option<(u16, u16)>,
    /// The code in explicit colours: in a terminal, NO_COLOR or not.
    pub color: bool,
    pub sextants: SextantSupport,
    pub picker: Option<ratatui_image::picker::Picker>,
    /// With `--wait`: one row is kept for a warning line under the code.
    pub waiting: bool,
}

/// One code's output: the text and the rows it takes on screen.
pub(crate) struct Block {
    pub text: String,
    pub rows: usize,
    pub fits: bool,
}

/// Rows the shell prompt needs after the output.
pub(super) const PROMPT_ROWS: usize = 1;

/// `long` when it fits one row of `cols`, else `short` (cut to `cols`):
/// a footer is shortened rather than wrapped.
fn one_row(long: &str, short: &str, cols: Option<u16>) -> String {
    let Some(cols) = cols.map(usize::from) else {
        return long.to_string();
    };
    if long.width() <= cols {
        return long.to_string();
    }
    let mut out = String::new();
    for c in short.chars() {
        if out.width() + c.width().unwrap_or(0) > cols {
            break;
        }
        out.push(c);
    }
    out
}

/// Rows `line` takes in a terminal `cols` wide (wrapping counted).
pub(super) fn rows_of(line: &str, cols: Option<u16>) -> usize {
    match cols {
        Some(cols) => line.width().div_ceil(usize::from(cols.max(1))).max(1),
        None => 1,
    }
}

/// Everything printed for one code, notes included, so that a terminal
/// redraw moves up over all of it: the header, the drawing (or what would
/// help), the instruction, and the notes. Saves the PNG if asked. Every
/// line is counted, wrapping included, against the terminal's rows less the
/// prompt's: the code never scrolls off.
pub(crate) fn code_block(
    inst: &RosterInstance,
    modules: &Modules,
    args: &QrArgs,
    canvas: &Canvas,
) -> Result<Block, CliError> {
    let cols = canvas.size.map(|s| s.0);
    let header = one_row(
        &format!(
            "{} ({}): {}",
            crate::sanitize::for_terminal(&inst.label),
            crate::sanitize::for_terminal(&inst.id),
            crate::i18n::strings().qr_scan_with
        ),
        &format!("{}: {}", inst.id, crate::i18n::strings().qr_scan_with),
        cols,
    );
    let t = crate::i18n::strings().cli;
    let footer = one_row(t.qr_instruction, t.qr_instruction_short, cols);
    let mut tail = Vec::new();
    if let Some(path) = &args.png {
        save_png(path, modules)?;
        tail.push(crate::i18n::fill(
            t.qr_saved_to,
            &[("path", &path.display().to_string())],
        ));
    }
    let tail_rows: usize = tail.iter().map(|l| rows_of(l, cols)).sum();
    let fixed = 2 + tail_rows + PROMPT_ROWS + usize::from(canvas.waiting);
    let room = |extra: usize| match canvas.size {
        Some((c, r)) => (
            c,
            u16::try_from(usize::from(r).saturating_sub(fixed + extra)).unwrap_or(0),
        ),
        None => (u16::MAX, u16::MAX),
    };
    let finish = |drawing: String, drawing_rows: usize, notes: Vec<String>, fits: bool| {
        let mut text = format!("{header}\n{drawing}");
        let mut rows = 1 + drawing_rows;
        if fits {
            text.push_str(&format!("{footer}\n"));
            rows += 1;
        }
        for line in notes.iter().chain(&tail) {
            text.push_str(line);
            text.push('\n');
            rows += rows_of(line, cols);
        }
        Block { text, rows, fits }
    };
    // A terminal image when the terminal shows one and `--mode` is auto.
    if let (Some(picker), ModeChoice::Auto) = (&canvas.picker, args.mode) {
        let px = picker.font_size();
        let fit = qr::image::image_fit(modules.width(), room(0), (px.width, px.height));
        if let Some((image, rows)) =
            fit.and_then(|fit| qr::ansi_image::image_text(picker, modules, fit, args.invert))
        {
            return Ok(finish(image, usize::from(rows), Vec::new(), true));
        }
    }
    for &(mode, quiet) in crate::qr::placement::glyph_candidates(args.mode, canvas.sextants) {
        let (w, h) = qr::cells_needed(modules.width(), mode, quiet);
        let mut notes: Vec<String> = (quiet < QUIET)
            .then(|| one_row(t.qr_tight_note, t.qr_tight_note_short, cols))
            .into_iter()
            .collect();
        // The note costs a row: a real code of ~240 characters in sextants
        // at 80×24 fits only without it, and a code that scans beats a note.
        if h > room(notes.len()).1 {
            notes.clear();
        }
        let (c, r) = room(notes.len());
        if w <= c && h <= r {
            if mode == DrawMode::Compact && args.mode == ModeChoice::Auto {
                tracing::debug!("compact QR drawn; `--mode half` if the font shows boxes");
            }
            // In a terminal the code keeps explicit colours even under
            // NO_COLOR (see `ui::qr_pane`); a file or pipe gets glyphs alone.
            let drawing = qr::draw(modules, mode, quiet, args.invert).to_ansi(canvas.color);
            return Ok(finish(drawing, usize::from(h), notes, true));
        }
    }
    let mut advice = enlarge_text(modules.width(), args.mode, canvas.sextants, fixed);
    advice.push_str(" (or try --png FILE)\n");
    let rows = advice.lines().map(|l| rows_of(l, cols)).sum();
    Ok(finish(advice, rows, Vec::new(), false))
}

/// "enlarge the terminal to at least 31×24 (61×34 with half blocks)": the
/// whole terminal, every line printed around the code included; in a
/// terminal that shows sextants as boxes only half blocks are named.
fn enlarge_text(
    module_width: usize,
    choice: ModeChoice,
    sextants: SextantSupport,
    fixed: usize,
) -> String {
    let extra = u16::try_from(fixed).unwrap_or(u16::MAX);
    let modes: Vec<(DrawMode, (u16, u16))> =
        crate::qr::placement::glyph_candidates(choice, sextants)
            .iter()
            .filter(|(_, quiet)| *quiet == QUIET)
            .map(|&(mode, _)| {
                let (w, h) = qr::cells_needed(module_width, mode, QUIET);
                (mode, (w, h.saturating_add(extra)))
            })
            .collect();
    let mut sizes = modes;
    sizes.sort_by_key(|(mode, _)| *mode == DrawMode::Half);
    let t = crate::i18n::strings().cli;
    crate::i18n::fill(
        t.qr_enlarge,
        &[("sizes", &qr::describe_sizes(&sizes, t.doc_with_half))],
    )
}

fn save_png(path: &Path, modules: &Modules) -> Result<(), CliError> {
    let png = qr::to_png(modules, PNG_SCALE).map_err(|e| CliError(e.to_string()))?;
    let none = crate::output_file::Protected::default();
    crate::output_file::write_output(path, &png, true, &none).map_err(CliError)
}
