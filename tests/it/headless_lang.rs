//! Issue 19: every headless text a person reads follows the language. The
//! real binary runs each subcommand's usual paths (success and the common
//! errors) against a sandbox under `--lang es` or `LANG=es_ES.UTF-8`, then
//! under `--lang pt`; what it prints must hold no English word (server
//! text, code in backticks, flags and values aside), and the key lines read
//! as written here.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use wadash::sandbox::SandboxOptions;

use crate::common::english_words::english_words;
use crate::common::sandbox::{Env, env_with};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

struct Run {
    code: i32,
    text: String,
}

struct Setup {
    env: Env,
    dir: tempfile::TempDir,
}

impl Setup {
    async fn new() -> Setup {
        let env = env_with(|opts: &mut SandboxOptions| opts.instances = 4).await;
        let dir = tempfile::tempdir().unwrap();
        let setup = Setup { env, dir };
        setup.write_config(&setup.config(), "");
        setup
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// The sandbox's account and three of its four instances, then `extra`.
    fn write_config(&self, path: &Path, extra: &str) {
        let sandbox = &self.env.sandbox;
        let mut text = format!(
            "[[account]]\nname = \"main\"\nbase_url = \"{}\"\napi_key = \"{}\"\n\n",
            sandbox.base_url(),
            sandbox.api_key
        );
        for i in sandbox.instances.iter().take(3) {
            text.push_str(&format!(
                "[[instance]]\nid = \"{}\"\nlabel = \"{}\"\n\n",
                i.id, i.label
            ));
        }
        text.push_str(&format!(
            "[history]\npath = \"{}\"\n{extra}",
            self.dir.path().join("history.db").display()
        ));
        std::fs::write(path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }

    /// Runs in Spanish: by flag, or (`by_locale`) by `LANG` alone.
    async fn run(&self, config: &Path, args: &[&str], by_locale: bool) -> Run {
        let flag: &[&str] = if by_locale { &[] } else { &["--lang", "es"] };
        let locale = if by_locale { "es_ES.UTF-8" } else { "C.UTF-8" };
        self.run_as(config, &[flag, args].concat(), locale).await
    }

    /// Runs with `LANG=locale` and `args` as given.
    async fn run_as(&self, config: &Path, args: &[&str], locale: &str) -> Run {
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
            .env("LANG", locale)
            .env("COLUMNS", "100")
            .stdin(Stdio::null());
        cmd.arg("--config").arg(config).args(args);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains(&self.env.sandbox.api_key), "the key leaked");
        Run {
            code: out.status.code().unwrap_or(-1),
            text,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_headless_command_speaks_spanish() {
    let s = Setup::new().await;
    let cfg = s.config();
    let active = s.env.id(true);
    let inactive = s.env.id(false);
    let outsider = s.env.sandbox.instances[3].id.clone();
    // The sandbox's own words (labels, status texts) are data, not ours.
    let mut allowed: Vec<String> = s
        .env
        .sandbox
        .instances
        .iter()
        .map(|i| i.label.clone())
        .collect();
    allowed.push(s.dir.path().display().to_string());
    // The CSV's column names are its format.
    allowed.push("id,label,tags,account".into());
    // The filter also takes the API's status words, and says so.
    allowed.push("en inglés: active, inactive, unknown, unchecked".into());
    allowed.push("em inglês: active, inactive, error, unknown, unchecked".into());
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();

    let bad = s.dir.path().join("bad.toml");
    s.write_config(&bad, "[ui]\ncolour = 1\n");
    let no_key = s.dir.path().join("nokey.toml");
    std::fs::write(
        &no_key,
        "[[account]]\napi_key_env = \"WADASH_TEST_UNSET_KEY\"\n[[instance]]\nid = \"a\"\n",
    )
    .unwrap();
    let fresh = s.dir.path().join("new").join("config.toml");
    let fleet = s.dir.path().join("fleet.csv");
    std::fs::write(
        &fleet,
        format!("id,label,tags,account\n{outsider},Nueva,,\nNOPE-1,X,,\n"),
    )
    .unwrap();
    let broken = s.dir.path().join("broken.csv");
    std::fs::write(&broken, "id,label\n,sin id\nA1,a,b,c,d\n").unwrap();
    let (fleet, broken) = (fleet.display().to_string(), broken.display().to_string());
    let notes = s.dir.path().join("notes.png");
    std::fs::write(&notes, "these are notes, not a picture\n").unwrap();
    let notes = notes.display().to_string();

    // (config, args, expected exit code): the usual paths of each command.
    let runs: Vec<(&Path, Vec<&str>, i32)> = vec![
        (&cfg, vec!["config", "path"], 0),
        (&cfg, vec!["config", "check"], 0),
        (&bad, vec!["config", "check"], 2),
        (&no_key, vec!["config", "check"], 2),
        (&fresh, vec!["config", "init"], 0),
        (&fresh, vec!["config", "init"], 2),
        (&cfg, vec!["history"], 2),
        (&cfg, vec!["status"], 1),
        (&cfg, vec!["status", "NOPE"], 2),
        (&cfg, vec!["history"], 0),
        (&cfg, vec!["history", &outsider], 2),
        (&cfg, vec!["report"], 0),
        (&cfg, vec!["silence"], 2),
        (&cfg, vec!["silence", &inactive], 2),
        (&cfg, vec!["silence", "status:caida", "--for", "1h"], 2),
        (&cfg, vec!["silence", &inactive, "--for", "1h"], 0),
        (&cfg, vec!["silence", "list"], 0),
        (&cfg, vec!["silence", "rm", "99"], 2),
        (&cfg, vec!["silence", "rm", "1"], 0),
        (&cfg, vec!["silence", "list"], 0),
        (&cfg, vec!["ack", &active], 2),
        (&cfg, vec!["ack", "--list"], 0),
        (&cfg, vec!["instances", "list"], 0),
        (&cfg, vec!["instances", "import", &broken], 2),
        (&cfg, vec!["instances", "import", &fleet, "--check"], 2),
        (&cfg, vec!["instances", "remove", "NOPE"], 2),
        (&cfg, vec!["instances", "add", "ZZZ-nuevo"], 0),
        (&cfg, vec!["instances", "remove", "ZZZ-nuevo"], 0),
        (&cfg, vec!["qr", &active], 0),
        (&cfg, vec!["qr", &inactive], 0),
        (&cfg, vec!["qr", &inactive, "--wait", "--wait-max", "1s"], 1),
        (
            &cfg,
            vec!["qr", &inactive, &active, "--wait", "--wait-max", "1s"],
            1,
        ),
        (&cfg, vec!["qr", &active, &inactive], 2),
        (&cfg, vec!["qr", &active, "--png", "-", "--wait"], 2),
        (&cfg, vec!["share", &active], 0),
        (&cfg, vec!["set", "name", &active, "   "], 2),
        (
            &cfg,
            vec!["set", "webhook", &active, "http://example.com/x"],
            2,
        ),
        (&cfg, vec!["set", "image", &active, "./missing.png"], 2),
        (&cfg, vec!["set", "image", &active, &notes], 2),
        (&cfg, vec!["--read-only", "disconnect", &active], 2),
        (&cfg, vec!["doctor"], 0),
        (&cfg, vec![], 2),
    ];
    let mut seen = Vec::new();
    let mut english = Vec::new();
    for (n, (config, args, code)) in runs.iter().enumerate() {
        let out = s.run(config, args, n % 2 == 1).await;
        assert_eq!(out.code, *code, "{args:?}: {}", out.text);
        let left = english_words(&out.text, &allowed);
        if !left.is_empty() {
            english.push(format!("{args:?} printed English {left:?}:\n{}", out.text));
        }
        seen.push((args.join(" "), out.text));
    }
    // The same paths in Portuguese (the state they leave differs, so only
    // the words are checked).
    for (config, args, _) in &runs {
        let out = s
            .run_as(config, &[&["--lang", "pt"], &args[..]].concat(), "C.UTF-8")
            .await;
        let left = english_words(&out.text, &allowed);
        if !left.is_empty() {
            english.push(format!(
                "pt {args:?} printed English {left:?}:\n{}",
                out.text
            ));
        }
    }
    assert!(
        english.is_empty(),
        "{} of {} runs printed English:\n{}",
        english.len(),
        2 * runs.len(),
        english.join("\n")
    );
    let said = |args: &str| {
        seen.iter()
            .find(|(a, _)| a == args)
            .map(|(_, t)| t.as_str())
            .unwrap()
    };
    assert!(
        said("config check").contains("ok: leída: 1 cuenta(s), 3 instancia(s)"),
        "{}",
        said("config check")
    );
    let history = said("history");
    assert!(history.contains("aún no hay historial en"), "{history}");
    let listed = seen.iter().filter(|(a, _)| a == "history").nth(1).unwrap();
    let header = listed.1.lines().nth(1).unwrap_or("");
    assert!(
        header.starts_with("INICIO (UTC)")
            && header.contains("DURACIÓN")
            && header.contains("ETIQUETA")
            && header.contains("DETALLE / CAUSA"),
        "{}",
        listed.1
    );
    assert!(listed.1.contains("inactiva"), "{}", listed.1);
    let report = said("report");
    assert!(report.starts_with("periodo: los últimos 7d ("), "{report}");
    assert!(
        report.lines().nth(1).unwrap_or("").starts_with("ETIQUETA"),
        "{report}"
    );
    assert!(said(&format!("silence {inactive} --for 1h")).starts_with("silencio 1: "));
    assert!(said("silence rm 1").starts_with("silencio 1 quitado: "));
    let last_list = seen
        .iter()
        .rev()
        .find(|(a, _)| a == "silence list")
        .unwrap();
    assert!(
        last_list.1.contains("no hay silencios vigentes"),
        "{}",
        last_list.1
    );
    assert!(
        said(&format!("ack {active}"))
            .contains("no está caída según las alertas (ninguna alerta avisó de ella)")
    );
    let gave_up = said(&format!("qr {inactive} --wait --wait-max 1s"));
    assert!(gave_up.contains("se abandonó tras 1s: "), "{gave_up}");
    assert!(said("doctor").starts_with("wadash doctor: la terminal tal como la ve wadash"));
    let bad_check = seen
        .iter()
        .filter(|(a, _)| a == "config check")
        .nth(1)
        .unwrap();
    assert!(
        bad_check.1.contains("bad.toml:")
            && bad_check
                .1
                .contains(": campo desconocido `colour`; se esperaba uno de"),
        "{}",
        bad_check.1
    );
    let no_key_check = seen
        .iter()
        .filter(|(a, _)| a == "config check")
        .nth(2)
        .unwrap();
    assert!(
        no_key_check.1.contains(
            "cuenta `default`: la variable de entorno WADASH_TEST_UNSET_KEY (api_key_env) no está definida"
        ),
        "{}",
        no_key_check.1
    );
}

/// Portuguese too, chosen by the config's `ui.lang` alone (no flag, a C
/// locale): `config check`, `history`, `report` and a config error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configs_language_is_portuguese() {
    let s = Setup::new().await;
    let cfg = s.dir.path().join("pt.toml");
    s.write_config(&cfg, "[ui]\nlang = \"pt\"\n");
    let out = s.run_as(&cfg, &["config", "check"], "C.UTF-8").await;
    assert_eq!(out.code, 0, "{}", out.text);
    assert!(
        out.text.contains("ok: lida: 1 conta(s), 3 instância(s)"),
        "{}",
        out.text
    );
    let out = s.run_as(&cfg, &["history"], "C.UTF-8").await;
    assert!(
        out.text.contains("ainda não há histórico em"),
        "{}",
        out.text
    );
    s.run_as(&cfg, &["status"], "C.UTF-8").await;
    let out = s.run_as(&cfg, &["report"], "C.UTF-8").await;
    assert!(
        out.text.starts_with("período: os últimos 7d ("),
        "{}",
        out.text
    );
    let header = out.text.lines().nth(1).unwrap_or("");
    assert!(
        header.starts_with("RÓTULO") && header.contains("QUEDAS"),
        "{}",
        out.text
    );
    let out = s
        .run_as(&cfg, &["--lang", "pt", "status", "NOPE"], "C.UTF-8")
        .await;
    assert!(
        out.text
            .contains("instância desconhecida `NOPE`: não está em"),
        "{}",
        out.text
    );
    let bad = s.dir.path().join("bad.toml");
    std::fs::write(&bad, "[[instance]]\nlabel = \"x\"\n").unwrap();
    let out = s.run_as(&bad, &["config", "check"], "pt_BR.UTF-8").await;
    assert_eq!(out.code, 2, "{}", out.text);
    assert!(
        out.text.contains("bad.toml:1:1: falta o campo `id`"),
        "{}",
        out.text
    );
}
