//! The user's `[keys.<mode>]` layered over the default table in `keymap`.
//!
//! The static table stays the single source of defaults (new actions are
//! appended there); this module only replaces, per mode, the keys of the
//! actions the user named. Action names are derived from the `Action`
//! variants (`RefreshOne` → `refresh_one`), so an action added to the table
//! can be rebound with no change here.
//!
//! ```toml
//! [keys.list]
//! quit = ["x", "ctrl-q"]
//! connect = "enter"
//! ```

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::keys::{self as keymap, Action, Key, ModeKind};

mod from_config;
mod keys;

pub use from_config::keymap_from;
pub use keys::{key_config_name, key_label, parse_key, same_key};

/// The mode names of `[keys.<mode>]` and the tables each one covers.
/// `form` covers the three form kinds (text, picture path, on/off choice).
pub const CONFIG_MODES: &[(&str, &[ModeKind])] = &[
    ("list", &[ModeKind::List]),
    ("filter", &[ModeKind::Filter]),
    ("command", &[ModeKind::Command]),
    ("help", &[ModeKind::Help]),
    ("log", &[ModeKind::Log]),
    (
        "form",
        &[ModeKind::Form, ModeKind::PictureForm, ModeKind::Choice],
    ),
    ("confirm", &[ModeKind::Confirm]),
    ("qr", &[ModeKind::Qr]),
    ("history", &[ModeKind::History]),
    ("doctor", &[ModeKind::Doctor]),
];

/// The config name of a mode.
pub fn config_mode_name(mode: ModeKind) -> &'static str {
    CONFIG_MODES
        .iter()
        .find(|(_, kinds)| kinds.contains(&mode))
        .map_or("list", |(name, _)| name)
}

