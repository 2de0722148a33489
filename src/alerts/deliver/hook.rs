//! Hooks: a program run directly (no shell), with the event in its
//! environment and arguments, never the key, killed with everything it
//! started when it outlives `HOOK_TIMEOUT`.

use super::{HOOK_TIMEOUT, one_line, rfc3339};
use crate::child::{self, AsyncCollector};
use crate::config::alerts::HookConfig;
use crate::engine::alerts::event::{AlertEvent, AlertKind};

/// A hook's stderr kept for the log when it fails.
const STDERR_KEPT: u64 = 2048;
/// How many ids `{id}` and WADASH_ID name for a group.
const GROUP_IDS: usize = 10;

/// `{id}` for hooks: the instance, or a group's first few.
fn ids_text(event: &AlertEvent) -> String {
    if event.kind != AlertKind::Group {
        return event.id.clone();
    }
    let ids: Vec<&str> = event.ids().into_iter().take(GROUP_IDS).collect();
    ids.join(",")
}

/// The hook's environment, documented in the README.
pub fn hook_env(event: &AlertEvent) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("WADASH_EVENT", event.kind.name().to_string()),
        ("WADASH_ID", ids_text(event)),
        ("WADASH_LABEL", event.label.clone()),
        ("WADASH_ACCOUNT", event.account.clone()),
        ("WADASH_TAGS", event.tags.join(",")),
        ("WADASH_STATUS", event.status.clone()),
        ("WADASH_DETAIL", event.detail.clone()),
        ("WADASH_SINCE", rfc3339(event.since)),
    ];
    if let Some(d) = event.down_for {
        env.push(("WADASH_DOWN_S", d.as_secs().to_string()));
    }
    if event.kind == AlertKind::Group {
        env.push(("WADASH_COUNT", event.members.len().to_string()));
    }
    // A NUL cannot be passed in an environment variable; server text could hold one.
    env.into_iter()
        .map(|(k, v)| (k, v.replace('\0', "")))
        .collect()
}

/// One argument with `{id}`, `{label}` and `{event}` filled in (`{{` and
/// `}}` are literal braces: see `config::hook_template`).
pub fn expand(arg: &str, event: &AlertEvent) -> String {
    crate::config::hook_template::expand(arg, |name| match name {
        "id" => ids_text(event),
        "label" => event.label.clone(),
        _ => event.kind.name().to_string(),
    })
    .replace('\0', "")
}

pub(super) async fn run_hook(
    hook: &HookConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
    link: Option<&str>,
) -> Result<String, String> {
    let args: Vec<String> = hook.command.iter().map(|a| expand(a, event)).collect();
    let program = args[0].clone();
    let mut cmd = tokio::process::Command::new(&program);
    cmd.args(&args[1..])
        .envs(hook_env(event))
        .env(
            "WADASH_RUNBOOK",
            runbook.unwrap_or_default().replace('\0', ""),
        )
        // Set (empty) without a link too, so a hook under `set -u` can test it.
        .env("WADASH_SHARE_URL", link.unwrap_or_default())
        // Never hand the key to a hook.
        .env_remove(crate::config::API_KEY_ENV)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        // Its own process group, so a timeout kills what it started too.
        .process_group(0)
        .kill_on_drop(true);
    for name in crate::redact::env_vars_holding_keys() {
        cmd.env_remove(name);
    }
    let mut child = cmd.spawn().map_err(|e| format!("{program}: {e}"))?;
    // Taken now: tokio forgets the pid once the child is reaped.
    let pid = child.id();
    let stderr = AsyncCollector::start(child.stderr.take(), STDERR_KEPT);
    // To its exit, not to the end of its stderr: what it left running in
    // the background may hold that open for ever.
    let waited = tokio::time::timeout(HOOK_TIMEOUT, child.wait()).await;
    // Every path: nothing it started outlives it.
    if let Some(pid) = pid {
        child::kill_group(pid);
    }
    let buf = stderr.finish(child::DRAIN).await;
    match waited {
        Ok(Ok(status)) if status.success() => Ok(format!("{program} exited 0")),
        Ok(Ok(status)) => {
            let text = String::from_utf8_lossy(&buf);
            let text = one_line(text.trim());
            Err(format!(
                "{program} failed ({status}){}",
                if text.is_empty() {
                    String::new()
                } else {
                    format!(": {text}")
                }
            ))
        }
        Ok(Err(e)) => Err(format!("{program}: {e}")),
        Err(_) => Err(format!(
            "{program} still running after {} s: killed",
            HOOK_TIMEOUT.as_secs()
        )),
    }
}
