//! Every api key wadash holds, so that any text about to be shown or
//! written (a server's answer that echoes the request headers, an error, a
//! log line) can have them cut out in one place.
//!
//! Keys register themselves: [`crate::secret::Secret::new`] adds its value
//! here, so a key cannot be held without being redacted. Both the key and,
//! for a key written as `Bearer XYZ`, its `Bearer `-less form are replaced by
//! the masked form (`••••1a2b`, as the dashboard shows keys).

use std::borrow::Cow;
use std::sync::RwLock;

/// Shorter values are not redacted: they would mangle ordinary words, and
/// such a key is refused as a real key anyway.
const MIN_LEN: usize = 6;
/// A process holds a handful of keys; the bound keeps a bug (or a test
/// making thousands of Secrets) from turning every redaction slow.
const MAX_KEYS: usize = 4096;

static KEYS: RwLock<Vec<(String, String)>> = RwLock::new(Vec::new());

/// Remember `key` (and its `Bearer `-less form) for [`redact`].
pub fn register(key: &str) {
    let key = key.trim();
    let mut forms = vec![key];
    if let Some(bare) = strip_bearer(key) {
        forms.push(bare);
    }
    let mut keys = KEYS.write().unwrap_or_else(|e| e.into_inner());
    for form in forms {
        if form.chars().count() < MIN_LEN || keys.iter().any(|(k, _)| k == form) {
            continue;
        }
        if keys.len() >= MAX_KEYS {
            keys.remove(0);
        }
        keys.push((form.to_string(), crate::secret::Secret::mask(form)));
        // Longest first: a key that contains another is replaced whole.
        keys.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    }
}

fn strip_bearer(key: &str) -> Option<&str> {
    let (scheme, rest) = key.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Whether `text` holds any registered key.
pub fn holds_key(text: &str) -> bool {
    let keys = KEYS.read().unwrap_or_else(|e| e.into_inner());
    keys.iter().any(|(key, _)| text.contains(key.as_str()))
}

/// The names of this process's environment variables that hold a key
/// (`WADASH_API_KEY`, whatever an `api_key_env` names…): a program wadash
/// starts (an alert hook, `notify-send`) gets none of them.
pub fn env_vars_holding_keys() -> Vec<std::ffi::OsString> {
    std::env::vars_os()
        .filter(|(_, value)| value.to_str().is_some_and(holds_key))
        .map(|(name, _)| name)
        .collect()
}

/// `text` with every registered key replaced by its masked form.
pub fn redact(text: &str) -> Cow<'_, str> {
    let keys = KEYS.read().unwrap_or_else(|e| e.into_inner());
    let mut out: Cow<'_, str> = Cow::Borrowed(text);
    for (key, masked) in keys.iter() {
        if out.contains(key.as_str()) {
            out = Cow::Owned(out.replace(key.as_str(), masked));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_keys_and_their_bearer_less_form_are_cut() {
        register("Bearer redact-test-KEY-0001");
        let echoed =
            "headers: apiKey: redact-test-KEY-0001, authorization: Bearer redact-test-KEY-0001";
        let shown = redact(echoed);
        assert!(!shown.contains("redact-test-KEY-0001"), "{shown}");
        assert!(shown.contains("••••0001"), "{shown}");
    }

    #[test]
    fn secrets_register_themselves_and_short_values_are_left_alone() {
        let _key = crate::secret::Secret::new("redact-test-SELF-9876");
        assert!(!redact("x redact-test-SELF-9876 y").contains("SELF"));
        register("abc");
        assert_eq!(redact("abc abc"), "abc abc");
    }
}
