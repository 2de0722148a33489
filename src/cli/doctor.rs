//! `wadash doctor`: what wadash detects about this terminal, and what the
//! QR pane will draw here (the same report as the dashboard's `:doctor`).

use super::args::GlobalArgs;
use super::{CliError, Outcome};

pub fn run(global: &GlobalArgs) -> Result<Outcome, CliError> {
    let choice = global.qr_graphics.unwrap_or_default();
    let terminal = crate::term::detect_cooked(choice, crate::term::PROBE_TIMEOUT);
    let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let t = crate::i18n::strings().cli;
    let choice = choice.to_string();
    println!("{}", crate::i18n::fill(t.doc_title, &[("choice", &choice)]));
    for line in crate::term::doctor::lines(&terminal, size) {
        println!("{line}");
    }
    println!();
    println!("{}", t.doc_sextant_advice);
    Ok(Outcome::Ok)
}
