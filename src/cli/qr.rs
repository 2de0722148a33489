//! `wadash qr ID`: the pairing code in the terminal (and as a PNG), and with
//! `--wait` the headless twin of the dashboard's QR pane: a fresh code every
//! 20 s, a status check every 2.5 s, done when the phone has linked.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use super::args::{GlobalArgs, QrArgs};
use super::context::Context;
use super::{CliError, Outcome};
use crate::api::{Account, ApiError, Client, InstanceStatus};
use crate::config::RosterInstance;
use crate::qr::{self, DrawMode, Fit, QUIET};

/// WhatsApp rotates the pairing code about every 20 s while unlinked. The
/// one default for both faces: the dashboard gets it via `ui.qr_refresh`.
pub const QR_REFRESH: Duration = Duration::from_secs(20);
/// How often `--wait` asks whether the phone has linked: the pane's cadence.
pub const STATUS_POLL: Duration = crate::app::qr_pane::STATUS_EVERY;
/// `STATUS_POLL` as clap's default text; a unit test keeps them equal.
pub const STATUS_POLL_ARG: &str = "2500ms";
/// Pixels per module in `--png`.
const PNG_SCALE: u32 = 8;
/// Rows around the code: the header, the instruction, the shell prompt.
const RESERVED_ROWS: u16 = 3;
/// Used when stdout is not a terminal, or its size cannot be read.
const FALLBACK_SIZE: (u16, u16) = (80, 24);

const INSTRUCTION: &str =
    "On the phone: WhatsApp > Settings > Linked devices > Link a device, then scan this code.";

pub async fn run(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    let ctx = Context::load_for(global, std::slice::from_ref(&args.id)).await?;
    ctx.print_notices();
    let (inst, account) = ctx.find(&args.id)?;
    let client = Client::new();
    if !args.force && client.status(account, &inst.id).await?.status == InstanceStatus::Active {
        println!(
            "{} ({}) is already active: nothing to scan (--force shows a code anyway).",
            inst.label, inst.id
        );
        return Ok(Outcome::Ok);
    }
    let mut screen = Screen::new();
    if !args.wait {
        let shown = show_code(&client, account, inst, args, &mut screen).await?;
        return if shown || args.png.is_some() {
            Ok(Outcome::Ok)
        } else {
            Err(CliError("the terminal is too small for the QR code".into()))
        };
    }
    wait_for_link(&ctx, &client, account, inst, args, &mut screen).await
}

/// Show codes until the phone links (exit 0), `--wait-max` passes (exit 1),
/// or an error that waiting will not fix (exit 2).
async fn wait_for_link(
    ctx: &Context,
    client: &Client,
    account: &Account,
    inst: &RosterInstance,
    args: &QrArgs,
    screen: &mut Screen,
) -> Result<Outcome, CliError> {
    let started = Instant::now();
    let refresh = ctx.qr_refresh(args.qr_refresh);
    let deadline = args.wait_max.map(|max| tokio::time::Instant::now() + max);
    let mut next_code = tokio::time::Instant::now();
    let mut status_tick = tokio::time::interval_at(
        tokio::time::Instant::now() + args.status_every,
        args.status_every,
    );
    status_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let give_up = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = tokio::time::sleep_until(next_code) => {
                match show_code(client, account, inst, args, screen).await {
                    Ok(_) => next_code += refresh,
                    Err(WaitError::Retry(message)) => {
                        eprintln!("warning: {message}; trying again");
                        next_code = tokio::time::Instant::now() + args.status_every;
                    }
                    Err(WaitError::Fatal(e)) => return Err(e),
                }
                if next_code <= tokio::time::Instant::now() {
                    next_code = tokio::time::Instant::now() + refresh;
                }
            }
            _ = status_tick.tick() => match client.status(account, &inst.id).await {
                Ok(reply) if reply.status == InstanceStatus::Active => {
                    println!(
                        "Connected after {}s: {} ({}) is active.",
                        started.elapsed().as_secs(),
                        inst.label,
                        inst.id
                    );
                    return Ok(Outcome::Ok);
                }
                Ok(_) => {}
                Err(e) if e.is_transient() => eprintln!("warning: status check failed: {e}"),
                Err(e) => return Err(e.into()),
            },
            () = give_up => {
                eprintln!(
                    "gave up after {}s: {} ({}) is still not linked",
                    started.elapsed().as_secs(),
                    inst.label,
                    inst.id
                );
                return Ok(Outcome::NotActive);
            }
        }
    }
}

/// Why showing a code failed: worth another try, or not.
enum WaitError {
    Retry(String),
    Fatal(CliError),
}

impl From<WaitError> for CliError {
    fn from(e: WaitError) -> Self {
        match e {
            WaitError::Retry(message) => CliError(message),
            WaitError::Fatal(e) => e,
        }
    }
}

