//! Arguments of `completions` and `config`.

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
    /// Print a registration that asks wadash on each TAB: also completes the
    /// instance ids from the config file (source it from the shell's rc file).
    #[arg(long)]
    pub dynamic: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (stdout) and why that one (stderr): flag, env or default.
    Path,
    /// Parse the file, fetch every account's key, warn on loose permissions; exit 0 or 2.
    #[command(after_help = "Example:\n  wadash config check && wadash status")]
    Check,
    /// Write an annotated starter file (mode 0600); never overwrites one.
    Init,
}
