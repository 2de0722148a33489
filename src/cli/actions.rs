//! `wadash disconnect` and `wadash set …`: check locally, send, print the
//! server's words, remember what was set (the API cannot read it back).

use std::time::SystemTime;

use super::args::{GlobalArgs, OnOff, SetCommand};
use super::context::Context;
use super::{CliError, Outcome};
use crate::api::{Client, Confirmation};
use crate::config::RosterInstance;
use crate::i18n::{fill, strings};
use crate::memory::{LoadOutcome, Memory};
use crate::profile_image::{self, PrepareOptions};
use crate::profile_text::{self, NAME_MAX, ProfileTextError};

pub async fn disconnect(global: &GlobalArgs, id: &str) -> Result<Outcome, CliError> {
    let ctx = writable_context(global, id, strings().cli.act_disconnect).await?;
    let (inst, account) = ctx.find(id)?;
    let reply = Client::new().disconnect(account, &inst.id).await?;
    crate::say!("{} ({}): {}", inst.label, inst.id, reply.text);
    // Planned downtime in the store, as the dashboard's `D` records it:
    // a cron `status` after this must not count a drop.
    let seen = vec![crate::engine::observe::disconnected(
        &inst.id,
        SystemTime::now(),
        &reply.text,
    )];
    let history = ctx.history.clone();
    let notices = tokio::task::spawn_blocking(move || crate::history::record_once(&history, seen))
        .await
        .unwrap_or_default();
    for notice in notices {
        eprintln!("{}: {notice}", strings().word_warning);
    }
    Ok(Outcome::Ok)
}

pub async fn set(global: &GlobalArgs, command: &SetCommand) -> Result<Outcome, CliError> {
    // Each arm checks its value before loading the context: a refused value
    // never needs the config or the network.
    let client = Client::new();
    let now = SystemTime::now();
    match command {
        SetCommand::Name { id, text } => {
            let name = check_name(text)?;
            let ctx = writable_context(global, id, strings().cli.act_change_settings).await?;
            let (inst, account) = ctx.find(id)?;
            let reply = client.set_name(account, id, &name).await?;
            remember(&ctx, |m| m.record_name(id, name, now));
            print_reply(inst, &reply);
        }
        SetCommand::Description { id, text } => {
            let text = check_description(text)?;
            let ctx = writable_context(global, id, strings().cli.act_change_settings).await?;
            let (inst, account) = ctx.find(id)?;
            let reply = client.set_description(account, id, &text).await?;
            remember(&ctx, |m| m.record_description(id, text, now));
            print_reply(inst, &reply);
        }
        SetCommand::Autoread { id, value } => {
            let on = *value == OnOff::On;
            let ctx = writable_context(global, id, strings().cli.act_change_settings).await?;
            let (inst, account) = ctx.find(id)?;
            let reply = client.set_auto_read(account, id, on).await?;
            remember(&ctx, |m| m.record_auto_read(id, on, now));
            print_reply(inst, &reply);
        }
        SetCommand::Image {
            id,
            source,
            keep_original,
        } => {
            let source = profile_image::classify(source);
            let ctx = writable_context(global, id, strings().cli.act_change_settings).await?;
            let (inst, account) = ctx.find(id)?;
            // Checked here: the account's upload shape decides what is built.
            let options = PrepareOptions {
                keep_original: *keep_original,
                shape: account.image_upload,
                ..PrepareOptions::default()
            };
            let prepared = profile_image::prepare_within(
                source.clone(),
                options,
                profile_image::PREPARE_TIMEOUT,
            )
            .await
            .map_err(|e| {
                let why = super::image_words::refusal(&e);
                CliError(fill(strings().cli.act_picture_refused, &[("e", &why)]))
            })?;
            let reply = client.set_image(account, id, &prepared.body).await?;
            remember(&ctx, |m| m.record_picture(id, source.describe(), now));
            print_reply(inst, &reply);
        }
        SetCommand::Webhook { id, url } => {
            let url = check_webhook(url)?;
            let ctx = writable_context(global, id, strings().cli.act_change_settings).await?;
            let (inst, account) = ctx.find(id)?;
            let reply = client.set_webhook(account, id, &url).await?;
            remember(&ctx, |m| m.record_webhook(id, url, now));
            print_reply(inst, &reply);
        }
    }
    Ok(Outcome::Ok)
}

fn print_reply(inst: &RosterInstance, reply: &Confirmation) {
    crate::say!("{} ({}): {}", inst.label, inst.id, reply.text);
}

/// The name to send, trimmed, or why it is refused.
pub fn check_name(text: &str) -> Result<String, CliError> {
    profile_text::validate_name(text).map_err(|e| refused(strings().cli.act_the_name, e))
}

