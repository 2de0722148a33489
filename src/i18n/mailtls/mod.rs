//! What alert channels say to people (subjects, bodies, "still down for…",
//! the default runbook), what `config check` says of each channel, and the
//! e-mail channel's TLS errors, per language. Machine fields (JSON keys,
//! Alertmanager labels, log event names) stay English and are not here.

mod en;
mod es;
mod pt;

pub use en::EN_MAIL;
pub use es::ES_MAIL;
pub use pt::PT_MAIL;

pub struct MailStrings {
    // the e-mail channel's TLS
    pub tls_setup: &'static str,
    pub ca_unreadable: &'static str,
    pub ca_not_pem: &'static str,
    pub untrusted_no_ca: &'static str,
    pub untrusted_with_ca: &'static str,
    pub plain_refused: &'static str,
    // what an alert says ({label}, {status}, {for}, {detail})
    pub kind_down: &'static str,
    pub kind_up: &'static str,
    pub kind_flapping: &'static str,
    pub kind_reminder: &'static str,
    pub kind_error: &'static str,
    pub kind_escalate: &'static str,
    pub kind_group: &'static str,
    pub up_after: &'static str,
    pub still_down: &'static str,
    pub group_summary: &'static str,
    pub and_more: &'static str,
    pub body_tags: &'static str,
    pub body_account: &'static str,
    pub body_since: &'static str,
    pub body_detail: &'static str,
    pub body_what_to_do: &'static str,
    pub default_runbook: &'static str,
    pub email_footer: &'static str,
    // `config check`, one line per channel ({name}, {what}, {match}…)
    pub check_hook: &'static str,
    pub check_webhook: &'static str,
    pub check_apprise: &'static str,
    pub check_alertmanager: &'static str,
    pub check_email: &'static str,
    pub check_no_login: &'static str,
    pub check_login: &'static str,
    pub check_password_env: &'static str,
    pub check_password_cmd: &'static str,
    pub check_match: &'static str,
    pub check_ca_file: &'static str,
    pub check_failed: &'static str,
    pub apprise_missing: &'static str,
    // relink links in alerts (`watch --public-url`): {why}, {count}, {max}
    pub relink_scan: &'static str,
    pub relink_none: &'static str,
    pub relink_some_none: &'static str,
    pub relink_cap: &'static str,
    pub check_relink_note: &'static str,
}
