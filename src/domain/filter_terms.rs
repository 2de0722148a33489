//! Splitting a filter into terms. Whitespace separates terms except inside
//! double quotes, and a colon inside quotes is text, not a field: `"10:30
//! shift"` is one free word, `tag:"back office"` one tag, `!"a:b"` a negated
//! word. An unclosed quote runs to the end, so a filter typed live never
//! flickers into an error while the closing quote is still to come.

/// One term as typed, without its quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTerm {
    pub text: String,
    /// Byte offset in `text` where the first quoted part starts: a `:`
    /// from there on never makes a field.
    pub quoted_from: Option<usize>,
}

impl RawTerm {
    /// The part of the term that may hold `field:`.
    pub fn unquoted_head(&self) -> &str {
        &self.text[..self.quoted_from.unwrap_or(self.text.len())]
    }
}

pub fn split_terms(query: &str) -> Vec<RawTerm> {
    let mut terms = Vec::new();
    let mut current: Option<RawTerm> = None;
    let mut in_quotes = false;
    for c in query.chars() {
        if c == '"' {
            let term = current.get_or_insert_with(empty);
            term.quoted_from.get_or_insert(term.text.len());
            in_quotes = !in_quotes;
        } else if c.is_whitespace() && !in_quotes {
            terms.extend(current.take());
        } else {
            current.get_or_insert_with(empty).text.push(c);
        }
    }
    terms.extend(current);
    terms
}

fn empty() -> RawTerm {
    RawTerm {
        text: String::new(),
        quoted_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{RawTerm, split_terms};

    fn texts(query: &str) -> Vec<(String, Option<usize>)> {
        split_terms(query)
            .into_iter()
            .map(|RawTerm { text, quoted_from }| (text, quoted_from))
            .collect()
    }

    #[test]
    fn whitespace_splits_outside_quotes_only() {
        assert_eq!(
            texts("  lima  tag:peru "),
            [("lima".into(), None), ("tag:peru".into(), None)]
        );
        assert_eq!(
            texts("\"tienda lima\" x"),
            [("tienda lima".into(), Some(0)), ("x".into(), None)]
        );
        assert_eq!(
            texts("tag:\"back office\""),
            [("tag:back office".into(), Some(4))]
        );
        assert_eq!(texts("!\"a:b\""), [("!a:b".into(), Some(1))]);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_and_empty_quotes_are_a_term() {
        assert_eq!(texts("\"tienda li"), [("tienda li".into(), Some(0))]);
        assert_eq!(texts("\"\""), [(String::new(), Some(0))]);
        assert!(texts("   ").is_empty());
    }

    #[test]
    fn the_head_is_what_precedes_the_quotes() {
        let term = &split_terms("tag:\"a:b\"")[0];
        assert_eq!(term.unquoted_head(), "tag:");
        let term = &split_terms("\"10:30\"")[0];
        assert_eq!(term.unquoted_head(), "");
    }
}
