//! The integration tests, as one binary: the real `wadash` binary, the
//! sandbox server, ptys, Prometheus, terminals under Xvfb. One binary links
//! once (see "Delete Cargo Integration Tests"); each face or subject is a
//! module beside this file, and `common` is the kit they share.

mod common;

mod acks;
mod alerts;
mod api_sandbox;
mod assets;
mod channels;
mod channels_alertmanager;
mod channels_alertmanager_restart;
mod channels_email;
mod channels_email_tls;
mod channels_lang;
mod children;
mod cli;
mod completions;
mod concurrent_edits;
mod config;
mod config_add;
mod config_cmd;
mod fairness;
mod faults;
mod fuzz;
mod getting_around;
mod guarded_actions;
mod headless;
mod headless_lang;
mod history;
mod history_faults;
mod history_pty;
mod history_truth_pty;
mod hostile_output;
mod keys_theme;
mod layers;
mod man;
mod messages;
mod operator_day;
mod picture_inputs;
mod profile_editing;
mod profile_image;
mod prometheus;
mod qr_image_payload;
mod qr_pane;
mod qr_roundtrip;
mod readme;
mod readme_start;
mod redirects;
mod report_maintenance;
mod share;
mod share_browser;
mod terminal_qr;
mod tui_pty;
mod watch;
mod watch_alerts;
mod watch_listener;
mod watch_outage;
mod watch_reload_guard;
mod watch_share;
mod watch_unit;
