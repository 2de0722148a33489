//! The READMEs (English and Spanish) against the program, read generically
//! so sections added later are checked too:
//! - every `wadash …` command line in a shell code block (```sh, bash…) and
//!   every inline `wadash …` span walks clap's command tree (subcommands,
//!   flags, enum values), and `wadash <subcommand…> --help` runs;
//! - every config key in a ```toml block (commented examples too) and every
//!   inline `table.key` span is accepted by the config parser;
//! - every ```toml block with a `[keys.…]` table parses whole, and the
//!   table of actions equals the one generated from the key table.
//!
//! The checker is itself checked on made-up commands and keys.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

mod config_keys;
use config_keys::{is_config_table, key_problem, load_config, toml_keys};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "console", "zsh", "fish"];

pub(crate) fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) struct Block {
    pub(crate) lang: String,
    pub(crate) text: String,
}

/// Fenced code blocks, and the inline code spans of the prose around them.
pub(crate) fn split(markdown: &str) -> (Vec<Block>, Vec<String>) {
    let mut blocks = Vec::new();
    let mut spans = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            let mut text = String::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    break;
                }
                text.push_str(inner);
                text.push('\n');
            }
            blocks.push(Block {
                lang: lang.trim().to_string(),
                text,
            });
        } else {
            let parts: Vec<&str> = line.split('`').collect();
            for (i, part) in parts.iter().enumerate() {
                if i % 2 == 1 && i + 1 < parts.len() {
                    spans.push(part.to_string());
                }
            }
        }
    }
    (blocks, spans)
}

