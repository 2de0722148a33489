//! The `/` filter: free words match label, id or tags (all words must
//! match); `status:inactive` and `tag:peru` narrow by field. Several values
//! of one field separated by commas are alternatives: `status:inactive,error`.
//! `!` before a term negates it: `!tag:peru`. A term that cannot be read
//! (`status:inactiv`, `colour:red`) is an error and the filter then matches
//! nothing: a typo must never widen a filter to the whole fleet. Double
//! quotes keep spaces and colons as text: `"10:30 shift"`, `tag:"back office"`.

use crate::domain::check::Health;
use crate::domain::filter_terms::{RawTerm, split_terms};
use crate::domain::filter_words::{Field, FilterError, field_word, health_word, suggest_status};

/// Anything a filter can be run over: a fleet row, an alert's subject.
pub trait Subject {
    /// Whether label, id or a tag contains this lower-case word.
    fn has_word(&self, lower: &str) -> bool;
    fn tags(&self) -> &[String];
    fn health(&self) -> Health;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    terms: Vec<Term>,
    /// Terms we could not read, shown to the user rather than ignored.
    pub errors: Vec<FilterError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    negated: bool,
    kind: TermKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TermKind {
    Word(String),
    Status(Vec<Health>),
    Tag(Vec<String>),
}

impl Filter {
    pub fn parse(query: &str) -> Filter {
        let mut filter = Filter::default();
        for term in split_terms(query) {
            // `""`, or a quote just opened while typing: nothing yet.
            if term.text.is_empty() && term.quoted_from.is_some() {
                continue;
            }
            match parse_term(&term) {
                Ok(t) => filter.terms.push(t),
                Err(e) => filter.errors.push(e),
            }
        }
        filter
    }

    /// No term at all (an empty query). A query of typos is not empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.errors.is_empty()
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Tag values the filter asks for that `known` does not know, for "no
    /// instance is tagged …" when nothing matches.
    pub fn tags_not_in(&self, known: impl Fn(&str) -> bool) -> Vec<&str> {
        self.terms
            .iter()
            .filter_map(|t| match &t.kind {
                TermKind::Tag(tags) if !t.negated => Some(tags),
                _ => None,
            })
            .flatten()
            .map(String::as_str)
            .filter(|t| !known(t))
            .collect()
    }

    pub fn matches(&self, subject: &impl Subject) -> bool {
        self.matches_parts(|w| subject.has_word(w), subject.tags(), subject.health())
    }

