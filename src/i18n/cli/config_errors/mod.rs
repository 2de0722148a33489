//! The words of a config error in the user's language.
//!
//! Config messages are built in many places (the parser, serde, the
//! validators of each section); translating them where they are shown keeps
//! those places as they are. Each line of a message is matched against the
//! English templates below; a placeholder named `m` holds a nested message
//! and is translated in turn, any other is copied as written (names, paths,
//! values from the file). A line no template matches stays as written.

mod parsers;
mod reader;

use crate::i18n::{Lang, fill};
use parsers::PARSERS;
use reader::READER;

/// `message` (one config error's words, perhaps several lines) in `lang`.
pub fn translate_config_message(message: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    message
        .split('\n')
        .map(|line| translate_line(line, lang))
        .collect::<Vec<_>>()
        .join("\n")
}

fn translate_line(line: &str, lang: Lang) -> String {
    for (en, es, pt) in PARSERS.iter().chain(READER) {
        let Some(values) = captures(en, line) else {
            continue;
        };
        let template = if lang == Lang::Es { es } else { pt };
        let values: Vec<(&str, String)> = values
            .into_iter()
            .map(|(name, value)| match name {
                "m" => (name, translate_line(value, lang)),
                _ => (name, value.to_string()),
            })
            .collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        // Unescaped first: a value (a nested message, text from the file) keeps its braces.
        return fill(&unescape_braces(template), &pairs);
    }
    line.to_string()
}

/// A template's fixed text, with `{{` standing for a literal `{`.
fn unescape_braces(text: &str) -> String {
    text.replace("{{", "{").replace("}}", "}")
}

/// The values of `template`'s placeholders if `text` is that template
/// filled in; each placeholder takes the shortest text up to the next fixed
/// part, the last one everything up to the template's end.
fn captures<'t>(template: &'t str, text: &'t str) -> Option<Vec<(&'t str, &'t str)>> {
    let (first, parts) = split(template);
    let mut rest = text.strip_prefix(unescape_braces(&first).as_str())?;
    let mut out = Vec::with_capacity(parts.len());
    for (i, (name, literal)) in parts.iter().enumerate() {
        let literal = unescape_braces(literal);
        let end = if i + 1 == parts.len() {
            rest.strip_suffix(literal.as_str())?.len()
        } else {
            rest.find(literal.as_str())?
        };
        if end == 0 {
            return None;
        }
        out.push((*name, &rest[..end]));
        rest = &rest[end + literal.len()..];
    }
    (parts.is_empty() && rest.is_empty() || !parts.is_empty()).then_some(out)
}

/// `"a {x} b {y}"` → (`"a "`, [(`x`, `" b "`), (`y`, `""`)]). `{{` is text.
fn split(template: &str) -> (String, Vec<(&str, String)>) {
    let mut first = String::new();
    let mut parts: Vec<(&str, String)> = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let target = match parts.last_mut() {
            Some((_, text)) => text,
            None => &mut first,
        };
        if let Some(tail) = rest.strip_prefix("{{") {
            target.push_str("{{");
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix('{')
            && let Some(close) = tail.find('}')
        {
            parts.push((&tail[..close], String::new()));
            rest = &tail[close + 1..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            target.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    (first, parts)
}

#[cfg(test)]
mod tests;
