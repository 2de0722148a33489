//! `wadash instances import FILE.csv [--check]`: a fleet of hundreds into
//! the config in one atomic write, or nothing. Every malformed line is
//! named with its line number; `--check` first asks the server for each
//! id's status and refuses the file if the server does not know some ids.
//! `instances add` shares the check (as a warning) through [`unknown_ids`].

mod csv;

use std::collections::HashMap;
use std::path::Path;

use futures_util::stream::{self, StreamExt};

use super::args::GlobalArgs;
use super::{CliError, Outcome};
use crate::api::{ApiError, Client};
use crate::config::{self, Config, InstanceConfig, display_path};
use crate::i18n::fill;

/// Requests in flight for `--check` unless `--concurrency` says otherwise.
const CHECK_CONCURRENCY: usize = 16;

pub async fn run(
    global: &GlobalArgs,
    path: &Path,
    file: &Path,
    check: bool,
) -> Result<Outcome, CliError> {
    let s = crate::i18n::strings();
    let shown_file = file.display().to_string();
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(file)
    }
    .map_err(|e| CliError(format!("{shown_file}: {e}")))?;
    let config = Config::load_or_empty(path)?;
    let rows = csv::parse(&text).map_err(|bad| {
        refuse(
            &shown_file,
            bad.iter().map(|b| (b.line, b.why.clone())).collect(),
        )
    })?;
    let mut problems = Vec::new();
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for row in &rows {
        let id = row.instance.id.as_str();
        if let Some(line) = first_line.insert(id, row.line) {
            first_line.insert(id, line);
            let line = line.to_string();
            problems.push((
                row.line,
                fill(s.import_repeated, &[("id", id), ("line", &line)]),
            ));
        } else if config.instance(id).is_some() {
            problems.push((row.line, fill(s.import_in_config, &[("id", id)])));
        }
    }
    if !problems.is_empty() {
        return Err(refuse(&shown_file, problems));
    }
    let instances: Vec<InstanceConfig> = rows.into_iter().map(|r| r.instance).collect();
    if check {
        let concurrency = global
            .concurrency
            .map_or(CHECK_CONCURRENCY, usize::from)
            .max(1);
        let checked = unknown_ids(&config, &instances, concurrency).await?;
        if !checked.unknown.is_empty() || !checked.failed.is_empty() {
            report_check(&checked);
            return Err(CliError(s.import_nothing_written.into()));
        }
        crate::say_err!(
            "{}",
            fill(s.import_checked, &[("n", &instances.len().to_string())])
        );
    }
    config::add_instances(path, &instances)
        .map_err(|e| CliError(format!("{e}\n{}", s.import_nothing_written)))?;
    crate::say!(
        "{}",
        fill(
            s.import_done,
            &[
                ("n", &instances.len().to_string()),
                ("path", &display_path(path))
            ]
        )
    );
    Ok(Outcome::Ok)
}

/// Every bad line on stderr as `FILE:LINE: why`; the error says nothing was written.
fn refuse(file: &str, mut problems: Vec<(usize, String)>) -> CliError {
    problems.sort_by_key(|(line, _)| *line);
    for (line, why) in &problems {
        crate::say_err!("{file}:{line}: {why}");
    }
    CliError(crate::i18n::strings().import_nothing_written.into())
}

fn report_check(checked: &Checked) {
    let s = crate::i18n::strings();
    if !checked.unknown.is_empty() {
        let n = checked.unknown.len().to_string();
        crate::say_err!("{}", fill(s.import_unknown, &[("n", &n)]));
        for id in &checked.unknown {
            crate::say_err!("  {id}");
        }
    }
    if !checked.failed.is_empty() {
        let n = checked.failed.len().to_string();
        crate::say_err!("{}", fill(s.import_unchecked, &[("n", &n)]));
        for (id, why) in &checked.failed {
            crate::say_err!("  {id}: {why}");
        }
    }
}

/// What the server said about ids not yet in the config.
#[derive(Debug, Default)]
pub struct Checked {
    /// The server answered "no such instance" (wrong id, or another account's).
    pub unknown: Vec<String>,
    /// No answer that settles it (network, server error), with why.
    pub failed: Vec<(String, String)>,
}

/// Ask the server about each of `new` (accounts as the config would give
/// them once added), at most `concurrency` at once; results in file order.
pub async fn unknown_ids(
    config: &Config,
    new: &[InstanceConfig],
    concurrency: usize,
) -> Result<Checked, CliError> {
    let mut planned = config.clone();
    planned.instances.extend(new.iter().cloned());
    let ids: Vec<String> = new.iter().map(|i| i.id.clone()).collect();
    // api_key_cmd may run a password manager: keep it off the async threads.
    let roster = tokio::task::spawn_blocking(move || planned.resolve_for(&ids))
        .await
        .map_err(|e| {
            CliError(crate::i18n::fill(
                crate::i18n::strings().cli.ctx_resolve_failed,
                &[("e", &e.to_string())],
            ))
        })??;
    let client = Client::new();
    let client = &client;
    let accounts = &roster.accounts;
    let mut answers: Vec<(usize, String, Result<(), ApiError>)> =
        stream::iter(roster.instances.iter().enumerate())
            .map(|(index, inst)| async move {
                let result = match accounts.get(inst.account) {
                    Some(account) => client.status(account, &inst.id).await.map(|_| ()),
                    None => Err(ApiError::BadHeader { which: "account" }),
                };
                (index, inst.id.clone(), result)
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
    answers.sort_by_key(|(index, _, _)| *index);
    let mut checked = Checked::default();
    for (_, id, result) in answers {
        match result {
            Ok(()) => {}
            Err(ApiError::NotFound { .. }) => checked.unknown.push(id),
            Err(e) => checked.failed.push((id, e.to_string())),
        }
    }
    Ok(checked)
}
