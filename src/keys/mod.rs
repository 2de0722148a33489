//! Every key binding, per mode, in one table. The status bar and the `?`
//! help are generated from it, so they cannot drift from what the keys do.

pub mod rebind;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

/// The modes that have their own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeKind {
    List,
    Filter,
    Command,
    Help,
    Log,
    Confirm,
    Form,
    /// The picture form, where Tab completes a path.
    PictureForm,
    /// The on/off choice (automatic read).
    Choice,
    Qr,
    /// The selected instance's stored periods (`h`).
    History,
}

impl ModeKind {
    pub const ALL: [ModeKind; 11] = [
        ModeKind::List,
        ModeKind::Filter,
        ModeKind::Command,
        ModeKind::Log,
        ModeKind::Form,
        ModeKind::PictureForm,
        ModeKind::Choice,
        ModeKind::Confirm,
        ModeKind::Qr,
        ModeKind::Help,
        ModeKind::History,
    ];

    pub fn title(self, lang: Lang) -> &'static str {
        let s = lang.strings();
        match self {
            ModeKind::List => s.mode_list,
            ModeKind::Filter => s.mode_filter,
            ModeKind::Command => s.mode_command,
            ModeKind::Help => s.mode_help,
            ModeKind::Log => s.mode_log,
            ModeKind::Confirm => s.mode_confirm,
            ModeKind::Form => s.mode_form,
            ModeKind::PictureForm => s.picture_title,
            ModeKind::Choice => s.auto_read_title,
            ModeKind::Qr => s.mode_qr,
            ModeKind::History => s.hist_title,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    OpenFilter,
    ClearFilter,
    OpenCommand,
    CycleSort,
    ReverseSort,
    Help,
    ToggleLog,
    RefreshOne,
    RefreshAll,
    TogglePause,
    Quit,
    AddInstance,
    RemoveInstance,
    EditName,
    EditDescription,
    EditPicture,
    ToggleAutoRead,
    Disconnect,
    Mark,
    MarkAllShown,
    ClearMarks,
    Connect,
    Open,
    /// Leave the current overlay / input.
    Close,
    /// Accept the input line or the focused button.
    Submit,
    NextField,
    PrevField,
    Yes,
    No,
    QrInvert,
    QrSave,
    QrMode,
    /// In the QR pane: ask for a new code now.
    QrNewCode,
    /// In the picture form: complete the path.
    Complete,
    /// In an on/off choice: switch, or pick one side.
    Flip,
    SetOn,
    SetOff,
    /// `h`: the selected instance's stored history.
    ToggleHistory,
    /// In the QR pane: save the PNG and open it in the image viewer.
    QrOpen,
    /// In a reconnect queue: skip to the next instance.
    QrSkip,
    /// In the QR pane: a one-time web link with the live code.
    QrShare,
}

/// One key as the table shows and matches it.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    /// How the keys are written in the bar and the help.
    pub label: &'static str,
    pub action: Action,
    /// Shown in the status bar (the most used ones); all are in the help.
    pub in_bar: bool,
}

const fn b(keys: &'static [Key], label: &'static str, action: Action, in_bar: bool) -> Binding {
    Binding {
        keys,
        label,
        action,
        in_bar,
    }
}

static LIST: &[Binding] = &[
    b(&[k('j'), code(KeyCode::Down)], "j/↓", Action::Down, false),
    b(&[k('k'), code(KeyCode::Up)], "k/↑", Action::Up, false),
    b(&[k('g'), code(KeyCode::Home)], "g", Action::Top, false),
    b(&[k('G'), code(KeyCode::End)], "G", Action::Bottom, false),
    b(
        &[code(KeyCode::PageUp), ctrl('b')],
        "PgUp",
        Action::PageUp,
        false,
    ),
    b(
        &[code(KeyCode::PageDown), ctrl('f')],
        "PgDn",
        Action::PageDown,
        false,
    ),
    b(&[code(KeyCode::Enter)], "Enter", Action::Open, false),
    b(&[k('c')], "c", Action::Connect, true),
    b(&[k('/')], "/", Action::OpenFilter, true),
    b(&[code(KeyCode::Esc)], "Esc", Action::ClearFilter, false),
    b(&[k('s')], "s", Action::CycleSort, false),
    b(&[k('S')], "S", Action::ReverseSort, false),
    b(&[k('r')], "r", Action::RefreshOne, true),
    b(&[k('R')], "R", Action::RefreshAll, false),
    b(&[k('p')], "p", Action::TogglePause, false),
    b(&[k('n')], "n", Action::EditName, true),
    b(&[k('d')], "d", Action::EditDescription, true),
    b(&[k('i')], "i", Action::EditPicture, true),
    b(&[k('a')], "a", Action::ToggleAutoRead, true),
    b(&[k('D')], "D", Action::Disconnect, true),
    b(&[k(' ')], "Space", Action::Mark, false),
    b(&[k('*')], "*", Action::MarkAllShown, false),
    b(&[k('u')], "u", Action::ClearMarks, false),
    b(&[k('A')], "A", Action::AddInstance, false),
    b(&[k('X')], "X", Action::RemoveInstance, false),
    b(&[k('l')], "l", Action::ToggleLog, false),
    b(&[k('h')], "h", Action::ToggleHistory, true),
    b(&[k(':')], ":", Action::OpenCommand, false),
    b(&[k('?')], "?", Action::Help, true),
    b(&[k('q'), ctrl('c')], "q", Action::Quit, true),
];