/// Shell-like words: quotes group, `#` starts a comment, and the command
/// ends at a pipe, redirection, `;`, `&&` or `)`.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    in_word = true;
                }
                ' ' | '\t' => {
                    if in_word {
                        out.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                '#' if !in_word => break,
                // `add|remove` inside a word lists alternatives; alone it is a pipe.
                '|' if !in_word => break,
                ')' | ';' | '>' | '<' | '&' => {
                    // `2>>log`: the descriptor is part of the redirection.
                    if c == '>' && in_word && word.chars().all(|d| d.is_ascii_digit()) {
                        word.clear();
                        in_word = false;
                    }
                    if in_word {
                        out.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                    break;
                }
                _ => {
                    word.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// The `wadash` command lines in a shell block (and `cargo run -- …`).
fn command_lines(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = find_word(rest, "wadash") {
            out.push(words(&rest[at + "wadash".len()..]));
            rest = &rest[at + "wadash".len()..];
        }
        if let Some(at) = line.find("cargo run")
            && let Some(dashes) = line[at..].find(" -- ")
        {
            out.push(words(&line[at + dashes + 4..]));
        }
    }
    out
}

/// `wadash` as a command word: at the start, or after a space, `(`, `|`,
/// `;`, `$(`, and followed by a space or the end.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let starts = before.is_none_or(|c| matches!(c, ' ' | '(' | '|' | ';' | '\t'))
            && command_position(&text[..at]);
        let ends = after.is_none_or(|c| c == ' ');
        // Not a comment's prose: only what precedes a `#`.
        let commented = text[..at].contains(" #") || text[..at].starts_with('#');
        if starts && ends && !commented {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// What stands before a word lets it be the command run: only variable
/// assignments and wrappers like `nohup` since the line's (or pipe's) start,
/// so `docker build -t wadash .` is not read as a wadash command.
fn command_position(before: &str) -> bool {
    let segment = before.rsplit(['|', ';', '(', '&']).next().unwrap_or(before);
    segment.split_whitespace().all(|w| {
        matches!(
            w,
            "$" | "nohup" | "sudo" | "exec" | "time" | "env" | "source" | "<"
        ) || w.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

fn placeholder(word: &str) -> bool {
    word.contains('…')
        || word.contains("...")
        || word.chars().any(|c| c.is_ascii_uppercase())
            && !word.chars().any(|c| c.is_ascii_lowercase())
}

/// Walks `argv` through the command tree; returns the subcommand path.
fn check_command(root: &clap::Command, argv: &[String]) -> Result<Vec<String>, String> {
    let mut cmd = root;
    let mut path = Vec::new();
    let mut positional = 0;
    let mut i = 0;
    while i < argv.len() {
        let raw = argv[i].trim_matches(|c| c == '[' || c == ']');
        i += 1;
        if raw.is_empty() || placeholder(raw) {
            if !raw.is_empty() {
                positional += 1;
            }
            continue;
        }
        if let Some(flag) = raw.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            if name.is_empty() {
                break;
            }
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(name))
                .ok_or_else(|| format!("`{}` has no flag --{name}", path_name(&path)))?;
            if arg.get_action().takes_values() {
                let value = match inline {
                    Some(v) => Some(v),
                    None => {
                        i += 1;
                        argv.get(i - 1).cloned()
                    }
                };
                if let Some(value) = value {
                    check_value(arg, &value, &path)?;
                }
            }
            continue;
        }
        if raw.starts_with('-') && raw.len() == 2 {
            let short = raw.chars().nth(1).unwrap();
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_short() == Some(short))
                .ok_or_else(|| format!("`{}` has no flag {raw}", path_name(&path)))?;
            if arg.get_action().takes_values() {
                i += 1;
            }
            continue;
        }
        if cmd.has_subcommands() && positional == 0 {
            let alternatives: Vec<&str> = raw.split('|').collect();
            let mut next = None;
            // A command with subcommands may also take arguments of its
            // own (`wadash silence ID --for 2h` beside `silence list`).
            let takes_own = cmd.get_positionals().next().is_some();
            for alt in &alternatives {
                match cmd.find_subcommand(alt) {
                    Some(sub) => {
                        next.get_or_insert(sub);
                    }
                    None if takes_own => {}
                    None => {
                        return Err(format!("`{}` has no subcommand `{alt}`", path_name(&path)));
                    }
                }
            }
            if let Some(sub) = next {
                cmd = sub;
                path.push(alternatives[0].to_string());
                continue;
            }
        }
        // A positional value: check it when its argument has fixed choices.
        let positionals: Vec<&clap::Arg> = cmd.get_positionals().collect();
        if positionals.is_empty() {
            return Err(format!(
                "`{}` takes no argument, but `{raw}` follows",
                path_name(&path)
            ));
        }
        let arg = positionals[positional.min(positionals.len() - 1)];
        for alt in raw.split('|') {
            check_value(arg, alt, &path)?;
        }
        positional += 1;
    }
    Ok(path)
}

fn check_value(arg: &clap::Arg, value: &str, path: &[String]) -> Result<(), String> {
    let values = arg.get_possible_values();
    if values.is_empty() || placeholder(value) || value.starts_with('$') {
        return Ok(());
    }
    for alt in value.split('|') {
        if !values.iter().any(|v| v.matches(alt, false)) {
            return Err(format!(
                "`{}`: `{alt}` is not a value of {}",
                path_name(path),
                arg.get_id()
            ));
        }
    }
    Ok(())
}

fn path_name(path: &[String]) -> String {
    std::iter::once("wadash".to_string())
        .chain(path.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Default)]
struct Report {
    commands: usize,
    keys: usize,
    paths: BTreeSet<Vec<String>>,
    problems: Vec<String>,
}

fn check_markdown(markdown: &str, root: &clap::Command) -> Report {
    let mut report = Report::default();
    let (blocks, spans) = split(markdown);
    let mut lines: Vec<Vec<String>> = Vec::new();
    for block in &blocks {
        if SHELL_LANGS.contains(&block.lang.as_str()) {
            lines.extend(command_lines(&block.text));
        }
        if block.lang == "toml" {
            for (table, key, value) in toml_keys(&block.text) {
                report.keys += 1;
                if let Some(p) = key_problem(&table, &key, &value) {
                    report.problems.push(p);
                }
            }
        }
    }
    for span in &spans {
        if let Some(rest) = span.strip_prefix("wadash ") {
            lines.push(words(rest));
        } else if let Some((table, key)) = span.rsplit_once('.')
            && !span.contains(['/', ' ', '=', '[', '`'])
            && !table.is_empty()
            && !key.is_empty()
            && table
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && is_config_table(table)
        {
            report.keys += 1;
            if let Some(p) = key_problem(table, key, "\"\"") {
                report.problems.push(p);
            }
        }
    }
    for argv in lines {
        report.commands += 1;
        match check_command(root, &argv) {
            Ok(path) => {
                report.paths.insert(path);
            }
            Err(e) => report
                .problems
                .push(format!("wadash {}: {e}", argv.join(" "))),
        }
    }
    report
}

fn root() -> clap::Command {
    let mut cmd = wadash::cli::completions::full_command();
    cmd.build();
    cmd
}

fn check_readme(name: &str) {
    let text = read(name);
    let report = check_markdown(&text, &root());
    assert!(
        report.problems.is_empty(),
        "{name}:\n{}",
        report.problems.join("\n")
    );
    // Not a vacuous pass: the READMEs show many of both.
    assert!(
        report.commands >= 30,
        "{name}: only {} commands",
        report.commands
    );
    assert!(
        report.keys >= 20,
        "{name}: only {} config keys",
        report.keys
    );
    // Each subcommand shown answers --help in the real binary.
    for path in &report.paths {
        let out = Command::new(BIN).args(path).arg("--help").output().unwrap();
        assert!(
            out.status.success(),
            "{name}: wadash {} --help: {}",
            path.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_command_and_config_key_in_readme_md_exists() {
    check_readme("README.md");
}

#[test]
fn every_command_and_config_key_in_readme_es_md_exists() {
    check_readme("README.es.md");
}

#[test]
fn the_checker_catches_made_up_commands_keys_and_values() {
    let md = "```sh\nwadash frobnicate ID\nwadash qr ID --shiny\nwadash qr ID --mode tiny\n\
              wadash set autoread ID maybe\n```\n\n```toml\n[ui]\nlang = \"es\"\nfrob = 1\n\
              # or nonsense_key = \"x\"\n[keys.list]\nquti = \"x\"\n[keys.lists]\nquit = \"x\"\n\
              [theme]\nbackground = \"red\"\n[[account]]\nrat = 1\n```\n\n\
              Inline: `wadash instances rename ID`, `ui.bogus_key`, `config.toml`.\n";
    let report = check_markdown(md, &root());
    let all = report.problems.join("\n");
    for needle in [
        "no subcommand `frobnicate`",
        "no flag --shiny",
        "`tiny` is not a value",
        "`maybe` is not a value",
        "[ui] frob",
        "[ui] nonsense_key",
        "[keys.list] quti",
        "[keys.lists] quit",
        "[theme] background",
        "[account] rat",
        "no subcommand `rename`",
        "[ui] bogus_key",
    ] {
        assert!(all.contains(needle), "missed {needle}:\n{all}");
    }
    assert_eq!(report.problems.len(), 12, "{all}");
    // And what exists passes.
    let good = "```sh\nwadash --demo status --json\nwadash qr ID --mode half --png qr.png\n\
                cargo run --release -- --demo\nsource <(wadash completions bash --dynamic)\n```\n\
                ```toml\n[ui]\nlang = \"es\"   # or interval = \"10s\"\n```\n`ui.bell`\n";
    let report = check_markdown(good, &root());
    assert!(report.problems.is_empty(), "{}", report.problems.join("\n"));
    assert_eq!((report.commands, report.keys), (4, 3));
}

/// Every ```toml block with a live `[keys.…]` table is a valid config, and
/// the action table in each README is the generated one.
#[test]
fn the_keys_examples_parse_and_the_action_tables_match_the_key_table() {
    use wadash::i18n::Lang;
    use wadash::keys::rebind::defaults_markdown;
    for (name, lang) in [("README.md", Lang::En), ("README.es.md", Lang::Es)] {
        let text = read(name);
        let (blocks, _) = split(&text);
        let examples: Vec<&Block> = blocks
            .iter()
            .filter(|b| b.lang == "toml" && b.text.lines().any(|l| l.starts_with("[keys.")))
            .collect();
        assert!(!examples.is_empty(), "{name}: no [keys] example");
        for block in examples {
            let config = load_config(&block.text, Path::new(name))
                .unwrap_or_else(|e| panic!("{name}: the [keys] example: {e}\n{}", block.text));
            assert!(!config.ui.keys.is_default());
        }
        let table = defaults_markdown(lang);
        let normalized: String = text
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        assert!(
            normalized.contains(&table),
            "{name}: the table of actions differs from the key table; paste this:\n\n{table}"
        );
    }
}

/// The `:` commands: every `:word` the READMEs name runs in the dashboard
/// (the command table finds it), and each README holds the table generated
/// from the command table (help, completion and the "unknown command"
/// message read the same table).
#[test]
fn the_readme_commands_are_the_command_table() {
    use wadash::app::commands::{find, markdown, sort_key};
    use wadash::i18n::Lang;
    for (name, lang) in [("README.md", Lang::En), ("README.es.md", Lang::Es)] {
        let text = read(name);
        let (_, spans) = split(&text);
        let mut problems = Vec::new();
        for span in spans {
            let Some(rest) = span.strip_prefix(':') else {
                continue;
            };
            let mut words = rest.split_whitespace();
            let Some(word) = words.next() else { continue };
            if !word.chars().all(|c| c.is_ascii_lowercase()) {
                continue;
            }
            match find(word) {
                None => problems.push(format!("`{span}`: no command `:{word}`")),
                Some(spec) if spec.name == "sort" => {
                    // `a\|b\|c` in a table cell: each alternative must be a sort.
                    if let Some(value) = words.next()
                        && !placeholder(value)
                        && value
                            .replace('\\', "")
                            .split('|')
                            .any(|v| sort_key(v).is_none())
                    {
                        problems.push(format!("`{span}`: `{value}` is not a sort"));
                    }
                }
                Some(_) => {}
            }
        }
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        let table = markdown(lang);
        let normalized: String = text
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        assert!(
            normalized.contains(&table),
            "{name}: the table of commands differs from the command table; paste this:\n\n{table}"
        );
    }
}
