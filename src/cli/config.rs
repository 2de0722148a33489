//! `wadash config path|check|init`: which file wadash reads and why, a full
//! check of it (parse, every key source, permissions), and an annotated
//! starter file.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{ConfigCommand, GlobalArgs};
use super::{CliError, Outcome};
use crate::config::{CONFIG_ENV, Config, display_path, permission_warning};

/// Why this file: the flag, the variable, or the default location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    Default,
}

pub fn run(global: &GlobalArgs, command: &ConfigCommand) -> Result<Outcome, CliError> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let (path, source) = locate(global, &args)?;
    match command {
        ConfigCommand::Path => path_cmd(&path, &source),
        ConfigCommand::Check => check(&path, &source),
        ConfigCommand::Init => init(&path),
    }
}

/// The file and why. clap fills `--config` from WADASH_CONFIG too, so the
/// command line says whether the flag itself was given.
pub fn locate(global: &GlobalArgs, argv: &[OsString]) -> Result<(PathBuf, Source), CliError> {
    let flag_given = argv.iter().skip(1).any(|a| {
        let a = a.to_string_lossy();
        a == "--config" || a.starts_with("--config=")
    });
    match &global.config {
        Some(path) if flag_given => Ok((path.clone(), Source::Flag)),
        Some(path) => Ok((path.clone(), Source::Env)),
        None => Config::default_path()
            .map(|p| (p, Source::Default))
            .ok_or_else(|| {
                CliError(
                    "no home directory to find the config in: pass --config PATH or set WADASH_CONFIG"
                        .into(),
                )
            }),
    }
}

fn why(source: &Source) -> String {
    match source {
        Source::Flag => "from the --config flag".into(),
        Source::Env => format!("from the {CONFIG_ENV} environment variable"),
        Source::Default => format!("the default location (no --config flag, {CONFIG_ENV} unset)"),
    }
}

/// The path alone on stdout (for `$(wadash config path)`), why on stderr.
fn path_cmd(path: &Path, source: &Source) -> Result<Outcome, CliError> {
    println!("{}", path.display());
    let state = match std::fs::metadata(path) {
        Ok(_) => "exists".to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "does not exist yet (`wadash config init` writes one)".into()
        }
        Err(e) => format!("cannot be read: {e}"),
    };
    eprintln!("{}; {state}", why(source));
    Ok(Outcome::Ok)
}

/// Everything that would stop wadash, all of it at once: exit 2 on any error.
fn check(path: &Path, source: &Source) -> Result<Outcome, CliError> {
    let shown = display_path(path);
    println!("config: {shown}, {}", why(source));
    let config = match Config::load(path) {
        Ok(config) => config,
        Err(e) if !path.exists() => {
            return Err(CliError(format!(
                "{e}\nhint: `wadash config init` writes an annotated starter file there"
            )));
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "ok: parsed: {} account(s), {} instance(s)",
        config.accounts.len(),
        config.instances.len()
    );
    let mut errors = 0;
    for warning in permission_problems(path, &config) {
        println!("warning: {warning}");
    }
    for account in &config.accounts {
        let alone = Config {
            accounts: vec![account.clone()],
            ..Config::default()
        };
        let source = match &account.key {
            crate::config::KeySource::Inline(_) => "api_key (inline)".to_string(),
            crate::config::KeySource::Env(var) => format!("api_key_env {var}"),
            crate::config::KeySource::Cmd(_) => "api_key_cmd".to_string(),
        };
        match alone.resolve() {
            Ok(roster) => {
                let masked = roster
                    .accounts
                    .first()
                    .map(|a| a.api_key.masked())
                    .unwrap_or_default();
                println!(
                    "ok: account `{}`: key from {source}: {masked}; {}",
                    account.name,
                    crate::url_secret::masked(&account.base_url)
                );
            }
            Err(e) => {
                errors += 1;
                println!("error: {e}");
            }
        }
    }
    if config.accounts.is_empty() && !config.instances.is_empty() {
        errors += 1;
        println!(
            "error: {} instance(s) and no [[account]]: add one, or pass --base-url and --api-key",
            config.instances.len()
        );
    }
    errors += super::config_channels::check(&config.alerts);
    crate::watch::share::config_note(&config.alerts);
    if !config.ui.keys.is_default() {
        println!("ok: [keys] rebinds keys (the bar and ? show them)");
    }
    if errors > 0 {
        return Err(CliError(format!("{shown}: {errors} problem(s) found")));
    }
    println!("ok: {shown} is ready");
    Ok(Outcome::Ok)
}

/// Loose permissions: readable by others with a key inside, or writable by
/// others at all (the file chooses the command `api_key_cmd` runs and
/// where the keys are sent).
fn permission_problems(path: &Path, config: &Config) -> Vec<String> {
    let mut out: Vec<String> = permission_warning(path, config).into_iter().collect();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o022 != 0 {
                let shown = display_path(path);
                out.push(format!(
                    "{shown} is writable by other users (mode {:04o}): they could change the \
                     command api_key_cmd runs or where keys are sent; run: chmod 600 {shown}",
                    mode & 0o7777
                ));
            }
        }
    }
    out
}

