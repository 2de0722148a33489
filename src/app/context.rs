//! Which keys the status bar offers now: the table's defaults, adjusted to
//! what the keys would do in this state (read-only, marks, a linked
//! instance in the QR pane, no display to open a picture on).

use crate::app::modes::list::{list_bar, list_bar_first, list_bar_note};
use crate::app::modes::qr::qr_bar;
use crate::app::state::App;
use crate::keys::{Action, ModeKind};

/// Whether the bar shows `action` in `mode`; `default` is the table's
/// `in_bar`. Each mode that adjusts its bar says how, in its own module.
pub fn in_bar(app: &App, mode: ModeKind, action: Action, default: bool) -> bool {
    match mode {
        ModeKind::List => list_bar(app, action, default),
        ModeKind::Qr => qr_bar(app, action, default),
        _ => default,
    }
}

/// Whether `action` comes first in the bar now (after help and quit), and
/// in which place among those that do.
pub fn bar_first(app: &App, mode: ModeKind, action: Action) -> Option<u8> {
    match mode {
        ModeKind::List => list_bar_first(app, action),
        _ => None,
    }
}

/// Words the bar adds after `action`'s own, if any.
pub fn bar_note(app: &App, mode: ModeKind, action: Action) -> Option<&'static str> {
    match mode {
        ModeKind::List => list_bar_note(app, action),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::in_bar;
    use crate::app::init::AppInit;
    use crate::app::state::App;
    use crate::keys::{Action, ModeKind};
    use std::time::Instant;

    fn app() -> App {
        App::new(AppInit::sample(Vec::new(), Instant::now()))
    }

    #[test]
    fn read_only_offers_no_edits_and_marks_bring_their_keys() {
        let mut a = app();
        assert!(in_bar(&a, ModeKind::List, Action::EditName, true));
        a.read_only = true;
        for action in [
            Action::EditName,
            Action::EditDescription,
            Action::EditPicture,
            Action::ToggleAutoRead,
        ] {
            assert!(!in_bar(&a, ModeKind::List, action, true), "{action:?}");
        }
        a.read_only = false;
        assert!(!in_bar(&a, ModeKind::List, Action::ClearMarks, false));
        a.marks.insert("x".into());
        assert!(in_bar(&a, ModeKind::List, Action::ClearMarks, false));
        // Offered, saying it edits the row under the cursor (as it does).
        assert!(in_bar(&a, ModeKind::List, Action::EditName, true));
        assert!(super::bar_note(&a, ModeKind::List, Action::EditName).is_some());
        assert!(super::bar_note(&a, ModeKind::List, Action::Disconnect).is_none());
    }

    #[test]
    fn no_display_no_open() {
        let mut a = app();
        a.can_open_viewer = false;
        assert!(!in_bar(&a, ModeKind::Qr, Action::QrOpen, true));
        a.can_open_viewer = true;
        assert!(in_bar(&a, ModeKind::Qr, Action::QrOpen, true));
    }
}
