//! `update` driven directly: scheduling, backoff, filter, sort, transitions.

use std::time::{Duration, Instant, SystemTime};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::{Call, Effect, Purpose};
use super::msg::{ApiDone, CallError, Msg, Reply};
use super::state::{App, AppInit, InstanceSeed, Mode, SortKey};
use super::update;
use crate::api::{ApiError, InstanceStatus, StatusReply};

pub fn app_with(n: usize, concurrency: usize, now: Instant) -> App {
    let seeds = (0..n)
        .map(|i| {
            let tag = if i % 2 == 0 { "peru" } else { "chile" };
            InstanceSeed::new(format!("ID{i:03}"), format!("Tienda {i:03}"), &[tag])
        })
        .collect();
    App::new(AppInit {
        concurrency,
        bell: true,
        ..AppInit::sample(seeds, now)
    })
}

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn polls(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api {
                instance,
                call: Call::Status,
                ..
            } => Some(instance.clone()),
            _ => None,
        })
        .collect()
}

pub fn status_done(id: &str, at: Instant, status: InstanceStatus) -> Msg {
    Msg::Api(ApiDone {
        instance: id.into(),
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: Duration::from_millis(42),
        result: Ok(Reply::Status(StatusReply {
            text: match status {
                InstanceStatus::Active => "Instancia activa".into(),
                InstanceStatus::Inactive => "Instancia inactiva".into(),
                InstanceStatus::Unknown(ref s) => s.clone(),
            },
            status,
        })),
    })
}

fn error_done(id: &str, at: Instant) -> Msg {
    Msg::Api(ApiDone {
        instance: id.into(),
        call: Call::Status,
        purpose: Purpose::Poll,
        at,
        latency: Duration::from_secs(15),
        result: Err(CallError::Api(ApiError::Timeout {
            after: Duration::from_secs(15),
        })),
    })
}

#[test]
fn first_polls_spread_over_the_first_second_and_respect_the_cap() {
    let t0 = Instant::now();
    let mut app = app_with(50, 16, t0);
    let early = polls(&update(&mut app, Msg::Tick(t0)));
    assert!(
        early.len() < 16,
        "not every instance is due at t0: {}",
        early.len()
    );
    let effects = update(&mut app, Msg::Tick(t0 + Duration::from_secs(1)));
    let total = early.len() + polls(&effects).len();
    assert_eq!(total, 16, "the cap bounds polls in flight");
    assert_eq!(app.polling.in_flight, 16);
}

