//! `wadash completions`: the real binary prints each shell's script, and
//! real shells load them. Bash is driven as readline would (COMP_WORDS,
//! COMP_CWORD, the completion function) and its answers checked: a
//! subcommand, an enum flag's values, and — with `--dynamic` — the instance
//! ids of the config file. zsh and fish parse their scripts (`-n`); they are
//! installed from Debian packages when missing, and the test fails if not.

use crate::common::debs::ensure_debs;

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];
const SUBCOMMANDS: [&str; 7] = [
    "status",
    "qr",
    "disconnect",
    "set",
    "instances",
    "sandbox",
    "completions",
];

fn script(home: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("HOME", home)
        .env_remove("WADASH_CONFIG")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `body` in bash after sourcing `script`; returns stdout.
fn bash(home: &Path, script: &str, body: &str, config: Option<&Path>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("completion.bash");
    std::fs::write(&file, script).unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg("--norc")
        .arg("-c")
        .arg(format!("source {}\n{body}", file.display()))
        .env("HOME", home)
        .env_remove("WADASH_CONFIG");
    if let Some(config) = config {
        cmd.env("WADASH_CONFIG", config);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What the completion function `func` offers for the words typed so far
/// (the last one being completed), one per line.
fn complete(func: &str, words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let line = words.join(" ");
    format!(
        "COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT={point}; COMP_TYPE=9\n\
         {func} wadash '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" "),
        cword = words.len() - 1,
        point = line.len(),
        cur = words[words.len() - 1],
        prev = words[words.len() - 2],
    )
}

#[test]
fn every_shell_gets_a_script_that_names_every_subcommand() {
    let home = tempfile::tempdir().unwrap();
    for shell in SHELLS {
        let text = script(home.path(), &["completions", shell]);
        for sub in SUBCOMMANDS {
            assert!(text.contains(sub), "{shell}: no {sub} in the script");
        }
        // Enum values and flags are in the static script too.
        for word in ["mode", "compact", "lang", "json"] {
            assert!(text.contains(word), "{shell}: no {word} in the script");
        }
        let dynamic = script(home.path(), &["completions", shell, "--dynamic"]);
        assert!(dynamic.contains("WADASH_COMPLETE"), "{shell}: {dynamic}");
    }
    // An unknown shell is a usage error (64), naming the choices.
    let out = Command::new(BIN)
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("powershell"));
}

#[test]
fn bash_loads_the_static_script_and_completes_subcommands_and_values() {
    let home = tempfile::tempdir().unwrap();
    let text = script(home.path(), &["completions", "bash"]);
    let out = Command::new("bash")
        .arg("-n")
        .arg("-c")
        .arg(&text)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    let got = bash(
        home.path(),
        &text,
        &complete("_wadash", &["wadash", "st"]),
        None,
    );
    assert_eq!(got.trim(), "status", "{got}");
    let got = bash(
        home.path(),
        &text,
        &complete("_wadash", &["wadash", "qr", "ID", "--mode", ""]),
        None,
    );
    let mut values: Vec<&str> = got.split_whitespace().collect();
    values.sort();
    assert_eq!(values, ["auto", "compact", "half"], "{got}");
    let got = bash(
        home.path(),
        &text,
        &complete("_wadash", &["wadash", "instances", ""]),
        None,
    );
    for sub in ["list", "add", "remove"] {
        assert!(got.lines().any(|l| l == sub), "{got}");
    }
}

#[test]
fn bash_dynamic_completion_offers_the_config_instance_ids() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("wa.toml");
    std::fs::write(
        &config,
        "[[account]]\napi_key_env = \"K\"\n\n\
         [[instance]]\nid = \"LIMA-7Q2\"\nlabel = \"Tienda Lima\"\n\n\
         [[instance]]\nid = \"CUSCO-9X\"\n",
    )
    .unwrap();
    let text = script(home.path(), &["completions", "bash", "--dynamic"]);
    let func = "_clap_complete_wadash";
    assert!(text.contains(func), "{text}");

    for words in [
        &["wadash", "qr", ""][..],
        &["wadash", "disconnect", ""],
        &["wadash", "set", "name", ""],
        &["wadash", "status", "LIMA-7Q2", ""],
    ] {
        let got = bash(home.path(), &text, &complete(func, words), Some(&config));
        // With nothing typed the flags are offered too; the values are the ids.
        let mut ids: Vec<&str> = got
            .split_whitespace()
            .filter(|w| !w.starts_with('-'))
            .collect();
        ids.sort();
        assert_eq!(ids, ["CUSCO-9X", "LIMA-7Q2"], "{words:?}: {got}");
    }
    // The second positional after an id completes its own values.
    let got = bash(
        home.path(),
        &text,
        &complete(func, &["wadash", "set", "autoread", "LIMA-7Q2", ""]),
        Some(&config),
    );
    let values: Vec<&str> = got
        .split_whitespace()
        .filter(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(values, ["on", "off"], "{got}");
    // A prefix narrows it; subcommands still complete as in the static script.
    let got = bash(
        home.path(),
        &text,
        &complete(func, &["wadash", "qr", "LI"]),
        Some(&config),
    );
    assert_eq!(got.trim(), "LIMA-7Q2");
    let got = bash(
        home.path(),
        &text,
        &complete(func, &["wadash", "disc"]),
        Some(&config),
    );
    assert_eq!(got.trim(), "disconnect");
    // A broken config gives no candidates, not an error on the prompt.
    std::fs::write(&config, "[[instance]\n").unwrap();
    let got = bash(
        home.path(),
        &text,
        &complete(func, &["wadash", "qr", ""]),
        Some(&config),
    );
    assert!(got.split_whitespace().all(|w| w.starts_with('-')), "{got}");
}

#[test]
fn zsh_and_fish_parse_their_scripts() {
    ensure_debs(&["zsh", "fish"]);
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (shell, check) in [("zsh", &["-n"][..]), ("fish", &["--no-execute"][..])] {
        for extra in [&[][..], &["--dynamic"]] {
            let mut args = vec!["completions", shell];
            args.extend_from_slice(extra);
            let text = script(home.path(), &args);
            let file = dir.path().join(format!("wadash.{shell}"));
            std::fs::write(&file, &text).unwrap();
            let out = Command::new(shell)
                .args(check)
                .arg(&file)
                .env("HOME", home.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{shell} {extra:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
