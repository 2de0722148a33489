//! Requests a closed pane left unanswered, kept apart so their late
//! answers are not taken for a reopened pane's.

use super::{Call, Kind, QrPane};

impl QrPane {
    /// The requests still unanswered, for [`Strays`] when the pane closes.
    pub fn in_flight(&self) -> impl Iterator<Item = Kind> {
        [
            (self.qr_in_flight, Kind::Qr),
            (self.status_in_flight, Kind::Status),
        ]
        .into_iter()
        .filter_map(|(busy, kind)| busy.then_some(kind))
    }
}

/// Requests a closed pane left unanswered. Their answers must not be taken
/// for the answers of a pane opened later on the same instance, or that
/// pane would send a second request of the same kind while one is out.
#[derive(Debug, Clone, Default)]
pub struct Strays {
    pending: Vec<(String, Kind)>,
}

impl Strays {
    pub fn add(&mut self, instance: &str, kind: Kind) {
        self.pending.push((instance.to_string(), kind));
    }

    /// Whether this answer belongs to a closed pane (and forget it if so).
    pub fn take(&mut self, instance: &str, call: &Call) -> bool {
        let Some(kind) = Kind::of(call) else {
            return false;
        };
        match self
            .pending
            .iter()
            .position(|(id, k)| id == instance && *k == kind)
        {
            Some(i) => {
                self.pending.swap_remove(i);
                true
            }
            None => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}
