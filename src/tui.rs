//! The terminal: enter raw mode and the alternate screen, and always give
//! the terminal back — on quit, on error, on panic and on signals.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use tokio::sync::mpsc;

use crate::app::msg::Msg;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// The dashboard draws on stdout: refuse when stdout is a file or a pipe
/// (`wadash > out.txt`), which would otherwise fill with escape codes while
/// the keyboard drives a screen nobody sees.
pub fn require_terminal() -> Result<(), String> {
    use std::io::IsTerminal;
    if io::stdout().is_terminal() {
        return Ok(());
    }
    Err(
        "the dashboard needs a terminal, and standard output is not one (redirected to a file \
         or a pipe?). For text, use `wadash status` (or `wadash status --json`); to watch \
         unattended, `wadash watch`."
            .into(),
    )
}

/// Owns the terminal while the dashboard runs; restores it when dropped.
pub struct TerminalGuard {
    pub terminal: Term,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        take_over()?;
        let terminal =
            Terminal::new(CrosstermBackend::new(io::stdout())).inspect_err(|_| restore())?;
        Ok(TerminalGuard { terminal })
    }

    /// Ctrl-Z / SIGTSTP: give the terminal back, stop until `fg`, then take
    /// it again and redraw everything (the shell drew over the screen).
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        crate::signals::stop_self();
        take_over()?;
        // A fresh Terminal: its empty last frame makes the next draw paint
        // every cell. (`Terminal::clear` asks the terminal for the cursor
        // position and waits for the answer, which not every terminal sends.)
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(())
    }
}

fn take_over() -> io::Result<()> {
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    ) {
        restore();
        return Err(e);
    }
    Ok(())
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Idempotent: safe to call from the panic hook and from Drop.
pub fn restore() {
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Restore the terminal before the panic message is printed, so the message
/// is readable and the shell usable; then point at the log.
///
/// Only a panic on the calling (UI) thread ends the dashboard. The worker
/// survives panics in its tasks (a decoder choking on a bad image becomes
/// an error message), so those must leave the terminal alone: restoring it
/// would leave the dashboard running on a cooked screen with panic text on
/// it. They go to the log file only.
pub fn install_panic_hook(log_path: Option<PathBuf>) {
    let ui = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !on_thread(ui) {
            tracing::error!("panic in a background task (the dashboard goes on): {info}");
            return;
        }
        restore();
        previous(info);
        if let Some(path) = &log_path {
            eprintln!("wadash crashed; the log is at {}", path.display());
        }
    }));
}

fn on_thread(ui: std::thread::ThreadId) -> bool {
    std::thread::current().id() == ui
}

/// Read terminal events on a plain thread (crossterm's read blocks) and
/// forward them. Stops when `stop` is set or the receiver is gone.
pub fn spawn_input(
    tx: mpsc::UnboundedSender<Msg>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::on_thread;

    #[test]
    fn only_the_installing_thread_counts_as_the_ui() {
        let ui = std::thread::current().id();
        assert!(on_thread(ui));
        let elsewhere = std::thread::spawn(move || on_thread(ui)).join().unwrap();
        assert!(
            !elsewhere,
            "a worker thread's panic must not restore the terminal"
        );
    }
}
