//! The `/` filter: free words match label, id or tags (all words must
//! match); `status:inactive` and `tag:peru` narrow by field. Several values
//! of one field separated by commas are alternatives: `status:inactive,error`.

use crate::domain::check::Health;

/// Anything a filter can be run over: a fleet row, an alert's subject.
pub trait Subject {
    /// Whether label, id or a tag contains this lower-case word.
    fn has_word(&self, lower: &str) -> bool;
    fn tags(&self) -> &[String];
    fn health(&self) -> Health;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    words: Vec<String>,
    statuses: Vec<Health>,
    tags: Vec<String>,
    /// Terms we could not read, shown to the user rather than ignored.
    pub invalid: Vec<String>,
}

impl Filter {
    pub fn parse(query: &str) -> Filter {
        let mut filter = Filter::default();
        for term in query.split_whitespace() {
            let lower = term.to_lowercase();
            if let Some(values) = lower
                .strip_prefix("status:")
                .or_else(|| lower.strip_prefix("estado:"))
            {
                for value in values.split(',').filter(|v| !v.is_empty()) {
                    match health_word(value) {
                        Some(h) => filter.statuses.push(h),
                        None => filter.invalid.push(term.to_string()),
                    }
                }
            } else if let Some(values) = lower.strip_prefix("tag:") {
                filter.tags.extend(
                    values
                        .split(',')
                        .filter(|v| !v.is_empty())
                        .map(str::to_string),
                );
            } else {
                filter.words.push(lower);
            }
        }
        filter
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.statuses.is_empty() && self.tags.is_empty()
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
        let words = self.words.iter().all(|w| word(w));
        let status = self.statuses.is_empty() || self.statuses.contains(&health);
        let tags = self.tags.is_empty()
            || self
                .tags
                .iter()
                .any(|want| tags.iter().any(|t| t.eq_ignore_ascii_case(want)));
        words && status && tags
    }
}

fn health_word(word: &str) -> Option<Health> {
    Some(match word {
        "active" | "activa" | "activo" | "ativa" | "on" => Health::Active,
        "inactive" | "inactiva" | "inactivo" | "inativa" | "off" => Health::Inactive,
        "error" | "erro" | "err" => Health::Error,
        "unknown" | "desconocido" | "desconhecido" => Health::Unknown,
        "unchecked" | "pending" | "pendiente" => Health::NotChecked,
        _ => return None,
    })
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
        assert_eq!(f.invalid, vec!["status:sleepy".to_string()]);
        assert!(Filter::parse("").is_empty());
    }
}
