//! The instance table. Only the visible rows are built, so drawing 10,000
//! instances costs what drawing a screenful does.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row as TableRow, Table};

use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::format::{self, ago, clip};
use super::wrap::ellipsis;
use crate::app::order::SortKey;
use crate::app::state::App;

/// Which optional columns fit a width.
struct Columns {
    id: bool,
    latency: bool,
    changed: bool,
    profile: bool,
    tags: bool,
    uptime: bool,
    drops: bool,
}

impl Columns {
    /// The optional columns, most useful first, each taken while the label
    /// keeps room to be read (the label is what an operator reads first).
    /// `chosen` (`[ui] columns`) names the columns and their priority;
    /// the wide layout lets the label shrink so the id fits at 80 columns.
    fn for_width(
        width: u16,
        id_width: u16,
        history: bool,
        wide: bool,
        chosen: Option<&[String]>,
    ) -> Columns {
        let label_min: u16 = if wide { 14 } else { 22 };
        // Marker, status, checked, and the table's column gaps.
        let mut left = width.saturating_sub(1 + 13 + 8 + 3 + label_min);
        let default_order: &[&str] = if wide {
            &[
                "id", "latency", "uptime", "drops", "changed", "tags", "profile",
            ]
        } else {
            &[
                "latency", "uptime", "drops", "id", "changed", "tags", "profile",
            ]
        };
        let order: Vec<&str> = match chosen {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => default_order.to_vec(),
        };
        let mut cols = Columns {
            id: false,
            latency: false,
            changed: false,
            profile: false,
            tags: false,
            uptime: false,
            drops: false,
        };
        for name in order {
            let (cells, slot) = match name {
                "id" => (id_width, &mut cols.id),
                "latency" => (8, &mut cols.latency),
                "uptime" if history => (8, &mut cols.uptime),
                "drops" if history => (8, &mut cols.drops),
                "changed" => (8, &mut cols.changed),
                "tags" => (10, &mut cols.tags),
                "profile" => (16, &mut cols.profile),
                _ => continue,
            };
            if left > cells {
                left -= cells + 1;
                *slot = true;
            }
        }
        cols
    }
}

