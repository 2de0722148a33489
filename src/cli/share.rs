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
use crate::i18n::{Lang, fill, strings};
use crate::share::live::{self, LiveEvent, Source};
use crate::share::state::LINKED_SHOWN;
use crate::share::{Shares, Token, listen, send, server};

/// After the end, 404s are still served this long, so an open page learns
/// the link is over instead of meeting a dead connection.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

pub async fn run(global: &GlobalArgs, args: &ShareArgs) -> Result<Outcome, CliError> {
    listen::check_listen(args.listen, args.listen_public).map_err(|_| {
        let addr = args.listen.to_string();
        CliError(fill(strings().cli.share_listen_public, &[("addr", &addr)]))
    })?;
    if let Some(raw) = &args.public_url {
        listen::base_url(Some(raw), args.listen)?;
    }
    let ctx = Context::load_for(global, std::slice::from_ref(&args.id)).await?;
    ctx.print_notices();
    let (inst, account) = ctx.find(&args.id)?;
    let client = Client::new();
    if !args.force && client.status(account, &inst.id).await?.status == InstanceStatus::Active {
        let t = strings().cli;
        let text = fill(
            t.share_already_active,
            &[("label", &inst.label), ("id", &inst.id)],
        );
        crate::say!("{text}");
        return Ok(Outcome::Ok);
    }
    let lang = Lang::choose(global.lang, ctx.ui.lang.as_deref(), &|var| {
        std::env::var(var).ok()
    });
    let token = Token::generate()?;
    let t = strings().cli;
    let cannot_listen = |e: std::io::Error| {
        let addr = args.listen.to_string();
        CliError(fill(
            t.share_cannot_listen,
            &[("addr", &addr), ("e", &e.to_string())],
        ))
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(cannot_listen)?;
    let local = listener.local_addr().map_err(cannot_listen)?;
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

    let ttl = humantime::format_duration(args.duration).to_string();
    let who = [("label", inst.label.as_str()), ("id", inst.id.as_str())];
    let link = [("ttl", ttl.as_str()), ("url", url.as_str())];
    crate::say!("{}", fill(t.share_link, &[&who[..], &link[..]].concat()));
    let mut sent = false;
    let (result, linger) = loop {
        let Some(event) = events.recv().await else {
            break (Err(CliError(t.share_stopped.into())), Duration::ZERO);
        };
        match event {
            LiveEvent::Code { number, png } => {
                crate::say!("{}", fill(t.share_code_n, &[("n", &number.to_string())]));
                if !sent && !args.send.is_empty() {
                    sent = true;
                    push(args, lang, &inst.label, &url, &png).await;
                }
            }
            LiveEvent::Warning(text) => crate::say_err!("{}: {text}", strings().word_warning),
            LiveEvent::Linked { took } => {
                match took {
                    Some(took) => {
                        let secs = took.as_secs().to_string();
                        let text =
                            fill(t.share_linked_after, &[&who[..], &[("s", &secs)]].concat());
                        crate::say!("{text}")
                    }
                    None => crate::say!("{}", fill(t.share_linked_elsewhere, &who)),
                }
                break (Ok(Outcome::Ok), LINKED_SHOWN + CLOSE_GRACE);
            }
            LiveEvent::Expired => {
                crate::say_err!("{}", fill(t.share_expired, &[&who[..], &link[..]].concat()));
                break (Ok(Outcome::NotActive), CLOSE_GRACE);
            }
            LiveEvent::Failed(text) => break (Err(CliError(text)), Duration::ZERO),
        }
    };
    let _ = live.await;
    tokio::time::sleep(linger).await;
    let _ = stop.send(());
    match server.await {
        Ok(Err(e)) => say_server_failed(&e.to_string()),
        Err(e) => say_server_failed(&e.to_string()),
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
            let s = strings();
            let text = fill(s.cli.share_png_failed, &[("e", &e.to_string())]);
            crate::say_err!("{}: {text}", s.word_warning);
            None
        }
    };
    for target in &args.send {
        let attach = file.as_ref().map(|f| f.path());
        match send::apprise(target.expose(), &title, &body, attach).await {
            Ok(()) => crate::say!(
                "{}",
                fill(strings().cli.share_sent, &[("target", &target.masked())])
            ),
            Err(e) => crate::say_err!(
                "{}: {}",
                strings().word_warning,
                fill(
                    strings().cli.share_send_failed,
                    &[("target", &target.masked()), ("e", &e.to_string())]
                )
            ),
        }
    }
}

fn say_server_failed(e: &str) {
    let s = strings();
    crate::say_err!(
        "{}: {}",
        s.word_warning,
        fill(s.cli.share_server_failed, &[("e", e)])
    );
}
