//! The layering, enforced: every module's `crate::…` paths point down (or
//! across one layer), the engine and the vocabulary stay pure, and every
//! top-level module has a layer. `ARCHITECTURE.md` explains the layers;
//! this table is the rule. Test modules (`tests.rs`, `*_tests.rs`, and code
//! after a file's first `#[cfg(test)]`) may reach up to build fixtures.

use std::path::{Path, PathBuf};

/// Lowest first. A module may use its own layer and the ones below.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "secret",
            "redact",
            "sanitize",
            "base64_lenient",
            "i18n",
            "malloc_arenas",
            "fd_limit",
            "child",
            "host_check",
            "signals",
            "profile_text",
            "url_secret",
        ],
    ),
    ("domain", &["domain"]),
    (
        "adapters",
        &[
            "api",
            "qr",
            "profile_image",
            "term",
            "keys",
            "theme",
            "config",
            "history",
            "memory",
            "metrics",
            "metrics_http",
            "metrics_series",
            "pacer",
            "output_file",
        ],
    ),
    ("engine", &["engine"]),
    (
        "runtime",
        &["worker", "run_loop", "alerts", "pane_calls", "share"],
    ),
    (
        "faces",
        &["app", "ui", "tui", "dashboard", "watch", "cli", "sandbox"],
    ),
];

/// What the engine and the vocabulary never touch: I/O, threads, the
/// terminal, and the clock (time arrives on ticks and answers).
const IMPURE: &[&str] = &[
    "tokio",
    "reqwest",
    "rusqlite",
    "ratatui",
    "crossterm",
    "std::fs",
    "std::net",
    "std::process",
    "std::thread",
    "std::env",
    "Instant::now",
    "SystemTime::now",
];

/// Within a layer, who must not build whose types: config hands `[keys]`
/// and `[theme]` over as plain data, and `keys` and `theme` make their own
/// types of it (they may name config's data; config names neither).
const NOT_ACROSS: &[(&str, &[&str])] = &[("config", &["keys", "theme"])];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The top-level module a source file belongs to (`src/engine/polls.rs` → engine).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

fn is_test_file(file: &Path) -> bool {
    let name = file.file_name().unwrap().to_string_lossy();
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || file.components().any(|c| {
            c.as_os_str() == "tests" || c.as_os_str().to_string_lossy().ends_with("_tests")
        })
}

/// The violations in one file's text: `file:line: what`.
fn check(module: &str, file: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Some(own) = layer_of(module) else {
        return vec![format!(
            "{file}: module `{module}` has no layer in tests/it/layers.rs"
        )];
    };
    let pure = matches!(LAYERS[own].0, "engine" | "domain");
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let code = code.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(target) = layer_of(&name)
                && target > own
            {
                found.push(format!(
                    "{file}:{}: `{module}` ({}) uses `crate::{name}` ({}), a layer above: {}",
                    n + 1,
                    LAYERS[own].0,
                    LAYERS[target].0,
                    line.trim()
                ));
            }
            let barred = NOT_ACROSS
                .iter()
                .any(|(from, to)| *from == module && to.contains(&name.as_str()));
            if barred {
                found.push(format!(
                    "{file}:{}: `{module}` returns plain data and must not use `crate::{name}`: {}",
                    n + 1,
                    line.trim()
                ));
            }
            rest = &after[name.len()..];
        }
        if pure {
            for word in IMPURE {
                let hit = code.match_indices(word).any(|(i, _)| {
                    let before = code[..i].chars().next_back();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                if hit {
                    found.push(format!(
                        "{file}:{}: the {} layer must stay pure, but uses `{word}`: {}",
                        n + 1,
                        LAYERS[own].0,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_import_points_down_and_the_engine_stays_pure() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" || module == "main" || is_test_file(file) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let shown = file.strip_prefix(src.parent().unwrap()).unwrap();
        violations.extend(check(&module, &shown.display().to_string(), &text));
    }
    assert!(
        violations.is_empty(),
        "{} layering violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
    assert!(files.len() > 100, "the walk found the sources");
}

#[test]
fn the_check_catches_an_upward_import_an_impure_engine_and_an_unknown_module() {
    let upward = check(
        "engine",
        "src/engine/x.rs",
        "use crate::domain::Seen;\nuse crate::app::state::App;\n",
    );
    assert_eq!(upward.len(), 1, "{upward:?}");
    assert!(upward[0].starts_with("src/engine/x.rs:2:"), "{upward:?}");
    let impure = check(
        "engine",
        "src/engine/x.rs",
        "fn f() { let t = std::time::Instant::now(); }\n",
    );
    assert_eq!(impure.len(), 1, "{impure:?}");
    let inline = check(
        "history",
        "src/history/x.rs",
        "    crate::watch::log::x();\n",
    );
    assert_eq!(inline.len(), 1, "paths in code count, not only use lines");
    let fine = check(
        "app",
        "src/app/x.rs",
        "use crate::engine::Monitor; // crate::cli in a comment\n#[cfg(test)]\nuse crate::sandbox;\n",
    );
    assert!(fine.is_empty(), "{fine:?}");
    assert_eq!(check("newthing", "src/newthing.rs", "").len(), 1);
    let across = check(
        "config",
        "src/config/keys.rs",
        "use crate::api;\nuse crate::keys::rebind::Keymap;\n",
    );
    assert_eq!(across.len(), 1, "{across:?}");
    assert!(across[0].starts_with("src/config/keys.rs:2:"), "{across:?}");
}
