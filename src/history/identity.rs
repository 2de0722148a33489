//! Is this file ours? A history path may point, by mistake or by malice,
//! at another program's SQLite database or at a symbolic link to some
//! other file. wadash marks its files with SQLite's `application_id`
//! (set by a migration, so files written before the mark get it too) and
//! refuses any database that has tables and is not marked or shaped as
//! a wadash history: it is never converted, chmodded or moved aside.

use std::fs::File;
use std::io;
use std::path::Path;

use rusqlite::Connection;

/// "WADS": the `application_id` of every wadash history file.
pub const APPLICATION_ID: i32 = 0x5741_4453;

/// Tables a wadash file may hold (any version so far).
const OURS: &[&str] = &[
    "acks",
    "alert_state",
    "alertmanager_firing",
    "latency_hourly",
    "periods",
    "planned",
    "silences",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Marked as ours.
    Ours,
    /// No tables yet: a new file (or an empty one somebody made for us).
    Empty,
    /// A wadash file from before the mark (its tables, no application id).
    Unmarked,
    /// Somebody else's: why we think so.
    Foreign(String),
}

/// Read-only look at an open file: nothing is written.
pub fn judge(conn: &Connection) -> rusqlite::Result<Verdict> {
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id == APPLICATION_ID {
        return Ok(Verdict::Ours);
    }
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if id != 0 {
        return Ok(Verdict::Foreign(format!(
            "its application_id is {id:#010x}, another program's"
        )));
    }
    if tables.is_empty() {
        return Ok(Verdict::Empty);
    }
    let theirs: Vec<&str> = tables
        .iter()
        .map(String::as_str)
        .filter(|t| !OURS.contains(t))
        .collect();
    if theirs.is_empty() && tables.iter().any(|t| t == "periods") {
        return Ok(Verdict::Unmarked);
    }
    let shown: Vec<&str> = if theirs.is_empty() {
        tables.iter().map(String::as_str).take(5).collect()
    } else {
        theirs.into_iter().take(5).collect()
    };
    Ok(Verdict::Foreign(format!(
        "it holds other tables ({})",
        shown.join(", ")
    )))
}

/// The refusal the user reads.
pub fn foreign_message(path: &Path, why: &str) -> String {
    format!(
        "{}: not a wadash history file ({why}); left untouched. \
         Set [history] path to another file",
        path.display()
    )
}

/// The file at `path` without following a symbolic link (ELOOP then),
/// for fixing its mode on the file itself rather than a link's target.
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

/// Refuse a symbolic link where the history file should be.
pub fn refuse_symlink(path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "{}: is a symbolic link; wadash keeps its history only in a regular file \
             (set [history] path to the file itself)",
            path.display()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_by_mark_and_tables() {
        let conn = Connection::open_in_memory().unwrap();
        assert_eq!(judge(&conn).unwrap(), Verdict::Empty);
        conn.execute_batch("CREATE TABLE periods (a); CREATE TABLE silences (b);")
            .unwrap();
        assert_eq!(judge(&conn).unwrap(), Verdict::Unmarked);
        conn.execute_batch("CREATE TABLE moz_places (url);")
            .unwrap();
        assert!(matches!(judge(&conn).unwrap(), Verdict::Foreign(w) if w.contains("moz_places")));
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        assert_eq!(judge(&conn).unwrap(), Verdict::Ours);
        conn.pragma_update(None, "application_id", 7).unwrap();
        assert!(matches!(judge(&conn).unwrap(), Verdict::Foreign(_)));
    }

    #[test]
    fn only_alert_tables_without_periods_is_not_ours() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE silences (b);").unwrap();
        assert!(matches!(judge(&conn).unwrap(), Verdict::Foreign(_)));
    }
}
