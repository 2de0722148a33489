//! The screens as text, rendered with TestBackend and pinned with insta.
//! Review changes with `cargo insta review` (or by reading the .snap diff).

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::api::{ApiError, InstanceStatus};
use crate::app::msg::Msg;
use crate::app::tests::{app_with, code, key, status_done};
use crate::app::{App, update};
use crate::engine::msg::{ApiDone, CallError, CoreMsg};
use crate::engine::{Call, Purpose};
use crate::ui::{Theme, draw};

pub(super) fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::new(false);
    // Twice: the first draw tells the app its table height (for paging).
    for _ in 0..2 {
        app.settle();
        let mut regions = Default::default();
        terminal.draw(|f| regions = draw(f, app, &theme)).unwrap();
        app.regions = regions;
        app.clamp_offset();
    }
    terminal.backend().to_string()
}

/// A dashboard with a mix of states, at a fixed time.
pub(super) fn populated(n: usize) -> (App, Instant) {
    let t0 = Instant::now();
    let mut app = app_with(n, 16, t0);
    let t1 = t0 + Duration::from_secs(1);
    update(&mut app, Msg::tick(t1));
    for i in 0..n {
        let id = format!("ID{i:03}");
        let msg = match i % 4 {
            0 | 1 => status_done(&id, t1, InstanceStatus::Active),
            2 => status_done(&id, t1, InstanceStatus::Inactive),
            _ => Msg::Core(CoreMsg::Api(ApiDone {
                instance: id,
                call: Call::Status,
                purpose: Purpose::Poll,
                at: t1,
                latency: Duration::from_millis(120),
                result: Err(CallError::Api(ApiError::NotFound {
                    server_text: "Instancia no encontrada".into(),
                })),
            })),
        };
        update(&mut app, msg);
    }
    let t2 = t1 + Duration::from_secs(7);
    update(&mut app, Msg::tick(t2));
    app.flash = None;
    (app, t2)
}

#[test]
fn main_screen_80x24() {
    let (mut app, _) = populated(12);
    insta::assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn main_screen_160x48() {
    let (mut app, _) = populated(12);
    insta::assert_snapshot!(render(&mut app, 160, 48));
}

#[test]
fn error_row_details_show_server_text_and_hint() {
    let (mut app, _) = populated(4);
    // Status sort puts the error row first; g selects it.
    update(&mut app, key('g'));
    assert_eq!(app.selected_row().unwrap().id, "ID003");
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("Instancia no encontrada"), "{screen}");
    assert!(screen.contains("check the apiKey and id"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// The hint follows the dashboard's language, not the process-wide one
/// (which tests, like a library caller, leave English).
#[test]
fn the_error_hint_is_in_the_dashboards_language() {
    let (mut app, _) = populated(4);
    app.lang = crate::i18n::Lang::Es;
    update(&mut app, key('g'));
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("Instancia no encontrada"), "{screen}");
    assert!(screen.contains("revise la apiKey y el id"), "{screen}");
}

#[test]
fn help_overlay() {
    let (mut app, _) = populated(4);
    update(&mut app, key('?'));
    insta::assert_snapshot!(render(&mut app, 100, 30));
}

#[test]
fn log_pane() {
    let (mut app, _) = populated(6);
    update(&mut app, key('l'));
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("Instancia activa"));
    insta::assert_snapshot!(screen);
}

#[test]
fn empty_config_first_run() {
    let t0 = Instant::now();
    let mut app = app_with(0, 16, t0);
    app.config_path = Some("/home/ana/.config/wadash/config.toml".into());
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Press A to add an instance"));
    insta::assert_snapshot!(screen);
}

#[test]
fn filter_line_and_spanish() {
    let (mut app, _) = populated(8);
    app.lang = crate::i18n::Lang::Es;
    update(&mut app, key('/'));
    for c in "status:inactive".chars() {
        update(&mut app, key(c));
    }
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("inactiva"));
    insta::assert_snapshot!(screen);
    update(&mut app, code(KeyCode::Esc));
}

#[test]
fn too_small_says_so() {
    let (mut app, _) = populated(4);
    let screen = render(&mut app, 50, 12);
    assert!(screen.contains("enlarge it to at least 60×16"), "{screen}");
}

#[test]
fn ten_thousand_rows_g_shows_exactly_the_last_screenful() {
    let (mut app, _) = populated(10_000);
    update(&mut app, key('G'));
    let screen = render(&mut app, 200, 60);
    let page = app.page_size();
    assert!(page > 10, "a 60-line screen shows many rows: {page}");
    assert_eq!(app.selected, app.view.len() - 1);
    assert_eq!(app.offset, app.view.len() - page);
    // The table's lines are the view's last `page` rows, in order.
    let area = app.regions.table_rows;
    let lines: Vec<&str> = screen
        .lines()
        .skip(area.y as usize)
        .take(area.height as usize)
        .collect();
    assert_eq!(lines.len(), page);
    for (line, &row) in lines.iter().zip(&app.view[app.offset..]) {
        let label = format!("{} ", app.monitor.rows[row].label);
        assert!(line.contains(&label), "{label:?} not on {line:?}");
    }
    let before = format!("{} ", app.monitor.rows[app.view[app.offset - 1]].label);
    assert!(!lines.iter().any(|l| l.contains(&before)));
}

#[test]
fn header_and_log_title_speak_the_ui_language() {
    let (mut app, _) = populated(4);
    app.lang = crate::i18n::Lang::Pt;
    let second = app.monitor.accounts[0].clone();
    app.monitor.accounts.push(second);
    app.log.dropped = 7;
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("2 contas"), "{screen}");
    update(&mut app, key('l'));
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("+7 anteriores descartadas"), "{screen}");
}

/// Spanish at 80×24: the local label is "Etiqueta" (the WhatsApp profile
/// name keeps "nombre"), the confirmation offers the language's own key and
/// `s` answers it.
#[test]
fn spanish_wording_and_confirm_with_s() {
    let (mut app, _) = populated(4);
    app.lang = crate::i18n::Lang::Es;
    update(&mut app, key('X'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Etiqueta"), "{screen}");
    assert!(screen.contains("Sí (s)"), "{screen}");
    insta::assert_snapshot!(screen);
    let id = app.selected_id().expect("a selected row");
    update(&mut app, key('s'));
    assert!(app.row(&id).is_none(), "s confirms in Spanish");
}

/// In English `s` is not "yes": the confirmation stays open.
#[test]
fn english_s_does_not_confirm() {
    let (mut app, _) = populated(4);
    update(&mut app, key('X'));
    let id = app.selected_id().expect("a selected row");
    update(&mut app, key('s'));
    assert!(app.row(&id).is_some());
    assert!(matches!(app.mode, crate::app::Mode::Confirm(_)));
}
