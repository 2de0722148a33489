//! Opening the file: where it lives, its mode, WAL and the busy timeout,
//! the integrity check, migrations, and what happens to a damaged file
//! (renamed aside, never deleted, and a fresh one started).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::identity::{self, Verdict};
use super::schema::{self, SchemaError};

/// How long one statement waits for another process's write lock before
/// SQLITE_BUSY comes back (the writer then retries the whole batch).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// `history.db` in the platform data dir (`~/.local/share/wadash/` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "wadash").map(|dirs| dirs.data_dir().join("history.db"))
}

/// Why the store cannot be used at all (the app goes on without history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError(pub String);

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A writable store, and what the user should be told about opening it.
pub struct Opened {
    pub conn: Connection,
    /// The file was damaged and moved aside: where to, and why.
    pub moved_aside: Option<(PathBuf, String)>,
}

/// Open (creating if needed) the store for writing: mode 0600, WAL,
/// migrated. A file that is not a database or fails the check is renamed
/// to `<name>.corrupt-<unix time>` (its -wal/-shm beside it) and a new one
/// started.
pub fn open_writer(path: &Path) -> Result<Opened, OpenError> {
    prepare_file(path)?;
    match try_open_patiently(path) {
        Ok(conn) => Ok(Opened {
            conn,
            moved_aside: None,
        }),
        Err(Failure::Corrupt(reason)) => {
            let to = move_aside(path).map_err(|e| {
                OpenError(format!(
                    "{}: damaged ({reason}) and could not be moved aside: {e}",
                    path.display()
                ))
            })?;
            prepare_file(path)?;
            let conn = try_open_patiently(path).map_err(|f| OpenError(f.message(path)))?;
            Ok(Opened {
                conn,
                moved_aside: Some((to, reason)),
            })
        }
        Err(other) => Err(OpenError(other.message(path))),
    }
}

/// A read-only connection to a store that exists (for queries; never
/// blocks the writer thanks to WAL).
pub fn open_reader(path: &Path) -> Result<Connection, OpenError> {
    identity::refuse_symlink(path).map_err(OpenError)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_NOFOLLOW,
    )
    .map_err(|e| OpenError(format!("{}: {e}", path.display())))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| OpenError(e.to_string()))?;
    limit_cache(&conn).map_err(|e| OpenError(e.to_string()))?;
    if let Ok(Verdict::Foreign(why)) = identity::judge(&conn) {
        return Err(OpenError(identity::foreign_message(path, &why)));
    }
    match schema::version(&conn) {
        // Later migrations only mark the file: every version from the
        // first one reads the same.
        Ok(v) if (1..=schema::CURRENT).contains(&v) => Ok(conn),
        Ok(v) if v > schema::CURRENT => Err(OpenError(
            SchemaError::Newer {
                found: v,
                known: schema::CURRENT,
            }
            .to_string(),
        )),
        Ok(_) => Err(OpenError(format!(
            "{}: no history recorded yet",
            path.display()
        ))),
        Err(e) => Err(OpenError(format!("{}: {e}", path.display()))),
    }
}

/// SQLite's page cache per connection, in KiB. Its default (2,000 KiB)
/// fills slowly as the file grows, and a dashboard or `watch` holds three
/// connections for days: memory would creep for hours. The working set of
/// a batch (open periods, this hour's rollup) is far smaller; the OS keeps
/// the rest of the file cached anyway.
const CACHE_KIB: i64 = 512;

fn limit_cache(conn: &Connection) -> rusqlite::Result<()> {
    let kib = std::env::var("WADASH_SQLITE_CACHE_KIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CACHE_KIB);
    conn.pragma_update(None, "cache_size", -kib)
}

enum Failure {
    Corrupt(String),
    /// Another process holds a lock SQLite would not wait for (two
    /// processes switching a new file to WAL at once): worth another try.
    Busy(String),
    /// Another program's database: never converted nor moved aside.
    Foreign(String),
    Other(String),
}

impl Failure {
    fn message(&self, path: &Path) -> String {
        match self {
            Failure::Corrupt(reason) | Failure::Busy(reason) | Failure::Other(reason) => {
                format!("{}: {reason}", path.display())
            }
            Failure::Foreign(why) => identity::foreign_message(path, why),
        }
    }
}

fn classify(e: rusqlite::Error) -> Failure {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Failure::Corrupt(e.to_string())
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Failure::Busy(e.to_string()),
        _ => Failure::Other(e.to_string()),
    }
}

/// [`try_open`], again for a while when another process holds a lock that
/// SQLite's busy timeout does not cover (switching a new file to WAL, a
/// migration racing another).
fn try_open_patiently(path: &Path) -> Result<Connection, Failure> {
    let deadline = std::time::Instant::now() + 2 * BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(20);
    loop {
        match try_open(path) {
            Err(Failure::Busy(_)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(400));
            }
            other => return other,
        }
    }
}

