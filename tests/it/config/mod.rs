//! Config: fixtures (valid and invalid), key resolution, atomic edits,
//! secret masking, permission warning. Key resolution and masking are in
//! `keys.rs`, editing the file in `edit.rs`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use wadash::api::UploadShape;
use wadash::config::{
    self, AccountConfig, Config, ConfigError, InstanceConfig, KeySource, add_instance,
    permission_warning, remove_instance, save_atomic,
};
use wadash::secret::Secret;

const FIXTURES: &str = "tests/fixtures/config";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join(name)
}

fn fixtures_starting_with(prefix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".toml")
        })
        .collect();
    found.sort();
    found
}

/// Each invalid fixture: where the error must point (None when it has no
/// place) and a phrase that tells the user what is wrong.
/// (line, column), 1-based.
type Place = Option<(usize, usize)>;

const INVALID: &[(&str, Place, &str)] = &[
    (
        "invalid_unknown_field.toml",
        Some((3, 1)),
        "unknown field `api_kye`",
    ),
    (
        "invalid_two_key_sources.toml",
        Some((4, 15)),
        "sets both api_key and api_key_env",
    ),
    ("invalid_no_key_source.toml", Some((4, 1)), "has no key"),
    (
        "invalid_bad_duration.toml",
        Some((4, 11)),
        "invalid duration",
    ),
    (
        "invalid_bad_base_url.toml",
        Some((3, 12)),
        "not http or https",
    ),
    (
        "invalid_http_public_host.toml",
        Some((4, 12)),
        "allow_insecure_http",
    ),
    (
        "invalid_duplicate_id.toml",
        Some((11, 6)),
        "duplicate instance id `same`",
    ),
    (
        "invalid_unknown_account.toml",
        Some((7, 11)),
        "account `mian`, which is not defined",
    ),
    (
        "invalid_ambiguous_account.toml",
        Some((10, 6)),
        "has no `account` and there are 2 accounts",
    ),
    ("invalid_not_toml.toml", Some((1, 1)), "expected key"),
    (
        "invalid_wrong_types.toml",
        Some((4, 23)),
        "expected a boolean",
    ),
    (
        "invalid_key_in_wrong_field.toml",
        Some((4, 11)),
        "invalid duration",
    ),
    (
        "invalid_bad_lang.toml",
        Some((2, 8)),
        "use one of en, es, pt",
    ),
    (
        "invalid_zero_concurrency.toml",
        Some((2, 15)),
        "between 1 and 1024",
    ),
    (
        "invalid_duplicate_account.toml",
        Some((6, 8)),
        "duplicate account name `main`",
    ),
    (
        "invalid_env_var_name.toml",
        Some((3, 15)),
        "must be a variable name",
    ),
    (
        "invalid_account_table_not_array.toml",
        Some((1, 1)),
        "double brackets",
    ),
];

#[test]
fn every_valid_fixture_loads() {
    let valid = fixtures_starting_with("valid_");
    assert!(valid.len() >= 7, "only {} valid fixtures", valid.len());
    for path in valid {
        if let Err(e) = Config::load(&path) {
            panic!("{} should load: {e}", path.display());
        }
    }
}

#[test]
fn every_invalid_fixture_fails_naming_file_place_and_problem() {
    let invalid = fixtures_starting_with("invalid_");
    assert!(
        invalid.len() >= 11,
        "only {} invalid fixtures",
        invalid.len()
    );
    for path in invalid {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (_, place, phrase) = INVALID
            .iter()
            .find(|(file, _, _)| *file == name)
            .unwrap_or_else(|| panic!("{name} has no expectation in INVALID"));
        let err = match Config::load(&path) {
            Ok(_) => panic!("{name} should not load"),
            Err(e) => e,
        };
        let shown = err.to_string();
        assert!(
            shown.contains(&name),
            "{name}: error does not name the file: {shown}"
        );
        assert_eq!(err.location(), *place, "{name}: {shown}");
        if let Some((line, column)) = place {
            assert!(
                shown.contains(&format!("{name}:{line}:{column}: ")),
                "{name}: {shown}"
            );
        }
        assert!(shown.contains(phrase), "{name}: {shown:?} lacks {phrase:?}");
        // Every invalid fixture's key contains this marker: never echoed.
        let debug = format!("{err:?}");
        assert!(
            !shown.contains("SECRET") && !debug.contains("SECRET"),
            "{name}: {debug}"
        );
    }
}

