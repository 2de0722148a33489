//! `wadash silence ID|tag:T|status:S --for 2h [--comment …]`, `silence list`,
//! `silence rm N`: silences kept in the history store, honoured by every
//! dashboard and watcher that shares it.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::args::{GlobalArgs, SilenceArgs, SilenceCommand};
use super::{CliError, Outcome};
use crate::alerts::deliver::rfc3339;
use crate::config::Config;
use crate::engine::alerts::{Matcher, from_unix, unix};
use crate::history::alert_tables::{self as persist, StoredSilence};
use crate::i18n::{fill, strings};

/// Silences longer than this are a typo (`--for 2000h`?).
const MAX_SILENCE: Duration = Duration::from_secs(366 * 24 * 3600);

pub fn run(global: &GlobalArgs, args: &SilenceArgs) -> Result<Outcome, CliError> {
    let path = store_path(global)?;
    match &args.command {
        Some(SilenceCommand::List { all, json }) => list(&path, *all, *json),
        Some(SilenceCommand::Rm { id }) => remove(&path, *id),
        None => add(&path, args),
    }
}

/// The history file of the config's `[history]` (silences live there).
pub(crate) fn store_path(global: &GlobalArgs) -> Result<PathBuf, CliError> {
    if global.demo {
        return Err(CliError(strings().cli.sil_demo.into()));
    }
    let config = match Config::locate(global.config.as_deref()) {
        Some(path) => Config::load_or_empty(&path)?,
        None => Config::default(),
    };
    if !config.history.enabled {
        return Err(CliError(strings().cli.sil_history_off.into()));
    }
    config
        .history
        .resolved_path()
        .ok_or_else(|| CliError(strings().cli.sil_no_home.into()))
}

fn open(path: &std::path::Path) -> Result<rusqlite::Connection, CliError> {
    persist::open(path).map_err(|e| {
        CliError(fill(
            strings().cli.store_open_failed,
            &[("e", &e.to_string())],
        ))
    })
}

fn add(path: &std::path::Path, args: &SilenceArgs) -> Result<Outcome, CliError> {
    if args.matcher.is_empty() {
        return Err(CliError(strings().cli.sil_say_what.into()));
    }
    let text = args.matcher.join(" ");
    // The matcher's own refusal is English (config files quote it): the
    // same checks first, in the user's words.
    let filter = crate::domain::filter::Filter::parse(&text);
    if let Some(bad) = filter.errors.first() {
        return Err(CliError(bad.describe(strings())));
    }
    if filter.is_empty() {
        return Err(CliError(strings().cli.sil_empty_matcher.into()));
    }
    let matcher = Matcher::silence(&text).map_err(CliError)?;
    let Some(duration) = args.duration else {
        return Err(CliError(fill(
            strings().cli.sil_say_how_long,
            &[("text", &text)],
        )));
    };
    if duration > MAX_SILENCE {
        return Err(CliError(strings().cli.sil_too_long.into()));
    }
    if args.comment.chars().any(|c| c.is_control()) {
        return Err(CliError(strings().cli.sil_comment_control.into()));
    }
    let now = SystemTime::now();
    let ends = now + duration;
    let who = std::env::var("USER").unwrap_or_default();
    let conn = open(path)?;
    let id =
        persist::add_silence(&conn, &matcher, now, ends, &args.comment, &who).map_err(|e| {
            CliError(fill(
                strings().cli.sil_save_failed,
                &[("e", &e.to_string())],
            ))
        })?;
    println!(
        "{}",
        fill(
            strings().cli.sil_added,
            &[
                ("id", &id.to_string()),
                ("matcher", matcher.text()),
                ("until", &rfc3339(ends)),
                ("left", &humantime::format_duration(duration).to_string()),
            ]
        )
    );
    Ok(Outcome::Ok)
}

fn list(path: &std::path::Path, all: bool, json: bool) -> Result<Outcome, CliError> {
    let now = SystemTime::now();
    let conn = open(path)?;
    let rows = persist::list_silences(&conn, (!all).then_some(now)).map_err(|e| {
        CliError(fill(
            strings().cli.sil_read_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id,
                    "matcher": s.matcher,
                    "starts_at": rfc3339(from_unix(s.starts_at)),
                    "ends_at": rfc3339(from_unix(s.ends_at)),
                    "comment": s.comment,
                    "created_by": s.created_by,
                    "active": active(s, now),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(Outcome::Ok);
    }
    let t = strings().cli;
    if rows.is_empty() {
        println!("{}", if all { t.sil_none } else { t.sil_none_in_force });
        return Ok(Outcome::Ok);
    }
    println!(
        "{:>4}  {:<24}  {:<20}  {:<12}  {:<10}  {}",
        "N",
        t.sil_head_matcher,
        t.sil_head_until,
        t.sil_head_left,
        t.sil_head_by,
        t.sil_head_comment
    );
    for s in &rows {
        let left = if active(s, now) {
            let secs = (s.ends_at - unix(now)).max(0) as u64;
            humantime::format_duration(Duration::from_secs(secs)).to_string()
        } else if s.starts_at > unix(now) {
            t.sil_not_yet.into()
        } else {
            t.sil_ended.into()
        };
        println!(
            "{:>4}  {:<24}  {:<20}  {:<12}  {:<10}  {}",
            s.id,
            clean(&s.matcher),
            rfc3339(from_unix(s.ends_at)),
            left,
            clean(&s.created_by),
            clean(&s.comment)
        );
    }
    Ok(Outcome::Ok)
}

fn remove(path: &std::path::Path, id: i64) -> Result<Outcome, CliError> {
    let conn = open(path)?;
    let t = strings().cli;
    let n = id.to_string();
    let found = persist::get_silence(&conn, id).map_err(|e| {
        CliError(fill(
            strings().cli.sil_read_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    let Some(s) = found else {
        return Err(CliError(fill(t.sil_no_such, &[("id", &n)])));
    };
    persist::remove_silence(&conn, id).map_err(|e| {
        CliError(fill(
            t.sil_remove_failed,
            &[("id", &n), ("e", &e.to_string())],
        ))
    })?;
    println!(
        "{}",
        fill(
            t.sil_removed,
            &[("id", &n), ("matcher", &clean(&s.matcher))]
        )
    );
    Ok(Outcome::Ok)
}

fn active(s: &StoredSilence, now: SystemTime) -> bool {
    s.starts_at <= unix(now) && unix(now) < s.ends_at
}

/// Stored text is data: never terminal control.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
