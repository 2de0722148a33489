//! The store's tables, and the migrations that get any earlier file there.
//!
//! `PRAGMA user_version` says which migrations a file has had; each
//! migration runs once, in order, inside the same transaction as the
//! version bump. A file from a newer wadash is left alone (never
//! downgraded). The schema is for users too (sqlite3, Grafana): see the
//! README's "History" section, which documents these columns.

use rusqlite::{Connection, TransactionBehavior};

/// Version 1: periods, the hourly latency rollup, and the alert engine's
/// two tables (exact SQL agreed with `src/alerts/`).
const V1: &str = "
CREATE TABLE periods (
  instance_id   TEXT    NOT NULL,
  start_ms      INTEGER NOT NULL,   -- unix ms: the first check that saw this state
  end_ms        INTEGER,            -- unix ms: when it stopped (next state seen, or last_seen + grace when nobody looked); NULL while open
  last_seen_ms  INTEGER NOT NULL,   -- unix ms: the latest check that saw this state
  grace_ms      INTEGER NOT NULL,   -- after last_seen + grace without a check, the time is 'not observed'
  state         TEXT    NOT NULL CHECK (state IN ('active','inactive','unknown','error')),
  detail        TEXT,               -- the server's text (active/inactive/unknown) or the error kind (error)
  cause         TEXT    NOT NULL DEFAULT 'poll' CHECK (cause IN ('poll','user_disconnect','qr_linked')),
  qr_to_link_ms INTEGER,            -- cause = 'qr_linked': from the first QR to linked
  PRIMARY KEY (instance_id, start_ms)
) WITHOUT ROWID;
CREATE UNIQUE INDEX periods_open ON periods (instance_id) WHERE end_ms IS NULL;
CREATE INDEX periods_end ON periods (end_ms);
CREATE TABLE latency_hourly (
  instance_id TEXT    NOT NULL,
  hour        INTEGER NOT NULL,     -- unix seconds of the hour's start (UTC)
  checks      INTEGER NOT NULL,     -- status checks in that hour
  errors      INTEGER NOT NULL,     -- of which failed
  total_ms    INTEGER NOT NULL,     -- sum of their latencies
  max_ms      INTEGER NOT NULL,
  PRIMARY KEY (instance_id, hour)
) WITHOUT ROWID;
CREATE TABLE alert_state (
  instance_id TEXT PRIMARY KEY,
  state       TEXT NOT NULL,        -- 'down' | 'up' | 'flapping' | 'error'
  since       INTEGER NOT NULL,     -- unix seconds
  alerted_at  INTEGER,              -- unix seconds of the last alert sent, NULL if none
  updated_at  INTEGER NOT NULL
);
CREATE TABLE silences (
  id          INTEGER PRIMARY KEY,
  matcher     TEXT NOT NULL,        -- an id, 'tag:T', 'status:S' (the dashboard's filter syntax)
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  comment     TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL DEFAULT ''
);
";

/// Version 2: the file says it is wadash's (`application_id`), so a path
/// pointing at another program's database is refused rather than converted
/// (see `identity`). Written as a number: a pragma takes no parameters.
const V2: &str = "PRAGMA application_id = 1463895123;";

/// Every migration, in order: `MIGRATIONS[n]` takes a file from version
/// `n` to `n + 1`. Append only; never edit one that has shipped.
pub const MIGRATIONS: &[&str] = &[V1, V2];

/// The version this build writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaError {
    /// Written by a newer wadash: not ours to change.
    Newer {
        found: i64,
        known: i64,
    },
    Sql(String),
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaError::Newer { found, known } => write!(
                f,
                "the history file is schema version {found}, newer than this wadash knows ({known}); \
                 update wadash or set [history] path to another file"
            ),
            SchemaError::Sql(e) => write!(f, "{e}"),
        }
    }
}

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Bring the file up to [`CURRENT`]. Safe with several processes: the
/// version is re-read under the write lock, so two that start together
/// never run a migration twice.
pub fn migrate(conn: &mut Connection) -> Result<i64, SchemaError> {
    let sql = |e: rusqlite::Error| SchemaError::Sql(e.to_string());
    if version(conn).map_err(sql)? == CURRENT {
        return Ok(CURRENT);
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let found = version(&tx).map_err(sql)?;
    if found > CURRENT {
        return Err(SchemaError::Newer {
            found,
            known: CURRENT,
        });
    }
    for (n, step) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        tx.execute_batch(step).map_err(sql)?;
        tx.pragma_update(None, "user_version", n as i64 + 1)
            .map_err(sql)?;
    }
    tx.commit().map_err(sql)?;
    Ok(CURRENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn every_earlier_version_migrates_to_the_current_one_keeping_its_rows() {
        for from in 0..=CURRENT {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("h.db");
            {
                // A file as version `from` left it.
                let conn = Connection::open(&path).unwrap();
                for (n, step) in MIGRATIONS.iter().enumerate().take(from as usize) {
                    conn.execute_batch(step).unwrap();
                    conn.pragma_update(None, "user_version", n as i64 + 1)
                        .unwrap();
                }
                if from >= 1 {
                    conn.execute(
                        "INSERT INTO periods (instance_id, start_ms, last_seen_ms, grace_ms, state) \
                         VALUES ('a', 1, 2, 3, 'active')",
                        [],
                    )
                    .unwrap();
                }
            }
            let mut conn = Connection::open(&path).unwrap();
            assert_eq!(migrate(&mut conn).unwrap(), CURRENT);
            assert_eq!(version(&conn).unwrap(), CURRENT);
            assert_eq!(
                tables(&conn),
                ["alert_state", "latency_hourly", "periods", "silences"]
            );
            let id: i32 = conn
                .query_row("PRAGMA application_id", [], |r| r.get(0))
                .unwrap();
            assert_eq!(id, super::super::identity::APPLICATION_ID, "marked as ours");
            let kept: i64 = conn
                .query_row("SELECT count(*) FROM periods", [], |r| r.get(0))
                .unwrap();
            assert_eq!(kept, i64::from(from >= 1), "from version {from}");
            // Running again is a no-op.
            assert_eq!(migrate(&mut conn).unwrap(), CURRENT);
        }
    }

    #[test]
    fn a_newer_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", CURRENT + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert_eq!(
            err,
            SchemaError::Newer {
                found: CURRENT + 1,
                known: CURRENT
            }
        );
        assert!(err.to_string().contains("newer than this wadash"));
        assert_eq!(version(&conn).unwrap(), CURRENT + 1);
        assert!(tables(&conn).is_empty());
    }

    #[test]
    fn the_alert_tables_are_the_agreed_ones() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO alert_state (instance_id, state, since, updated_at) VALUES ('a', 'down', 1, 2)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO silences (matcher, starts_at, ends_at) VALUES ('tag:peru', 1, 2)",
            [],
        )
        .unwrap();
        let open_twice = conn.execute_batch(
            "INSERT INTO periods (instance_id, start_ms, last_seen_ms, grace_ms, state) VALUES ('a', 1, 1, 0, 'active');
             INSERT INTO periods (instance_id, start_ms, last_seen_ms, grace_ms, state) VALUES ('a', 2, 2, 0, 'inactive');",
        );
        assert!(
            open_twice.is_err(),
            "one open period per instance, enforced by the file"
        );
    }
}
