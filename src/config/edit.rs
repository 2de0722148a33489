//! Changing the file on disk: instance add/remove that keep the user's
//! comments and layout (toml_edit edits the text, it does not re-serialise
//! it), atomic saves, and the permission check for files holding a key.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::error::{ConfigError, display_path};
use super::files::atomic_write;
use super::lock::{DirLock, lock_for};
use super::place;
use super::raw::id_problem;
use super::{Config, InstanceConfig, KeySource};

/// Adds an `[[instance]]` after the last one, or at the end of the file. Refuses a duplicate id,
/// an unknown account, and any file that does not load cleanly as it is.
/// A missing file is created (mode 0600).
pub fn add_instance(path: &Path, inst: &InstanceConfig) -> Result<(), ConfigError> {
    add_instances(path, std::slice::from_ref(inst))
}

/// Adds every instance in one atomic write, or none of them: each is
/// checked and placed as [`add_instance`] would, against the text with the
/// ones before it already added (so no id twice).
pub fn add_instances(path: &Path, insts: &[InstanceConfig]) -> Result<(), ConfigError> {
    // Read under the lock: another writer's change is in what we edit.
    let held = lock(path)?;
    let mut text = read_or_empty(path)?;
    for inst in insts {
        text = with_instance(path, &text, inst)?;
    }
    write_atomic(path, &text, &held)
}

/// `text` with `inst` added, or why it cannot be.
fn with_instance(path: &Path, text: &str, inst: &InstanceConfig) -> Result<String, ConfigError> {
    let config = Config::parse_str(text, path)?;
    if let Some(problem) = id_problem(&inst.id) {
        return Err(ConfigError::file(path, problem));
    }
    if config.instances.iter().any(|i| i.id == inst.id) {
        return Err(ConfigError::file(
            path,
            format!("instance `{}` is already in the config", inst.id),
        ));
    }
    match &inst.account {
        Some(name) if !config.accounts.iter().any(|a| &a.name == name) => {
            return Err(ConfigError::file(
                path,
                format!("there is no account named `{name}` in the config"),
            ));
        }
        None if config.accounts.len() > 1 => {
            return Err(ConfigError::file(
                path,
                "the config has several accounts: say which one this instance uses",
            ));
        }
        _ => {}
    }

    let mut doc = parse_document(text, path)?;
    let table = instance_table(inst, !text.trim().is_empty());
    let tables = matches!(doc.get("instance"), None | Some(Item::ArrayOfTables(_)));
    if tables && !place::push_inside(&doc) {
        // After the comments at the end, not before them (see `place`).
        return Ok(place::append_text(text, table));
    }
    match doc.get_mut("instance") {
        None => {
            let mut array = ArrayOfTables::new();
            array.push(table);
            doc.insert("instance", Item::ArrayOfTables(array));
        }
        Some(Item::ArrayOfTables(array)) => array.push(table),
        // `instance = [{ id = "…" }, …]`: keep the user's inline style.
        Some(Item::Value(Value::Array(array))) => {
            array.push(Value::InlineTable(table.into_inline_table()));
        }
        Some(_) => {
            return Err(ConfigError::file(
                path,
                "`instance` is not an array of tables; edit the file by hand",
            ));
        }
    }
    Ok(doc.to_string())
}

/// Removes the instance with this id. `Ok(false)` when there is none (a
/// missing file has none). The rest of the file is kept byte for byte.
pub fn remove_instance(path: &Path, id: &str) -> Result<bool, ConfigError> {
    let held = lock(path)?;
    let text = read_or_empty(path)?;
    let config = Config::parse_str(&text, path)?;
    if !config.instances.iter().any(|i| i.id == id) {
        return Ok(false);
    }
    let mut doc = parse_document(&text, path)?;
    let removed = match doc.get_mut("instance") {
        Some(Item::ArrayOfTables(array)) => {
            let index = (0..array.len()).find(|&i| table_id(array.get(i)) == Some(id));
            if let Some(index) = index {
                array.remove(index);
            }
            index.is_some()
        }
        Some(Item::Value(Value::Array(array))) => {
            let index = array.iter().position(|v| {
                v.as_inline_table()
                    .and_then(|t| t.get("id"))
                    .and_then(Value::as_str)
                    == Some(id)
            });
            if let Some(index) = index {
                array.remove(index);
            }
            index.is_some()
        }
        _ => false,
    };
    if !removed {
        return Ok(false);
    }
    if matches!(doc.get("instance"), Some(Item::ArrayOfTables(a)) if a.is_empty()) {
        doc.remove("instance");
    }
    write_atomic(path, &doc.to_string(), &held)?;
    Ok(true)
}

