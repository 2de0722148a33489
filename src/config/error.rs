//! Config errors: every one names the file, and a line:column when the
//! problem has a place in it. No variant ever carries a key value: messages
//! built from the file's text are scrubbed of inline keys before they are
//! stored (see `Scrubber`).

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::i18n;

#[derive(Debug)]
pub enum ConfigError {
    /// A parse or validation error with a place in the file.
    At {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A problem with the file as a whole (refused edit, no place to point at).
    File { path: PathBuf, message: String },
    /// Reading, writing or renaming failed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    /// An account's key could not be obtained (api_key_env / api_key_cmd).
    /// Never holds the key or the command's standard output.
    Key { account: String, message: String },
    /// A configuration that loaded but cannot be used as it stands (an
    /// instance with no account to call through).
    Unusable { message: String },
}

impl ConfigError {
    /// The (line, column) the error points at, both 1-based.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            ConfigError::At { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigError::At { path, .. }
            | ConfigError::File { path, .. }
            | ConfigError::Io { path, .. } => Some(path),
            ConfigError::Key { .. } | ConfigError::Unusable { .. } => None,
        }
    }

    /// An error at a byte span of `text` (the file's contents).
    pub(crate) fn at(path: &Path, text: &str, span: Option<Range<usize>>, message: String) -> Self {
        match span {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                ConfigError::At {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message,
                }
            }
            None => ConfigError::File {
                path: path.to_path_buf(),
                message,
            },
        }
    }

    pub(crate) fn io(path: &Path, action: &'static str, source: io::Error) -> Self {
        ConfigError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    pub(crate) fn file(path: &Path, message: impl Into<String>) -> Self {
        ConfigError::File {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    /// The place as written, the words in the user's language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = i18n::current();
        let words = |message: &str| i18n::cli::translate_config_message(message, lang);
        let s = i18n::strings().cli;
        match self {
            ConfigError::At {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: {}",
                display_path(path),
                words(message)
            ),
            ConfigError::File { path, message } => {
                write!(f, "{}: {}", display_path(path), words(message))
            }
            ConfigError::Io {
                path,
                action,
                source,
            } => {
                // The system's words are English; the two usual ones are not.
                let because = match source.kind() {
                    _ if lang == i18n::Lang::En => source.to_string(),
                    io::ErrorKind::NotFound => s.io_not_found.to_string(),
                    io::ErrorKind::PermissionDenied => s.io_permission_denied.to_string(),
                    _ => source.to_string(),
                };
                let text = i18n::fill(
                    s.cfg_io_failed,
                    &[("action", &words(action)), ("e", &because)],
                );
                write!(f, "{}: {text}", display_path(path))
            }
            ConfigError::Key { account, message } => f.write_str(&i18n::fill(
                s.cfg_key_of_account,
                &[("name", account), ("m", &words(message))],
            )),
            ConfigError::Unusable { message } => f.write_str(&words(message)),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// `~/.config/wadash/config.toml` rather than the full home path: shorter,
/// and what users type.
pub fn display_path(path: &Path) -> String {
    if let Some(home) = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf())
        && !home.as_os_str().is_empty()
        && let Ok(rest) = path.strip_prefix(&home)
    {
        return Path::new("~").join(rest).display().to_string();
    }
    path.display().to_string()
}

/// Removes inline key values from messages derived from the file's text.
///
/// serde and our own validation quote offending values ("invalid type:
/// string \"…\""); a key pasted into the wrong field of an account would be
/// quoted back. Every string found in an `[[account]]` table is masked
/// wherever it appears, except names, variable names and commands, and
/// values that are plainly a URL or a duration (quoting those helps).
#[derive(Default)]
pub(crate) struct Scrubber {
    secrets: Vec<String>,
}

const NOT_SECRET_FIELDS: &[&str] = &["name", "api_key_env", "api_key_cmd", "image_upload"];

fn plainly_not_a_key(value: &str) -> bool {
    let value = value.trim();
    value.len() < 4 || value.contains("://") || humantime::parse_duration(value).is_ok()
}

impl Scrubber {
    pub(crate) fn from_text(text: &str) -> Scrubber {
        let mut secrets = Vec::new();
        if let Ok(doc) = text.parse::<toml_edit::DocumentMut>() {
            for table in account_tables(&doc) {
                for (field, value) in table.iter() {
                    if NOT_SECRET_FIELDS.contains(&field) {
                        continue;
                    }
                    collect_strings(value, &mut secrets);
                }
            }
        }
        secrets.retain(|s| !plainly_not_a_key(s));
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Scrubber { secrets }
    }

    pub(crate) fn clean(&self, message: &str) -> String {
        let mut out = message.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "••••");
            }
        }
        out
    }
}

/// The account tables, whether written `[[account]]` or inline.
fn account_tables(doc: &toml_edit::DocumentMut) -> Vec<toml_edit::Table> {
    let mut tables = Vec::new();
    match doc.get("account") {
        Some(toml_edit::Item::ArrayOfTables(array)) => tables.extend(array.iter().cloned()),
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => {
            for value in array.iter() {
                if let Some(inline) = value.as_inline_table() {
                    tables.push(inline.clone().into_table());
                }
            }
        }
        Some(toml_edit::Item::Table(table)) => tables.push(table.clone()),
        _ => {}
    }
    tables
}

fn collect_strings(item: &toml_edit::Item, out: &mut Vec<String>) {
    match item {
        toml_edit::Item::Value(value) => collect_value_strings(value, out),
        toml_edit::Item::Table(table) => table.iter().for_each(|(_, v)| collect_strings(v, out)),
        toml_edit::Item::ArrayOfTables(array) => array
            .iter()
            .for_each(|t| t.iter().for_each(|(_, v)| collect_strings(v, out))),
        toml_edit::Item::None => {}
    }
}

fn collect_value_strings(value: &toml_edit::Value, out: &mut Vec<String>) {
    match value {
        toml_edit::Value::String(s) => out.push(s.value().clone()),
        toml_edit::Value::Array(array) => {
            array.iter().for_each(|v| collect_value_strings(v, out));
        }
        toml_edit::Value::InlineTable(table) => {
            table
                .iter()
                .for_each(|(_, v)| collect_value_strings(v, out));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "a = 1\nñame = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // 'ñ' is two bytes: the '=' after "ñame " is the 6th character.
        let eq = text.find("= 2").unwrap();
        assert_eq!(line_column(text, eq), (2, 6));
        assert_eq!(line_column(text, 10_000), (3, 1));
    }

    #[test]
    fn scrubber_masks_account_strings_but_not_urls_durations_or_names() {
        let text = "[[account]]\nname = \"main\"\napi_key_env = \"WA\"\n\
                    timeout = \"sk-live-ABCDEFG\"\nbase_url = \"http://example.com\"\n\
                    [[instance]]\nid = \"inst-1\"\n";
        let scrub = Scrubber::from_text(text);
        let cleaned = scrub.clean("bad sk-live-ABCDEFG for main, inst-1 at http://example.com");
        assert_eq!(cleaned, "bad •••• for main, inst-1 at http://example.com");
    }
}
