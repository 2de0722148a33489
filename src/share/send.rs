//! `--send URL`: push the link (and the current code as a PNG) through the
//! `apprise` command, which speaks 100+ services from one URL syntax
//! (`tgram://…`, `ntfy://…`, `mailto://…`, `json://…`).
//!
//! Its own small function for now; the alert channels call apprise too
//! and the two will share one caller later.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use crate::child::{self, AsyncCollector};

/// Long enough for a slow mail server; a hung apprise must not hold the share.
const APPRISE_TIMEOUT: Duration = Duration::from_secs(60);
/// Keep the end of apprise's complaint, not pages of it.
const MAX_ERROR_CHARS: usize = 400;
/// Output kept for the error message (its tail is what is shown).
const MAX_OUTPUT: u64 = 64 * 1024;

/// Send `title` and `body` (with `attach`, a file, if given) to `url`.
///
/// The URL holds bot tokens and passwords: it is registered for redaction
/// first, so no error or log line can print it.
pub async fn apprise(
    url: &str,
    title: &str,
    body: &str,
    attach: Option<&Path>,
) -> Result<(), String> {
    crate::redact::register(url);
    let mut cmd = Command::new("apprise");
    cmd.arg("-t").arg(title).arg("-b").arg(body);
    if let Some(file) = attach {
        cmd.arg("--attach").arg(file);
    }
    cmd.arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own group: nothing it starts outlives it (see `crate::child`).
        .process_group(0)
        .kill_on_drop(true);
    for name in crate::redact::env_vars_holding_keys() {
        cmd.env_remove(name);
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "the `apprise` command is not installed (Debian: apt install apprise; or pipx install apprise)".to_string()
        }
        _ => format!("cannot start apprise: {e}"),
    })?;
    let pid = child.id();
    let stdout = AsyncCollector::start(child.stdout.take(), MAX_OUTPUT);
    let stderr = AsyncCollector::start(child.stderr.take(), MAX_OUTPUT);
    // To its exit, not to the end of its output; then its group is killed.
    let waited = tokio::time::timeout(APPRISE_TIMEOUT, child.wait()).await;
    if let Some(pid) = pid {
        child::kill_group(pid);
    }
    let (stdout, stderr) = (
        stdout.finish(child::DRAIN).await,
        stderr.finish(child::DRAIN).await,
    );
    let status = waited
        .map_err(|_| format!("apprise did not finish in {}s", APPRISE_TIMEOUT.as_secs()))?
        .map_err(|e| format!("apprise failed: {e}"))?;
    if status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&stderr);
    let said = if said.trim().is_empty() {
        String::from_utf8_lossy(&stdout)
    } else {
        said
    };
    let tail: String = {
        let chars: Vec<char> = said.trim().chars().collect();
        chars[chars.len().saturating_sub(MAX_ERROR_CHARS)..]
            .iter()
            .collect()
    };
    Err(format!(
        "apprise failed ({}): {}",
        status,
        crate::redact::redact(&tail)
    ))
}
