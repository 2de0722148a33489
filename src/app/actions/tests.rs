//! `update` driven with key events: the profile forms, auto-read and
//! disconnect, their answers, and the memory they record.

use std::time::{Duration, Instant, SystemTime};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::{ApiError, Confirmation, DisconnectReply};
use crate::app::msg::Msg;
use crate::app::state::AppInit;
use crate::app::update;
use crate::engine::monitor::InstanceSeed;
use crate::engine::msg::{CallError, CoreMsg, Reply};
use crate::i18n::Lang;
use crate::memory::Memory;

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
    app.sort = crate::app::state::SortKey::Label;
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

#[test]
fn name_form_opens_types_and_submits_exactly_one_request() {
    let mut app = app_with(3);
    assert!(ch(&mut app, 'n').is_empty());
    assert!(matches!(&form(&app).kind, FormKind::Name { id } if id == "i1"));
    assert_eq!(form(&app).fields[0].max_chars, Some(NAME_MAX));
    assert!(typed(&mut app, "Tienda Lima").is_empty());
    assert_eq!(form(&app).value(0), "Tienda Lima");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(
        api_calls(&effects),
        vec![(
            "i1".to_string(),
            Call::Name("Tienda Lima".into()),
            Purpose::Action
        )]
    );
    assert!(form(&app).submitting);
    assert!(app.busy.contains("i1"));
    // Enter again while it flies sends nothing more; typing is frozen.
    assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
    ch(&mut app, 'x');
    assert_eq!(form(&app).value(0), "Tienda Lima");
}

#[test]
fn name_of_26_characters_is_refused_with_the_reason() {
    let mut app = app_with(1);
    ch(&mut app, 'n');
    typed(&mut app, &"a".repeat(26));
    let effects = key(&mut app, KeyCode::Enter);
    assert!(api_calls(&effects).is_empty());
    let error = form(&app).error.clone().expect("a reason");
    assert!(error.contains("26/25"), "{error}");
    // 25 is fine.
    key(&mut app, KeyCode::Backspace);
    assert_eq!(api_calls(&key(&mut app, KeyCode::Enter)).len(), 1);
}

#[test]
fn blank_name_is_refused_in_the_ui_language() {
    let mut app = app_with(1);
    app.lang = Lang::Es;
    ch(&mut app, 'n');
    typed(&mut app, "   ");
    assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
    assert_eq!(
        form(&app).error.as_deref(),
        Some(Lang::Es.strings().name_blank)
    );
    assert!(!app.busy.contains("i1"));
}

#[test]
fn description_of_140_characters_is_refused_139_is_sent() {
    let mut app = app_with(1);
    ch(&mut app, 'd');
    // Multi-byte characters count as one each.
    typed(&mut app, &"ñ".repeat(140));
    assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
    assert!(form(&app).error.as_deref().unwrap().contains("140/139"));
    key(&mut app, KeyCode::Backspace);
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        calls,
        vec![(
            "i1".to_string(),
            Call::Description("ñ".repeat(139)),
            Purpose::Action
        )]
    );
}

#[test]
fn failure_keeps_the_input_and_shows_the_server_text() {
    let mut app = app_with(1);
    ch(&mut app, 'n');
    typed(&mut app, "Lima");
    key(&mut app, KeyCode::Enter);
    let effects = answer(
        &mut app,
        "i1",
        Call::Name("Lima".into()),
        Purpose::Action,
        not_found(),
    );
    assert_eq!(saves(&effects), 0);
    let f = form(&app);
    assert_eq!(f.value(0), "Lima");
    assert!(!f.submitting);
    let error = f.error.as_deref().unwrap();
    assert!(error.contains("Instancia no encontrada"), "{error}");
    assert!(error.contains("check the apiKey and id"), "{error}");
    assert!(app.memory.get("i1").is_none());
    assert!(!app.busy.contains("i1"));
    // Editable again, and a retry sends again.
    ch(&mut app, '!');
    assert_eq!(form(&app).value(0), "Lima!");
    assert_eq!(api_calls(&key(&mut app, KeyCode::Enter)).len(), 1);
}

