//! Which image protocol the QR may use: what the user allows
//! (`ui.qr_graphics`, `--qr-graphics`) against what the terminal answered.

use std::fmt;

use super::identify::{Family, Identity, Mux};
use super::probe::ProbeReply;

/// `ui.qr_graphics` / `--qr-graphics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum GraphicsChoice {
    /// Images when the terminal says it shows them, glyphs otherwise.
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    /// Never images: glyphs only.
    Off,
}

impl GraphicsChoice {
    pub fn parse(text: &str) -> Option<GraphicsChoice> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "auto" => GraphicsChoice::Auto,
            "kitty" => GraphicsChoice::Kitty,
            "sixel" => GraphicsChoice::Sixel,
            "iterm2" => GraphicsChoice::Iterm2,
            "off" | "none" => GraphicsChoice::Off,
            _ => return None,
        })
    }
}

impl fmt::Display for GraphicsChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GraphicsChoice::Auto => "auto",
            GraphicsChoice::Kitty => "kitty",
            GraphicsChoice::Sixel => "sixel",
            GraphicsChoice::Iterm2 => "iterm2",
            GraphicsChoice::Off => "off",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageProtocol {
    Kitty,
    Sixel,
    Iterm2,
}

impl fmt::Display for ImageProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImageProtocol::Kitty => "kitty graphics protocol",
            ImageProtocol::Sixel => "sixel",
            ImageProtocol::Iterm2 => "iTerm2 inline images",
        })
    }
}

/// The outcome: a protocol with the cell size it needs, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSupport {
    pub protocol: Option<ImageProtocol>,
    pub cell_px: Option<(u16, u16)>,
    pub in_tmux: bool,
    /// Why no images (or a caveat with them), for `doctor`, in the user's language.
    pub note: String,
}

impl ImageSupport {
    pub fn none(note: &str) -> ImageSupport {
        ImageSupport {
            protocol: None,
            cell_px: None,
            in_tmux: false,
            note: note.to_string(),
        }
    }
}

