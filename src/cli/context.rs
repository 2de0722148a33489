//! Global flags + environment + config file -> the instances to work on
//! (a `Roster`), with the settings that go with them.
//!
//! Precedence, from the most specific: `--instance`/`--api-key`/`--base-url`
//! flags (or WADASH_* variables), then the config file, then defaults.
//! `--demo` replaces all of it with an in-process sandbox.

use std::path::PathBuf;
use std::time::Duration;

use super::CliError;
use super::args::GlobalArgs;
use crate::api::{Account, DEFAULT_BASE_URL};
use crate::config::{
    AccountConfig, Config, DEFAULT_ACCOUNT_NAME, InstanceConfig, KeySource, Roster, RosterInstance,
    UiConfig, permission_warning,
};
use crate::dashboard::DashboardOptions;
use crate::engine::schedule::{DEFAULT_CONCURRENCY, DEFAULT_INTERVAL};
use crate::i18n::Lang;
use crate::i18n::{fill, strings};
use crate::memory::Memory;
use crate::sandbox::{self, RunningSandbox, SandboxOptions};
use crate::secret::Secret;

/// How many instances `--demo` serves, and how often their QR rotates.
pub const DEMO_INSTANCES: usize = 8;
pub const DEMO_QR_ROTATE: Duration = Duration::from_secs(20);
/// `--demo`'s sandbox flaps at this rate (drops per linked instance per minute).
pub const DEMO_FLAP: f64 = 0.2;

/// Everything a command needs once flags and config are resolved.
pub struct Context {
    pub roster: Roster,
    /// The config file in use (None under `--demo`).
    pub config_path: Option<PathBuf>,
    /// state.toml beside the config (None under `--demo`: memory only).
    pub memory_path: Option<PathBuf>,
    pub ui: UiConfig,
    /// Warnings for the user (config readable by others…): stderr for
    /// headless commands, the start-up notice in the dashboard.
    pub notices: Vec<String>,
    /// Kept alive for as long as the context: `--demo`'s server.
    pub sandbox: Option<RunningSandbox>,
    /// The roster came from `--api-key` + `--instance` flags, not the file:
    /// the dashboard must not edit the file for it.
    pub ad_hoc: bool,
    /// `[history]` (under `--demo`: a seeded file in the demo's temp dir).
    pub history: crate::history::HistoryConfig,
    /// `--demo`'s throwaway directory, deleted when the context goes.
    pub demo_dir: Option<tempfile::TempDir>,
    /// `[alerts]` from the file (defaults under `--demo`).
    pub alerts: crate::config::alerts::AlertsConfig,
}

impl Context {
    /// Every instance, every account's key (the dashboard).
    pub async fn load(global: &GlobalArgs) -> Result<Context, CliError> {
        Self::load_for(global, &[]).await
    }

    /// Only the instances in `ids` (all when empty) and the keys of the
    /// accounts they use: `wadash qr ID` never runs another account's
    /// `api_key_cmd`, nor fails on its unset `api_key_env`.
    pub async fn load_for(global: &GlobalArgs, ids: &[String]) -> Result<Context, CliError> {
        if global.demo {
            let mut ctx = demo().await?;
            demo_keys_and_theme(&mut ctx, global);
            return Ok(ctx);
        }
        let config_path = Config::locate(global.config.as_deref());
        let file = match &config_path {
            Some(path) => Config::load_or_empty(path)?,
            None => Config::default(),
        };
        super::lang::choose(global, file.ui.lang.as_deref());
        let mut notices = Vec::new();
        if let Some(warning) = config_path
            .as_deref()
            .and_then(|path| permission_warning(path, &file))
        {
            let lang = crate::i18n::current();
            notices.push(crate::i18n::cli::translate_config_message(&warning, lang));
        }
        let ad_hoc = global.api_key.is_some() && !global.instances.is_empty();
        let config = merge_flags(file, global);
        // api_key_cmd may run a password manager: keep it off the async threads.
        let resolving = config.clone();
        let ids = ids.to_vec();
        let roster = tokio::task::spawn_blocking(move || resolving.resolve_for(&ids))
            .await
            .map_err(|e| {
                CliError(fill(
                    strings().cli.ctx_resolve_failed,
                    &[("e", &e.to_string())],
                ))
            })??;
        Ok(Context {
            roster,
            memory_path: config_path.as_deref().map(Memory::path_beside),
            config_path,
            ui: config.ui,
            notices,
            sandbox: None,
            ad_hoc,
            history: config.history,
            demo_dir: None,
            alerts: config.alerts,
        })
    }