#[test]
fn full_fixture_reads_every_field() {
    let config = Config::load(&fixture("valid_full.toml")).unwrap();
    let account = &config.accounts[0];
    assert_eq!(account.name, "main");
    assert_eq!(account.image_upload, UploadShape::Base64);
    assert_eq!(account.timeout, Duration::from_secs(20));
    assert!(
        matches!(&account.key, KeySource::Inline(k) if k.expose() == "sk-full-KEY-abcdef123456")
    );
    assert_eq!(config.instances.len(), 2);
    assert_eq!(config.instances[0].label.as_deref(), Some("Tienda Lima"));
    assert_eq!(config.instances[0].tags, ["peru", "ventas"]);
    assert_eq!(config.instances[1].label, None);
    let ui = &config.ui;
    assert_eq!(ui.lang.as_deref(), Some("es"));
    assert_eq!(ui.interval, Some(Duration::from_secs(30)));
    assert_eq!(ui.concurrency, Some(32));
    assert!(!ui.bell);
    assert_eq!(ui.qr_refresh, Some(Duration::from_secs(25)));
    assert!(ui.read_only);

    let roster = config.resolve().unwrap();
    assert_eq!(roster.instances[0].label, "Tienda Lima");
    assert_eq!(roster.instances[1].label, "cusco-02", "no label: the id");
    assert_eq!(roster.accounts[0].image_upload, UploadShape::Base64);
    assert_eq!(roster.accounts[0].timeout, Duration::from_secs(20));
}

#[test]
fn defaults_apply_to_a_minimal_file() {
    let config = Config::load(&fixture("valid_minimal.toml")).unwrap();
    let account = &config.accounts[0];
    assert_eq!(account.name, config::DEFAULT_ACCOUNT_NAME);
    assert_eq!(account.base_url, wadash::api::DEFAULT_BASE_URL);
    assert_eq!(account.timeout, Duration::from_secs(15));
    assert_eq!(account.image_upload, UploadShape::Multipart);
    assert!(!account.allow_insecure_http);
    assert!(config.ui.bell, "bell defaults to on");
    assert!(!config.ui.read_only);

    let ui_only = Config::load(&fixture("valid_ui_table.toml")).unwrap();
    assert_eq!(ui_only.ui.lang.as_deref(), Some("pt"), "lower-cased");
    assert_eq!(ui_only.ui.interval, Some(Duration::from_secs(90)));
}

#[test]
fn two_accounts_map_instances_by_index() {
    let roster = Config::load(&fixture("valid_two_accounts.toml"))
        .unwrap()
        .resolve()
        .unwrap();
    assert_eq!(roster.accounts.len(), 2);
    let by_id = |id: &str| roster.instances.iter().find(|i| i.id == id).unwrap();
    assert_eq!(roster.accounts[by_id("p1").account].name, "peru");
    assert_eq!(roster.accounts[by_id("l1").account].name, "lab");
    assert_eq!(
        roster.accounts[1].base_url.as_str(),
        "http://127.0.0.1:8080/"
    );
    assert_eq!(roster.accounts[1].timeout, Duration::from_secs(2));
}

