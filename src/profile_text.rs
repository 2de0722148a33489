//! WhatsApp's limits on the profile name and description, checked before
//! anything is sent. One rule for both faces: surrounding whitespace is
//! dropped, what remains is counted (in characters) and is what is sent.
//! Each face words the refusal itself (the dashboard in its UI language, the
//! CLI in English).

use std::fmt;

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
}

impl fmt::Display for ProfileTextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileTextError::Blank => write!(f, "is blank"),
            ProfileTextError::TooLong { chars, max } => {
                write!(f, "has {chars} characters: WhatsApp allows at most {max}")
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
    within(name, NAME_MAX)
}

/// At most [`DESCRIPTION_MAX`] characters once trimmed (may be empty); the
/// trimmed text to send.
pub fn validate_description(text: &str) -> Result<String, ProfileTextError> {
    within(text.trim(), DESCRIPTION_MAX)
}

fn within(text: &str, max: usize) -> Result<String, ProfileTextError> {
    let chars = text.chars().count();
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
}
