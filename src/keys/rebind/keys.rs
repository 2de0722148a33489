//! Key text both ways: `ctrl-q` in the config to a key, and a key to the
//! label the key bar shows and the name a config would use.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::keys::Key;

/// Parses `x`, `G`, `ctrl-q`, `alt-x`, `shift-tab`, `enter`, `f5`, `space`…
pub fn parse_key(text: &str) -> Result<Key, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("an empty key".into());
    }
    let mut mods = KeyModifiers::NONE;
    let mut rest = text;
    // A single character is the key itself, even '-' or '+'.
    while rest.chars().count() > 1 {
        let Some((head, tail)) = rest.split_once(['-', '+']) else {
            break;
        };
        let modifier = match head.to_ascii_lowercase().as_str() {
            "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
            "alt" | "meta" | "m" | "a" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            _ => {
                return Err(format!(
                    "unknown modifier `{head}` in {text:?} (use ctrl, alt or shift)"
                ));
            }
        };
        if tail.is_empty() {
            return Err(format!("{text:?} has a modifier but no key"));
        }
        mods |= modifier;
        rest = tail;
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => KeyCode::Char(c),
        _ => named(rest).ok_or_else(|| {
            format!(
                "unknown key {rest:?} in {text:?}: write one character, or enter, esc, tab, \
                 backtab, space, backspace, delete, insert, up, down, left, right, home, end, \
                 pageup, pagedown, f1…f12, with ctrl-, alt-, shift- before it"
            )
        })?,
    };
    Ok(normalize(code, mods))
}

fn named(name: &str) -> Option<KeyCode> {
    Some(match name.to_ascii_lowercase().as_str() {
        "enter" | "return" | "ret" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" | "spc" => KeyCode::Char(' '),
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
        "minus" => KeyCode::Char('-'),
        "plus" => KeyCode::Char('+'),
        f if f.starts_with('f') => {
            let n: u8 = f[1..].parse().ok()?;
            if !(1..=12).contains(&n) {
                return None;
            }
            KeyCode::F(n)
        }
        _ => return None,
    })
}

/// The form `lookup` compares: terminals send Shift+g as 'G' (SHIFT is
/// dropped for characters there), Shift+Tab as BackTab, Ctrl+q as 'q'.
fn normalize(code: KeyCode, mods: KeyModifiers) -> Key {
    match code {
        KeyCode::Char(c) => {
            let shifted = mods.contains(KeyModifiers::SHIFT);
            let mods = mods - KeyModifiers::SHIFT;
            let c = if mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else if shifted {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            };
            Key {
                code: KeyCode::Char(c),
                mods,
            }
        }
        KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => Key {
            code: KeyCode::BackTab,
            mods: mods - KeyModifiers::SHIFT,
        },
        code => Key { code, mods },
    }
}

/// How a key is written in the bar and the help: `x`, `^Q`, `M-x`, `Enter`.
pub fn key_label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if key.mods.contains(KeyModifiers::CONTROL) => {
            format!("^{}", c.to_ascii_uppercase())
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let ctrl_char = matches!(key.code, KeyCode::Char(c) if c != ' ')
        && key.mods.contains(KeyModifiers::CONTROL);
    let mut label = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) && !ctrl_char {
        label.push_str("C-");
    }
    if key.mods.contains(KeyModifiers::ALT) {
        label.push_str("M-");
    }
    if key.mods.contains(KeyModifiers::SHIFT) {
        label.push_str("S-");
    }
    label.push_str(&base);
    label
}

/// How a key is written in the config (`ctrl-q`, `enter`, `G`): the
/// README's table of defaults uses it.
pub fn key_config_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("f{n}"),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        other => format!("{other:?}").to_ascii_lowercase(),
    };
    let mut name = String::new();
    if key.mods.contains(KeyModifiers::CONTROL) {
        name.push_str("ctrl-");
    }
    if key.mods.contains(KeyModifiers::ALT) {
        name.push_str("alt-");
    }
    if key.mods.contains(KeyModifiers::SHIFT) {
        name.push_str("shift-");
    }
    name.push_str(&base);
    name
}

pub fn same_key(a: &Key, b: &Key) -> bool {
    a.code == b.code && a.mods == b.mods
}
