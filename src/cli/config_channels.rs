//! `config check` for `[alerts]` channels: each one said in a line with its
//! secrets masked, and what would stop it from delivering (no `apprise`
//! program, an unset password variable, a failing password command, an
//! unreadable `ca_file`) counted as a problem. In the user's language.

use crate::alerts::channel::{apprise, email, email_tls, secrets};
use crate::config::alerts::{AlertsConfig, WebhookFormat};
use crate::config::channels::{ChannelMeta, EmailConfig, PasswordSource};
use crate::domain::Matcher;
use crate::i18n::fill;

/// Prints one line per channel; returns how many problems it found.
pub fn check(alerts: &AlertsConfig) -> usize {
    // Before anything is printed: tokens in URLs are masked from here on.
    secrets::register(&crate::alerts::deliver::Channels::unattended(alerts));
    let t = &crate::i18n::strings().mail;
    let mut errors = 0;
    for h in &alerts.hooks {
        let what = h.command[0].as_str();
        say(t.check_hook, &h.meta, h.only.as_ref(), &[("what", what)]);
    }
    for w in &alerts.webhooks {
        let format = match w.format {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
            WebhookFormat::Discord => "discord",
            WebhookFormat::Ntfy => "ntfy",
        };
        let what = w.shown();
        let values = [("what", what.as_str()), ("format", format)];
        say(t.check_webhook, &w.meta, w.only.as_ref(), &values);
    }
    if let Some(problem) = apprise::missing_program(alerts) {
        errors += 1;
        crate::say!("error: {problem}");
    }
    for a in &alerts.apprise {
        let what = a.shown();
        say(
            t.check_apprise,
            &a.meta,
            a.only.as_ref(),
            &[("what", &what)],
        );
    }
    for m in &alerts.alertmanager {
        let (what, every) = (m.shown(), humantime::format_duration(m.resend).to_string());
        let values = [("what", what.as_str()), ("every", every.as_str())];
        say(t.check_alertmanager, &m.meta, m.only.as_ref(), &values);
    }
    for e in &alerts.email {
        match email_parts(e) {
            Ok((login, ca)) => {
                let (what, count) = (e.shown(), e.to.len().to_string());
                let values = [
                    ("what", what.as_str()),
                    ("count", count.as_str()),
                    ("login", login.as_str()),
                    ("ca", ca.as_str()),
                ];
                say(t.check_email, &e.meta, e.only.as_ref(), &values);
            }
            Err(problem) => {
                errors += 1;
                let name = named(&e.meta);
                let line = fill(t.check_failed, &[("name", &name), ("problem", &problem)]);
                crate::say!("{line}");
            }
        }
    }
    errors
}

/// One channel's line: its template with the name, the matcher and `values`.
fn say(template: &str, meta: &ChannelMeta, only: Option<&Matcher>, values: &[(&str, &str)]) {
    let (name, filter) = (named(meta), matcher(only));
    let mut all = vec![("name", name.as_str()), ("match", filter.as_str())];
    all.extend_from_slice(values);
    let line = fill(template, &all);
    crate::say!("{line}");
}

/// The login and the extra trust of an e-mail channel, or what stops it.
fn email_parts(e: &EmailConfig) -> Result<(String, String), String> {
    let t = &crate::i18n::strings().mail;
    let login = match (&e.username, &e.password) {
        (Some(user), Some(source)) => {
            let from = password_state(source)?;
            fill(t.check_login, &[("user", user), ("from", &from)])
        }
        _ => t.check_no_login.to_string(),
    };
    let ca = match &e.ca_file {
        Some(path) => {
            let (_, count) = email_tls::ca_certificates(path)?;
            let shown = path.display().to_string();
            fill(
                t.check_ca_file,
                &[("count", &count.to_string()), ("path", &shown)],
            )
        }
        None => String::new(),
    };
    Ok((login, ca))
}

fn named(meta: &ChannelMeta) -> String {
    meta.name
        .as_ref()
        .map(|n| format!(" `{n}`"))
        .unwrap_or_default()
}

fn matcher(only: Option<&Matcher>) -> String {
    let t = &crate::i18n::strings().mail;
    only.map(|m| fill(t.check_match, &[("filter", &format!("{:?}", m.text()))]))
        .unwrap_or_default()
}

/// Where the password comes from and its masked form, reading it as a
/// delivery would (the command is run).
fn password_state(source: &PasswordSource) -> Result<String, String> {
    // On a thread of its own: `config check` may already run inside a runtime.
    let secret = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?
                    .block_on(email::password(source))
            })
            .join()
            .unwrap_or_else(|_| Err("reading the password failed".into()))
    })?;
    let t = &crate::i18n::strings().mail;
    let from = match source {
        PasswordSource::Env(var) => fill(t.check_password_env, &[("var", var)]),
        PasswordSource::Cmd(_) => t.check_password_cmd.to_string(),
    };
    // Not even the last characters a key shows: a password is short.
    drop(secret);
    Ok(from)
}