/// The starter file: every section, commented, parsing as it stands.
pub const STARTER: &str = r##"# wadash configuration (`wadash man` has the whole reference).
# Errors in this file are reported with their line and column:
# run `wadash config check` after editing it.

# One [[account]] per apiKey of the API WhatsApp Web service.
[[account]]
name = "main"
# base_url = "https://apiwhatsappweb.com"   # the default
# The key: exactly one of api_key, api_key_env (a variable's name) or
# api_key_cmd (a command whose first output line is the key).
api_key_env = "WADASH_KEY_MAIN"
# api_key = "…"                              # inline: keep this file mode 0600
# api_key_cmd = "pass show whatsapp/main"
# image_upload = "multipart"                 # or "base64"
# timeout = "15s"

# One [[instance]] per WhatsApp number (also: `wadash instances add ID`).
# [[instance]]
# id = "YOUR-INSTANCE-ID"
# label = "Tienda Lima"
# account = "main"                           # optional with one account
# tags = ["peru", "ventas"]

[ui]
# lang = "es"                                # en | es | pt; else LANG
# interval = "10s"                           # status polling per instance
# concurrency = 16                           # requests in flight at most
# bell = true                                # ring when one goes inactive
# qr_refresh = "20s"                         # new QR code this often
# read_only = false                          # refuse every change

# Your own keys, per mode (list, filter, command, help, log, form, confirm,
# qr). The action names are those of `?`, listed in the README.
# A key may serve one action per mode: giving Enter to connect means
# giving open (Enter's default) another key.
# [keys.list]
# quit = ["q", "ctrl-q"]
# connect = "enter"
# open = "ctrl-o"

# Colours: a preset, and any of ok, warn, error, accent, dim, selection as a
# name or #rrggbb. NO_COLOR turns every colour off.
# [theme]
# preset = "dark"                            # dark | light | mono
# accent = "#5fafd7"
"##;

/// Writes [`STARTER`] at `path`, mode 0600, never over an existing file.
fn init(path: &Path) -> Result<Outcome, CliError> {
    let shown = display_path(path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)
            .map_err(|e| CliError(format!("{}: could not create it: {e}", dir.display())))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError(format!(
                "{shown} already exists: not overwritten (`wadash config check` checks it)"
            )));
        }
        Err(e) => return Err(CliError(format!("{shown}: could not create it: {e}"))),
    };
    let written = file
        .write_all(STARTER.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        // Half a starter file is worse than none.
        let _ = std::fs::remove_file(path);
        return Err(CliError(format!("{shown}: could not write it: {e}")));
    }
    println!("wrote {shown} (mode 0600)");
    println!(
        "next: export WADASH_KEY_MAIN=… (or edit the key source), add instances with \
         `wadash instances add ID`, then `wadash config check`"
    );
    Ok(Outcome::Ok)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_file_parses_and_every_commented_line_does_too() {
        let config = Config::parse_str(STARTER, Path::new("starter.toml")).unwrap();
        assert_eq!(config.accounts.len(), 1);
        // Uncommenting the examples (one key source at a time) keeps it valid.
        let uncommented: String = STARTER
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if (rest.starts_with('[') || rest.contains(" = "))
                        && !rest.starts_with("api_key") =>
                {
                    rest.to_string()
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = Config::parse_str(&uncommented, Path::new("starter.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert_eq!(config.instances.len(), 1);
        assert!(!config.ui.keys.is_default());
    }
}
