//! From configuration to something the client can use: keys fetched from
//! the environment or a command, `api::Account` values built and checked.

use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::error::ConfigError;
use super::{AccountConfig, Config, InstanceConfig, KeySource};
use crate::api::Account;
use crate::child::{self, Collector};
use crate::secret::Secret;

/// A password manager may take a moment (gpg-agent, a network vault); a
/// hung one must not hang wadash.
pub const KEY_CMD_TIMEOUT: Duration = Duration::from_secs(30);
/// Output beyond this is not a key; stop reading rather than buffer it.
const MAX_CMD_OUTPUT: u64 = 64 * 1024;

/// Accounts with their keys in hand, and instances pointing into them.
#[derive(Debug, Clone)]
pub struct Roster {
    pub accounts: Vec<Account>,
    pub instances: Vec<RosterInstance>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterInstance {
    pub id: String,
    /// The configured label, or the id when there is none.
    pub label: String,
    /// Index into `Roster::accounts`.
    pub account: usize,
    pub tags: Vec<String>,
}

/// Resolves the instances named in `only` (all when empty) and the accounts
/// they use: a key that cannot be fetched for an account none of them uses
/// does not stop them. With `only` empty every account is resolved, so
/// instances added later (the dashboard's form) find theirs.
pub(super) fn resolve(
    config: &Config,
    only: &[String],
    cmd_timeout: Duration,
) -> Result<Roster, ConfigError> {
    let selected: Vec<_> = config
        .instances
        .iter()
        .filter(|i| only.is_empty() || only.contains(&i.id))
        .collect();
    let mut owners = Vec::with_capacity(selected.len());
    for inst in &selected {
        owners.push(account_index(config, inst)?);
    }
    let mut needed = vec![only.is_empty(); config.accounts.len()];
    for &owner in &owners {
        needed[owner] = true;
    }
    // Config index -> index in the roster's (possibly shorter) account list.
    let mut roster_index = vec![0; config.accounts.len()];
    let mut accounts = Vec::new();
    for (at, account) in config.accounts.iter().enumerate() {
        if needed[at] {
            roster_index[at] = accounts.len();
            accounts.push(build_account(account, cmd_timeout)?);
        }
    }
    let instances = selected
        .iter()
        .zip(owners)
        .map(|(inst, owner)| RosterInstance {
            id: inst.id.clone(),
            label: inst.label.clone().unwrap_or_else(|| inst.id.clone()),
            account: roster_index[owner],
            tags: inst.tags.clone(),
        })
        .collect();
    Ok(Roster {
        accounts,
        instances,
    })
}

/// The position in `config.accounts` of the account `inst` calls through.
fn account_index(config: &Config, inst: &InstanceConfig) -> Result<usize, ConfigError> {
    let index = match &inst.account {
        Some(name) => config.accounts.iter().position(|a| &a.name == name),
        None if config.accounts.len() == 1 => Some(0),
        None => None,
    };
    index.ok_or_else(|| {
        let message = match &inst.account {
            Some(name) => format!(
                "instance `{}` names account `{name}`, which is not defined",
                inst.id
            ),
            None if config.accounts.is_empty() => format!(
                "instance `{}` has no account to use: add an [[account]] to the config, or pass --base-url and --api-key",
                inst.id
            ),
            None => format!(
                "instance `{}` has no `account` and there are several accounts",
                inst.id
            ),
        };
        ConfigError::Unusable { message }
    })
}

fn build_account(account: &AccountConfig, cmd_timeout: Duration) -> Result<Account, ConfigError> {
    let key_error = |message: String| ConfigError::Key {
        account: account.name.clone(),
        message,
    };
    let key = match &account.key {
        KeySource::Inline(key) => key.clone(),
        KeySource::Env(var) => key_from_env(var).map_err(key_error)?,
        KeySource::Cmd(cmd) => key_from_cmd(cmd, cmd_timeout).map_err(key_error)?,
    };
    if key.is_empty() {
        return Err(key_error("the api key is empty".into()));
    }
    if key.expose().chars().any(char::is_control) {
        return Err(key_error(
            "the api key contains control characters and cannot be sent in a header".into(),
        ));
    }
    let built = Account::new(
        account.name.clone(),
        &account.base_url,
        key,
        account.allow_insecure_http,
    )
    .map_err(|e| key_error(e.to_string()))?;
    Ok(built
        .with_timeout(account.timeout)
        .with_upload(account.image_upload)
        .with_rate(account.rate))
}

fn key_from_env(var: &str) -> Result<Secret, String> {
    match std::env::var(var) {
        Ok(value) if value.trim().is_empty() => {
            Err(format!("environment variable {var} (api_key_env) is empty"))
        }
        Ok(value) => Ok(Secret::new(value.trim())),
        Err(std::env::VarError::NotPresent) => Err(format!(
            "environment variable {var} (api_key_env) is not set"
        )),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "environment variable {var} (api_key_env) is not valid UTF-8"
        )),
    }
}