/// Auto: kitty when the terminal answered the kitty query, else sixel when
/// DA1 lists 4, else iTerm2 for terminals known to speak it (WezTerm,
/// iTerm2), else none. Konsole answers the kitty query but does not show
/// kitty's Unicode placeholders (which ratatui-image places images with),
/// so it gets sixel. A forced protocol is used as told. Images also need
/// the cell size in pixels, to be drawn at whole pixels per module.
pub fn resolve(
    choice: GraphicsChoice,
    identity: &Identity,
    reply: Option<&ProbeReply>,
    cell_px: Option<(u16, u16)>,
) -> ImageSupport {
    let in_tmux = identity.mux == Some(Mux::Tmux);
    let mut support = ImageSupport {
        protocol: None,
        cell_px,
        in_tmux,
        note: String::new(),
    };
    let answered = reply.is_some_and(|r| r.answered);
    let protocol = match choice {
        GraphicsChoice::Off => {
            support.note = crate::i18n::strings().cli.img_off.into();
            return support;
        }
        GraphicsChoice::Kitty => Some(ImageProtocol::Kitty),
        GraphicsChoice::Sixel => Some(ImageProtocol::Sixel),
        GraphicsChoice::Iterm2 => Some(ImageProtocol::Iterm2),
        GraphicsChoice::Auto => {
            let kitty = reply.is_some_and(|r| r.kitty_graphics);
            let sixel = reply.is_some_and(|r| r.sixel);
            match identity.family {
                Family::Konsole if sixel => Some(ImageProtocol::Sixel),
                Family::Konsole => None,
                _ if kitty => Some(ImageProtocol::Kitty),
                _ if sixel => Some(ImageProtocol::Sixel),
                Family::WezTerm | Family::ITerm2 if identity.mux.is_none() => {
                    Some(ImageProtocol::Iterm2)
                }
                _ => None,
            }
        }
    };
    let Some(protocol) = protocol else {
        let t = crate::i18n::strings().cli;
        support.note = match identity.mux {
            Some(Mux::Tmux) => t.img_tmux_none,
            Some(Mux::Screen) => t.img_screen_none,
            None if !answered => t.img_no_answer,
            None => t.img_neither,
        }
        .into();
        return support;
    };
    if cell_px.is_none() {
        support.note = crate::i18n::fill(
            crate::i18n::strings().cli.img_no_cell_size,
            &[("protocol", &protocol.to_string())],
        );
        return support;
    }
    support.protocol = Some(protocol);
    if in_tmux {
        support.note = crate::i18n::strings().cli.img_passthrough.into();
    }
    support
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::identify::{Env, identify};

    fn reply(kitty: bool, sixel: bool) -> ProbeReply {
        ProbeReply {
            kitty_graphics: kitty,
            sixel,
            answered: true,
            ..ProbeReply::default()
        }
    }

    fn id(xt: &str) -> Identity {
        identify(&Env::default(), Some(xt))
    }

    #[test]
    fn auto_follows_the_answers() {
        let px = Some((10, 20));
        let kitty = resolve(
            GraphicsChoice::Auto,
            &id("kitty(0.26.5)"),
            Some(&reply(true, false)),
            px,
        );
        assert_eq!(kitty.protocol, Some(ImageProtocol::Kitty));
        let vt340 = resolve(
            GraphicsChoice::Auto,
            &id("XTerm(379)"),
            Some(&reply(false, true)),
            px,
        );
        assert_eq!(vt340.protocol, Some(ImageProtocol::Sixel));
        let plain = resolve(
            GraphicsChoice::Auto,
            &id("XTerm(379)"),
            Some(&reply(false, false)),
            px,
        );
        assert_eq!(plain.protocol, None);
        assert!(plain.note.contains("neither"), "{}", plain.note);
        let konsole = resolve(
            GraphicsChoice::Auto,
            &id("Konsole 23.08"),
            Some(&reply(true, true)),
            px,
        );
        assert_eq!(konsole.protocol, Some(ImageProtocol::Sixel));
        let wez = resolve(
            GraphicsChoice::Auto,
            &id("WezTerm 20240203"),
            Some(&reply(false, false)),
            px,
        );
        assert_eq!(wez.protocol, Some(ImageProtocol::Iterm2));
    }

    #[test]
    fn off_forced_and_missing_cell_size() {
        let px = Some((10, 20));
        let r = reply(true, true);
        assert_eq!(
            resolve(GraphicsChoice::Off, &id("kitty(1)"), Some(&r), px).protocol,
            None
        );
        let forced = resolve(
            GraphicsChoice::Sixel,
            &id("XTerm(379)"),
            Some(&reply(false, false)),
            px,
        );
        assert_eq!(forced.protocol, Some(ImageProtocol::Sixel));
        let no_px = resolve(GraphicsChoice::Auto, &id("kitty(1)"), Some(&r), None);
        assert_eq!(no_px.protocol, None);
        assert!(no_px.note.contains("cell size"));
        assert_eq!(
            GraphicsChoice::parse(" Sixel "),
            Some(GraphicsChoice::Sixel)
        );
        assert_eq!(GraphicsChoice::parse("png"), None);
    }

    #[test]
    fn tmux_without_passthrough_says_how() {
        let env = Env {
            tmux: Some("/tmp/tmux".into()),
            ..Env::default()
        };
        let identity = identify(&env, Some("tmux 3.3a"));
        let s = resolve(
            GraphicsChoice::Auto,
            &identity,
            Some(&reply(false, false)),
            Some((8, 16)),
        );
        assert_eq!(s.protocol, None);
        assert!(s.note.contains("allow-passthrough"));
        // Passthrough on: the outer kitty answered through tmux.
        let s = resolve(
            GraphicsChoice::Auto,
            &identity,
            Some(&reply(true, false)),
            Some((8, 16)),
        );
        assert_eq!(s.protocol, Some(ImageProtocol::Kitty));
        assert!(s.in_tmux);
    }
}
