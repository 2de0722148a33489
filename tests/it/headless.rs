//! Issue 19's headless points, the real binary against a real sandbox:
//! `qr --png -` on stdout, a closed stdout as a quiet exit, `instances
//! import` (300 rows, `--check`, a malformed line), `report`/`history`
//! stating their window and leaving out removed ids, and headless output
//! and server-error hints in Spanish (`--lang es`, `LANG=es_ES.UTF-8`).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::json;
use wadash::sandbox::SandboxOptions;

use crate::common::sandbox::{Env, env_with, read_qr_png};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

struct Setup {
    env: Env,
    dir: tempfile::TempDir,
}

/// A sandbox of `n` instances and a config with its account and `listed`
/// of its instances (history in the temp dir).
async fn setup(n: usize, listed: usize) -> Setup {
    let env = env_with(|opts: &mut SandboxOptions| opts.instances = n).await;
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup { env, dir };
    setup.write_config(listed);
    setup
}

struct Out {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Out {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

impl Setup {
    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    fn write_config(&self, listed: usize) {
        let sandbox = &self.env.sandbox;
        let mut text = format!(
            "[[account]]\nname = \"main\"\nbase_url = \"{}\"\napi_key = \"{}\"\n\n",
            sandbox.base_url(),
            sandbox.api_key
        );
        for i in sandbox.instances.iter().take(listed) {
            text.push_str(&format!(
                "[[instance]]\nid = \"{}\"\nlabel = \"{}\"\n\n",
                i.id, i.label
            ));
        }
        text.push_str(&format!(
            "[history]\npath = \"{}\"\n",
            self.dir.path().join("history.db").display()
        ));
        std::fs::write(self.config(), text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(self.config(), mode).unwrap();
        }
    }