/// `RefreshOne` → `refresh_one`, from the variant's name.
pub fn action_name(action: Action) -> String {
    let debug = format!("{action:?}");
    let mut name = String::with_capacity(debug.len() + 4);
    for (i, c) in debug
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .enumerate()
    {
        if c.is_uppercase() {
            if i > 0 {
                name.push('_');
            }
            name.extend(c.to_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

/// The actions a config mode can rebind: those its tables bind by default,
/// in table order, once each.
pub fn mode_actions(kinds: &[ModeKind]) -> Vec<Action> {
    let mut actions = Vec::new();
    for &kind in kinds {
        for binding in keymap::bindings(kind) {
            if !actions.contains(&binding.action) {
                actions.push(binding.action);
            }
        }
    }
    actions
}

/// A text field takes plain characters as typing: a rebinding there must
/// use a named key or a modifier.
fn types_text(kind: ModeKind) -> bool {
    matches!(
        kind,
        ModeKind::Filter | ModeKind::Command | ModeKind::Form | ModeKind::PictureForm
    )
}

fn is_typing(key: &Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// One user binding as read from the file; `at` is handed back in errors so
/// the caller can point at the line.
#[derive(Debug, Clone)]
pub struct UserBinding<T> {
    pub mode: String,
    pub action: String,
    pub keys: Vec<String>,
    pub at: T,
}

/// Why a `[keys]` entry was refused, and which entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebindError<T> {
    pub at: T,
    pub message: String,
    /// The problem is the mode or action name (else the keys given).
    pub in_name: bool,
}

/// The replaced keys of one action in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Replaced {
    keys: Vec<(KeyCode, KeyModifiers)>,
    label: String,
}

/// The defaults with the user's replacements. `Keymap::default()` is the
/// table as shipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    replaced: HashMap<(ModeKindKey, Action), Replaced>,
}

/// `ModeKind` as a map key (it has no `Hash`; the table file is shared).
type ModeKindKey = usize;

fn mode_key(kind: ModeKind) -> ModeKindKey {
    ModeKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(usize::MAX)
}

/// One row as the bar and the help show it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub label: String,
    pub action: Action,
    pub in_bar: bool,
    pub keys: Vec<Key>,
}

impl Keymap {
    /// Applies `entries` over the defaults; the first problem is returned
    /// with the entry's `at`.
    pub fn build<T: Clone>(entries: &[UserBinding<T>]) -> Result<Keymap, RebindError<T>> {
        let mut map = Keymap::default();
        let fail = |at: &T, message: String| RebindError {
            at: at.clone(),
            message,
            in_name: false,
        };
        let fail_name = |at: &T, message: String| RebindError {
            in_name: true,
            ..fail(at, message)
        };
        for entry in entries {
            let Some((_, kinds)) = CONFIG_MODES.iter().find(|(name, _)| *name == entry.mode) else {
                let names: Vec<&str> = CONFIG_MODES.iter().map(|(n, _)| *n).collect();
                return Err(fail_name(
                    &entry.at,
                    format!(
                        "unknown mode `{}` in [keys.{}]: use one of {}",
                        entry.mode,
                        entry.mode,
                        names.join(", ")
                    ),
                ));
            };
            let actions = mode_actions(kinds);
            let Some(&action) = actions.iter().find(|a| action_name(**a) == entry.action) else {
                let names: Vec<String> = actions.iter().map(|a| action_name(*a)).collect();
                return Err(fail_name(
                    &entry.at,
                    format!(
                        "unknown action `{}` in [keys.{}]; its actions are: {}",
                        entry.action,
                        entry.mode,
                        names.join(", ")
                    ),
                ));
            };
            if entry.keys.is_empty() {
                return Err(fail(
                    &entry.at,
                    format!(
                        "[keys.{}] {} has no keys: give one key or a list",
                        entry.mode, entry.action
                    ),
                ));
            }
            let mut keys: Vec<Key> = Vec::new();
            for text in &entry.keys {
                let key = parse_key(text).map_err(|m| {
                    fail(
                        &entry.at,
                        format!("[keys.{}] {}: {m}", entry.mode, entry.action),
                    )
                })?;
                if !keys.iter().any(|k| same_key(k, &key)) {
                    keys.push(key);
                }
            }
            for &kind in kinds.iter() {
                if !keymap::bindings(kind).iter().any(|b| b.action == action) {
                    continue;
                }
                if types_text(kind)
                    && let Some(key) = keys.iter().find(|k| is_typing(k))
                {
                    return Err(fail(
                        &entry.at,
                        format!(
                            "[keys.{}] {}: `{}` would stop that character from being typed; \
                             use a key with ctrl- or alt-, or a named key (enter, esc, f1…)",
                            entry.mode,
                            entry.action,
                            key_config_name(key)
                        ),
                    ));
                }
                let label = keys.iter().map(key_label).collect::<Vec<_>>().join("/");
                map.replaced.insert(
                    (mode_key(kind), action),
                    Replaced {
                        keys: keys.iter().map(|k| (k.code, k.mods)).collect(),
                        label,
                    },
                );
            }
        }
        // Two actions on one key: reported at the user's entry that caused it.
        for entry in entries {
            let Some((_, kinds)) = CONFIG_MODES.iter().find(|(n, _)| *n == entry.mode) else {
                continue;
            };
            for &kind in kinds.iter() {
                if let Some(message) = map.clash(kind, &entry.action) {
                    return Err(fail(
                        &entry.at,
                        format!("[keys.{}] {}: {message}", entry.mode, entry.action),
                    ));
                }
            }
        }
        Ok(map)
    }

    /// A key of `action_name` that another action of `kind` also has.
    fn clash(&self, kind: ModeKind, action_name_wanted: &str) -> Option<String> {
        let shown = self.bindings(kind);
        let mine = shown
            .iter()
            .find(|s| action_name(s.action) == action_name_wanted)?;
        for other in shown.iter().filter(|s| s.action != mine.action) {
            if let Some(key) = mine
                .keys
                .iter()
                .find(|k| other.keys.iter().any(|o| same_key(k, o)))
            {
                return Some(format!(
                    "`{}` is also the key of `{}` in this mode; rebind that one too",
                    key_config_name(key),
                    action_name(other.action)
                ));
            }
        }
        None
    }

    /// The table of `kind` as it stands: defaults, with replaced keys and
    /// labels where the user rebound.
    pub fn bindings(&self, kind: ModeKind) -> Vec<Shown> {
        keymap::bindings(kind)
            .iter()
            .map(|b| match self.replaced.get(&(mode_key(kind), b.action)) {
                Some(r) => Shown {
                    label: r.label.clone(),
                    action: b.action,
                    in_bar: b.in_bar,
                    keys: r
                        .keys
                        .iter()
                        .map(|&(code, mods)| Key { code, mods })
                        .collect(),
                },
                None => Shown {
                    label: b.label.to_string(),
                    action: b.action,
                    in_bar: b.in_bar,
                    keys: b.keys.to_vec(),
                },
            })
            .collect()
    }

    /// What `event` means in `kind`; the defaults' `lookup` when nothing
    /// was rebound there.
    pub fn lookup(&self, kind: ModeKind, event: &KeyEvent) -> Option<Action> {
        let mk = mode_key(kind);
        if !self.replaced.keys().any(|(m, _)| *m == mk) {
            return keymap::lookup(kind, event);
        }
        let mods = match event.code {
            KeyCode::Char(_) => event.modifiers - KeyModifiers::SHIFT,
            _ => event.modifiers,
        };
        keymap::bindings(kind)
            .iter()
            .find(|b| match self.replaced.get(&(mk, b.action)) {
                Some(r) => r.keys.iter().any(|&(c, m)| c == event.code && m == mods),
                None => b
                    .keys
                    .iter()
                    .any(|k| k.code == event.code && k.mods == mods),
            })
            .map(|b| b.action)
    }

    pub fn is_default(&self) -> bool {
        self.replaced.is_empty()
    }
}

/// The README's table of every action with its default keys, per config
/// mode, described in `lang`. A test compares the READMEs with it, so the
/// documentation follows the table (paste this when the table grows).
pub fn defaults_markdown(lang: crate::i18n::Lang) -> String {
    let (mode_h, action_h, keys_h, what_h) = match lang {
        crate::i18n::Lang::Es => ("Modo", "Acción", "Teclas por defecto", "Qué hace"),
        crate::i18n::Lang::Pt => ("Modo", "Ação", "Teclas padrão", "O que faz"),
        crate::i18n::Lang::En => ("Mode", "Action", "Default keys", "What it does"),
    };
    let mut out = format!("| {mode_h} | {action_h} | {keys_h} | {what_h} |\n|---|---|---|---|\n");
    for (mode, kinds) in CONFIG_MODES {
        for action in mode_actions(kinds) {
            let mut keys: Vec<String> = Vec::new();
            for kind in kinds.iter() {
                for binding in keymap::bindings(*kind)
                    .iter()
                    .filter(|b| b.action == action)
                {
                    for key in binding.keys {
                        let name = format!("`{}`", key_config_name(key));
                        if !keys.contains(&name) {
                            keys.push(name);
                        }
                    }
                }
            }
            out.push_str(&format!(
                "| {mode} | `{}` | {} | {} |\n",
                action_name(action),
                keys.join(" "),
                keymap::describe(action, lang)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, action: &str, keys: &[&str]) -> UserBinding<u32> {
        UserBinding {
            mode: mode.into(),
            action: action.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            at: 7,
        }
    }

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn names_come_from_the_variants() {
        assert_eq!(action_name(Action::RefreshOne), "refresh_one");
        assert_eq!(action_name(Action::Quit), "quit");
        assert_eq!(action_name(Action::QrNewCode), "qr_new_code");
    }

    #[test]
    fn keys_parse_and_print_back() {
        for (text, label, name) in [
            ("x", "x", "x"),
            ("G", "G", "G"),
            ("shift-g", "G", "G"),
            ("ctrl-q", "^Q", "ctrl-q"),
            ("Ctrl+Q", "^Q", "ctrl-q"),
            ("alt-x", "M-x", "alt-x"),
            ("enter", "Enter", "enter"),
            ("shift-tab", "S-Tab", "backtab"),
            ("space", "Space", "space"),
            ("f5", "F5", "f5"),
            ("-", "-", "-"),
            ("ctrl-enter", "C-Enter", "ctrl-enter"),
        ] {
            let key = parse_key(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(key_label(&key), label, "{text}");
            assert_eq!(key_config_name(&key), name, "{text}");
            let again = parse_key(&key_config_name(&key)).unwrap();
            assert!(same_key(&key, &again), "{text}");
        }
        for bad in ["", "ctrl-", "hyper-x", "enterr", "f13"] {
            assert!(parse_key(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn a_rebinding_replaces_only_that_action_in_that_mode() {
        let map = Keymap::build(&[entry("list", "quit", &["x", "ctrl-q"])]).unwrap();
        let list = |code, mods| map.lookup(ModeKind::List, &press(code, mods));
        assert_eq!(
            list(KeyCode::Char('x'), KeyModifiers::NONE),
            Some(Action::Quit)
        );
        assert_eq!(
            list(KeyCode::Char('q'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
        // The old keys are gone; every other default stays.
        assert_eq!(list(KeyCode::Char('q'), KeyModifiers::NONE), None);
        assert_eq!(
            list(KeyCode::Char('j'), KeyModifiers::NONE),
            Some(Action::Down)
        );
        // Other modes keep their own quit.
        assert_eq!(
            map.lookup(
                ModeKind::Qr,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        let shown = map.bindings(ModeKind::List);
        let quit = shown.iter().find(|s| s.action == Action::Quit).unwrap();
        assert_eq!(quit.label, "x/^Q");
    }

    #[test]
    fn form_covers_every_form_kind() {
        let map = Keymap::build(&[entry("form", "close", &["ctrl-g"])]).unwrap();
        for kind in [ModeKind::Form, ModeKind::PictureForm, ModeKind::Choice] {
            assert_eq!(
                map.lookup(kind, &press(KeyCode::Char('g'), KeyModifiers::CONTROL)),
                Some(Action::Close),
                "{kind:?}"
            );
            assert_eq!(
                map.lookup(kind, &press(KeyCode::Esc, KeyModifiers::NONE)),
                None
            );
        }
        // A choice-only action may use a plain letter; a text form may not.
        assert!(Keymap::build(&[entry("form", "set_on", &["y"])]).is_ok());
        let err = Keymap::build(&[entry("form", "submit", &["y"])]).unwrap_err();
        assert!(err.message.contains("typed"), "{}", err.message);
    }

    #[test]
    fn clashes_unknowns_and_bad_keys_are_refused_with_the_entry() {
        let err = Keymap::build(&[entry("list", "quit", &["j"])]).unwrap_err();
        assert_eq!(err.at, 7);
        assert!(err.message.contains("`down`"), "{}", err.message);
        // Moving the other action away resolves it.
        assert!(
            Keymap::build(&[
                entry("list", "quit", &["j"]),
                entry("list", "down", &["ctrl-n"])
            ])
            .is_ok()
        );
        let err = Keymap::build(&[entry("list", "qiut", &["x"])]).unwrap_err();
        assert!(
            err.message.contains("unknown action `qiut`"),
            "{}",
            err.message
        );
        assert!(err.message.contains("refresh_one"), "{}", err.message);
        let err = Keymap::build(&[entry("lists", "quit", &["x"])]).unwrap_err();
        assert!(err.message.contains("unknown mode"), "{}", err.message);
        let err = Keymap::build(&[entry("list", "quit", &["ctrl-"])]).unwrap_err();
        assert!(err.message.contains("no key"), "{}", err.message);
        // An action of another mode is not an action of this one.
        let err = Keymap::build(&[entry("list", "qr_invert", &["I"])]).unwrap_err();
        assert!(err.message.contains("unknown action"), "{}", err.message);
    }

    #[test]
    fn every_default_table_action_has_a_name_that_rebinds() {
        for (mode, kinds) in CONFIG_MODES {
            for action in mode_actions(kinds) {
                let name = action_name(action);
                // Rebinding an action to its own default keys changes nothing.
                let keys: Vec<String> = kinds
                    .iter()
                    .flat_map(|k| keymap::bindings(*k))
                    .find(|b| b.action == action)
                    .unwrap()
                    .keys
                    .iter()
                    .map(key_config_name)
                    .collect();
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                Keymap::build(&[entry(mode, &name, &keys)])
                    .unwrap_or_else(|e| panic!("[keys.{mode}] {name}: {}", e.message));
            }
        }
    }
}
