//! The QR handed over: a one-time web page with an instance's live pairing
//! code, for whoever holds the phone (`wadash share ID`).
//!
//! The link carries a 256-bit token from the OS's random source; the page
//! shows only that instance's label and code, refreshed as it rotates, and
//! turns into "linked ✓" when the status goes active; then, as when the
//! link expires, the token answers 404.
//!
//! Split by job: `token` (the secret in the URL), `state` (the open
//! shares and the per-token request limit), `page` (the HTML), `server`
//! (the routes and their headers), `live` (fetching codes through the QR
//! pane's schedule), `send` (pushing the link through apprise), `listen`
//! (where to serve and the link to print), `host` (shares inside the dashboard),
//! `alert_links` (the links `watch` puts in its alerts).

pub mod alert_links;
pub mod host;
pub mod listen;
pub mod live;
pub mod page;
pub mod send;
pub mod server;
pub mod state;
pub mod token;

pub use state::Shares;
pub use token::Token;
