//! `wadash man`: the manual page, in roff (clap_mangen for the title,
//! synopsis and global options; every subcommand's arguments walked from
//! the same command tree, so a new subcommand or flag appears by itself).
//! `wadash man | man -l -` reads it; `wadash man > ~/.local/share/man/man1/wadash.1`
//! installs it for `man wadash`.

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::completions::{COMPLETE_ENV, full_command};
use super::{CliError, EXIT_ERROR, EXIT_NOT_ACTIVE, EXIT_OK, EXIT_USAGE, Outcome};

pub fn run() -> Result<Outcome, CliError> {
    let page = render();
    super::closed_stdout::write_all(page.as_bytes())
        .map_err(|e| CliError(format!("could not write the man page: {e}")))?;
    Ok(Outcome::Ok)
}

/// The whole page.
pub fn render() -> String {
    let cmd = full_command().disable_help_subcommand(true);
    let man = Man::new(cmd.clone())
        .title("WADASH")
        .section("1")
        .manual("wadash manual")
        .source(format!("wadash {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(&mut roff, sub, "wadash");
    }
    configuration(&mut roff);
    super::man_keys::section(&mut roff);
    environment(&mut roff, &cmd);
    files(&mut roff);
    exit_status(&mut roff);
    examples(&mut roff);
    let _ = roff.to_writer(&mut out);
    ascii_only(&String::from_utf8_lossy(&out))
}

/// groff reads Latin-1 unless preconv runs first (man-db runs it, a plain
/// `groff -man` does not): every other character goes as a `\[uXXXX]` escape.
fn ascii_only(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out
}

/// One subcommand: its usage line, what it does, its own arguments; then
/// its subcommands, recursively.
fn command(roff: &mut Roff, cmd: &clap::Command, parent: &str) {
    let path = format!("{parent} {}", cmd.get_name());
    if cmd.has_subcommands() {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            command(roff, sub, &path);
        }
        return;
    }
    let mut usage = vec![bold(path.clone())];
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        if arg.is_positional() {
            let name = value_name(arg);
            let text = match (arg.is_required_set(), many(arg)) {
                (true, false) => format!(" {name}"),
                (true, true) => format!(" {name}…"),
                (false, false) => format!(" [{name}]"),
                (false, true) => format!(" [{name}…]"),
            };
            usage.push(italic(text));
        }
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        usage.push(roman(" [OPTIONS]"));
    }
    roff.control("SS", [path.as_str()]);
    roff.text(usage);
    let about = cmd.get_long_about().or(cmd.get_about());
    if let Some(about) = about {
        roff.control("PP", []);
        roff.text([roman(about.to_string())]);
    }
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        argument(roff, arg);
    }
}

fn many(arg: &clap::Arg) -> bool {
    matches!(arg.get_action(), clap::ArgAction::Append)
        || arg.get_num_args().is_some_and(|n| n.max_values() > 1)
}

fn value_name(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_ascii_uppercase())
}

