//! `wadash instances list|add|remove`: the config file's instances. Edits go
//! through `config::add_instance`/`remove_instance` (atomic, comments kept);
//! no key is resolved, so a slow `api_key_cmd` is never run here.

use std::path::PathBuf;

use serde::Serialize;

use super::args::{GlobalArgs, InstancesCommand};
use super::{CliError, Outcome};
use crate::config::{self, Config, InstanceConfig, display_path};
use crate::i18n::{fill, strings};

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    label: Option<&'a str>,
    account: Option<&'a str>,
    tags: &'a [String],
}

pub async fn run(global: &GlobalArgs, command: &InstancesCommand) -> Result<Outcome, CliError> {
    if global.demo {
        return Err(strings().cli.inst_demo.into());
    }
    let path = config_path(global)?;
    // The edits below re-read the file themselves, so that they change
    // exactly the text they checked; this load is for the warning and the list.
    let config = Config::load_or_empty(&path)?;
    super::lang::choose(global, config.ui.lang.as_deref());
    if let Some(warning) = config::permission_warning(&path, &config) {
        let warning = crate::i18n::cli::translate_config_message(&warning, crate::i18n::current());
        crate::say_err!("{}: {warning}", crate::i18n::strings().word_warning);
    }
    let shown = display_path(&path);
    match command {
        InstancesCommand::List { json } => list(&path, &config, *json),
        InstancesCommand::Add {
            id,
            label,
            account,
            tags,
        } => {
            let inst = InstanceConfig {
                id: id.trim().to_string(),
                label: label.clone(),
                account: account.clone(),
                tags: tags.clone(),
            };
            config::add_instance(&path, &inst)?;
            let s = crate::i18n::strings();
            crate::say!(
                "{}",
                crate::i18n::fill(s.instance_added_to, &[("id", &inst.id), ("path", &shown)])
            );
            warn_if_unknown(&config, inst).await;
            Ok(Outcome::Ok)
        }
        InstancesCommand::Import { file, check } => {
            super::import::run(global, &path, file, *check).await
        }
        InstancesCommand::Remove { id } => {
            if config::remove_instance(&path, id)? {
                let s = crate::i18n::strings();
                crate::say!(
                    "{}",
                    crate::i18n::fill(s.instance_removed_from, &[("id", id), ("path", &shown)])
                );
                Ok(Outcome::Ok)
            } else {
                let s = crate::i18n::strings();
                Err(CliError(crate::i18n::fill(
                    s.instance_not_in,
                    &[("id", id), ("path", &shown)],
                )))
            }
        }
    }
}

/// After `add`: a warning when the server does not know the id (the add
/// stands; the server may learn the id later). No account, no network: no
/// warning, only the log.
async fn warn_if_unknown(config: &Config, inst: InstanceConfig) {
    let id = inst.id.clone();
    match super::import::unknown_ids(config, &[inst], 1).await {
        Ok(checked) if !checked.unknown.is_empty() => {
            let s = crate::i18n::strings();
            crate::say_err!(
                "{}: {}",
                s.word_warning,
                crate::i18n::fill(s.add_unknown, &[("id", &id)])
            );
        }
        Ok(checked) => {
            for (id, why) in checked.failed {
                tracing::info!("instances add: could not ask the server about {id}: {why}");
            }
        }
        Err(e) => tracing::info!("instances add: no server check ({e})"),
    }
}

fn config_path(global: &GlobalArgs) -> Result<PathBuf, CliError> {
    Config::locate(global.config.as_deref())
        .ok_or_else(|| CliError(strings().cli.inst_no_location.into()))
}

fn list(path: &std::path::Path, config: &Config, json: bool) -> Result<Outcome, CliError> {
    if json {
        let rows: Vec<Listed> = config
            .instances
            .iter()
            .map(|i| Listed {
                id: &i.id,
                label: i.label.as_deref(),
                account: i.account.as_deref(),
                tags: &i.tags,
            })
            .collect();
        let text = serde_json::to_string_pretty(&rows)
            .map_err(|e| CliError(fill(strings().cli.json_failed, &[("e", &e.to_string())])))?;
        println!("{}", crate::sanitize::for_json(&text));
        return Ok(Outcome::Ok);
    }
    if config.instances.is_empty() {
        let s = crate::i18n::strings();
        crate::say!(
            "{}",
            crate::i18n::fill(s.instances_none, &[("path", &display_path(path))])
        );
        return Ok(Outcome::Ok);
    }
    // Each cell on one line: a newline in a label would forge table rows.
    let cell = |text: &str| crate::sanitize::for_terminal(text).into_owned();
    let rows: Vec<[String; 4]> = config
        .instances
        .iter()
        .map(|i| {
            [
                cell(&i.id),
                cell(i.label.as_deref().unwrap_or("")),
                cell(i.account.as_deref().unwrap_or("-")),
                cell(&i.tags.join(", ")),
            ]
        })
        .collect();
    let width = |col: usize, min: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(min)
            .max(min)
    };
    let s = strings();
    let [id_t, label_t, account_t, tags_t] =
        [s.col_id, s.col_label, s.account, s.col_tags].map(str::to_uppercase);
    let (id_w, label_w) = (
        width(0, id_t.chars().count()),
        width(1, label_t.chars().count()),
    );
    let account_w = account_t.chars().count().max(10);
    crate::say!("{id_t:<id_w$}  {label_t:<label_w$}  {account_t:<account_w$}  {tags_t}");
    for [id, label, account, tags] in &rows {
        let line = format!("{id:<id_w$}  {label:<label_w$}  {account:<account_w$}  {tags}");
        crate::say!("{}", line.trim_end());
    }
    Ok(Outcome::Ok)
}