static FILTER: &[Binding] = &[
    b(&[code(KeyCode::Enter)], "Enter", Action::Submit, true),
    b(&[code(KeyCode::Esc)], "Esc", Action::Close, true),
    b(&[code(KeyCode::Down)], "↓", Action::Down, false),
    b(&[code(KeyCode::Up)], "↑", Action::Up, false),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static COMMAND: &[Binding] = &[
    b(&[code(KeyCode::Enter)], "Enter", Action::Submit, true),
    b(&[code(KeyCode::Esc)], "Esc", Action::Close, true),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static HELP: &[Binding] = &[
    b(
        &[code(KeyCode::Esc), k('?'), k('q')],
        "Esc/?",
        Action::Close,
        true,
    ),
    b(&[k('j'), code(KeyCode::Down)], "j/↓", Action::Down, true),
    b(&[k('k'), code(KeyCode::Up)], "k/↑", Action::Up, true),
    b(&[code(KeyCode::PageDown)], "PgDn", Action::PageDown, false),
    b(&[code(KeyCode::PageUp)], "PgUp", Action::PageUp, false),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static LOG: &[Binding] = &[
    b(
        &[code(KeyCode::Esc), k('l'), k('q')],
        "Esc/l",
        Action::Close,
        true,
    ),
    b(&[k('j'), code(KeyCode::Down)], "j/↓", Action::Down, true),
    b(&[k('k'), code(KeyCode::Up)], "k/↑", Action::Up, true),
    b(&[k('g'), code(KeyCode::Home)], "g", Action::Top, false),
    b(&[k('G'), code(KeyCode::End)], "G", Action::Bottom, true),
    b(&[code(KeyCode::PageUp)], "PgUp", Action::PageUp, false),
    b(&[code(KeyCode::PageDown)], "PgDn", Action::PageDown, false),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static CONFIRM: &[Binding] = &[
    b(&[k('y')], "y", Action::Yes, true),
    b(&[k('n'), code(KeyCode::Esc)], "n/Esc", Action::No, true),
    b(
        &[
            code(KeyCode::Tab),
            code(KeyCode::Left),
            code(KeyCode::Right),
        ],
        "Tab/←→",
        Action::NextField,
        true,
    ),
    b(&[code(KeyCode::Enter)], "Enter", Action::Submit, true),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static FORM: &[Binding] = &[
    b(&[code(KeyCode::Enter)], "Enter", Action::Submit, true),
    b(&[code(KeyCode::Esc)], "Esc", Action::Close, true),
    b(
        &[code(KeyCode::Tab), code(KeyCode::Down)],
        "Tab",
        Action::NextField,
        true,
    ),
    b(
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        "S-Tab",
        Action::PrevField,
        false,
    ),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static PICTURE_FORM: &[Binding] = &[
    b(&[code(KeyCode::Enter)], "Enter", Action::Submit, true),
    b(&[code(KeyCode::Esc)], "Esc", Action::Close, true),
    b(&[code(KeyCode::Tab)], "Tab", Action::Complete, true),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static CHOICE: &[Binding] = &[
    b(&[code(KeyCode::Enter)], "Enter", Action::Submit, true),
    b(&[code(KeyCode::Esc)], "Esc", Action::Close, true),
    b(
        &[
            code(KeyCode::Tab),
            code(KeyCode::BackTab),
            code(KeyCode::Left),
            code(KeyCode::Right),
            k('h'),
            k('l'),
        ],
        "Tab/←→",
        Action::Flip,
        true,
    ),
    b(&[k('1')], "1", Action::SetOn, true),
    b(&[k('0')], "0", Action::SetOff, true),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static QR: &[Binding] = &[
    b(&[code(KeyCode::Esc), k('q')], "Esc", Action::Close, true),
    b(&[k('i')], "i", Action::QrInvert, true),
    b(&[k('m')], "m", Action::QrMode, true),
    b(&[k('s')], "s", Action::QrSave, true),
    b(&[k('r')], "r", Action::QrNewCode, true),
    b(&[k('o')], "o", Action::QrOpen, true),
    b(&[k('S')], "S", Action::QrShare, true),
    b(&[code(KeyCode::Tab)], "Tab", Action::QrSkip, false),
    b(&[k('D')], "D", Action::Disconnect, false),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

static HISTORY: &[Binding] = &[
    b(
        &[code(KeyCode::Esc), k('h'), k('q')],
        "Esc/h",
        Action::Close,
        true,
    ),
    b(&[k('j'), code(KeyCode::Down)], "j/↓", Action::Down, true),
    b(&[k('k'), code(KeyCode::Up)], "k/↑", Action::Up, true),
    b(&[k('g'), code(KeyCode::Home)], "g", Action::Top, false),
    b(&[k('G'), code(KeyCode::End)], "G", Action::Bottom, false),
    b(&[code(KeyCode::PageUp)], "PgUp", Action::PageUp, true),
    b(&[code(KeyCode::PageDown)], "PgDn", Action::PageDown, true),
    b(&[ctrl('c')], "^C", Action::Quit, false),
];

pub fn bindings(mode: ModeKind) -> &'static [Binding] {
    match mode {
        ModeKind::List => LIST,
        ModeKind::Filter => FILTER,
        ModeKind::Command => COMMAND,
        ModeKind::Help => HELP,
        ModeKind::Log => LOG,
        ModeKind::Confirm => CONFIRM,
        ModeKind::Form => FORM,
        ModeKind::PictureForm => PICTURE_FORM,
        ModeKind::Choice => CHOICE,
        ModeKind::Qr => QR,
        ModeKind::History => HISTORY,
    }
}

/// The action a key press means in a mode, if any. Keys that are not
/// bound fall through to the text input in Filter, Command and Form.
pub fn lookup(mode: ModeKind, event: &KeyEvent) -> Option<Action> {
    // Terminals report Shift+g as 'G' with SHIFT; compare without SHIFT for chars.
    let mods = match event.code {
        KeyCode::Char(_) => event.modifiers - KeyModifiers::SHIFT,
        _ => event.modifiers,
    };
    bindings(mode)
        .iter()
        .find(|binding| {
            binding
                .keys
                .iter()
                .any(|key| key.code == event.code && key.mods == mods)
        })
        .map(|binding| binding.action)
}

/// One-line description of an action, in the UI language.
pub fn describe(action: Action, lang: Lang) -> &'static str {
    use Action::*;
    let s = lang.strings();
    match action {
        Up => s.key_up,
        Down => s.key_down,
        Top => s.key_top,
        Bottom => s.key_bottom,
        PageUp => s.key_page_up,
        PageDown => s.key_page_down,
        OpenFilter => s.key_open_filter,
        ClearFilter => s.key_clear_filter,
        OpenCommand => s.key_open_command,
        CycleSort => s.key_cycle_sort,
        ReverseSort => s.key_reverse_sort,
        Help => s.key_help,
        ToggleLog => s.key_toggle_log,
        RefreshOne => s.key_refresh_one,
        RefreshAll => s.key_refresh_all,
        TogglePause => s.key_toggle_pause,
        Quit => s.key_quit,
        AddInstance => s.key_add_instance,
        RemoveInstance => s.key_remove_instance,
        EditName => s.key_edit_name,
        EditDescription => s.key_edit_description,
        EditPicture => s.key_edit_picture,
        ToggleAutoRead => s.key_toggle_auto_read,
        Disconnect => s.key_disconnect,
        Mark => s.key_mark,
        MarkAllShown => s.key_mark_all_shown,
        ClearMarks => s.key_clear_marks,
        Connect => s.key_connect,
        Open => s.key_open,
        Close => s.key_close,
        Submit => s.key_submit,
        NextField => s.key_next_field,
        PrevField => s.key_prev_field,
        Yes => s.key_yes,
        No => s.key_no,
        QrInvert => s.key_qr_invert,
        QrSave => s.key_qr_save,
        QrMode => s.key_qr_mode,
        QrNewCode => s.key_qr_new_code,
        Complete => s.key_complete,
        Flip => s.key_flip,
        SetOn => s.key_set_on,
        SetOff => s.key_set_off,
        ToggleHistory => s.key_history,
        QrOpen => s.key_qr_open,
        QrSkip => s.key_qr_skip,
        QrShare => s.key_qr_share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn vim_and_arrows_both_move() {
        for code in [KeyCode::Char('j'), KeyCode::Down] {
            assert_eq!(
                lookup(ModeKind::List, &press(code, KeyModifiers::NONE)),
                Some(Action::Down)
            );
        }
        assert_eq!(
            lookup(
                ModeKind::List,
                &press(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(
                ModeKind::List,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for mode in ModeKind::ALL {
            let mut seen = Vec::new();
            for binding in bindings(mode) {
                for key in binding.keys {
                    let id = (format!("{:?}", key.code), key.mods);
                    assert!(!seen.contains(&id), "{mode:?}: {id:?} bound twice");
                    seen.push(id);
                }
            }
        }
    }

    #[test]
    fn typing_keys_fall_through_in_text_modes() {
        let plain = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(ModeKind::Filter, &plain), None);
        assert_eq!(lookup(ModeKind::Form, &plain), None);
        assert_eq!(lookup(ModeKind::Command, &plain), None);
    }

    #[test]
    fn every_action_is_described_in_every_language() {
        for mode in ModeKind::ALL {
            for binding in bindings(mode) {
                for lang in [Lang::En, Lang::Es, Lang::Pt] {
                    assert!(!describe(binding.action, lang).is_empty());
                }
            }
        }
        assert_eq!(describe(Action::Quit, Lang::En), "quit");
        assert_eq!(describe(Action::Quit, Lang::Es), "salir");
        assert_eq!(describe(Action::Quit, Lang::Pt), "sair");
    }
}
