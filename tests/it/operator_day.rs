//! Issue 19's dashboard leftovers in the real binary at 80×24, in English
//! and Spanish: `:log` arguments complete with Tab (the errors word, ids
//! and labels), a cut flash is whole in the event log, the `h` pane's
//! header fits, marks and the key bar agree, and the server error's hint
//! in the details pane follows the language.

use std::time::Duration;

use crate::common::pty::PtySession;

const WAIT: Duration = Duration::from_secs(20);

struct Words {
    lang: &'static str,
    prompt: &'static str,
    log_word: &'static str,
    errors_word: &'static str,
    errors_title: &'static str,
    active: &'static str,
    inactive: &'static str,
    checking_now: &'static str,
    log_title: &'static str,
    clear_marks: &'static str,
    name_this_row: &'static str,
    auto_read: &'static str,
    only_this_row: &'static str,
    marks_note: &'static str,
    hint_not_found: &'static str,
}

const EN: Words = Words {
    lang: "en",
    prompt: ":command",
    log_word: "log",
    errors_word: "errors",
    errors_title: "errors only",
    active: "● active",
    inactive: "○ inactive",
    checking_now: "checking now: Tienda Lima",
    log_title: "Event log",
    clear_marks: "u clear marks",
    name_this_row: "n name (this row)",
    auto_read: "a auto-read",
    only_this_row: "only this row is edited",
    marks_note: "n/d/i edit only the row under the cursor",
    hint_not_found: "check the apiKey and id",
};

const ES: Words = Words {
    lang: "es",
    prompt: ":comando",
    log_word: "registro",
    errors_word: "errores",
    errors_title: "solo errores",
    active: "● activa",
    inactive: "○ inactiva",
    checking_now: "consultando ahora: Tienda Lima",
    log_title: "Registro de eventos",
    clear_marks: "u quitar marcas",
    name_this_row: "n nombre (esta fila)",
    auto_read: "a lectura autom.",
    only_this_row: "solo se edita esta fila",
    marks_note: "n/d/i editan solo la fila del cursor",
    hint_not_found: "revise la apiKey y el id",
};

/// Esc, then (once the pane or line is gone) `q`: sent together they
/// would read as Alt-q.
fn close_and_quit(s: &mut PtySession, gone: &str) {
    s.send("\x1b");
    s.wait_for("back on the list", WAIT, |sc| !sc.contains(gone));
    // Even when `gone` was already off screen, `q` must not follow Esc at once.
    std::thread::sleep(Duration::from_millis(300));
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
}

fn demo(w: &Words, cols: u16, rows: u16) -> PtySession {
    let s = PtySession::spawn(&["--demo", "--lang", w.lang], &[], cols, rows);
    s.wait_for("statuses from the demo", WAIT, |sc| {
        sc.contains(w.active) && sc.contains(w.inactive) && !sc.contains('◌')
    });
    s
}

/// The id shown beside `label` on the details pane's first line.
fn id_of(screen: &str, label: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.starts_with('│') && l.contains(label))
        .unwrap_or_else(|| panic!("no details line for {label}:\n{screen}"));
    line.split_whitespace()
        .find(|word| word.len() > 12 && word.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| panic!("no id on {line:?}"))
        .to_string()
}

fn log_arguments(w: &Words) {
    let mut s = demo(w, 80, 24);
    // The errors word of the language.
    s.send(&format!(":{} {}", w.log_word, &w.errors_word[..4]));
    s.send("\t");
    s.wait_for("the completed errors word", WAIT, |sc| {
        sc.contains(&format!("{} {} {}", w.prompt, w.log_word, w.errors_word))
    });
    s.send("\r");
    s.wait_for("the log, errors only", WAIT, |sc| {
        sc.contains(w.log_title) && sc.contains(w.errors_title)
    });
    s.send("\x1b");
    s.wait_for("back on the list", WAIT, |sc| !sc.contains(w.log_title));
    // A label, spaces and all.
    s.send(&format!(":{} Tiend", w.log_word));
    s.send("\t");
    s.wait_for("the completed label", WAIT, |sc| {
        sc.contains(&format!("{} {} Tienda Lima", w.prompt, w.log_word))
    });
    s.send("\x1b");
    s.wait_for("the : line closed", WAIT, |sc| !sc.contains(w.prompt));
    // An id: completed, and the log narrows to that instance by its label.
    s.send("/Tienda\r");
    let screen = s.wait_for("Tienda Lima alone", WAIT, |sc| sc.contains("│Tienda Lima"));
    let id = id_of(&screen, "Tienda Lima");
    s.send(&format!(":{} {}", w.log_word, &id[..5]));
    s.send("\t");
    s.wait_for("the completed id", WAIT, |sc| {
        sc.contains(&format!("{} {} {id}", w.prompt, w.log_word))
    });
    s.send("\r");
    s.wait_for("the log of that instance", WAIT, |sc| {
        sc.contains(w.log_title) && sc.contains("“tienda lima”")
    });
    close_and_quit(&mut s, w.log_title);
}

#[test]
fn log_arguments_complete_in_english() {
    log_arguments(&EN);
}

#[test]
fn log_arguments_complete_in_spanish() {
    log_arguments(&ES);
}

