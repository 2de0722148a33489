//! The history store on screen: the details pane's strip and sentences,
//! the `h` pane, and the table's uptime/drops cells.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table};

use super::Theme;
use super::format::{clip, clock};
use crate::app::state::App;
use crate::domain::Health;
use crate::history::query::Listed;
use crate::history::reader::InstanceHistory;
use crate::history::{self, State, Summary};
use crate::i18n::Strings;

pub fn style(state: State, theme: &Theme) -> Style {
    theme.health(match state {
        State::Active => Health::Active,
        State::Inactive => Health::Inactive,
        State::Unknown => Health::Unknown,
        State::Error => Health::Error,
        State::Unobserved => Health::NotChecked,
    })
}

/// Glyphs that still read under NO_COLOR.
pub fn glyph(state: State) -> char {
    match state {
        State::Active => '█',
        State::Inactive => '▁',
        State::Unknown => '?',
        State::Error => '×',
        State::Unobserved => '·',
    }
}

pub fn word(state: State, s: &Strings) -> &'static str {
    match state {
        State::Active => s.active,
        State::Inactive => s.inactive,
        State::Unknown => s.unknown,
        State::Error => s.error,
        State::Unobserved => s.hist_not_observed,
    }
}

/// "3h 12m", "12 min", "45 s".
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// The window's strip, `width` cells at most (coloured, glyphs for NO_COLOR).
pub fn strip(detail: &InstanceHistory, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let cells = &detail.strip;
    if cells.is_empty() || width == 0 {
        return Vec::new();
    }
    let n = cells.len().min(width);
    (0..n)
        .map(|i| {
            // Down wins over the cells merged into one when narrower.
            let from = i * cells.len() / n;
            let to = ((i + 1) * cells.len() / n).max(from + 1);
            let state = cells[from..to]
                .iter()
                .copied()
                .min_by_key(|s| match s {
                    State::Inactive | State::Unknown => 0,
                    State::Error => 1,
                    State::Active => 2,
                    State::Unobserved => 3,
                })
                .unwrap_or(State::Unobserved);
            Span::styled(glyph(state).to_string(), style(state, theme))
        })
        .collect()
}

/// "dropped 3× in 24h, last 14:02 for 12 min" (or "no drops in 24h").
pub fn drops_sentence(sum: &Summary, window_ms: i64, s: &Strings) -> String {
    let window = history::window_label(std::time::Duration::from_millis(window_ms.max(0) as u64));
    match sum.last_drop {
        Some(last) if sum.drops > 0 => {
            let for_ = if last.ongoing {
                format!("{} {} {}", s.hist_for, duration(last.lasted), s.hist_so_far)
            } else {
                format!("{} {}", s.hist_for, duration(last.lasted))
            };
            format!(
                "{} {}× {} {window}, {} {} {for_}",
                s.hist_dropped,
                sum.drops,
                s.hist_in,
                s.hist_last,
                &clock(history::from_ms(last.at))[..5],
            )
        }
        _ => format!("{} {window}", s.hist_no_drops),
    }
}

