//! The user's `[keys]` (config's plain data) into a `Keymap`; every error
//! points at the file, line and column of the mode, action or keys it is
//! about.

use crate::config::ConfigError;
use crate::config::keys::KeysConfig;
use crate::config::placed::Place;

use super::{CONFIG_MODES, Keymap, UserBinding};

pub fn keymap_from(config: &KeysConfig) -> Result<Keymap, ConfigError> {
    let known_modes: Vec<&str> = CONFIG_MODES.iter().map(|(n, _)| *n).collect();
    if let Some(bad) = config
        .bindings
        .iter()
        .find(|b| !known_modes.contains(&b.mode.value.as_str()))
    {
        let mode = &bad.mode.value;
        return Err(bad.mode.at.error(format!(
            "unknown mode `{mode}` in [keys.{mode}]: use one of {}",
            known_modes.join(", ")
        )));
    }
    let entries: Vec<UserBinding<(&Place, &Place)>> = config
        .bindings
        .iter()
        .filter(|b| !b.action.value.is_empty())
        .map(|b| UserBinding {
            mode: b.mode.value.clone(),
            action: b.action.value.clone(),
            keys: b.keys.value.clone(),
            at: (&b.action.at, &b.keys.at),
        })
        .collect();
    Keymap::build(&entries).map_err(|e| {
        let (name, value) = e.at;
        if e.in_name { name } else { value }.error(e.message)
    })
}
