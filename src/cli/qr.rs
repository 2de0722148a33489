//! `wadash qr ID`: the pairing code in the terminal (and as a PNG), and with
//! `--wait` the headless face of the dashboard's QR pane: the same
//! [`QrPane`] decides when to fetch a code, when to check the status and how
//! long to back off after a failure; this module only runs its requests and
//! prints what changed.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use tokio::task::JoinSet;

use super::args::{GlobalArgs, QrArgs};
use super::context::Context;
use super::{CliError, Outcome};
use crate::api::{Account, Client, InstanceStatus};
use crate::app::effect::{Call, Effect, Purpose};
use crate::app::msg::{ApiDone, CallError, Reply};
use crate::app::qr_pane::{Event, Problem, QrPane, STATUS_EVERY, Stage};
use crate::config::RosterInstance;
use crate::qr::{self, DrawMode, Fit, ModeChoice, Modules, PNG_SCALE, QUIET};

/// Rows printed around the code in a terminal: the header, the instruction,
/// the shell prompt.
const RESERVED_ROWS: u16 = 3;

const INSTRUCTION: &str =
    "On the phone: WhatsApp > Settings > Linked devices > Link a device, then scan this code.";

pub async fn run(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    let ctx = Context::load_for(global, std::slice::from_ref(&args.id)).await?;
    ctx.print_notices();
    let (inst, account) = ctx.find(&args.id)?;
    if let Some(path) = &args.png {
        // Before anything slow; later saves in this run replace our own file.
        let protected = crate::output_file::Protected::for_config(ctx.config_path.as_deref());
        crate::output_file::check_target(path, args.force, &protected).map_err(CliError)?;
    }
    let client = Client::new();
    if !args.force && client.status(account, &inst.id).await?.status == InstanceStatus::Active {
        crate::say!(
            "{} ({}) is already active: nothing to scan (--force shows a code anyway).",
            inst.label,
            inst.id
        );
        return Ok(Outcome::Ok);
    }
    let mut screen = Screen::new();
    if args.wait {
        return wait_for_link(&ctx, &client, account, inst, args, &mut screen).await;
    }
    let reply = client.qr(account, &inst.id).await?;
    let unreadable =
        |e: qr::QrError| CliError(format!("could not read the QR the server sent: {e}"));
    let pairing = qr::decode_payload(&reply.qr).map_err(unreadable)?;
    let modules = qr::encode(&pairing).map_err(unreadable)?;
    let (block, fits) = code_block(inst, &modules, args, screen.available(), screen.color)?;
    screen.replace(&block);
    if fits || args.png.is_some() {
        Ok(Outcome::Ok)
    } else {
        Err(CliError("the terminal is too small for the QR code".into()))
    }
}

/// Drive a [`QrPane`] until the phone links (exit 0), `--wait-max` passes
/// (exit 1), or an error that waiting will not fix (exit 2).
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
    let mut pane = QrPane::open(
        inst.id.clone(),
        inst.label.clone(),
        0,
        false,
        refresh,
        started,
    )
    .with_status_every(args.status_every.unwrap_or(STATUS_EVERY));
    let deadline = args.wait_max.map(|max| started + max);
    let mut calls = JoinSet::new();
    let (mut code_number, mut code_text, mut warnings) = (0, String::new(), String::new());
    loop {
        let mut effects = Vec::new();
        pane.due(Instant::now(), &mut effects);
        for effect in effects {
            if let Effect::Api { instance, call, .. } = effect {
                calls.spawn(answer(client.clone(), account.clone(), instance, call));
            }
        }
        let wake = pane.next_due().into_iter().chain(deadline).min();
        let sleep = async {
            match wake {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some(joined) = calls.join_next() => {
                let done = joined.map_err(|e| CliError(format!("a request task failed: {e}")))?;
                if let Err(CallError::Api(e)) = &done.result
                    && !e.is_transient()
                {
                    return Err(e.clone().into());
                }
                if pane.on_answer(&done) == Event::Connected {
                    let took = match pane.stage {
                        Stage::Connected { took, .. } => took,
                        _ => started.elapsed(),
                    };
                    crate::say!(
                        "Connected after {}s: {} ({}) is active.",
                        took.as_secs(),
                        inst.label,
                        inst.id
                    );
                    return Ok(Outcome::Ok);
                }
                if pane.stage == Stage::AlreadyActive {
                    crate::say!("{} ({}) is already active: nothing to scan.", inst.label, inst.id);
                    return Ok(Outcome::Ok);
                }
                let code = pane.code.as_ref().filter(|c| c.number != code_number);
                if let Some(code) = code {
                    code_number = code.number;
                    let available = screen.available();
                    code_text = code_block(inst, &code.modules, args, available, screen.color)?.0;
                }
                let now_warnings = warning_lines(&pane, done.at);
                let warnings_changed = now_warnings != warnings;
                warnings = now_warnings;
                screen.update(&code_text, code.is_some(), &warnings, warnings_changed);
            }
            () = sleep => {}
        }
        if deadline.is_some_and(|at| Instant::now() >= at) {
            crate::say_err!(
                "gave up after {}s: {} ({}) is still not linked",
                started.elapsed().as_secs(),
                inst.label,
                inst.id
            );
            return Ok(Outcome::NotActive);
        }
    }
}

