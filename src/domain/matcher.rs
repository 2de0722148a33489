//! Which instances an alert rule applies to, in the dashboard's filter
//! syntax (`tag:peru`, `status:inactive,error`, free words), for silences
//! and for a hook's or webhook's `only`.

use std::time::SystemTime;

use crate::domain::Health;
use crate::domain::filter::Filter;

/// What a matcher looks at: one instance as the engine or a row knows it.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub tags: &'a [String],
    pub health: Health,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    text: String,
    filter: Filter,
    /// Silences name an instance by its exact id; `only` takes free words
    /// as the dashboard's `/` does (part of a label, id or tag).
    exact_ids: bool,
}

impl Matcher {
    /// A silence: `ID`, `tag:T`, `status:S` (terms combine as in the filter).
    pub fn silence(text: &str) -> Result<Matcher, String> {
        Self::parse(text, true)
    }

    /// A hook's or webhook's `only`: exactly the dashboard's `/` filter.
    pub fn only(text: &str) -> Result<Matcher, String> {
        Self::parse(text, false)
    }

    fn parse(text: &str, exact_ids: bool) -> Result<Matcher, String> {
        let filter = Filter::parse(text);
        // The same words and the same refusal as the dashboard's `/`.
        if let Some(bad) = filter.errors.first() {
            return Err(bad.to_string());
        }
        if filter.is_empty() {
            return Err(
                "empty matcher: write an instance id, tag:T or status:S (the dashboard's filter syntax)"
                    .into(),
            );
        }
        Ok(Matcher {
            text: text.trim().to_string(),
            filter,
            exact_ids,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, s: &Subject<'_>) -> bool {
        if self.exact_ids {
            self.filter
                .matches_parts(|w| s.id.eq_ignore_ascii_case(w), s.tags, s.health)
        } else {
            self.filter.matches_parts(
                |w| {
                    s.label.to_lowercase().contains(w)
                        || s.id.to_lowercase().contains(w)
                        || s.tags.iter().any(|t| t.to_lowercase().contains(w))
                },
                s.tags,
                s.health,
            )
        }
    }
}

/// One silence, as `wadash silence` stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    /// The store's row id (`wadash silence rm N`).
    pub id: i64,
    pub matcher: Matcher,
    pub starts_at: SystemTime,
    pub ends_at: SystemTime,
    pub comment: String,
    pub created_by: String,
}

impl Silence {
    pub fn active_at(&self, now: SystemTime) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(id: &'a str, tags: &'a [String], health: Health) -> Subject<'a> {
        Subject {
            id,
            label: "Tienda Lima",
            tags,
            health,
        }
    }

    #[test]
    fn silences_take_exact_ids_tags_and_statuses() {
        let tags = vec!["peru".to_string()];
        let s = subject("AB12", &tags, Health::Inactive);
        assert!(Matcher::silence("AB12").unwrap().matches(&s));
        assert!(Matcher::silence("ab12").unwrap().matches(&s));
        assert!(
            !Matcher::silence("AB1").unwrap().matches(&s),
            "not a prefix"
        );
        assert!(Matcher::silence("tag:peru").unwrap().matches(&s));
        assert!(!Matcher::silence("tag:chile").unwrap().matches(&s));
        assert!(
            Matcher::silence("status:inactive,error")
                .unwrap()
                .matches(&s)
        );
        assert!(!Matcher::silence("status:active").unwrap().matches(&s));
        assert!(
            Matcher::silence("tag:peru status:inactive")
                .unwrap()
                .matches(&s)
        );
        assert!(
            !Matcher::silence("tag:peru status:error")
                .unwrap()
                .matches(&s)
        );
    }

    #[test]
    fn only_takes_free_words_like_the_dashboard() {
        let tags = vec!["ventas".to_string()];
        let s = subject("AB12", &tags, Health::Active);
        assert!(Matcher::only("lima").unwrap().matches(&s));
        assert!(Matcher::only("AB1").unwrap().matches(&s));
        assert!(Matcher::only("vent").unwrap().matches(&s));
        assert!(!Matcher::only("cusco").unwrap().matches(&s));
    }

    #[test]
    fn bad_and_empty_matchers_are_refused_with_the_reason() {
        let e = Matcher::silence("status:sleepy").unwrap_err();
        assert!(e.contains("status:sleepy") && e.contains("inactive"), "{e}");
        assert!(Matcher::only("  ").unwrap_err().contains("empty"));
        // Typos are refused with the dashboard's words, never "match all".
        for typo in [
            "status:inactiv",
            "status:down",
            "status:in",
            "colour:red",
            "tag:",
        ] {
            let e = Matcher::silence(typo).unwrap_err();
            assert!(e.contains(typo), "{e}");
            assert!(Matcher::only(typo).is_err(), "{typo}");
        }
        let e = Matcher::only("status:inactiv").unwrap_err();
        assert!(e.contains("did you mean inactive?"), "{e}");
        let tags = vec!["peru".to_string()];
        let s = subject("AB12", &tags, Health::Active);
        assert!(!Matcher::silence("!tag:peru").unwrap().matches(&s));
        assert!(Matcher::silence("!tag:chile").unwrap().matches(&s));
    }
}
