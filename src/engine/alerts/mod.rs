//! Alerts: the rules (debounce both ways, errors kept apart, flapping,
//! reminders, grouping, silences) that turn checks into alert events, and
//! the monitor's feed into them. Delivery is an executor's job
//! (the runtime's `alerts` module).

pub mod event;
pub mod feed;
pub mod rules;

pub use crate::domain::matcher::{Matcher, Silence, Subject};
pub use event::{AlertEvent, AlertKind, Member, from_unix, unix};
pub use rules::{Check, Condition, Engine, Settings, StateRow};
