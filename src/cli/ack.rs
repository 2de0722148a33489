//! `wadash ack ID… [--reason …]` and `wadash ack --list [--all] [--json]`:
//! acknowledgements kept in the history store beside the silences, honoured
//! by every dashboard and watcher sharing it.

use std::time::SystemTime;

use super::args::{AckArgs, GlobalArgs};
use super::{CliError, Outcome};
use crate::alerts::deliver::rfc3339;
use crate::domain::alert_state::from_unix;
use crate::history::acks::{self, StoredAck};
use crate::history::alert_tables as persist;
use crate::i18n::cli::CliStrings;
use crate::i18n::{fill, strings};

/// Alert states that can be acknowledged: something was told and is not over.
const ACKABLE: &[&str] = &["down", "error", "flapping"];

pub fn run(global: &GlobalArgs, args: &AckArgs) -> Result<Outcome, CliError> {
    let path = super::silence::store_path(global)?;
    let conn = persist::open(&path).map_err(|e| {
        CliError(fill(
            strings().cli.store_open_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    if args.list {
        return list(&conn, args.all, args.json);
    }
    if args.reason.chars().any(|c| c.is_control()) {
        return Err(CliError(strings().cli.ack_reason_control.into()));
    }
    let states = persist::load_state(&conn).map_err(|e| {
        CliError(fill(
            strings().cli.ack_state_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    // All or none: a typo in one id must not leave the others half done.
    for id in &args.ids {
        let state = states.iter().find(|s| &s.instance_id == id);
        if !state.is_some_and(|s| ACKABLE.contains(&s.state.as_str())) {
            let t = strings().cli;
            let why = state.map_or(t.ack_never_told.to_string(), |s| {
                fill(t.ack_last_told, &[("state", state_word(&s.state))])
            });
            return Err(CliError(fill(
                t.ack_not_down,
                &[("id", &clean(id)), ("why", &why)],
            )));
        }
    }
    let now = SystemTime::now();
    let who = std::env::var("USER").unwrap_or_default();
    for id in &args.ids {
        let n = acks::add_ack(&conn, id, now, &who, &args.reason).map_err(|e| {
            CliError(fill(
                strings().cli.ack_save_failed,
                &[("e", &e.to_string())],
            ))
        })?;
        println!(
            "{}",
            fill(
                strings().cli.ack_done,
                &[("n", &n.to_string()), ("id", &clean(id))]
            )
        );
    }
    Ok(Outcome::Ok)
}

fn list(conn: &rusqlite::Connection, all: bool, json: bool) -> Result<Outcome, CliError> {
    let rows = acks::list_acks(conn, !all, None).map_err(|e| {
        CliError(fill(
            strings().cli.ack_read_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|a| {
                serde_json::json!({
                    "id": a.id,
                    "instance": a.instance_id,
                    "acked_at": rfc3339(from_unix(a.acked_at)),
                    "by": a.acked_by,
                    "reason": a.reason,
                    "ended_at": a.ended_at.map(|t| rfc3339(from_unix(t))),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(Outcome::Ok);
    }
    let t = strings().cli;
    if rows.is_empty() {
        println!("{}", if all { t.ack_none } else { t.ack_none_in_force });
        return Ok(Outcome::Ok);
    }
    println!(
        "{:>4}  {:<16}  {:<20}  {:<10}  {:<20}  {}",
        "N",
        t.ack_head_instance,
        t.ack_head_since,
        t.ack_head_by,
        t.ack_head_ended,
        t.ack_head_reason
    );
    for a in &rows {
        println!(
            "{:>4}  {:<16}  {:<20}  {:<10}  {:<20}  {}",
            a.id,
            clean(&a.instance_id),
            rfc3339(from_unix(a.acked_at)),
            clean(&a.acked_by),
            a.ended_at
                .map_or(t.ack_in_force.to_string(), |at| rfc3339(from_unix(at))),
            clean(&a.reason)
        );
    }
    Ok(Outcome::Ok)
}

/// The note `history` adds to the period an ack was made in:
/// "acknowledged by ana 2026-12-04T12:00:00Z: ISP outage", in the words of
/// `t` (English for `--json`).
pub fn note(
    acks: &[StoredAck],
    id: &str,
    start_ms: i64,
    end_ms: Option<i64>,
    t: &CliStrings,
) -> Option<String> {
    let a = acks::ack_in(acks, id, start_ms, end_ms)?;
    let mut text = String::from(t.ack_note);
    if !a.acked_by.is_empty() {
        text.push(' ');
        text.push_str(&fill(t.ack_note_by, &[("who", &clean(&a.acked_by))]));
    }
    text.push_str(&format!(" {}", rfc3339(from_unix(a.acked_at))));
    if !a.reason.is_empty() {
        text.push_str(&format!(": {}", clean(&a.reason)));
    }
    Some(text)
}

/// An alert state as the user's language says it ("flapping…" may carry
/// more after the word); a state added later is shown as stored.
fn state_word(state: &str) -> &str {
    let t = strings().cli;
    match state {
        "up" => t.state_up,
        "down" => t.state_down,
        "error" => strings().error,
        s if s.starts_with("flapping") => t.state_flapping,
        s => s,
    }
}

/// Stored text is data: never terminal control.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