/// One command on one instance resolves only that instance's account: a
/// broken key source elsewhere (unset variable, failing command) and an
/// instance with no account elsewhere do not stop it.
#[test]
fn resolving_some_instances_fetches_only_their_accounts_keys() {
    let text = r#"
[[account]]
name = "broken-env"
api_key_env = "WADASH_TEST_SURELY_UNSET_VARIABLE_93"

[[account]]
name = "broken-cmd"
api_key_cmd = "exit 3"

[[account]]
name = "good"
base_url = "http://127.0.0.1:9"
api_key = "good-key-123456"

[[instance]]
id = "a"
account = "broken-env"

[[instance]]
id = "b"
account = "good"

[[instance]]
id = "c"
account = "broken-cmd"
"#;
    let config = Config::parse_str(text, Path::new("c.toml")).unwrap();
    assert!(
        config.resolve().is_err(),
        "all instances: every key is needed"
    );
    let roster = config.resolve_for(&["b".to_string()]).unwrap();
    assert_eq!(roster.instances.len(), 1);
    assert_eq!(roster.accounts.len(), 1);
    assert_eq!(roster.accounts[roster.instances[0].account].name, "good");
    let err = config.resolve_for(&["b".into(), "c".into()]).unwrap_err();
    assert!(err.to_string().contains("broken-cmd"), "{err}");
    // An id not in the config is left out for the caller to name.
    assert!(
        config
            .resolve_for(&["zz".into()])
            .unwrap()
            .instances
            .is_empty()
    );
}

#[test]
fn bearer_prefixed_key_is_kept_exactly() {
    let roster = Config::load(&fixture("valid_bearer_key.toml"))
        .unwrap()
        .resolve()
        .unwrap();
    assert_eq!(
        roster.accounts[0].api_key.expose(),
        "Bearer sk-bearer-999888777"
    );
}

#[test]
fn insecure_http_to_a_public_host_needs_the_opt_in() {
    let config = Config::load(&fixture("valid_insecure_opt_in.toml")).unwrap();
    assert!(config.accounts[0].allow_insecure_http);
    let roster = config.resolve().unwrap();
    assert_eq!(roster.accounts[0].base_url.scheme(), "http");
}

mod big;
mod edit;
use edit::{COMMENTED, private_dir};
mod keys;

// ---- permissions, location ----

#[test]
fn permission_warning_when_a_key_file_is_readable_by_others() {
    let dir = private_dir();
    let path = dir.path().join("config.toml");
    fs::write(&path, COMMENTED).unwrap();

    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let loaded = Config::load(&path).unwrap();
    let warning = permission_warning(&path, &loaded).expect("0644 with a key warns");
    assert!(warning.contains("mode 0644"), "{warning}");
    assert!(warning.contains("chmod 600"), "{warning}");
    assert!(!warning.contains("sk-edit-KEY"), "{warning}");

    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(permission_warning(&path, &loaded), None);

    let env_only = dir.path().join("env.toml");
    fs::copy(fixture("valid_env_key.toml"), &env_only).unwrap();
    fs::set_permissions(&env_only, fs::Permissions::from_mode(0o644)).unwrap();
    let env_config = Config::load(&env_only).unwrap();
    assert_eq!(
        permission_warning(&env_only, &env_config),
        None,
        "no key in the file"
    );
}

/// `--config` beats `WADASH_CONFIG`, which beats the default path: checked
/// on the real binary, since clap reads the variable.
#[test]
fn config_location_precedence() {
    let dir = private_dir();
    let write = |name: &str, id: &str| {
        let path = dir.path().join(name);
        fs::write(&path, format!("[[instance]]\nid = \"{id}\"\n")).unwrap();
        path
    };
    let from_env = write("env.toml", "from-env");
    let from_flag = write("flag.toml", "from-flag");
    let home = dir.path().join("home");
    let listed = |flag: Option<&Path>, env: Option<&Path>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wadash"));
        cmd.args(["instances", "list", "--json"])
            .env_remove("WADASH_CONFIG")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"));
        if let Some(flag) = flag {
            cmd.arg("--config").arg(flag);
        }
        if let Some(env) = env {
            cmd.env("WADASH_CONFIG", env);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(listed(None, Some(&from_env)).contains("from-env"));
    let both = listed(Some(&from_flag), Some(&from_env));
    assert!(
        both.contains("from-flag") && !both.contains("from-env"),
        "{both}"
    );
    // Neither: the default path, which does not exist here (empty list).
    assert_eq!(listed(None, None).trim(), "[]");
    if let Some(default) = Config::default_path() {
        assert!(
            default.ends_with("wadash/config.toml"),
            "{}",
            default.display()
        );
    }
}