/// `.TP` with the flag (or positional) and its help, choices and default.
fn argument(roff: &mut Roff, arg: &clap::Arg) {
    let mut head = Vec::new();
    if arg.is_positional() {
        head.push(italic(value_name(arg)));
    } else {
        if let Some(short) = arg.get_short() {
            head.push(bold(format!("-{short}")));
            head.push(roman(", "));
        }
        if let Some(long) = arg.get_long() {
            head.push(bold(format!("--{long}")));
        }
        if arg.get_action().takes_values() {
            head.push(roman(" "));
            head.push(italic(value_name(arg)));
        }
    }
    roff.control("TP", []);
    roff.text(head);
    let mut body = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    if !body.is_empty() && !body.ends_with(['.', '!', '?', ')']) {
        body.push('.');
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && !arg.get_action().takes_values() {
        // Flags have "true/false" possible values; not worth listing.
    } else if !values.is_empty() {
        body.push_str(&format!(" One of: {}.", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        body.push_str(&format!(" Default: {}.", defaults.join(", ")));
    }
    if let Some(env) = arg.get_env() {
        body.push_str(&format!(" Environment: {}.", env.to_string_lossy()));
    }
    roff.text([roman(body.trim().to_string())]);
}

fn paragraph(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

fn item(roff: &mut Roff, head: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(head)]);
    roff.text([roman(text)]);
}

fn configuration(roff: &mut Roff) {
    roff.control("SH", ["CONFIGURATION"]);
    paragraph(
        roff,
        "A TOML file. wadash reads the file named by --config, else by WADASH_CONFIG, \
         else ~/.config/wadash/config.toml; `wadash config path` says which and why, \
         `wadash config check` validates it and `wadash config init` writes an annotated \
         starter file. Errors name the file, line and column.",
    );
    item(
        roff,
        "[[account]]",
        "name, base_url, and exactly one of api_key, api_key_env (a variable name) or \
         api_key_cmd (a command whose first output line is the key); image_upload \
         (multipart or base64), allow_insecure_http (plain http is refused except to \
         loopback), timeout (e.g. \"15s\"), rate (requests to this account's server \
         at most, across polls and actions, evenly spaced: \"20/s\", \"600/m\", \"5/10s\").",
    );
    item(
        roff,
        "[[instance]]",
        "id, label, account (optional when there is one account), tags (a list).",
    );
    item(
        roff,
        "[ui]",
        "lang (en, es, pt), interval, concurrency, bell, qr_refresh, read_only, \
         qr_graphics (the QR as a terminal image: auto, kitty, sixel, iterm2 or off; \
         also --qr-graphics).",
    );
    super::man_config::tables(roff);
    let modes: Vec<&str> = crate::keys::rebind::CONFIG_MODES
        .iter()
        .map(|(name, _)| *name)
        .collect();
    item(
        roff,
        "[keys.MODE]",
        &format!(
            "Rebind keys, MODE one of {}: \
         action = \"key\" or a list of keys, replacing that action's default keys in that \
         mode. Keys are written like x, G, ctrl-q, alt-x, enter, esc, tab, shift-tab, \
         space, up, down, left, right, home, end, pageup, pagedown, backspace, delete, f1. \
         Action names are those of the ? help, in snake_case (quit, connect, refresh_one…); \
         DASHBOARD KEYS lists the defaults.",
            modes.join(", ")
        ),
    );
    item(
        roff,
        "[theme]",
        "preset = \"dark\", \"light\" or \"mono\"; overrides ok, warn, error, accent, dim, \
         selection as colour names (red, lightblue, darkgray…) or #rrggbb. The QR code \
         keeps its explicit black and white; NO_COLOR turns every colour off.",
    );
}

fn environment(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["ENVIRONMENT"]);
    // The flags' own variables, from the command tree.
    let mut seen = Vec::new();
    for arg in cmd.get_arguments() {
        if let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) {
            let name = env.to_string_lossy().into_owned();
            if !seen.contains(&name) {
                item(
                    roff,
                    &name,
                    &format!("The value of --{long} when it is not given."),
                );
                seen.push(name);
            }
        }
    }
    item(
        roff,
        "NO_COLOR",
        "When set and not empty, no colours: bold and reverse video only (no-color.org).",
    );
    item(
        roff,
        "LC_ALL, LC_MESSAGES, LANG",
        "The interface language when neither --lang nor ui.lang is set (es, pt, else English).",
    );
    item(
        roff,
        COMPLETE_ENV,
        "Set by the --dynamic completion scripts: wadash answers a completion request and exits.",
    );
    item(
        roff,
        "XDG_CONFIG_HOME, XDG_STATE_HOME",
        "Move the default config and log directories.",
    );
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    item(
        roff,
        "~/.config/wadash/config.toml",
        "The config file. wadash writes it only to add or remove instances (keeping \
         comments and layout) and for `config init`: a temp file, synced and renamed, mode 0600.",
    );
    item(
        roff,
        "state.toml (beside the config)",
        "What wadash set on each instance (name, description, picture, auto-read, webhook), \
         since the API cannot read profiles back. Moved aside if unreadable.",
    );
    item(
        roff,
        "~/.local/state/wadash/wadash.log",
        "The log (--log-level). Never holds API keys.",
    );
    item(
        roff,
        "qr-ID-TIME.png (beside the config)",
        "A QR code saved with s in the QR pane; `wadash qr ID --png FILE` writes FILE.",
    );
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    item(
        roff,
        &EXIT_OK.to_string(),
        "Success (status: every instance active).",
    );
    item(
        roff,
        &EXIT_NOT_ACTIVE.to_string(),
        "status: some instance inactive or unknown, none in error; qr --wait: --wait-max passed.",
    );
    item(
        roff,
        &EXIT_ERROR.to_string(),
        "Error: the API, the network, the config (config check: the file has problems), \
         or a local check that refused to send.",
    );
    item(
        roff,
        &EXIT_USAGE.to_string(),
        "Usage: bad flags or arguments.",
    );
}

fn examples(roff: &mut Roff) {
    roff.control("SH", ["EXAMPLES"]);
    for (line, what) in [
        (
            "wadash --demo",
            "The dashboard on an in-process sandbox (no account needed).",
        ),
        (
            "wadash status --json",
            "Every instance as JSON; the exit code tells cron.",
        ),
        (
            "wadash qr ID --wait",
            "Show the pairing QR until the phone links.",
        ),
        (
            "wadash set name ID \"Tienda Lima\"",
            "Change the WhatsApp profile name.",
        ),
        (
            "wadash config check",
            "Validate the config file and every key source.",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(line)]);
        roff.text([roman(what)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_covers_every_subcommand_and_the_sections() {
        let page = render();
        for sub in full_command().get_subcommands() {
            let name = format!("wadash {}", sub.get_name());
            assert!(page.contains(&name), "no {name}");
        }
        for section in [
            "CONFIGURATION",
            "ENVIRONMENT",
            "FILES",
            "EXIT STATUS",
            "WADASH_CONFIG",
            "WADASH_API_KEY",
            "NO_COLOR",
        ] {
            assert!(page.contains(section), "no {section}");
        }
    }
}
