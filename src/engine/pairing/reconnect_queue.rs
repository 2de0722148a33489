//! Reconnecting many: the QR pane as a queue. When many numbers drop at
//! once (a vendor outage, a phone change) the operator links them one after
//! another: the pane shows the first instance's code, and when that one
//! links it rings, says so, and moves to the next by itself. `Tab` skips,
//! `Esc` leaves; the pane shows "3 of 9 · 2 linked · 1 skipped" and the
//! queue ends with a summary. Pure state: the dashboard's `update` and the
//! headless `wadash qr --wait ID…` both drive it.

use std::time::Duration;

/// One instance to link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: String,
    pub label: String,
    pub account: usize,
}

/// What became of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not reached yet, or on screen now.
    Pending,
    Linked {
        took: Duration,
    },
    /// Already connected when its turn came: nothing to scan.
    AlreadyActive,
    Skipped,
    /// Gave up on it (an error waiting will not fix, or no scan after the
    /// codes allowed), with why.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconnectQueue {
    items: Vec<QueueItem>,
    outcomes: Vec<Outcome>,
    current: usize,
    /// Esc: left before the end (the rest stay pending).
    left: bool,
}

/// The counts the pane shows and the summary starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub linked: usize,
    pub already: usize,
    pub skipped: usize,
    pub failed: usize,
    pub pending: usize,
}

impl ReconnectQueue {
    /// A queue in the given order; duplicates (same id) keep the first.
    pub fn new(items: Vec<QueueItem>) -> ReconnectQueue {
        let mut seen = std::collections::HashSet::new();
        let items: Vec<QueueItem> = items
            .into_iter()
            .filter(|i| seen.insert(i.id.clone()))
            .collect();
        ReconnectQueue {
            outcomes: vec![Outcome::Pending; items.len()],
            items,
            current: 0,
            left: false,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item whose code is on screen; `None` once finished or left.
    pub fn current(&self) -> Option<&QueueItem> {
        if self.left {
            return None;
        }
        self.items.get(self.current)
    }

    /// 1-based position of the current item (the total when finished).
    pub fn position(&self) -> usize {
        (self.current + 1).min(self.items.len())
    }

    pub fn is_finished(&self) -> bool {
        self.left || self.current >= self.items.len()
    }

    /// Record what became of the current item and move to the next.
    /// Returns the next item, if any. Does nothing once finished.
    pub fn resolve(&mut self, outcome: Outcome) -> Option<&QueueItem> {
        if self.is_finished() {
            return None;
        }
        self.outcomes[self.current] = outcome;
        self.current += 1;
        self.current()
    }

    pub fn linked(&mut self, took: Duration) -> Option<&QueueItem> {
        self.resolve(Outcome::Linked { took })
    }

    /// `Tab`.
    pub fn skip(&mut self) -> Option<&QueueItem> {
        self.resolve(Outcome::Skipped)
    }

    /// `Esc`: stop here; what was not reached stays pending in the summary.
    pub fn leave(&mut self) {
        self.left = true;
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for o in &self.outcomes {
            match o {
                Outcome::Pending => c.pending += 1,
                Outcome::Linked { .. } => c.linked += 1,
                Outcome::AlreadyActive => c.already += 1,
                Outcome::Skipped => c.skipped += 1,
                Outcome::Failed(_) => c.failed += 1,
            }
        }
        c
    }

    pub fn outcomes(&self) -> impl Iterator<Item = (&QueueItem, &Outcome)> {
        self.items.iter().zip(&self.outcomes)
    }

    /// "3 of 9 · 2 linked · 1 skipped" (parts with zero left out, bar "linked").
    pub fn progress(&self, w: &Words) -> String {
        let c = self.counts();
        let mut text = format!(
            "{} {} {} · {} {}",
            self.position(),
            w.of,
            self.len(),
            c.linked,
            w.linked
        );
        for (n, word) in [
            (c.already, w.already),
            (c.skipped, w.skipped),
            (c.failed, w.failed),
        ] {
            if n > 0 {
                text.push_str(&format!(" · {n} {word}"));
            }
        }
        text
    }

    /// The summary: the counts, then one line per instance.
    pub fn summary(&self, w: &Words) -> Vec<String> {
        let c = self.counts();
        let mut lines = vec![format!(
            "{}: {} {} · {} {} · {} {} · {} {} · {} {}",
            w.summary,
            c.linked,
            w.linked,
            c.already,
            w.already,
            c.skipped,
            w.skipped,
            c.failed,
            w.failed,
            c.pending,
            w.not_reached
        )];
        for (item, outcome) in self.outcomes() {
            lines.push(format!(
                "{} ({}): {}",
                item.label,
                item.id,
                outcome_text(outcome, w)
            ));
        }
        lines
    }
}

/// "linked (12 s)", "skipped", "failed: why", "not reached".
pub fn outcome_text(outcome: &Outcome, w: &Words) -> String {
    match outcome {
        Outcome::Pending => w.not_reached.to_string(),
        Outcome::Linked { took } => format!("{} ({} s)", w.linked, took.as_secs()),
        Outcome::AlreadyActive => w.already.to_string(),
        Outcome::Skipped => w.skipped.to_string(),
        Outcome::Failed(why) => format!("{}: {why}", w.failed),
    }
}

impl ReconnectQueue {
    /// Just the count line of [`ReconnectQueue::summary`].
    pub fn summary_head(&self, w: &Words) -> String {
        self.summary(w).swap_remove(0)
    }
}

/// The words of [`ReconnectQueue::progress`] and the summary, per language.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub of: &'static str,
    pub linked: &'static str,
    pub already: &'static str,
    pub skipped: &'static str,
    pub failed: &'static str,
    pub not_reached: &'static str,
    pub summary: &'static str,
}

impl Words {
    pub fn from_strings(s: &crate::i18n::Strings) -> Words {
        Words {
            of: s.q_of,
            linked: s.q_linked,
            already: s.q_already,
            skipped: s.q_skipped,
            failed: s.q_failed,
            not_reached: s.q_not_reached,
            summary: s.q_summary,
        }
    }

