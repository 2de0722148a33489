//! The picture form: preview, completion, what is sent and remembered.

use super::*;

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
