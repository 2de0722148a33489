//! The batch: events wait one group window, and a window holding more than
//! [`GROUP_OVER`] of one kind goes out as one `group` event.

use std::collections::HashMap;
use std::time::SystemTime;

use super::{Condition, Engine, GROUP_NAMES, GROUP_OVER};
use crate::engine::alerts::event::{AlertEvent, AlertKind, Member};

impl Engine {
    pub(super) fn push(&mut self, event: AlertEvent) {
        if event.kind == AlertKind::Up {
            // Trouble and up again before anyone heard of it: none is sent.
            // Trouble heard earlier still needs its `up`.
            if self.take_back_trouble(&event.id) && self.will_hear(&event.id) == Condition::Up {
                if let Some(t) = self.tracks.get_mut(&event.id) {
                    t.alerted_at = None;
                }
                if self.pending.is_empty() {
                    self.pending_since = None;
                }
                return;
            }
        }
        self.pending_since.get_or_insert(event.at);
        self.pending.push(event);
    }

    /// Drop the waiting down, error and reminder events of `id` (never
    /// heard, now moot); whether there were any.
    pub(super) fn take_back_trouble(&mut self, id: &str) -> bool {
        let queued = self.pending.len();
        self.pending.retain(|e| {
            e.id != id
                || !matches!(
                    e.kind,
                    AlertKind::Down | AlertKind::Error | AlertKind::Reminder
                )
        });
        if self.pending.is_empty() {
            self.pending_since = None;
        }
        self.pending.len() != queued
    }

    /// What the audience will believe about `id` once the batch is out.
    pub(super) fn will_hear(&self, id: &str) -> Condition {
        let waiting = self.pending.iter().rev().find_map(|e| match e.kind {
            AlertKind::Up if e.id == id => Some(Condition::Up),
            AlertKind::Down if e.id == id => Some(Condition::Down),
            AlertKind::Error if e.id == id => Some(Condition::Error),
            _ => None,
        });
        waiting
            .or_else(|| self.tracks.get(id).map(|t| t.heard))
            .unwrap_or(Condition::Up)
    }

    pub(super) fn flush(&mut self, now: SystemTime) -> Vec<AlertEvent> {
        let Some(first) = self.pending_since else {
            return Vec::new();
        };
        if now < first + self.settings.group_window {
            return Vec::new();
        }
        self.pending_since = None;
        let batch = std::mem::take(&mut self.pending);
        for e in &batch {
            let heard = match e.kind {
                AlertKind::Up => Condition::Up,
                AlertKind::Down => Condition::Down,
                AlertKind::Error => Condition::Error,
                _ => continue,
            };
            if let Some(t) = self.tracks.get_mut(&e.id) {
                t.heard = heard;
                self.changed.insert(e.id.clone());
            }
        }
        let mut counts: HashMap<AlertKind, usize> = HashMap::new();
        for e in &batch {
            *counts.entry(e.kind).or_default() += 1;
        }
        let mut out = Vec::new();
        let mut groups: Vec<(AlertKind, Vec<AlertEvent>)> = Vec::new();
        for e in batch {
            if counts[&e.kind] > GROUP_OVER {
                match groups.iter_mut().find(|(k, _)| *k == e.kind) {
                    Some((_, list)) => list.push(e),
                    None => groups.push((e.kind, vec![e])),
                }
            } else {
                out.push(e);
            }
        }
        for (kind, list) in groups {
            out.push(group_event(kind, list, now));
        }
        out
    }
}

fn group_event(kind: AlertKind, list: Vec<AlertEvent>, now: SystemTime) -> AlertEvent {
    let n = list.len();
    let mut names: Vec<&str> = list
        .iter()
        .take(GROUP_NAMES)
        .map(|e| e.label.as_str())
        .collect();
    let more = n.saturating_sub(GROUP_NAMES);
    let more_text = format!("and {more} more");
    if more > 0 {
        names.push(&more_text);
    }
    let detail = format!("{n} instances {}: {}", kind.name(), names.join(", "));
    let account = match list.first() {
        Some(first) if list.iter().all(|e| e.account == first.account) => first.account.clone(),
        _ => String::new(),
    };
    let since = list.iter().map(|e| e.since).min().unwrap_or(now);
    AlertEvent {
        kind: AlertKind::Group,
        id: String::new(),
        label: format!("{n} instances"),
        account,
        tags: Vec::new(),
        status: kind.name().to_string(),
        detail,
        since,
        at: now,
        down_for: None,
        grouped: Some(kind),
        members: list
            .into_iter()
            .map(|e| Member {
                id: e.id,
                label: e.label,
                account: e.account,
                tags: e.tags,
                status: e.status,
            })
            .collect(),
    }
}
