//! `[[alerts.email]]`: one message per event over SMTP (lettre), with TLS
//! from the start or STARTTLS (required, never silently skipped), and the
//! password read when sending from an environment variable or a command,
//! so the config file holds none.

use std::process::Stdio;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::email_tls::explain;
use super::format::{plain, title};
use crate::alerts::deliver::WEBHOOK_TRIES;
use crate::child::{self, AsyncCollector};
use crate::config::channels::{EmailConfig, PasswordSource};
use crate::engine::alerts::event::AlertEvent;
use crate::secret::Secret;

/// One SMTP conversation gives up after this.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const BACKOFF: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];

/// The message for `event`: the title as subject, the plain body.
pub fn message(
    channel: &EmailConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
) -> Result<Message, String> {
    let from: Mailbox = channel
        .from
        .parse()
        .map_err(|e| format!("email from: {e}"))?;
    let mut builder = Message::builder()
        .from(from)
        .subject(title(event))
        .header(ContentType::TEXT_PLAIN);
    for to in &channel.to {
        builder = builder.to(to.parse().map_err(|e| format!("email to: {e}"))?);
    }
    let footer = crate::i18n::fill(
        crate::i18n::strings().mail.email_footer,
        &[("version", env!("CARGO_PKG_VERSION"))],
    );
    let body = format!("{}\n-- \n{footer}\n", plain(event, runbook));
    builder.body(body).map_err(|e| format!("email: {e}"))
}

pub async fn send(
    channel: &EmailConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
) -> Result<String, String> {
    // The log line names the channel as the config does.
    let shown = match &channel.meta.name {
        Some(name) => format!("`{name}` {}", channel.shown()),
        None => channel.shown(),
    };
    let outcome = attempt_all(channel, event, runbook, &shown).await;
    // A server's answer may quote the login.
    outcome.map_err(|e| crate::redact::redact(&e).into_owned())
}

async fn attempt_all(
    channel: &EmailConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
    shown: &str,
) -> Result<String, String> {
    let message = message(channel, event, runbook)?;
    let transport = transport(channel).await?;
    let mut last = String::new();
    for attempt in 0..WEBHOOK_TRIES {
        if attempt > 0 {
            tokio::time::sleep(BACKOFF[(attempt as usize - 1).min(BACKOFF.len() - 1)]).await;
        }
        match transport.send(message.clone()).await {
            Ok(resp) => return Ok(format!("{shown} accepted it ({})", resp.code())),
            // A refusal (bad login, unknown recipient) will not change on retry.
            Err(e) if e.is_permanent() => {
                return Err(format!("{shown}: {}", explain(channel, &e)));
            }
            Err(e) => last = format!("{shown}: {}", explain(channel, &e)),
        }
    }
    Err(format!("{last} ({WEBHOOK_TRIES} tries)"))
}

async fn transport(channel: &EmailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder =
        super::email_tls::builder(channel).map_err(|e| format!("{}: {e}", channel.shown()))?;
    let mut builder = builder.port(channel.port).timeout(Some(TIMEOUT));
    if let (Some(user), Some(source)) = (&channel.username, &channel.password) {
        let password = password(source).await?;
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose().to_string(),
        ));
    }
    Ok(builder.build())
}

/// The SMTP password, read fresh for each message (a rotated secret is
/// picked up); registered for redaction as a key is.
pub async fn password(source: &PasswordSource) -> Result<Secret, String> {
    match source {
        PasswordSource::Env(var) => match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => Ok(Secret::new(v.trim())),
            Ok(_) => Err(format!(
                "environment variable {var} (password_env) is empty"
            )),
            Err(_) => Err(format!(
                "environment variable {var} (password_env) is not set"
            )),
        },
        PasswordSource::Cmd(cmd) => password_from_cmd(cmd).await,
    }
}

