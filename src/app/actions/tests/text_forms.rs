//! The name and description forms: limits, refusals, answers, memory.

use super::*;

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
fn description_of_139_characters_and_a_trailing_space_is_sent_trimmed() {
    let mut app = app_with(1);
    ch(&mut app, 'd');
    typed(&mut app, &format!("{} ", "a".repeat(139)));
    let calls = api_calls(&key(&mut app, KeyCode::Enter));
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].1, Call::Description("a".repeat(139)));
}
