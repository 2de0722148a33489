use std::time::{Duration, SystemTime};

use super::*;
use crate::history::notice::Face;
use crate::history::{from_ms, query, reader, schema, store};

const S: i64 = 1000;

fn obs(id: &str, at: i64, kind: Seen) -> Observation {
    Observation {
        id: id.into(),
        at: from_ms(at),
        kind,
        detail: None,
        cause: Cause::Poll,
        latency: Some(Duration::from_millis(40)),
    }
}

fn rows(conn: &Connection, id: &str) -> Vec<(String, i64, Option<i64>, i64, String)> {
    conn.prepare(
        "SELECT state, start_ms, end_ms, last_seen_ms, cause FROM periods WHERE instance_id = ?1 ORDER BY start_ms",
    )
    .unwrap()
    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn memory() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    schema::migrate(&mut conn).unwrap();
    conn
}

#[test]
fn checks_extend_a_period_changes_close_it_and_a_gap_is_left_unobserved() {
    let mut conn = memory();
    let g = 30 * S;
    use Seen::*;
    let batch = [
        obs("a", 0, Active),
        obs("a", 10 * S, Active),
        obs("a", 20 * S, Inactive),
        obs("a", 30 * S, Inactive),
        // Nobody looked from 30 s + grace until 200 s.
        obs("a", 200 * S, Inactive),
        obs("a", 210 * S, Active),
    ];
    write_batch(&mut conn, &batch, g).unwrap();
    let p = |s: &str, a, b, c| (s.to_string(), a, b, c, "poll".to_string());
    assert_eq!(
        rows(&conn, "a"),
        [
            p("active", 0, Some(20 * S), 10 * S),
            p("inactive", 20 * S, Some(60 * S), 30 * S),
            p("inactive", 200 * S, Some(210 * S), 200 * S),
            p("active", 210 * S, None, 210 * S),
        ]
    );
    let checks: i64 = conn
        .query_row("SELECT sum(checks) FROM latency_hourly", [], |r| r.get(0))
        .unwrap();
    assert_eq!(checks, 6);
}

#[test]
fn two_processes_writing_the_same_instance_neither_lose_nor_double() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut a = store::open_writer(&path).unwrap().conn;
    let mut b = store::open_writer(&path).unwrap().conn;
    let g = 30 * S;
    use Seen::*;
    // Both poll "x" every 10 s, 5 s apart; it drops at 52 s.
    for round in 0..10 {
        let t = round * 10 * S;
        let kind = |t: i64| if t < 52 * S { Active } else { Inactive };
        write_batch(&mut a, &[obs("x", t, kind(t))], g).unwrap();
        write_batch(&mut b, &[obs("x", t + 5 * S, kind(t + 5 * S))], g).unwrap();
    }
    // B is a little behind once: its check is older than what A stored.
    write_batch(&mut a, &[obs("x", 100 * S, Inactive)], g).unwrap();
    write_batch(&mut b, &[obs("x", 99 * S, Active)], g).unwrap();
    let r = rows(&a, "x");
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!((r[0].1, r[0].2), (0, Some(55 * S)));
    assert_eq!(
        (r[1].0.as_str(), r[1].1, r[1].3),
        ("inactive", 55 * S, 100 * S)
    );
    // A stops; B goes on alone: still observed. Then B stops too.
    write_batch(&mut b, &[obs("x", 120 * S, Inactive)], g).unwrap();
    let ans = reader::answer(
        &a,
        &reader::HistoryQuery::Summaries {
            window_ms: 400 * S,
            now_ms: 400 * S,
        },
    )
    .unwrap();
    let reader::HistoryAnswer::Summaries { map, .. } = ans else {
        panic!()
    };
    let sum = map["x"];
    assert_eq!(sum.active, 55 * S);
    assert_eq!(
        sum.down,
        120 * S + g - 55 * S,
        "down until B's last check + grace"
    );
    assert_eq!(sum.drops, 1);
    let checks: i64 = a
        .query_row("SELECT sum(checks) FROM latency_hourly", [], |r| r.get(0))
        .unwrap();
    assert_eq!(checks, 23, "every check counted once");
}

#[test]
fn the_rule_in_isolation() {
    let head = Head {
        start: 0,
        last_seen: 100 * S,
        grace: 30 * S,
        state: State::Error,
        detail: Some("timeout".into()),
    };
    let h = Some(&head);
    assert_eq!(decide(None, State::Active, None, 5), Step::Open);
    assert_eq!(
        decide(h, State::Error, Some("timeout"), 110 * S),
        Step::Extend
    );
    assert_eq!(
        decide(h, State::Error, Some("connect"), 110 * S),
        Step::CloseAndOpen { close_at: 110 * S },
        "another error kind is another period"
    );
    assert_eq!(
        decide(h, State::Error, Some("timeout"), 131 * S),
        Step::CloseAndOpen { close_at: 130 * S }
    );
    assert_eq!(decide(h, State::Active, None, 90 * S), Step::Stale);
    // The clock stepped back an hour: start again rather than ignore an hour.
    assert_eq!(
        decide(h, State::Active, None, 100 * S - 3_600 * S),
        Step::CloseAndOpen { close_at: 100 * S }
    );
}