    /// The instance and its account, or an error that says what to do.
    pub fn find(&self, id: &str) -> Result<(&RosterInstance, &Account), CliError> {
        let inst = self
            .roster
            .instances
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| CliError(unknown_instance_message(&[id], self)))?;
        let account = self
            .roster
            .accounts
            .get(inst.account)
            .ok_or_else(|| CliError(fill(strings().cli.ctx_no_account, &[("id", id)])))?;
        Ok((inst, account))
    }

    pub fn print_notices(&self) {
        for notice in &self.notices {
            crate::say_err!("{}: {notice}", crate::i18n::strings().word_warning);
        }
    }

    pub fn concurrency(&self, global: &GlobalArgs) -> usize {
        global
            .concurrency
            .map(usize::from)
            .or(self.ui.concurrency)
            .unwrap_or(DEFAULT_CONCURRENCY)
            .max(1)
    }

    pub fn read_only(&self, global: &GlobalArgs) -> bool {
        global.read_only || self.ui.read_only
    }

    /// `--qr-graphics`, else `ui.qr_graphics`, else auto.
    pub fn qr_graphics(&self, global: &GlobalArgs) -> crate::term::GraphicsChoice {
        global
            .qr_graphics
            .or(self.ui.qr_graphics)
            .unwrap_or_default()
    }

    pub fn qr_refresh(&self, flag: Option<Duration>) -> Duration {
        flag.or(self.ui.qr_refresh)
            .unwrap_or(crate::engine::pairing::qr_pane::QR_REFRESH)
    }

    pub fn dashboard_options(
        &self,
        global: &GlobalArgs,
        log_path: Option<PathBuf>,
    ) -> DashboardOptions {
        let lang = Lang::choose(global.lang, self.ui.lang.as_deref(), &|var| {
            std::env::var(var).ok()
        });
        let notice = (!self.notices.is_empty()).then(|| self.notices.join("; "));
        DashboardOptions {
            roster: self.roster.clone(),
            config_path: if self.ad_hoc {
                None
            } else {
                self.config_path.clone()
            },
            memory_path: self.memory_path.clone(),
            lang,
            interval: global
                .interval
                .or(self.ui.interval)
                .unwrap_or(DEFAULT_INTERVAL),
            concurrency: self.concurrency(global),
            bell: self.ui.bell && !global.no_bell,
            read_only: self.read_only(global),
            qr_refresh: self.qr_refresh(None),
            notice,
            log_path,
            history: self.history.clone(),
            keys: self.ui.keys.clone(),
            palette: self.ui.palette,
            qr_graphics: self.qr_graphics(global),
            alerts: self.alerts.clone(),
            // The history file (the demo's is a throwaway one).
            alert_store: self.history.resolved_path(),
            screen: self.ui.screen.clone(),
        }
    }
}

/// "unknown instance(s) `a`, `b`" plus where they would come from.
pub fn unknown_instance_message(ids: &[&str], ctx: &Context) -> String {
    let list = ids
        .iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let t = strings().cli;
    let template = if ids.len() == 1 {
        t.ctx_unknown_one
    } else {
        t.ctx_unknown_many
    };
    let place = match (&ctx.sandbox, &ctx.config_path) {
        (Some(_), _) => t.ctx_place_demo.to_string(),
        (None, Some(path)) => crate::config::display_path(path),
        (None, None) => t.ctx_place_config.to_string(),
    };
    fill(template, &[("list", &list), ("place", &place)])
}

/// Apply the quick-use flags to what the file says.
fn merge_flags(file: Config, global: &GlobalArgs) -> Config {
    let flag_account = global.api_key.clone().map(|key| {
        AccountConfig::new(
            DEFAULT_ACCOUNT_NAME,
            global.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            KeySource::Inline(key),
        )
    });
    match flag_account {
        // Quick use: the flags name both the account and the instances; the
        // file still lends its labels, tags and [ui] settings.
        Some(account) if !global.instances.is_empty() => {
            let instances = global
                .instances
                .iter()
                .map(|id| InstanceConfig {
                    id: id.clone(),
                    account: None,
                    ..file.instance(id).cloned().unwrap_or_default()
                })
                .collect();
            Config {
                accounts: vec![account],
                instances,
                ui: file.ui,
                history: file.history,
                alerts: file.alerts,
            }
        }
        Some(account) => file.with_fallback_account(account),
        None => {
            let mut config = file;
            for id in &global.instances {
                if config.instance(id).is_none() {
                    config.instances.push(InstanceConfig {
                        id: id.clone(),
                        ..InstanceConfig::default()
                    });
                }
            }
            config
        }
    }
}

