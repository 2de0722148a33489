//! Channels beyond hooks and webhooks (issue 20): Apprise, Alertmanager,
//! email, and the Discord and ntfy webhook bodies; plus what every channel
//! shares: its matcher narrowing a group, its runbook line, and the masking
//! of the tokens its URLs hold.

pub mod alertmanager;
pub mod apprise;
pub mod email;
pub mod format;
pub mod scope;
pub mod secrets;
