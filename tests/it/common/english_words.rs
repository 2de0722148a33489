//! English words left in text meant to be Spanish or Portuguese: the check
//! the language tests run over what the binary prints.

/// Words of English sentences that Spanish text never uses.
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "are",
    "not",
    "could",
    "cannot",
    "found",
    "warning",
    "hint",
    "of",
    "and",
    "with",
    "to",
    "already",
    "unknown",
    "nothing",
    "window",
    "label",
    "duration",
    "uptime",
    "drops",
    "matcher",
    "until",
    "left",
    "expected",
    "missing",
    "field",
    "instance",
    "instances",
    "account",
    "none",
    "yet",
    "linked",
    "inactive",
    "images",
    "size",
    "sample",
    "colours",
    "answered",
    "pixels",
    "sent",
    "refusing",
    "read",
    "write",
    "wrote",
    "next",
    "parsed",
    "ready",
    "problem",
    "problems",
    "acknowledged",
    "acknowledgements",
    "silences",
    "silence",
    "exists",
    "from",
    "default",
    "location",
    "blank",
    "characters",
    "needs",
    "phone",
    "scan",
    "code",
    "terminal's",
    "enlarge",
    "unidentified",
    "half",
    "blocks",
    "beside",
    "below",
    "several",
    "within",
];

/// The English words of `text`, leaving out code (`…`), table names
/// ([…]), quoted values, flags, paths and the sandbox's own words.
pub fn english_words(text: &str, allowed: &[&str]) -> Vec<String> {
    let mut plain = String::new();
    let (mut code, mut depth) = (false, 0usize);
    for c in text.chars() {
        match c {
            '`' => code = !code,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if code || depth > 0 => {}
            _ => plain.push(c),
        }
    }
    let mut plain: String = plain.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    for word in allowed {
        plain = plain.replace(word, " ");
    }
    plain
        .split_whitespace()
        .filter(|w| !is_code_like(w))
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric() && c != '\''))
        .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// A flag, path, assignment or config key (`ui.read_only`): not prose.
fn is_code_like(token: &str) -> bool {
    let t = token.trim_start_matches(['(', '[', '{', '\'']);
    let dotted = t
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .contains('.');
    t.starts_with('-') || t.contains(['/', '=', '_']) || dotted
}

#[cfg(test)]
mod tests {
    use super::english_words;

    #[test]
    fn the_english_word_check_sees_english() {
        assert_eq!(
            english_words("error: unknown instance `x`: add it", &[]),
            ["unknown", "instance"]
        );
        assert!(english_words("error: instancia desconocida `the`", &[]).is_empty());
    }
}
