//! Acknowledgements in the history store (table `acks`, migration 2 in
//! `history::schema`): who acknowledged which instance, when and why, and
//! when it was up again (`ended_at`, NULL while the ack is in force).
//! `wadash ack` adds them; the engine honours the open ones and, once the
//! instance is up, its 'up' state row closes them.

use std::collections::HashMap;
use std::time::SystemTime;

use rusqlite::{Connection, params};

use crate::domain::alert_state::{StateRow, from_unix, unix};
use crate::domain::holds::{Ack, PlannedMark};

/// One row of `acks`, as `ack --list` and `history` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAck {
    pub id: i64,
    pub instance_id: String,
    pub acked_at: i64,
    pub acked_by: String,
    pub reason: String,
    pub ended_at: Option<i64>,
}

impl StoredAck {
    pub fn to_ack(&self) -> Ack {
        Ack {
            id: self.id,
            instance_id: self.instance_id.clone(),
            at: from_unix(self.acked_at),
            by: self.acked_by.clone(),
            reason: self.reason.clone(),
        }
    }
}

pub fn add_ack(
    conn: &Connection,
    instance_id: &str,
    at: SystemTime,
    by: &str,
    reason: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO acks (instance_id, acked_at, acked_by, reason) VALUES (?1, ?2, ?3, ?4)",
        params![instance_id, unix(at), by, reason],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Acks by time: the open ones only, or all (`--all`), or one instance's.
pub fn list_acks(
    conn: &Connection,
    open_only: bool,
    instance: Option<&str>,
) -> rusqlite::Result<Vec<StoredAck>> {
    let mut stmt = conn.prepare(
        "SELECT id, instance_id, acked_at, acked_by, reason, ended_at FROM acks
         WHERE (?1 = 0 OR ended_at IS NULL) AND (?2 IS NULL OR instance_id = ?2)
         ORDER BY acked_at, id",
    )?;
    let rows = stmt.query_map(params![open_only as i64, instance], |r| {
        Ok(StoredAck {
            id: r.get(0)?,
            instance_id: r.get(1)?,
            acked_at: r.get(2)?,
            acked_by: r.get(3)?,
            reason: r.get(4)?,
            ended_at: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// What the engine honours.
pub fn open_acks(conn: &Connection) -> rusqlite::Result<Vec<Ack>> {
    Ok(list_acks(conn, true, None)?
        .iter()
        .map(StoredAck::to_ack)
        .collect())
}

/// An instance told 'up' again: its acks made before that are over.
pub fn close_acks(conn: &Connection, rows: &[StateRow]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "UPDATE acks SET ended_at = ?2
         WHERE instance_id = ?1 AND ended_at IS NULL AND acked_at <= ?2",
    )?;
    for r in rows.iter().filter(|r| r.state == "up") {
        stmt.execute(params![r.instance_id, r.updated_at])?;
    }
    Ok(())
}

/// Maintenance spells begun or ended. A spell a stopped process left open
/// is closed when the next one for that instance begins.
pub fn save_planned(conn: &mut Connection, marks: &[PlannedMark]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for m in marks {
        let start = unix_ms(m.start);
        if m.end.is_none() {
            tx.execute(
                "UPDATE planned SET end_ms = ?2 WHERE instance_id = ?1 AND end_ms IS NULL",
                params![m.instance_id, start],
            )?;
        }
        tx.execute(
            "INSERT INTO planned (instance_id, start_ms, end_ms, name) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(instance_id, start_ms) DO UPDATE SET end_ms = excluded.end_ms",
            params![m.instance_id, start, m.end.map(unix_ms), m.name],
        )?;
    }
    tx.commit()
}

/// A planned spell: start_ms, end_ms (None while open), the window's name.
pub type Spell = crate::history::uptime::planned::Spell;

/// Every instance's planned spells; none from a file older than the table.
pub fn all_planned_spells(conn: &Connection) -> HashMap<String, Vec<Spell>> {
    let mut out: HashMap<String, Vec<Spell>> = HashMap::new();
    let Ok(mut stmt) =
        conn.prepare("SELECT instance_id, start_ms, end_ms, name FROM planned ORDER BY start_ms")
    else {
        return out;
    };
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    });
    for (id, spell) in rows.into_iter().flatten().flatten() {
        out.entry(id).or_default().push(spell);
    }
    out
}

/// One instance's planned spells.
pub fn planned_spells(conn: &Connection, instance: &str) -> rusqlite::Result<Vec<Spell>> {
    let mut stmt = conn.prepare(
        "SELECT start_ms, end_ms, name FROM planned WHERE instance_id = ?1 ORDER BY start_ms",
    )?;
    let rows = stmt.query_map([instance], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The ack made during this period of this instance, if any.
pub fn ack_in<'a>(
    acks: &'a [StoredAck],
    id: &str,
    start_ms: i64,
    end_ms: Option<i64>,
) -> Option<&'a StoredAck> {
    acks.iter().find(|a| {
        let at = a.acked_at * 1000;
        a.instance_id == id && start_ms <= at && end_ms.is_none_or(|end| at < end)
    })
}

/// The maintenance window a period overlaps, if any (that time was planned).
pub fn planned_note(
    spells: &[Spell],
    start_ms: i64,
    end_ms: Option<i64>,
    now_ms: i64,
) -> Option<String> {
    let end = end_ms.unwrap_or(now_ms);
    spells
        .iter()
        .find(|(s, e, _)| *s < end && start_ms < e.unwrap_or(now_ms))
        .map(|(_, _, name)| name.clone())
}

fn unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::history::schema::migrate(&mut conn).unwrap();
        conn
    }

    fn t(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    fn row(id: &str, state: &str, at: u64) -> StateRow {
        StateRow {
            instance_id: id.into(),
            state: state.into(),
            since: 0,
            alerted_at: None,
            updated_at: unix(t(at)),
        }
    }

    #[test]
    fn acks_are_added_listed_and_closed_by_the_up() {
        let conn = db();
        let a = add_ack(&conn, "x", t(10), "ana", "ISP outage").unwrap();
        add_ack(&conn, "y", t(20), "", "").unwrap();
        let open = open_acks(&conn).unwrap();
        assert_eq!(open.len(), 2);
        assert_eq!((open[0].id, open[0].by.as_str()), (a, "ana"));
        // Down rows, and ups of other instances, close nothing.
        close_acks(&conn, &[row("x", "down", 30), row("y", "up", 5)]).unwrap();
        assert_eq!(
            open_acks(&conn).unwrap().len(),
            2,
            "y's up came before its ack"
        );
        close_acks(&conn, &[row("x", "up", 40)]).unwrap();
        let open = open_acks(&conn).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].instance_id, "y");
        let all = list_acks(&conn, false, Some("x")).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].ended_at, Some(unix(t(40))));
        assert_eq!(all[0].reason, "ISP outage");
    }

    #[test]
    fn planned_spells_open_close_and_a_stale_one_is_closed() {
        let mut conn = db();
        let mark = |start, end: Option<u64>| PlannedMark {
            instance_id: "x".into(),
            start: t(start),
            end: end.map(t),
            name: "sunday".into(),
        };
        save_planned(&mut conn, &[mark(0, None)]).unwrap();
        // A restart inside the window opens a new spell; the old one closes.
        save_planned(&mut conn, &[mark(50, None)]).unwrap();
        save_planned(&mut conn, &[mark(50, Some(90))]).unwrap();
        let spells = planned_spells(&conn, "x").unwrap();
        let ms = |s: u64| unix_ms(t(s));
        assert_eq!(
            spells,
            [
                (ms(0), Some(ms(50)), "sunday".to_string()),
                (ms(50), Some(ms(90)), "sunday".to_string())
            ]
        );
    }
}
