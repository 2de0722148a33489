//! `[theme]` as written in the file, read into plain data: each key and
//! its value with their places. `theme::palette_from` turns it into a
//! `Palette`, with errors at these places.
//!
//! ```toml
//! [theme]
//! preset = "light"        # dark (default) | light | mono
//! accent = "#005f87"      # ok, warn, error, accent, dim, selection: a name or #rrggbb
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;

use super::placed::{Place, Placed};

/// Every key of `[theme]`, each with its place in the file.
pub(super) type RawTheme = BTreeMap<Spanned<String>, Spanned<String>>;

/// `[theme]`'s keys (`preset` among them) and values, in key order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThemeConfig {
    pub entries: Vec<(Placed<String>, Placed<String>)>,
}

impl ThemeConfig {
    /// `preset = "…"`, if given.
    pub fn preset(&self) -> Option<&Placed<String>> {
        self.entries
            .iter()
            .find(|(key, _)| key.value == "preset")
            .map(|(_, value)| value)
    }
}

pub(super) fn theme_config(raw: RawTheme, text: &str, origin: &Path) -> ThemeConfig {
    let placed = |s: Spanned<String>| Placed {
        at: Place::of(origin, text, s.span().start),
        value: s.into_inner(),
    };
    ThemeConfig {
        entries: raw
            .into_iter()
            .map(|(key, value)| (placed(key), placed(value)))
            .collect(),
    }
}
