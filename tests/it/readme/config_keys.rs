//! The README checker's TOML side: the keys a config example names, and
//! whether the real config parser accepts each.

use std::path::Path;

use wadash::config::Config;

/// Whether the config parser rejects `key` in `table` as unknown.
pub(super) fn key_problem(table: &str, key: &str, value: &str) -> Option<String> {
    let header = if table.is_empty() {
        String::new()
    } else if is_array_table(table) {
        format!("[[{table}]]\n")
    } else {
        format!("[{table}]\n")
    };
    let value = if format!("k = {value}").parse::<toml::Table>().is_ok() {
        value.to_string()
    } else {
        "\"\"".to_string()
    };
    let doc = format!("{header}{key} = {value}\n");
    match load_config(&doc, Path::new("readme.toml")) {
        Ok(_) => None,
        Err(e) => {
            let message = e.to_string();
            let unknown = [
                "unknown field",
                "unknown action",
                "unknown mode",
                "unknown theme key",
            ];
            unknown
                .iter()
                .any(|u| message.contains(u))
                .then(|| format!("[{table}] {key}: {message}"))
        }
    }
}

/// The config as a face reads it: parsed, then `[keys]` and `[theme]`
/// made into the key table and palette (where their errors come from).
pub(super) fn load_config(
    text: &str,
    origin: &Path,
) -> Result<Config, wadash::config::ConfigError> {
    let config = Config::parse_str(text, origin)?;
    wadash::cli::context::keys_and_theme(&config.ui)?;
    Ok(config)
}

/// `[[account]]`-style tables: `[t]` alone is refused as "expected a sequence".
fn is_array_table(table: &str) -> bool {
    let doc = format!("[{table}]\n");
    load_config(&doc, Path::new("readme.toml"))
        .err()
        .is_some_and(|e| e.to_string().contains("sequence"))
}

/// Whether `table` is a table the config knows at all (`config.toml` in
/// prose is a file name, not table `config`).
pub(super) fn is_config_table(table: &str) -> bool {
    let doc = format!("[{table}]\n");
    match load_config(&doc, Path::new("readme.toml")) {
        Ok(_) => true,
        Err(e) => !e.to_string().contains("unknown"),
    }
}

/// (table, key, value) for every `key = value` in a TOML block, commented
/// examples and keys named in comments included.
pub(super) fn toml_keys(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut table = String::new();
    for line in text.lines() {
        let bare = line.trim_start().trim_start_matches('#').trim();
        if bare.starts_with('[') {
            let end = bare.find(']').unwrap_or(bare.len());
            table = bare[..end]
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            continue;
        }
        let mut rest = line;
        while let Some(eq) = rest.find(" = ") {
            let before = &rest[..eq];
            let key: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after = &rest[eq + 3..];
            if !key.is_empty() && !key.chars().next().unwrap().is_ascii_digit() {
                out.push((table.clone(), key, toml_value(after)));
            }
            rest = after;
        }
    }
    out
}

/// The longest prefix of `text` that is a TOML value.
fn toml_value(text: &str) -> String {
    let mut cut = text.len();
    loop {
        let candidate = text[..cut].trim();
        if !candidate.is_empty() && format!("k = {candidate}").parse::<toml::Table>().is_ok() {
            return candidate.to_string();
        }
        match text[..cut].rfind(['#', ',']) {
            Some(i) if i > 0 => cut = i,
            _ => return "\"\"".to_string(),
        }
    }
}
