//! `wadash history [ID…] [--since 24h] [--json]`: the stored periods,
//! newest first, with the gaps nobody observed.

use serde::Serialize;

use super::args::{GlobalArgs, HistoryArgs};
use super::store_access::{self, clean, human, rfc3339};
use super::{CliError, Outcome};
use crate::history::query::{self, Listed};
use crate::i18n::{fill, strings};

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
    /// "acknowledged by ana 2026-12-04T12:00:00Z: ISP outage" when an ack
    /// was made during this period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ack: Option<String>,
    /// The maintenance window this period fell in ('planned' time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned: Option<String>,
}

pub async fn run(global: &GlobalArgs, args: &HistoryArgs) -> Result<Outcome, CliError> {
    let view = store_access::open(global, &args.ids).await?;
    let now = store_access::now_ms();
    let since = now - i64::try_from(args.since.as_millis()).unwrap_or(i64::MAX / 2);
    // A file no wadash with acks has written yet has no table: no acks.
    let acks = crate::history::acks::list_acks(&view.conn, false, None).unwrap_or_default();
    let mut planned = std::collections::HashMap::new();
    for id in &view.ids {
        let spells = crate::history::acks::planned_spells(&view.conn, id).unwrap_or_default();
        planned.insert(id.clone(), spells);
    }
    let mut all: Vec<(String, Listed)> = Vec::new();
    for id in &view.ids {
        let stored = query::instance_periods(&view.conn, id, since, now).map_err(|e| {
            CliError(fill(
                strings().cli.reading_history,
                &[("e", &e.to_string())],
            ))
        })?;
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
            // Data for scripts: in English whatever the language.
            ack: super::ack::note(&acks, id, l.start, l.end, crate::i18n::EN.cli),
            planned: crate::history::acks::planned_note(&planned[id], l.start, l.end, now),
        })
        .collect();
    let out = if args.json {
        let mut json = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError(fill(strings().cli.json_failed, &[("e", &e.to_string())])))?;
        json.push('\n');
        json
    } else {
        let window = super::window::window_line(args.since, since, now);
        format!("{window}\n{}", table(&all, &view, now, &acks, &planned))
    };
    store_access::print_all(&out);
    Ok(Outcome::Ok)
}

fn table(
    all: &[(String, Listed)],
    view: &store_access::StoreView,
    now: i64,
    acks: &[crate::history::acks::StoredAck],
    planned: &std::collections::HashMap<String, Vec<crate::history::acks::Spell>>,
) -> String {
    use unicode_width::UnicodeWidthStr;
    let s = strings();
    let t = s.cli;
    if all.is_empty() {
        return format!("{}\n", s.history_nothing);
    }
    let state_word = |l: &Listed| match l.state.as_str() {
        "unobserved" => t.hist_unobserved,
        api => s.status_word(api),
    };
    let label_w = all
        .iter()
        .map(|(id, _)| clean(view.label(id)).width())
        .max()
        .unwrap_or(0)
        .max(t.hist_head_label.width());
    let state_w = all
        .iter()
        .map(|(_, l)| state_word(l).width())
        .max()
        .unwrap_or(0)
        .max(t.hist_head_status.width())
        .max(10);
    let mut out = String::new();
    pad(&mut out, t.hist_head_start, 20);
    pad(&mut out, t.hist_head_duration, 9);
    pad(&mut out, t.hist_head_label, label_w);
    pad(&mut out, t.hist_head_status, state_w);
    out.push_str(t.hist_head_why);
    out.push('\n');
    for (id, l) in all {
        let label = clean(view.label(id));
        let duration = match l.end {
            Some(end) => human(end - l.start),
            None => format!("{}…", human(now - l.start)),
        };
        let mut why = l.detail.as_deref().map(clean).unwrap_or_default();
        match (l.cause.as_deref(), l.qr_to_link_ms) {
            (Some("user_disconnect"), _) => why.push_str(&format!(" ({})", t.hist_disconnected)),
            (Some("qr_linked"), Some(ms)) => {
                let linked = fill(t.hist_linked_in, &[("d", &human(ms))]);
                why.push_str(&format!(" ({linked})"))
            }
            (Some("qr_linked"), None) => why.push_str(&format!(" ({})", t.hist_linked)),
            _ => {}
        }
        if let Some(ack) = super::ack::note(acks, id, l.start, l.end, t) {
            why.push_str(&format!(" ({ack})"));
        }
        if let Some(name) = crate::history::acks::planned_note(&planned[id], l.start, l.end, now) {
            let planned = fill(t.hist_planned, &[("name", &clean(&name))]);
            why.push_str(&format!(" ({planned})"));
        }
        let start = rfc3339(l.start).replace('T', " ");
        pad(&mut out, &start, 20);
        pad(&mut out, &duration, 9);
        pad(&mut out, &label, label_w);
        pad(&mut out, state_word(l), state_w);
        out.push_str(why.trim());
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
    }
    out
}

/// `text` and the spaces that fill its column to `width`, then the gap.
fn pad(out: &mut String, text: &str, width: usize) {
    use unicode_width::UnicodeWidthStr;
    out.push_str(text);
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(text.width()) + 2,
    ));
}
