//! A string that must never be printed: API keys.
//!
//! `Debug` and `Display` show only the last 4 characters, so a key that ends
//! up in a log line, an error or a panic message is masked by construction.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Also registers the value with [`crate::redact`], so it is cut out of
    /// every text wadash shows or logs from then on.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        crate::redact::register(&value);
        Secret(value)
    }

    /// The raw value, for the one place that needs it: the HTTP header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// `••••1a2b`: at most the last 4 characters, none if the key is short
    /// enough that 4 characters would be most of it.
    pub fn masked(&self) -> String {
        Secret::mask(&self.0)
    }

    /// The masked form of any key text (see [`Secret::masked`]).
    pub fn mask(value: &str) -> String {
        let chars: Vec<char> = value.chars().collect();
        if chars.len() < 12 {
            return "••••".to_string();
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("••••{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_key() {
        let key = Secret::new("sk-live-ABCDEFGHIJKLMNOP1234");
        let shown = format!("{key:?} {key} {:#?}", key);
        assert!(!shown.contains("ABCDEFGH"), "{shown}");
        assert!(shown.contains("1234"));
        assert_eq!(key.expose(), "sk-live-ABCDEFGHIJKLMNOP1234");
    }

    #[test]
    fn short_keys_show_nothing_of_themselves() {
        let key = Secret::new("abc123");
        assert_eq!(key.masked(), "••••");
        assert!(!format!("{key:?}").contains("123"));
    }
}
