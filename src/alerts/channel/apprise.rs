//! `[[alerts.apprise]]`: one `apprise` run per event, reaching every URL of
//! the channel (Telegram, ntfy, email, Matrix… 100+ services).
//!
//! The URLs hold tokens, so they never go on the command line (any local
//! user can read it in `ps`): they go in a private temporary config file
//! passed with `-c`. The body goes on stdin, the title with `-t` and the
//! severity with `-n`.

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::format::{Severity, plain, severity, title};
use crate::alerts::deliver::one_line;
use crate::child::{self, AsyncCollector};
use crate::config::alerts::AlertsConfig;
use crate::config::channels::AppriseConfig;
use crate::engine::alerts::event::AlertEvent;

pub const PROGRAM: &str = "apprise";
/// Apprise sends to a channel's URLs at once; a slow service still gets
/// this long before the run is killed.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// Of each of its outputs, kept for the report when it fails.
const OUTPUT_KEPT: u64 = 4096;

/// Where `apprise` is on PATH, if anywhere.
pub fn find() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(PROGRAM))
        .find(|p| p.is_file())
}

/// `config check` and `watch` start-up: apprise channels need the program.
pub fn missing_program(alerts: &AlertsConfig) -> Option<String> {
    if alerts.apprise.is_empty() || find().is_some() {
        return None;
    }
    Some(crate::i18n::fill(
        crate::i18n::strings().mail.apprise_missing,
        &[("program", PROGRAM)],
    ))
}

fn notify_type(event: &AlertEvent) -> &'static str {
    match severity(event) {
        Severity::Failure => "failure",
        Severity::Warning => "warning",
        Severity::Success => "success",
    }
}

pub async fn send(
    channel: &AppriseConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
) -> Result<String, String> {
    let shown = channel.shown();
    let mut file = tempfile::Builder::new()
        .prefix("wadash-apprise-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("apprise: cannot write its config file: {e}"))?;
    // tempfile creates it readable by its owner only.
    for url in &channel.urls {
        writeln!(file, "{url}").map_err(|e| format!("apprise: {e}"))?;
    }
    file.flush().map_err(|e| format!("apprise: {e}"))?;
    let mut cmd = tokio::process::Command::new(PROGRAM);
    // -v: its warnings (why a service failed), which it prints on stdout.
    cmd.arg("-v")
        .arg("-c")
        .arg(file.path())
        .args(["-t", &title(event), "-n", notify_type(event)])
        .env_remove(crate::config::API_KEY_ENV)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    for name in crate::redact::env_vars_holding_keys() {
        cmd.env_remove(name);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("{PROGRAM} ({shown}): {e}"))?;
    // Taken now: tokio forgets the pid once the child is reaped.
    let pid = child.id();
    let body = plain(event, runbook);
    let stdin = child.stdin.take();
    let stdout = AsyncCollector::start(child.stdout.take(), OUTPUT_KEPT);
    let stderr = AsyncCollector::start(child.stderr.take(), OUTPUT_KEPT);
    // To its exit, not to the end of its output: a helper it left running
    // may hold that open for ever.
    let run = async {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(body.as_bytes()).await;
            // Dropped here: apprise reads the body up to end of file.
        }
        child.wait().await
    };
    let waited = tokio::time::timeout(TIMEOUT, run).await;
    // Every path: nothing it started outlives it.
    if let Some(pid) = pid {
        child::kill_group(pid);
    }
    let mut buf = stdout.finish(child::DRAIN).await;
    buf.extend_from_slice(&stderr.finish(child::DRAIN).await);
    let outcome = match waited {
        Ok(Ok(status)) if status.success() => Ok(format!("{PROGRAM} ({shown}) exited 0")),
        Ok(Ok(status)) => {
            let text = last_lines(&String::from_utf8_lossy(&buf));
            Err(format!("{PROGRAM} ({shown}) failed ({status}){text}"))
        }
        Ok(Err(e)) => Err(format!("{PROGRAM} ({shown}): {e}")),
        Err(_) => Err(format!(
            "{PROGRAM} ({shown}) still running after {} s: killed",
            TIMEOUT.as_secs()
        )),
    };
    drop(file);
    // Apprise may quote a URL in its errors.
    outcome.map_err(|e| crate::redact::redact(&e).into_owned())
}

/// Apprise's last words (its reason is at the end), on one line.
fn last_lines(output: &str) -> String {
    let lines: Vec<&str> = output
        .lines()
        .map(|l| without_timestamp(l.trim()))
        .filter(|l| !l.is_empty())
        .collect();
    let tail = lines[lines.len().saturating_sub(2)..].join(" / ");
    if tail.is_empty() {
        String::new()
    } else {
        format!(": {}", one_line(&tail))
    }
}

/// "2026-12-04 12:50:56,275 - WARNING - text" → "text".
fn without_timestamp(line: &str) -> &str {
    let starts_with_date = line.len() > 10 && line.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    match line
        .split_once(" - ")
        .and_then(|(_, rest)| rest.split_once(" - "))
    {
        Some((_, text)) if starts_with_date => text,
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_lines_of_stderr_are_kept() {
        assert_eq!(last_lines(""), "");
        assert_eq!(last_lines("a\n\nb\nc\n"), ": b / c");
        assert_eq!(
            last_lines("2026-12-04 12:50:56,275 - WARNING - A connection error occurred.\n"),
            ": A connection error occurred."
        );
    }
}
