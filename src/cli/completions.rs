//! `wadash completions SHELL`: shell completion scripts (clap_complete).
//!
//! Two kinds, because they trade differently:
//! - the default, a static script generated from the command tree: every
//!   subcommand, flag and enum value (`--mode half|compact|auto`, `--lang`…),
//!   nothing run at TAB time, fine to save in a completion directory;
//! - `--dynamic`, a short registration that calls wadash back on each TAB
//!   (`WADASH_COMPLETE=SHELL wadash -- WORDS…`, clap_complete's
//!   `unstable-dynamic` engine). It completes the same things plus the
//!   instance ids of the config file for every argument named `id`/`ids`.
//!   It must be sourced from the shell's startup file (regenerated on each
//!   start, so it always matches the installed binary).

use std::ffi::OsString;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::EnvCompleter;

use super::args::{Cli, CompletionShell, CompletionsArgs, SandboxCli};
use super::{CliError, Outcome};
use crate::config::{CONFIG_ENV, Config};

/// `wadash completions --help`: where each shell looks for the script.
pub const COMPLETIONS_HELP: &str = "\
Where to put the script:
  bash        wadash completions bash > ~/.local/share/bash-completion/completions/wadash
  zsh         wadash completions zsh > ~/.zfunc/_wadash   (with fpath+=(~/.zfunc) before compinit)
  fish        wadash completions fish > ~/.config/fish/completions/wadash.fish
  powershell  wadash completions powershell >> $PROFILE
  elvish      wadash completions elvish >> ~/.config/elvish/rc.elv

With instance ids from the config (asks wadash on each TAB; in the rc file):
  bash        source <(wadash completions bash --dynamic)       # ~/.bashrc
  zsh         source <(wadash completions zsh --dynamic)        # ~/.zshrc
  fish        wadash completions fish --dynamic | source        # ~/.config/fish/config.fish";

/// The variable that switches the binary into "answer a completion" mode.
/// Not clap's default `COMPLETE`: too generic a name to own.
pub const COMPLETE_ENV: &str = "WADASH_COMPLETE";

/// The whole command tree as completions and the man page see it: the
/// sandbox's own flags (parsed separately at run time) put in place of its
/// pass-through argument, and instance-id completion on every `id`/`ids`.
pub fn full_command() -> clap::Command {
    let sandbox = SandboxCli::command()
        .name("sandbox")
        .bin_name("wadash sandbox");
    let cli = Cli::command();
    let about = cli
        .find_subcommand("sandbox")
        .and_then(|s| s.get_about().cloned());
    let cli = cli.mut_subcommand("sandbox", move |_| match about {
        Some(about) => sandbox.about(about),
        None => sandbox,
    });
    with_id_completion(cli)
}

/// Every positional argument named `id` or `ids`, in every subcommand,
/// completes from the config's instances: commands added later get it
/// without doing anything.
fn with_id_completion(mut cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, with_id_completion);
    }
    // `mut_args`, not `mut_arg`: the latter moves the argument to the end,
    // which renumbers positionals (`set name ID TEXT` would complete TEXT first).
    cmd.mut_args(|a| {
        if a.is_positional() && matches!(a.get_id().as_str(), "id" | "ids") {
            a.add(ArgValueCandidates::new(instance_ids))
        } else {
            a
        }
    })
}

/// The config's instance ids, with their labels as the description. Runs
/// at TAB time: reads the file only (no key is fetched, nothing is run),
/// and any problem just means no candidates.
fn instance_ids() -> Vec<CompletionCandidate> {
    let path = std::env::var_os(CONFIG_ENV)
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(Config::default_path);
    let Some(config) = path.and_then(|p| Config::load_or_empty(&p).ok()) else {
        return Vec::new();
    };
    config
        .instances
        .into_iter()
        .map(|i| CompletionCandidate::new(i.id).help(i.label.map(Into::into)))
        .collect()
}

/// Call first thing in `main`: when the shell asks for completions
/// (`WADASH_COMPLETE` set), answer and exit; otherwise return at once.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(full_command)
        .var(COMPLETE_ENV)
        .complete();
}

pub fn run(args: &CompletionsArgs) -> Result<Outcome, CliError> {
    let mut script = Vec::new();
    if args.dynamic {
        write_registration(args.shell, &mut script)
    } else {
        write_static(args.shell, &mut script);
        Ok(())
    }
    .map_err(|e| {
        CliError(crate::i18n::fill(
            crate::i18n::strings().cli.completions_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    super::closed_stdout::write_all(&script).map_err(|e| {
        CliError(crate::i18n::fill(
            crate::i18n::strings().cli.completions_failed,
            &[("e", &e.to_string())],
        ))
    })?;
    Ok(Outcome::Ok)
}

/// The static script for `shell`.
pub fn write_static(shell: CompletionShell, out: &mut Vec<u8>) {
    use clap_complete::Shell;
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
        CompletionShell::Elvish => Shell::Elvish,
    };
    clap_complete::generate(shell, &mut full_command(), "wadash", out);
}

/// The dynamic registration for `shell`, calling back the binary by the
/// name it was started with (a bare `wadash` keeps working across
/// upgrades; a path is made absolute so it works from any directory).
pub fn write_registration(shell: CompletionShell, out: &mut Vec<u8>) -> std::io::Result<()> {
    use clap_complete::env::{Bash, Elvish, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        CompletionShell::Bash => &Bash,
        CompletionShell::Zsh => &Zsh,
        CompletionShell::Fish => &Fish,
        CompletionShell::Powershell => &Powershell,
        CompletionShell::Elvish => &Elvish,
    };
    let argv0 = std::env::args_os()
        .next()
        .unwrap_or_else(|| OsString::from("wadash"));
    let mut program = std::path::PathBuf::from(&argv0);
    if Path::new(&argv0).components().count() > 1
        && let Ok(dir) = std::env::current_dir()
    {
        program = dir.join(program);
    }
    completer.write_registration(
        COMPLETE_ENV,
        "wadash",
        "wadash",
        &program.to_string_lossy(),
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn the_full_tree_is_consistent_and_has_the_sandbox_flags() {
        let cmd = full_command();
        cmd.clone().debug_assert();
        let sandbox = cmd.find_subcommand("sandbox").unwrap();
        assert!(sandbox.get_arguments().any(|a| a.get_id() == "fault"));
        let qr = cmd.find_subcommand("qr").unwrap();
        let id = qr.get_positionals().find(|a| a.get_id() == "id").unwrap();
        assert!(id.get::<ArgValueCandidates>().is_some());
    }

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in CompletionShell::value_variants() {
            let mut out = Vec::new();
            write_static(*shell, &mut out);
            let text = String::from_utf8(out).unwrap();
            for sub in ["status", "qr", "disconnect", "instances", "completions"] {
                assert!(text.contains(sub), "{shell:?} lacks {sub}");
            }
            let mut out = Vec::new();
            write_registration(*shell, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains(COMPLETE_ENV), "{shell:?}: {text}");
        }
    }
}
