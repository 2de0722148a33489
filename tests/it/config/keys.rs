//! Key sources (inline, `api_key_env`, `api_key_cmd`) and that no key is
//! ever shown.

use super::*;

fn one_account(key: KeySource) -> Config {
    Config {
        accounts: vec![AccountConfig::new(
            "shop",
            "https://apiwhatsappweb.com",
            key,
        )],
        instances: vec![InstanceConfig {
            id: "i1".into(),
            ..Default::default()
        }],
        ui: Default::default(),
        history: Default::default(),
        alerts: Default::default(),
    }
}

fn key_error(config: &Config) -> String {
    match config.resolve_with_timeout(Duration::from_millis(500)) {
        Ok(roster) => panic!("should fail, got {roster:?}"),
        Err(e) => {
            assert!(matches!(e, ConfigError::Key { .. }), "{e:?}");
            e.to_string()
        }
    }
}

#[test]
fn api_key_cmd_uses_the_first_line_of_stdout_trimmed() {
    let config = Config::load(&fixture("valid_cmd_key.toml")).unwrap();
    let roster = config.resolve().unwrap();
    assert_eq!(roster.accounts[0].api_key.expose(), "cmd-secret-123");

    let plain = one_account(KeySource::Cmd("printf '  secret123  '".into()));
    assert_eq!(
        plain.resolve().unwrap().accounts[0].api_key.expose(),
        "secret123"
    );
}

#[test]
fn failing_api_key_cmd_names_the_account_and_hides_stdout() {
    let config = one_account(KeySource::Cmd(
        "printf 'leaked-%s' stdout-value; echo 'entry wa/shop not found' >&2; exit 3".into(),
    ));
    let shown = key_error(&config);
    assert!(shown.contains("account `shop`"), "{shown}");
    assert!(shown.contains("status 3"), "{shown}");
    assert!(shown.contains("entry wa/shop not found"), "{shown}");
    assert!(!shown.contains("leaked-stdout-value"), "{shown}");
}

#[test]
fn api_key_cmd_that_prints_nothing_or_hangs_is_a_clear_error() {
    let silent = key_error(&one_account(KeySource::Cmd("true".into())));
    assert!(silent.contains("printed nothing"), "{silent}");

    let started = std::time::Instant::now();
    let hung = key_error(&one_account(KeySource::Cmd("sleep 20".into())));
    assert!(hung.contains("did not finish within"), "{hung}");
    // Not a timing target: only proof the command was not waited for.
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[cfg(unix)]
#[test]
fn a_timed_out_api_key_cmd_has_its_whole_process_group_killed() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    // The shell starts a child that would outlive a kill of the shell alone.
    let cmd = format!("sleep 30 & echo $! > '{}'; wait", pidfile.display());
    let hung = key_error(&one_account(KeySource::Cmd(cmd)));
    assert!(hung.contains("did not finish within"), "{hung}");
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // Reaped by init or a zombie at worst: either way no longer running.
    let alive = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.split_whitespace().nth(2).is_none_or(|s| s != "Z"))
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while alive() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(), "the command's child {pid} still runs");
}

#[test]
fn api_key_env_reads_the_variable_and_reports_a_missing_one() {
    // PATH is set in any test environment; no need to mutate the environment.
    let path = std::env::var("PATH").expect("PATH is set");
    let roster = one_account(KeySource::Env("PATH".into()))
        .resolve()
        .unwrap();
    assert_eq!(roster.accounts[0].api_key.expose(), path.trim());

    let missing = "WADASH_TEST_SURELY_UNSET_0c1d9e";
    assert!(std::env::var_os(missing).is_none());
    let shown = key_error(&one_account(KeySource::Env(missing.into())));
    assert!(shown.contains("account `shop`"), "{shown}");
    assert!(
        shown.contains(&format!("{missing} (api_key_env) is not set")),
        "{shown}"
    );
}

#[test]
fn instances_without_any_account_load_but_need_one_to_resolve() {
    let text = "[[instance]]\nid = \"lonely\"\n";
    let config = Config::parse_str(text, Path::new("c.toml")).unwrap();
    let err = config.resolve().unwrap_err().to_string();
    assert!(err.contains("lonely") && err.contains("--api-key"), "{err}");

    let fallback = AccountConfig::new(
        "default",
        "http://127.0.0.1:9",
        KeySource::Inline(Secret::new("flag-key-123456")),
    );
    let roster = config.with_fallback_account(fallback).resolve().unwrap();
    assert_eq!(roster.instances[0].account, 0);
}

// ---- secret masking ----

#[test]
fn debug_of_config_roster_and_errors_never_shows_the_key() {
    let key = "sk-full-KEY-abcdef123456";
    let config = Config::load(&fixture("valid_full.toml")).unwrap();
    let roster = config.resolve().unwrap();
    let shown = format!("{config:?} {config:#?} {roster:?} {roster:#?}");
    assert!(!shown.contains(key), "{shown}");
    assert!(!shown.contains("sk-full-KEY"), "{shown}");

    // A file holding a key, broken in each of a few ways.
    let broken = [
        format!("[[account]]\nname = \"m\"\napi_key = \"{key}\"\napi_kye = \"{key}\"\n"),
        format!("[[account]]\nname = \"m\"\napi_key = \"{key}\"\ntimeout = \"{key}\"\n"),
        format!(
            "[[account]]\nname = \"m\"\napi_key = \"{key}\"\nallow_insecure_http = \"{key}\"\n"
        ),
        format!("[[account]]\nname = \"m\"\napi_key = \"{key}\"\napi_key_cmd = \"x\"\n"),
        format!("[[account]]\nname = \"m\"\napi_key = \"{key}\nbroken"),
    ];
    for text in broken {
        let err = Config::parse_str(&text, Path::new("/tmp/k.toml")).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("abcdef123456"), "{shown}");
    }
}
