//! `update` driven with key events: the profile forms, auto-read and
//! disconnect, their answers, and the memory they record; one file per
//! action, and the kit they (and `bulk`'s tests) share here.

use std::time::{Duration, Instant, SystemTime};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::{ApiError, Confirmation, DisconnectReply};
use crate::app::init::AppInit;
use crate::app::modes::Mode;
use crate::app::modes::form::picture::*;
use crate::app::modes::form::{Form, FormKind};
use crate::app::msg::Msg;
use crate::app::state::App;
use crate::app::update;
use crate::engine::effect::{Call, Effect, Purpose};
use crate::engine::monitor::InstanceSeed;
use crate::engine::msg::ApiDone;
use crate::engine::msg::{CallError, CoreMsg, Reply};
use crate::i18n::Lang;
use crate::memory::Memory;
use crate::profile_text::NAME_MAX;

/// An app with instances `i1…iN` labelled `Shop 1…N`, all on account 0.
pub(crate) fn app_with(n: usize) -> App {
    let now = Instant::now();
    let instances = (1..=n)
        .map(|k| InstanceSeed {
            id: format!("i{k}"),
            label: format!("Shop {k}"),
            account: 0,
            tags: if k % 2 == 0 {
                vec!["even".into()]
            } else {
                vec!["odd".into()]
            },
        })
        .collect();
    let mut app = App::new(AppInit {
        interval: Duration::from_secs(3600),
        concurrency: 4,
        ..AppInit::sample(instances, now)
    });
    // Sort by label so `i1` is selected first.
    app.sort = crate::app::order::SortKey::Label;
    app.view_stale = true;
    app.settle();
    app
}

pub(crate) fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(crate) fn ch(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c))
}

pub(crate) fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| ch(app, c)).collect()
}

/// Only the API effects of a batch (ticks may add polls, which these
/// tests keep out of the way with a long interval).
pub(crate) fn api_calls(effects: &[Effect]) -> Vec<(String, Call, Purpose)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api {
                instance,
                call,
                purpose,
                ..
            } if *call != Call::Status => Some((instance.clone(), call.clone(), *purpose)),
            _ => None,
        })
        .collect()
}

pub(crate) fn answer(
    app: &mut App,
    instance: &str,
    call: Call,
    purpose: Purpose,
    result: Result<Reply, CallError>,
) -> Vec<Effect> {
    let at = app.monitor.now;
    update(
        app,
        Msg::Core(CoreMsg::Api(ApiDone {
            instance: instance.into(),
            call,
            purpose,
            at,
            latency: Duration::from_millis(12),
            result,
        })),
    )
}

pub(crate) fn ok(text: &str) -> Result<Reply, CallError> {
    Ok(Reply::Done(Confirmation { text: text.into() }))
}

pub(crate) fn not_found() -> Result<Reply, CallError> {
    Err(CallError::Api(ApiError::NotFound {
        server_text: "Instancia no encontrada".into(),
    }))
}

fn form(app: &App) -> &Form {
    match &app.mode {
        Mode::Form(f) => f,
        other => panic!("expected a form, got {:?}", other.kind()),
    }
}

fn saves(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::SaveMemory(_)))
        .count()
}
mod auto_read;
mod disconnect;
mod picture;
mod text_forms;
