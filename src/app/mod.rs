//! The dashboard face: its state (`App` = the monitor + screen state), its
//! messages (the engine's plus terminal events), and `update`, the one
//! place either changes. Drawing is `crate::ui`, reading `&App`.

pub mod ack;
pub mod actions;
pub mod bulk;
pub mod command_history;
pub mod commands;
pub mod context;
pub mod filter_note;
pub mod history_truth;
pub mod history_view;
pub mod init;
pub mod log;
pub mod log_filter;
pub mod modes;
pub mod msg;
pub mod order;
pub mod screen;
pub mod state;
pub mod update;

pub use init::AppInit;
pub use modes::Mode;
pub use msg::Msg;
pub use state::App;
pub use update::update;

#[cfg(test)]
pub(crate) mod tests;
