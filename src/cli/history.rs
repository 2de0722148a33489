//! `wadash history [ID…] [--since 24h] [--json]`: the stored periods,
//! newest first, with the gaps nobody observed.

use serde::Serialize;

use super::args::{GlobalArgs, HistoryArgs};
use super::store_access::{self, clean, human, rfc3339};
use super::{CliError, Outcome};
use crate::history::query::{self, Listed};

/// One element of `--json`.
#[derive(Debug, Serialize)]
pub struct HistoryRow {
    pub id: String,
    pub label: String,
    /// active | inactive | unknown | error | unobserved
    pub status: &'static str,
    pub start: String,
    /// None while ongoing.
    pub end: Option<String>,
    pub detail: Option<String>,
    /// poll | user_disconnect | qr_linked; None for unobserved time.
    pub cause: Option<String>,
}

pub async fn run(global: &GlobalArgs, args: &HistoryArgs) -> Result<Outcome, CliError> {
    let view = store_access::open(global, &args.ids).await?;
    let now = store_access::now_ms();
    let since = now - i64::try_from(args.since.as_millis()).unwrap_or(i64::MAX / 2);
    let mut all: Vec<(String, Listed)> = Vec::new();
    for id in &view.ids {
        let stored = query::instance_periods(&view.conn, id, since, now)
            .map_err(|e| CliError(format!("reading history: {e}")))?;
        if stored.is_empty() {
            continue;
        }
        for listed in query::listing(&stored, since, now) {
            all.push((id.clone(), listed));
        }
    }
    // Newest first across instances; the same start keeps the id order.
    all.sort_by_key(|b| std::cmp::Reverse(b.1.start));
    let rows: Vec<HistoryRow> = all
        .iter()
        .map(|(id, l)| HistoryRow {
            id: id.clone(),
            label: view.label(id).to_string(),
            status: l.state.as_str(),
            start: rfc3339(l.start),
            end: l.end.map(rfc3339),
            detail: l.detail.clone(),
            cause: l.cause.clone(),
        })
        .collect();
    let out = if args.json {
        let mut json = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError(format!("could not write JSON: {e}")))?;
        json.push('\n');
        json
    } else {
        let window = super::window::window_line(args.since, since, now);
        format!("{window}\n{}", table(&all, &view, now))
    };
    store_access::print_all(&out);
    Ok(Outcome::Ok)
}

fn table(all: &[(String, Listed)], view: &store_access::StoreView, now: i64) -> String {
    use unicode_width::UnicodeWidthStr;
    if all.is_empty() {
        return format!("{}\n", crate::i18n::strings().history_nothing);
    }
    let label_w = all
        .iter()
        .map(|(id, _)| clean(view.label(id)).width())
        .max()
        .unwrap_or(0)
        .max(5);
    let mut out = format!(
        "{:<20}  {:<9}  {:<label_w$}  {:<10}  DETAIL / CAUSE\n",
        "START (UTC)", "DURATION", "LABEL", "STATUS"
    );
    for (id, l) in all {
        let label = clean(view.label(id));
        let duration = match l.end {
            Some(end) => human(end - l.start),
            None => format!("{}…", human(now - l.start)),
        };
        let mut why = l.detail.as_deref().map(clean).unwrap_or_default();
        match (l.cause.as_deref(), l.qr_to_link_ms) {
            (Some("user_disconnect"), _) => why.push_str(" (disconnected from wadash)"),
            (Some("qr_linked"), Some(ms)) => {
                why.push_str(&format!(" (linked via QR in {})", human(ms)))
            }
            (Some("qr_linked"), None) => why.push_str(" (linked via QR)"),
            _ => {}
        }
        let pad = label_w.saturating_sub(label.width());
        let start = rfc3339(l.start).replace('T', " ");
        out.push_str(&format!(
            "{start:<20}  {duration:<9}  {label}{:pad$}  {:<10}  {}",
            "",
            l.state.as_str(),
            why.trim()
        ));
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}
