//! Concurrent writers of the config and of `state.toml`: the real binary,
//! many processes at once, and the dashboard's worker racing them. Every
//! edit must survive (each writer re-reads under the directory lock).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use wadash::engine::effect::{Effect, NewInstance};
use wadash::engine::msg::CoreMsg;
use wadash::memory::Memory;
use wadash::worker::{Worker, WorkerPaths};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

const CONFIG: &str = "# my instances\n[[account]]\nname = \"main\"\n\
base_url = \"http://127.0.0.1:9\"\napi_key = \"k-SECRET-0123456789\"\n";

fn command(home: &Path, config: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_STATE_HOME", home.join("xdg-state"))
        .env("XDG_CACHE_HOME", home.join("xdg-cache"))
        .env_remove("WADASH_API_KEY")
        .env_remove("WADASH_CONFIG")
        .arg("--config")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, CONFIG).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    (dir, config)
}

fn ids_in(config: &Path) -> Vec<String> {
    let cfg = wadash::config::Config::load(config).expect("the config still loads");
    let mut ids: Vec<String> = cfg.instances.iter().map(|i| i.id.clone()).collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_concurrent_adds_keep_twenty_ids() {
    let (dir, config) = setup();
    let runs: Vec<_> = (0..20)
        .map(|i| {
            let mut cmd = command(dir.path(), &config);
            cmd.args(["instances", "add", &format!("ID-{i:02}")]);
            tokio::spawn(async move { cmd.output().await.unwrap() })
        })
        .collect();
    for run in runs {
        let out = run.await.unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let want: Vec<String> = (0..20).map(|i| format!("ID-{i:02}")).collect();
    assert_eq!(ids_in(&config), want);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with("# my instances"), "comments kept");
    // No temp file left behind by anyone.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The dashboard's edits go through its worker: instance adds to the config
/// and its whole memory to `state.toml`. CLI processes edit both at the same
/// moments; nothing either side did may be lost.
#[tokio::test(flavor = "multi_thread")]
async fn dashboard_edits_racing_cli_edits_keep_both() {
    let (dir, config) = setup();
    let state = Memory::path_beside(&config);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker::spawn(
        wadash::api::Client::new(),
        Vec::new(),
        4,
        tx,
        WorkerPaths {
            config: Some(config.clone()),
            memory: Some(state.clone()),
        },
    );
    // The dashboard loaded state.toml before the CLI wrote to it.
    let (mut memory, _) = Memory::load(&state);

    let cli: Vec<_> = (0..8)
        .map(|i| {
            let mut cmd = command(dir.path(), &config);
            cmd.args(["instances", "add", &format!("CLI-{i}")]);
            tokio::spawn(async move { cmd.output().await.unwrap() })
        })
        .collect();
    // A CLI edit of state.toml, as `wadash set name` records it.
    let cli_state = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            for i in 0..8 {
                let (mut m, _) = Memory::load(&state);
                m.record_description(
                    &format!("CLI-{i}"),
                    "from the cli".into(),
                    SystemTime::now(),
                );
                m.save(&state).unwrap();
            }
        })
    };
    for i in 0..8 {
        worker.run(Effect::AddInstance(NewInstance {
            id: format!("DASH-{i}"),
            label: format!("DASH-{i}"),
            account: None,
            tags: Vec::new(),
        }));
        memory.record_name(
            &format!("DASH-{i}"),
            "from the dashboard".into(),
            SystemTime::now(),
        );
        worker.run(Effect::SaveMemory(memory.clone()));
    }
    for run in cli {
        let out = run.await.unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    cli_state.await.unwrap();
    // Wait for the worker's eight config edits and its memory saves.
    let (mut edits, mut saves) = (0, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while edits < 8 || saves == 0 {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("worker answers")
            .unwrap();
        match msg {
            CoreMsg::ConfigEdited { result, .. } => {
                result.expect("dashboard edit succeeds");
                edits += 1;
            }
            CoreMsg::MemorySaved(result) => {
                result.expect("dashboard save succeeds");
                saves += 1;
            }
            _ => {}
        }
    }
    let ids = ids_in(&config);
    for i in 0..8 {
        assert!(ids.contains(&format!("CLI-{i}")), "{ids:?}");
        assert!(ids.contains(&format!("DASH-{i}")), "{ids:?}");
    }
    // Saves coalesce, so wait for the last one to land.
    let mut last = Memory::load(&state).0;
    for _ in 0..100 {
        if last.get("DASH-7").is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        last = Memory::load(&state).0;
    }
    for i in 0..8 {
        let cli = last.get(&format!("CLI-{i}")).expect("cli record kept");
        assert!(cli.description.is_some());
        let dash = last
            .get(&format!("DASH-{i}"))
            .expect("dashboard record kept");
        assert!(dash.name.is_some());
    }
}

/// `wadash qr ID --png FILE` refuses an existing file unless `--force`, and
/// never writes over the config or state file even then; both are checked
/// before any request (the account here points at a closed port).
#[tokio::test(flavor = "multi_thread")]
async fn qr_png_never_overwrites_the_config_and_needs_force_for_other_files() {
    let (dir, config) = setup();
    let mut add = command(dir.path(), &config);
    add.args(["instances", "add", "ID-1"]);
    assert!(add.output().await.unwrap().status.success());
    let before = std::fs::read_to_string(&config).unwrap();
    let state = Memory::path_beside(&config);
    std::fs::write(&state, "# state\n").unwrap();
    let picture = dir.path().join("mine.png");
    std::fs::write(&picture, "my own picture").unwrap();
    let cases: [(&Path, bool, &str); 5] = [
        (&config, false, "wadash's own file"),
        (&config, true, "wadash's own file"),
        (&state, true, "wadash's own file"),
        (&picture, false, "already exists"),
        (dir.path(), true, "not a regular file"),
    ];
    for (target, force, expected) in cases {
        let mut qr = command(dir.path(), &config);
        qr.args(["qr", "ID-1", "--png"]).arg(target);
        if force {
            qr.arg("--force");
        }
        let out = qr.output().await.unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{target:?} {force}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "# state\n");
    assert_eq!(std::fs::read_to_string(&picture).unwrap(), "my own picture");
}
