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
use crate::qr::{self, DrawMode, ModeChoice, Modules, PNG_SCALE, QUIET};
use crate::term::SextantSupport;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const INSTRUCTION: &str =
    "On the phone: WhatsApp > Settings > Linked devices > Link a device, then scan this code.";

pub async fn run(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    if !args.more.is_empty() {
        return run_queue(global, args).await;
    }
    let ctx = Context::load_for(global, std::slice::from_ref(&args.id)).await?;
    ctx.print_notices();
    let (inst, account) = ctx.find(&args.id)?;
    check_png_target(&ctx, args)?;
    let client = Client::new();
    if !args.force && client.status(account, &inst.id).await?.status == InstanceStatus::Active {
        crate::say!(
            "{} ({}) is already active: nothing to scan (--force shows a code anyway).",
            inst.label,
            inst.id
        );
        return Ok(Outcome::Ok);
    }
    let mut screen = Screen::new(ctx.qr_graphics(global));
    if args.wait {
        return wait_for_link(&ctx, &client, account, inst, args, &mut screen).await;
    }
    let reply = client.qr(account, &inst.id).await?;
    let unreadable =
        |e: qr::QrError| CliError(format!("could not read the QR the server sent: {e}"));
    let pairing = qr::decode_payload(&reply.qr).map_err(unreadable)?;
    let modules = qr::encode(&pairing).map_err(unreadable)?;
    let block = code_block(inst, &modules, args, &screen.canvas(false))?;
    screen.replace(&block.text, block.rows);
    if block.fits || args.png.is_some() {
        Ok(Outcome::Ok)
    } else {
        Err(CliError("the terminal is too small for the QR code".into()))
    }
}

/// `wadash qr --wait ID1 ID2 …`: the dashboard's reconnect queue, headless:
/// each instance's code until it links (or `--wait-max` passes for it),
/// then the next; a summary at the end. Exit 0 when all linked (or were
/// active), 1 otherwise.
async fn run_queue(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    use crate::app::reconnect_queue::{Outcome as Done, QueueItem, ReconnectQueue, Words};
    if !args.wait {
        return Err(CliError(
            "several instance ids need --wait (they are linked one after the other)".into(),
        ));
    }
    let ids: Vec<String> = std::iter::once(args.id.clone())
        .chain(args.more.iter().cloned())
        .collect();
    let ctx = Context::load_for(global, &ids).await?;
    ctx.print_notices();
    check_png_target(&ctx, args)?;
    let mut items = Vec::new();
    for id in &ids {
        let (inst, _) = ctx.find(id)?;
        items.push(QueueItem {
            id: inst.id.clone(),
            label: inst.label.clone(),
            account: inst.account,
        });
    }
    let mut queue = ReconnectQueue::new(items);
    let client = Client::new();
    let mut screen = Screen::new(ctx.qr_graphics(global));
    while let Some(item) = queue.current().cloned() {
        let (inst, account) = ctx.find(&item.id)?;
        crate::say!(
            "[{}] {} ({})",
            queue.progress(&Words::EN),
            inst.label,
            inst.id
        );
        screen.rows_drawn = 0;
        let started = Instant::now();
        let done = if client
            .status(account, &inst.id)
            .await
            .is_ok_and(|s| s.status == InstanceStatus::Active)
        {
            Done::AlreadyActive
        } else {
            match wait_for_link(&ctx, &client, account, inst, args, &mut screen).await {
                Ok(Outcome::Ok) => Done::Linked {
                    took: started.elapsed(),
                },
                Ok(Outcome::NotActive) => Done::Failed("not linked within --wait-max".into()),
                Err(e) => Done::Failed(e.0),
            }
        };
        queue.resolve(done);
    }
    for line in queue.summary(&Words::EN) {
        crate::say!("{}", line);
    }
    let c = queue.counts();
    Ok(if c.linked + c.already == queue.len() {
        Outcome::Ok
    } else {
        Outcome::NotActive
    })
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
    let (mut code_number, mut warnings) = (0, String::new());
    let mut code_block_now = Block {
        text: String::new(),
        rows: 0,
        fits: true,
    };
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
                    code_block_now = code_block(inst, &code.modules, args, &screen.canvas(true))?;
                }
                let now_warnings = warning_lines(&pane, done.at);
                let warnings_changed = now_warnings != warnings;
                warnings = now_warnings;
                screen.update(&code_block_now, code.is_some(), &warnings, warnings_changed);
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

