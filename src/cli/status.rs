//! `wadash status`: check every (or the named) instance now, N in flight,
//! and print a table or JSON. The exit code sums it up for cron.

use std::fmt::Write as _;
use std::time::Instant;

use futures_util::stream::{self, StreamExt};
use serde::Serialize;

use super::args::{GlobalArgs, StatusArgs};
use super::context::{Context, unknown_instance_message};
use super::{CliError, Outcome};
use crate::api::{Account, ApiError, Client, InstanceStatus, StatusReply};
use crate::config::RosterInstance;
use crate::i18n::{fill, strings};

/// One line of `--json`.
#[derive(Debug, Serialize)]
pub struct StatusRow<'a> {
    pub id: &'a str,
    pub label: &'a str,
    /// `active`, `inactive`, `unknown` or `error`.
    pub status: &'static str,
    /// The server's text, or the error message (server text — hint).
    pub detail: String,
    pub latency_ms: u64,
}

pub async fn run(global: &GlobalArgs, args: &StatusArgs) -> Result<Outcome, CliError> {
    let ctx = Context::load_for(global, &args.ids).await?;
    ctx.print_notices();
    let targets = select(&ctx, &args.ids)?;
    if targets.is_empty() {
        return Err(CliError(strings().cli.status_none.into()));
    }
    let results = check_all(&targets, ctx.concurrency(global)).await;
    // A cron job of `wadash status` builds history without a dashboard.
    let seen = observations(&targets, &results);
    let history = ctx.history.clone();
    let notices = tokio::task::spawn_blocking(move || crate::history::record_once(&history, seen))
        .await
        .unwrap_or_default();
    for notice in notices {
        crate::say_err!("{}: {notice}", crate::i18n::strings().word_warning);
    }
    let rows: Vec<StatusRow> = targets
        .iter()
        .zip(&results)
        .map(|((inst, _), (result, latency_ms))| row(inst, result, *latency_ms))
        .collect();
    let out = if args.json {
        let mut json = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError(fill(strings().cli.json_failed, &[("e", &e.to_string())])))?;
        json.push('\n');
        // Exact once decoded, but never a key nor a raw control.
        crate::sanitize::for_json(&json)
    } else {
        table(&rows)
    };
    print_all(&out);
    summarise(&rows)
}

type Target<'a> = (&'a RosterInstance, &'a Account);

/// The named instances in the order given, or all of them, each with its
/// account. Every unknown id is named at once, not just the first.
fn select<'a>(ctx: &'a Context, ids: &[String]) -> Result<Vec<Target<'a>>, CliError> {
    if ids.is_empty() {
        return ctx
            .roster
            .instances
            .iter()
            .map(|i| ctx.find(&i.id))
            .collect();
    }
    let mut found = Vec::with_capacity(ids.len());
    let mut unknown = Vec::new();
    for id in ids {
        if ctx.roster.instances.iter().any(|i| &i.id == id) {
            found.push(ctx.find(id)?);
        } else {
            unknown.push(id.as_str());
        }
    }
    if !unknown.is_empty() {
        return Err(CliError(unknown_instance_message(&unknown, ctx)));
    }
    Ok(found)
}

type Checked = (Result<StatusReply, ApiError>, u64);

/// All checks through one client, at most `concurrency` in flight; results
/// come back in the order of `targets` (a slow one does not hold back the rest).
async fn check_all(targets: &[Target<'_>], concurrency: usize) -> Vec<Checked> {
    let client = Client::new();
    let client = &client;
    let mut done: Vec<(usize, Checked)> = stream::iter(targets.iter().enumerate())
        .map(|(index, (inst, account))| async move {
            let started = Instant::now();
            let result = client.status(account, &inst.id).await;
            let latency = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            (index, (result, latency))
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, checked)| checked).collect()
}

fn observations(targets: &[Target<'_>], results: &[Checked]) -> Vec<crate::history::Observation> {
    use crate::domain::{Cause, Observation, Seen};
    let at = std::time::SystemTime::now();
    targets
        .iter()
        .zip(results)
        .map(|((inst, _), (result, latency_ms))| {
            let (kind, detail) = match result {
                Ok(reply) => Seen::of_reply(&reply.status, &reply.text),
                Err(e) => (Seen::Error, e.kind().to_string()),
            };
            Observation {
                id: inst.id.clone(),
                at,
                kind,
                detail: Some(detail),
                cause: Cause::Poll,
                latency: Some(std::time::Duration::from_millis(*latency_ms)),
            }
        })
        .collect()
}

fn row<'a>(
    inst: &'a RosterInstance,
    result: &Result<StatusReply, ApiError>,
    latency_ms: u64,
) -> StatusRow<'a> {
    let (status, detail) = match result {
        Ok(reply) => (reply.status.as_str(), reply.text.clone()),
        Err(error) => ("error", error.to_string()),
    };
    StatusRow {
        id: &inst.id,
        label: &inst.label,
        status,
        detail,
        latency_ms,
    }
}