    pub const EN: Words = Words {
        of: "of",
        linked: "linked",
        already: "already active",
        skipped: "skipped",
        failed: "failed",
        not_reached: "not reached",
        summary: "Reconnect finished",
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(ids: &[&str]) -> ReconnectQueue {
        ReconnectQueue::new(
            ids.iter()
                .map(|id| QueueItem {
                    id: id.to_string(),
                    label: id.to_uppercase(),
                    account: 0,
                })
                .collect(),
        )
    }

    #[test]
    fn order_is_kept_and_duplicates_dropped() {
        let q = queue(&["b", "a", "b", "c"]);
        assert_eq!(q.len(), 3);
        let ids: Vec<&str> = q.outcomes().map(|(i, _)| i.id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c"]);
        assert_eq!(q.current().unwrap().id, "b");
    }

    #[test]
    fn linking_and_skipping_move_on_and_count() {
        let mut q = queue(&["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
        assert_eq!(q.linked(Duration::from_secs(12)).unwrap().id, "b");
        assert_eq!(q.skip().unwrap().id, "c");
        assert_eq!(q.linked(Duration::from_secs(9)).unwrap().id, "d");
        assert_eq!(q.progress(&Words::EN), "4 of 9 · 2 linked · 1 skipped");
        q.resolve(Outcome::Failed("401 unauthorized".into()));
        q.resolve(Outcome::AlreadyActive);
        assert_eq!(
            q.progress(&Words::EN),
            "6 of 9 · 2 linked · 1 already active · 1 skipped · 1 failed"
        );
    }

    #[test]
    fn finishing_and_leaving_end_the_queue_and_summarise() {
        let mut q = queue(&["a", "b"]);
        q.linked(Duration::from_secs(5));
        assert!(q.skip().is_none());
        assert!(q.is_finished());
        assert_eq!(q.position(), 2);
        // Nothing more to resolve.
        assert!(q.resolve(Outcome::Skipped).is_none());
        let summary = q.summary(&Words::EN);
        assert_eq!(
            summary[0],
            "Reconnect finished: 1 linked · 0 already active · 1 skipped · 0 failed · 0 not reached"
        );
        assert_eq!(summary[1], "A (a): linked (5 s)");
        assert_eq!(summary[2], "B (b): skipped");

        let mut q = queue(&["a", "b", "c"]);
        q.skip();
        q.leave();
        assert!(q.is_finished() && q.current().is_none());
        assert_eq!(
            q.counts(),
            Counts {
                skipped: 1,
                pending: 2,
                ..Counts::default()
            }
        );
        assert_eq!(q.summary(&Words::EN)[3], "C (c): not reached");
    }

    #[test]
    fn an_empty_queue_is_finished_at_once() {
        let q = queue(&[]);
        assert!(q.is_finished() && q.is_empty() && q.current().is_none());
    }
}