impl From<ApiError> for WaitError {
    fn from(e: ApiError) -> Self {
        if e.is_transient() {
            WaitError::Retry(e.to_string())
        } else {
            WaitError::Fatal(e.into())
        }
    }
}

/// Fetch a code, save the PNG if asked, draw it. `Ok(false)`: the terminal
/// is too small (said on stderr, PNG still saved).
async fn show_code(
    client: &Client,
    account: &Account,
    inst: &RosterInstance,
    args: &QrArgs,
    screen: &mut Screen,
) -> Result<bool, WaitError> {
    let reply = client.qr(account, &inst.id).await?;
    let bad_qr = |e: qr::QrError| {
        WaitError::Fatal(CliError(format!(
            "could not read the QR the server sent: {e}"
        )))
    };
    let pairing = qr::decode_payload(&reply.qr).map_err(bad_qr)?;
    let modules = qr::encode(&pairing).map_err(bad_qr)?;
    if let Some(path) = &args.png {
        save_png(path, &qr::to_png(&modules, PNG_SCALE)).map_err(WaitError::Fatal)?;
    }
    let available = screen.available();
    match qr::choose(modules.width(), available, args.mode) {
        Fit::Draw { mode, quiet } => {
            let drawing = qr::draw(&modules, mode, quiet, args.invert);
            let mut block = format!("{} ({}): scan with WhatsApp\n", inst.label, inst.id);
            block.push_str(&drawing.to_ansi(screen.color));
            block.push_str(INSTRUCTION);
            block.push('\n');
            screen.replace(&block);
            if quiet < QUIET {
                eprintln!(
                    "note: narrow quiet zone to fit; enlarge the terminal if the phone does not read it"
                );
            }
            if mode == DrawMode::Compact && args.mode == crate::qr::ModeChoice::Auto {
                tracing::debug!("compact QR drawn; `--mode half` if the font shows boxes");
            }
            Ok(true)
        }
        too_small @ Fit::TooSmall { .. } => {
            let message = too_small.enlarge_message().unwrap_or_default();
            eprintln!("{message} (or try --png FILE)");
            Ok(false)
        }
    }
}

fn save_png(path: &Path, png: &[u8]) -> Result<(), CliError> {
    if png.is_empty() {
        return Err(CliError("could not encode the QR code as PNG".into()));
    }
    std::fs::write(path, png)
        .map_err(|e| CliError(format!("could not write {}: {e}", path.display())))?;
    eprintln!("saved the QR code to {}", path.display());
    Ok(())
}

/// stdout as the code's canvas: its size, colour, and what was drawn last
/// (so a new code replaces the old one in a terminal).
struct Screen {
    tty: bool,
    color: bool,
    lines_drawn: usize,
}

impl Screen {
    fn new() -> Screen {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Screen {
            tty,
            color: tty && !no_color,
            lines_drawn: 0,
        }
    }

    /// Cells for the code itself, after the text lines around it.
    fn available(&self) -> (u16, u16) {
        let (cols, rows) = if self.tty {
            ratatui::crossterm::terminal::size().unwrap_or(FALLBACK_SIZE)
        } else {
            FALLBACK_SIZE
        };
        (cols, rows.saturating_sub(RESERVED_ROWS))
    }

    /// Print `block`; in a terminal, over the previous one (cursor up, clear
    /// to end of screen); elsewhere after a separator, so logs stay readable.
    fn replace(&mut self, block: &str) {
        let mut out = std::io::stdout().lock();
        if self.lines_drawn > 0 {
            let _ = if self.tty {
                write!(out, "\x1b[{}F\x1b[J", self.lines_drawn)
            } else {
                writeln!(out, "--- new code ---")
            };
        }
        let _ = out.write_all(block.as_bytes());
        let _ = out.flush();
        self.lines_drawn = block.lines().count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_poll_default_matches_its_text() {
        assert_eq!(
            humantime::parse_duration(STATUS_POLL_ARG).unwrap(),
            STATUS_POLL
        );
        assert!(STATUS_POLL >= Duration::from_secs(2) && STATUS_POLL <= Duration::from_secs(3));
    }

    #[test]
    fn a_pairing_code_fits_the_fallback_terminal() {
        // A 260-character pairing text, the longest the pane is tested with.
        let modules = qr::encode(&"x".repeat(260)).unwrap();
        let (cols, rows) = FALLBACK_SIZE;
        let fit = qr::choose(
            modules.width(),
            (cols, rows - RESERVED_ROWS),
            qr::ModeChoice::Auto,
        );
        assert!(matches!(fit, Fit::Draw { .. }), "{fit:?}");
    }
}