/// Exit 2 if anything failed, 1 if anything is not active, else 0.
fn summarise(rows: &[StatusRow]) -> Result<Outcome, CliError> {
    let errors = rows.iter().filter(|r| r.status == "error").count();
    if errors > 0 {
        // The table already shows which; stderr gets one line for logs and cron mail.
        return Err(CliError(fill(
            strings().cli.status_errors,
            &[
                ("errors", &errors.to_string()),
                ("n", &rows.len().to_string()),
            ],
        )));
    }
    let active = InstanceStatus::Active.as_str();
    if rows.iter().all(|r| r.status == active) {
        Ok(Outcome::Ok)
    } else {
        Ok(Outcome::NotActive)
    }
}

/// Columns sized to their content; the error column last, unpadded. Every
/// cell is server or config text: through the sanitiser before measuring.
fn table(rows: &[StatusRow]) -> String {
    use crate::sanitize::for_terminal;
    use unicode_width::UnicodeWidthStr;
    let cells: Vec<[String; 3]> = rows
        .iter()
        .map(|r| {
            [
                for_terminal(r.label).into_owned(),
                for_terminal(r.id).into_owned(),
                for_terminal(&r.detail).into_owned(),
            ]
        })
        .collect();
    let rows: Vec<StatusRow> = rows
        .iter()
        .zip(&cells)
        .map(|(r, [label, id, detail])| StatusRow {
            id,
            label,
            status: r.status,
            detail: detail.clone(),
            latency_ms: r.latency_ms,
        })
        .collect();
    let rows = &rows[..];
    // Headers and status words in the user's language; `--json` keeps the API's.
    let s = crate::i18n::strings();
    let title = |word: &str| word.to_uppercase();
    let (label_t, id_t, status_t) = (title(s.col_label), title(s.col_id), title(s.col_status));
    let width = |f: &dyn Fn(&StatusRow) -> usize, title: &str| {
        rows.iter().map(f).max().unwrap_or(0).max(title.width())
    };
    let label_w = width(&|r| r.label.width(), &label_t);
    let id_w = width(&|r| r.id.width(), &id_t);
    let status_w = width(&|r| s.status_word(r.status).width(), &status_t);
    let mut out = String::with_capacity(rows.len() * 80);
    let pad = |out: &mut String, text: &str, w: usize| {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', w.saturating_sub(text.width()) + 2));
    };
    pad(&mut out, &label_t, label_w);
    pad(&mut out, &id_t, id_w);
    pad(&mut out, &status_t, status_w);
    pad(&mut out, &title(s.col_latency), 8);
    out.push_str(&title(s.error));
    out.push('\n');
    for r in rows {
        pad(&mut out, r.label, label_w);
        pad(&mut out, r.id, id_w);
        pad(&mut out, s.status_word(r.status), status_w);
        let _ = write!(out, "{:>7}   ", format!("{} ms", r.latency_ms));
        match r.status {
            "error" | "unknown" => out.push_str(&r.detail),
            _ => {}
        }
        // Trailing spaces of the padding are noise in a terminal copy-paste.
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}

/// stdout closed early (`| head`) is not an error worth a panic.
fn print_all(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r<'a>(status: &'static str, detail: &str) -> StatusRow<'a> {
        StatusRow {
            id: "id-1",
            label: "Tienda Lima",
            status,
            detail: detail.into(),
            latency_ms: 12,
        }
    }

    #[test]
    fn exit_code_follows_the_worst_row() {
        assert_eq!(summarise(&[r("active", "")]).unwrap(), Outcome::Ok);
        assert_eq!(
            summarise(&[r("active", ""), r("inactive", "")]).unwrap(),
            Outcome::NotActive
        );
        assert_eq!(
            summarise(&[r("unknown", "raw")]).unwrap(),
            Outcome::NotActive
        );
        assert!(summarise(&[r("inactive", ""), r("error", "x")]).is_err());
    }

    #[test]
    fn table_shows_errors_and_aligns() {
        let text = table(&[
            r("active", "Instancia activa"),
            r("error", "Instancia no encontrada — check the apiKey and id"),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("LABEL"));
        assert!(lines[1].contains("active") && !lines[1].contains("Instancia activa"));
        assert!(lines[2].ends_with("check the apiKey and id"));
        let col = |l: &str| l.find("12 ms").unwrap();
        assert_eq!(col(lines[1]), col(lines[2]));
    }
}
