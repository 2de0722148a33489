//! Issue 19, "Getting around", in the real binary at 80×24, in English and
//! Spanish: Tab completion on the `:` line, `y` copying the id through
//! OSC 52, the attention key, the `:doctor` pane, and the help search.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::common::pty::PtySession;

const WAIT: Duration = Duration::from_secs(20);

struct Words {
    lang: &'static str,
    prompt: &'static str,
    active: &'static str,
    inactive: &'static str,
    doctor_word: &'static str,
    doctor_title: &'static str,
    copied: &'static str,
    copy_key: &'static str,
    search: &'static str,
    elsewhere: &'static str,
}

const EN: Words = Words {
    lang: "en",
    prompt: ":command",
    active: "● active",
    inactive: "○ inactive",
    doctor_word: "doctor",
    doctor_title: "Doctor",
    copied: "copied: ",
    copy_key: "copy id",
    search: "copy",
    elsewhere: "cycle sort",
};

const ES: Words = Words {
    lang: "es",
    prompt: ":comando",
    active: "● activa",
    inactive: "○ inactiva",
    doctor_word: "diagnostico",
    doctor_title: "Diagnóstico",
    copied: "copiado: ",
    copy_key: "copiar id",
    search: "copiar",
    elsewhere: "cambiar orden",
};

/// Table rows (not the details pane) showing `word`.
fn rows_with(screen: &str, word: &str) -> usize {
    screen
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains(word))
        .count()
}

fn walk(w: &Words) {
    let mut s = PtySession::spawn(&["--demo", "--lang", w.lang], &[], 80, 24);
    s.wait_for("statuses from the demo", WAIT, |sc| {
        sc.contains(w.active) && sc.contains(w.inactive) && !sc.contains('◌')
    });

    // Tab completes the command word; Enter runs it in its own pane.
    s.send(":");
    s.wait_for("the : line", WAIT, |sc| sc.contains(w.prompt));
    s.send(&w.doctor_word[..4]);
    s.send("\t");
    s.wait_for("the completed command", WAIT, |sc| {
        sc.contains(&format!("{} {}", w.prompt, w.doctor_word))
    });
    s.send("\r");
    let pane = s.wait_for("the doctor pane", WAIT, |sc| {
        sc.contains(&format!("┌ {} ", w.doctor_title))
    });
    assert!(pane.contains("80×24"), "{pane}");
    s.send("\x1b");
    s.wait_for("the list again", WAIT, |sc| {
        !sc.contains(&format!("┌ {} ", w.doctor_title))
    });

    // `y`: the selected id on the clipboard through OSC 52.
    let before = s.raw().len();
    s.send("y");
    let screen = s.wait_for("the copy message", WAIT, |sc| sc.contains(w.copied));
    let raw = s.raw()[before..].to_vec();
    let raw = String::from_utf8_lossy(&raw);
    let start = raw.find("\x1b]52;c;").expect("an OSC 52 sequence") + 7;
    let end = start + raw[start..].find('\x07').expect("BEL ends OSC 52");
    let copied = String::from_utf8(STANDARD.decode(&raw[start..end]).unwrap()).unwrap();
    assert!(!copied.is_empty());
    assert!(
        screen.contains(&format!("{}{copied}", w.copied)),
        "copied {copied:?}; screen:\n{screen}"
    );
    // The wide layout shows the Id column at 80: the copied id is a row's.
    s.send("w");
    s.wait_for("the id in the table", WAIT, |sc| {
        sc.lines()
            .skip(2)
            .any(|l| l.starts_with("  ") && l.contains(&copied))
    });

    // `!`: only the rows that need attention; again: all.
    s.send("!");
    let narrowed = s.wait_for("only rows needing attention", WAIT, |sc| {
        sc.contains("status:inactive,error,unknown") && rows_with(sc, w.active) == 0
    });
    assert!(rows_with(&narrowed, w.inactive) >= 1, "{narrowed}");
    s.send("!");
    s.wait_for("all rows again", WAIT, |sc| {
        rows_with(sc, w.active) >= 1 && !sc.contains("status:inactive,error,unknown")
    });

    // `?` then `/`: the help narrows to what matches.
    s.send("?");
    s.wait_for("the help", WAIT, |sc| sc.contains(w.elsewhere));
    s.send("/");
    s.send(w.search);
    let found = s.wait_for("the help search", WAIT, |sc| {
        sc.contains(w.copy_key) && !sc.contains(w.elsewhere)
    });
    assert!(found.contains(&format!("/{}", w.search)), "{found}");
    s.send("\r");
    s.send("\x1b");
    s.wait_for("the whole help again", WAIT, |sc| sc.contains(w.elsewhere));
    s.send("\x1b");
    // Wait before `q`: ESC and q at once read as Alt+q.
    s.wait_for("the help to close", WAIT, |sc| !sc.contains(w.elsewhere));
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
}

#[test]
fn english_at_80x24() {
    walk(&EN);
}

#[test]
fn spanish_at_80x24() {
    walk(&ES);
}

/// `[views.<name>]` and `[ui] columns` from a real config file reach the
/// dashboard: `:view` completes the name and opens the view, and the table
/// has the chosen columns. English and Spanish (`:vista`), at 80×24.
#[test]
fn saved_views_and_chosen_columns_from_the_config() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut opts = wadash::sandbox::SandboxOptions::for_tests();
    opts.instances = 3;
    let sandbox = runtime.block_on(wadash::sandbox::start(opts)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = format!(
        "[ui]\ncolumns = [\"id\", \"tags\"]\n\n[views.peru_caidas]\nfilter = \"tag:peru\"\n\
         sort = \"label desc\"\n\n[[account]]\nname = \"s\"\nbase_url = \"{}\"\napi_key = \"{}\"\n",
        sandbox.base_url(),
        sandbox.api_key
    );
    for (n, inst) in sandbox.instances.iter().enumerate() {
        let tag = if n == 0 { "peru" } else { "chile" };
        config.push_str(&format!(
            "\n[[instance]]\nid = \"{}\"\nlabel = \"Sucursal {n}\"\ntags = [\"{tag}\"]\n",
            inst.id
        ));
    }
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).unwrap();
    for (lang, command, label) in [("en", "view", "Label ▼"), ("es", "vista", "Etiqueta ▼")] {
        let mut s = PtySession::spawn(
            &["--config", path.to_str().unwrap(), "--lang", lang],
            &[],
            80,
            24,
        );
        let screen = s.wait_for("the rows", WAIT, |sc| sc.contains("Sucursal 2"));
        let header = screen.lines().nth(1).unwrap().to_string();
        assert!(
            header.contains("Id") && !header.contains("Latenc"),
            "{header}"
        );
        s.send(&format!(":{command} pe"));
        s.send("\t");
        s.wait_for("the completed view", WAIT, |sc| {
            sc.contains(&format!("{command} peru_caidas"))
        });
        s.send("\r");
        let screen = s.wait_for("the view's filter and sort", WAIT, |sc| {
            sc.contains("/tag:peru") && !sc.contains("Sucursal 2")
        });
        assert!(screen.contains(label), "{screen}");
        s.send("q");
        assert!(s.wait_exit(WAIT).success());
    }
    runtime.block_on(sandbox.shutdown());
}
