//! `wadash qr ID`: the pairing code in the terminal (and as a PNG), and with
//! `--wait` the headless face of the dashboard's QR pane: the same
//! [`QrPane`] decides when to fetch a code, when to check the status and how
//! long to back off after a failure; this module only runs its requests and
//! prints what changed.
//!
//! Split by job: `wait` (`--wait`: driving the pane), `queue` (several ids
//! one after another), `block` (laying one code out for the terminal),
//! `screen` (stdout, redrawn in place).
//!
//! [`QrPane`]: crate::engine::pairing::qr_pane::QrPane

use super::args::{GlobalArgs, QrArgs};
use super::context::Context;
use super::{CliError, Outcome};
use crate::api::{Client, InstanceStatus};
use crate::qr;

mod block;
mod png_stdout;
mod queue;
mod screen;
mod wait;

pub(crate) use block::{Block, Canvas, code_block};
use queue::run_queue;
use screen::Screen;
use wait::wait_for_link;

#[cfg(test)]
mod tests;

pub async fn run(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    if args.png.as_deref().is_some_and(png_stdout::is_stdout) {
        return png_stdout::run(global, args).await;
    }
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
            "{}",
            crate::i18n::fill(
                crate::i18n::strings().cli_qr_already_active,
                &[("label", &inst.label), ("id", &inst.id)]
            )
        );
        return Ok(Outcome::Ok);
    }
    let mut screen = Screen::new(ctx.qr_graphics(global));
    if args.wait {
        return wait_for_link(&ctx, &client, account, inst, args, &mut screen).await;
    }
    let reply = client.qr(account, &inst.id).await?;
    let unreadable = |e: qr::QrError| {
        CliError(crate::i18n::fill(
            crate::i18n::strings().cli.qr_bad_code,
            &[("e", &e.to_string())],
        ))
    };
    let pairing = qr::decode_payload(&reply.qr).map_err(unreadable)?;
    let modules = qr::encode(&pairing).map_err(unreadable)?;
    let block = code_block(inst, &modules, args, &screen.canvas(false))?;
    screen.replace(&block.text, block.rows);
    if block.fits || args.png.is_some() {
        Ok(Outcome::Ok)
    } else {
        Err(CliError(crate::i18n::strings().cli.qr_too_small.into()))
    }
}

/// Before anything slow: `--png` never names wadash's own files, nor an
/// existing file without `--force`; later saves in this run replace our own.
fn check_png_target(ctx: &Context, args: &QrArgs) -> Result<(), CliError> {
    let Some(path) = &args.png else {
        return Ok(());
    };
    let protected = crate::output_file::Protected::for_config(
        ctx.config_path.as_deref(),
        crate::cli::logging::log_path(),
    );
    crate::output_file::check_target(path, args.force, &protected).map_err(CliError)
}
