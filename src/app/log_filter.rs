//! What the event log pane shows: everything, only errors and warnings
//! (`e`, `:log errors`), or one instance (`:log NAME`, by label or id).

use super::log::{LogEntry, LogLevel};
use super::screen::ScreenState;
use crate::i18n::Strings;

/// The words `:log` takes for "errors only".
const ERROR_WORDS: &[&str] = &["errors", "error", "errores", "erros"];

/// `:log ARG`: errors only, one instance, or (empty) everything.
pub fn set(screen: &mut ScreenState, arg: &str) {
    let arg = arg.trim();
    if arg.is_empty() {
        screen.log_errors = false;
        screen.log_instance = None;
    } else if ERROR_WORDS.contains(&arg.to_lowercase().as_str()) {
        screen.log_errors = true;
    } else {
        screen.log_instance = Some(arg.to_lowercase());
    }
}

pub fn shows(screen: &ScreenState, entry: &LogEntry) -> bool {
    if screen.log_errors && entry.level == LogLevel::Ok {
        return false;
    }
    match &screen.log_instance {
        Some(word) => entry.instance.to_lowercase().contains(word),
        None => true,
    }
}

/// The filter in words, for the pane's title.
pub fn describe(screen: &ScreenState, s: &Strings) -> Option<String> {
    let mut parts = Vec::new();
    if screen.log_errors {
        parts.push(s.log_errors_only.to_string());
    }
    if let Some(word) = &screen.log_instance {
        parts.push(format!("“{word}”"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
