//! The live loop: the dashboard's [`QrPane`] decides when to fetch a code
//! and check the status (with its backoff), the requests are answered as
//! `wadash qr --wait` answers them, and each new code goes into the share
//! as a PNG. Ends when the phone links, the link expires, or an error that
//! waiting will not fix.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

use super::state::{LiveCode, Phase, Shares};
use super::token::Token;
use crate::api::{Account, Client};
use crate::engine::effect::Effect;
use crate::engine::msg::CallError;
use crate::engine::pairing::qr_pane::{Event, QrPane, Stage};
use crate::pane_calls::answer;
use crate::qr;

/// What the loop tells whoever started it.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// A new code is on the page (1 for the first).
    Code {
        number: u32,
        png: Arc<[u8]>,
    },
    /// The status went active: after `took` if a code was shown, else it
    /// was active already (linked elsewhere).
    Linked {
        took: Option<Duration>,
    },
    /// A QR or status request failed; the pane retries after its backoff.
    Warning(String),
    Expired,
    Failed(String),
}

/// The instance whose code is shared and how often to ask.
pub struct Source {
    pub client: Client,
    pub account: Account,
    pub instance: String,
    pub label: String,
    pub refresh: Duration,
    pub status_every: Duration,
}

/// Drive the share `token` until it ends; the last event sent says how.
pub async fn run(
    source: Source,
    shares: Arc<Shares>,
    token: Token,
    ends_at: Instant,
    events: UnboundedSender<LiveEvent>,
) {
    let last = drive(&source, &shares, &token, ends_at, &events).await;
    if !matches!(last, LiveEvent::Linked { .. }) {
        shares.update(&token, |phase, _| *phase = Phase::Closed);
    }
    let _ = events.send(last);
}

async fn drive(
    source: &Source,
    shares: &Shares,
    token: &Token,
    ends_at: Instant,
    events: &UnboundedSender<LiveEvent>,
) -> LiveEvent {
    let started = Instant::now();
    let mut pane = QrPane::open(
        source.instance.clone(),
        source.label.clone(),
        0,
        false,
        source.refresh,
        started,
    )
    .with_status_every(source.status_every);
    let mut calls = JoinSet::new();
    // The pane counts every answer as a new code; the page counts changes.
    let (mut answer_seen, mut shown, mut payload) = (0, 0, String::new());
    loop {
        // The pane rests after a few unscanned codes (a dashboard left
        // open); a share keeps its code fresh until the link expires.
        if pane.resting() {
            pane.codes_unscanned = 0;
        }
        let mut effects = Vec::new();
        pane.due(Instant::now(), &mut effects);
        for effect in effects {
            if let Effect::Api { instance, call, .. } = effect {
                let (client, account) = (source.client.clone(), source.account.clone());
                calls.spawn(answer(client, account, instance, call));
            }
        }
        let wake = pane.next_due().map_or(ends_at, |at| at.min(ends_at));
        tokio::select! {
            Some(joined) = calls.join_next() => {
                let done = match joined {
                    Ok(done) => done,
                    Err(e) => return LiveEvent::Failed(format!("a request task failed: {e}")),
                };
                if let Err(CallError::Api(e)) = &done.result {
                    if !e.is_transient() {
                        return LiveEvent::Failed(e.to_string());
                    }
                    let _ = events.send(LiveEvent::Warning(e.to_string()));
                }
                let event = pane.on_answer(&done);
                if event == Event::Connected || pane.stage == Stage::AlreadyActive {
                    let took = match pane.stage {
                        Stage::Connected { took, .. } => Some(took),
                        _ => None,
                    };
                    shares.update(token, |phase, code| {
                        *phase = Phase::Linked { at: Instant::now() };
                        *code = None;
                    });
                    return LiveEvent::Linked { took };
                }
                if let Some(code) = pane.code.as_ref().filter(|c| c.number != answer_seen) {
                    answer_seen = code.number;
                    if code.payload == payload {
                        // The same code again: only its countdown moves.
                        let next_at = Some(pane.next_qr);
                        shares.update(token, |_, slot| {
                            if let Some(live) = slot {
                                live.next_at = next_at;
                            }
                        });
                        continue;
                    }
                    payload.clone_from(&code.payload);
                    shown += 1;
                    let png: Arc<[u8]> = match qr::to_png(&code.modules, qr::PNG_SCALE) {
                        Ok(png) => png.into(),
                        Err(e) => return LiveEvent::Failed(e.to_string()),
                    };
                    let live = LiveCode { number: shown, png: png.clone(), next_at: Some(pane.next_qr) };
                    shares.update(token, |_, slot| *slot = Some(live));
                    let _ = events.send(LiveEvent::Code { number: shown, png });
                }
            }
            () = tokio::time::sleep_until(wake.into()) => {}
        }
        if Instant::now() >= ends_at {
            return LiveEvent::Expired;
        }
    }
}