/// One of the pane's requests, answered the way the dashboard's worker
/// answers it: a QR value comes with its pairing text, or why it has none.
async fn answer(client: Client, account: Account, instance: String, call: Call) -> ApiDone {
    let started = Instant::now();
    let result = match &call {
        Call::Qr => client
            .qr(&account, &instance)
            .await
            .map(|reply| {
                let payload = qr::decode_payload(&reply.qr).map_err(|e| e.to_string());
                Reply::Qr { reply, payload }
            })
            .map_err(CallError::Api),
        Call::Status => client
            .status(&account, &instance)
            .await
            .map(Reply::Status)
            .map_err(CallError::Api),
        other => Err(CallError::Local(format!(
            "{} is not a QR pane request",
            other.endpoint().name()
        ))),
    };
    let at = Instant::now();
    ApiDone {
        instance,
        call,
        purpose: Purpose::QrPane,
        at,
        latency: at - started,
        result,
    }
}

/// What the pane's last failures were, one `warning:` line each.
fn warning_lines(pane: &QrPane, now: Instant) -> String {
    let mut out = String::new();
    if let Some(problem) = &pane.problem {
        let why = match problem {
            Problem::Request(text) => format!("could not get a new code: {text}"),
            Problem::Undecodable { why, .. } => {
                format!("could not read the QR the server sent: {why}")
            }
        };
        let retry = pane.countdown(now).map_or(String::new(), |wait| {
            format!("; trying again in {}s", wait.as_secs_f64().ceil())
        });
        out.push_str(&format!("warning: {why}{retry}\n"));
    }
    if let Some(text) = &pane.status_problem {
        out.push_str(&format!("warning: status check failed: {text}\n"));
    }
    out
}

/// Everything printed for one code, notes included, so that a terminal
/// redraw moves up over all of it: the header, the drawing (or the size the
/// terminal needs), the instruction, and the notes. Saves the PNG if asked.
/// The flag says whether the drawing fitted `available`.
fn code_block(
    inst: &RosterInstance,
    modules: &Modules,
    args: &QrArgs,
    available: (u16, u16),
    color: bool,
) -> Result<(String, bool), CliError> {
    let mut block = format!(
        "{} ({}): scan with WhatsApp\n",
        crate::sanitize::for_terminal(&inst.label),
        crate::sanitize::for_terminal(&inst.id)
    );
    let fits = match qr::choose(modules.width(), available, args.mode) {
        Fit::Draw { mode, quiet } => {
            block.push_str(&qr::draw(modules, mode, quiet, args.invert).to_ansi(color));
            block.push_str(INSTRUCTION);
            block.push('\n');
            if quiet < QUIET {
                block.push_str(
                    "note: narrow quiet zone to fit; enlarge the terminal if the phone does not read it\n",
                );
            }
            if mode == DrawMode::Compact && args.mode == ModeChoice::Auto {
                tracing::debug!("compact QR drawn; `--mode half` if the font shows boxes");
            }
            true
        }
        Fit::TooSmall => {
            block.push_str(&enlarge_text(modules.width(), args.mode));
            block.push_str(" (or try --png FILE)\n");
            false
        }
    };
    if let Some(path) = &args.png {
        save_png(path, modules)?;
        block.push_str(&format!("saved the QR code to {}\n", path.display()));
    }
    Ok((block, fits))
}