fn try_open(path: &Path) -> Result<Connection, Failure> {
    // NOFOLLOW: a link swapped in after `prepare_file` looked is refused
    // by SQLite itself.
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_NOFOLLOW,
    )
    .map_err(classify)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(classify)?;
    // Before anything writes: somebody else's database stays as it was.
    if let Verdict::Foreign(why) = identity::judge(&conn).map_err(classify)? {
        return Err(Failure::Foreign(why));
    }
    tighten_mode(path);
    // WAL: readers never block the writer and a kill -9 mid-write leaves
    // a file that opens (the log is replayed or ignored). NORMAL is safe
    // against a crashed process; only a power cut may lose the last batch.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(classify)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Failure::Other(format!(
            "could not switch to WAL mode (got {mode})"
        )));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(classify)?;
    limit_cache(&conn).map_err(classify)?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(classify)?;
    if check != "ok" {
        return Err(Failure::Corrupt(format!("integrity check: {check}")));
    }
    schema::migrate(&mut conn).map_err(|e| match e {
        SchemaError::Sql(text) if text.contains("malformed") || text.contains("not a database") => {
            Failure::Corrupt(text)
        }
        SchemaError::Sql(text) if text.contains("locked") || text.contains("busy") => {
            Failure::Busy(text)
        }
        other => Failure::Other(other.to_string()),
    })?;
    Ok(conn)
}

/// The directory (0700) and the file (0600) before SQLite touches them,
/// so the history is never readable by other users, even for a moment.
fn prepare_file(path: &Path) -> Result<(), OpenError> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let fail = |e: std::io::Error| OpenError(format!("{}: {e}", path.display()));
    identity::refuse_symlink(path).map_err(OpenError)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(fail)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::symlink_metadata(path).map_err(fail)?;
            if !meta.is_file() {
                return Err(OpenError(format!("{}: not a regular file", path.display())));
            }
            // The mode is tightened once the file is known to be ours.
            Ok(())
        }
        Err(e) => Err(fail(e)),
    }
}

/// 0600 on the file itself (never a link's target), once it is known to
/// be ours; if we cannot, SQLite says why when it writes.
fn tighten_mode(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(file) = identity::open_no_follow(path)
        && let Ok(meta) = file.metadata()
        && meta.permissions().mode() & 0o077 != 0
    {
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
}

/// Rename the file and its WAL companions aside; returns the new name.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path
        .file_name()
        .map_or_else(|| "history.db".into(), |n| n.to_string_lossy().into_owned());
    let mut target = path.with_file_name(format!("{name}.corrupt-{secs}"));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!("{name}.corrupt-{secs}-{n}"));
        n += 1;
    }
    std::fs::rename(path, &target)?;
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let to = target.with_file_name(format!(
                "{}{suffix}",
                target.file_name().unwrap_or_default().to_string_lossy()
            ));
            let _ = std::fs::rename(&side, to);
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// Two processes starting at once on a new file (a dashboard and a
    /// cron `wadash status`): both open it, neither says "locked".
    #[test]
    fn several_openers_of_one_new_file_all_succeed() {
        for _ in 0..30 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("history.db");
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
            let openers: Vec<_> = (0..4)
                .map(|_| {
                    let (path, barrier) = (path.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        open_writer(&path).map(|_| ())
                    })
                })
                .collect();
            for opener in openers {
                opener.join().unwrap().unwrap();
            }
        }
    }

    #[test]
    fn a_new_store_is_private_wal_and_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/history.db");
        let opened = open_writer(&path).unwrap();
        assert!(opened.moved_aside.is_none());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let journal: String = opened
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        assert_eq!(schema::version(&opened.conn).unwrap(), schema::CURRENT);
        assert!(open_reader(&path).is_ok());
    }

    #[test]
    fn a_file_that_is_not_a_database_is_moved_aside_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.db");
        let junk = b"this is not sqlite at all, but somebody's notes\n".repeat(200);
        std::fs::write(&path, &junk).unwrap();
        let opened = open_writer(&path).unwrap();
        let (to, reason) = opened.moved_aside.expect("moved aside");
        assert!(reason.contains("not a database"), "{reason}");
        assert_eq!(std::fs::read(&to).unwrap(), junk, "kept byte for byte");
        assert_eq!(schema::version(&opened.conn).unwrap(), schema::CURRENT);
    }

    #[test]
    fn a_newer_schema_is_an_error_and_the_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = open_writer(&path).err().unwrap();
        assert!(err.0.contains("newer"), "{err}");
        let conn = Connection::open(&path).unwrap();
        assert_eq!(schema::version(&conn).unwrap(), 99);
    }
}

#[cfg(test)]
mod foreign_tests;
