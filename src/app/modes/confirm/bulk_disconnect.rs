//! The bulk disconnect's confirmation: it says what "yes" does (how many
//! are active and will be logged out, how many are already inactive), and
//! above [`TYPE_COUNT_ABOVE`] instances it asks for the count to be typed,
//! as GitHub asks for a repository's name before deleting it: a reflexive
//! `y` must not log a whole fleet out.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::actions::labels_summary;
use crate::app::modes::confirm::Confirm;
use crate::app::modes::confirm::Pending;
use crate::app::state::{App, FlashKind};
use crate::domain::Health;
use crate::i18n::Strings;

/// Bulk runs over this many instances need the count typed.
pub const TYPE_COUNT_ABOVE: usize = 20;
/// Digits accepted in the typed count (fleets stay far below a million).
const MAX_DIGITS: usize = 7;

/// The count the operator must type, and what they typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedCount {
    pub want: usize,
    pub typed: String,
    /// A confirm was tried with the wrong number: the dialog says so.
    pub mismatch: bool,
}

impl TypedCount {
    pub fn matches(&self) -> bool {
        self.typed == self.want.to_string()
    }

    /// "Type 25 to confirm: 2".
    pub fn prompt(&self, s: &Strings) -> String {
        format!(
            "{} {} {}: {}",
            s.type_count_pre, self.want, s.type_count_post, self.typed
        )
    }
}

/// How the marked instances stand now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub active: usize,
    pub inactive: usize,
    /// Error, unknown or not checked yet.
    pub other: usize,
}

pub fn standing(app: &App, ids: &[String]) -> Standing {
    let mut out = Standing::default();
    for row in ids.iter().filter_map(|id| app.row(id)) {
        match row.health() {
            Health::Active => out.active += 1,
            Health::Inactive => out.inactive += 1,
            _ => out.other += 1,
        }
    }
    out
}

/// "25 instances: 18 active (will be logged out), 7 already inactive".
pub fn standing_line(total: usize, st: Standing, s: &Strings) -> String {
    let mut parts = vec![
        format!("{} {}", st.active, s.bulk_active_logged_out),
        format!("{} {}", st.inactive, s.bulk_already_inactive),
    ];
    if st.other > 0 {
        parts.push(format!("{} {}", st.other, s.bulk_status_unknown));
    }
    format!("{total} {}: {}", s.instances_word, parts.join(", "))
}

/// The dialog for `D` with marks.
pub fn bulk_disconnect(app: &App, ids: Vec<String>) -> Confirm {
    let s = app.strings();
    let total = ids.len();
    let lines = vec![
        s.disconnect_marked_q.to_string(),
        standing_line(total, standing(app, &ids), s),
        labels_summary(app, &ids, s),
    ];
    Confirm {
        title: s.confirm_title.to_string(),
        lines,
        yes_focused: false,
        on_yes: Pending::BulkDisconnect(ids),
        typed: (total > TYPE_COUNT_ABOVE).then(|| TypedCount {
            want: total,
            typed: String::new(),
            mismatch: false,
        }),
    }
}

/// `n`, `d` and `i` edit one instance: with marks set, the form's title
/// says so rather than letting the operator believe the marks are edited.
/// Appended to the form's title: " — only this row is edited (5 marked
/// rows are not changed)". Also flashed in the status bar, which a
/// narrow screen does not cut as it cuts a long title.
pub fn only_this_row_note(app: &mut App) -> String {
    if app.marks.is_empty() {
        return String::new();
    }
    let s = app.strings();
    let note = format!(
        "{} ({} {})",
        s.form_only_this_row,
        app.marks.len(),
        s.form_marked_unchanged
    );
    app.flash(note.clone(), FlashKind::Info, Duration::from_secs(10));
    format!(" — {note}")
}

