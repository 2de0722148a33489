//! `wadash share ID`: serve the instance's live QR on a one-time link for
//! whoever holds the phone, optionally push the link through apprise, and
//! wait until the phone links (exit 0) or the link expires (exit 1).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::args::{GlobalArgs, ShareArgs};
use super::context::Context;
use super::{CliError, Outcome};
use crate::api::{Client, InstanceStatus};
use crate::engine::pairing::qr_pane::STATUS_EVERY;
use crate::i18n::Lang;
use crate::share::live::{self, LiveEvent, Source};
use crate::share::state::LINKED_SHOWN;
use crate::share::{Shares, Token, listen, send, server};

/// After the end, 404s are still served this long, so an open page learns
/// the link is over instead of meeting a dead connection.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

pub async fn run(global: &GlobalArgs, args: &ShareArgs) -> Result<Outcome, CliError> {
    listen::check_listen(args.listen, args.listen_public)?;
    if let Some(raw) = &args.public_url {
        listen::base_url(Some(raw), args.listen)?;
    }
    let ctx = Context::load_for(global, std::slice::from_ref(&args.id)).await?;
    ctx.print_notices();
    let (inst, account) = ctx.find(&args.id)?;
    let client = Client::new();
    if !args.force && client.status(account, &inst.id).await?.status == InstanceStatus::Active {
        crate::say!(
            "{} ({}) is already active: nothing to scan (--force shares a code anyway).",
            inst.label,
            inst.id
        );
        return Ok(Outcome::Ok);
    }
    let lang = Lang::choose(global.lang, ctx.ui.lang.as_deref(), &|var| {
        std::env::var(var).ok()
    });
    let token = Token::generate()?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| CliError(format!("cannot listen on {}: {e}", args.listen)))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError(format!("cannot listen on {}: {e}", args.listen)))?;
    let url = listen::link(
        &listen::base_url(args.public_url.as_deref(), local)?,
        &token,
    );

    let shares = Arc::new(Shares::default());
    let now = Instant::now();
    let ends_at = now + args.duration;
    shares.open(token.clone(), &inst.label, lang, ends_at, now);
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(listener, shares.clone(), async {
        let _ = stopped.await;
    }));
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let source = Source {
        client,
        account: account.clone(),
        instance: inst.id.clone(),
        label: inst.label.clone(),
        refresh: ctx.qr_refresh(args.qr_refresh),
        status_every: args.status_every.unwrap_or(STATUS_EVERY),
    };
    let live = tokio::spawn(live::run(source, shares.clone(), token, ends_at, events_tx));

    crate::say!(
        "Share link for {} ({}), valid for {}; open it on another screen and scan with the phone:\n{url}",
        inst.label,
        inst.id,
        humantime::format_duration(args.duration)
    );
    let mut sent = false;
    let (result, linger) = loop {
        let Some(event) = events.recv().await else {
            break (
                Err(CliError("the share stopped unexpectedly".into())),
                Duration::ZERO,
            );
        };
        match event {
            LiveEvent::Code { number, png } => {
                crate::say!("code {number} on the page");
                if !sent && !args.send.is_empty() {
                    sent = true;
                    push(args, lang, &inst.label, &url, &png).await;
                }
            }
            LiveEvent::Warning(text) => crate::say_err!("warning: {text}"),
            LiveEvent::Linked { took } => {
                match took {
                    Some(took) => crate::say!(
                        "Linked after {}s: {} ({}) is active; the link no longer works.",
                        took.as_secs(),
                        inst.label,
                        inst.id
                    ),
                    None => crate::say!(
                        "{} ({}) is active (linked elsewhere); the link no longer works.",
                        inst.label,
                        inst.id
                    ),
                }
                break (Ok(Outcome::Ok), LINKED_SHOWN + CLOSE_GRACE);
            }
            LiveEvent::Expired => {
                crate::say_err!(
                    "the link expired after {}: {} ({}) is still not linked",
                    humantime::format_duration(args.duration),
                    inst.label,
                    inst.id
                );
                break (Ok(Outcome::NotActive), CLOSE_GRACE);
            }
            LiveEvent::Failed(text) => break (Err(CliError(text)), Duration::ZERO),
        }
    };
    let _ = live.await;
    tokio::time::sleep(linger).await;
    let _ = stop.send(());
    match server.await {
        Ok(Err(e)) => crate::say_err!("warning: the share server failed: {e}"),
        Err(e) => crate::say_err!("warning: the share server failed: {e}"),
        Ok(Ok(())) => {}
    }
    result
}

/// `--send`: the link and the first code's PNG to every URL; a failure is
/// a warning (the link printed above still works).
async fn push(args: &ShareArgs, lang: Lang, label: &str, url: &str, png: &[u8]) {
    let s = lang.strings();
    let title = format!("{} — {label}", s.share_page_title);
    let body = format!("{}\n{url}", s.share_send_body);
    let file = tempfile::Builder::new()
        .prefix("wadash-qr-")
        .suffix(".png")
        .tempfile()
        .and_then(|mut f| {
            std::io::Write::write_all(&mut f, png)?;
            Ok(f)
        });
    let file = match file {
        Ok(file) => Some(file),
        Err(e) => {
            crate::say_err!(
                "warning: cannot write the code's PNG for --send (sending the link only): {e}"
            );
            None
        }
    };
    for target in &args.send {
        let attach = file.as_ref().map(|f| f.path());
        match send::apprise(target.expose(), &title, &body, attach).await {
            Ok(()) => crate::say!("sent the link to {}", target.masked()),
            Err(e) => crate::say_err!(
                "warning: could not send the link to {}: {e}",
                target.masked()
            ),
        }
    }
}
