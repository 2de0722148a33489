//! `[keys.<mode>]` as written in the file, validated into a `Keymap`
//! (`app::rebind` knows the modes, actions and key syntax). Each error
//! points at the mode, action or value it is about.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::keys::rebind::{Keymap, UserBinding};

/// `[keys]`: mode → action → a key or a list of keys. The value is read as
/// any TOML value (an untagged enum would lose the spans) and checked here.
pub(super) type RawKeys =
    BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>;

type Located = (Range<usize>, String);

/// Where an entry's name and value are, to point errors at the right one.
#[derive(Clone)]
struct At {
    mode: Range<usize>,
    name: Range<usize>,
    value: Range<usize>,
}

pub(super) fn keymap(raw: RawKeys) -> Result<Keymap, Located> {
    let mut entries = Vec::new();
    for (mode, table) in raw {
        let table = table.into_inner();
        if table.is_empty() {
            // An empty [keys.foo] still has to name a real mode.
            entries.push(UserBinding {
                mode: mode.get_ref().clone(),
                action: String::new(),
                keys: Vec::new(),
                at: At {
                    mode: mode.span(),
                    name: mode.span(),
                    value: mode.span(),
                },
            });
            continue;
        }
        for (action, value) in table {
            let value_span = value.span();
            let keys = match value.into_inner() {
                toml::Value::String(key) => vec![key],
                toml::Value::Array(list) => {
                    let mut keys = Vec::with_capacity(list.len());
                    for item in list {
                        match item {
                            toml::Value::String(key) => keys.push(key),
                            other => return Err((value_span, not_a_key(&mode, &action, &other))),
                        }
                    }
                    keys
                }
                other => return Err((value_span, not_a_key(&mode, &action, &other))),
            };
            entries.push(UserBinding {
                mode: mode.get_ref().clone(),
                action: action.get_ref().clone(),
                keys,
                at: At {
                    mode: mode.span(),
                    name: action.span(),
                    value: value_span,
                },
            });
        }
    }
    // The file's order, so the first problem reported is the first written.
    entries.sort_by_key(|e| e.at.name.start);
    let known_modes: Vec<&str> = crate::keys::rebind::CONFIG_MODES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    if let Some(bad) = entries
        .iter()
        .find(|e| !known_modes.contains(&e.mode.as_str()))
    {
        return Err((
            bad.at.mode.clone(),
            format!(
                "unknown mode `{}` in [keys.{}]: use one of {}",
                bad.mode,
                bad.mode,
                known_modes.join(", ")
            ),
        ));
    }
    entries.retain(|e| !e.action.is_empty());
    Keymap::build(&entries).map_err(|e| {
        let span = if e.in_name { e.at.name } else { e.at.value };
        (span, e.message)
    })
}

fn not_a_key(mode: &Spanned<String>, action: &Spanned<String>, value: &toml::Value) -> String {
    format!(
        "[keys.{}] {}: expected a key like \"ctrl-q\" or a list of them, found {}",
        mode.get_ref(),
        action.get_ref(),
        value.type_str()
    )
}
