//! `wadash config path|check|init` through the real binary, with a private
//! HOME: which file and why, the starter file (0600, never overwritten,
//! valid), and check's verdicts (exit 0/2, every key source, permissions),
//! never printing a key.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(home: &Path, args: &[&str], envs: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("cfg"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("WADASH_CONFIG")
        .env_remove("WADASH_API_KEY")
        .env_remove("WADASH_KEY_MAIN");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn path_names_the_file_and_why() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let default = h.join("cfg/wadash/config.toml");
    let out = run(h, &["config", "path"], &[]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.trim(), default.display().to_string());
    assert!(out.stderr.contains("default location"), "{}", out.stderr);
    assert!(out.stderr.contains("does not exist yet"), "{}", out.stderr);

    let out = run(
        h,
        &["config", "path"],
        &[("WADASH_CONFIG", "/tmp/from-env.toml")],
    );
    assert_eq!(out.stdout.trim(), "/tmp/from-env.toml");
    assert!(out.stderr.contains("WADASH_CONFIG"), "{}", out.stderr);

    // The flag wins over the variable, and says so.
    let out = run(
        h,
        &["--config", "/tmp/from-flag.toml", "config", "path"],
        &[("WADASH_CONFIG", "/tmp/from-env.toml")],
    );
    assert_eq!(out.stdout.trim(), "/tmp/from-flag.toml");
    assert!(out.stderr.contains("--config flag"), "{}", out.stderr);
}

#[test]
fn init_writes_a_private_starter_once_and_check_judges_it() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let path = h.join("cfg/wadash/config.toml");

    let out = run(h, &["config", "check"], &[]);
    assert_eq!(out.code, 2, "no file is an error");
    assert!(out.stderr.contains("config init"), "{}", out.stderr);

    let out = run(h, &["config", "init"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[[account]]") && text.contains("# [theme]"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let dir = std::fs::metadata(path.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
    }

    // Never over an existing file, even its own.
    std::fs::write(&path, format!("{text}\n# mine\n")).unwrap();
    let out = run(h, &["config", "init"], &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .ends_with("# mine\n")
    );

    // The starter names a variable for the key: unset is an error, set is ok.
    let out = run(h, &["config", "check"], &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("WADASH_KEY_MAIN"), "{}", out.stdout);
    let secret = "sk-live-abcdef-9876";
    let out = run(h, &["config", "check"], &[("WADASH_KEY_MAIN", secret)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("is ready"), "{}", out.stdout);
    assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
}

#[test]
fn check_reports_every_problem_and_loose_permissions() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let path = h.join("wa.toml");
    let p = path.to_str().unwrap();
    let secret = "inline-key-SECRET-42";
    std::fs::write(
        &path,
        format!(
            "[[account]]\nname = \"a\"\napi_key = \"{secret}\"\n\n\
             [[account]]\nname = \"b\"\napi_key_cmd = \"echo nope >&2; exit 3\"\n\n\
             [[account]]\nname = \"c\"\napi_key_env = \"WA_UNSET_C\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    }
    let out = run(h, &["--config", p, "config", "check"], &[]);
    assert_eq!(out.code, 2);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("ok: account `a`"), "{all}");
    assert!(
        all.contains("account `b`: api_key_cmd failed (exit status 3): nope"),
        "{all}"
    );
    assert!(all.contains("WA_UNSET_C"), "{all}");
    assert!(all.contains("2 problem(s)"), "{all}");
    #[cfg(unix)]
    {
        assert!(all.contains("readable by other users"), "{all}");
        assert!(all.contains("writable by other users"), "{all}");
    }
    assert!(!all.contains(secret), "{all}");

    // A parse error: exit 2 with file:line:col.
    std::fs::write(&path, "[ui]\ninterval = \"soon\"\n").unwrap();
    let out = run(h, &["--config", p, "config", "check"], &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("wa.toml:2:12:"), "{}", out.stderr);
}
