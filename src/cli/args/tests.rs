//! The command line parses as documented.

use super::*;
use clap::CommandFactory;

#[test]
fn the_command_line_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn global_flags_work_after_the_subcommand() {
    let cli = Cli::try_parse_from([
        "wadash",
        "status",
        "--concurrency",
        "64",
        "--instance",
        "a",
        "--instance",
        "b",
        "--json",
    ])
    .unwrap();
    assert_eq!(cli.global.concurrency, Some(64));
    assert_eq!(cli.global.instances, ["a", "b"]);
    assert!(matches!(
        cli.command,
        Some(Command::Status(StatusArgs { json: true, .. }))
    ));
}

#[test]
fn the_key_is_masked_in_debug() {
    let cli =
        Cli::try_parse_from(["wadash", "--api-key", "super-secret-key-1234", "status"]).unwrap();
    let debug = format!("{cli:?}");
    assert!(!debug.contains("super-secret-key"), "{debug}");
}

#[test]
fn sandbox_flags_are_forwarded_and_the_global_key_used() {
    let cli = Cli::try_parse_from([
        "wadash",
        "--api-key",
        "k-123",
        "sandbox",
        "--instances",
        "9",
        "--latency",
        "20",
    ])
    .unwrap();
    let Some(Command::Sandbox(args)) = cli.command else {
        panic!("not the sandbox")
    };
    let opts = args.parse(cli.global.api_key.as_ref()).unwrap();
    assert_eq!((opts.instances, opts.latency), (9, 20));
    assert_eq!(opts.api_key.as_deref(), Some("k-123"));
    // The key given after the sandbox's own flags reaches it too.
    let cli =
        Cli::try_parse_from(["wadash", "sandbox", "--instances", "3", "--api-key", "k2"]).unwrap();
    let Some(Command::Sandbox(args)) = cli.command else {
        panic!("not the sandbox")
    };
    assert_eq!(args.parse(None).unwrap().api_key.as_deref(), Some("k2"));
    let help = SandboxArgs {
        args: vec!["--help".into()],
    }
    .parse(None)
    .unwrap_err();
    assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
}

#[test]
fn zero_durations_are_refused() {
    assert!(Cli::try_parse_from(["wadash", "--interval", "0s"]).is_err());
    assert!(Cli::try_parse_from(["wadash", "--interval", "15s"]).is_ok());
}
