//! The dashboard's modes, one module each: its state, how it opens and how
//! it handles its keys. `Mode` is the list of those states; `update` routes
//! a key to the module of the mode it finds.

use std::time::Duration;

use tui_input::Input;

use crate::engine::pairing::qr_pane::QrPane;
use crate::keys::ModeKind;

pub mod command;
pub mod confirm;
pub mod doctor;
pub mod filter;
pub mod form;
pub mod help;
pub mod history;
pub mod list;
pub mod log;
pub mod qr;

use confirm::Confirm;
use form::{Form, FormKind};

/// How long a mode's info flash stays.
pub(crate) const FLASH: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub enum Mode {
    List,
    Filter(Input),
    Command(Input),
    Help {
        scroll: u16,
    },
    Log,
    /// `:doctor`'s report in its own pane (scroll).
    Doctor(u16),
    Confirm(Confirm),
    Form(Form),
    /// Scanning a QR code to connect an instance (boxed: it holds a code).
    Qr(Box<QrPane>),
    /// The selected instance's stored periods (scroll in `App::history`).
    History,
}

impl Mode {
    pub fn kind(&self) -> ModeKind {
        match self {
            Mode::List => ModeKind::List,
            Mode::Filter(_) => ModeKind::Filter,
            Mode::Command(_) => ModeKind::Command,
            Mode::Help { .. } => ModeKind::Help,
            Mode::Log => ModeKind::Log,
            Mode::Doctor(_) => ModeKind::Doctor,
            Mode::Confirm(_) => ModeKind::Confirm,
            Mode::Form(form) if matches!(form.kind, FormKind::Picture { .. }) => {
                ModeKind::PictureForm
            }
            Mode::Form(form) if matches!(form.kind, FormKind::AutoRead { .. }) => ModeKind::Choice,
            Mode::Form(_) => ModeKind::Form,
            Mode::Qr(_) => ModeKind::Qr,
            Mode::History => ModeKind::History,
        }
    }
}
