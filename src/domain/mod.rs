//! The shared vocabulary, below every adapter and the engine: what a check
//! saw and the one mapping from an answer to it, a row's status, the filter
//! language, and the observations the store keeps. No I/O, no clock, no
//! project dependencies but `base`-level helpers.

pub mod alert_state;
pub mod calendar;
pub mod check;
pub mod filter;
pub mod filter_terms;
pub mod filter_words;
pub mod holds;
pub mod matcher;
pub mod observation;

pub use check::{Health, InstanceStatus, Seen};
pub use filter::Filter;
pub use matcher::{Matcher, Silence, Subject};
pub use observation::{Cause, Observation};