#[test]
fn success_closes_the_form_records_memory_and_saves_it() {
    let mut app = app_with(2);
    ch(&mut app, 'n');
    typed(&mut app, "  Lima  ");
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(calls[0].1, Call::Name("Lima".into()), "trimmed");
    let effects = answer(
        &mut app,
        "i1",
        Call::Name("Lima".into()),
        Purpose::Action,
        ok("Nombre Actualizado"),
    );
    assert!(matches!(app.mode, Mode::List));
    assert_eq!(
        app.memory.get("i1").unwrap().name.as_ref().unwrap().value,
        "Lima"
    );
    let saved: Vec<&Memory> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveMemory(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0], &app.memory);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("Nombre Actualizado")
    );
    // The next form is prefilled with what was set.
    ch(&mut app, 'n');
    assert_eq!(form(&app).value(0), "Lima");
}

#[test]
fn esc_cancels_without_sending() {
    let mut app = app_with(1);
    for open in ['n', 'd', 'i'] {
        ch(&mut app, open);
        let mut effects = typed(&mut app, "abc");
        effects.extend(key(&mut app, KeyCode::Esc));
        assert!(api_calls(&effects).is_empty(), "{open}");
        assert!(matches!(app.mode, Mode::List));
        assert!(app.busy.is_empty());
    }
}

#[test]
fn read_only_refuses_every_change() {
    let mut app = app_with(2);
    app.read_only = true;
    for k in ['n', 'd', 'i', 'a', 'D'] {
        let effects = ch(&mut app, k);
        assert!(api_calls(&effects).is_empty());
        assert!(matches!(app.mode, Mode::List), "{k} opened something");
        assert_eq!(
            app.flash.as_ref().unwrap().text,
            Lang::En.strings().read_only_refused
        );
    }
    // Marking is not a change: allowed; bulk actions are not.
    ch(&mut app, ' ');
    assert_eq!(app.marks.len(), 1);
    assert!(api_calls(&ch(&mut app, 'D')).is_empty());
    assert!(matches!(app.mode, Mode::List));
}

#[test]
fn auto_read_unknown_asks_then_sends_the_choice() {
    let mut app = app_with(1);
    assert!(api_calls(&ch(&mut app, 'a')).is_empty());
    assert!(matches!(
        form(&app).kind,
        FormKind::AutoRead {
            on: true,
            bulk: false,
            ..
        }
    ));
    key(&mut app, KeyCode::Right);
    assert!(matches!(
        form(&app).kind,
        FormKind::AutoRead { on: false, .. }
    ));
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        calls,
        vec![("i1".to_string(), Call::AutoRead(false), Purpose::Action)]
    );
    answer(
        &mut app,
        "i1",
        Call::AutoRead(false),
        Purpose::Action,
        ok("Lectura automática actualizada"),
    );
    assert!(matches!(app.mode, Mode::List));
    assert!(
        !app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
}

#[test]
fn auto_read_known_sends_the_opposite_and_keeps_the_old_value_until_confirmed() {
    let mut app = app_with(1);
    app.memory.record_auto_read("i1", true, SystemTime::now());
    let calls = api_calls(&ch(&mut app, 'a'));
    assert_eq!(
        calls,
        vec![("i1".to_string(), Call::AutoRead(false), Purpose::Action)]
    );
    assert!(matches!(app.mode, Mode::List));
    // Still the old value while the request flies.
    assert!(
        app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
    assert!(app.busy.contains("i1"));
    // A second `a` while it flies sends nothing.
    assert!(api_calls(&ch(&mut app, 'a')).is_empty());
    answer(
        &mut app,
        "i1",
        Call::AutoRead(false),
        Purpose::Action,
        not_found(),
    );
    assert!(
        app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("Instancia no encontrada")
    );
    let calls = api_calls(&ch(&mut app, 'a'));
    answer(
        &mut app,
        "i1",
        calls[0].1.clone(),
        Purpose::Action,
        ok("ok"),
    );
    assert!(
        !app.memory
            .get("i1")
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value
    );
}

#[test]
fn disconnect_confirms_naming_the_instance_default_no() {
    let mut app = app_with(2);
    ch(&mut app, 'D');
    let Mode::Confirm(confirm) = &app.mode else {
        panic!("no confirm")
    };
    assert!(!confirm.yes_focused);
    assert!(
        confirm
            .lines
            .iter()
            .any(|l| l.contains("Shop 1") && l.contains("i1"))
    );
    // Enter on the default button sends nothing.
    assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
    assert!(matches!(app.mode, Mode::List));
    ch(&mut app, 'D');
    assert!(api_calls(&ch(&mut app, 'n')).is_empty());
    ch(&mut app, 'D');
    let calls = api_calls(&ch(&mut app, 'y'));
    assert_eq!(
        calls,
        vec![("i1".to_string(), Call::Disconnect, Purpose::Action)]
    );
    let reply = Ok(Reply::Disconnect(DisconnectReply {
        text: "instancia desconectada".into(),
        already: false,
    }));
    answer(&mut app, "i1", Call::Disconnect, Purpose::Action, reply);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("instancia desconectada")
    );
    // Its status is checked at once rather than at the next interval.
    assert!(app.row("i1").unwrap().next_poll <= app.monitor.now);
}

