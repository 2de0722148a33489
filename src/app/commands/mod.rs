//! The one table of `:` commands. Running (`app/modes/command.rs`), Tab
//! completion and suggestions, the `?` help, the "unknown command" message
//! and the README check all read it, so they cannot list different commands.

use crate::app::order::SortKey;
use crate::i18n::Strings;

pub mod complete;

pub use complete::Known;

/// What a command's argument is, for completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// `all`, or nothing (the selected row).
    Refresh,
    Duration,
    Window,
    /// Filter terms (`status:…`, `tag:…`, words).
    Filter,
    Sort,
    /// A `[views.<name>]` from the config.
    View,
    /// `:log`'s: the errors word, or one instance by id or label (spaces
    /// and all: the whole argument is one value).
    Log,
}

pub struct CommandSpec {
    /// The canonical name, typed as `:name`.
    pub name: &'static str,
    /// Other spellings that run it (short forms, Spanish and Portuguese).
    pub aliases: &'static [&'static str],
    /// How the argument is written in help (empty: none).
    pub usage: &'static str,
    pub arg: Arg,
    pub help: fn(&Strings) -> &'static str,
}

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "quit",
        aliases: &["q", "salir", "sair"],
        usage: "",
        arg: Arg::None,
        help: |s| s.cmd_quit,
    },
    CommandSpec {
        name: "refresh",
        aliases: &["r", "actualizar", "atualizar"],
        usage: "[all]",
        arg: Arg::Refresh,
        help: |s| s.cmd_refresh,
    },
    CommandSpec {
        name: "pause",
        aliases: &["pausar"],
        usage: "",
        arg: Arg::None,
        help: |s| s.cmd_pause_only,
    },
    CommandSpec {
        name: "resume",
        aliases: &["reanudar", "retomar"],
        usage: "",
        arg: Arg::None,
        help: |s| s.cmd_resume,
    },
    CommandSpec {
        name: "interval",
        aliases: &["intervalo"],
        usage: "30s",
        arg: Arg::Duration,
        help: |s| s.cmd_interval,
    },
    CommandSpec {
        name: "uptime",
        aliases: &["disponibilidad", "disponibilidade"],
        usage: "24h|7d|30d",
        arg: Arg::Window,
        help: |s| s.cmd_uptime,
    },
    CommandSpec {
        name: "filter",
        aliases: &["f", "filtro", "filtrar"],
        usage: "status:inactive tag:peru",
        arg: Arg::Filter,
        help: |s| s.cmd_filter,
    },
    CommandSpec {
        name: "sort",
        aliases: &["ordenar"],
        usage: "status|label|change|latency|uptime|drops",
        arg: Arg::Sort,
        help: |s| s.cmd_sort,
    },
    CommandSpec {
        name: "view",
        aliases: &["vista"],
        usage: "NAME",
        arg: Arg::View,
        help: |s| s.cmd_view,
    },
    CommandSpec {
        name: "reconnect",
        aliases: &["reconectar"],
        usage: "status:inactive",
        arg: Arg::Filter,
        help: |s| s.cmd_reconnect,
    },
    CommandSpec {
        name: "doctor",
        aliases: &["diagnostico", "diagnóstico"],
        usage: "",
        arg: Arg::None,
        help: |s| s.cmd_doctor,
    },
    CommandSpec {
        name: "log",
        aliases: &["registro"],
        usage: "[errors|NAME]",
        arg: Arg::Log,
        help: |s| s.cmd_log,
    },
    CommandSpec {
        name: "help",
        aliases: &["h", "ayuda", "ajuda"],
        usage: "",
        arg: Arg::None,
        help: |s| s.cmd_help,
    },
];

/// The command a typed word names (its name or an alias), if any.
pub fn find(word: &str) -> Option<&'static CommandSpec> {
    let word = word.to_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word.as_str()))
}

/// `:sort` values: the canonical word first, then other spellings.
pub static SORT_WORDS: &[(&[&str], SortKey)] = &[
    (&["status", "estado"], SortKey::Status),
    (
        &["label", "name", "nombre", "etiqueta", "nome"],
        SortKey::Label,
    ),
    (
        &["change", "changed", "cambio", "mudanca", "mudança"],
        SortKey::LastChange,
    ),
    (&["latency", "latencia", "latência"], SortKey::Latency),
    (
        &["uptime", "disponibilidad", "disponibilidade"],
        SortKey::Uptime,
    ),
    (&["drops", "caidas", "caídas", "quedas"], SortKey::Drops),
];

pub fn sort_key(word: &str) -> Option<SortKey> {
    let word = word.to_lowercase();
    SORT_WORDS
        .iter()
        .find(|(words, _)| words.contains(&word.as_str()))
        .map(|(_, key)| *key)
}

/// Every canonical name, for the "unknown command" message.
pub fn names() -> String {
    COMMANDS
        .iter()
        .map(|c| format!(":{}", c.name))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `:name usage` as help shows it.
pub fn synopsis(spec: &CommandSpec) -> String {
    if spec.usage.is_empty() {
        format!(":{}", spec.name)
    } else {
        format!(":{} {}", spec.name, spec.usage)
    }
}

/// The values an argument can take, for completion (views, tags and
/// instances come from the caller: they live in the config and the fleet).
pub fn arg_values(arg: Arg, known: &Known) -> Vec<String> {
    let (views, tags) = (&known.views, &known.tags);
    let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    match arg {
        Arg::None | Arg::Duration => Vec::new(),
        Arg::Refresh => owned(&["all"]),
        Arg::Window => owned(&["24h", "7d", "30d"]),
        Arg::Sort => SORT_WORDS.iter().map(|(w, _)| w[0].to_string()).collect(),
        Arg::View => views.to_vec(),
        Arg::Log => known.log_words.clone(),
        Arg::Filter => {
            let mut values: Vec<String> = ["active", "inactive", "error", "unknown"]
                .iter()
                .map(|h| format!("status:{h}"))
                .collect();
            values.push("status:inactive,error,unknown".into());
            values.extend(tags.iter().map(|t| format!("tag:{t}")));
            values
        }
    }
}

#[cfg(test)]
mod tests;

/// The README's table of `:` commands, described in `lang`. A test checks
/// each README holds it, so the documentation follows this table.
pub fn markdown(lang: crate::i18n::Lang) -> String {
    let s = lang.strings();
    let (cmd_h, also_h, what_h) = match lang {
        crate::i18n::Lang::Es => ("Comando", "También", "Qué hace"),
        crate::i18n::Lang::Pt => ("Comando", "Também", "O que faz"),
        crate::i18n::Lang::En => ("Command", "Also", "What it does"),
    };
    let mut out = format!("| {cmd_h} | {also_h} | {what_h} |\n|---|---|---|\n");
    for spec in COMMANDS {
        let also: Vec<String> = spec.aliases.iter().map(|a| format!("`:{a}`")).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            synopsis(spec).replace('|', "\\|"),
            also.join(" "),
            (spec.help)(s)
        ));
    }
    out
}
