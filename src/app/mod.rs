//! The dashboard face: its state (`App` = the monitor + screen state), its
//! messages (the engine's plus terminal events), and `update`, the one
//! place either changes. Drawing is `crate::ui`, reading `&App`.

pub mod actions;
pub mod bulk;
pub mod bulk_confirm;
pub mod filter_note;
pub mod form;
pub mod history_truth;
pub mod history_view;
pub mod log;
pub mod msg;
pub mod state;
pub mod update;

pub use msg::Msg;
pub use state::{App, AppInit, Mode};
pub use update::update;

#[cfg(test)]
pub(crate) mod tests;