/// "24h 99.1% · 7d 97.0% · 30d —"
pub fn uptimes(detail: &InstanceHistory) -> String {
    history::reader::SIDE_BY_SIDE
        .iter()
        .zip(detail.uptimes)
        .map(|(w, u)| {
            let label = history::window_label(std::time::Duration::from_millis(*w as u64));
            match u {
                Some(p) => format!("{label} {}", pct(p)),
                None => format!("{label} —"),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn pct(p: f64) -> String {
    if (99.95..100.0).contains(&p) {
        "99.9%".into()
    } else if p >= 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.2}%")
    }
}

/// Lines for the details pane (replacing the session's own uptime).
pub fn detail_lines(app: &App, id: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let s = app.strings();
    let Some(detail) = app.history.detail_for(id) else {
        let text = match &app.history.unavailable {
            Some(why) => format!("{}: {}", s.hist_unavailable, clip(why, 60)),
            None => s.hist_loading.to_string(),
        };
        return vec![Line::styled(text, theme.dim())];
    };
    let window = history::window_label(std::time::Duration::from_millis(detail.window_ms as u64));
    let mut strip_line = vec![Span::styled(format!("{window} "), theme.dim())];
    strip_line.extend(strip(detail, width.saturating_sub(window.len() + 2), theme));
    vec![
        Line::from(vec![
            Span::styled(format!("{}: ", s.hist_uptime), theme.dim()),
            Span::raw(uptimes(detail)),
        ]),
        Line::from(strip_line),
        Line::raw(drops_sentence(&detail.summary, detail.window_ms, s)),
    ]
}

fn cause_text(l: &Listed, s: &Strings) -> String {
    let detail = l.detail.as_deref().map(safe).unwrap_or_default();
    let cause = match (l.cause.as_deref(), l.qr_to_link_ms) {
        (Some("user_disconnect"), _) => s.cause_user_disconnect.to_string(),
        (Some("qr_linked"), Some(ms)) => format!("{} ({})", s.cause_qr_linked, duration(ms)),
        (Some("qr_linked"), None) => s.cause_qr_linked.to_string(),
        _ => String::new(),
    };
    match (detail.is_empty(), cause.is_empty()) {
        (_, true) => detail,
        (true, false) => cause,
        (false, false) => format!("{detail} · {cause}"),
    }
}

/// The period's text, then who acknowledged it and the maintenance window
/// it fell in, if any.
fn with_notes(mut text: String, l: &Listed, detail: &InstanceHistory, s: &Strings) -> String {
    let mut add = |note: String| {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&note);
    };
    if let Some(a) = crate::history::acks::ack_in(&detail.acks, &detail.id, l.start, l.end) {
        let at = clock(history::from_ms(a.acked_at * 1000));
        let mut note = format!("{} {} {}", s.alert_acked, safe(&a.acked_by), &at[..5]);
        if !a.reason.is_empty() {
            note.push_str(&format!(": {}", safe(&a.reason)));
        }
        add(note);
    }
    if let Some(name) =
        crate::history::acks::planned_note(&detail.planned, l.start, l.end, detail.now_ms)
    {
        add(format!("{}: {}", s.alert_maintenance, safe(&name)));
    }
    text
}

/// Server text is data: control characters shown, not obeyed.
pub fn safe(text: &str) -> String {
    crate::sanitize::for_terminal(text).into_owned()
}

/// The `h` pane's header: uptimes and the drops sentence on one line when
/// they fit, else each on its own (wrapped, never cut), then the strip.
fn pane_head(
    detail: &InstanceHistory,
    width: usize,
    s: &Strings,
    theme: &Theme,
) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthStr;
    let label = format!("{}: ", s.hist_uptime);
    let ups = uptimes(detail);
    let drops = drops_sentence(&detail.summary, detail.window_ms, s);
    let mut out = Vec::new();
    if label.width() + ups.width() + 3 + drops.width() <= width {
        out.push(Line::from(vec![
            Span::styled(label, theme.dim()),
            Span::raw(ups),
            Span::raw("   "),
            Span::raw(drops),
        ]));
    } else {
        out.push(Line::from(vec![
            Span::styled(label, theme.dim()),
            Span::raw(ups),
        ]));
        out.extend(
            super::wrap::wrap(&drops, width, 2)
                .into_iter()
                .map(Line::raw),
        );
    }
    out.push(Line::from(strip(detail, width, theme)));
    out
}

/// `h`: the selected instance's periods, newest first.
pub fn draw_pane(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let row = app.selected_row();
    let title = match row {
        Some(r) => format!(" {} — {} ", s.hist_title, r.label),
        None => format!(" {} ", s.hist_title),
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(detail) = row.and_then(|r| app.history.detail_for(&r.id)) else {
        let text = match &app.history.unavailable {
            Some(why) => format!("{}: {why}", s.hist_unavailable),
            None => s.hist_loading.to_string(),
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim()), inner);
        return;
    };
    if detail.periods.is_empty() {
        frame.render_widget(Paragraph::new(s.hist_empty).style(theme.dim()), inner);
        return;
    }
    let head = pane_head(detail, inner.width as usize, s, theme);
    let [top, table_area] = ratatui::layout::Layout::vertical([
        Constraint::Length(head.len() as u16),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), top);
    let now = detail.now_ms;
    let page = table_area.height.saturating_sub(1) as usize;
    // The fixed columns and the gaps between the four.
    let cause_width = (table_area.width as usize).saturating_sub(11 + 16 + 15 + 3);
    let rows = detail
        .periods
        .iter()
        .skip(app.history.scroll)
        .take(page)
        .map(|l| {
            let start = history::from_ms(l.start);
            let day = humantime::format_rfc3339_seconds(start).to_string();
            let when = format!("{} {}", &day[5..10], &clock(start)[..5]);
            let lasted = match l.end {
                Some(end) => duration(end - l.start),
                None => format!("{} ({})", duration(now - l.start), s.hist_ongoing),
            };
            TableRow::new(vec![
                Cell::from(when),
                Cell::from(lasted),
                Cell::from(Span::styled(
                    format!("{} {}", glyph(l.state), word(l.state, s)),
                    style(l.state, theme),
                )),
                // Cut with `…` to its column, never mid-word without a sign.
                Cell::from(super::wrap::ellipsis(
                    &with_notes(cause_text(l, s), l, detail, s),
                    cause_width,
                )),
            ])
        });
    let table = Table::new(
        rows,
        [
            Constraint::Length(11),
            Constraint::Length(16),
            Constraint::Length(15),
            Constraint::Fill(1),
        ],
    )
    .header(
        TableRow::new(vec![
            Cell::from(s.hist_col_start),
            Cell::from(s.hist_col_duration),
            Cell::from(s.hist_col_state),
            Cell::from(s.hist_col_detail),
        ])
        .style(theme.header_row()),
    )
    .column_spacing(1);
    frame.render_widget(table, table_area);
}
