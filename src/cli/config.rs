//! `wadash config path|check|init`: which file wadash reads and why, a full
//! check of it (parse, every key source, permissions), and an annotated
//! starter file.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{ConfigCommand, GlobalArgs};
use super::{CliError, Outcome};
use crate::config::{CONFIG_ENV, Config, display_path, permission_warning};
use crate::i18n::{fill, strings};

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
        ConfigCommand::Check => check(global, &path, &source),
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
            .ok_or_else(|| CliError(strings().cli.cfg_no_home.into())),
    }
}

fn why(source: &Source) -> String {
    let t = strings().cli;
    match source {
        Source::Flag => t.cfg_from_flag.into(),
        Source::Env => fill(t.cfg_from_env, &[("var", CONFIG_ENV)]),
        Source::Default => fill(t.cfg_default, &[("var", CONFIG_ENV)]),
    }
}

/// The path alone on stdout (for `$(wadash config path)`), why on stderr.
fn path_cmd(path: &Path, source: &Source) -> Result<Outcome, CliError> {
    println!("{}", path.display());
    let t = strings().cli;
    let state = match std::fs::metadata(path) {
        Ok(_) => t.cfg_exists.to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => t.cfg_missing.into(),
        Err(e) => fill(t.cfg_unreadable, &[("e", &e.to_string())]),
    };
    eprintln!("{}; {state}", why(source));
    Ok(Outcome::Ok)
}

/// Everything that would stop wadash, all of it at once: exit 2 on any error.
fn check(global: &GlobalArgs, path: &Path, source: &Source) -> Result<Outcome, CliError> {
    let shown = display_path(path);
    let loaded = Config::load(path);
    // The report speaks the language the checked file asks for.
    if let Ok(config) = &loaded {
        super::lang::choose(global, config.ui.lang.as_deref());
    }
    let s = strings();
    let t = s.cli;
    println!(
        "{}",
        fill(t.cfg_checking, &[("path", &shown), ("why", &why(source))])
    );
    let config = match loaded {
        Ok(config) => config,
        Err(e) if !path.exists() => {
            return Err(CliError(format!("{e}\n{}", t.cfg_init_hint)));
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "{}",
        fill(
            t.cfg_parsed,
            &[
                ("accounts", &config.accounts.len().to_string()),
                ("instances", &config.instances.len().to_string()),
            ]
        )
    );
    let mut errors = 0;
    for warning in permission_problems(path, &config) {
        println!("{}: {warning}", s.word_warning);
    }
    for account in &config.accounts {
        let alone = Config {
            accounts: vec![account.clone()],
            ..Config::default()
        };
        let source = match &account.key {
            crate::config::KeySource::Inline(_) => t.cfg_key_inline.to_string(),
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
                    "{}",
                    fill(
                        t.cfg_account_ok,
                        &[
                            ("name", &account.name),
                            ("source", &source),
                            ("masked", &masked),
                            ("url", &crate::url_secret::masked(&account.base_url)),
                        ]
                    )
                );
            }
            Err(e) => {
                errors += 1;
                println!("{}: {e}", s.word_error);
            }
        }
    }
    if config.accounts.is_empty() && !config.instances.is_empty() {
        errors += 1;
        println!(
            "{}: {}",
            s.word_error,
            fill(
                t.cfg_no_account,
                &[("n", &config.instances.len().to_string())]
            )
        );
    }
    errors += super::config_channels::check(&config.alerts);
    crate::watch::share::config_note(&config.alerts);
    if !config.ui.keys.is_default() {
        println!("{}", t.cfg_keys_ok);
    }
    if errors > 0 {
        return Err(CliError(fill(
            t.cfg_problems,
            &[("path", &shown), ("n", &errors.to_string())],
        )));
    }
    println!("{}", fill(t.cfg_ready, &[("path", &shown)]));
    Ok(Outcome::Ok)
}

/// Loose permissions: readable by others with a key inside, or writable by
/// others at all (the file chooses the command `api_key_cmd` runs and
/// where the keys are sent).
fn permission_problems(path: &Path, config: &Config) -> Vec<String> {
    let lang = crate::i18n::current();
    let mut out: Vec<String> = permission_warning(path, config)
        .map(|w| crate::i18n::cli::translate_config_message(&w, lang))
        .into_iter()
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o022 != 0 {
                let shown = display_path(path);
                out.push(fill(
                    strings().cli.cfg_writable_by_others,
                    &[
                        ("path", &shown),
                        ("mode", &format!("{:04o}", mode & 0o7777)),
                    ],
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
        create_private_dir(dir).map_err(|e| {
            CliError(fill(
                strings().cli.cfg_dir_failed,
                &[("path", &dir.display().to_string()), ("e", &e.to_string())],
            ))
        })?;
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
            return Err(CliError(fill(
                strings().cli.cfg_already,
                &[("path", &shown)],
            )));
        }
        Err(e) => {
            return Err(CliError(fill(
                strings().cli.cfg_dir_failed,
                &[("path", &shown), ("e", &e.to_string())],
            )));
        }
    };
    let written = file
        .write_all(STARTER.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        // Half a starter file is worse than none.
        let _ = std::fs::remove_file(path);
        return Err(CliError(fill(
            strings().cli.cfg_write_failed,
            &[("path", &shown), ("e", &e.to_string())],
        )));
    }
    let t = strings().cli;
    println!("{}", fill(t.cfg_wrote, &[("path", &shown)]));
    println!("{}", t.cfg_next);
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
