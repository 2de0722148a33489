//! Pairing: the QR pane's state machine (which requests are due, what an
//! answer changes) and the queue of instances to relink one after another.

pub mod qr_pane;
pub mod reconnect_queue;
