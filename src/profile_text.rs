//! WhatsApp's limits on the profile name and description, checked before
//! anything is sent. One rule for both faces: surrounding whitespace is
//! dropped, what remains is counted and is what is sent. Counted as a person
//! sees it: grapheme clusters ("é" typed as e + combining accent is one, a
//! flag or a family emoji is one), not code points. Control characters
//! (newline, tab, ESC, BEL…) and bidi overrides are refused, and a name needs
//! at least one visible character (zero-width spaces alone are refused).
//! Each face words the refusal itself (the dashboard in its UI language, the
//! CLI in English).

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

pub const NAME_MAX: usize = 25;
/// WhatsApp's "about".
pub const DESCRIPTION_MAX: usize = 139;

/// Why a name or description cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileTextError {
    /// Nothing but whitespace (only refused for the name).
    Blank,
    TooLong {
        chars: usize,
        max: usize,
    },
    /// Holds a control character or a bidi override (which could reorder
    /// or hide what others see).
    Control(char),
    /// Not blank, but nothing in it shows (zero-width characters only).
    Invisible,
}

impl fmt::Display for ProfileTextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileTextError::Blank => write!(f, "is blank"),
            ProfileTextError::TooLong { chars, max } => {
                write!(f, "has {chars} characters: WhatsApp allows at most {max}")
            }
            ProfileTextError::Control(c) => write!(
                f,
                "holds {} (U+{:04X}): type plain text on one line",
                control_name(*c),
                *c as u32
            ),
            ProfileTextError::Invisible => {
                write!(f, "has no visible character (only zero-width ones)")
            }
        }
    }
}

impl std::error::Error for ProfileTextError {}

/// 1 to [`NAME_MAX`] characters once trimmed; the trimmed name to send.
pub fn validate_name(text: &str) -> Result<String, ProfileTextError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(ProfileTextError::Blank);
    }
    refuse_controls(name)?;
    if !name.chars().any(is_visible) {
        return Err(ProfileTextError::Invisible);
    }
    within(name, NAME_MAX)
}

/// What the live counter shows and the limits count: grapheme clusters.
pub fn count(text: &str) -> usize {
    text.graphemes(true).count()
}

fn refuse_controls(text: &str) -> Result<(), ProfileTextError> {
    match text
        .chars()
        .find(|&c| c.is_control() || crate::sanitize::is_bidi_control(c))
    {
        Some(c) => Err(ProfileTextError::Control(c)),
        None => Ok(()),
    }
}

/// Takes room on screen: letters, digits, symbols, emoji; not spaces,
/// zero-width joiners/spaces, combining marks alone or format characters.
fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && c.width().is_some_and(|w| w > 0)
        && !matches!(
            c,
            '\u{2800}' | '\u{3164}' | '\u{115F}' | '\u{1160}' | '\u{FFA0}'
        )
}

fn control_name(c: char) -> &'static str {
    match c {
        '\n' | '\r' => "a line break",
        '\t' => "a tab",
        '\u{1b}' => "an escape character",
        '\u{7}' => "a bell character",
        c if crate::sanitize::is_bidi_control(c) => "a bidirectional override",
        _ => "a control character",
    }
}

/// At most [`DESCRIPTION_MAX`] characters once trimmed (may be empty); the
/// trimmed text to send.
pub fn validate_description(text: &str) -> Result<String, ProfileTextError> {
    let text = text.trim();
    refuse_controls(text)?;
    within(text, DESCRIPTION_MAX)
}

fn within(text: &str, max: usize) -> Result<String, ProfileTextError> {
    let chars = count(text);
    if chars > max {
        return Err(ProfileTextError::TooLong { chars, max });
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_is_trimmed_then_counted() {
        assert_eq!(validate_name("  Tienda Lima ").unwrap(), "Tienda Lima");
        assert_eq!(validate_name(" \t "), Err(ProfileTextError::Blank));
        assert_eq!(
            validate_name(&format!("{} ", "ñ".repeat(25)))
                .unwrap()
                .chars()
                .count(),
            25
        );
        assert_eq!(
            validate_name(&"a".repeat(26)),
            Err(ProfileTextError::TooLong { chars: 26, max: 25 })
        );
    }

    #[test]
    fn description_is_trimmed_then_counted() {
        assert_eq!(validate_description("   ").unwrap(), "");
        let long = format!("{} ", "é".repeat(139));
        assert_eq!(validate_description(&long).unwrap(), "é".repeat(139));
        assert_eq!(
            validate_description(&"é".repeat(140)),
            Err(ProfileTextError::TooLong {
                chars: 140,
                max: 139
            })
        );
    }

    #[test]
    fn combining_accents_count_once() {
        // 13 letters each with a combining accent: 26 code points, 13 seen.
        let name = "e\u{301}".repeat(13);
        assert_eq!(name.chars().count(), 26);
        assert_eq!(validate_name(&name).unwrap(), name);
        assert_eq!(count("👨‍👩‍👧 🇵🇪"), 3);
        assert_eq!(
            validate_name(&"e\u{301}".repeat(26)),
            Err(ProfileTextError::TooLong { chars: 26, max: 25 })
        );
    }

    #[test]
    fn controls_and_bidi_overrides_are_refused_with_a_clear_reason() {
        for (text, c) in [
            ("Tienda\nLima", '\n'),
            ("Tienda\tLima", '\t'),
            ("x\u{1b}]0;t\u{7}", '\u{1b}'),
            ("Ding\u{7}", '\u{7}'),
            ("abc\u{202e}gpj.exe", '\u{202e}'),
        ] {
            assert_eq!(validate_name(text), Err(ProfileTextError::Control(c)));
            assert_eq!(
                validate_description(text),
                Err(ProfileTextError::Control(c))
            );
        }
        let shown = ProfileTextError::Control('\u{202e}').to_string();
        assert!(shown.contains("bidirectional override (U+202E)"), "{shown}");
    }

    #[test]
    fn a_name_needs_a_visible_character() {
        assert_eq!(
            validate_name("\u{200b}\u{200b}"),
            Err(ProfileTextError::Invisible)
        );
        assert_eq!(
            validate_name("\u{2060}\u{feff}\u{200d}"),
            Err(ProfileTextError::Invisible)
        );
        assert_eq!(validate_name("\u{3164}"), Err(ProfileTextError::Invisible));
        assert!(validate_name("\u{200b}A").is_ok());
        assert!(validate_name("東京").is_ok());
        assert!(validate_name("🙂").is_ok());
        // A description may be empty, but not hidden text either way.
        assert_eq!(validate_description("").unwrap(), "");
    }
}
