//! Editing the file: byte-for-byte keeps, refusals that touch nothing,
//! private creation, symlinks.

use super::*;

pub(crate) const COMMENTED: &str = "\
# My wadash config — keep this comment.
[[account]]
name = \"main\"   # trailing comment
api_key = \"sk-edit-KEY-00001111\"

# The Lima shop.
[[instance]]
id = \"lima\"
label = \"Tienda Lima\"
tags = [ \"peru\",\"ventas\" ]   # odd spacing kept

[ui]
lang = \"es\"   # Spanish UI

# Cusco, added later.
[[instance]]
id = \"cusco\"
";

pub(crate) fn private_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn add_then_remove_keeps_everything_else_byte_for_byte() {
    let dir = private_dir();
    let path = dir.path().join("config.toml");
    fs::write(&path, COMMENTED).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();

    let new = InstanceConfig {
        id: "arequipa".into(),
        label: Some("Tienda \"Arequipa\"".into()),
        account: Some("main".into()),
        tags: vec!["peru".into()],
    };
    add_instance(&path, &new).unwrap();
    let after_add = fs::read_to_string(&path).unwrap();
    assert!(
        after_add.starts_with(COMMENTED),
        "original bytes must be kept:\n{after_add}"
    );
    assert_eq!(mode(&path), 0o600, "saving sets mode 0600");
    let config = Config::load(&path).unwrap();
    assert_eq!(config.instance("arequipa"), Some(&new));
    assert_eq!(config.instances.len(), 3);

    assert!(remove_instance(&path, "arequipa").unwrap());
    assert_eq!(fs::read_to_string(&path).unwrap(), COMMENTED);
    assert_eq!(
        dir_entries(dir.path()),
        [".wadash.lock", "config.toml"],
        "no temp files left"
    );
}

#[test]
fn removing_an_instance_takes_its_own_comment_and_nothing_else() {
    let dir = private_dir();
    let path = dir.path().join("config.toml");
    fs::write(&path, COMMENTED).unwrap();

    assert!(remove_instance(&path, "lima").unwrap());
    let expected = COMMENTED.replace(
        "\n# The Lima shop.\n[[instance]]\nid = \"lima\"\nlabel = \"Tienda Lima\"\n\
         tags = [ \"peru\",\"ventas\" ]   # odd spacing kept\n",
        "",
    );
    assert_ne!(expected, COMMENTED, "the test's block must match");
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert!(!remove_instance(&path, "lima").unwrap(), "already gone");
    assert!(!remove_instance(&dir.path().join("missing.toml"), "x").unwrap());
}

#[test]
fn add_refuses_duplicates_and_unknown_accounts_without_touching_the_file() {
    let dir = private_dir();
    let path = dir.path().join("config.toml");
    fs::write(&path, COMMENTED).unwrap();
    let dup = InstanceConfig {
        id: "cusco".into(),
        ..Default::default()
    };
    let err = add_instance(&path, &dup).unwrap_err().to_string();
    assert!(err.contains("already in the config"), "{err}");
    let unknown = InstanceConfig {
        id: "new".into(),
        account: Some("nope".into()),
        ..Default::default()
    };
    let err = add_instance(&path, &unknown).unwrap_err().to_string();
    assert!(err.contains("no account named `nope`"), "{err}");
    let spaced = InstanceConfig {
        id: "has space".into(),
        ..Default::default()
    };
    assert!(add_instance(&path, &spaced).is_err());
    assert_eq!(fs::read_to_string(&path).unwrap(), COMMENTED);
    assert_eq!(dir_entries(dir.path()), [".wadash.lock", "config.toml"]);
}

#[test]
fn a_file_that_does_not_parse_is_never_overwritten() {
    let dir = private_dir();
    let path = dir.path().join("config.toml");
    let broken =
        "[[account]]\nname = \"main\"\napi_key = \"k-123456789\"\n[[instance]\nid = \"x\"\n";
    fs::write(&path, broken).unwrap();
    let inst = InstanceConfig {
        id: "new".into(),
        ..Default::default()
    };
    let err = add_instance(&path, &inst).unwrap_err();
    assert_eq!(err.location().map(|(line, _)| line), Some(4), "{err}");
    assert!(remove_instance(&path, "x").is_err());
    let valid = "[[instance]]\nid = \"y\"\n";
    let err = save_atomic(&path, valid).unwrap_err().to_string();
    assert!(err.contains("refusing to overwrite"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), broken.as_bytes());
    assert_eq!(
        dir_entries(dir.path()),
        [".wadash.lock", "config.toml"],
        "no temp files left"
    );
}

#[test]
fn save_refuses_text_that_does_not_load() {
    let dir = private_dir();
    let path = dir.path().join("config.toml");
    fs::write(&path, COMMENTED).unwrap();
    let err = save_atomic(
        &path,
        "[[instance]]\nid = \"a\"\n[[instance]]\nid = \"a\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("duplicate instance id"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), COMMENTED);
}

#[test]
fn add_creates_a_missing_file_and_its_directory_private() {
    let dir = private_dir();
    let path = dir.path().join("wadash").join("config.toml");
    let inst = InstanceConfig {
        id: "first".into(),
        label: Some("First".into()),
        ..Default::default()
    };
    add_instance(&path, &inst).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let config = Config::load_or_empty(&path).unwrap();
    assert_eq!(config.instances, [inst]);
    assert_eq!(
        dir_entries(path.parent().unwrap()),
        [".wadash.lock", "config.toml"]
    );
}

#[test]
fn add_writes_through_a_symlink() {
    let dir = private_dir();
    let real = dir.path().join("real.toml");
    let link = dir.path().join("config.toml");
    fs::write(&real, COMMENTED).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let inst = InstanceConfig {
        id: "via-link".into(),
        ..Default::default()
    };
    add_instance(&link, &inst).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(Config::load(&real).unwrap().instance("via-link").is_some());
}

#[test]
fn load_or_empty_treats_only_a_missing_file_as_empty() {
    let dir = private_dir();
    let missing = dir.path().join("none.toml");
    assert_eq!(Config::load_or_empty(&missing).unwrap(), Config::default());
    assert!(matches!(
        Config::load(&missing),
        Err(ConfigError::Io { .. })
    ));
    assert!(Config::load_or_empty(&fixture("invalid_not_toml.toml")).is_err());

    let huge = dir.path().join("huge.toml");
    let file = fs::File::create(&huge).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    let err = Config::load(&huge).unwrap_err().to_string();
    assert!(err.contains("not a wadash config"), "{err}");
}
