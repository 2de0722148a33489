//! Tab completion and live suggestions for the `:` line, from the command
//! table: first the command word, then its argument's values.

use super::{Arg, COMMANDS, arg_values, find};

/// What Tab does to a line: the completed line, and the choices left (shown
/// under the prompt while typing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub candidates: Vec<String>,
}

/// What the config and the fleet offer as argument values.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// `[views.<name>]` names.
    pub views: Vec<String>,
    pub tags: Vec<String>,
    /// `:log`'s words: the language's errors word, labels and ids.
    pub log_words: Vec<String>,
}

/// Complete `line` as far as it is unambiguous.
pub fn complete(line: &str, known: &Known) -> Completion {
    let (word, rest) = match line.split_once(' ') {
        Some((w, r)) => (w, Some(r)),
        None => (line, None),
    };
    let Some(rest) = rest else {
        return complete_word(word);
    };
    let Some(spec) = find(word) else {
        return Completion {
            line: line.to_string(),
            candidates: Vec::new(),
        };
    };
    // Only the last word of the argument is completed (filters have
    // several); `:log`'s argument is one value, a label with spaces too.
    let (done, last) = match rest.rfind(' ') {
        Some(i) if spec.arg != Arg::Log => (&rest[..=i], &rest[i + 1..]),
        _ => ("", rest),
    };
    let lower = last.to_lowercase();
    let mut candidates: Vec<String> = arg_values(spec.arg, known)
        .into_iter()
        .filter(|v| v.to_lowercase().starts_with(&lower))
        .collect();
    candidates.dedup();
    let head = format!("{word} {done}");
    let line = match candidates.as_slice() {
        [] => line.to_string(),
        [only] => format!("{head}{only}"),
        many => format!("{head}{}", common_prefix(many).max_by_len(last)),
    };
    Completion { line, candidates }
}

fn complete_word(word: &str) -> Completion {
    let lower = word.to_lowercase();
    let mut candidates: Vec<String> = Vec::new();
    for spec in COMMANDS {
        let spelled = std::iter::once(&spec.name).chain(spec.aliases.iter());
        if let Some(hit) = spelled.into_iter().find(|n| n.starts_with(&lower)) {
            // The canonical name when it matches, else the alias typed toward.
            let shown = if spec.name.starts_with(&lower) {
                spec.name
            } else {
                hit
            };
            candidates.push(shown.to_string());
        }
    }
    let line = match candidates.as_slice() {
        [] => word.to_string(),
        [only] => {
            let takes_arg = find(only).is_some_and(|s| s.arg != Arg::None);
            if takes_arg {
                format!("{only} ")
            } else {
                only.clone()
            }
        }
        many => common_prefix(many).max_by_len(word),
    };
    Completion { line, candidates }
}

/// The longest prefix every candidate shares.
fn common_prefix(items: &[String]) -> Prefix {
    let first = &items[0];
    let mut end = first.len();
    for item in &items[1..] {
        end = first
            .char_indices()
            .zip(item.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    Prefix(first[..end].to_string())
}

struct Prefix(String);

impl Prefix {
    /// Never shorter than what was typed (a prefix can differ in case).
    fn max_by_len(self, typed: &str) -> String {
        if self.0.chars().count() >= typed.chars().count() {
            self.0
        } else {
            typed.to_string()
        }
    }
}
