//! Retention: periods and latency rollups older than the cutoff go, in
//! the writer's own thread (so never a second writer), once at start and
//! then hourly. A period that reaches into the retained time is kept whole.

use rusqlite::{Connection, TransactionBehavior, params};

/// Delete what ended before `cutoff_ms`; returns the rows deleted.
pub fn prune(conn: &mut Connection, cutoff_ms: i64) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut n = tx.execute(
        "DELETE FROM periods WHERE end_ms IS NOT NULL AND end_ms < ?1",
        params![cutoff_ms],
    )?;
    // An instance nobody has checked since before the cutoff.
    n += tx.execute(
        "DELETE FROM periods WHERE end_ms IS NULL AND last_seen_ms + grace_ms < ?1",
        params![cutoff_ms],
    )?;
    n += tx.execute(
        "DELETE FROM latency_hourly WHERE hour + 3600 <= ?1",
        params![cutoff_ms.div_euclid(1000)],
    )?;
    tx.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::schema;

    fn count(conn: &Connection, table: &str) -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn old_periods_and_rollups_go_recent_and_straddling_ones_stay() {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO periods (instance_id, start_ms, end_ms, last_seen_ms, grace_ms, state) VALUES
               ('a', 1000, 2000, 2000, 0, 'active'),       -- ended before: goes
               ('a', 2000, 6000, 6000, 0, 'inactive'),     -- straddles: stays
               ('a', 6000, NULL, 9000, 0, 'active'),       -- open, recent: stays
               ('b', 1000, NULL, 1500, 100, 'active');     -- open, abandoned before: goes
             INSERT INTO latency_hourly VALUES ('a', 0, 1, 0, 5, 5), ('a', 3600, 1, 0, 5, 5);",
        )
        .unwrap();
        // Cutoff at 5 s (and hour 0 ends at 3600 s: only with a later cutoff).
        assert_eq!(prune(&mut conn, 5000).unwrap(), 2);
        assert_eq!(count(&conn, "periods"), 2);
        assert_eq!(count(&conn, "latency_hourly"), 2);
        let left: Vec<i64> = conn
            .prepare("SELECT start_ms FROM periods ORDER BY start_ms")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(left, [2000, 6000]);
        // An hour later everything but the second hour's rollup is old.
        assert_eq!(prune(&mut conn, 3_600_000).unwrap(), 3);
        assert_eq!(count(&conn, "periods"), 0);
        assert_eq!(count(&conn, "latency_hourly"), 1);
        assert_eq!(prune(&mut conn, 3_600_000).unwrap(), 0, "idempotent");
    }
}