/// Draws the table; returns the area of its data rows (for mouse clicks).
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Rect {
    let s = app.strings();
    if app.view.is_empty() {
        // A filter with a typo names it here too, where the rows would be.
        let text = match crate::app::filter_note::filter_note(app) {
            Some((note, true)) => format!("{note}\n{}", s.no_match),
            _ => s.no_match.to_string(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim())
                .wrap(ratatui::widgets::Wrap { trim: false }),
            area,
        );
        return Rect::default();
    }
    // Vendor ids are ~24 characters: whole on wide screens, clipped on small ones.
    let id_width: u16 = if area.width >= 150 || app.screen.wide {
        24
    } else {
        12
    };
    let cols = Columns::for_width(
        area.width,
        id_width,
        app.history.enabled,
        app.screen.wide,
        app.screen.columns.as_deref(),
    );
    let sorted = |text: &str, key: SortKey| -> String {
        if app.sort != key {
            return text.to_string();
        }
        format!("{text} {}", if app.sort_reverse { '▼' } else { '▲' })
    };
    let page = area.height.saturating_sub(1) as usize;
    let offset = app.offset.min(app.view.len().saturating_sub(1));
    let now = app.monitor.now;

    let mut header = vec![
        Cell::from(" "),
        Cell::from(sorted(s.col_status, SortKey::Status)),
        Cell::from(sorted(s.col_label, SortKey::Label)),
    ];
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(13),
        Constraint::Fill(3),
    ];
    if cols.id {
        header.push(Cell::from(s.col_id));
        widths.push(Constraint::Length(id_width));
    }
    header.push(Cell::from(s.col_checked));
    widths.push(Constraint::Length(8));
    if cols.latency {
        header.push(Cell::from(sorted(s.col_latency, SortKey::Latency)));
        widths.push(Constraint::Length(8));
    }
    if cols.changed {
        header.push(Cell::from(sorted(s.col_changed, SortKey::LastChange)));
        widths.push(Constraint::Length(8));
    }
    let history_on = app.history.enabled;
    if history_on && cols.uptime {
        let window = crate::history::window_label(app.history.window);
        header.push(Cell::from(sorted(
            &format!("{} {window}", s.col_uptime),
            SortKey::Uptime,
        )));
        widths.push(Constraint::Length(8));
    }
    if history_on && cols.drops {
        header.push(Cell::from(sorted(s.col_drops, SortKey::Drops)));
        widths.push(Constraint::Length(8));
    }
    if cols.profile {
        header.push(Cell::from(s.col_profile));
        widths.push(Constraint::Length(16));
    }
    if cols.tags {
        header.push(Cell::from(s.col_tags));
        widths.push(Constraint::Fill(1));
    }

    // The label's share of what the fixed columns leave, to end a long
    // label with `…` rather than cut it mid-word.
    let fixed: u16 = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum::<u16>()
        + widths.len().saturating_sub(1) as u16;
    let free = area.width.saturating_sub(fixed) as usize;
    let label_width = if cols.tags { free * 3 / 4 } else { free };
    let rows = app.view[offset..]
        .iter()
        .take(page)
        .enumerate()
        .map(|(n, &i)| {
            let row = &app.monitor.rows[i];
            let health = row.health();
            let (glyph, word) = format::health(health, s);
            // An action (not a poll) in flight spins in the mark column.
            let mark = if app.busy.contains(&row.id) {
                format::spinner(app)
            } else if app.marks.contains(&row.id) {
                "▶"
            } else {
                " "
            };
            let checked = if row.polling {
                format!("{} …", format::spinner(app))
            } else {
                row.checked_at
                    .map(|t| ago(now.saturating_duration_since(t)))
                    .unwrap_or_else(|| "—".into())
            };
            let last_run = (row.status.is_none() && row.error.is_none())
                .then(|| app.history.last_run.get(&row.id))
                .flatten();
            let (status_text, status_style) = match last_run {
                // Until the first poll answers: what the last run saw, dimmed
                // and marked (◌) so it is not taken for a live answer.
                Some(last) => (
                    format!("◌ {}", super::history::word(last.state, s)),
                    super::history::style(last.state, theme).patch(theme.dim()),
                ),
                None if row.polling && row.status.is_none() && row.error.is_none() => {
                    (format!("… {}", s.checking), theme.health(health))
                }
                None => (format!("{glyph} {word}"), theme.health(health)),
            };
            let mut cells = vec![
                Cell::from(mark),
                Cell::from(Span::styled(status_text, status_style)),
                // A silenced row says so: its alerts are being held back.
                // The mark goes first so a narrow label column never cuts it.
                match crate::app::ack::row_mark(app, row) {
                    Some(word) => Cell::from(Line::from(vec![
                        Span::styled(format!("({word}) "), theme.dim()),
                        Span::raw(ellipsis(
                            &row.label,
                            label_width.saturating_sub(word.width() + 3),
                        )),
                    ])),
                    None => Cell::from(ellipsis(&row.label, label_width)),
                },
            ];
            if cols.id {
                cells.push(Cell::from(clip(&row.id, id_width as usize)));
            }
            cells.push(Cell::from(checked));
            if cols.latency {
                cells.push(Cell::from(
                    row.latency.map(format::latency).unwrap_or_default(),
                ));
            }
            if cols.changed {
                cells.push(Cell::from(
                    row.changed_at
                        .map(|t| ago(now.saturating_duration_since(t)))
                        .unwrap_or_else(|| "—".into()),
                ));
            }
            if history_on && cols.uptime {
                let text = app
                    .history
                    .uptime(&row.id)
                    .map(super::history::pct)
                    .unwrap_or_else(|| "—".into());
                cells.push(Cell::from(text));
            }
            if history_on && cols.drops {
                let text = app
                    .history
                    .drops(&row.id)
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into());
                cells.push(Cell::from(text));
            }
            if cols.profile {
                let name = app
                    .memory
                    .get(&row.id)
                    .and_then(|m| m.name.as_ref())
                    .map(|n| n.value.clone())
                    .unwrap_or_default();
                cells.push(Cell::from(name));
            }
            if cols.tags {
                cells.push(Cell::from(Line::styled(row.tags.join(","), theme.dim())));
            }
            let mut style = Style::new();
            if app.highlight.contains_key(&row.id) {
                style = theme.alert();
            }
            if offset + n == app.selected {
                style = style.patch(theme.selected());
            }
            TableRow::new(cells).style(style)
        });

    let table = Table::new(rows, widths)
        .header(TableRow::new(header).style(theme.header_row()))
        .column_spacing(1);
    frame.render_widget(table, area);
    Rect {
        x: area.x,
        y: area.y + 1,
        width: area.width,
        height: area.height.saturating_sub(1),
    }
}
