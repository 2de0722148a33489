//! `wadash report [--since 7d] [--format table|csv|json] [ID…]`: per
//! instance uptime, drops, downtime, longest outage, mean time to
//! reconnect, observed and error time. Streams the store: a million
//! periods never sit in memory at once.

use std::collections::HashMap;

use serde::Serialize;

use super::args::{GlobalArgs, ReportArgs, ReportFormat};
use super::store_access::{self, clean, human};
use super::{CliError, Outcome};
use crate::history::{Summary, query, uptime};
use crate::i18n::{fill, strings};

/// One element of `--format json` (exactly these fields).
#[derive(Debug, Serialize)]
pub struct ReportRow {
    pub id: String,
    pub label: String,
    /// Null when nothing was observed.
    pub uptime_pct: Option<f64>,
    pub drops: u32,
    pub down_s: u64,
    pub longest_down_s: u64,
    /// Active + inactive + unknown.
    pub observed_s: u64,
    pub error_s: u64,
    /// Disconnected on purpose (`D`) or down inside a maintenance window:
    /// neither drops nor down time.
    pub planned_s: u64,
}

fn secs(ms: i64) -> u64 {
    (ms.max(0) / 1000) as u64
}

pub async fn run(global: &GlobalArgs, args: &ReportArgs) -> Result<Outcome, CliError> {
    let mut view = store_access::open(global, &args.ids).await?;
    let left_out = super::window::keep_configured(&mut view, !args.ids.is_empty(), args.all);
    let now = store_access::now_ms();
    let since = now - i64::try_from(args.since.as_millis()).unwrap_or(i64::MAX / 2);
    let mut sums: HashMap<String, Summary> = HashMap::with_capacity(view.ids.len());
    // Maintenance windows are planned time, as a `D` is.
    let spells = crate::history::acks::all_planned_spells(&view.conn);
    query::for_each_instance(&view.conn, &args.ids, since, now, |id, periods| {
        let planned = spells.get(id).map_or(&[][..], Vec::as_slice);
        let sum = uptime::planned::window_summary(periods, planned, since, now);
        sums.insert(id.to_string(), sum);
    })
    .map_err(|e| {
        CliError(fill(
            strings().cli.reading_history,
            &[("e", &e.to_string())],
        ))
    })?;
    let empty = uptime::summarise(&[], since, now);
    let rows: Vec<(ReportRow, Option<i64>)> = view
        .ids
        .iter()
        .map(|id| {
            let s = sums.get(id).copied().unwrap_or(empty);
            (
                ReportRow {
                    id: id.clone(),
                    label: view.label(id).to_string(),
                    uptime_pct: s.uptime_pct().map(|p| (p * 1000.0).round() / 1000.0),
                    drops: s.drops,
                    down_s: secs(s.down),
                    longest_down_s: secs(s.longest_down),
                    observed_s: secs(s.observed()),
                    error_s: secs(s.error),
                    planned_s: secs(s.planned),
                },
                s.mttr(),
            )
        })
        .collect();
    let out = match args.format {
        ReportFormat::Json => {
            let only: Vec<&ReportRow> = rows.iter().map(|(r, _)| r).collect();
            let mut json = serde_json::to_string_pretty(&only)
                .map_err(|e| CliError(fill(strings().cli.json_failed, &[("e", &e.to_string())])))?;
            json.push('\n');
            json
        }
        ReportFormat::Csv => csv(&rows),
        ReportFormat::Table => {
            // The window and what was left out, for people; csv and json
            // stay data only (their reader chose --since).
            let mut text = format!("{}\n", super::window::window_line(args.since, since, now));
            text.push_str(&table(&rows));
            if left_out > 0 {
                text.push_str(&format!("{}\n", super::window::left_out_line(left_out)));
            }
            text
        }
    };
    if left_out > 0 && args.format != ReportFormat::Table {
        crate::say_err!("{}", super::window::left_out_line(left_out));
    }
    store_access::print_all(&out);
    Ok(Outcome::Ok)
}

fn csv_field(text: &str) -> String {
    // Spreadsheets run cells that start with = + - @ as formulas.
    let text = clean(text);
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text
    };
    if guarded.contains([',', '"', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn csv(rows: &[(ReportRow, Option<i64>)]) -> String {
    let mut out = String::from(
        "id,label,uptime_pct,drops,down_s,longest_down_s,mttr_s,observed_s,error_s,planned_s\n",
    );
    for (r, mttr) in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&r.id),
            csv_field(&r.label),
            r.uptime_pct.map(|p| p.to_string()).unwrap_or_default(),
            r.drops,
            r.down_s,
            r.longest_down_s,
            mttr.map(|m| secs(m).to_string()).unwrap_or_default(),
            r.observed_s,
            r.error_s,
            r.planned_s
        ));
    }
    out
}

fn table(rows: &[(ReportRow, Option<i64>)]) -> String {
    use unicode_width::UnicodeWidthStr;
    let t = strings().cli;
    let label_w = rows
        .iter()
        .map(|(r, _)| clean(&r.label).width())
        .max()
        .unwrap_or(0)
        .max(t.rep_label.width());
    // The figures' columns, each as wide as its header in this language.
    let heads = [
        (t.rep_uptime, 7),
        (t.rep_drops, 5),
        (t.rep_down, 9),
        (t.rep_longest, 9),
        (t.rep_mttr, 9),
        (t.rep_observed, 9),
        (t.rep_errors, 9),
        (t.rep_planned, 9),
    ];
    let widths: Vec<usize> = heads.iter().map(|(h, w)| h.width().max(*w)).collect();
    let line = |first: &str, cells: &[String]| {
        let mut text = first.to_string();
        text.extend(std::iter::repeat_n(
            ' ',
            label_w.saturating_sub(first.width()),
        ));
        for (cell, w) in cells.iter().zip(&widths) {
            text.extend(std::iter::repeat_n(' ', 2 + w.saturating_sub(cell.width())));
            text.push_str(cell);
        }
        text.push('\n');
        text
    };
    let titles: Vec<String> = heads.iter().map(|(h, _)| h.to_string()).collect();
    let mut out = line(t.rep_label, &titles);
    for (r, mttr) in rows {
        let dash = || "—".to_string();
        let cells = [
            r.uptime_pct
                .map(|p| format!("{p:.2}%"))
                .unwrap_or_else(dash),
            r.drops.to_string(),
            human(r.down_s as i64 * 1000),
            human(r.longest_down_s as i64 * 1000),
            mttr.map(human).unwrap_or_else(dash),
            human(r.observed_s as i64 * 1000),
            human(r.error_s as i64 * 1000),
            human(r.planned_s as i64 * 1000),
        ];
        out.push_str(&line(&clean(&r.label), &cells));
    }
    out
}
