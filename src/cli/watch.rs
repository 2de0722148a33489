//! `wadash watch`: flags and config as for the dashboard, then the watch face.

use std::sync::Arc;

use super::args::{GlobalArgs, WatchArgs};
use super::context::Context;
use super::{CliError, Outcome};
use crate::engine::pairing::qr_pane::STATUS_EVERY;
use crate::engine::schedule::DEFAULT_INTERVAL;
use crate::i18n::Lang;
use crate::watch::share::ShareOptions;
use crate::watch::{Loaded, Reloader, WatchOptions};

pub async fn run(global: &GlobalArgs, args: &WatchArgs) -> Result<Outcome, CliError> {
    if let Some(addr) = args.metrics {
        // Its one refusal, in the user's words.
        crate::metrics::check_address(addr, args.metrics_public).map_err(|_| {
            let t = crate::i18n::strings().cli;
            CliError(crate::i18n::fill(
                t.watch_metrics_public,
                &[("addr", &addr.to_string())],
            ))
        })?;
        if let Some(url) = &args.public_url {
            crate::share::listen::base_url(Some(url), addr)?;
        }
    }
    let ctx = Context::load(global).await?;
    if ctx.roster.instances.is_empty() {
        return Err(CliError(crate::i18n::strings().cli.watch_none.into()));
    }
    let first = loaded(&ctx, global);
    // Read the same way again on SIGHUP: file, flags and environment.
    let reloader: Option<Reloader> = match (&ctx.sandbox, ctx.ad_hoc, &ctx.config_path) {
        (None, false, Some(path)) => {
            let global = global.clone();
            let path = path.clone();
            Some(Arc::new(move || {
                let global = global.clone();
                let path = path.clone();
                Box::pin(async move {
                    // A moved file would read as an empty config: say what happened.
                    std::fs::metadata(&path).map_err(|e| {
                        format!("{}: cannot read: {e}", crate::config::display_path(&path))
                    })?;
                    let ctx = Context::load(&global).await.map_err(|e| e.0)?;
                    Ok(loaded(&ctx, &global))
                })
            }))
        }
        _ => None,
    };
    let options = WatchOptions {
        roster: first.roster,
        interval: first.interval,
        concurrency: first.concurrency,
        log_format: args.log_format,
        metrics: args.metrics,
        metrics_hosts: args.metrics_host.clone(),
        shard: args.shard,
        reloader,
        config_path: ctx.config_path.clone(),
        notices: ctx.notices.clone(),
        history: ctx.history.clone(),
        alerts: first.alerts,
        alert_store: ctx.history.resolved_path(),
        share: args.public_url.as_ref().map(|url| ShareOptions {
            public_url: url.clone(),
            valid: args.share_for,
            max: args.share_max,
            refresh: ctx.qr_refresh(None),
            status_every: STATUS_EVERY,
            lang: Lang::choose(global.lang, ctx.ui.lang.as_deref(), &|var| {
                std::env::var(var).ok()
            }),
        }),
    };
    // `ctx` (and with it --demo's sandbox) lives as long as the watch.
    crate::watch::run(options).await.map_err(CliError)?;
    drop(ctx);
    Ok(Outcome::Ok)
}

fn loaded(ctx: &Context, global: &GlobalArgs) -> Loaded {
    Loaded {
        roster: ctx.roster.clone(),
        interval: global
            .interval
            .or(ctx.ui.interval)
            .unwrap_or(DEFAULT_INTERVAL),
        concurrency: ctx.concurrency(global),
        alerts: ctx.alerts.clone(),
    }
}