#[test]
fn never_two_polls_of_one_instance_and_a_finished_poll_frees_its_slot() {
    let t0 = Instant::now();
    let mut app = app_with(3, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    let first = polls(&update(&mut app, Msg::Tick(t1)));
    assert_eq!(first.len(), 3);
    // Overdue again long before the answer: still no second request.
    let again = polls(&update(&mut app, Msg::Tick(t1 + Duration::from_secs(60))));
    assert!(again.is_empty(), "{again:?}");
    // `r` on an instance whose poll is in flight sends nothing either.
    assert!(polls(&update(&mut app, key('r'))).is_empty());

    let mut app = app_with(5, 2, t0);
    let sent = polls(&update(&mut app, Msg::Tick(t1)));
    assert_eq!(sent.len(), 2);
    let next = polls(&update(
        &mut app,
        status_done(&sent[0], t1, InstanceStatus::Active),
    ));
    assert_eq!(
        next.len(),
        1,
        "the freed slot goes to the next due instance at once"
    );
    assert!(!sent.contains(&next[0]));
}

#[test]
fn next_poll_is_the_interval_with_jitter() {
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    update(&mut app, Msg::Tick(t1));
    update(&mut app, status_done("ID000", t1, InstanceStatus::Active));
    let row = app.row("ID000").unwrap();
    let wait = row.next_poll - t1;
    assert!(
        wait >= Duration::from_secs(9) && wait <= Duration::from_secs(11),
        "{wait:?}"
    );
    assert!(polls(&update(&mut app, Msg::Tick(t1 + Duration::from_secs(8)))).is_empty());
    assert_eq!(
        polls(&update(&mut app, Msg::Tick(t1 + Duration::from_secs(12)))).len(),
        1
    );
}

#[test]
fn errors_back_off_exponentially_and_success_resets() {
    let t0 = Instant::now();
    let mut app = app_with(1, 16, t0);
    let mut t = t0 + Duration::from_secs(1);
    update(&mut app, Msg::Tick(t));
    let mut waits = Vec::new();
    for _ in 0..7 {
        update(&mut app, error_done("ID000", t));
        let row = app.row("ID000").unwrap();
        waits.push((row.next_poll - t).as_secs_f64());
        t = row.next_poll;
        assert_eq!(polls(&update(&mut app, Msg::Tick(t))).len(), 1);
    }
    // 20, 40, 80, 160, then capped at 300 (±10 %).
    for (w, nominal) in waits
        .iter()
        .zip([20.0, 40.0, 80.0, 160.0, 300.0, 300.0, 300.0])
    {
        assert!((w - nominal).abs() <= nominal * 0.1 + 0.01, "{waits:?}");
    }
    assert!(app.row("ID000").unwrap().error.is_some());
    update(&mut app, status_done("ID000", t, InstanceStatus::Active));
    let row = app.row("ID000").unwrap();
    assert!(row.error.is_none());
    assert_eq!(row.consecutive_errors, 0);
    assert!((row.next_poll - t) <= Duration::from_secs(11));
}

#[test]
fn the_alert_engine_drives_bell_highlight_log_and_delivery() {
    use crate::alerts::AlertKind;
    let t0 = Instant::now();
    let sec = |n: u64| t0 + Duration::from_secs(n);
    let alerts = |effects: &[Effect]| -> Vec<AlertKind> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Alert(a) => Some(a.kind),
                _ => None,
            })
            .collect()
    };
    let mut app = app_with(1, 16, t0);
    // after = 3: two inactive answers after an active one are not "down".
    update(
        &mut app,
        status_done("ID000", sec(1), InstanceStatus::Active),
    );
    update(
        &mut app,
        status_done("ID000", sec(2), InstanceStatus::Inactive),
    );
    update(
        &mut app,
        status_done("ID000", sec(3), InstanceStatus::Inactive),
    );
    assert!(alerts(&update(&mut app, Msg::Tick(sec(30)))).is_empty());
    assert!(!app.ring_bell);
    update(
        &mut app,
        status_done("ID000", sec(31), InstanceStatus::Inactive),
    );
    // The event waits one group window (the 10 s interval) for others.
    assert!(alerts(&update(&mut app, Msg::Tick(sec(32)))).is_empty());
    let sent = alerts(&update(&mut app, Msg::Tick(sec(41))));
    assert_eq!(sent, [AlertKind::Down], "one down, to the worker");
    assert!(app.ring_bell, "down rings");
    assert!(app.row("ID000").unwrap().alert_until.is_some());
    assert!(
        app.log
            .entries()
            .iter()
            .any(|e| e.outcome.contains("is down"))
    );
    app.ring_bell = false;
    update(
        &mut app,
        status_done("ID000", sec(42), InstanceStatus::Inactive),
    );
    assert!(alerts(&update(&mut app, Msg::Tick(sec(60)))).is_empty());
    assert!(!app.ring_bell, "staying down does not ring again");
    // resolve_after = 2: back up, the highlight goes.
    update(
        &mut app,
        status_done("ID000", sec(61), InstanceStatus::Active),
    );
    update(
        &mut app,
        status_done("ID000", sec(62), InstanceStatus::Active),
    );
    assert_eq!(
        alerts(&update(&mut app, Msg::Tick(sec(80)))),
        [AlertKind::Up]
    );
    assert!(app.row("ID000").unwrap().alert_until.is_none());
    // Bell off in config: highlighted, logged, silent.
    let mut quiet = app_with(1, 16, t0);
    quiet.bell_enabled = false;
    for n in 1..=3 {
        update(
            &mut quiet,
            status_done("ID000", sec(n), InstanceStatus::Inactive),
        );
    }
    assert_eq!(
        alerts(&update(&mut quiet, Msg::Tick(sec(20)))),
        [AlertKind::Down]
    );
    assert!(!quiet.ring_bell);
    assert!(quiet.row("ID000").unwrap().alert_until.is_some());
    // A delivery report lands in the log pane; a failure flashes.
    update(
        &mut quiet,
        Msg::AlertDelivered {
            event: "down".into(),
            channel: "webhook".into(),
            ok: false,
            detail: "http://127.0.0.1:9/… answered 500 (3 tries)".into(),
        },
    );
    assert!(
        quiet
            .log
            .entries()
            .iter()
            .any(|e| e.outcome.contains("answered 500"))
    );
    assert!(quiet.flash.as_ref().unwrap().text.contains("webhook"));
}