/// `--demo`: a sandbox on a free loopback port, its instances as the roster.
async fn demo() -> Result<Context, CliError> {
    let options = SandboxOptions {
        instances: DEMO_INSTANCES,
        qr_rotate: DEMO_QR_ROTATE,
        // A little latency so the demo looks like a real service.
        latency: 30,
        jitter: 120,
        active_ratio: 0.6,
        // Gently: every minute or two a number drops, and most come back
        // within half a minute, so a newcomer sees changes (and the bell,
        // history and alerts) happen live.
        flap: DEMO_FLAP,
        ..SandboxOptions::for_tests()
    };
    let running = sandbox::start(options).await.map_err(|e| {
        CliError(fill(
            strings().cli.ctx_demo_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    let account = Account::new(
        "demo",
        &running.base_url(),
        Secret::new(running.api_key.clone()),
        false,
    )?;
    let instances = running
        .instances
        .iter()
        .map(|d| RosterInstance {
            id: d.id.clone(),
            label: d.label.clone(),
            account: 0,
            tags: d.tags.clone(),
        })
        .collect::<Vec<RosterInstance>>();
    let ids: Vec<String> = instances.iter().map(|i| i.id.clone()).collect();
    let (demo_dir, history) = demo_history(&ids);
    Ok(Context {
        roster: Roster {
            accounts: vec![account],
            instances,
        },
        config_path: None,
        memory_path: None,
        ui: UiConfig::default(),
        notices: Vec::new(),
        sandbox: Some(running),
        ad_hoc: true,
        history,
        demo_dir,
        alerts: Default::default(),
    })
}

/// The demo's own history: a throwaway file in its temp dir with a few
/// invented days, never the user's store. If it cannot be made, the demo
/// runs without history (and says nothing: it is a demo).
fn demo_history(ids: &[String]) -> (Option<tempfile::TempDir>, crate::history::HistoryConfig) {
    use crate::history::{self, HistoryConfig, seed};
    let off = HistoryConfig {
        enabled: false,
        ..HistoryConfig::default()
    };
    let Ok(dir) = tempfile::Builder::new().prefix("wadash-demo-").tempdir() else {
        return (None, off);
    };
    let path = dir.path().join("history.db");
    let seeded = history::store::open_writer(&path).and_then(|mut opened| {
        seed::seed(
            &mut opened.conn,
            ids,
            seed::SeedOptions {
                now_ms: history::ms(std::time::SystemTime::now()),
                days: 5,
                periods_per_day: 4.0,
                grace_ms: 30_000,
                stop_before_now_ms: 3 * 60_000,
                seed: 0x5eed,
            },
        )
        .map_err(|e| history::store::OpenError(e.to_string()))
    });
    match seeded {
        Ok(_) => (
            Some(dir),
            HistoryConfig {
                path: Some(path),
                retention: std::time::Duration::from_secs(30 * 86_400),
                ..HistoryConfig::default()
            },
        ),
        Err(e) => {
            tracing::warn!("demo history not seeded: {e}");
            (Some(dir), off)
        }
    }
}

/// `--demo` ignores the file's accounts and instances but not its `[keys]`
/// and `[theme]`: trying one's own keys on the demo is the point of it. A
/// file that does not parse is said in the start-up notice, not fatal.
fn demo_keys_and_theme(ctx: &mut Context, global: &GlobalArgs) {
    let Some(path) = Config::locate(global.config.as_deref()) else {
        return;
    };
    match Config::load_or_empty(&path) {
        Ok(file) => {
            ctx.ui.keys = file.ui.keys;
            ctx.ui.palette = file.ui.palette;
        }
        Err(e) => {
            let lang = Lang::choose(global.lang, None, &|var| std::env::var(var).ok());
            let unused = lang.strings().demo_config_unused;
            ctx.notices.push(format!("{e} ({unused})"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn global(args: &[&str]) -> GlobalArgs {
        let mut argv = vec!["wadash"];
        argv.extend_from_slice(args);
        super::super::Cli::try_parse_from(argv).unwrap().global
    }

    fn file() -> Config {
        Config::parse_str(
            r#"
[[instance]]
id = "a"
label = "Tienda"
tags = ["peru"]

[[instance]]
id = "b"
"#,
            std::path::Path::new("test.toml"),
        )
        .unwrap()
    }

    #[test]
    fn flags_name_account_and_instances_file_lends_labels() {
        let g = global(&["--api-key", "k", "--instance", "a", "--instance", "z"]);
        let config = merge_flags(file(), &g);
        assert_eq!(config.accounts.len(), 1);
        assert_eq!(config.accounts[0].base_url, DEFAULT_BASE_URL);
        let ids: Vec<_> = config.instances.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "z"]);
        assert_eq!(config.instances[0].label.as_deref(), Some("Tienda"));
        assert_eq!(config.instances[0].tags, ["peru"]);
    }

    #[test]
    fn a_key_alone_gives_the_file_an_account() {
        let g = global(&["--api-key", "k", "--base-url", "http://127.0.0.1:9"]);
        let roster = merge_flags(file(), &g).resolve().unwrap();
        assert_eq!(roster.instances.len(), 2);
        assert_eq!(roster.accounts[0].base_url.as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn the_https_rule_applies_to_the_flags() {
        let g = global(&[
            "--api-key",
            "k",
            "--base-url",
            "http://example.com",
            "--instance",
            "a",
        ]);
        let err = merge_flags(file(), &g).resolve().unwrap_err().to_string();
        assert!(err.contains("refusing plain http"), "{err}");
        let g = global(&[
            "--api-key",
            "k",
            "--base-url",
            "http://127.0.0.1:9",
            "--instance",
            "a",
        ]);
        assert!(
            merge_flags(file(), &g).resolve().is_ok(),
            "loopback http is fine"
        );
    }

    #[test]
    fn instance_flags_without_a_key_add_to_the_file() {
        let g = global(&["--instance", "b", "--instance", "c"]);
        let config = merge_flags(file(), &g);
        let ids: Vec<_> = config.instances.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        // No account anywhere: resolve says how to fix it.
        let err = config.resolve().unwrap_err().to_string();
        assert!(err.contains("--api-key"), "{err}");
    }
}