fn flash_whole_in_the_log(w: &Words) {
    let mut s = demo(w, 80, 24);
    // A long filter leaves the flash little room on the status line.
    s.send(&format!("/Tienda !tag:{}\r", "z".repeat(45)));
    s.wait_for("the filter applied", WAIT, |sc| sc.contains("│Tienda Lima"));
    s.send("r");
    let screen = s.wait_for("the flash, cut", WAIT, |sc| {
        sc.lines()
            .any(|l| l.contains(&w.checking_now[..8]) && l.trim_end().ends_with('…'))
    });
    assert!(!screen.contains(w.checking_now), "{screen}");
    s.send("l");
    s.wait_for("the flash whole in the log", WAIT, |sc| {
        sc.contains(w.log_title) && sc.contains(w.checking_now)
    });
    close_and_quit(&mut s, w.log_title);
}

#[test]
fn a_cut_flash_is_whole_in_the_log_in_english() {
    flash_whole_in_the_log(&EN);
}

#[test]
fn a_cut_flash_is_whole_in_the_log_in_spanish() {
    flash_whole_in_the_log(&ES);
}

fn history_header(w: &Words) {
    let mut s = demo(w, 80, 24);
    // The instance with drops: its sentence is the longest header.
    s.send("/CDMX\r");
    let screen = s.wait_for("the details of Pedidos CDMX", WAIT, |sc| {
        sc.contains("│Pedidos CDMX") && sc.lines().any(|l| l.starts_with("│24h "))
    });
    let lines: Vec<&str> = screen.lines().collect();
    let strip = lines.iter().position(|l| l.starts_with("│24h ")).unwrap();
    let sentence = lines[strip + 1]
        .trim_start_matches('│')
        .trim_end()
        .to_string();
    assert!(sentence.contains("24h"), "{screen}");
    s.send("h");
    let pane = s.wait_for("the history pane", WAIT, |sc| sc.contains("Pedidos CDMX ─"));
    assert!(
        pane.lines().any(|l| l.trim_end() == sentence),
        "the drops sentence {sentence:?} whole on a line of its own:\n{pane}"
    );
    close_and_quit(&mut s, "Pedidos CDMX ─");
}

#[test]
fn the_history_header_fits_80_columns_in_english() {
    history_header(&EN);
}

#[test]
fn the_history_header_fits_80_columns_in_spanish() {
    history_header(&ES);
}

/// The bar's last line.
fn bar(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

fn marks_and_bar(w: &Words) {
    let mut s = demo(w, 80, 24);
    s.send(" ");
    let screen = s.wait_for("a mark", WAIT, |sc| sc.contains("▶ 1"));
    // What acts on the marks comes first, right after help and quit.
    assert!(bar(&screen).contains(w.clear_marks), "{screen}");
    // `n` edits the row under the cursor, and says so.
    s.send("n");
    s.wait_for("the name form for this row", WAIT, |sc| {
        sc.contains(w.only_this_row)
    });
    s.send("\x1b");
    s.wait_for("the form closed", WAIT, |sc| !sc.contains(w.only_this_row));
    // The help says the same (searched: it is a note at the end).
    s.send("?");
    s.send("/");
    s.send(&w.marks_note[..5]);
    s.send("\r");
    s.wait_for("the help's marks note", WAIT, |sc| {
        let words: Vec<&str> = sc
            .split(['│', '\n', ' '])
            .filter(|w| !w.is_empty())
            .collect();
        words.join(" ").contains(w.marks_note)
    });
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    close_and_quit(&mut s, w.marks_note);

    // Wide enough for every key: n/d/i offered for this row, `a` for the marks.
    let mut s = demo(w, 200, 50);
    s.send(" ");
    let screen = s.wait_for("a mark", WAIT, |sc| sc.contains("▶ 1"));
    let line = bar(&screen);
    assert!(line.contains(w.name_this_row), "{line}");
    assert!(line.contains(w.auto_read), "{line}");
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
}

#[test]
fn marks_the_bar_and_help_agree_in_english() {
    marks_and_bar(&EN);
}

#[test]
fn marks_the_bar_and_help_agree_in_spanish() {
    marks_and_bar(&ES);
}

fn hint_in_language(w: &Words) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut opts = wadash::sandbox::SandboxOptions::for_tests();
    opts.instances = 1;
    let sandbox = runtime.block_on(wadash::sandbox::start(opts)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[[account]]\nname = \"main\"\nbase_url = \"{}\"\napi_key = \"{}\"\n\n\
         [[instance]]\nid = \"NOSUCHINSTANCE0000000001\"\nlabel = \"Sucursal\"\n",
        sandbox.base_url(),
        sandbox.api_key
    );
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).unwrap();
    let mut s = PtySession::spawn(
        &["--config", path.to_str().unwrap(), "--lang", w.lang],
        &[],
        80,
        24,
    );
    let screen = s.wait_for("the error and its hint", WAIT, |sc| {
        sc.contains("Instancia no encontrada") && sc.contains(w.hint_not_found)
    });
    assert!(
        !screen.contains(&sandbox.api_key),
        "the key is never on screen"
    );
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
    runtime.block_on(sandbox.shutdown());
}

#[test]
fn the_error_hint_follows_the_language_in_english() {
    hint_in_language(&EN);
}

#[test]
fn the_error_hint_follows_the_language_in_spanish() {
    hint_in_language(&ES);
}
