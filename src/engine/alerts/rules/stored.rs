//! What the engine keeps in the store's `alert_state` table: a restart
//! starts from what was announced, so nothing is said twice.

use super::{Condition, Engine, Track};
use crate::domain::alert_state::{StateRow, from_unix, unix};

impl Engine {
    /// The stored state of every instance something was announced about.
    pub fn export(&self) -> Vec<StateRow> {
        let mut rows: Vec<StateRow> = self
            .tracks
            .iter()
            .filter(|(_, t)| {
                t.heard != Condition::Up || t.alerted_at.is_some() || t.flap_told || t.expected_down
            })
            .map(|(id, t)| state_row(id, t))
            .collect();
        rows.sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
        rows
    }

    /// Rows to write since the last call (state announced or flapping changed).
    pub fn take_changed(&mut self) -> Vec<StateRow> {
        let mut ids: Vec<String> = self.changed.drain().collect();
        ids.sort();
        ids.iter()
            .filter_map(|id| self.tracks.get(id).map(|t| state_row(id, t)))
            .collect()
    }

    /// Start from what an earlier run announced: an instance stored as down
    /// and alerted is not alerted again while it stays down, and its `up`
    /// reports the whole outage.
    pub fn import(&mut self, rows: &[StateRow]) {
        let s = self.settings.clone();
        for row in rows {
            let mut t = Track::new(from_unix(row.updated_at));
            let alerted = row.alerted_at.is_some();
            t.alerted_at = row.alerted_at.map(from_unix);
            let since = from_unix(row.since);
            match row.state.as_str() {
                "down" | "error" => {
                    let condition = if row.state == "down" {
                        Condition::Down
                    } else {
                        Condition::Error
                    };
                    t.condition = condition;
                    // Stored as heard: it was announced.
                    t.told = condition;
                    t.heard = condition;
                    self.imported_outage(&row.instance_id, since, from_unix(row.updated_at));
                    if condition == Condition::Down {
                        t.bad = s.after;
                    } else {
                        t.fail = s.after;
                    }
                    t.trouble_since = Some(since);
                    t.outage_since = Some(since);
                }
                "disconnected" => {
                    t.expected_down = true;
                    t.condition = Condition::Down;
                    t.bad = s.after;
                    t.trouble_since = Some(since);
                }
                state if s.flap_changes > 0 && state.starts_with("flapping") => {
                    // Still flapping until a whole window passes quietly.
                    t.flapping = true;
                    t.flap_told = alerted;
                    t.told = match state {
                        "flapping-down" => Condition::Down,
                        "flapping-error" => Condition::Error,
                        _ => Condition::Up,
                    };
                    t.heard = t.told;
                    t.condition = t.told;
                    t.outage_since = (t.told != Condition::Up).then_some(since);
                    let at = from_unix(row.updated_at);
                    t.changes = std::iter::repeat_n(at, s.flap_changes as usize + 1).collect();
                }
                _ => t.good = s.resolve_after,
            }
            self.tracks.insert(row.instance_id.clone(), Box::new(t));
        }
    }
}

/// What was *heard*, not what was decided: events still waiting in the
/// batch die with the process, and a restart must decide them again.
fn state_row(id: &str, t: &Track) -> StateRow {
    let state = if t.flapping && t.flap_told {
        match t.heard {
            Condition::Up => "flapping",
            Condition::Down => "flapping-down",
            Condition::Error => "flapping-error",
        }
    } else if t.expected_down && t.heard == Condition::Up {
        "disconnected"
    } else {
        t.heard.name()
    };
    let since = if t.flapping {
        t.changes.front().copied().unwrap_or(t.updated_at)
    } else {
        t.outage_since.unwrap_or(t.updated_at)
    };
    StateRow {
        instance_id: id.to_string(),
        state: state.to_string(),
        since: unix(since),
        alerted_at: t.alerted_at.map(unix),
        updated_at: unix(t.updated_at),
    }
}