/// The description to send, trimmed, or why it is refused.
pub fn check_description(text: &str) -> Result<String, CliError> {
    profile_text::validate_description(text)
        .map_err(|e| refused(strings().cli.act_the_description, e))
}

fn refused(what: &str, e: ProfileTextError) -> CliError {
    let t = strings().cli;
    let text = match e {
        ProfileTextError::Blank => fill(
            t.act_blank,
            &[("what", what), ("max", &NAME_MAX.to_string())],
        ),
        ProfileTextError::TooLong { chars, max } => fill(
            t.act_too_long,
            &[
                ("what", what),
                ("chars", &chars.to_string()),
                ("max", &max.to_string()),
            ],
        ),
        ProfileTextError::Control(c) => fill(
            t.act_control,
            &[
                ("what", what),
                ("c", control_name(c)),
                ("code", &format!("{:04X}", c as u32)),
            ],
        ),
        ProfileTextError::Invisible => fill(t.act_invisible, &[("what", what)]),
    };
    CliError(text)
}

/// "A line break", as the user's language names it.
fn control_name(c: char) -> &'static str {
    let t = strings().cli;
    match c {
        '\n' | '\r' => t.ctl_line_break,
        '\t' => t.ctl_tab,
        '\u{1b}' => t.ctl_escape,
        '\u{7}' => t.ctl_bell,
        c if crate::sanitize::is_bidi_control(c) => t.ctl_bidi,
        _ => t.ctl_other,
    }
}

/// An absolute https URL with a host: the vendor accepts nothing else.
pub fn check_webhook(raw: &str) -> Result<String, CliError> {
    let text = raw.trim();
    let url = url::Url::parse(text).map_err(|e| {
        CliError(fill(
            strings().cli.act_webhook_not_url,
            &[("text", &format!("{text:?}")), ("e", &e.to_string())],
        ))
    })?;
    if url.scheme() != "https" {
        return Err(CliError(fill(
            strings().cli.act_webhook_https,
            &[("scheme", url.scheme())],
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(CliError(fill(
            strings().cli.act_webhook_no_host,
            &[("text", &format!("{text:?}"))],
        )));
    }
    Ok(text.to_string())
}

async fn writable_context(global: &GlobalArgs, id: &str, what: &str) -> Result<Context, CliError> {
    let ctx = Context::load_for(global, &[id.to_string()]).await?;
    ctx.print_notices();
    if ctx.read_only(global) {
        return Err(CliError(fill(
            strings().cli.act_read_only,
            &[("what", what)],
        )));
    }
    Ok(ctx)
}

/// Record a value that the server accepted, so the dashboard can show it.
/// Failing to record is a warning: the change itself succeeded.
fn remember(ctx: &Context, record: impl FnOnce(&mut Memory)) {
    let Some(path) = &ctx.memory_path else {
        return;
    };
    let (mut memory, outcome) = Memory::load(path);
    match &outcome {
        LoadOutcome::MovedAside { to, reason } => crate::say_err!(
            "{}: {}",
            strings().word_warning,
            fill(
                strings().cli.act_memory_moved,
                &[
                    ("path", &path.display().to_string()),
                    ("reason", reason),
                    ("to", &to.display().to_string()),
                ]
            )
        ),
        LoadOutcome::Unusable { reason } => crate::say_err!(
            "{}: {}",
            strings().word_warning,
            fill(
                strings().cli.act_memory_unusable,
                &[("path", &path.display().to_string()), ("reason", reason)]
            )
        ),
        LoadOutcome::Fresh | LoadOutcome::Loaded => {}
    }
    record(&mut memory);
    if let Err(e) = memory.save(path) {
        crate::say_err!(
            "{}: {}",
            strings().word_warning,
            fill(
                strings().cli.act_not_recorded,
                &[("path", &path.display().to_string()), ("e", &e.to_string())]
            )
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_limits() {
        assert_eq!(check_name("  Tienda Lima ").unwrap(), "Tienda Lima");
        assert!(check_name("   ").is_err());
        assert!(check_name(&"ñ".repeat(25)).is_ok());
        let err = check_name(&"a".repeat(26)).unwrap_err().0;
        assert!(err.contains("26 characters"), "{err}");
    }

    #[test]
    fn description_limits() {
        assert!(check_description("").is_ok());
        // Trimmed before counting, as in the dashboard: this is what is sent.
        let padded = format!("{} ", "é".repeat(139));
        assert_eq!(check_description(&padded).unwrap(), "é".repeat(139));
        let err = check_description(&"é".repeat(140)).unwrap_err().0;
        assert!(err.contains("140 characters"), "{err}");
    }

    #[test]
    fn webhook_must_be_https() {
        assert!(check_webhook("https://example.com/hook").is_ok());
        assert!(check_webhook("http://example.com/hook").is_err());
        assert!(check_webhook("example.com/hook").is_err());
        assert!(check_webhook("https://").is_err());
    }
}
