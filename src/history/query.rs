//! SQL → periods. Reads only what a question needs: one instance's
//! periods through the primary key, or every instance streamed in key
//! order (the report), never the whole file into memory.

use rusqlite::{Connection, params};

use super::uptime::{self, Period, State};

/// A stored period with what the listing shows besides the arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPeriod {
    pub period: Period,
    pub detail: Option<String>,
    pub cause: String,
    pub qr_to_link_ms: Option<i64>,
}

/// The cause of a period the operator made (`D`): planned downtime.
pub const PLANNED_CAUSE: &str = "user_disconnect";

fn state_of(text: &str) -> State {
    // The CHECK constraint allows nothing else; a hand-edited row reads as error.
    State::parse(text).unwrap_or(State::Error)
}

/// One instance's periods that reach into [since, now), oldest first.
pub fn instance_periods(
    conn: &Connection,
    id: &str,
    since: i64,
    now: i64,
) -> rusqlite::Result<Vec<StoredPeriod>> {
    let mut stmt = conn.prepare_cached(
        "SELECT state, start_ms, end_ms, last_seen_ms, grace_ms, detail, cause, qr_to_link_ms \
         FROM periods WHERE instance_id = ?1 AND start_ms < ?3 \
         AND (end_ms IS NULL OR end_ms >= ?2) AND last_seen_ms + grace_ms >= ?2 \
         ORDER BY start_ms",
    )?;
    let rows = stmt.query_map(params![id, since, now], |r| {
        let state: String = r.get(0)?;
        Ok(StoredPeriod {
            period: Period {
                state: state_of(&state),
                start: r.get(1)?,
                end: r.get(2)?,
                last_seen: r.get(3)?,
                grace: r.get(4)?,
                planned: r.get_ref(6)?.as_str()? == PLANNED_CAUSE,
            },
            detail: r.get(5)?,
            cause: r.get(6)?,
            qr_to_link_ms: r.get(7)?,
        })
    })?;
    rows.collect()
}

/// Every instance with periods in [since, now), in id order, each handed
/// to `f` with its periods (only the arithmetic's columns: the report reads
/// a million rows and must stay small). With `ids`, only those, in that order.
pub fn for_each_instance(
    conn: &Connection,
    ids: &[String],
    since: i64,
    now: i64,
    mut f: impl FnMut(&str, &[Period]),
) -> rusqlite::Result<()> {
    if !ids.is_empty() {
        for id in ids {
            let periods: Vec<Period> = instance_periods(conn, id, since, now)?
                .into_iter()
                .map(|p| p.period)
                .collect();
            f(id, &periods);
        }
        return Ok(());
    }
    let mut stmt = conn.prepare(
        "SELECT instance_id, state, start_ms, end_ms, last_seen_ms, grace_ms, cause FROM periods \
         WHERE start_ms < ?2 AND (end_ms IS NULL OR end_ms >= ?1) \
         ORDER BY instance_id, start_ms",
    )?;
    let mut rows = stmt.query(params![since, now])?;
    let mut current: Option<String> = None;
    let mut periods: Vec<Period> = Vec::new();
    while let Some(r) = rows.next()? {
        let id = r.get_ref(0)?.as_str()?;
        if current.as_deref() != Some(id) {
            if let Some(done) = current.take() {
                f(&done, &periods);
            }
            periods.clear();
            current = Some(id.to_string());
        }
        let state = state_of(r.get_ref(1)?.as_str()?);
        periods.push(Period {
            state,
            start: r.get(2)?,
            end: r.get(3)?,
            last_seen: r.get(4)?,
            grace: r.get(5)?,
            planned: r.get_ref(6)?.as_str()? == PLANNED_CAUSE,
        });
    }
    if let Some(done) = current {
        f(&done, &periods);
    }
    Ok(())
}

/// The latest known status of every instance (its open period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastStatus {
    pub id: String,
    pub state: State,
    pub detail: Option<String>,
    pub last_seen_ms: i64,
}

pub fn last_statuses(conn: &Connection) -> rusqlite::Result<Vec<LastStatus>> {
    let mut stmt = conn.prepare(
        "SELECT instance_id, state, detail, last_seen_ms FROM periods INDEXED BY periods_open \
         WHERE end_ms IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        let state: String = r.get(1)?;
        Ok(LastStatus {
            id: r.get(0)?,
            state: state_of(&state),
            detail: r.get(2)?,
            last_seen_ms: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Every instance id the store knows (for `history` without a config).
pub fn known_ids(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT instance_id FROM periods ORDER BY instance_id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// One line of a listing: a period as observed, or a gap nobody observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub state: State,
    pub start: i64,
    /// None while it is still going on.
    pub end: Option<i64>,
    pub detail: Option<String>,
    pub cause: Option<String>,
    pub qr_to_link_ms: Option<i64>,
}

/// Periods → what happened, newest first, gaps included (also the one
/// from the last observation until now, when nobody is watching).
pub fn listing(stored: &[StoredPeriod], since: i64, now: i64) -> Vec<Listed> {
    let periods: Vec<Period> = stored.iter().map(|p| p.period).collect();
    let spans = uptime::spans(&periods, now);
    let mut out: Vec<Listed> = Vec::with_capacity(spans.len() + 1);
    for (n, span) in spans.iter().enumerate() {
        if span.end < since {
            continue;
        }
        let last = n + 1 == spans.len();
        let source = span.period.map(|i| &stored[i]);
        // Ongoing: the open period, still observed up to now.
        let ongoing = last && span.end >= now && source.is_some_and(|p| p.period.end.is_none());
        out.push(Listed {
            state: span.state,
            start: span.start,
            end: (!ongoing).then_some(span.end),
            detail: source.and_then(|p| p.detail.clone()),
            cause: source.map(|p| p.cause.clone()),
            qr_to_link_ms: source.and_then(|p| p.qr_to_link_ms),
        });
    }
    if let Some(last) = spans.last()
        && last.end < now
    {
        out.push(Listed {
            state: State::Unobserved,
            start: last.end.max(since),
            end: None,
            detail: None,
            cause: None,
            qr_to_link_ms: None,
        });
    }
    out.reverse();
    out
}
