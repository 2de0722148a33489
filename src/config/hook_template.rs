//! A hook argument as a template: `{id}`, `{label}` and `{event}` are
//! filled in; `{{` and `}}` write a literal brace (as in Rust's and
//! Python's format strings), so an argument can hold JSON:
//! `"{{\"id\": \"{id}\"}}"` → `{"id": "3A1F"}`. A lone `}` is kept as it is.
//!
//! One pass over the argument, so a value that itself holds `{event}` (a
//! label is the user's text) is never expanded again.

/// What a hook's arguments may name, braces included.
pub const PLACEHOLDERS: &[&str] = &["{id}", "{label}", "{event}"];

enum Piece<'a> {
    Text(&'a str),
    /// The name inside the braces, e.g. `id`.
    Placeholder(&'a str),
}

/// Why an argument is refused (for config errors): an unknown `{name}` or
/// a `{` that nothing closes.
pub fn check(arg: &str) -> Result<(), String> {
    pieces(arg).map(|_| ())
}

/// `arg` with each placeholder replaced by `value(name)` (name without
/// braces). An argument [`check`] refuses is returned as written.
pub fn expand(arg: &str, value: impl Fn(&str) -> String) -> String {
    let Ok(pieces) = pieces(arg) else {
        return arg.to_string();
    };
    let mut out = String::with_capacity(arg.len());
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(name) => out.push_str(&value(name)),
        }
    }
    out
}

fn pieces(arg: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut rest = arg;
    while let Some(at) = rest.find(['{', '}']) {
        pieces.push(Piece::Text(&rest[..at]));
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            pieces.push(Piece::Text(&tail[..1]));
            rest = &tail[2..];
        } else if let Some(after) = tail.strip_prefix('}') {
            pieces.push(Piece::Text("}"));
            rest = after;
        } else {
            let Some(close) = tail.find('}') else {
                return Err(format!(
                    "{tail:?} opens a brace that nothing closes: write {{{{ for a literal {{"
                ));
            };
            let whole = &tail[..=close];
            if !PLACEHOLDERS.contains(&whole) {
                return Err(format!(
                    "{whole} is not a placeholder: use {} (and {{{{ for a literal {{)",
                    PLACEHOLDERS.join(" ")
                ));
            }
            pieces.push(Piece::Placeholder(&tail[1..close]));
            rest = &tail[close + 1..];
        }
    }
    pieces.push(Piece::Text(rest));
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(arg: &str) -> String {
        expand(arg, |name| match name {
            "id" => "3A1F".into(),
            "label" => "Shop {event}".into(),
            _ => "down".into(),
        })
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(fill("{{\"id\": \"{id}\"}}"), "{\"id\": \"3A1F\"}");
        assert_eq!(fill("{{id}}"), "{id}");
        assert_eq!(fill("a}b"), "a}b");
        assert!(check("{{\"id\": \"{id}\"}}").is_ok());
    }

    #[test]
    fn values_are_not_expanded_again() {
        assert_eq!(fill("{label}/{event}"), "Shop {event}/down");
    }

    #[test]
    fn unknown_or_unclosed_braces_are_refused() {
        assert!(check("{\"a\": 1}").unwrap_err().contains("{{"));
        assert!(check("x{id").unwrap_err().contains("nothing closes"));
        assert!(check("{ids}").unwrap_err().contains("{ids}"));
    }
}
