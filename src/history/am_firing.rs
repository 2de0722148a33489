//! What each `[[alerts.alertmanager]]` channel has firing, kept in the
//! history file (table `alertmanager_firing`) so that a `watch` restarted
//! while an instance is down goes on re-sending that alert, with its
//! original `startsAt`, instead of letting it expire after a few resend
//! periods, and resolves it when the instance is back.
//!
//! The table is made on first use (`CREATE TABLE IF NOT EXISTS`) in a file
//! the store has already opened and marked as ours, so a file without it
//! (older, or never used with Alertmanager) simply has nothing firing.

use std::path::Path;

use rusqlite::{Connection, params};

const TABLE: &str = "
CREATE TABLE IF NOT EXISTS alertmanager_firing (
  channel      TEXT    NOT NULL,
  instance_id  TEXT    NOT NULL,
  labels       TEXT    NOT NULL,
  annotations  TEXT    NOT NULL,
  starts_at_ms INTEGER NOT NULL,
  PRIMARY KEY (channel, instance_id)
);";

/// One firing alert: its labels and annotations as JSON objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiringRow {
    pub instance_id: String,
    pub labels: String,
    pub annotations: String,
    pub starts_at_ms: i64,
}

fn open(path: &Path) -> Result<Connection, String> {
    let conn = crate::history::alert_tables::open(path)?;
    conn.execute_batch(TABLE).map_err(|e| e.to_string())?;
    Ok(conn)
}

/// What `channel` had firing when it last changed, of the instances the
/// alert engine's stored state still has in trouble: one whose `up` was
/// told but whose resolve never reached Alertmanager is not revived.
pub fn load(path: &Path, channel: &str) -> Result<Vec<FiringRow>, String> {
    let conn = open(path)?;
    load_from(&conn, channel).map_err(|e| e.to_string())
}

/// Replace what `channel` has firing with `rows`.
pub fn save(path: &Path, channel: &str, rows: &[FiringRow]) -> Result<(), String> {
    let mut conn = open(path)?;
    save_to(&mut conn, channel, rows).map_err(|e| e.to_string())
}

fn load_from(conn: &Connection, channel: &str) -> rusqlite::Result<Vec<FiringRow>> {
    let mut stmt = conn.prepare(
        "SELECT f.instance_id, f.labels, f.annotations, f.starts_at_ms
         FROM alertmanager_firing f JOIN alert_state s ON s.instance_id = f.instance_id
         WHERE f.channel = ?1 AND s.state IN ('down', 'error', 'flapping', 'flapping-down', 'flapping-error')
         ORDER BY f.instance_id",
    )?;
    let rows = stmt.query_map([channel], |r| {
        Ok(FiringRow {
            instance_id: r.get(0)?,
            labels: r.get(1)?,
            annotations: r.get(2)?,
            starts_at_ms: r.get(3)?,
        })
    })?;
    rows.collect()
}

fn save_to(conn: &mut Connection, channel: &str, rows: &[FiringRow]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "DELETE FROM alertmanager_firing WHERE channel = ?1",
        [channel],
    )?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO alertmanager_firing (channel, instance_id, labels, annotations, starts_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for r in rows {
            stmt.execute(params![
                channel,
                r.instance_id,
                r.labels,
                r.annotations,
                r.starts_at_ms
            ])?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::alert_state::StateRow;

    fn row(id: &str, at: i64) -> FiringRow {
        FiringRow {
            instance_id: id.into(),
            labels: format!("{{\"id\":\"{id}\"}}"),
            annotations: "{}".into(),
            starts_at_ms: at,
        }
    }

    fn trouble(path: &Path, rows: &[(&str, &str)]) {
        let mut conn = crate::history::alert_tables::open(path).unwrap();
        let rows: Vec<StateRow> = rows
            .iter()
            .map(|(id, state)| StateRow {
                instance_id: id.to_string(),
                state: state.to_string(),
                since: 1,
                alerted_at: Some(1),
                updated_at: 1,
            })
            .collect();
        crate::history::alert_tables::save_state(&mut conn, &rows).unwrap();
    }

    #[test]
    fn each_channel_keeps_its_own_firing_alerts_in_the_history_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.db");
        trouble(
            &path,
            &[("x", "down"), ("y", "error"), ("z", "flapping-down")],
        );
        assert_eq!(load(&path, "http://a:9093/").unwrap(), Vec::new());
        save(&path, "http://a:9093/", &[row("x", 1), row("y", 2)]).unwrap();
        save(&path, "http://b:9093/", &[row("z", 3)]).unwrap();
        save(&path, "http://a:9093/", &[row("y", 2)]).unwrap();
        assert_eq!(load(&path, "http://a:9093/").unwrap(), vec![row("y", 2)]);
        assert_eq!(load(&path, "http://b:9093/").unwrap(), vec![row("z", 3)]);
        // Told up meanwhile: not revived.
        trouble(&path, &[("y", "up")]);
        assert_eq!(load(&path, "http://a:9093/").unwrap(), Vec::new());
    }
}
