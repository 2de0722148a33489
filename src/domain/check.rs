//! What one status check saw, and what a row's status column shows. Every
//! layer (engine, store, metrics, CLI) speaks these two types; the mapping
//! from a server's answer to them is written here once.

use std::fmt;

/// The instance's connection as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InstanceStatus {
    Active,
    Inactive,
    /// A success text we do not recognise, kept verbatim: shown, never guessed.
    Unknown(String),
}

impl InstanceStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            InstanceStatus::Active => "active",
            InstanceStatus::Inactive => "inactive",
            InstanceStatus::Unknown(_) => "unknown",
        }
    }
}

impl fmt::Display for InstanceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceStatus::Unknown(raw) => write!(f, "unknown ({raw})"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// What one status check saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seen {
    Active,
    Inactive,
    Unknown,
    /// The instance could not be checked at all (key rejected, server
    /// unreachable, timeout): no news about the instance itself.
    Error,
}

impl Seen {
    /// The one mapping from a status answer (or its failure) to what the
    /// check saw.
    pub fn of<E>(answer: Result<&InstanceStatus, E>) -> Seen {
        match answer {
            Ok(InstanceStatus::Active) => Seen::Active,
            Ok(InstanceStatus::Inactive) => Seen::Inactive,
            Ok(InstanceStatus::Unknown(_)) => Seen::Unknown,
            Err(_) => Seen::Error,
        }
    }

    /// What a status answer saw, and the words worth keeping with it: the
    /// unknown status as sent, else the server's text.
    pub fn of_reply(status: &InstanceStatus, text: &str) -> (Seen, String) {
        let seen = Seen::of::<()>(Ok(status));
        let detail = match status {
            InstanceStatus::Unknown(raw) => raw.clone(),
            _ => text.to_string(),
        };
        (seen, detail)
    }

    pub fn name(self) -> &'static str {
        match self {
            Seen::Active => "active",
            Seen::Inactive => "inactive",
            Seen::Unknown => "unknown",
            Seen::Error => "error",
        }
    }

    /// The stored word back (the store's `state` column).
    pub fn parse(text: &str) -> Option<Seen> {
        Some(match text {
            "active" => Seen::Active,
            "inactive" => Seen::Inactive,
            "unknown" => Seen::Unknown,
            "error" => Seen::Error,
            _ => return None,
        })
    }

    /// The status column's word for it (filters and silences use those).
    pub fn health(self) -> Health {
        match self {
            Seen::Active => Health::Active,
            Seen::Inactive => Health::Inactive,
            Seen::Unknown => Health::Unknown,
            Seen::Error => Health::Error,
        }
    }
}

/// What the status column shows: what the last check saw, or nothing yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Health {
    /// Sorted first: what needs attention.
    Error,
    Inactive,
    Unknown,
    Active,
    NotChecked,
}

impl Health {
    /// The word metrics, logs and `--json` use; None before the first answer.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Health::Active => Some("active"),
            Health::Inactive => Some("inactive"),
            Health::Unknown => Some("unknown"),
            Health::Error => Some("error"),
            Health::NotChecked => None,
        }
    }
}

impl From<Seen> for Health {
    fn from(seen: Seen) -> Health {
        seen.health()
    }
}

#[cfg(test)]
mod tests {
    use super::{Health, InstanceStatus, Seen};

    #[test]
    fn every_answer_maps_once_and_names_round_trip() {
        let unknown = InstanceStatus::Unknown("Conectando".into());
        assert_eq!(Seen::of::<()>(Ok(&InstanceStatus::Active)), Seen::Active);
        assert_eq!(
            Seen::of::<()>(Ok(&InstanceStatus::Inactive)),
            Seen::Inactive
        );
        assert_eq!(Seen::of::<()>(Ok(&unknown)), Seen::Unknown);
        assert_eq!(Seen::of::<&str>(Err("timeout")), Seen::Error);
        for seen in [Seen::Active, Seen::Inactive, Seen::Unknown, Seen::Error] {
            assert_eq!(Seen::parse(seen.name()), Some(seen));
            assert_eq!(Health::from(seen).name(), Some(seen.name()));
        }
        assert_eq!(Health::NotChecked.name(), None);
    }
}
