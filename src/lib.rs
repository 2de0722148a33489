//! wadash: a terminal dashboard for "API WhatsApp Web" instances.
//!
//! One core (API client, config, QR, profile image), three faces: the
//! dashboard, headless commands, and a sandbox server implementing the API.

pub mod alerts;
pub mod api;
pub mod app;
pub mod base64_lenient;
pub mod child;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod domain;
pub mod engine;
pub mod fd_limit;
pub mod history;
pub mod host_check;
pub mod i18n;
pub mod keys;
pub mod malloc_arenas;
pub mod memory;
pub mod metrics;
pub mod metrics_http;
pub mod metrics_series;
pub mod output_file;
pub mod pacer;
pub mod pane_calls;
pub mod profile_image;
pub mod profile_text;
pub mod qr;
pub mod redact;
pub mod run_loop;
pub mod sandbox;
pub mod sanitize;
pub mod secret;
pub mod share;
pub mod signals;
pub mod term;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod url_secret;
pub mod watch;
pub mod worker;
