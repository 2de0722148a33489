//! What `history` and `report` share: the store to read (config or
//! `--demo`), the labels, the instances to cover, and making stored
//! server texts safe to print.

use std::collections::HashMap;
use std::time::SystemTime;

use rusqlite::Connection;

use super::CliError;
use super::args::GlobalArgs;
use super::context::Context;
use crate::config::Config;
use crate::history::{self, query};
use crate::i18n::{fill, strings};

/// An open store with the labels the config gives its instances.
pub struct StoreView {
    pub conn: Connection,
    /// Config order first, then ids only the store knows.
    pub ids: Vec<String>,
    pub labels: HashMap<String, String>,
    /// Keeps `--demo`'s sandbox and temp dir alive while reading.
    _demo: Option<Context>,
}

impl StoreView {
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.labels.get(id).map_or(id, String::as_str)
    }
}

/// Open the store read-only. Reads the config file only (no keys are
/// resolved: reading history needs none).
pub async fn open(global: &GlobalArgs, wanted: &[String]) -> Result<StoreView, CliError> {
    let (history, instances, demo) = if global.demo {
        let ctx = Context::load(global).await?;
        let instances: Vec<(String, String)> = ctx
            .roster
            .instances
            .iter()
            .map(|i| (i.id.clone(), i.label.clone()))
            .collect();
        (ctx.history.clone(), instances, Some(ctx))
    } else {
        let config = match Config::locate(global.config.as_deref()) {
            Some(path) => Config::load_or_empty(&path)?,
            None => Config::default(),
        };
        super::lang::choose(global, config.ui.lang.as_deref());
        let instances = config
            .instances
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.label.clone().unwrap_or_else(|| i.id.clone()),
                )
            })
            .collect();
        (config.history, instances, None)
    };
    if !history.enabled {
        return Err(CliError(strings().cli.hist_is_off.into()));
    }
    let path = history
        .resolved_path()
        .ok_or_else(|| CliError(strings().cli.hist_no_place.into()))?;
    if !path.exists() {
        return Err(CliError(fill(
            strings().cli.hist_none_yet,
            &[("path", &crate::config::display_path(&path))],
        )));
    }
    let conn = history::store::open_reader(&path).map_err(|e| CliError(e.0))?;
    let known = query::known_ids(&conn).map_err(|e| {
        CliError(fill(
            strings().cli.reading_history,
            &[("e", &e.to_string())],
        ))
    })?;
    let labels: HashMap<String, String> = instances.iter().cloned().collect();
    let ids = if wanted.is_empty() {
        let mut ids: Vec<String> = instances.iter().map(|(id, _)| id.clone()).collect();
        let mut extra: Vec<String> = known
            .into_iter()
            .filter(|id| !labels.contains_key(id))
            .collect();
        extra.sort();
        ids.extend(extra);
        ids
    } else {
        let unknown: Vec<&str> = wanted
            .iter()
            .filter(|id| !labels.contains_key(*id) && known.binary_search(id).is_err())
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            let ids = unknown
                .iter()
                .map(|u| format!("`{}`", clean(u)))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CliError(fill(
                strings().cli.hist_unknown_ids,
                &[("ids", &ids)],
            )));
        }
        wanted.to_vec()
    };
    Ok(StoreView {
        conn,
        ids,
        labels,
        _demo: demo,
    })
}

/// "now" for both commands, in the store's unit.
pub fn now_ms() -> i64 {
    history::ms(SystemTime::now())
}

/// Stored texts came from a server: shown through the one sanitiser
/// (control characters visible, keys redacted), never obeyed.
pub fn clean(text: &str) -> String {
    crate::sanitize::for_terminal(text).into_owned()
}

/// RFC 3339 UTC, whole seconds.
pub fn rfc3339(ms: i64) -> String {
    humantime::format_rfc3339_seconds(history::from_ms(ms.max(0))).to_string()
}

/// "3h 12m", "45s", "2d 4h": two units at most.
pub fn human(ms: i64) -> String {
    let s = (ms.max(0) / 1000) as u64;
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, _) => format!("{m}m {sec:02}s"),
        (0, _, _) => format!("{h}h {m:02}m"),
        _ => format!("{d}d {h:02}h"),
    }
}

/// stdout closed early (`| head`) is not an error.
pub fn print_all(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_drive_the_terminal() {
        let t = clean("ok\u{1b}[2J\u{7}\r\nnext\u{202e}");
        assert!(!t.chars().any(|c| c.is_control()), "{t:?}");
        assert!(t.contains("␛[2J") && t.contains("<U+202E>"), "{t}");
        assert_eq!(clean("Instancia activa ñ"), "Instancia activa ñ");
    }

    #[test]
    fn durations_read_like_a_human_wrote_them() {
        assert_eq!(human(45_000), "45s");
        assert_eq!(human(12 * 60_000 + 5_000), "12m 05s");
        assert_eq!(human(3 * 3_600_000 + 60_000), "3h 01m");
        assert_eq!(human(2 * 86_400_000 + 4 * 3_600_000), "2d 04h");
    }
}
