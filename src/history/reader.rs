//! Queries for the dashboard, on their own thread with a read-only
//! connection (WAL: never in the writer's way). Questions arrive as
//! `Effect::HistoryQuery`, answers leave as `CoreMsg::History`; when several
//! questions of the same kind queue up (the user scrolling through rows),
//! only the newest is answered.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

use super::query::{self, LastStatus, Listed};
use super::uptime::{self, State, Summary};
use super::{History, store};

/// The uptime windows the details pane shows side by side.
pub const SIDE_BY_SIDE: [i64; 3] = [DAY, 7 * DAY, 30 * DAY];
const DAY: i64 = 86_400_000;
/// Periods the `h` pane lists at most (newest first).
pub const LIST_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryQuery {
    /// Each instance's latest stored status (the rows at start).
    LastStatus,
    /// Uptime and drops of every instance over the window (the columns).
    Summaries { window_ms: i64, now_ms: i64 },
    /// One instance in depth (details pane and `h` pane).
    Instance {
        id: String,
        window_ms: i64,
        now_ms: i64,
        cells: usize,
    },
}

impl HistoryQuery {
    fn kind(&self) -> u8 {
        match self {
            HistoryQuery::LastStatus => 0,
            HistoryQuery::Summaries { .. } => 1,
            HistoryQuery::Instance { .. } => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceHistory {
    pub id: String,
    pub now_ms: i64,
    pub window_ms: i64,
    pub strip: Vec<State>,
    pub summary: Summary,
    /// Uptime over [`SIDE_BY_SIDE`].
    pub uptimes: [Option<f64>; 3],
    /// Newest first, gaps included, at most [`LIST_MAX`].
    pub periods: Vec<Listed>,
    /// Its acknowledgements and maintenance spells (the pane notes them
    /// on the periods they fell in).
    pub acks: Vec<crate::history::acks::StoredAck>,
    pub planned: Vec<crate::history::acks::Spell>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HistoryAnswer {
    LastStatus(Vec<LastStatus>),
    Summaries {
        window_ms: i64,
        map: HashMap<String, Summary>,
    },
    Instance(Box<InstanceHistory>),
    /// The store cannot be read (history off, or broken): why.
    Unavailable(String),
}

pub type Reply = Box<dyn Fn(HistoryAnswer) + Send>;

/// The query thread's handle.
#[derive(Clone)]
pub struct Reader {
    tx: mpsc::Sender<HistoryQuery>,
}

impl Reader {
    pub fn spawn(history: History, reply: Reply) -> Reader {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("history-reader".into())
            .spawn(move || run(history, rx, reply));
        if let Err(e) = spawned {
            tracing::error!("history reader could not start: {e}");
        }
        Reader { tx }
    }

    pub fn ask(&self, query: HistoryQuery) {
        let _ = self.tx.send(query);
    }
}

fn run(history: History, rx: mpsc::Receiver<HistoryQuery>, reply: Reply) {
    let mut conn: Option<Connection> = None;
    while let Ok(first) = rx.recv() {
        // Newest of each kind only.
        let mut queue = vec![first];
        while let Ok(more) = rx.try_recv() {
            queue.retain(|q| q.kind() != more.kind());
            queue.push(more);
        }
        for q in queue {
            if conn.is_none() {
                match history.wait_ready(Duration::from_secs(30)) {
                    Some(Ok(())) => match store::open_reader(history.path()) {
                        Ok(c) => conn = Some(c),
                        Err(e) => {
                            reply(HistoryAnswer::Unavailable(e.0));
                            continue;
                        }
                    },
                    Some(Err(e)) => {
                        reply(HistoryAnswer::Unavailable(e));
                        continue;
                    }
                    None => {
                        reply(HistoryAnswer::Unavailable(
                            "history is still opening".into(),
                        ));
                        continue;
                    }
                }
            }
            let Some(c) = conn.as_ref() else { continue };
            match answer(c, &q) {
                Ok(a) => reply(a),
                Err(e) => {
                    tracing::warn!("history query failed: {e}");
                    reply(HistoryAnswer::Unavailable(e.to_string()));
                }
            }
        }
    }
}

/// One question, answered from the file (also used by the tests).
pub fn answer(conn: &Connection, q: &HistoryQuery) -> rusqlite::Result<HistoryAnswer> {
    Ok(match q {
        HistoryQuery::LastStatus => HistoryAnswer::LastStatus(query::last_statuses(conn)?),
        HistoryQuery::Summaries { window_ms, now_ms } => {
            let from = now_ms - window_ms;
            let mut map = HashMap::new();
            let spells = crate::history::acks::all_planned_spells(conn);
            query::for_each_instance(conn, &[], from, *now_ms, |id, periods| {
                let planned = spells.get(id).map_or(&[][..], Vec::as_slice);
                let sum = uptime::planned::window_summary(periods, planned, from, *now_ms);
                map.insert(id.to_string(), sum);
            })?;
            HistoryAnswer::Summaries {
                window_ms: *window_ms,
                map,
            }
        }
        HistoryQuery::Instance {
            id,
            window_ms,
            now_ms,
            cells,
        } => {
            let longest = SIDE_BY_SIDE[2].max(*window_ms);
            let stored = query::instance_periods(conn, id, now_ms - longest, *now_ms)?;
            let periods: Vec<_> = stored.iter().map(|p| p.period).collect();
            // A file from before acks has no planned table: nothing planned.
            let planned = crate::history::acks::planned_spells(conn, id).unwrap_or_default();
            let windows = uptime::planned::intervals(&planned, *now_ms);
            let spans = uptime::planned::mark(uptime::spans(&periods, *now_ms), &windows);
            let from = now_ms - window_ms;
            let uptimes =
                SIDE_BY_SIDE.map(|w| uptime::summarise(&spans, now_ms - w, *now_ms).uptime_pct());
            let mut listed = query::listing(&stored, now_ms - longest, *now_ms);
            listed.truncate(LIST_MAX);
            HistoryAnswer::Instance(Box::new(InstanceHistory {
                id: id.clone(),
                now_ms: *now_ms,
                window_ms: *window_ms,
                strip: uptime::strip(&spans, from, *now_ms, *cells),
                summary: uptime::summarise(&spans, from, *now_ms),
                uptimes,
                periods: listed,
                // A file from before acks has neither table: nothing to note.
                acks: crate::history::acks::list_acks(conn, false, Some(id)).unwrap_or_default(),
                planned,
            }))
        }
    })
}

#[cfg(test)]
#[path = "reader_planned_tests.rs"]
mod planned_tests;