/// `sh -c CMD`; the password is the first line of its output (the `pass`
/// convention). Its output never appears in an error.
async fn password_from_cmd(cmd: &str) -> Result<Secret, String> {
    let mut command = tokio::process::Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = command
        .spawn()
        .map_err(|e| format!("password_cmd: cannot run sh: {e}"))?;
    // To its exit, not to the end of its output (`echo PW; sleep 100 &`
    // holds that open), then its whole group is killed, on every path.
    let pid = child.id();
    let stdout = AsyncCollector::start(child.stdout.take(), 64 * 1024);
    let waited = tokio::time::timeout(TIMEOUT, child.wait()).await;
    if let Some(pid) = pid {
        child::kill_group(pid);
    }
    let out = stdout.finish(child::DRAIN).await;
    match waited.map(|status| (out, status)) {
        Ok((out, Ok(status))) if status.success() => {
            let text = String::from_utf8_lossy(&out);
            match text.lines().map(str::trim).find(|l| !l.is_empty()) {
                Some(line) => Ok(Secret::new(line)),
                None => Err("password_cmd printed nothing".into()),
            }
        }
        Ok((_, Ok(status))) => Err(format!("password_cmd failed ({status})")),
        Ok((_, Err(e))) => Err(format!("password_cmd: {e}")),
        Err(_) => Err(format!(
            "password_cmd did not finish within {} s",
            TIMEOUT.as_secs()
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::config::channels::{ChannelMeta, SmtpTls};
    use crate::engine::alerts::event::AlertKind;

    fn channel() -> EmailConfig {
        EmailConfig {
            server: "127.0.0.1".into(),
            port: 2525,
            tls: SmtpTls::None,
            ca_file: None,
            username: None,
            password: None,
            from: "wadash <alerts@example.com>".into(),
            to: vec!["ops@example.com".into(), "ana@example.com".into()],
            only: None,
            meta: ChannelMeta::default(),
        }
    }

    #[test]
    fn the_message_has_the_title_as_subject_and_the_runbook_in_the_body() {
        let event = AlertEvent {
            kind: AlertKind::Down,
            id: "AB12".into(),
            label: "Tienda\r\nBcc: evil@example.com".into(),
            account: "main".into(),
            tags: Vec::new(),
            status: "inactive".into(),
            detail: String::new(),
            since: SystemTime::UNIX_EPOCH,
            at: SystemTime::UNIX_EPOCH,
            down_for: None,
            grouped: None,
            members: Vec::new(),
            to: None,
        };
        let m = message(&channel(), &event, Some("relink: wadash qr AB12 --wait")).unwrap();
        let text = String::from_utf8(m.formatted()).unwrap();
        assert!(
            text.contains("To: ops@example.com, ana@example.com"),
            "{text}"
        );
        assert!(text.contains("what to do: relink: wadash qr AB12 --wait"));
        assert!(
            !text.contains("\r\nBcc:"),
            "a label cannot add a header: {text}"
        );
    }

    #[tokio::test]
    async fn a_password_comes_from_the_first_line_of_a_command() {
        let p = password(&PasswordSource::Cmd(
            "printf 'pw-from-cmd-123\\nnotes\\n'".into(),
        ))
        .await
        .unwrap();
        assert_eq!(p.expose(), "pw-from-cmd-123");
        let e = password(&PasswordSource::Cmd("echo secret-out; exit 3".into()))
            .await
            .unwrap_err();
        assert!(e.contains("failed") && !e.contains("secret-out"), "{e}");
        let e = password(&PasswordSource::Env("WADASH_TEST_NO_SUCH_VAR_9".into()))
            .await
            .unwrap_err();
        assert!(e.contains("not set"), "{e}");
    }

    #[tokio::test]
    async fn a_password_command_that_leaves_a_child_running_still_gives_its_password() {
        // The child holds stdout open after `sh` exits: read to the exit.
        let got =
            tokio::time::timeout(TIMEOUT, password_from_cmd("echo pw-123; sleep 100 &")).await;
        let got = got
            .expect("answered before the timeout")
            .expect("a password");
        assert_eq!(got.expose(), "pw-123");
    }
}