#[test]
fn action_answers_are_not_taken_for_status_polls() {
    let mut app = app_with(1);
    ch(&mut app, 'n');
    typed(&mut app, "Lima");
    key(&mut app, KeyCode::Enter);
    answer(
        &mut app,
        "i1",
        Call::Name("Lima".into()),
        Purpose::Action,
        not_found(),
    );
    let row = app.row("i1").unwrap();
    assert_eq!(row.checks, 0);
    assert!(row.error.is_none());
    assert_eq!(app.monitor.polling.in_flight, 0);
}

#[test]
fn picture_preview_is_debounced_and_stale_answers_dropped() {
    let mut app = app_with(1);
    ch(&mut app, 'i');
    typed(&mut app, "https://example.com/a.png");
    let t0 = app.monitor.now;
    let preview = |e: &[Effect]| {
        e.iter()
            .filter_map(|e| match e {
                Effect::PreviewPicture { input, seq, .. } => Some((input.clone(), *seq)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    // First tick only notes the value; the pause has not passed.
    assert!(preview(&update(&mut app, Msg::tick(t0 + Duration::from_millis(10)))).is_empty());
    let asked = preview(&update(
        &mut app,
        Msg::tick(t0 + Duration::from_millis(400)),
    ));
    assert_eq!(asked, vec![("https://example.com/a.png".to_string(), 1)]);
    // Not asked twice for the same value.
    assert!(
        preview(&update(
            &mut app,
            Msg::tick(t0 + Duration::from_millis(900))
        ))
        .is_empty()
    );
    // A stale answer (older seq) is ignored; the current one is kept.
    update(
        &mut app,
        Msg::Core(CoreMsg::PicturePreview {
            seq: 0,
            result: Err("old".into()),
        }),
    );
    assert!(app.picture.result.is_none());
    update(
        &mut app,
        Msg::Core(CoreMsg::PicturePreview {
            seq: 1,
            result: Err("x.png: not an image".into()),
        }),
    );
    // A value whose preview failed cannot be submitted: the reason shows.
    assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
    assert_eq!(form(&app).error.as_deref(), Some("x.png: not an image"));
}

#[test]
fn picture_submit_sends_the_typed_source() {
    let mut app = app_with(1);
    ch(&mut app, 'i');
    update(
        &mut app,
        Msg::Paste("data:image/png;base64,iVBORw0KGgo=".into()),
    );
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        calls,
        vec![(
            "i1".to_string(),
            Call::Picture("data:image/png;base64,iVBORw0KGgo=".into()),
            Purpose::Action
        )]
    );
    answer(
        &mut app,
        "i1",
        calls[0].1.clone(),
        Purpose::Action,
        ok("Imagen cambiada"),
    );
    let remembered = &app
        .memory
        .get("i1")
        .unwrap()
        .picture
        .as_ref()
        .unwrap()
        .value;
    assert!(remembered.starts_with("base64 ("), "{remembered}");
}

#[test]
fn completion_of_one_many_none_and_hidden() {
    let names = [
        DirName {
            name: "avatar.png".into(),
            is_dir: false,
        },
        DirName {
            name: "avatars".into(),
            is_dir: true,
        },
        DirName {
            name: "banner.jpg".into(),
            is_dir: false,
        },
        DirName {
            name: ".hidden.png".into(),
            is_dir: false,
        },
    ];
    let c = complete_path("assets/b", &names);
    assert_eq!((c.value.as_str(), c.matches), ("assets/banner.jpg", 1));
    let c = complete_path("assets/av", &names);
    assert_eq!(c.value, "assets/avatar");
    assert_eq!(c.candidates, vec!["avatar.png", "avatars/"]);
    let c = complete_path("avatars", &names);
    assert_eq!(c.value, "avatars/");
    let c = complete_path("z", &names);
    assert_eq!((c.value.as_str(), c.matches), ("z", 0));
    assert_eq!(complete_path("", &names).matches, 3, "hidden left out");
    assert_eq!(complete_path(".", &names).value, ".hidden.png");
    // Multi-byte names share a prefix without splitting a character.
    let accents = [
        DirName {
            name: "ñandú.png".into(),
            is_dir: false,
        },
        DirName {
            name: "ñandúes.png".into(),
            is_dir: false,
        },
    ];
    assert_eq!(complete_path("ñ", &accents).value, "ñandú");
}

#[test]
fn tab_completes_from_the_real_directory_and_previews_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("perfil.png"), b"x").unwrap();
    let mut app = app_with(1);
    ch(&mut app, 'i');
    let typed_path = format!("{}/per", dir.path().display());
    update(&mut app, Msg::Paste(typed_path));
    let effects = key(&mut app, KeyCode::Tab);
    let want = format!("{}/perfil.png", dir.path().display());
    assert_eq!(form(&app).value(0), want);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::PreviewPicture { input, .. } if *input == want))
    );
}

