//! `wadash man`: the real binary's page goes through groff with every
//! warning on (none allowed) and through `man -l -` as a user would read it;
//! the rendered text covers every subcommand and the fixed sections. groff
//! and man-db are installed from Debian packages when missing (the test
//! fails with the reason if they cannot be).

use crate::common::debs::ensure_debs;

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

fn page() -> Vec<u8> {
    let out = Command::new(BIN).arg("man").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_ascii(), "non-ASCII bytes reach groff");
    out.stdout
}

fn pipe(cmd: &mut Command, input: &[u8]) -> (String, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn groff_parses_the_page_without_a_warning() {
    ensure_debs(&["groff-base"]);
    let (_, warnings) = pipe(
        Command::new("groff").args(["-man", "-ww", "-z", "-Tutf8"]),
        &page(),
    );
    assert_eq!(warnings, "", "groff warned");
}

#[test]
fn man_renders_every_subcommand_and_section() {
    ensure_debs(&["man-db", "groff-base"]);
    let (text, warnings) = pipe(
        Command::new("man")
            .args(["-l", "-"])
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("LANG", "C.UTF-8"),
        &page(),
    );
    assert_eq!(warnings.trim(), "", "man complained");
    // man may embolden with backspaces; compare on the plain text.
    let plain = strip_overstrike(&text);
    for heading in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "COMMANDS",
        "CONFIGURATION",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
        "EXAMPLES",
        "DASHBOARD KEYS",
    ] {
        assert!(
            plain.lines().any(|l| l.trim_end() == heading),
            "no {heading} section:\n{plain}"
        );
    }
    for command in [
        "wadash status",
        "wadash qr",
        "wadash disconnect",
        "wadash set name",
        "wadash set webhook",
        "wadash instances add",
        "wadash instances remove",
        "wadash sandbox",
        "wadash completions",
        "wadash man",
        "wadash config path",
        "wadash config check",
        "wadash config init",
    ] {
        assert!(plain.contains(command), "no {command}:\n{plain}");
    }
    // Flags of subcommands, enum values, the variables and exit codes
    // (compared with the line wrapping undone).
    let flat = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "--wait-max",
        "--keep-original",
        "--fault",
        "auto, half, compact",
        "WADASH_CONFIG",
        "WADASH_API_KEY",
        "NO_COLOR",
        "[keys.MODE]",
        "[theme]",
        "[history]",
        "retention",
        "[alerts]",
        "resolve_after",
        "[[alerts.hook]]",
        "WADASH_DOWN_S",
        "[[alerts.webhook]]",
        "[[alerts.apprise]]",
        "[[alerts.alertmanager]]",
        "[[alerts.email]]",
        "password_env",
        "qr_graphics",
        "rate",
        "state.toml",
        "wadash.log",
        "64",
    ] {
        assert!(flat.contains(needle), "no {needle}:\n{plain}");
    }
    // The escapes came out as the characters.
    assert!(plain.contains('…'), "{plain}");
}

/// The DASHBOARD KEYS section holds every mode of the key table and, in
/// each, every binding's keys and description, as `?` shows them.
#[test]
fn man_lists_every_dashboard_key_from_the_key_table() {
    use wadash::i18n::Lang;
    use wadash::keys::{ModeKind, bindings, describe};
    ensure_debs(&["man-db", "groff-base"]);
    let (text, _) = pipe(
        Command::new("man")
            .args(["-l", "-"])
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("LANG", "C.UTF-8"),
        &page(),
    );
    let plain = strip_overstrike(&text);
    let start = plain
        .find("\nDASHBOARD KEYS\n")
        .unwrap_or_else(|| panic!("no DASHBOARD KEYS:\n{plain}"));
    let section = &plain[start..];
    let end = section[1..]
        .find("\nENVIRONMENT\n")
        .map_or(section.len(), |e| e + 1);
    let lines: Vec<&str> = section[..end].lines().map(str::trim).collect();
    for mode in ModeKind::ALL {
        let title = mode.title(Lang::En);
        let at = lines
            .iter()
            .position(|l| *l == title)
            .unwrap_or_else(|| panic!("no {title} subsection:\n{}", &section[..end]));
        // Each binding: its keys, then its description on the same line
        // (a short tag) or the next (a long one), in the table's order.
        let mut from = at;
        for binding in bindings(mode) {
            let what = describe(binding.action, Lang::En);
            let found = (from + 1..lines.len()).find(|&i| {
                let same = lines[i]
                    .strip_prefix(binding.label)
                    .is_some_and(|rest| rest.starts_with(' ') && rest.trim() == what);
                let next = lines.get(i + 1).is_some_and(|n| *n == what);
                same || lines[i] == binding.label && next
            });
            from = found
                .unwrap_or_else(|| panic!("{title}: no `{}` → {what} in order", binding.label));
        }
    }
}

fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(c);
        }
    }
    out.into_iter().collect()
}
