//! Issue 19 screens at 80×24, English and Spanish: the help wrapped and
//! searched, the doctor pane, the `:` suggestions, the wide layout with
//! the Id, details hidden, the sort mark.

use ratatui::crossterm::event::KeyCode;
use unicode_width::UnicodeWidthStr;

use super::snapshots::{populated, render};
use crate::app::tests::{code, key};
use crate::app::{App, Mode, update};
use crate::i18n::Lang;

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(c));
    }
}

#[test]
fn help_wraps_at_80_columns_and_no_line_is_cut() {
    for lang in [Lang::En, Lang::Es] {
        let (mut app, _) = populated(4);
        app.lang = lang;
        update(&mut app, key('?'));
        // Scrolled through, the help holds its longest texts whole (wrapped).
        let mut text = String::new();
        for scroll in (0..300).step_by(18) {
            app.mode = Mode::Help { scroll };
            let screen = render(&mut app, 80, 24);
            for line in screen.lines() {
                assert!(line.width() <= 82, "{line}");
                let inner = line.trim_matches('"').trim_matches('│').trim();
                text.push_str(inner);
                text.push(' ');
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let s = lang.strings();
        for long in [
            s.help_osc52_note,
            s.cmd_reconnect,
            s.help_filter_note,
            s.cmd_doctor,
        ] {
            let long = long.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(&long),
                "{lang:?}: {long:?} not whole in the help"
            );
        }
        app.mode = Mode::Help { scroll: 0 };
        insta::assert_snapshot!(format!("help_80x24_{lang:?}"), render(&mut app, 80, 24));
    }
}

#[test]
fn help_search_shows_the_matching_lines() {
    let (mut app, _) = populated(4);
    app.lang = Lang::Es;
    update(&mut app, key('?'));
    update(&mut app, key('/'));
    typed(&mut app, "copiar");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("copiar id"), "{screen}");
    assert!(!screen.contains("salir"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn doctor_pane_80x24() {
    let (mut app, _) = populated(4);
    typed(&mut app, ":doctor");
    update(&mut app, code(KeyCode::Enter));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Doctor"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn command_suggestions_under_the_line() {
    let (mut app, _) = populated(4);
    typed(&mut app, ":re");
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("refresh") && screen.contains("reconnect"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn wide_shows_the_id_at_80_columns_and_v_hides_details() {
    let (mut app, _) = populated(12);
    // With the history's columns, compact has no room for the Id at 80.
    app.history.enabled = true;
    let compact = render(&mut app, 80, 24);
    assert!(!compact.contains(" Id "), "{compact}");
    update(&mut app, key('w'));
    update(&mut app, key('v'));
    update(&mut app, key('S'));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Id"), "{screen}");
    assert!(
        screen.contains('▼'),
        "the reversed sort is marked: {screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn chosen_columns_are_the_ones_drawn() {
    let (app, _) = populated(6);
    let mut app = app.with_screen(&crate::config::views::ScreenConfig {
        columns: Some(vec!["id".into(), "tags".into()]),
        views: Vec::new(),
    });
    let screen = render(&mut app, 80, 24);
    let header = screen.lines().nth(1).unwrap();
    assert!(header.contains("Id") && header.contains("Tags"), "{header}");
    assert!(!header.contains("Latency"), "{header}");
}

/// Joined screen text, borders and padding away, for "is it all there".
fn words_of(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches('"').replace('│', " "))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn read_only_mark_and_the_api_key_label_stay_whole() {
    let (mut app, _) = populated(4);
    app.read_only = true;
    app.lang = Lang::Es;
    let screen = render(&mut app, 80, 24);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("[solo lectura]"), "{header}");
    // Beside the table (120 columns), "api key: ••••abcd" is never split.
    let screen = render(&mut app, 120, 30);
    assert!(
        screen
            .lines()
            .any(|l| l.contains("api\u{a0}key:\u{a0}••••abcd") || l.contains("api key: ••••abcd")),
        "{screen}"
    );
}

#[test]
fn a_long_form_error_wraps_whole_at_80x24() {
    let (mut app, _) = populated(4);
    update(&mut app, key('n'));
    let long = "HTTP 502 from the server, not a JSON answer: the proxy in front of \
                the API may be down; check the base_url and try again in a minute";
    match &mut app.mode {
        Mode::Form(form) => form.error = Some(long.to_string()),
        other => panic!("{other:?}"),
    }
    let screen = render(&mut app, 80, 24);
    assert!(words_of(&screen).contains(long), "{screen}");
}