/// What `wadash qr` draws on: the terminal's size (None: a file or pipe,
/// no limit), colour, what the terminal draws (sextants, images).
pub(crate) struct Canvas {
    pub size: Option<(u16, u16)>,
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
const PROMPT_ROWS: usize = 1;
const INSTRUCTION_SHORT: &str = "Phone: WhatsApp > Linked devices > Link a device";
const TIGHT_NOTE: &str =
    "note: narrow quiet zone to fit; enlarge the terminal if the phone does not read it";
const TIGHT_NOTE_SHORT: &str = "note: narrow margin; enlarge if it fails";

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
fn rows_of(line: &str, cols: Option<u16>) -> usize {
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
            "{} ({}): scan with WhatsApp",
            crate::sanitize::for_terminal(&inst.label),
            crate::sanitize::for_terminal(&inst.id)
        ),
        &format!("{}: scan with WhatsApp", inst.id),
        cols,
    );
    let footer = one_row(INSTRUCTION, INSTRUCTION_SHORT, cols);
    let mut tail = Vec::new();
    if let Some(path) = &args.png {
        save_png(path, modules)?;
        tail.push(format!("saved the QR code to {}", path.display()));
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
    for &(mode, quiet) in crate::ui::qr_layout::glyph_candidates(args.mode, canvas.sextants) {
        let notes: Vec<String> = (quiet < QUIET)
            .then(|| one_row(TIGHT_NOTE, TIGHT_NOTE_SHORT, cols))
            .into_iter()
            .collect();
        let (w, h) = qr::cells_needed(modules.width(), mode, quiet);
        let (c, r) = room(notes.len());
        if w <= c && h <= r {
            if mode == DrawMode::Compact && args.mode == ModeChoice::Auto {
                tracing::debug!("compact QR drawn; `--mode half` if the font shows boxes");
            }
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
        crate::ui::qr_layout::glyph_candidates(choice, sextants)
            .iter()
            .filter(|(_, quiet)| *quiet == QUIET)
            .map(|&(mode, _)| {
                let (w, h) = qr::cells_needed(module_width, mode, QUIET);
                (mode, (w, h.saturating_add(extra)))
            })
            .collect();
    let mut sizes = modes;
    sizes.sort_by_key(|(mode, _)| *mode == DrawMode::Half);
    format!(
        "enlarge the terminal to at least{}; or zoom out (Ctrl+-)",
        qr::describe_sizes(&sizes, "with half blocks")
    )
}

fn save_png(path: &Path, modules: &Modules) -> Result<(), CliError> {
    let png = qr::to_png(modules, PNG_SCALE).map_err(|e| CliError(e.to_string()))?;
    let none = crate::output_file::Protected::default();
    crate::output_file::write_output(path, &png, true, &none).map_err(CliError)
}

/// Before anything slow: `--png` never names wadash's own files, nor an
/// existing file without `--force`; later saves in this run replace our own.
fn check_png_target(ctx: &Context, args: &QrArgs) -> Result<(), CliError> {
    let Some(path) = &args.png else {
        return Ok(());
    };
    let protected = crate::output_file::Protected::for_config(ctx.config_path.as_deref());
    crate::output_file::check_target(path, args.force, &protected).map_err(CliError)
}

/// stdout as the code's canvas: its size, colour, what the terminal can
/// draw, and how many rows were drawn last (so a new code replaces the old
/// one in a terminal).
struct Screen {
    tty: bool,
    color: bool,
    terminal: crate::term::Terminal,
    rows_drawn: usize,
}

impl Screen {
    fn new(graphics: crate::term::GraphicsChoice) -> Screen {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        // Ask the terminal only when there is one to ask (and to draw on).
        let terminal = if tty {
            crate::term::detect_cooked(graphics, crate::term::PROBE_TIMEOUT)
        } else {
            crate::term::Terminal::unknown()
        };
        Screen {
            tty,
            color: tty && !no_color,
            terminal,
            rows_drawn: 0,
        }
    }

    /// The terminal as it is now (size read at each draw, so a resize
    /// counts); no limit when the output is a file or a pipe.
    fn canvas(&self, waiting: bool) -> Canvas {
        Canvas {
            size: self
                .tty
                .then(|| ratatui::crossterm::terminal::size().unwrap_or((80, 24))),
            color: self.color,
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
    fn update(&mut self, code: &Block, new_code: bool, warnings: &str, warnings_changed: bool) {
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

    fn replace(&mut self, block: &str, rows: usize) {
        let mut out = std::io::stdout().lock();
        self.replace_in(&mut out, block, rows);
    }

    /// Print `block` (`rows` on screen); in a terminal, over the previous
    /// one (cursor up, clear to end of screen); elsewhere after a
    /// separator, so logs stay readable.
    fn replace_in(&mut self, out: &mut impl Write, block: &str, rows: usize) {
        if self.rows_drawn > 0 {
            let _ = if self.tty {
                write!(out, "\x1b[{}F\x1b[J", self.rows_drawn)
            } else {
                writeln!(out, "--- new code ---")
            };
        }
        let _ = out.write_all(block.as_bytes());
        let _ = out.flush();
        self.rows_drawn = rows;
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
        assert!(block.text.contains(TIGHT_NOTE_SHORT), "{}", block.text);
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
            color: false,
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
        assert!(block.text.contains(INSTRUCTION_SHORT), "{}", block.text);
        let wide = code_block(
            &inst(),
            &modules,
            &half,
            &canvas((100, 40), SextantSupport::Font),
        )
        .unwrap();
        assert!(wide.text.contains(INSTRUCTION));
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
}
