//! The dashboard's history answers (columns and the `h` pane) take
//! maintenance time off as `report` does: a real SQLite file with a drop
//! inside a stored planned spell.

use rusqlite::params;

use super::{HistoryAnswer, HistoryQuery, answer};
use crate::history::store;

const NOW: i64 = 10_000_000;

#[test]
fn summaries_and_the_instance_pane_count_a_down_in_a_window_as_planned() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = store::open_writer(&dir.path().join("history.db"))
        .unwrap()
        .conn;
    let tx = conn.transaction().unwrap();
    for (id, state, start, end) in [
        ("in", "active", NOW - 400_000, NOW - 300_000),
        ("in", "inactive", NOW - 300_000, NOW - 200_000),
        ("in", "active", NOW - 200_000, NOW),
        ("out", "active", NOW - 400_000, NOW - 300_000),
        ("out", "inactive", NOW - 300_000, NOW - 200_000),
        ("out", "active", NOW - 200_000, NOW),
    ] {
        tx.execute(
            "INSERT INTO periods (instance_id, start_ms, end_ms, last_seen_ms, grace_ms, state) \
             VALUES (?1, ?2, ?3, ?3, 0, ?4)",
            params![id, start, end, state],
        )
        .unwrap();
    }
    tx.execute(
        "INSERT INTO planned (instance_id, start_ms, end_ms, name) VALUES ('in', ?1, ?2, 'router swap')",
        params![NOW - 350_000, NOW - 150_000],
    )
    .unwrap();
    tx.commit().unwrap();

    let q = HistoryQuery::Summaries {
        window_ms: 500_000,
        now_ms: NOW,
    };
    let HistoryAnswer::Summaries { map, .. } = answer(&conn, &q).unwrap() else {
        panic!("summaries")
    };
    assert_eq!(
        (map["in"].down, map["in"].planned, map["in"].drops),
        (0, 100_000, 0)
    );
    assert_eq!(
        (map["out"].down, map["out"].planned, map["out"].drops),
        (100_000, 0, 1)
    );

    let q = HistoryQuery::Instance {
        id: "in".into(),
        window_ms: 500_000,
        now_ms: NOW,
        cells: 10,
    };
    let HistoryAnswer::Instance(pane) = answer(&conn, &q).unwrap() else {
        panic!("instance")
    };
    assert_eq!((pane.summary.down, pane.summary.planned), (0, 100_000));
    assert_eq!(pane.uptimes[0], Some(100.0));
    assert_eq!(pane.planned.len(), 1);
}