#[test]
fn a_clock_stepped_back_keeps_recording_without_a_row_per_check() {
    let mut conn = memory();
    use Seen::*;
    let hour = 3_600 * S;
    write_batch(
        &mut conn,
        &[
            obs("a", 2 * hour, Active),
            obs("a", 2 * hour + 10 * S, Active),
        ],
        30 * S,
    )
    .unwrap();
    let back: Vec<_> = (0..20)
        .map(|n| obs("a", hour + n * 10 * S, Active))
        .collect();
    write_batch(&mut conn, &back, 30 * S).unwrap();
    let r = rows(&conn, "a");
    assert_eq!(r.len(), 2, "{r:?}");
    // Sorted by start: the new period (started an hour "earlier") first.
    assert_eq!(r[0].3, hour + 190 * S);
}

#[test]
fn causes_and_qr_times_are_kept_and_texts_bounded() {
    let mut conn = memory();
    let mut down = obs("a", 10 * S, Seen::Inactive);
    down.cause = Cause::UserDisconnect;
    down.detail = Some("\u{1b}[31mdesconectado".repeat(50));
    let mut up = obs("a", 50 * S, Seen::Active);
    up.cause = Cause::QrLinked {
        qr_to_link: Duration::from_secs(42),
    };
    write_batch(&mut conn, &[obs("a", 0, Seen::Active), down, up], 30 * S).unwrap();
    let stored = query::instance_periods(&conn, "a", 0, 100 * S).unwrap();
    let causes: Vec<_> = stored.iter().map(|p| p.cause.as_str()).collect();
    assert_eq!(causes, ["poll", "user_disconnect", "qr_linked"]);
    assert_eq!(stored[2].qr_to_link_ms, Some(42_000));
    let detail = stored[1].detail.as_deref().unwrap();
    assert!(
        !detail.contains('\u{1b}') && detail.chars().count() <= 201,
        "{detail}"
    );
}

#[test]
fn the_thread_batches_flushes_and_reports_a_broken_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = notices.clone();
    let history = History::spawn(
        WriterOptions {
            path: path.clone(),
            grace: Duration::from_secs(30),
            retention: Duration::from_secs(86_400),
        },
        Box::new(move |n| sink.lock().unwrap().push(n)),
    );
    let now = ms(SystemTime::now());
    for n in 0..1000 {
        history.record(obs(&format!("i{}", n % 100), now + n * 10, Seen::Active));
    }
    assert!(history.flush(Duration::from_secs(10)));
    let conn = store::open_reader(&path).unwrap();
    let periods: i64 = conn
        .query_row("SELECT count(*) FROM periods", [], |r| r.get(0))
        .unwrap();
    assert_eq!(periods, 100);
    assert!(notices.lock().unwrap().is_empty());

    // A directory where the file should be: a notice, and records are dropped quietly.
    let bad = dir.path().join("adir");
    std::fs::create_dir(&bad).unwrap();
    let sink = notices.clone();
    let history = History::spawn(
        WriterOptions {
            path: bad,
            grace: Duration::from_secs(30),
            retention: Duration::from_secs(86_400),
        },
        Box::new(move |n| sink.lock().unwrap().push(n)),
    );
    history.record(obs("a", now, Seen::Active));
    assert!(history.flush(Duration::from_secs(10)));
    assert!(matches!(history.ready(), Some(Err(_))));
    let said = notices.lock().unwrap().join("\n");
    assert!(said.contains("history is off"), "{said}");
}

#[test]
fn a_full_disk_is_named_as_such_and_nothing_half_written_stays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut conn = store::open_writer(&path).unwrap().conn;
    write_batch(&mut conn, &[obs("a", 0, Seen::Active)], 30 * S).unwrap();
    // SQLite's own cap stands in for a full disk: the same SQLITE_FULL.
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
        .unwrap();
    let many: Vec<_> = (0..5000)
        .map(|i| obs(&format!("instance-{i:05}"), 1000, Seen::Active))
        .collect();
    let err = write_batch(&mut conn, &many, 30 * S).unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(ErrorCode::DiskFull));
    assert_eq!(Face::default().describe(&err), "the disk is full");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM periods", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the failed batch rolled back whole");
    assert_eq!(
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
}

#[test]
fn a_file_locked_by_another_process_is_retried_with_a_notice_and_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    drop(store::open_writer(&path).unwrap());
    // Another process holds the write lock past the busy timeout.
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let notices = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = notices.clone();
    let history = History::spawn(
        WriterOptions {
            path: path.clone(),
            grace: Duration::from_secs(30),
            retention: Duration::from_secs(86_400),
        },
        Box::new(move |n| sink.lock().unwrap().push(n)),
    );
    let now = ms(SystemTime::now());
    history.record(obs("a", now, Seen::Active));
    let until = std::time::Instant::now() + Duration::from_secs(20);
    while !notices.lock().unwrap().iter().any(|n| n.contains("locked")) {
        assert!(std::time::Instant::now() < until, "no locked notice");
        std::thread::sleep(Duration::from_millis(50));
    }
    holder.execute_batch("ROLLBACK").unwrap();
    history.record(obs("a", now + 10, Seen::Active));
    assert!(history.flush(Duration::from_secs(20)));
    let conn = store::open_reader(&path).unwrap();
    let checks: i64 = conn
        .query_row("SELECT sum(checks) FROM latency_hourly", [], |r| r.get(0))
        .unwrap();
    assert_eq!(checks, 2, "the held batch was written after all");
    assert!(
        notices
            .lock()
            .unwrap()
            .iter()
            .any(|n| n.contains("writable again")),
        "{:?}",
        notices.lock().unwrap()
    );
}
