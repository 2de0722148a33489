//! `wadash disconnect` and `wadash set …`: check locally, send, print the
//! server's words, remember what was set (the API cannot read it back).

use std::time::SystemTime;

use super::args::{GlobalArgs, OnOff, SetCommand};
use super::context::Context;
use super::{CliError, Outcome};
use crate::api::{Client, Confirmation};
use crate::memory::{LoadOutcome, Memory};
use crate::profile_image::{self, PrepareOptions};

/// WhatsApp's limits, checked before anything is sent.
pub const NAME_MAX_CHARS: usize = 25;
pub const DESCRIPTION_MAX_CHARS: usize = 139;

pub async fn disconnect(global: &GlobalArgs, id: &str) -> Result<Outcome, CliError> {
    let ctx = writable_context(global, id, "disconnect").await?;
    let (inst, account) = ctx.find(id)?;
    let reply = Client::new().disconnect(account, &inst.id).await?;
    println!("{} ({}): {}", inst.label, inst.id, reply.text);
    Ok(Outcome::Ok)
}

pub async fn set(global: &GlobalArgs, command: &SetCommand) -> Result<Outcome, CliError> {
    // Local checks first: a refused value never needs the config or the network.
    let checked = check(command)?;
    let id = command_id(command);
    let ctx = writable_context(global, id, "change settings").await?;
    let (inst, account) = ctx.find(id)?;
    let client = Client::new();
    let now = SystemTime::now();
    let reply: Confirmation = match (command, checked) {
        (SetCommand::Name { .. }, Checked::Text(name)) => {
            let reply = client.set_name(account, id, &name).await?;
            remember(&ctx, |m| m.record_name(id, name, now));
            reply
        }
        (SetCommand::Description { .. }, Checked::Text(text)) => {
            let reply = client.set_description(account, id, &text).await?;
            remember(&ctx, |m| m.record_description(id, text, now));
            reply
        }
        (SetCommand::Autoread { value, .. }, _) => {
            let on = *value == OnOff::On;
            let reply = client.set_auto_read(account, id, on).await?;
            remember(&ctx, |m| m.record_auto_read(id, on, now));
            reply
        }
        (
            SetCommand::Image {
                source,
                keep_original,
                ..
            },
            _,
        ) => {
            let source = profile_image::classify(source);
            let options = PrepareOptions {
                keep_original: *keep_original,
                shape: account.image_upload,
                ..PrepareOptions::default()
            };
            let prepared = profile_image::prepare(&source, &options)
                .map_err(|e| CliError(format!("picture refused, nothing sent: {e}")))?;
            let reply = client.set_image(account, id, &prepared.body).await?;
            remember(&ctx, |m| m.record_picture(id, source.describe(), now));
            reply
        }
        (SetCommand::Webhook { .. }, Checked::Text(url)) => {
            let reply = client.set_webhook(account, id, &url).await?;
            remember(&ctx, |m| m.record_webhook(id, url, now));
            reply
        }
        _ => {
            return Err(CliError("internal: unchecked value".into()));
        }
    };
    println!("{} ({}): {}", inst.label, inst.id, reply.text);
    Ok(Outcome::Ok)
}

/// A value that passed its local check, ready to send.
enum Checked {
    Text(String),
    /// Checked later (the picture) or needs no check (auto-read).
    Nothing,
}

fn check(command: &SetCommand) -> Result<Checked, CliError> {
    match command {
        SetCommand::Name { text, .. } => check_name(text).map(Checked::Text),
        SetCommand::Description { text, .. } => check_description(text).map(Checked::Text),
        SetCommand::Webhook { url, .. } => check_webhook(url).map(Checked::Text),
        SetCommand::Autoread { .. } | SetCommand::Image { .. } => Ok(Checked::Nothing),
    }
}

fn command_id(command: &SetCommand) -> &str {
    match command {
        SetCommand::Name { id, .. }
        | SetCommand::Description { id, .. }
        | SetCommand::Autoread { id, .. }
        | SetCommand::Image { id, .. }
        | SetCommand::Webhook { id, .. } => id,
    }
}

/// 1–25 characters, not blank; surrounding spaces are dropped.
pub fn check_name(text: &str) -> Result<String, CliError> {
    let name = text.trim();
    if name.is_empty() {
        return Err("the name is blank: WhatsApp needs 1 to 25 characters; nothing sent".into());
    }
    let count = name.chars().count();
    if count > NAME_MAX_CHARS {
        return Err(CliError(format!(
            "the name has {count} characters: WhatsApp allows at most {NAME_MAX_CHARS}; nothing sent"
        )));
    }
    Ok(name.to_string())
}

/// At most 139 characters (WhatsApp's "about"); may be empty.
pub fn check_description(text: &str) -> Result<String, CliError> {
    let count = text.chars().count();
    if count > DESCRIPTION_MAX_CHARS {
        return Err(CliError(format!(
            "the description has {count} characters: WhatsApp allows at most \
             {DESCRIPTION_MAX_CHARS}; nothing sent"
        )));
    }
    Ok(text.to_string())
}

/// An absolute https URL with a host: the vendor accepts nothing else.
pub fn check_webhook(raw: &str) -> Result<String, CliError> {
    let text = raw.trim();
    let url = url::Url::parse(text).map_err(|e| {
        CliError(format!(
            "the webhook {text:?} is not a URL ({e}); nothing sent"
        ))
    })?;
    if url.scheme() != "https" {
        return Err(CliError(format!(
            "the webhook must use https (got {}:); nothing sent",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(CliError(format!(
            "the webhook {text:?} has no host; nothing sent"
        )));
    }
    Ok(text.to_string())
}

async fn writable_context(global: &GlobalArgs, id: &str, what: &str) -> Result<Context, CliError> {
    let ctx = Context::load_for(global, &[id.to_string()]).await?;
    ctx.print_notices();
    if ctx.read_only(global) {
        return Err(CliError(format!(
            "read-only mode (--read-only or ui.read_only in the config): refusing to {what}"
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
        LoadOutcome::MovedAside { to, reason } => eprintln!(
            "warning: {} was unreadable ({reason}); moved to {} and started afresh",
            path.display(),
            to.display()
        ),
        LoadOutcome::Unusable { reason } => {
            eprintln!("warning: {} is unusable: {reason}", path.display())
        }
        LoadOutcome::Fresh | LoadOutcome::Loaded => {}
    }
    record(&mut memory);
    if let Err(e) = memory.save(path) {
        eprintln!(
            "warning: done, but could not record it in {}: {e}",
            path.display()
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
        assert!(check_description(&"é".repeat(139)).is_ok());
        assert!(check_description(&"é".repeat(140)).is_err());
    }

    #[test]
    fn webhook_must_be_https() {
        assert!(check_webhook("https://example.com/hook").is_ok());
        assert!(check_webhook("http://example.com/hook").is_err());
        assert!(check_webhook("example.com/hook").is_err());
        assert!(check_webhook("https://").is_err());
    }
}