    fn command(&self, args: &[&str], envs: &[(&str, &str)]) -> std::process::Command {
        let home = self.dir.path();
        let mut cmd = std::process::Command::new(BIN);
        cmd.current_dir(home)
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("xdg-config"))
            .env("XDG_STATE_HOME", home.join("xdg-state"))
            .env("XDG_DATA_HOME", home.join("xdg-data"))
            .env_remove("WADASH_API_KEY")
            .env_remove("WADASH_CONFIG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C.UTF-8")
            .envs(envs.iter().copied())
            .arg("--config")
            .arg(self.config())
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    /// Run to the end on a blocking thread (the sandbox keeps serving).
    async fn run(&self, args: &[&str], envs: &[(&str, &str)]) -> Out {
        let mut cmd = self.command(args, envs);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let out = Out {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let key = &self.env.sandbox.api_key;
        assert!(
            !out.text().contains(key) && !out.stderr.contains(key),
            "the key leaked"
        );
        out
    }

    /// Run with stdout a pipe whose reader is already gone: every write
    /// fails with EPIPE, as after `| head -1` has read its line.
    async fn run_into_closed_pipe(&self, args: &[&str]) -> (i32, String) {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd = self.command(args, &[]);
        cmd.stdout(writer).stderr(Stdio::piped());
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn inactive_id(&self) -> String {
        self.env.id(false)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qr_png_dash_writes_the_png_to_stdout() {
    let s = setup(4, 4).await;
    let id = s.inactive_id();
    let out = s.run(&["qr", &id, "--png", "-"], &[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with(b"\x89PNG"), "a PNG on stdout");
    let issued = s.env.state(&id).await["qr_text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(read_qr_png(&out.stdout), issued);
    assert!(!s.dir.path().join("-").exists(), "no file named -");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_is_a_quiet_exit() {
    let s = setup(4, 4).await;
    let id = s.inactive_id();
    // `status` keeps its own meaning (1: some instance inactive).
    for (args, want) in [
        (vec!["completions", "bash"], 0),
        (vec!["status", "--json"], 1),
        (vec!["man"], 0),
        (vec!["instances", "list"], 0),
        (vec!["qr", &id, "--png", "-"], 0),
    ] {
        let (code, stderr) = s.run_into_closed_pipe(&args).await;
        assert_eq!((code, stderr.as_str()), (want, ""), "wadash {args:?}");
    }
}

fn csv_of(ids: &[String]) -> String {
    let mut text = String::from("id,label,tags,account\n");
    for (n, id) in ids.iter().enumerate() {
        text.push_str(&format!(
            "{id},\"Tienda {n}, Lima\",peru;caja{},main\n",
            n % 3
        ));
    }
    text
}

fn ids_in(config: &Path) -> Vec<String> {
    let cfg = wadash::config::Config::load(config).expect("the config loads");
    cfg.instances.iter().map(|i| i.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_300_rows_checks_ids_with_the_server_all_or_nothing() {
    let s = setup(300, 0).await;
    let mut ids: Vec<String> = s
        .env
        .sandbox
        .instances
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let real = ids.clone();
    for (at, fake) in [(10, "NOPE-A"), (150, "NOPE-B"), (299, "NOPE-C")] {
        ids[at] = fake.to_string();
    }
    let file = s.dir.path().join("fleet.csv");
    std::fs::write(&file, csv_of(&ids)).unwrap();
    let before = std::fs::read(s.config()).unwrap();
    let out = s
        .run(&["instances", "import", "fleet.csv", "--check"], &[])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    for fake in ["NOPE-A", "NOPE-B", "NOPE-C"] {
        assert!(out.stderr.contains(fake), "{fake} reported: {}", out.stderr);
    }
    assert!(out.stderr.contains("does not know 3"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert_eq!(
        std::fs::read(s.config()).unwrap(),
        before,
        "config untouched"
    );

    std::fs::write(&file, csv_of(&real)).unwrap();
    let out = s
        .run(&["instances", "import", "fleet.csv", "--check"], &[])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.text().contains("imported 300 instance(s)"),
        "{}",
        out.text()
    );
    assert_eq!(ids_in(&s.config()), real);
    let cfg = wadash::config::Config::load(&s.config()).unwrap();
    assert_eq!(cfg.instances[7].label.as_deref(), Some("Tienda 7, Lima"));
    assert_eq!(cfg.instances[7].tags, ["peru", "caja1"]);

    // Again: every id is now a duplicate, named with its line.
    let out = s.run(&["instances", "import", "fleet.csv"], &[]).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("fleet.csv:2: instance"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_line_is_named_and_nothing_is_written() {
    let s = setup(4, 0).await;
    let ids: Vec<String> = (0..80).map(|i| format!("ID-{i:03}")).collect();
    let mut text = csv_of(&ids);
    // Line 57 (header is line 1): a fifth field.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[56] = "ID-BAD,label,tags,main,extra".into();
    lines[60] = ",no id here".into();
    text = lines.join("\n");
    std::fs::write(s.dir.path().join("fleet.csv"), text).unwrap();
    let before = std::fs::read(s.config()).unwrap();
    let out = s.run(&["instances", "import", "fleet.csv"], &[]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("fleet.csv:57: 5 fields"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("fleet.csv:61: the id is empty"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read(s.config()).unwrap(),
        before,
        "config untouched"
    );

    // The same in Spanish.
    let out = s
        .run(&["--lang", "es", "instances", "import", "fleet.csv"], &[])
        .await;
    assert!(
        out.stderr.contains("fleet.csv:61: el id está vacío"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("no se escribió nada"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_add_warns_when_the_server_does_not_know_the_id() {
    let s = setup(2, 0).await;
    let real = s.env.sandbox.instances[0].id.clone();
    let out = s.run(&["instances", "add", &real], &[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "", "a known id: no warning");
    let out = s.run(&["instances", "add", "NOT-THERE"], &[]).await;
    assert_eq!(out.code, 0, "the add stands: {}", out.stderr);
    assert!(
        out.stderr
            .contains("warning: the server does not know NOT-THERE"),
        "{}",
        out.stderr
    );
    assert_eq!(ids_in(&s.config()), [real, "NOT-THERE".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_and_history_state_their_window_and_report_leaves_out_removed_ids() {
    let s = setup(3, 3).await;
    let out = s.run(&["status"], &[]).await;
    assert!(out.code <= 1, "{}", out.stderr);
    // The sandbox's labels may repeat: the removed one gets its own.
    let gone = "Sucursal Retirada";
    let mut text = std::fs::read_to_string(s.config()).unwrap();
    let third = &s.env.sandbox.instances[2];
    text = text.replace(
        &format!("id = \"{}\"\nlabel = \"{}\"", third.id, third.label),
        &format!("id = \"{}\"\nlabel = \"{gone}\"", third.id),
    );
    std::fs::write(s.config(), text).unwrap();
    let out = s.run(&["report", "--all"], &[]).await;
    assert!(out.text().contains(gone), "{}", out.text());
    s.write_config(2);

    let out = s.run(&["report"], &[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.text();
    assert!(text.starts_with("window: the last 7d ("), "{text}");
    assert!(text.contains(" UTC)"), "{text}");
    assert!(!text.contains(gone), "{text}");
    assert!(
        text.contains("1 id(s) no longer in the config left out (--all shows them)"),
        "{text}"
    );
    let out = s.run(&["report", "--all"], &[]).await;
    let third = &s.env.sandbox.instances[2].id;
    assert!(
        out.text().contains(third.as_str()),
        "by id once unlabelled: {}",
        out.text()
    );

    let out = s.run(&["history", "--since", "2h"], &[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.text().starts_with("window: the last 2h ("),
        "{}",
        out.text()
    );
    let out = s.run(&["--lang", "es", "report"], &[]).await;
    assert!(
        out.text().starts_with("periodo: los últimos 7d ("),
        "{}",
        out.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_errors_hint_follows_the_language() {
    let s = setup(2, 2).await;
    s.env
        .set_faults(json!({"rate": 1.0, "fault": "http502-html"}))
        .await;
    let id = s.env.sandbox.instances[0].id.clone();
    let english = s.run(&["status", &id], &[]).await;
    let both = format!("{}{}", english.text(), english.stderr);
    assert!(both.contains("not a JSON answer"), "{both}");
    for (args, envs) in [
        (vec!["--lang", "es", "status", &id], vec![]),
        (vec!["status", &id], vec![("LANG", "es_ES.UTF-8")]),
    ] {
        let out = s.run(&args, &envs).await;
        let both = format!("{}{}", out.text(), out.stderr);
        assert!(
            both.contains("la respuesta no es JSON"),
            "{args:?} {envs:?}: {both}"
        );
        assert!(!both.contains("not a JSON answer"), "{both}");
    }
    s.env.set_faults(json!({})).await;
}

/// The dashboard in a pty at 80×24 under `LANG=es_ES.UTF-8`: the label
/// column reads "Etiqueta", the confirmation offers "Sí (s)", and `s`
/// answers it (the instance is removed, in memory under --demo).
#[test]
fn s_confirms_in_spanish_in_a_pty() {
    use crate::common::pty::PtySession;
    use std::time::Duration;
    const WAIT: Duration = Duration::from_secs(20);
    let mut s = PtySession::spawn(&["--demo"], &[("LANG", "es_ES.UTF-8")], 80, 24);
    s.wait_for("the Spanish table", WAIT, |sc| {
        sc.contains("Etiqueta") && sc.contains("activa")
    });
    s.send("X");
    s.wait_for("the confirmation", WAIT, |sc| sc.contains("Sí (s)"));
    s.send("s");
    let screen = s.wait_for("the removal", WAIT, |sc| sc.contains("instancia eliminada"));
    assert!(!screen.contains("Sí (s)"), "{screen}");
    s.send("q");
    let status = s.wait_exit(WAIT);
    assert!(status.success(), "exit status {status:?}");
}

/// `{{` and `}}` in a hook argument are literal braces: a hook can be
/// handed JSON with the placeholders filled in (the real `watch`, a real
/// hook, a real drop in the sandbox). Before, `config check` refused it.
#[tokio::test(flavor = "multi_thread")]
async fn doubled_braces_in_a_hook_argument_are_literal() {
    use crate::common::watch::{Watch, config_text};
    use std::time::{Duration, Instant};
    let env = env_with(|o| o.instances = 2).await;
    let id = env.id(true);
    let hooks = tempfile::tempdir().unwrap();
    let script = format!(
        "printf '%s' \"$1\" > \"{dir}/$WADASH_EVENT.json\"",
        dir = hooks.path().display()
    );
    let alerts = format!(
        "[alerts]\nafter = 2\ngroup_window = \"1s\"\n\n[[alerts.hook]]\n\
         command = [\"/bin/sh\", \"-c\", {script:?}, \"sh\", \
         \"{{{{\\\"id\\\": \\\"{{id}}\\\", \\\"event\\\": \\\"{{event}}\\\"}}}}\"]\n"
    );
    let config = format!(
        "{}{alerts}",
        config_text(&env.sandbox.base_url(), std::slice::from_ref(&id), "")
    );
    assert!(
        config.contains(r#""{{\"id\": \"{id}\", \"event\": \"{event}\"}}""#),
        "{config}"
    );
    let mut w = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    let written = hooks.path().join("down.json");
    let start = Instant::now();
    while !written.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no down hook: {}",
            w.stderr()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).unwrap()).unwrap();
    assert_eq!(json, json!({"id": id, "event": "down"}));
    w.signal(nix::sys::signal::Signal::SIGTERM);
    let _ = w.wait_exit(Duration::from_secs(5));
}

/// Headless words in Spanish: `qr` on a linked instance, `instances
/// remove` of an id that is not there, `status`'s table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_output_in_spanish() {
    let s = setup(4, 4).await;
    let active = s.env.id(true);
    let out = s.run(&["--lang", "es", "qr", &active], &[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.text()
            .contains("ya está activa: no hay nada que escanear"),
        "{}",
        out.text()
    );
    let out = s
        .run(&["instances", "remove", "NOPE"], &[("LANG", "es_ES.UTF-8")])
        .await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("la instancia `NOPE` no está en"),
        "{}",
        out.stderr
    );
    let out = s.run(&["--lang", "es", "status"], &[]).await;
    let text = out.text();
    assert!(text.starts_with("ETIQUETA"), "{text}");
    assert!(
        text.contains(" activa") && !text.contains(" active "),
        "{text}"
    );
}
