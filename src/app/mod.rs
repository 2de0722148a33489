//! The dashboard's state machine: messages in, effects out (pure).

pub mod actions;
pub mod bulk;
pub mod bulk_confirm;
pub mod cycle;
pub mod effect;
pub mod fair;
pub mod filter;
pub mod filter_note;
pub mod filter_words;
pub mod form;
pub mod history_view;
pub mod keymap;
pub mod log;
pub mod msg;
pub mod qr_pane;
pub mod rebind;
pub mod reconnect_queue;
pub mod reload;
pub mod row;
pub mod schedule;
pub mod state;
pub mod update;

pub use effect::{Call, Effect, Purpose};
pub use msg::{ApiDone, CallError, Msg, Reply};
pub use state::{App, AppInit, Mode};
pub use update::update;

#[cfg(test)]
mod history_view_tests;
#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod fair_tests;