/// The picture input the form sends, answered with success.
fn set_picture(app: &mut App, input: &str) -> String {
    ch(app, 'i');
    update(app, Msg::Paste(input.into()));
    let calls = api_calls(&key(app, KeyCode::Enter));
    assert_eq!(calls.len(), 1);
    answer(
        app,
        "i1",
        calls[0].1.clone(),
        Purpose::Action,
        ok("Imagen cambiada"),
    );
    app.memory
        .get("i1")
        .unwrap()
        .picture
        .as_ref()
        .unwrap()
        .value
        .clone()
}

#[test]
fn pasted_gif_with_a_slash_is_remembered_as_a_summary_and_not_prefilled() {
    use base64::Engine;
    // A small GIF whose base64 holds a '/' (many pictures give one).
    let b64 = (0..=255u8)
        .map(|k| {
            let mut gif = Vec::new();
            image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 31, y as u8 * 29, k]))
                .write_to(&mut std::io::Cursor::new(&mut gif), image::ImageFormat::Gif)
                .unwrap();
            base64::engine::general_purpose::STANDARD.encode(&gif)
        })
        .find(|b64| b64.contains('/'))
        .expect("some colour encodes with a '/'");
    assert!(b64.starts_with("R0lGOD"), "{b64}");
    let mut app = app_with(1);
    let remembered = set_picture(&mut app, &b64);
    assert_eq!(remembered, format!("base64 ({} chars)", b64.len()));
    ch(&mut app, 'i');
    assert_eq!(form(&app).value(0), "", "a summary cannot be sent again");
}

#[test]
fn picture_paths_and_urls_are_remembered_and_prefilled() {
    let mut app = app_with(1);
    assert_eq!(set_picture(&mut app, " assets/a.png "), "assets/a.png");
    ch(&mut app, 'i');
    assert_eq!(form(&app).value(0), "assets/a.png");
    let mut app = app_with(1);
    let url = "https://x.test/a.png";
    assert_eq!(set_picture(&mut app, url), url);
}

#[test]
fn a_payload_remembered_whole_is_not_prefilled() {
    let mut app = app_with(1);
    let payload = format!("R0lGODlh/{}", "A".repeat(80));
    app.memory
        .record_picture("i1", payload, SystemTime::UNIX_EPOCH);
    ch(&mut app, 'i');
    assert_eq!(form(&app).value(0), "");
}

#[test]
fn description_of_139_characters_and_a_trailing_space_is_sent_trimmed() {
    let mut app = app_with(1);
    ch(&mut app, 'd');
    typed(&mut app, &format!("{} ", "a".repeat(139)));
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].1, Call::Description("a".repeat(139)));
}
