//! Colours by meaning. Under NO_COLOR every style keeps its modifiers
//! (bold, reverse) and drops its colours: glyphs and words carry the meaning.
//!
//! `[theme]` picks a preset (`dark`, the default, `light` or `mono`) and may
//! override six roles: `ok`, `warn`, `error`, `accent`, `dim`, `selection`.
//! The QR code does not take its colours from here: it sets black and white
//! explicitly (see `qr::widget`), whatever the theme, even under NO_COLOR:
//! a code drawn in the terminal's own colours comes out inverted on a dark
//! theme, and many phone scanners refuse an inverted code.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::config::ConfigError;
use crate::config::theme::ThemeConfig;
use crate::domain::Health;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// For dark terminal backgrounds: the ANSI colours wadash always used.
    #[default]
    Dark,
    /// For light backgrounds: darker shades that stay readable on white.
    Light,
    /// No colours at all (bold, dim and reverse only); overrides still apply.
    Mono,
}

impl Preset {
    pub const NAMES: [&'static str; 3] = ["dark", "light", "mono"];

    pub fn parse(name: &str) -> Option<Preset> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(Preset::Dark),
            "light" => Some(Preset::Light),
            "mono" => Some(Preset::Mono),
            _ => None,
        }
    }
}

/// The overridable roles, as `[theme]` names them.
pub const ROLES: [&str; 6] = ["ok", "warn", "error", "accent", "dim", "selection"];

/// The colour of each role; `None` is the terminal's own colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub ok: Option<Color>,
    pub warn: Option<Color>,
    pub error: Option<Color>,
    /// Titles, keys in the bar and the help.
    pub accent: Option<Color>,
    /// Secondary text and borders.
    pub dim: Option<Color>,
    /// The selected row's background; `None` is reverse video.
    pub selection: Option<Color>,
    /// Informational messages.
    pub info: Option<Color>,
    /// An instance whose status could not be read.
    pub unknown: Option<Color>,
}

/// The default colours (the `dark` preset).
const DARK: Palette = Palette {
    ok: Some(Color::Green),
    warn: Some(Color::Yellow),
    error: Some(Color::Red),
    accent: Some(Color::Cyan),
    dim: Some(Color::DarkGray),
    selection: None,
    info: Some(Color::Blue),
    unknown: Some(Color::Magenta),
};

impl Palette {
    pub fn preset(preset: Preset) -> Palette {
        match preset {
            Preset::Dark => DARK,
            // 256-colour indexes: darker than the ANSI ones, which many
            // light themes render pale (yellow on white is unreadable).
            Preset::Light => Palette {
                ok: Some(Color::Indexed(28)),
                warn: Some(Color::Indexed(130)),
                error: Some(Color::Indexed(160)),
                accent: Some(Color::Indexed(25)),
                dim: Some(Color::Indexed(244)),
                selection: None,
                info: Some(Color::Indexed(25)),
                unknown: Some(Color::Indexed(90)),
            },
            Preset::Mono => Palette {
                ok: None,
                warn: None,
                error: None,
                accent: None,
                dim: None,
                selection: None,
                info: None,
                unknown: None,
            },
        }
    }

    /// Sets the role named `role` (one of [`ROLES`]); false if unknown.
    pub fn set(&mut self, role: &str, color: Color) -> bool {
        let slot = match role {
            "ok" => &mut self.ok,
            "warn" => &mut self.warn,
            "error" => &mut self.error,
            "accent" => &mut self.accent,
            "dim" => &mut self.dim,
            "selection" => &mut self.selection,
            _ => return false,
        };
        *slot = Some(color);
        true
    }
}

impl Default for Palette {
    fn default() -> Self {
        Palette::preset(Preset::Dark)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// False under NO_COLOR: no colour anywhere but the QR code.
    pub color: bool,
    pub palette: Palette,
}

impl Theme {
    /// The default palette, with or without colour.
    pub const fn new(color: bool) -> Theme {
        Theme {
            color,
            palette: DARK,
        }
    }

    /// Colour unless NO_COLOR is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme::with_palette(Palette::default())
    }

