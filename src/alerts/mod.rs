//! Alerts: a pure engine that turns status checks into alert events
//! (debounced, grouped, silenced, flap-aware), and their delivery (hooks,
//! webhooks, desktop notifications) run by the worker.
//!
//! Data flows like the rest of the app: `update` feeds every status answer
//! to [`Engine::observe`] and every tick to [`Engine::tick`]; the events come
//! out as `Effect::Alert`, the worker delivers them (`deliver`) and reports
//! each outcome back as `Msg::AlertDelivered`.

pub mod channel;
pub mod deliver;
pub mod engine;
pub mod event;
pub mod feed;
pub mod matcher;
pub mod persist;
pub mod runner;

pub use engine::{Check, Condition, Engine, Settings, StateRow};
pub use event::{AlertEvent, AlertKind, Member, Seen, from_unix, unix};
pub use matcher::{Matcher, Silence, Subject};
