//! Alert delivery, an executor: the monitor's `Effect::Alert`s go out
//! through hooks, webhooks and desktop notifications (`deliver`), with
//! the alert tables of the store kept by `runner`; each outcome comes back
//! as `CoreMsg::AlertDelivered`.

pub mod channel;
pub mod deliver;
pub mod links;
pub mod route;
pub mod runner;
pub mod start;