/// Writes `text` to `path` atomically (see `files::atomic_write`; mode 0600). Refuses text that does not load as a config,
/// and refuses to replace an existing file that does not (the user may be
/// halfway through editing it). A symlinked config is written through the
/// link, so dotfile managers keep working.
pub fn save_atomic(path: &Path, text: &str) -> Result<(), ConfigError> {
    Config::parse_str(text, path).map_err(|e| {
        ConfigError::file(
            path,
            format!("refusing to save a config that does not load: {e}"),
        )
    })?;
    let held = lock(path)?;
    match super::read_text(&real_target(path)?) {
        Ok(current) => {
            if let Err(e) = Config::parse_str(&current, path) {
                return Err(ConfigError::file(
                    path,
                    format!("refusing to overwrite a file that does not load; fix it first: {e}"),
                ));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(ConfigError::io(path, "read the config file", e)),
    }

    write_atomic(path, text, &held)
}

/// The write itself, for text already known to load (the edits above
/// checked the file they read, under `held`, and changed only what they
/// validated).
fn write_atomic(path: &Path, text: &str, held: &DirLock) -> Result<(), ConfigError> {
    let target = real_target(path)?;
    atomic_write(&target, text.as_bytes(), held)
        .map_err(|e| ConfigError::io(path, "write the config file", e))
}

/// The lock of the directory the config really lives in (through a symlink).
fn lock(path: &Path) -> Result<DirLock, ConfigError> {
    let target = real_target(path)?;
    lock_for(&target).map_err(|e| ConfigError::io(path, "lock the config file", e))
}

/// A warning when the file `config` was loaded from holds an inline
/// `api_key` and can be read by group or others, with the command that fixes it.
pub fn permission_warning(path: &Path, config: &Config) -> Option<String> {
    let mode = file_mode(path)?;
    let inline_key = config
        .accounts
        .iter()
        .any(|a| matches!(a.key, KeySource::Inline(_)));
    if mode & 0o044 == 0 || !inline_key {
        return None;
    }
    let shown = display_path(path);
    Some(format!(
        "{shown} is readable by other users (mode {:04o}) and holds an api key; run: chmod 600 {shown}",
        mode & 0o7777
    ))
}

fn instance_table(inst: &InstanceConfig, blank_line_before: bool) -> Table {
    let mut table = Table::new();
    table.insert("id", toml_edit::value(inst.id.as_str()));
    if let Some(label) = inst.label.as_deref().filter(|l| !l.trim().is_empty()) {
        table.insert("label", toml_edit::value(label));
    }
    if let Some(account) = &inst.account {
        table.insert("account", toml_edit::value(account.as_str()));
    }
    if !inst.tags.is_empty() {
        let tags: toml_edit::Array = inst.tags.iter().map(String::as_str).collect();
        table.insert("tags", toml_edit::value(tags));
    }
    if blank_line_before {
        table.decor_mut().set_prefix("\n");
    }
    table
}

fn table_id(table: Option<&Table>) -> Option<&str> {
    table?.get("id")?.as_str()
}

fn read_or_empty(path: &Path) -> Result<String, ConfigError> {
    match super::read_text(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(ConfigError::io(path, "read the config file", e)),
    }
}

fn parse_document(text: &str, path: &Path) -> Result<DocumentMut, ConfigError> {
    text.parse::<DocumentMut>()
        .map_err(|e| ConfigError::at(path, text, e.span(), e.message().to_string()))
}

/// The file a symlink points to (followed to the end), else the path itself.
fn real_target(path: &Path) -> Result<PathBuf, ConfigError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(real) => Ok(real),
            // A dangling link: write where it points.
            Err(_) => {
                let link = fs::read_link(path)
                    .map_err(|e| ConfigError::io(path, "read the symlink", e))?;
                Ok(match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                })
            }
        },
        _ => Ok(path.to_path_buf()),
    }
}

#[cfg(unix)]
fn file_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::metadata(path).ok()?.permissions().mode())
}

#[cfg(not(unix))]
fn file_mode(_path: &Path) -> Option<u32> {
    None
}
