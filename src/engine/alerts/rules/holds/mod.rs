//! What else holds alerts back or pushes them further, beside silences:
//! acknowledgements (`wadash ack`: no reminders nor escalation until the
//! instance is up again), maintenance windows (nothing at all while one is
//! open; what is still true when it closes is told then), and escalation
//! (a down nobody acknowledged within `after` goes to one named channel).

use std::collections::HashMap;
use std::time::SystemTime;

use super::{Condition, Engine};
use crate::domain::holds::{Ack, Escalation, PlannedMark, Window};
use crate::domain::matcher::Subject;
use crate::engine::alerts::event::{AlertEvent, AlertKind};

#[derive(Debug, Clone, Default)]
pub(super) struct Holds {
    acks: HashMap<String, Ack>,
    /// Per instance in an outage: when its down was told, and how many
    /// escalation steps went out since.
    outages: HashMap<String, (SystemTime, usize)>,
    /// Instances inside a window now: since when, and which.
    planned: HashMap<String, (SystemTime, String)>,
    /// Window spells begun or ended, for the store.
    marks: Vec<PlannedMark>,
}

impl Engine {
    /// The open acknowledgements (read again from the store now and then).
    /// One for an instance already up ends at the next tick.
    pub fn set_acks(&mut self, acks: Vec<Ack>) {
        let mut map = HashMap::new();
        for ack in acks {
            // The newest one per instance is the one shown.
            match map.get(&ack.instance_id) {
                Some(Ack { at, .. }) if *at > ack.at => {}
                _ => {
                    map.insert(ack.instance_id.clone(), ack);
                }
            }
        }
        self.holds.acks = map;
    }

    /// Maintenance windows (also set by `Settings::windows`).
    pub fn set_windows(&mut self, windows: Vec<Window>) {
        self.settings.windows = windows;
    }

    /// Escalation steps (also set by `Settings::escalations`).
    pub fn set_escalations(&mut self, mut escalations: Vec<Escalation>) {
        escalations.sort_by_key(|e| e.after);
        self.settings.escalations = escalations;
    }

    /// Every acknowledgement in force.
    pub fn acks(&self) -> Vec<Ack> {
        self.holds.acks.values().cloned().collect()
    }

    /// Every acknowledgement in force, by store number.
    pub fn acks_sorted(&self) -> Vec<Ack> {
        let mut acks = self.acks();
        acks.sort_by_key(|a| a.id);
        acks
    }

    /// The acknowledgement in force for this instance.
    pub fn ack_for(&self, id: &str) -> Option<&Ack> {
        self.holds.acks.get(id)
    }

    /// The maintenance window open now over this instance, if any.
    pub fn window_for(&self, subject: &Subject<'_>, at: SystemTime) -> Option<&Window> {
        self.settings.windows.iter().find(|w| w.covers(subject, at))
    }

    pub(super) fn acked(&self, id: &str) -> bool {
        self.holds.acks.contains_key(id)
    }

    /// Whether a maintenance window holds this instance's alerts at `at`.
    pub(super) fn in_window(&self, id: &str, at: SystemTime) -> bool {
        self.window_over(id, at).is_some()
    }

    fn window_over(&self, id: &str, at: SystemTime) -> Option<&Window> {
        if self.settings.windows.is_empty() {
            return None;
        }
        let t = self.tracks.get(id)?;
        let info = t.info.as_ref()?;
        let subject = Subject {
            id,
            label: &info.label,
            tags: &info.tags,
            health: t.health(),
        };
        self.window_for(&subject, at)
    }

    /// Once per instance per tick: note when it enters or leaves a window,
    /// so history can mark that time as planned.
    pub(super) fn mark_planned(&mut self, id: &str, now: SystemTime) {
        let name = self.window_over(id, now).map(|w| w.name.clone());
        match (self.holds.planned.get(id).cloned(), name) {
            (None, Some(name)) => {
                self.holds
                    .planned
                    .insert(id.to_string(), (now, name.clone()));
                self.holds.marks.push(PlannedMark {
                    instance_id: id.to_string(),
                    start: now,
                    end: None,
                    name,
                });
            }
            (Some((start, name)), None) => {
                self.holds.planned.remove(id);
                self.holds.marks.push(PlannedMark {
                    instance_id: id.to_string(),
                    start,
                    end: Some(now),
                    name,
                });
            }
            _ => {}
        }
    }

    /// Window spells begun or ended since the last call.
    pub fn take_planned(&mut self) -> Vec<PlannedMark> {
        std::mem::take(&mut self.holds.marks)
    }

    /// Whether an event waiting in the batch must wait longer (a window
    /// opened over its instance) or be dropped (acknowledged meanwhile).
    /// `Some(true)`: keep waiting; `Some(false)`: drop; None: send.
    pub(super) fn held_at_flush(&self, event: &AlertEvent, now: SystemTime) -> Option<bool> {
        if event.kind == AlertKind::Group || event.id.is_empty() {
            return None;
        }
        if self.in_window(&event.id, now) {
            return Some(true);
        }
        if self.acked(&event.id) && event.kind != AlertKind::Up {
            // A down or error waits for the up that cancels it; a reminder,
            // flapping notice or escalation is not needed any more.
            return Some(matches!(event.kind, AlertKind::Down | AlertKind::Error));
        }
        None
    }

    /// Once per instance per tick, after `reconcile`: end the ack and the
    /// outage bookkeeping of an instance up again, and escalate what is due.
    pub(super) fn escalate(&mut self, id: &str, now: SystemTime) {
        let Some(t) = self.tracks.get(id) else { return };
        if t.condition == Condition::Up && t.told == Condition::Up && !t.flapping {
            self.holds.outages.remove(id);
            // Its state row ('up') is written, and that closes the ack in
            // the store (`alerts::acks::close_acks`).
            if self.holds.acks.remove(id).is_some() {
                self.changed.insert(id.to_string());
                if let Some(t) = self.tracks.get_mut(id) {
                    t.updated_at = now;
                }
            }
            return;
        }
        if t.told == Condition::Up {
            return;
        }
        let told_at = t.alerted_at.unwrap_or(now);
        let (since, done) = *self
            .holds
            .outages
            .entry(id.to_string())
            .or_insert((told_at, 0));
        let Some(step) = self.settings.escalations.get(done) else {
            return;
        };
        if now < since + step.after
            || t.condition == Condition::Up
            || t.flapping
            || self.acked(id)
            || self.silenced_track(id, t, now)
        {
            return;
        }
        let channel = step.channel.clone();
        let Some(mut event) = self.event_for(id, AlertKind::Escalate, now) else {
            return;
        };
        event.to = Some(channel);
        event.down_for = Some(now.duration_since(event.since).unwrap_or_default());
        self.holds.outages.insert(id.to_string(), (since, done + 1));
        // Its state row is written again: a restart knows this step went out.
        if let Some(t) = self.tracks.get_mut(id) {
            t.updated_at = now;
        }
        self.changed.insert(id.to_string());
        self.push(event);
    }

    /// An outage an earlier run told: escalation steps
    /// due before that run last wrote are taken as sent (a restart pages
    /// nobody twice; a later step still goes, timed from the outage's start).
    pub(super) fn imported_outage(&mut self, id: &str, since: SystemTime, written: SystemTime) {
        let done = self
            .settings
            .escalations
            .iter()
            .filter(|e| since + e.after <= written)
            .count();
        self.holds.outages.insert(id.to_string(), (since, done));
    }

    pub(super) fn forget_holds(&mut self, id: &str) {
        self.holds.outages.remove(id);
    }
}

#[cfg(test)]
mod tests;
