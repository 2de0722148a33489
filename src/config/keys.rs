//! `[keys.<mode>]` as written in the file, read into plain data: each
//! entry's mode, action and keys with their places. `keys::rebind` knows
//! the modes, actions and key syntax, and turns this into its `Keymap`
//! (`keys::rebind::keymap_from`), with errors at these places.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::placed::{Place, Placed};

/// `[keys]`: mode → action → a key or a list of keys. The value is read as
/// any TOML value (an untagged enum would lose the spans) and checked here.
pub(super) type RawKeys =
    BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>;

type Located = (Range<usize>, String);

/// Every `[keys.<mode>]` entry, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeysConfig {
    pub bindings: Vec<KeyBinding>,
}

/// One `action = "key"` (or a list) of one `[keys.<mode>]` table. An empty
/// table is one binding with an empty action and no keys: its mode must
/// still be a real one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    pub mode: Placed<String>,
    pub action: Placed<String>,
    pub keys: Placed<Vec<String>>,
}

impl KeysConfig {
    /// Nothing rebound (no `[keys]`, or only empty tables): the shipped table.
    pub fn is_default(&self) -> bool {
        self.bindings.iter().all(|b| b.action.value.is_empty())
    }
}

pub(super) fn keys_config(raw: RawKeys, text: &str, origin: &Path) -> Result<KeysConfig, Located> {
    let place = |span: &Range<usize>| Place::of(origin, text, span.start);
    let mut entries: Vec<(usize, KeyBinding)> = Vec::new();
    for (mode, table) in raw {
        let table = table.into_inner();
        let mode_at = place(&mode.span());
        let placed_mode = Placed {
            value: mode.get_ref().clone(),
            at: mode_at.clone(),
        };
        if table.is_empty() {
            entries.push((
                mode.span().start,
                KeyBinding {
                    mode: placed_mode,
                    action: Placed {
                        value: String::new(),
                        at: mode_at.clone(),
                    },
                    keys: Placed {
                        value: Vec::new(),
                        at: mode_at,
                    },
                },
            ));
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
            entries.push((
                action.span().start,
                KeyBinding {
                    mode: placed_mode.clone(),
                    action: Placed {
                        value: action.get_ref().clone(),
                        at: place(&action.span()),
                    },
                    keys: Placed {
                        value: keys,
                        at: place(&value_span),
                    },
                },
            ));
        }
    }
    // The file's order, so the first problem reported is the first written.
    entries.sort_by_key(|(start, _)| *start);
    Ok(KeysConfig {
        bindings: entries.into_iter().map(|(_, b)| b).collect(),
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