/// "enlarge the terminal to at least 31×24 (61×34 with half blocks)": the
/// whole terminal, the lines printed around the code included.
fn enlarge_text(module_width: usize, choice: ModeChoice) -> String {
    let sizes = qr::enlarge_sizes(module_width, choice, (0, RESERVED_ROWS));
    format!(
        "enlarge the terminal to at least{}",
        qr::describe_sizes(&sizes, "with half blocks")
    )
}

/// `run` checked the path first (`output_file::check_target`: not wadash's
/// own file, not an existing one without `--force`).
fn save_png(path: &Path, modules: &Modules) -> Result<(), CliError> {
    let png = qr::to_png(modules, PNG_SCALE).map_err(|e| CliError(e.to_string()))?;
    let none = crate::output_file::Protected::default();
    crate::output_file::write_output(path, &png, true, &none).map_err(CliError)
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

    /// Cells for the code itself. A terminal's size (read at each draw, so
    /// a resize counts) less the lines around the code; no limit when the
    /// output is a file or a pipe, where nothing is cut off.
    fn available(&self) -> (u16, u16) {
        if !self.tty {
            return (u16::MAX, u16::MAX);
        }
        let (cols, rows) = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
        (cols, rows.saturating_sub(RESERVED_ROWS))
    }

    /// In a terminal the code and the warnings are one block, redrawn in
    /// place when either changes. Elsewhere each new code is appended and
    /// warnings go to stderr as they come.
    fn update(&mut self, code: &str, new_code: bool, warnings: &str, warnings_changed: bool) {
        if self.tty {
            if new_code || warnings_changed {
                self.replace(&format!("{code}{warnings}"));
            }
            return;
        }
        if new_code {
            self.replace(code);
        }
        if warnings_changed {
            eprint!("{}", crate::sanitize::for_terminal_lines(warnings));
        }
    }

    fn replace(&mut self, block: &str) {
        let mut out = std::io::stdout().lock();
        self.replace_in(&mut out, block);
    }

    /// Print `block`; in a terminal, over the previous one (cursor up, clear
    /// to end of screen); elsewhere after a separator, so logs stay readable.
    fn replace_in(&mut self, out: &mut impl Write, block: &str) {
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
    use clap::Parser;

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

    #[test]
    fn notes_are_inside_the_block_a_redraw_moves_over() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("code.png");
        let args = args(&["--png", png.to_str().unwrap()]);
        // v9 compact needs 31×21 with the full quiet zone, 29×19 with the tight one.
        let modules = qr::encode(&"x".repeat(220)).unwrap();
        assert_eq!(modules.width(), 53);
        let (block, fits) = code_block(&inst(), &modules, &args, (80, 19), false).unwrap();
        assert!(fits);
        assert!(block.contains("note: narrow quiet zone"), "{block}");
        assert!(block.contains("saved the QR code to"), "{block}");
        assert!(png.exists());
        let mut screen = Screen {
            tty: true,
            color: false,
            lines_drawn: 0,
        };
        let mut out = Vec::new();
        screen.replace_in(&mut out, &block);
        screen.replace_in(&mut out, "next\n");
        let text = String::from_utf8(out).unwrap();
        // Header + 19 rows + instruction + two notes.
        assert_eq!(block.lines().count(), 23);
        assert!(text.contains("\x1b[23F\x1b[J"), "{text:?}");
    }

    #[test]
    fn too_small_names_the_whole_terminal_for_the_mode_asked() {
        let modules = qr::encode(&"x".repeat(220)).unwrap();
        let (block, fits) = code_block(&inst(), &modules, &args(&[]), (80, 18), false).unwrap();
        assert!(!fits);
        // Compact 31×21 plus the three rows around it; half blocks 61×31 plus three.
        assert!(
            block.contains("at least 31×24 (61×34 with half blocks)"),
            "{block}"
        );
        let (block, _) = code_block(
            &inst(),
            &modules,
            &args(&["--mode", "half"]),
            (80, 18),
            false,
        )
        .unwrap();
        assert!(block.contains("at least 61×34 with half blocks"), "{block}");
        assert!(!block.contains("31×"), "{block}");
    }

    #[test]
    fn without_a_terminal_there_is_no_size_limit() {
        let screen = Screen {
            tty: false,
            color: false,
            lines_drawn: 0,
        };
        let modules = qr::encode(&"x".repeat(260)).unwrap();
        let fit = qr::choose(modules.width(), screen.available(), ModeChoice::Half);
        assert!(matches!(fit, Fit::Draw { .. }), "{fit:?}");
    }
}