    /// The same test on something that is not a row (an alert's subject, a
    /// silence): `word` says whether one lower-case free word matches it.
    pub fn matches_parts(
        &self,
        word: impl Fn(&str) -> bool,
        tags: &[String],
        health: Health,
    ) -> bool {
        if !self.is_valid() {
            return false;
        }
        self.terms.iter().all(|term| {
            let hit = match &term.kind {
                TermKind::Word(w) => word(w),
                TermKind::Status(states) => states.contains(&health),
                TermKind::Tag(want) => want
                    .iter()
                    .any(|w| tags.iter().any(|t| t.eq_ignore_ascii_case(w))),
            };
            hit != term.negated
        })
    }
}

fn parse_term(raw: &RawTerm) -> Result<Term, FilterError> {
    let term = raw.text.as_str();
    let lower = term.to_lowercase();
    let negated = lower.starts_with('!') && raw.quoted_from != Some(0);
    let body = if negated { &lower[1..] } else { lower.as_str() };
    let missing = || FilterError::MissingValue {
        term: term.to_string(),
    };
    if body.is_empty() {
        return Err(missing());
    }
    // `name:value` with a name of letters is a field; `10:30` is a word, and
    // so is anything whose colon is inside quotes. Lower-casing keeps byte
    // offsets for the ASCII field names this looks for.
    let head = raw.unquoted_head().to_lowercase();
    let head = head.strip_prefix('!').filter(|_| negated).unwrap_or(&head);
    let field = head
        .split_once(':')
        .map(|(name, _)| name)
        .filter(|name| !name.is_empty() && name.chars().all(char::is_alphabetic))
        .and_then(|name| body.split_once(':').filter(|(n, _)| *n == name));
    let Some((name, values)) = field else {
        let kind = TermKind::Word(body.to_string());
        return Ok(Term { negated, kind });
    };
    let Some(field) = field_word(name) else {
        return Err(FilterError::UnknownField {
            term: term.to_string(),
            field: name.to_string(),
        });
    };
    let values: Vec<&str> = values.split(',').filter(|v| !v.is_empty()).collect();
    if values.is_empty() {
        return Err(missing());
    }
    let kind = match field {
        Field::Tag => TermKind::Tag(values.iter().map(|v| v.to_string()).collect()),
        Field::Status => {
            let mut states = Vec::new();
            for value in values {
                let Some(h) = health_word(value) else {
                    return Err(FilterError::UnknownStatus {
                        term: term.to_string(),
                        value: value.to_string(),
                        suggestion: suggest_status(value),
                    });
                };
                states.push(h);
            }
            TermKind::Status(states)
        }
    };
    Ok(Term { negated, kind })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InstanceStatus;
    use crate::engine::row::Row;
    use std::time::Instant;

    fn row(label: &str, id: &str, tags: &[&str], status: Option<InstanceStatus>) -> Row {
        let mut r = Row::new(
            id.into(),
            label.into(),
            tags.iter().map(|t| t.to_string()).collect(),
            0,
            Instant::now(),
        );
        r.status = status;
        r
    }

    #[test]
    fn words_match_label_id_and_tags_case_insensitively() {
        let r = row("Tienda Lima", "AB12", &["peru", "ventas"], None);
        assert!(Filter::parse("lima").matches(&r));
        assert!(Filter::parse("ab1").matches(&r));
        assert!(Filter::parse("VENTAS").matches(&r));
        assert!(Filter::parse("tienda peru").matches(&r));
        assert!(!Filter::parse("tienda chile").matches(&r));
    }

    #[test]
    fn a_word_does_not_match_across_two_fields() {
        // "ab" would be the end of the label and the start of the id.
        let r = row("Tienda A", "B12", &["x"], None);
        assert!(!Filter::parse("ab").matches(&r));
        assert!(Filter::parse("a").matches(&r) && Filter::parse("b12").matches(&r));
    }

    #[test]
    fn status_and_tag_terms() {
        let a = row("A", "1", &["peru"], Some(InstanceStatus::Active));
        let b = row("B", "2", &["chile"], Some(InstanceStatus::Inactive));
        let f = Filter::parse("status:inactive");
        assert!(!f.matches(&a) && f.matches(&b));
        let f = Filter::parse("estado:activa");
        assert!(f.matches(&a) && !f.matches(&b));
        let f = Filter::parse("tag:peru");
        assert!(f.matches(&a) && !f.matches(&b));
        let f = Filter::parse("status:active,inactive tag:chile");
        assert!(!f.matches(&a) && f.matches(&b));
    }

    #[test]
    fn errors_count_as_error_status_and_bad_terms_are_reported() {
        let mut r = row("A", "1", &[], Some(InstanceStatus::Active));
        r.error = Some(crate::api::ApiError::Timeout {
            after: std::time::Duration::from_secs(1),
        });
        assert!(Filter::parse("status:error").matches(&r));
        let f = Filter::parse("status:sleepy");
        assert_eq!(f.errors.len(), 1);
        assert!(f.errors[0].to_string().contains("status:sleepy"));
        assert!(Filter::parse("").is_empty());
    }

    #[test]
    fn every_field_name_and_status_word_reads() {
        let rows = [
            row("A", "1", &["peru"], Some(InstanceStatus::Active)),
            row("B", "2", &["chile"], Some(InstanceStatus::Inactive)),
            row("C", "3", &[], Some(InstanceStatus::Unknown("x".into()))),
            row("D", "4", &[], None),
        ];
        let hits = |q: &str| -> Vec<&str> {
            let f = Filter::parse(q);
            assert!(f.is_valid(), "{q}: {:?}", f.errors);
            rows.iter()
                .filter(|r| f.matches(*r))
                .map(|r| r.label.as_str())
                .collect()
        };
        for field in ["status", "estado", "STATUS"] {
            for (word, want) in [
                ("active", "A"),
                ("activa", "A"),
                ("ativa", "A"),
                ("on", "A"),
                ("inactive", "B"),
                ("inativa", "B"),
                ("off", "B"),
                ("unknown", "C"),
                ("desconocido", "C"),
                ("unchecked", "D"),
                ("pendiente", "D"),
                ("pendente", "D"),
            ] {
                assert_eq!(
                    hits(&format!("{field}:{word}")),
                    vec![want],
                    "{field}:{word}"
                );
            }
        }
        for field in ["tag", "etiqueta", "Tag"] {
            assert_eq!(hits(&format!("{field}:PERU")), vec!["A"]);
        }
        assert_eq!(hits("!tag:peru"), vec!["B", "C", "D"]);
        assert_eq!(hits("!status:active,inactive"), vec!["C", "D"]);
        assert_eq!(hits("!a"), vec!["B", "C", "D"]);
        assert_eq!(hits("10:30"), Vec::<&str>::new(), "a word, not a field");
    }

    #[test]
    fn quotes_keep_spaces_and_colons_as_text() {
        let a = row("Turno 10:30 tarde", "1", &["back office"], None);
        let b = row("Turno 10", "2", &["back"], None);
        let hits = |q: &str| -> Vec<&str> {
            let f = Filter::parse(q);
            assert!(f.is_valid(), "{q}: {:?}", f.errors);
            [&a, &b]
                .into_iter()
                .filter(|r| f.matches(*r))
                .map(|r| r.id.as_str())
                .collect()
        };
        assert_eq!(hits("\"10:30 tarde\""), ["1"]);
        assert_eq!(hits("!\"10:30\""), ["2"]);
        assert_eq!(hits("tag:\"back office\""), ["1"]);
        assert_eq!(hits("tag:back"), ["2"]);
        assert_eq!(
            hits("\"tag:back\""),
            Vec::<&str>::new(),
            "a word, not a field"
        );
        assert_eq!(
            hits("\"turno"),
            ["1", "2"],
            "an unclosed quote while typing"
        );
        assert!(Filter::parse("\"").is_empty());
    }

    #[test]
    fn a_typo_is_an_error_and_matches_nothing_never_everything() {
        let r = row("A", "1", &["peru"], Some(InstanceStatus::Inactive));
        for q in [
            "status:inactiv",
            "status:down",
            "status:in",
            "status:",
            "tag:",
            "!",
            "colour:red",
            "lima status:inactive,sleepy",
        ] {
            let f = Filter::parse(q);
            assert!(!f.is_valid() && !f.is_empty(), "{q}");
            assert!(!f.matches(&r), "{q} matched");
        }
        let text = Filter::parse("status:inactiv").errors[0].to_string();
        assert!(text.contains("did you mean inactive?"), "{text}");
        let text = Filter::parse("colour:red").errors[0].to_string();
        assert!(
            text.contains("\"colour\"") && text.contains("status, tag"),
            "{text}"
        );
        let f = Filter::parse("tag:peru,pru tag:chile");
        assert_eq!(f.tags_not_in(|t| t == "peru"), vec!["pru", "chile"]);
    }
}
