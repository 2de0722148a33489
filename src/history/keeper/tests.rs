//! The writer thread under a file that changes beneath it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;

use crate::domain::{Cause, Observation, Seen};
use crate::history::writer::{History, WriterOptions};

fn obs(id: &str, at: SystemTime) -> Observation {
    Observation {
        id: id.into(),
        at,
        kind: Seen::Active,
        detail: None,
        cause: Cause::Poll,
        latency: Some(Duration::from_millis(40)),
    }
}

fn spawn(path: &std::path::Path) -> (History, Arc<Mutex<Vec<String>>>) {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = notices.clone();
    let history = History::spawn(
        WriterOptions {
            path: path.to_path_buf(),
            grace: Duration::from_secs(30),
            retention: Duration::from_secs(86_400),
        },
        Box::new(move |n| sink.lock().unwrap().push(n)),
    );
    (history, notices)
}

fn ids(path: &std::path::Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT instance_id FROM periods ORDER BY instance_id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn said(notices: &Arc<Mutex<Vec<String>>>, word: &str) -> usize {
    notices
        .lock()
        .unwrap()
        .iter()
        .filter(|n| n.contains(word))
        .count()
}

#[test]
fn a_truncated_file_is_said_once_kept_aside_and_history_resumes_in_a_proper_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let (history, notices) = spawn(&path);
    history.record(obs("before", SystemTime::now()));
    assert!(history.flush(Duration::from_secs(10)));
    assert!(!history.lost());
    std::fs::write(&path, b"").unwrap();
    for n in 0..3 {
        history.record(obs(&format!("after-{n}"), SystemTime::now()));
        assert!(history.flush(Duration::from_secs(10)));
    }
    assert_eq!(
        said(&notices, "truncated"),
        1,
        "{:?}",
        notices.lock().unwrap()
    );
    // "Resumed" waits for writes to be steady (10 s); not said yet.
    assert_eq!(
        said(&notices, "resumed"),
        0,
        "{:?}",
        notices.lock().unwrap()
    );
    assert!(
        history.lost(),
        "the stop must not claim everything was kept"
    );
    assert_eq!(ids(&path), ["after-0", "after-1", "after-2"]);
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("history.db.corrupt-")
        })
        .count();
    assert!(kept >= 1, "what was left is kept aside");
}

#[test]
fn a_file_replaced_or_removed_is_said_once_and_history_goes_on_in_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let (history, notices) = spawn(&path);
    history.record(obs("before", SystemTime::now()));
    assert!(history.flush(Duration::from_secs(10)));
    let other = dir.path().join("fresh.db");
    std::fs::write(&other, b"").unwrap();
    std::fs::rename(&other, &path).unwrap();
    history.record(obs("after", SystemTime::now()));
    assert!(history.flush(Duration::from_secs(10)));
    assert_eq!(ids(&path), ["after"]);
    std::fs::remove_file(&path).unwrap();
    history.record(obs("again", SystemTime::now()));
    assert!(history.flush(Duration::from_secs(10)));
    assert_eq!(ids(&path), ["again"]);
    assert_eq!(said(&notices, "replaced or removed"), 2);
    assert!(history.lost());
}

#[test]
fn a_clean_close_ends_observation_at_the_stop() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let (history, _) = spawn(&path);
    let seen = SystemTime::now() - Duration::from_secs(2);
    history.record(obs("a", seen));
    assert!(history.close(Duration::from_secs(10)));
    let conn = Connection::open(&path).unwrap();
    let (last_seen, grace): (i64, i64) = conn
        .query_row(
            "SELECT last_seen_ms, grace_ms FROM periods WHERE instance_id = 'a'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let stop = crate::history::ms(SystemTime::now());
    assert!(
        last_seen + grace <= stop,
        "observed until the stop, not 30 s on"
    );
    assert!(
        grace >= 1900,
        "the time up to the stop was watched: {grace}"
    );
    assert!(!history.lost());
}
