//! Entry point: parse, pick the face, map the outcome to an exit code.
//! Everything else lives in `wadash::cli`.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use wadash::cli::{self, Cli, EXIT_ERROR, EXIT_USAGE};

fn main() -> ExitCode {
    wadash::malloc_arenas::cap();
    wadash::fd_limit::raise();
    cli::closed_stdout::install();
    // A shell asking for completions (WADASH_COMPLETE set) is answered and exits here.
    cli::completions::answer_if_asked();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let result = runtime.block_on(cli::run(cli));
    // Hung requests (a dead server) must not hold the exit.
    runtime.shutdown_background();
    // Ended by a signal (the terminal already given back): 128 + signal.
    if let Some(signal) = wadash::signals::received() {
        return ExitCode::from(wadash::signals::exit_code(signal));
    }
    match result {
        Err(e) => usage(&e),
        Ok(Ok(outcome)) => ExitCode::from(outcome.code()),
        Ok(Err(e)) => {
            wadash::say_err!("{}: {e}", wadash::i18n::strings().word_error);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Help and version are not errors; anything else clap refused is exit 64.
fn usage(e: &clap::Error) -> ExitCode {
    let _ = e.print();
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => ExitCode::SUCCESS,
        _ => ExitCode::from(EXIT_USAGE),
    }
}
