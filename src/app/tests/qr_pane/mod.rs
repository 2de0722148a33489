//! The pane driven through `update`, as the dashboard does: keys, ticks
//! and answers in, requests and mode changes out.
//! This file holds the shared harness; `requests` and `lifecycle` the tests.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::domain::InstanceStatus;
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::msg::{ApiDone, CallError, CoreMsg, Reply};
use crate::engine::pairing::qr_pane::{MAX_UNSCANNED_CODES, Problem, QrPane, Stage};
use crate::qr::ModeChoice;

use crate::api::{ApiError, QrReply, StatusReply};
use crate::app::init::AppInit;
use crate::app::modes::Mode;
use crate::app::modes::confirm::Pending;
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::app::update;
use crate::engine::monitor::InstanceSeed;
use crate::keys::ModeKind;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod lifecycle;
mod requests;
mod share;

const REFRESH: Duration = Duration::from_secs(20);

fn app(t0: Instant, status: Option<InstanceStatus>) -> App {
    let seeds = vec![InstanceSeed::new("inst-1", "Tienda Lima", &[])];
    let mut app = App::new(AppInit {
        interval: Duration::from_secs(3600),
        concurrency: 4,
        bell: true,
        config_path: Some(PathBuf::from("/srv/wadash/config.toml")),
        qr_refresh: REFRESH,
        wall: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        ..AppInit::sample(seeds, t0)
    });
    app.monitor.rows[0].status = status;
    app
}

fn secs(t0: Instant, s: f64) -> Instant {
    t0 + Duration::from_secs_f64(s)
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn esc() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
}

/// Only the pane's requests (the list's own polls are not under test).
fn pane_calls(effects: Vec<Effect>) -> Vec<Call> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Api {
                call,
                purpose: Purpose::QrPane,
                ..
            } => Some(call),
            _ => None,
        })
        .collect()
}

fn tick(app: &mut App, at: Instant) -> Vec<Call> {
    pane_calls(update(app, Msg::tick(at)))
}

fn answer(app: &mut App, call: Call, at: Instant, result: Result<Reply, CallError>) -> Vec<Call> {
    pane_calls(answer_effects(app, call, at, result))
}

/// An answer to the pane, and every effect it caused (the bell included).
fn answer_effects(
    app: &mut App,
    call: Call,
    at: Instant,
    result: Result<Reply, CallError>,
) -> Vec<Effect> {
    update(
        app,
        Msg::Core(CoreMsg::Api(ApiDone {
            instance: "inst-1".into(),
            call,
            purpose: Purpose::QrPane,
            at,
            latency: Duration::from_millis(30),
            result,
        })),
    )
}

/// Whether the terminal's bell was asked for.
fn rang(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Bell))
}

const PAIRING: &str = "2@AbCdEfGhIjKlMnOpQrStUvWxYz0123456789,AbCdEfGhIjKlMnOpQrStUvWx=,Zz9=";

fn qr_ok(payload: &str) -> Result<Reply, CallError> {
    Ok(Reply::Qr {
        reply: QrReply {
            text: "QR-CODE enviado".into(),
            qr: "ignored-by-the-pane".into(),
        },
        payload: Ok(payload.to_string()),
    })
}

fn status(s: InstanceStatus) -> Result<Reply, CallError> {
    Ok(Reply::Status(StatusReply {
        text: format!("Instancia {s}"),
        status: s,
    }))
}

fn server_error(text: &str) -> Result<Reply, CallError> {
    Err(CallError::Api(ApiError::Server {
        http: 500,
        server_text: text.into(),
    }))
}

fn pane(app: &App) -> &QrPane {
    match &app.mode {
        Mode::Qr(p) => p,
        other => panic!("expected the QR pane, got {:?}", other.kind()),
    }
}
