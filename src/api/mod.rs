//! Client for the instance-configuration API (see shared/API-CONTRACT.md).

mod client;
mod error;
pub mod response;
mod types;

pub use client::{
    Account, CONNECT_TIMEOUT, Client, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, is_loopback,
    parse_base_url,
};
pub use error::ApiError;
pub use types::*;
