//! The terminal wadash runs in: who it is and what it can draw.
//!
//! Asked once at start ([`probe`]: XTVERSION, a kitty graphics query, cell
//! size and primary device attributes, answered within a few milliseconds
//! by every terminal tested; never waits more than [`PROBE_TIMEOUT`]),
//! combined with the environment ([`Env`]) into an [`Identity`] (which
//! terminal, whether it draws sextants itself) and the image protocol
//! the QR pane may use ([`graphics::resolve`]).

pub mod clipboard;
pub mod doctor;
pub mod graphics;
pub mod identify;
pub mod probe;

use std::time::Duration;

pub use graphics::{GraphicsChoice, ImageProtocol, ImageSupport};
pub use identify::{Env, Family, Identity, Mux, SextantSupport, identify};
pub use probe::{PROBE_TIMEOUT, ProbeReply, parse_replies};

/// Everything the faces need to know about the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    pub identity: Identity,
    /// What the terminal answered; `None` when it was not asked (not a
    /// tty, or images were switched off and nothing else needed it).
    pub reply: Option<ProbeReply>,
    pub images: ImageSupport,
    pub colors: ColorSupport,
    /// Cell size in pixels, from the terminal's answer or the tty's winsize.
    pub cell_px: Option<(u16, u16)>,
}

/// Colour depth, from COLORTERM / TERM / NO_COLOR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSupport {
    None,
    Basic,
    Ansi256,
    TrueColor,
}

impl ColorSupport {
    pub fn from_env(env: &Env) -> ColorSupport {
        if env.no_color {
            return ColorSupport::None;
        }
        let colorterm = env.colorterm.as_deref().unwrap_or("");
        if colorterm.contains("truecolor") || colorterm.contains("24bit") {
            return ColorSupport::TrueColor;
        }
        match env.term.as_deref() {
            Some("dumb") => ColorSupport::None,
            Some(t) if t.contains("256color") => ColorSupport::Ansi256,
            _ => ColorSupport::Basic,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ColorSupport::None => "none (NO_COLOR or dumb terminal)",
            ColorSupport::Basic => "16 colours",
            ColorSupport::Ansi256 => "256 colours",
            ColorSupport::TrueColor => "24-bit colour",
        }
    }
}

impl Terminal {
    /// A terminal nothing is known about (tests, pipes).
    pub fn unknown() -> Terminal {
        Terminal {
            identity: identify(&Env::default(), None),
            reply: None,
            images: ImageSupport::none("not asked"),
            colors: ColorSupport::Basic,
            cell_px: None,
        }
    }

    /// Put together what the environment says and what the terminal
    /// answered (pure: the faces call [`detect`]).
    pub fn from_parts(
        env: &Env,
        reply: Option<ProbeReply>,
        winsize_px: Option<(u16, u16)>,
        choice: GraphicsChoice,
    ) -> Terminal {
        let xtversion = reply.as_ref().and_then(|r| r.xtversion.as_deref());
        let identity = identify(env, xtversion);
        let cell_px = reply.as_ref().and_then(|r| r.cell_px).or(winsize_px);
        let images = graphics::resolve(choice, &identity, reply.as_ref(), cell_px);
        Terminal {
            identity,
            reply,
            images,
            colors: ColorSupport::from_env(env),
            cell_px,
        }
    }
}

/// Ask the terminal on stdin/stdout (raw mode must be on, the event reader
/// not started yet) and combine with the process environment. When stdout
/// is not a terminal nothing is written.
pub fn detect(choice: GraphicsChoice, timeout: Duration) -> Terminal {
    let env = Env::from_process();
    if !probe::is_tty() {
        return Terminal::from_parts(&env, None, None, choice);
    }
    let in_tmux = identify(&env, None).mux == Some(Mux::Tmux);
    let reply = probe::ask(timeout, in_tmux);
    Terminal::from_parts(&env, reply, probe::winsize_cell_px(), choice)
}

/// [`detect`] for a face that is not in raw mode (`wadash qr`, `doctor`):
/// raw mode only for the few milliseconds of the question.
pub fn detect_cooked(choice: GraphicsChoice, timeout: Duration) -> Terminal {
    use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode, is_raw_mode_enabled};
    if !probe::is_tty() {
        return detect(choice, timeout);
    }
    let was_raw = is_raw_mode_enabled().unwrap_or(false);
    if !was_raw && enable_raw_mode().is_err() {
        return Terminal::from_parts(&Env::from_process(), None, None, choice);
    }
    let terminal = detect(choice, timeout);
    if !was_raw {
        let _ = disable_raw_mode();
    }
    terminal
}
