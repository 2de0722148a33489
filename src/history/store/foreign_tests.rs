//! Files that are not ours: refused, and left exactly as they were.

use std::os::unix::fs::PermissionsExt;

use rusqlite::Connection;

use super::{open_reader, open_writer};

#[test]
fn a_symlinked_history_is_refused_and_its_target_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("notes.txt");
    std::fs::write(&target, b"my notes\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("history.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = open_writer(&link).err().expect("refused");
    assert!(err.0.contains("symbolic link"), "{err}");
    assert!(open_reader(&link).is_err());
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    assert_eq!(std::fs::read(&target).unwrap(), b"my notes\n");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn another_programs_database_is_refused_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
             INSERT INTO moz_places (url) VALUES ('https://example.org');",
        )
        .unwrap();
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = open_writer(&path).err().expect("refused");
    assert!(err.0.contains("not a wadash history file"), "{err}");
    assert!(err.0.contains("moz_places"), "{err}");
    let err = open_reader(&path).expect_err("refused");
    assert!(err.0.contains("not a wadash history file"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "byte-identical");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "no -wal, no .corrupt copy");
}

#[test]
fn a_file_from_the_previous_version_is_marked_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(crate::history::schema::MIGRATIONS[0])
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO periods (instance_id, start_ms, last_seen_ms, grace_ms, state) \
             VALUES ('a', 1, 2, 3, 'active')",
            [],
        )
        .unwrap();
    }
    // The reader of the new version reads an old file as it is.
    assert!(open_reader(&path).is_ok());
    let opened = open_writer(&path).unwrap();
    let id: i32 = opened
        .conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, crate::history::identity::APPLICATION_ID);
    let rows: i64 = opened
        .conn
        .query_row("SELECT count(*) FROM periods", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}
