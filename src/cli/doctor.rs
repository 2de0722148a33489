//! `wadash doctor`: what wadash detects about this terminal, and what the
//! QR pane will draw here (the same report as the dashboard's `:doctor`).

use super::args::GlobalArgs;
use super::{CliError, Outcome};

pub fn run(global: &GlobalArgs) -> Result<Outcome, CliError> {
    let choice = global.qr_graphics.unwrap_or_default();
    let terminal = crate::term::detect_cooked(choice, crate::term::PROBE_TIMEOUT);
    let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    println!("wadash doctor: the terminal as wadash sees it (images: --qr-graphics {choice})");
    for line in crate::term::doctor::lines(&terminal, size) {
        println!("{line}");
    }
    println!();
    println!("If the sextant sample shows boxes and the pane draws sextants, press m in the");
    println!("QR pane (or run `wadash qr ID --mode half`) and zoom out (Ctrl+-) or enlarge.");
    Ok(Outcome::Ok)
}
