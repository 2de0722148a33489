//! Alert state and silences in the history store's SQLite file (tables
//! `alert_state` and `silences`, created by the store's migrations; the SQL
//! is in [`SCHEMA`]). Every dashboard and watcher sharing the file sees the
//! same silences, and a restart does not alert again for what was told.

use std::path::Path;
use std::time::SystemTime;

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::alert_state::StateRow;
use crate::domain::alert_state::{from_unix, unix};
use crate::domain::matcher::{Matcher, Silence};

/// The two tables as the store's migration (version 1) creates them
/// (`history::schema`); kept here for in-memory tests of this file alone.
#[cfg(test)]
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS alert_state (
  instance_id TEXT PRIMARY KEY,
  state       TEXT NOT NULL,
  since       INTEGER NOT NULL,
  alerted_at  INTEGER,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS silences (
  id          INTEGER PRIMARY KEY,
  matcher     TEXT NOT NULL,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  comment     TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL DEFAULT ''
);";

/// Open (creating and migrating when needed) the history store for writing.
pub fn open(path: &Path) -> Result<Connection, String> {
    crate::history::store::open_writer(path)
        .map(|opened| opened.conn)
        .map_err(|e| e.to_string())
}

pub fn load_state(conn: &Connection) -> rusqlite::Result<Vec<StateRow>> {
    let mut stmt = conn.prepare(
        "SELECT instance_id, state, since, alerted_at, updated_at FROM alert_state ORDER BY instance_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StateRow {
            instance_id: r.get(0)?,
            state: r.get(1)?,
            since: r.get(2)?,
            alerted_at: r.get(3)?,
            updated_at: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// Write what changed, in one transaction.
pub fn save_state(conn: &mut Connection, rows: &[StateRow]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO alert_state (instance_id, state, since, alerted_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(instance_id) DO UPDATE SET
               state = excluded.state, since = excluded.since,
               alerted_at = excluded.alerted_at, updated_at = excluded.updated_at",
        )?;
        for r in rows {
            stmt.execute(params![
                r.instance_id,
                r.state,
                r.since,
                r.alerted_at,
                r.updated_at
            ])?;
        }
    }
    tx.commit()
}

/// A silence as stored, its matcher not yet checked (`silence list` shows
/// even one a hand edit broke).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSilence {
    pub id: i64,
    pub matcher: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub comment: String,
    pub created_by: String,
}

impl StoredSilence {
    pub fn to_silence(&self) -> Result<Silence, String> {
        Ok(Silence {
            id: self.id,
            matcher: Matcher::silence(&self.matcher)?,
            starts_at: from_unix(self.starts_at),
            ends_at: from_unix(self.ends_at),
            comment: self.comment.clone(),
            created_by: self.created_by.clone(),
        })
    }
}

/// Silences ending after `now` (all of them with `now` = None), by id.
pub fn list_silences(
    conn: &Connection,
    now: Option<SystemTime>,
) -> rusqlite::Result<Vec<StoredSilence>> {
    let after = now.map(unix).unwrap_or(i64::MIN);
    let mut stmt = conn.prepare(
        "SELECT id, matcher, starts_at, ends_at, comment, created_by FROM silences
         WHERE ends_at > ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([after], |r| {
        Ok(StoredSilence {
            id: r.get(0)?,
            matcher: r.get(1)?,
            starts_at: r.get(2)?,
            ends_at: r.get(3)?,
            comment: r.get(4)?,
            created_by: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// The silences the engine honours: current or future, matchers valid.
/// One that does not parse is skipped and named in the second list.
pub fn load_silences(
    conn: &Connection,
    now: SystemTime,
) -> rusqlite::Result<(Vec<Silence>, Vec<String>)> {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for stored in list_silences(conn, Some(now))? {
        match stored.to_silence() {
            Ok(s) => good.push(s),
            Err(e) => bad.push(format!("silence {}: {e}", stored.id)),
        }
    }
    Ok((good, bad))
}

/// Store a new silence; returns its number.
pub fn add_silence(
    conn: &Connection,
    matcher: &Matcher,
    starts_at: SystemTime,
    ends_at: SystemTime,
    comment: &str,
    created_by: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO silences (matcher, starts_at, ends_at, comment, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            matcher.text(),
            unix(starts_at),
            unix(ends_at),
            comment,
            created_by
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Delete silence `id`; false when there was none.
pub fn remove_silence(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM silences WHERE id = ?1", [id])? > 0)
}

/// One silence by number.
pub fn get_silence(conn: &Connection, id: i64) -> rusqlite::Result<Option<StoredSilence>> {
    conn.query_row(
        "SELECT id, matcher, starts_at, ends_at, comment, created_by FROM silences WHERE id = ?1",
        [id],
        |r| {
            Ok(StoredSilence {
                id: r.get(0)?,
                matcher: r.get(1)?,
                starts_at: r.get(2)?,
                ends_at: r.get(3)?,
                comment: r.get(4)?,
                created_by: r.get(5)?,
            })
        },
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// The agreed SQL alone, and the store's real migration: both must do.
    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn
    }

    #[test]
    fn the_store_migration_creates_the_same_tables() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::history::schema::migrate(&mut conn).unwrap();
        let table = |conn: &Connection, name: &str| -> Vec<String> {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{name}') ORDER BY cid"
                ))
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let agreed = db();
        for name in ["alert_state", "silences"] {
            assert_eq!(table(&conn, name), table(&agreed, name), "{name}");
        }
        save_state(
            &mut conn,
            &[StateRow {
                instance_id: "x".into(),
                state: "down".into(),
                since: 1,
                alerted_at: Some(2),
                updated_at: 2,
            }],
        )
        .unwrap();
        assert_eq!(load_state(&conn).unwrap().len(), 1);
    }

    fn t(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    #[test]
    fn state_rows_round_trip_and_update_in_place() {
        let mut conn = db();
        let row = StateRow {
            instance_id: "x".into(),
            state: "down".into(),
            since: 10,
            alerted_at: Some(40),
            updated_at: 40,
        };
        save_state(&mut conn, std::slice::from_ref(&row)).unwrap();
        assert_eq!(load_state(&conn).unwrap(), vec![row.clone()]);
        let up = StateRow {
            state: "up".into(),
            alerted_at: Some(90),
            updated_at: 90,
            ..row
        };
        save_state(&mut conn, std::slice::from_ref(&up)).unwrap();
        assert_eq!(load_state(&conn).unwrap(), vec![up]);
    }

    #[test]
    fn the_engine_restarts_from_the_store_without_alerting_again() {
        use crate::domain::Seen;
        use crate::engine::alerts::{Check, Engine, Settings};
        let settings = Settings {
            group_window: Duration::ZERO,
            ..Settings::default()
        };
        let check = |e: &mut Engine, seen, secs| {
            e.observe(Check {
                id: "x",
                label: "X",
                account: "main",
                tags: &[],
                seen,
                detail: "",
                at: t(secs),
            });
            e.tick(t(secs))
        };
        let mut conn = db();
        let mut first = Engine::new(settings.clone());
        let mut sent = Vec::new();
        for secs in [0, 10, 20] {
            sent.extend(check(&mut first, Seen::Inactive, secs));
        }
        assert_eq!(sent.len(), 1);
        save_state(&mut conn, &first.take_changed()).unwrap();

        let mut second = Engine::new(settings);
        second.import(&load_state(&conn).unwrap());
        for secs in [100, 110, 120, 130] {
            assert!(check(&mut second, Seen::Inactive, secs).is_empty());
        }
    }

    #[test]
    fn silences_are_added_listed_loaded_and_removed() {
        let conn = db();
        let m = Matcher::silence("tag:peru").unwrap();
        let a = add_silence(&conn, &m, t(0), t(100), "maintenance", "ana").unwrap();
        let b = add_silence(
            &conn,
            &Matcher::silence("ID1").unwrap(),
            t(0),
            t(10),
            "",
            "",
        )
        .unwrap();
        assert_ne!(a, b);
        assert_eq!(list_silences(&conn, None).unwrap().len(), 2);
        let (now, bad) = load_silences(&conn, t(50)).unwrap();
        assert!(bad.is_empty());
        assert_eq!(now.len(), 1, "the ended one is not loaded");
        assert_eq!(now[0].matcher.text(), "tag:peru");
        assert_eq!(now[0].comment, "maintenance");
        assert_eq!(get_silence(&conn, a).unwrap().unwrap().created_by, "ana");
        assert!(remove_silence(&conn, a).unwrap());
        assert!(!remove_silence(&conn, a).unwrap());
        assert!(get_silence(&conn, a).unwrap().is_none());
    }

    #[test]
    fn a_broken_stored_matcher_is_skipped_and_named() {
        let conn = db();
        conn.execute(
            "INSERT INTO silences (matcher, starts_at, ends_at) VALUES ('status:sleepy', 0, ?1)",
            [unix(t(1000))],
        )
        .unwrap();
        let (good, bad) = load_silences(&conn, t(0)).unwrap();
        assert!(good.is_empty());
        assert!(
            bad[0].contains("silence 1") && bad[0].contains("sleepy"),
            "{bad:?}"
        );
    }

    #[test]
    fn open_creates_the_file_and_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/history.db");
        let conn = open(&path).unwrap();
        assert!(path.is_file());
        assert!(load_state(&conn).unwrap().is_empty());
        drop(conn);
        // Opening again keeps what is there.
        let mut conn = open(&path).unwrap();
        save_state(
            &mut conn,
            &[StateRow {
                instance_id: "x".into(),
                state: "down".into(),
                since: 1,
                alerted_at: None,
                updated_at: 1,
            }],
        )
        .unwrap();
        drop(conn);
        assert_eq!(load_state(&open(&path).unwrap()).unwrap().len(), 1);
    }
}