    /// `palette`, unless NO_COLOR: NO_COLOR always wins over the config.
    pub fn with_palette(palette: Palette) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            palette,
        }
    }

    fn fg(&self, color: Option<Color>) -> Style {
        match color {
            Some(color) if self.color => Style::new().fg(color),
            _ => Style::new(),
        }
    }

    pub fn health(&self, health: Health) -> Style {
        let p = &self.palette;
        match health {
            Health::Active => self.fg(p.ok),
            Health::Inactive => self.fg(p.warn).add_modifier(Modifier::BOLD),
            Health::Error => self.fg(p.error).add_modifier(Modifier::BOLD),
            Health::Unknown => self.fg(p.unknown),
            Health::NotChecked => self.dim(),
        }
    }

    pub fn title(&self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
    }

    pub fn header_row(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn selected(&self) -> Style {
        match self.palette.selection {
            Some(color) if self.color => Style::new().bg(color).add_modifier(Modifier::BOLD),
            _ => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    pub fn alert(&self) -> Style {
        match self.palette.error {
            Some(color) if self.color => Style::new()
                .bg(color)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            _ => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        }
    }

    pub fn dim(&self) -> Style {
        match self.palette.dim {
            Some(color) if self.color => Style::new().fg(color),
            _ => Style::new().add_modifier(Modifier::DIM),
        }
    }

    pub fn key(&self) -> Style {
        self.fg(self.palette.accent).add_modifier(Modifier::BOLD)
    }

    pub fn success(&self) -> Style {
        self.fg(self.palette.ok)
    }

    pub fn error(&self) -> Style {
        self.fg(self.palette.error).add_modifier(Modifier::BOLD)
    }

    pub fn info(&self) -> Style {
        self.fg(self.palette.info)
    }

    pub fn border(&self) -> Style {
        self.fg(self.palette.dim)
    }
}

/// The user's `[theme]` (config's plain data) into a palette: the preset
/// with the roles it overrides. Errors point at the key or value.
pub fn palette_from(config: &ThemeConfig) -> Result<Palette, ConfigError> {
    let preset = match config.preset() {
        Some(value) => Preset::parse(&value.value).ok_or_else(|| {
            value.at.error(format!(
                "unknown theme preset {:?}: use one of {}",
                value.value,
                Preset::NAMES.join(", ")
            ))
        })?,
        None => Preset::default(),
    };
    let mut palette = Palette::preset(preset);
    for (key, value) in &config.entries {
        if key.value == "preset" {
            continue;
        }
        let color = parse_color(&value.value).map_err(|m| value.at.error(m))?;
        if !palette.set(&key.value, color) {
            return Err(key.at.error(format!(
                "unknown theme key `{}`: use preset, or one of {}",
                key.value,
                ROLES.join(", ")
            )));
        }
    }
    Ok(palette)
}

/// A colour name (red, lightblue, darkgray…), `#rrggbb`, or a 256-colour index.
pub fn parse_color(text: &str) -> Result<Color, String> {
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

    #[test]
    fn the_dark_preset_is_the_historic_default() {
        assert_eq!(Theme::new(true).palette, Palette::preset(Preset::Dark));
        let t = Theme::new(true);
        assert_eq!(t.health(Health::Active).fg, Some(Color::Green));
        assert_eq!(t.selected().add_modifier, Modifier::REVERSED);
    }

    #[test]
    fn overrides_and_presets_reach_the_styles() {
        let mut palette = Palette::preset(Preset::Light);
        assert!(palette.set("ok", Color::Rgb(0x11, 0x22, 0x33)));
        assert!(palette.set("selection", Color::Blue));
        assert!(!palette.set("bogus", Color::Blue));
        let t = Theme {
            color: true,
            palette,
        };
        assert_eq!(
            t.health(Health::Active).fg,
            Some(Color::Rgb(0x11, 0x22, 0x33))
        );
        assert_eq!(t.health(Health::Inactive).fg, Some(Color::Indexed(130)));
        assert_eq!(t.selected().bg, Some(Color::Blue));
        // Mono: no colour, but the meaning stays in the modifiers.
        let mono = Theme {
            color: true,
            palette: Palette::preset(Preset::Mono),
        };
        assert_eq!(mono.health(Health::Error).fg, None);
        assert!(
            mono.health(Health::Error)
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert!(mono.dim().add_modifier.contains(Modifier::DIM));
    }

    #[test]
    fn no_color_wins_over_every_override() {
        let mut palette = Palette::preset(Preset::Dark);
        palette.set("selection", Color::Blue);
        let t = Theme {
            color: false,
            palette,
        };
        for style in [
            t.health(Health::Active),
            t.title(),
            t.selected(),
            t.alert(),
            t.dim(),
            t.border(),
        ] {
            assert_eq!((style.fg, style.bg), (None, None));
        }
        assert_eq!(t.selected().add_modifier, Modifier::REVERSED);
    }
}
