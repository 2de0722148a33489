//! Unit tests of the code block's layout and of redrawing it in place.

use clap::Parser;
use unicode_width::UnicodeWidthStr;

use super::block::{PROMPT_ROWS, rows_of};
use super::*;
use crate::config::RosterInstance;
use crate::i18n::EN;
use crate::term::SextantSupport;

fn args(extra: &[&str]) -> QrArgs {
    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        qr: QrArgs,
    }
    let mut all = vec!["qr", "inst-1"];
    all.extend(extra);
    Cli::parse_from(all).qr
}

fn inst() -> RosterInstance {
    RosterInstance {
        id: "inst-1".into(),
        label: "Tienda".into(),
        account: 0,
        tags: Vec::new(),
    }
}

fn canvas(size: (u16, u16), sextants: SextantSupport) -> Canvas {
    Canvas {
        size: Some(size),
        color: false,
        sextants,
        picker: None,
        waiting: false,
    }
}

/// What a terminal of `size` would show of `block`: every row counted.
fn screen_rows(block: &Block, cols: u16) -> usize {
    block
        .text
        .lines()
        .map(|l| rows_of(&strip(l), Some(cols)))
        .sum()
}

fn strip(line: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in line.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, c) if c.is_ascii_alphabetic() => esc = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

#[test]
fn notes_are_inside_the_block_a_redraw_moves_over() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("code.png");
    let args = args(&["--png", png.to_str().unwrap()]);
    // v9 compact needs 31×21 with the full quiet zone, 29×19 with the tight one.
    let modules = qr::encode(&"x".repeat(220)).unwrap();
    assert_eq!(modules.width(), 53);
    // 24 rows: header, code, footer, note, saved line, prompt = 19 for the code.
    let block = code_block(
        &inst(),
        &modules,
        &args,
        &canvas((80, 24), SextantSupport::Unknown),
    )
    .unwrap();
    assert!(block.fits);
    // The long note (83 columns) is shortened to one row at 80.
    assert!(
        block.text.contains(EN.cli.qr_tight_note_short),
        "{}",
        block.text
    );
    assert!(
        block.text.contains("saved the QR code to"),
        "{}",
        block.text
    );
    assert!(png.exists());
    assert_eq!(block.rows, 23);
    assert_eq!(screen_rows(&block, 80), block.rows);
    let mut screen = Screen {
        tty: true,
        terminal: crate::term::Terminal::unknown(),
        rows_drawn: 0,
    };
    let mut out = Vec::new();
    screen.replace_in(&mut out, &block.text, block.rows);
    screen.replace_in(&mut out, "next\n", 1);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\x1b[23F\x1b[J"), "{text:?}");
}

#[test]
fn a_long_real_code_fits_80x24_in_sextants_without_its_note() {
    // A pairing text of 234 characters (WhatsApp's run to ~240) is a
    // version 10 code: with sextants at 80×24 it fits only with the tight
    // margin and without the note's row.
    let modules = qr::encode(&"x".repeat(234)).unwrap();
    let block = code_block(
        &inst(),
        &modules,
        &args(&[]),
        &canvas((80, 24), SextantSupport::Draws),
    )
    .unwrap();
    assert!(block.fits, "{}", block.text);
    assert!(block.rows + PROMPT_ROWS <= 24, "{}", block.rows);
    assert!(!block.text.contains("note: narrow"), "{}", block.text);
}

#[test]
fn every_printed_row_fits_the_terminal_at_every_size() {
    // Issue 12: `--mode half` at 80×32 / 80×33 printed, then the footer
    // wrapped and the code's top scrolled away.
    let modules = qr::encode(&"x".repeat(220)).unwrap();
    for mode in [&[][..], &["--mode", "half"], &["--mode", "compact"]] {
        for cols in [40u16, 61, 62, 80, 100] {
            for rows in 10u16..45 {
                for kind in [
                    SextantSupport::Draws,
                    SextantSupport::Font,
                    SextantSupport::Unknown,
                ] {
                    let block =
                        code_block(&inst(), &modules, &args(mode), &canvas((cols, rows), kind))
                            .unwrap();
                    let printed = screen_rows(&block, cols);
                    assert_eq!(printed, block.rows, "{mode:?} {cols}×{rows}");
                    if block.fits {
                        assert!(
                            printed + PROMPT_ROWS <= usize::from(rows),
                            "{mode:?} {cols}×{rows}: {printed}"
                        );
                        assert!(
                            block
                                .text
                                .lines()
                                .all(|l| strip(l).width() <= usize::from(cols))
                        );
                    }
                }
            }
        }
    }
    // Half blocks at 80×33 need: header + 31 + footer = 33 rows, plus the prompt: no.
    let half = args(&["--mode", "half"]);
    let b33 = code_block(
        &inst(),
        &modules,
        &half,
        &canvas((80, 33), SextantSupport::Font),
    )
    .unwrap();
    assert!(
        b33.text.contains("note: narrow"),
        "80×33 takes half blocks only with the tight margin"
    );
    let block = code_block(
        &inst(),
        &modules,
        &half,
        &canvas((80, 34), SextantSupport::Font),
    )
    .unwrap();
    assert!(block.fits);
    // The 86-column instruction is shortened, not wrapped, at 80 columns.
    assert!(
        block.text.contains(EN.cli.qr_instruction_short),
        "{}",
        block.text
    );
    let wide = code_block(
        &inst(),
        &modules,
        &half,
        &canvas((100, 40), SextantSupport::Font),
    )
    .unwrap();
    assert!(wide.text.contains(EN.cli.qr_instruction));
}

#[test]
fn too_small_names_the_whole_terminal_for_the_mode_asked() {
    let modules = qr::encode(&"x".repeat(220)).unwrap();
    let block = code_block(
        &inst(),
        &modules,
        &args(&[]),
        &canvas((80, 18), SextantSupport::Unknown),
    )
    .unwrap();
    assert!(!block.fits);
    // Compact 31×21 plus header, footer and prompt; half blocks 61×31 plus three.
    assert!(
        block
            .text
            .contains("at least 31×24 (61×34 with half blocks)"),
        "{}",
        block.text
    );
    let block = code_block(
        &inst(),
        &modules,
        &args(&["--mode", "half"]),
        &canvas((80, 18), SextantSupport::Unknown),
    )
    .unwrap();
    assert!(
        block.text.contains("at least 61×34 with half blocks"),
        "{}",
        block.text
    );
    assert!(!block.text.contains("31×"), "{}", block.text);
    // A terminal that shows sextants as boxes: only half blocks are named,
    // and no compact code is drawn at 80×24.
    let block = code_block(
        &inst(),
        &modules,
        &args(&[]),
        &canvas((80, 24), SextantSupport::Font),
    )
    .unwrap();
    assert!(!block.fits);
    assert!(
        block.text.contains("at least 61×34 with half blocks"),
        "{}",
        block.text
    );
}

#[test]
fn without_a_terminal_there_is_no_size_limit() {
    let modules = qr::encode(&"x".repeat(260)).unwrap();
    let mut c = canvas((1, 1), SextantSupport::Font);
    c.size = None;
    let block = code_block(&inst(), &modules, &args(&["--mode", "half"]), &c).unwrap();
    assert!(block.fits);
}
