//! `--wait`: drive a [`QrPane`] until the phone links, running its requests
//! the way the dashboard's worker does and printing what changed.

use std::time::Instant;

use tokio::task::JoinSet;

use super::{Block, Screen, code_block};
use crate::api::{Account, Client};
use crate::cli::args::QrArgs;
use crate::cli::context::Context;
use crate::cli::{CliError, Outcome};
use crate::config::RosterInstance;
use crate::engine::effect::Effect;
use crate::engine::msg::CallError;
use crate::engine::pairing::qr_pane::{Event, Problem, QrPane, STATUS_EVERY, Stage};
use crate::i18n::{fill, strings};
use crate::pane_calls::answer;

/// Drive a [`QrPane`] until the phone links (exit 0), `--wait-max` passes
/// (exit 1), or an error that waiting will not fix (exit 2).
pub(super) async fn wait_for_link(
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
                let done = joined.map_err(|e| {
                    CliError(fill(strings().cli.qr_task_failed, &[("e", &e.to_string())]))
                })?;
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
                        "{}",
                        fill(
                            strings().cli.qr_connected_after,
                            &[
                                ("s", &took.as_secs().to_string()),
                                ("label", &inst.label),
                                ("id", &inst.id),
                            ]
                        )
                    );
                    return Ok(Outcome::Ok);
                }
                if pane.stage == Stage::AlreadyActive {
                    crate::say!(
                        "{}",
                        fill(
                            strings().cli.qr_already_active,
                            &[("label", &inst.label), ("id", &inst.id)]
                        )
                    );
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
                "{}",
                fill(
                    strings().cli.qr_gave_up,
                    &[
                        ("s", &started.elapsed().as_secs().to_string()),
                        ("label", &inst.label),
                        ("id", &inst.id),
                    ]
                )
            );
            return Ok(Outcome::NotActive);
        }
    }
}

/// What the pane's last failures were, one `warning:` line each.
fn warning_lines(pane: &QrPane, now: Instant) -> String {
    let mut out = String::new();
    let s = strings();
    let t = s.cli;
    if let Some(problem) = &pane.problem {
        let why = match problem {
            Problem::Request(text) => fill(t.qr_no_new_code, &[("e", text)]),
            Problem::Undecodable { why, .. } => fill(t.qr_bad_code, &[("e", &why.to_string())]),
        };
        let retry = pane.countdown(now).map_or(String::new(), |wait| {
            let secs = wait.as_secs_f64().ceil().to_string();
            fill(t.qr_trying_again, &[("s", &secs)])
        });
        out.push_str(&format!("{}: {why}{retry}\n", s.word_warning));
    }
    if let Some(text) = &pane.status_problem {
        let failed = fill(t.qr_status_failed, &[("e", text)]);
        out.push_str(&format!("{}: {failed}\n", s.word_warning));
    }
    out
}
