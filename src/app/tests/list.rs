//! The list: filter, sort, selection, commands, adding and removing,
//! mouse, form editing keys.

use super::*;

#[test]
fn filter_narrows_as_you_type_enter_keeps_it_esc_clears() {
    let t0 = Instant::now();
    let mut app = app_with(10, 16, t0);
    update(&mut app, key('/'));
    for c in "tag:peru".chars() {
        update(&mut app, key(c));
    }
    app.settle();
    assert_eq!(app.view.len(), 5);
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::List));
    assert_eq!(app.view.len(), 5);
    assert_eq!(app.selected, 0);
    update(&mut app, code(KeyCode::Esc));
    app.settle();
    assert_eq!(app.view.len(), 10);
    assert!(app.filter_text.is_empty());
}

#[test]
fn sort_orders_and_reverse() {
    let t0 = Instant::now();
    let mut app = app_with(3, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    update(&mut app, status_done("ID000", t1, InstanceStatus::Active));
    update(
        &mut app,
        status_done(
            "ID001",
            t1 + Duration::from_secs(1),
            InstanceStatus::Inactive,
        ),
    );
    update(&mut app, error_done("ID002", t1 + Duration::from_secs(2)));
    app.settle();
    let order = |app: &App| {
        app.view
            .iter()
            .map(|&i| app.monitor.rows[i].id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(app.sort, SortKey::Status);
    assert_eq!(
        order(&app),
        ["ID002", "ID001", "ID000"],
        "errors, then inactive, then active"
    );
    update(&mut app, key('s'));
    app.settle();
    assert_eq!(app.sort, SortKey::Label);
    assert_eq!(order(&app), ["ID000", "ID001", "ID002"]);
    update(&mut app, key('S'));
    app.settle();
    assert_eq!(order(&app), ["ID002", "ID001", "ID000"]);
    update(&mut app, key('S'));
    update(&mut app, key('s'));
    app.settle();
    assert_eq!(app.sort, SortKey::LastChange);
    update(&mut app, Msg::tick(t1 + Duration::from_secs(3)));
    app.settle();
    assert_eq!(
        order(&app)[0],
        "ID001",
        "most recent change first (errors do not change status)"
    );
    update(&mut app, key('s'));
    app.settle();
    assert_eq!(app.sort, SortKey::Latency);
    assert_eq!(order(&app)[0], "ID002", "slowest first");
}

#[test]
fn before_the_user_moves_the_top_row_stays_selected() {
    let t0 = Instant::now();
    let mut app = app_with(3, 16, t0);
    update(&mut app, status_done("ID002", t0, InstanceStatus::Inactive));
    app.settle();
    assert_eq!(app.selected, 0);
    assert_eq!(
        app.selected_id().unwrap(),
        "ID002",
        "inactive sorts first and is selected"
    );
}

#[test]
fn selection_follows_the_instance_when_the_order_changes() {
    let t0 = Instant::now();
    let mut app = app_with(3, 16, t0);
    update(&mut app, key('G'));
    let chosen = app.selected_id().unwrap();
    update(&mut app, status_done(&chosen, t0, InstanceStatus::Inactive));
    app.settle();
    assert_eq!(app.selected_id().unwrap(), chosen);
}

#[test]
fn commands_quit_interval_filter_and_unknown() {
    let t0 = Instant::now();
    let mut app = app_with(4, 16, t0);
    let run = |app: &mut App, line: &str| {
        update(app, key(':'));
        for c in line.chars() {
            update(app, key(c));
        }
        update(app, code(KeyCode::Enter))
    };
    run(&mut app, "interval 30s");
    assert_eq!(app.monitor.polling.interval, Duration::from_secs(30));
    run(&mut app, "filter tag:chile");
    app.settle();
    assert_eq!(app.view.len(), 2);
    run(&mut app, "pause");
    assert!(app.monitor.polling.paused);
    run(&mut app, "frobnicate");
    assert!(app.flash.as_ref().unwrap().text.contains("unknown command"));
    run(&mut app, "interval soon");
    assert_eq!(app.monitor.polling.interval, Duration::from_secs(30));
    assert!(!app.quit);
    run(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn add_and_remove_instances_from_the_dashboard() {
    let t0 = Instant::now();
    let mut app = app_with(2, 16, t0);
    app.config_path = Some("/tmp/wadash-test-config.toml".into());
    update(&mut app, key('A'));
    assert!(matches!(app.mode, Mode::Form(_)));
    // Submitting without an id is refused and keeps the form.
    update(&mut app, code(KeyCode::Enter));
    let Mode::Form(form) = &app.mode else {
        panic!()
    };
    assert!(form.error.is_some());
    for c in "NEW1".chars() {
        update(&mut app, key(c));
    }
    update(&mut app, code(KeyCode::Tab));
    for c in "Sucursal Arequipa".chars() {
        update(&mut app, key(c));
    }
    let effects = update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.mode, Mode::List));
    assert!(effects.iter().any(
        |e| matches!(e, Effect::AddInstance(n) if n.id == "NEW1" && n.label == "Sucursal Arequipa")
    ));
    assert_eq!(app.monitor.rows.len(), 3);
    assert_eq!(app.selected_id().as_deref(), Some("NEW1"));

    // X asks first; "No" is the default, so Enter does nothing.
    update(&mut app, key('X'));
    assert!(matches!(app.mode, Mode::Confirm(_)));
    let effects = update(&mut app, code(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(app.monitor.rows.len(), 3);
    update(&mut app, key('X'));
    let effects = update(&mut app, key('y'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RemoveInstance(id) if id == "NEW1"))
    );
    assert_eq!(app.monitor.rows.len(), 2);
    assert!(app.row("NEW1").is_none());
}

#[test]
fn read_only_refuses_changes() {
    let t0 = Instant::now();
    let mut app = app_with(2, 16, t0);
    app.read_only = true;
    update(&mut app, key('A'));
    assert!(matches!(app.mode, Mode::List));
    update(&mut app, key('X'));
    assert!(matches!(app.mode, Mode::List));
    assert!(app.flash.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn an_answer_for_a_removed_instance_is_harmless() {
    let t0 = Instant::now();
    let mut app = app_with(2, 16, t0);
    update(&mut app, Msg::tick(t0 + Duration::from_secs(1)));
    assert_eq!(app.monitor.polling.in_flight, 2);
    assert_eq!(app.selected_id().as_deref(), Some("ID000"));
    update(&mut app, key('X'));
    update(&mut app, key('y'));
    assert!(app.row("ID000").is_none());
    // Its answer frees its slot once; the other row's poll still counts.
    update(&mut app, status_done("ID000", t0, InstanceStatus::Active));
    assert_eq!(app.monitor.polling.in_flight, 1);
}

#[test]
fn removing_an_instance_forgets_what_was_set_on_it() {
    let t0 = Instant::now();
    let mut app = app_with(2, 16, t0);
    app.memory
        .record_name("ID000", "Tienda".into(), SystemTime::UNIX_EPOCH);
    update(&mut app, key('X'));
    let effects = update(&mut app, key('y'));
    assert!(app.memory.get("ID000").is_none());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SaveMemory(m) if m.get("ID000").is_none()))
    );
}

#[test]
fn an_answer_reorders_only_when_what_the_order_reads_changed() {
    let t0 = Instant::now();
    let mut app = app_with(3, 16, t0);
    update(&mut app, status_done("ID001", t0, InstanceStatus::Active));
    assert!(app.view_stale, "not checked → active moves the row");
    app.settle();
    app.dirty = false;
    update(
        &mut app,
        status_done(
            "ID001",
            t0 + Duration::from_secs(10),
            InstanceStatus::Active,
        ),
    );
    assert!(
        !app.view_stale,
        "same health under the status sort: no re-sort"
    );
    assert!(app.dirty, "the checked-ago column still redraws");
    app.sort = SortKey::Latency;
    update(
        &mut app,
        status_done(
            "ID001",
            t0 + Duration::from_secs(20),
            InstanceStatus::Active,
        ),
    );
    assert!(app.view_stale, "the latency sort reads every answer");
}

#[test]
fn the_auto_read_choice_has_its_own_listed_keys() {
    use crate::app::modes::form::FormKind;
    use crate::keys::{self as keymap, Action, ModeKind};
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    update(&mut app, key('a'));
    // Its own mode: the bar and the help list these keys from the table.
    assert_eq!(app.mode.kind(), ModeKind::Choice);
    let listed: Vec<Action> = keymap::bindings(ModeKind::Choice)
        .iter()
        .filter(|b| b.in_bar)
        .map(|b| b.action)
        .collect();
    for action in [Action::Flip, Action::SetOn, Action::SetOff, Action::Submit] {
        assert!(listed.contains(&action), "{action:?} not in the bar");
    }
    let on = |app: &App| match &app.mode {
        Mode::Form(f) => match f.kind {
            FormKind::AutoRead { on, .. } => on,
            _ => panic!("not the choice"),
        },
        _ => panic!("not a form"),
    };
    update(&mut app, key('0'));
    assert!(!on(&app));
    update(&mut app, key('1'));
    assert!(on(&app));
    update(&mut app, key('h'));
    assert!(!on(&app));
    update(&mut app, code(KeyCode::Tab));
    assert!(on(&app));
}

#[test]
fn a_click_selects_the_clicked_row_and_the_wheel_scrolls() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    use ratatui::layout::Rect;
    let mouse = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let t0 = Instant::now();
    let mut app = app_with(30, 16, t0);
    app.regions.table_rows = Rect::new(2, 5, 60, 10);
    let click = MouseEventKind::Down(MouseButton::Left);
    update(&mut app, mouse(click, 10, 8));
    assert_eq!(app.selected, 3, "fourth visible row");
    assert_eq!(app.selected_id().as_deref(), Some("ID003"));
    // Outside the table (the header, the left border): nothing moves.
    update(&mut app, mouse(click, 10, 4));
    update(&mut app, mouse(click, 1, 8));
    assert_eq!(app.selected, 3);
    update(&mut app, mouse(MouseEventKind::ScrollDown, 10, 8));
    assert_eq!(app.selected, 6);
    update(&mut app, mouse(MouseEventKind::ScrollUp, 10, 8));
    update(&mut app, mouse(MouseEventKind::ScrollUp, 10, 8));
    assert_eq!(app.selected, 0);
    // Scrolled: a click counts from the first visible row.
    for _ in 0..8 {
        update(&mut app, mouse(MouseEventKind::ScrollDown, 10, 8));
    }
    assert_eq!(app.selected, 24);
    assert!(app.offset > 0);
    let offset = app.offset;
    update(&mut app, mouse(click, 10, 5));
    assert_eq!(app.selected, offset);
}

#[test]
fn home_end_and_ctrl_w_edit_a_form_field() {
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    update(&mut app, key('A'));
    for c in "hello world".chars() {
        update(&mut app, key(c));
    }
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    );
    update(&mut app, code(KeyCode::Home));
    update(&mut app, key('X'));
    update(&mut app, code(KeyCode::End));
    update(&mut app, key('Y'));
    let Mode::Form(form) = &app.mode else {
        panic!("the form closed")
    };
    assert_eq!(form.value(0), "Xhello Y");
}

#[test]
fn the_picture_preview_is_prepared_for_the_instances_account() {
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    app.monitor.rows[0].account = 1;
    update(&mut app, key('i'));
    for c in "a.png".chars() {
        update(&mut app, key(c));
    }
    let mut effects = Vec::new();
    for s in 1..=5 {
        effects.extend(update(&mut app, Msg::tick(t0 + Duration::from_secs(s))));
    }
    let accounts: Vec<usize> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::PreviewPicture { account, .. } => Some(*account),
            _ => None,
        })
        .collect();
    assert_eq!(accounts, vec![1]);
}
