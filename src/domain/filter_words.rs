//! The filter's vocabulary (field names, status words) and what it says
//! when a term is not in it. A term the filter cannot read is an error the
//! user sees, never a term that is quietly dropped: a dropped `status:inactiv`
//! used to leave a filter that matched every row, and `*` then `D` logged
//! the whole fleet out.

use std::fmt;

use crate::domain::check::Health;
use crate::i18n::{Lang, Strings};

/// Which field a `field:value` term names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Status,
    Tag,
}

/// Field names in every language the dashboard speaks.
pub fn field_word(word: &str) -> Option<Field> {
    match word {
        "status" | "estado" => Some(Field::Status),
        "tag" | "etiqueta" => Some(Field::Tag),
        _ => None,
    }
}

/// Every status word accepted, with the state it names.
const STATUS_WORDS: &[(&str, Health)] = &[
    ("active", Health::Active),
    ("inactive", Health::Inactive),
    ("error", Health::Error),
    ("unknown", Health::Unknown),
    ("unchecked", Health::NotChecked),
    ("activa", Health::Active),
    ("activo", Health::Active),
    ("ativa", Health::Active),
    ("on", Health::Active),
    ("inactiva", Health::Inactive),
    ("inactivo", Health::Inactive),
    ("inativa", Health::Inactive),
    ("off", Health::Inactive),
    ("erro", Health::Error),
    ("err", Health::Error),
    ("desconocido", Health::Unknown),
    ("desconhecido", Health::Unknown),
    ("pending", Health::NotChecked),
    ("pendiente", Health::NotChecked),
    ("pendente", Health::NotChecked),
];

pub fn health_word(word: &str) -> Option<Health> {
    STATUS_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, h)| h)
}

/// The closest accepted status word, for "did you mean": a word the typo
/// starts (`in` → `inactive`), else one or two letters off for longer
/// typos. Short words get no guess: `down` is not `on`.
pub fn suggest_status(typed: &str) -> Option<&'static str> {
    if typed.is_empty() {
        return None;
    }
    if let Some((w, _)) = STATUS_WORDS.iter().find(|(w, _)| w.starts_with(typed)) {
        return Some(w);
    }
    let allowed = match typed.chars().count() {
        0..=3 => return None,
        4 => 1,
        _ => 2,
    };
    STATUS_WORDS
        .iter()
        .map(|(w, _)| (distance(typed, w), *w))
        .filter(|&(d, _)| d <= allowed)
        .min_by_key(|&(d, _)| d)
        .map(|(_, w)| w)
}

/// Levenshtein distance over chars (the words are a dozen letters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A term the filter could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterError {
    /// `colour:red`: not a field the filter knows.
    UnknownField { term: String, field: String },
    /// `status:inactiv`.
    UnknownStatus {
        term: String,
        value: String,
        suggestion: Option<&'static str>,
    },
    /// `status:` or `tag:` with nothing after it, or `!` alone.
    MissingValue { term: String },
}

impl FilterError {
    /// One line in the UI's language, naming the valid words.
    pub fn describe(&self, s: &Strings) -> String {
        match self {
            FilterError::UnknownField { term, field } => format!(
                "{term}: {} \"{field}\" ({}: {})",
                s.filter_unknown_field, s.filter_fields_are, s.filter_field_words
            ),
            FilterError::UnknownStatus {
                term,
                value,
                suggestion,
            } => {
                let guess = suggestion
                    .map(|w| format!(" — {} {w}?", s.filter_did_you_mean))
                    .unwrap_or_default();
                format!(
                    "{term}: {} \"{value}\"{guess} ({}: {})",
                    s.filter_unknown_status, s.filter_statuses_are, s.filter_status_words
                )
            }
            FilterError::MissingValue { term } => format!(
                "{term}: {} ({}: {}; {}: {})",
                s.filter_missing_value,
                s.filter_fields_are,
                s.filter_field_words,
                s.filter_statuses_are,
                s.filter_status_words
            ),
        }
    }
}

/// English, for the CLI and config errors (silences, a hook's `only`).
impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En.strings()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_word_reads_and_typos_get_the_nearest_word() {
        for (word, health) in STATUS_WORDS {
            assert_eq!(health_word(word), Some(*health), "{word}");
        }
        assert_eq!(suggest_status("inactiv"), Some("inactive"));
        assert_eq!(suggest_status("in"), Some("inactive"));
        assert_eq!(suggest_status("actve"), Some("active"));
        assert_eq!(suggest_status("eror"), Some("error"));
        assert_eq!(suggest_status("down"), None);
        assert_eq!(suggest_status("up"), None);
        assert_eq!(health_word("inactiv"), None);
        assert_eq!(health_word("in"), None);
    }

    #[test]
    fn errors_name_the_valid_words_in_each_language() {
        let e = FilterError::UnknownStatus {
            term: "status:inactiv".into(),
            value: "inactiv".into(),
            suggestion: suggest_status("inactiv"),
        };
        let text = e.to_string();
        for word in [
            "status:inactiv",
            "inactive?",
            "active",
            "error",
            "unknown",
            "unchecked",
        ] {
            assert!(text.contains(word), "{word} in {text}");
        }
        let field = FilterError::UnknownField {
            term: "colour:red".into(),
            field: "colour".into(),
        };
        assert!(field.to_string().contains("status") && field.to_string().contains("tag"));
        for lang in [Lang::Es, Lang::Pt] {
            let text = e.describe(lang.strings());
            assert!(
                text.contains("inactiv") && text.contains("inactive"),
                "{text}"
            );
        }
    }
}
