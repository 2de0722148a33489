//! `config check` for `[alerts]` channels: each one said in a line with its
//! secrets masked, and what would stop it from delivering (no `apprise`
//! program, an unset password variable, a failing password command) counted
//! as a problem.

use crate::alerts::channel::{apprise, email, secrets};
use crate::config::alerts::{AlertsConfig, WebhookFormat};
use crate::config::channels::{ChannelMeta, PasswordSource};

/// Prints one line per channel; returns how many problems it found.
pub fn check(alerts: &AlertsConfig) -> usize {
    // Before anything is printed: tokens in URLs are masked from here on.
    secrets::register(&crate::alerts::deliver::Channels::unattended(alerts));
    let mut errors = 0;
    for h in &alerts.hooks {
        crate::say!(
            "ok: alerts: hook{} runs {}{}",
            named(&h.meta),
            h.command[0],
            matcher(h.only.as_ref())
        );
    }
    for w in &alerts.webhooks {
        let format = match w.format {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
            WebhookFormat::Discord => "discord",
            WebhookFormat::Ntfy => "ntfy",
        };
        crate::say!(
            "ok: alerts: webhook{} {} ({format}){}",
            named(&w.meta),
            w.shown(),
            matcher(w.only.as_ref())
        );
    }
    if let Some(problem) = apprise::missing_program(alerts) {
        errors += 1;
        crate::say!("error: {problem}");
    }
    for a in &alerts.apprise {
        crate::say!(
            "ok: alerts: apprise{} {}{}",
            named(&a.meta),
            a.shown(),
            matcher(a.only.as_ref())
        );
    }
    for m in &alerts.alertmanager {
        crate::say!(
            "ok: alerts: alertmanager{} {} (firing alerts re-sent every {}){}",
            named(&m.meta),
            m.shown(),
            humantime::format_duration(m.resend),
            matcher(m.only.as_ref())
        );
    }
    for e in &alerts.email {
        let login = match (&e.username, &e.password) {
            (Some(user), Some(source)) => match password_state(source) {
                Ok(state) => format!("; login {user}, password {state}"),
                Err(problem) => {
                    errors += 1;
                    crate::say!("error: alerts: email{}: {problem}", named(&e.meta));
                    continue;
                }
            },
            _ => "; no login".to_string(),
        };
        crate::say!(
            "ok: alerts: email{} {} to {} recipient(s){login}{}",
            named(&e.meta),
            e.shown(),
            e.to.len(),
            matcher(e.only.as_ref())
        );
    }
    errors
}

fn named(meta: &ChannelMeta) -> String {
    meta.name
        .as_ref()
        .map(|n| format!(" `{n}`"))
        .unwrap_or_default()
}

fn matcher(only: Option<&crate::domain::Matcher>) -> String {
    only.map(|m| format!(", match {:?}", m.text()))
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
    let from = match source {
        PasswordSource::Env(var) => format!("from password_env {var}"),
        PasswordSource::Cmd(_) => "from password_cmd".to_string(),
    };
    // Not even the last characters a key shows: a password is short.
    drop(secret);
    Ok(format!("{from}: ••••"))
}