/// Runs `sh -c CMD`; the key is the first line of its standard output,
/// trimmed (the `pass` convention: password first, notes after).
/// Standard output never appears in an error; standard error may (one line),
/// since that is where such tools explain themselves.
fn key_from_cmd(cmd: &str, timeout: Duration) -> Result<Secret, String> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group: whatever it started (a pipeline, a `sleep`, a
    // helper) is killed with it on every path.
    child::own_group(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not run api_key_cmd with sh: {e}"))?;

    let stdout = Collector::start(child.stdout.take(), MAX_CMD_OUTPUT);
    let stderr = Collector::start(child.stderr.take(), MAX_CMD_OUTPUT);
    let status = wait_until(&mut child, Instant::now() + timeout);
    child::kill_group(child.id());
    if status.is_err() {
        let _ = child.kill();
        let _ = child.wait();
    }
    // The group is gone, so the pipes close: what it printed before exiting is in.
    let out = stdout.finish(child::DRAIN);
    let err = stderr.finish(child::DRAIN);
    let status = match status {
        Ok(status) => status,
        Err(Waited::TimedOut) => {
            return Err(format!(
                "api_key_cmd did not finish within {}",
                humantime::format_duration(timeout)
            ));
        }
        Err(Waited::Failed(e)) => return Err(format!("api_key_cmd: could not wait for it: {e}")),
    };
    let out = String::from_utf8_lossy(&out);
    let key = out.lines().map(str::trim).find(|l| !l.is_empty());

    if !status.success() {
        let code = status
            .code()
            .map_or_else(|| "a signal".to_string(), |c| format!("status {c}"));
        let mut message = format!("api_key_cmd failed (exit {code})");
        if let Some(line) = stderr_summary(&err, key) {
            message.push_str(": ");
            message.push_str(&line);
        }
        return Err(message);
    }
    match key {
        Some(key) => Ok(Secret::new(key)),
        None => Err("api_key_cmd printed nothing on standard output".to_string()),
    }
}

enum Waited {
    TimedOut,
    Failed(std::io::Error),
}

/// The command's exit status (not its pipes' end), by `deadline`.
fn wait_until(child: &mut std::process::Child, deadline: Instant) -> Result<ExitStatus, Waited> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() >= deadline => return Err(Waited::TimedOut),
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(Waited::Failed(e)),
        }
    }
}

/// The last non-empty line of stderr, short, and never containing what the
/// command printed on stdout (in case it echoed the key there too).
fn stderr_summary(stderr: &[u8], stdout_key: Option<&str>) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().map(str::trim).rev().find(|l| !l.is_empty())?;
    if let Some(key) = stdout_key
        && line.contains(key)
    {
        return None;
    }
    let mut short: String = line.chars().filter(|c| !c.is_control()).take(160).collect();
    if line.chars().count() > 160 {
        short.push('…');
    }
    Some(short)
}
