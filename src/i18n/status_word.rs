//! The API's status words (`active`, `inactive`…) in the user's language,
//! for messages that quote a status inside a sentence: "está caída
//! (inactiva)", not "está caída (inactive)". `--json` and the filter syntax
//! (`status:inactive`) keep the API's words.

use super::Strings;

impl Strings {
    /// `api` as this language says it; a word the API added later is shown
    /// as sent.
    pub fn status_word<'a>(&'a self, api: &'a str) -> &'a str {
        match api {
            "active" => self.active,
            "inactive" => self.inactive,
            "unknown" => self.unknown,
            "error" => self.error,
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{EN, ES};

    #[test]
    fn api_words_follow_the_language() {
        assert_eq!(ES.status_word("inactive"), "inactiva");
        assert_eq!(EN.status_word("inactive"), "inactive");
        assert_eq!(ES.status_word("paused"), "paused");
    }
}