#[test]
fn silences_from_the_store_hold_alerts_back_and_mark_rows() {
    use crate::alerts::{Matcher, Silence};
    let t0 = Instant::now();
    let sec = |n: u64| t0 + Duration::from_secs(n);
    let mut app = app_with(2, 16, t0);
    let wall = app.wall_time(t0);
    update(
        &mut app,
        Msg::Silences(Ok(vec![Silence {
            id: 1,
            matcher: Matcher::silence("tag:peru").unwrap(),
            starts_at: wall,
            ends_at: wall + Duration::from_secs(3600),
            comment: String::new(),
            created_by: String::new(),
        }])),
    );
    update(&mut app, Msg::Tick(sec(1)));
    assert!(app.alerts.silence_for(app.row("ID000").unwrap()).is_some());
    assert!(app.alerts.silence_for(app.row("ID001").unwrap()).is_none());
    for n in 1..=3 {
        update(
            &mut app,
            status_done("ID000", sec(n), InstanceStatus::Inactive),
        );
    }
    let effects = update(&mut app, Msg::Tick(sec(30)));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Alert(_))));
    assert!(!app.ring_bell);
}

#[test]
fn pause_stops_new_polls_and_resume_restarts_them() {
    let t0 = Instant::now();
    let mut app = app_with(4, 16, t0);
    update(&mut app, key('p'));
    assert!(app.polling.paused);
    assert!(polls(&update(&mut app, Msg::Tick(t0 + Duration::from_secs(2)))).is_empty());
    // Resuming sends what came due while paused at once.
    let mut sent = polls(&update(&mut app, key('p')));
    sent.extend(polls(&update(
        &mut app,
        Msg::Tick(t0 + Duration::from_secs(3)),
    )));
    assert_eq!(sent.len(), 4);
}

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
            .map(|&i| app.rows[i].id.clone())
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
    update(&mut app, Msg::Tick(t1 + Duration::from_secs(3)));
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
    assert_eq!(app.polling.interval, Duration::from_secs(30));
    run(&mut app, "filter tag:chile");
    app.settle();
    assert_eq!(app.view.len(), 2);
    run(&mut app, "pause");
    assert!(app.polling.paused);
    run(&mut app, "frobnicate");
    assert!(app.flash.as_ref().unwrap().text.contains("unknown command"));
    run(&mut app, "interval soon");
    assert_eq!(app.polling.interval, Duration::from_secs(30));
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
    assert_eq!(app.rows.len(), 3);
    assert_eq!(app.selected_id().as_deref(), Some("NEW1"));

    // X asks first; "No" is the default, so Enter does nothing.
    update(&mut app, key('X'));
    assert!(matches!(app.mode, Mode::Confirm(_)));
    let effects = update(&mut app, code(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(app.rows.len(), 3);
    update(&mut app, key('X'));
    let effects = update(&mut app, key('y'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::RemoveInstance(id) if id == "NEW1"))
    );
    assert_eq!(app.rows.len(), 2);
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
    update(&mut app, Msg::Tick(t0 + Duration::from_secs(1)));
    assert_eq!(app.polling.in_flight, 2);
    assert_eq!(app.selected_id().as_deref(), Some("ID000"));
    update(&mut app, key('X'));
    update(&mut app, key('y'));
    assert!(app.row("ID000").is_none());
    // Its answer frees its slot once; the other row's poll still counts.
    update(&mut app, status_done("ID000", t0, InstanceStatus::Active));
    assert_eq!(app.polling.in_flight, 1);
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
    use super::form::FormKind;
    use super::keymap::{self, Action, ModeKind};
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
    app.rows[0].account = 1;
    update(&mut app, key('i'));
    for c in "a.png".chars() {
        update(&mut app, key(c));
    }
    let mut effects = Vec::new();
    for s in 1..=5 {
        effects.extend(update(&mut app, Msg::Tick(t0 + Duration::from_secs(s))));
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
