//! The list's visible order: which rows the filter shows, sorted by the
//! chosen key, with the selection kept on the same instance, and the
//! window of rows the table shows.

use crate::app::state::App;
use crate::i18n::Strings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Status,
    Label,
    LastChange,
    Latency,
    /// Lowest uptime over the history window first.
    Uptime,
    /// Most drops in the history window first.
    Drops,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Status => SortKey::Label,
            SortKey::Label => SortKey::LastChange,
            SortKey::LastChange => SortKey::Latency,
            SortKey::Latency => SortKey::Uptime,
            SortKey::Uptime => SortKey::Drops,
            SortKey::Drops => SortKey::Status,
        }
    }

    pub fn name(self, s: &Strings) -> &'static str {
        match self {
            SortKey::Status => s.sort_status,
            SortKey::Label => s.sort_label,
            SortKey::LastChange => s.sort_changed,
            SortKey::Latency => s.sort_latency,
            SortKey::Uptime => s.sort_uptime,
            SortKey::Drops => s.sort_drops,
        }
    }
}

impl App {
    /// Recompute the visible order if anything it depends on changed,
    /// keeping the same instance selected.
    pub fn settle(&mut self) {
        if !self.view_stale {
            return;
        }
        self.view_stale = false;
        let keep = self.selected_row().map(|r| r.id.clone());
        let filter = &self.filter;
        let rows = &self.monitor.rows;
        let mut view: Vec<usize> = (0..rows.len())
            .filter(|&i| filter.matches(&rows[i]))
            .collect();
        match self.sort {
            SortKey::Status => view.sort_by(|&a, &b| {
                (rows[a].health(), &rows[a].label_key).cmp(&(rows[b].health(), &rows[b].label_key))
            }),
            SortKey::Label => view.sort_by(|&a, &b| rows[a].label_key.cmp(&rows[b].label_key)),
            // Most recent change first; never-changed last.
            SortKey::LastChange => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].changed_at)),
            // Slowest first: the ones worth a look.
            SortKey::Latency => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].latency)),
            // Worst first; instances with nothing observed last.
            SortKey::Uptime => {
                let h = &self.history;
                view.sort_by(|&a, &b| {
                    let key = |i: usize| h.uptime(&rows[i].id).unwrap_or(f64::INFINITY);
                    key(a).total_cmp(&key(b))
                })
            }
            SortKey::Drops => {
                let h = &self.history;
                view.sort_by_key(|&i| std::cmp::Reverse(h.drops(&rows[i].id).unwrap_or(0)))
            }
        }
        if self.sort_reverse {
            view.reverse();
        }
        self.view = view;
        let keep = if self.follow_top { None } else { keep };
        self.selected = keep
            .and_then(|id| self.monitor.index.get(&id).copied())
            .and_then(|row| self.view.iter().position(|&i| i == row))
            .unwrap_or(0)
            .min(self.view.len().saturating_sub(1));
        self.dirty = true;
    }

    /// Rows the table can show at once (from the last draw).
    pub fn page_size(&self) -> usize {
        (self.regions.table_rows.height as usize).max(1)
    }

    /// Keep the selection inside the visible window of the table.
    pub fn clamp_offset(&mut self) {
        let page = self.page_size();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.view.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }
}
