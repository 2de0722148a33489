//! Which keys the status bar offers now: the table's defaults, adjusted to
//! what the keys would do in this state (read-only, marks, a linked
//! instance in the QR pane, no display to open a picture on).

use crate::app::modes::Mode;
use crate::app::state::App;
use crate::engine::pairing::qr_pane::Stage;
use crate::keys::{Action, ModeKind};

/// Whether the bar shows `action` in `mode`; `default` is the table's
/// `in_bar`.
pub fn in_bar(app: &App, mode: ModeKind, action: Action, default: bool) -> bool {
    use Action::*;
    match mode {
        ModeKind::List => match action {
            // Refused in read-only: not offered.
            EditName | EditDescription | EditPicture | ToggleAutoRead | Disconnect
            | AddInstance | RemoveInstance
                if app.read_only =>
            {
                false
            }
            // With marks, the keys that act on them come forward, and the
            // single-row edits step back.
            ClearMarks | MarkAllShown if !app.marks.is_empty() => true,
            EditName | EditDescription | EditPicture | ToggleAutoRead if !app.marks.is_empty() => {
                false
            }
            _ => default,
        },
        ModeKind::Qr => {
            let linked = matches!(
                &app.mode,
                Mode::Qr(pane) if !matches!(pane.stage, Stage::Waiting)
            );
            match action {
                // Nothing to save, renew or open for a linked instance.
                QrSave | QrNewCode | QrOpen | QrShare | QrInvert | QrMode if linked => false,
                QrOpen if !app.can_open_viewer => false,
                QrSkip if app.reconnect.is_some() => true,
                _ => default,
            }
        }
        _ => default,
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
        assert!(!in_bar(&a, ModeKind::List, Action::EditName, true));
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
