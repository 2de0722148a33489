//! The engine: pure (no tokio, reqwest, rusqlite, ratatui, crossterm,
//! `std::fs`, and no clock reads: time arrives on ticks and answers). It
//! owns the fleet (rows, schedule, due queue, cap, slow lane, cycle), the
//! alert engine, and the pairing state machines (the QR pane's timers and
//! answers, the reconnect queue).
//!
//! `monitor::step(&mut Monitor, CoreMsg, &mut Step)`: effects out to the
//! executors (`runtime`), events out to the face. The layering test
//! (`tests/it/layers.rs`) keeps it pure and below every face.

pub mod alerts;
pub mod cycle;
pub mod effect;
pub mod event;
pub mod fair;
pub mod monitor;
pub mod msg;
pub mod observe;
pub mod pairing;
pub mod polls;
pub mod reload;
pub mod row;
pub mod schedule;

pub use effect::{Call, Effect, NewInstance, Purpose};
pub use event::Event;
pub use monitor::{AccountView, Command, InstanceSeed, Monitor, Step, step};
pub use msg::{ApiDone, CallError, ConfigEdit, CoreMsg, PicturePreview, Reply};
