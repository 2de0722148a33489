//! `[theme]` as written in the file, validated into a `Palette`.
//!
//! ```toml
//! [theme]
//! preset = "light"        # dark (default) | light | mono
//! accent = "#005f87"      # ok, warn, error, accent, dim, selection: a name or #rrggbb
//! ```

use std::collections::BTreeMap;
use std::ops::Range;
use std::str::FromStr;

use ratatui::style::Color;
use toml::Spanned;

use crate::theme::{Palette, Preset, ROLES};

/// Every key of `[theme]`, each with its place in the file.
pub(super) type RawTheme = BTreeMap<Spanned<String>, Spanned<String>>;

type Located = (Range<usize>, String);

pub(super) fn palette(raw: RawTheme) -> Result<Palette, Located> {
    let preset = match raw.iter().find(|(k, _)| k.get_ref() == "preset") {
        Some((_, value)) => Preset::parse(value.get_ref()).ok_or_else(|| {
            (
                value.span(),
                format!(
                    "unknown theme preset {:?}: use one of {}",
                    value.get_ref(),
                    Preset::NAMES.join(", ")
                ),
            )
        })?,
        None => Preset::default(),
    };
    let mut palette = Palette::preset(preset);
    for (key, value) in &raw {
        if key.get_ref() == "preset" {
            continue;
        }
        let color = parse_color(value.get_ref()).map_err(|m| (value.span(), m))?;
        if !palette.set(key.get_ref(), color) {
            return Err((
                key.span(),
                format!(
                    "unknown theme key `{}`: use preset, or one of {}",
                    key.get_ref(),
                    ROLES.join(", ")
                ),
            ));
        }
    }
    Ok(palette)
}

/// A colour name (red, lightblue, darkgray…), `#rrggbb`, or a 256-colour index.
pub(super) fn parse_color(text: &str) -> Result<Color, String> {
    let text = text.trim();
    if text.starts_with('#')
        && (text.len() != 7 || !text[1..].chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(format!(
            "bad colour {text:?}: write #rrggbb with six hex digits"
        ));
    }
    Color::from_str(text).map_err(|_| {
        format!(
            "unknown colour {text:?}: use a name (black, red, green, yellow, blue, magenta, \
             cyan, gray, darkgray, white, light… as lightred), #rrggbb, or 0–255"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_as_names_hex_and_indexes() {
        assert_eq!(parse_color("red"), Ok(Color::Red));
        assert_eq!(parse_color("light-blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("#00ff7f"), Ok(Color::Rgb(0, 255, 127)));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
        assert!(parse_color("#12345").unwrap_err().contains("six hex"));
        assert!(
            parse_color("purpleish")
                .unwrap_err()
                .contains("unknown colour")
        );
    }
}
