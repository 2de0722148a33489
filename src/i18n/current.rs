//! The language of text built far from any `App` (API error hints, headless
//! output, `error:` lines): chosen once by the command line (`--lang`,
//! then `ui.lang`, then the locale) and read wherever such text is built.

use std::sync::atomic::{AtomicU8, Ordering};

use super::{Lang, Strings};

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Set by the command line once the language is known (again when the
/// config's `ui.lang` has been read).
pub fn set_current(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        x if x == Lang::Es as u8 => Lang::Es,
        x if x == Lang::Pt as u8 => Lang::Pt,
        _ => Lang::En,
    }
}

/// The current language's table.
pub fn strings() -> &'static Strings {
    current().strings()
}

/// `template` with each `{name}` replaced by its value: translated
/// sentences put their values where their grammar wants them. One pass, so
/// a value (server text) holding `{name}` is never filled in itself.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let value = tail.find('}').and_then(|close| {
            let name = &tail[1..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        });
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &tail[close + 1..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_values_where_the_sentence_wants() {
        assert_eq!(
            fill(
                "HTTP {http}, sin JSON: {snippet}",
                &[("http", "502"), ("snippet", "<html>")]
            ),
            "HTTP 502, sin JSON: <html>"
        );
        assert_eq!(fill("{a} {b}", &[("a", "{b}"), ("b", "x")]), "{b} x");
    }
}