/// A key typed into the count: digits and Backspace. True when it was one.
pub fn type_key(typed: &mut TypedCount, key: &KeyEvent) -> bool {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return false;
    }
    match key.code {
        KeyCode::Char(c) if c.is_ascii_digit() => {
            if typed.typed.len() < MAX_DIGITS {
                typed.typed.push(c);
            }
        }
        KeyCode::Backspace => {
            typed.typed.pop();
        }
        _ => return false,
    }
    typed.mismatch = false;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standing_line_names_who_is_logged_out() {
        let s = crate::i18n::Lang::En.strings();
        let st = Standing {
            active: 18,
            inactive: 7,
            other: 0,
        };
        assert_eq!(
            standing_line(25, st, s),
            "25 instances: 18 active (will be logged out), 7 already inactive"
        );
        let st = Standing { other: 2, ..st };
        assert!(standing_line(27, st, s).ends_with(", 2 status not known"));
    }

    #[test]
    fn the_count_is_typed_digit_by_digit() {
        let s = crate::i18n::Lang::En.strings();
        let mut t = TypedCount {
            want: 25,
            typed: String::new(),
            mismatch: true,
        };
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        assert!(type_key(&mut t, &key(KeyCode::Char('2'))));
        assert!(!t.mismatch && !t.matches());
        assert!(!type_key(&mut t, &key(KeyCode::Char('y'))));
        assert!(type_key(&mut t, &key(KeyCode::Char('6'))));
        assert!(type_key(&mut t, &key(KeyCode::Backspace)));
        assert!(type_key(&mut t, &key(KeyCode::Char('5'))));
        assert!(t.matches());
        assert_eq!(t.prompt(s), "Type 25 to confirm: 25");
    }

    use crate::api::InstanceStatus;
    use crate::app::actions::tests::{api_calls, app_with, ch, key, typed};
    use crate::app::modes::Mode;

    fn app_of(n: usize, active: usize, inactive: usize) -> App {
        let mut app = app_with(n);
        for (k, row) in app.monitor.rows.iter_mut().enumerate() {
            row.status = match k {
                k if k < active => Some(InstanceStatus::Active),
                k if k < active + inactive => Some(InstanceStatus::Inactive),
                _ => None,
            };
        }
        app.view_stale = true;
        app.settle();
        app
    }

    fn dialog(app: &App) -> &Confirm {
        match &app.mode {
            Mode::Confirm(c) => c,
            other => panic!("no confirm: {other:?}"),
        }
    }

    #[test]
    fn over_twenty_the_count_must_be_typed_before_yes() {
        let mut app = app_of(25, 18, 7);
        ch(&mut app, '*');
        ch(&mut app, 'D');
        let text = dialog(&app).lines.join("\n");
        assert!(
            text.contains("25 instances: 18 active (will be logged out), 7 already inactive"),
            "{text}"
        );
        // A reflexive y, or Enter on a focused Yes, does nothing yet.
        assert!(api_calls(&ch(&mut app, 'y')).is_empty());
        assert!(dialog(&app).typed.as_ref().unwrap().mismatch);
        key(&mut app, KeyCode::Tab);
        assert!(api_calls(&key(&mut app, KeyCode::Enter)).is_empty());
        typed(&mut app, "24");
        assert!(api_calls(&ch(&mut app, 'y')).is_empty());
        key(&mut app, KeyCode::Backspace);
        typed(&mut app, "5");
        assert!(!dialog(&app).typed.as_ref().unwrap().mismatch);
        assert_eq!(api_calls(&ch(&mut app, 'y')).len(), 25);
        assert!(matches!(app.mode, Mode::List));
    }

    #[test]
    fn twenty_or_fewer_confirm_with_y_and_n_cancels_a_typed_count() {
        let mut app = app_of(20, 20, 0);
        ch(&mut app, '*');
        ch(&mut app, 'D');
        assert!(dialog(&app).typed.is_none());
        assert_eq!(api_calls(&ch(&mut app, 'y')).len(), 20);

        let mut app = app_of(21, 0, 0);
        ch(&mut app, '*');
        ch(&mut app, 'D');
        assert!(dialog(&app).lines[1].contains("21 status not known"));
        typed(&mut app, "21");
        assert!(api_calls(&key(&mut app, KeyCode::Esc)).is_empty());
        assert!(matches!(app.mode, Mode::List));
    }

    #[test]
    fn with_marks_the_single_row_forms_say_only_this_row() {
        let mut app = app_with(4);
        ch(&mut app, 'n');
        let Mode::Form(form) = &app.mode else {
            panic!()
        };
        assert!(!form.title.contains("only this row"), "{}", form.title);
        key(&mut app, KeyCode::Esc);
        ch(&mut app, ' ');
        ch(&mut app, ' ');
        for c in ['n', 'd', 'i'] {
            ch(&mut app, c);
            let Mode::Form(form) = &app.mode else {
                panic!("{c}")
            };
            assert!(
                form.title
                    .contains("Shop 3 — only this row is edited (2 marked rows are not changed)"),
                "{c}: {}",
                form.title
            );
            key(&mut app, KeyCode::Esc);
        }
    }

    #[test]
    fn a_filter_with_a_typo_shows_and_marks_nothing() {
        let mut app = app_of(8, 4, 4);
        ch(&mut app, '/');
        typed(&mut app, "status:inactiv");
        key(&mut app, KeyCode::Enter);
        assert!(app.view.is_empty());
        ch(&mut app, '*');
        assert!(app.marks.is_empty());
        assert_eq!(
            app.flash.as_ref().unwrap().text,
            app.strings().filter_nothing_marked
        );
        let (note, error) = crate::app::filter_note::filter_note(&app).unwrap();
        assert!(error && note.contains("did you mean inactive?"), "{note}");
        ch(&mut app, '/');
        key(&mut app, KeyCode::Backspace);
        typed(&mut app, "ve tag:peru");
        let (note, error) = crate::app::filter_note::filter_note(&app).unwrap();
        assert!(
            !error && note.contains("no instance is tagged peru"),
            "{note}"
        );
    }
}
