//! `wadash qr ID --png -`: the PNG on stdout, for a pipe
//! (`wadash qr ID --png - | zbarimg -`). Nothing else goes to stdout;
//! notices and "already active" go to stderr.

use std::path::Path;

use super::super::args::{GlobalArgs, QrArgs};
use super::super::context::Context;
use super::super::{CliError, Outcome};
use crate::api::{Client, InstanceStatus};
use crate::qr;

/// `-` as the `--png` target: stdout, the Unix habit.
pub(super) fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub(super) async fn run(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    if args.wait || !args.more.is_empty() {
        return Err(CliError(
            crate::i18n::strings().cli.qr_png_stdout_alone.into(),
        ));
    }
    let ctx = Context::load_for(global, std::slice::from_ref(&args.id)).await?;
    ctx.print_notices();
    let (inst, account) = ctx.find(&args.id)?;
    let client = Client::new();
    if !args.force && client.status(account, &inst.id).await?.status == InstanceStatus::Active {
        crate::say_err!(
            "{}",
            crate::i18n::fill(
                crate::i18n::strings().cli_qr_already_active,
                &[("label", &inst.label), ("id", &inst.id)]
            )
        );
        return Ok(Outcome::Ok);
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
    let png = qr::to_png(&modules, qr::PNG_SCALE).map_err(|e| CliError(e.to_string()))?;
    super::super::closed_stdout::write_all(&png).map_err(|e| {
        CliError(crate::i18n::fill(
            crate::i18n::strings().cli.qr_png_stdout_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    Ok(Outcome::Ok)
}
