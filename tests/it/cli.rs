//! The real `wadash` binary against a sandbox started in the test, over
//! loopback HTTP: output parsed, exit codes checked, the sandbox's state and
//! request log read back through its control routes. Every run asserts that
//! the api key appears in neither stdout nor stderr.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wadash::qr::{DrawMode, decode_lines};
use wadash::sandbox::SandboxOptions;

const BIN: &str = env!("CARGO_BIN_EXE_wadash");

/// The shared sandbox environment, plus a private HOME for the binary.
struct Env {
    sandbox_env: crate::common::sandbox::Env,
    dir: tempfile::TempDir,
}

impl Deref for Env {
    type Target = crate::common::sandbox::Env;
    fn deref(&self) -> &Self::Target {
        &self.sandbox_env
    }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn both(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

async fn env() -> Env {
    env_with(|_| {}).await
}

async fn env_with(configure: impl FnOnce(&mut SandboxOptions)) -> Env {
    let sandbox_env = crate::common::sandbox::env_with(|opts| {
        opts.api_key = Some("test-key-SECRET-0123456789".into());
        configure(opts);
    })
    .await;
    Env {
        sandbox_env,
        dir: tempfile::tempdir().unwrap(),
    }
}

impl Env {
    fn key(&self) -> &str {
        &self.sandbox.api_key
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// The binary with a private HOME and config: nothing of the user's leaks in or out.
    fn command(&self) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        let home = self.dir.path();
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("xdg-config"))
            .env("XDG_STATE_HOME", home.join("xdg-state"))
            .env("XDG_CACHE_HOME", home.join("xdg-cache"))
            .env("XDG_DATA_HOME", home.join("xdg-data"))
            .env("NO_COLOR", "1")
            .env_remove("WADASH_API_KEY")
            .env_remove("WADASH_BASE_URL")
            .env_remove("WADASH_CONFIG")
            .arg("--config")
            .arg(self.config_path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    async fn run(&self, args: &[&str]) -> Out {
        let output = self.command().args(args).output().await.unwrap();
        self.out(output)
    }

    fn out(&self, output: std::process::Output) -> Out {
        let out = Out {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !out.both().contains(self.key()),
            "the api key leaked:\n{}",
            out.both()
        );
        out
    }

    /// `--base-url … --api-key … --instance …` for `ids`.
    fn quick(&self, ids: &[&str]) -> Vec<String> {
        let mut args = vec![
            "--base-url".to_string(),
            self.sandbox.base_url(),
            "--api-key".to_string(),
            self.key().to_string(),
        ];
        for id in ids {
            args.push("--instance".into());
            args.push(id.to_string());
        }
        args
    }

    async fn run_quick(&self, ids: &[&str], args: &[&str]) -> Out {
        let mut all = self.quick(ids);
        all.extend(args.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        self.run(&refs).await
    }

    fn ids(&self) -> Vec<String> {
        self.sandbox
            .instances
            .iter()
            .map(|i| i.id.clone())
            .collect()
    }

    async fn states(&self) -> Vec<Value> {
        let v: Value = self.get_json("/_sandbox/instances").await;
        v.as_array().expect("an array").clone()
    }

    async fn post(&self, path: &str, body: Value) {
        let resp = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
    }

    /// A config file with the sandbox's account, labelled instances, and `extra` account keys.
    fn write_config(&self, extra_account_lines: &str) {
        let mut text = format!(
            "# my instances\n[[account]]\nname = \"main\"\nbase_url = \"{}\"\napi_key = \"{}\"\n{extra_account_lines}\n",
            self.sandbox.base_url(),
            self.key()
        );
        for inst in &self.sandbox.instances {
            text.push_str(&format!(
                "\n[[instance]]\nid = \"{}\"\nlabel = \"{}\"\n",
                inst.id, inst.label
            ));
        }
        write_private(&self.config_path(), &text);
    }
}

fn write_private(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn parse_json(out: &Out) -> Vec<Value> {
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", out.both()));
    v.as_array().expect("a JSON array").clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn status_json_matches_the_sandbox_and_a_mix_exits_1() {
    let env = env().await;
    env.write_config("");
    let out = env.run(&["status", "--json"]).await;
    assert_eq!(out.code, 1, "a mix of active and inactive: {}", out.both());
    let rows = parse_json(&out);
    let states = env.states().await;
    assert_eq!(rows.len(), states.len());
    for state in &states {
        let id = state["id"].as_str().unwrap();
        let row = rows.iter().find(|r| r["id"] == id).expect("every instance");
        let expected = if state["active"].as_bool().unwrap() {
            "active"
        } else {
            "inactive"
        };
        assert_eq!(row["status"], expected, "{id}");
        assert_eq!(row["label"], state["label"], "label from the config");
        let detail = row["detail"].as_str().unwrap();
        assert!(detail.starts_with("Instancia "), "server text: {detail}");
        assert!(row["latency_ms"].is_u64());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn status_exit_codes_all_active_one_inactive_wrong_key() {
    let env = env().await;
    let ids = env.ids();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    for id in &ids {
        env.post(&format!("/_sandbox/instances/{id}/scan"), json!({}))
            .await;
    }
    let out = env.run_quick(&id_refs, &["status", "--json"]).await;
    assert_eq!(out.code, 0, "all active: {}", out.both());
    assert!(parse_json(&out).iter().all(|r| r["status"] == "active"));

    env.post(&format!("/_sandbox/instances/{}/drop", ids[2]), json!({}))
        .await;
    let out = env.run_quick(&id_refs, &["status"]).await;
    assert_eq!(out.code, 1, "one inactive: {}", out.both());
    let line = out.stdout.lines().find(|l| l.contains(&ids[2])).unwrap();
    assert!(line.contains("inactive"), "{line}");

    // A wrong key: the server's words and wadash's hint, exit 2.
    let out = env
        .run(&[
            "--base-url",
            &env.sandbox.base_url(),
            "--api-key",
            "wrong-key-000000",
            "--instance",
            &ids[0],
            "status",
            "--json",
        ])
        .await;
    assert_eq!(out.code, 2, "{}", out.both());
    let rows = parse_json(&out);
    assert_eq!(rows[0]["status"], "error");
    let detail = rows[0]["detail"].as_str().unwrap();
    assert!(
        detail.to_lowercase().contains("instancia no encontrada") && detail.contains("apiKey"),
        "{detail}"
    );
    assert!(!out.both().contains("wrong-key-000000"));
}

#[tokio::test(flavor = "multi_thread")]
async fn status_of_named_ids_and_unknown_ids() {
    let env = env().await;
    env.write_config("");
    let active = env.id(true);
    let out = env.run(&["status", &active, "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert_eq!(parse_json(&out).len(), 1);

    let out = env
        .run(&["status", &active, "NOPE-1", "NOPE-2", "--json"])
        .await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("NOPE-1") && out.stderr.contains("NOPE-2"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_server_times_out_with_exit_2() {
    let env = env().await;
    env.write_config("timeout = \"1s\"");
    env.post("/_sandbox/faults", json!({"rate": 1, "fault": "hang"}))
        .await;
    let started = Instant::now();
    let out = tokio::time::timeout(Duration::from_secs(20), env.run(&["status"]))
        .await
        .expect("wadash gives up on a hung server by itself");
    let took = started.elapsed();
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stdout.contains("no answer within 1s"), "{}", out.both());
    assert!(took < Duration::from_secs(8), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_26_character_name_is_refused_locally() {
    let env = env().await;
    let id = env.id(true);
    env.clear_requests().await;
    let out = env
        .run_quick(&[&id], &["set", "name", &id, &"n".repeat(26)])
        .await;
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("at most 25"), "{}", out.stderr);
    assert!(env.requests().await.is_empty(), "nothing was sent");

    // The same for a picture that is not one, and a plain-http webhook.
    let bogus = env.dir.path().join("not-a-picture.png");
    std::fs::write(&bogus, "just text").unwrap();
    let out = env
        .run_quick(&[&id], &["set", "image", &id, bogus.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("nothing sent"), "{}", out.stderr);
    let out = env
        .run_quick(&[&id], &["set", "webhook", &id, "http://example.com/h"])
        .await;
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(env.requests().await.is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_set_command_changes_the_sandbox_and_is_remembered() {
    let env = env().await;
    let id = env.id(true);
    let q = [id.as_str()];

    let out = env
        .run_quick(&q, &["set", "name", &id, "Tienda Lima"])
        .await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(out.stdout.contains("Nombre Actualizado"), "{}", out.stdout);
    let out = env
        .run_quick(&q, &["set", "description", &id, "Abierto de 9 a 18 h"])
        .await;
    assert_eq!(out.code, 0, "{}", out.both());
    let out = env.run_quick(&q, &["set", "autoread", &id, "on"]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    let out = env
        .run_quick(&q, &["set", "webhook", &id, "https://example.com/hook"])
        .await;
    assert_eq!(out.code, 0, "{}", out.both());

    let picture = env.dir.path().join("logo.png");
    image::RgbImage::from_fn(120, 80, |x, y| image::Rgb([x as u8, y as u8, 90]))
        .save(&picture)
        .unwrap();
    let out = env
        .run_quick(&q, &["set", "image", &id, picture.to_str().unwrap()])
        .await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(out.stdout.contains("Imagen cambiada"), "{}", out.stdout);

    let state = env.state(&id).await;
    assert_eq!(state["name"], "Tienda Lima");
    assert_eq!(state["description"], "Abierto de 9 a 18 h");
    assert_eq!(state["auto_read"], true);
    assert_eq!(state["webhook"], "https://example.com/hook");
    // Centre-cropped and re-encoded: a square JPEG arrived.
    assert_eq!(state["image"]["width"], state["image"]["height"], "{state}");

    let out = env.run_quick(&q, &["set", "autoread", &id, "off"]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert_eq!(env.state(&id).await["auto_read"], false);

    let memory =
        std::fs::read_to_string(env.dir.path().join("state.toml")).expect("state.toml written");
    assert!(memory.contains("Tienda Lima") && memory.contains("https://example.com/hook"));
}

#[tokio::test(flavor = "multi_thread")]
async fn disconnect_and_read_only() {
    let env = env().await;
    let id = env.id(true);
    env.clear_requests().await;
    let out = env
        .run_quick(&[&id], &["--read-only", "disconnect", &id])
        .await;
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    assert!(env.requests().await.is_empty());

    let out = env.run_quick(&[&id], &["disconnect", &id]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(
        out.stdout.contains("instancia desconectada"),
        "{}",
        out.stdout
    );
    assert_eq!(env.state(&id).await["active"], false);
}

/// The QR code in a PNG, read back.
fn decode_png(path: &Path) -> String {
    let img = image::open(path).expect("a readable PNG").to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        img.get_pixel(x as u32, y as u32).0[0]
    });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the PNG");
    grids[0].decode().expect("decodable").1
}

#[tokio::test(flavor = "multi_thread")]
async fn qr_png_holds_the_sandbox_pairing_text() {
    let env = env().await;
    env.write_config("");
    let id = env.id(false);
    let png = env.dir.path().join("qr.png");
    let out = env.run(&["qr", &id, "--png", png.to_str().unwrap()]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    let label = &env
        .sandbox
        .instances
        .iter()
        .find(|i| i.id == id)
        .unwrap()
        .label;
    assert!(out.stdout.contains(label.as_str()), "{}", out.stdout);
    assert!(out.stdout.contains("Linked devices"), "{}", out.stdout);
    let expected = env.state(&id).await["qr_text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(decode_png(&png), expected);

    // Already active: says so, draws nothing.
    let active = env.id(true);
    let out = env.run(&["qr", &active]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(out.stdout.contains("already active"), "{}", out.stdout);
    assert!(!out.stdout.contains('█'));
}

/// The code's rows in `wadash qr` output: the lines with no letters or digits.
fn drawing_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| !l.is_empty() && !l.chars().any(|c| c.is_ascii_alphanumeric()))
        .map(String::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn qr_on_stdout_scans_in_half_and_compact_mode_without_a_terminal() {
    let env = env().await;
    env.write_config("");
    let id = env.id(false);
    for (flag, mode) in [("half", DrawMode::Half), ("compact", DrawMode::Compact)] {
        // Not a terminal: no size limit, so even half blocks are drawn whole.
        let out = env.run(&["qr", &id, "--mode", flag]).await;
        assert_eq!(out.code, 0, "{flag}: {}", out.both());
        let expected = env.state(&id).await["qr_text"]
            .as_str()
            .unwrap()
            .to_string();
        let lines = drawing_lines(&out.stdout);
        assert_eq!(
            decode_lines(&lines, mode, false).as_deref(),
            Ok(expected.as_str()),
            "{flag}: {}",
            out.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn qr_wait_backs_off_like_the_pane_when_the_server_fails() {
    let env = env().await;
    env.write_config("");
    let id = env.id(false);
    env.post(
        "/_sandbox/faults",
        json!({"rate": 1, "fault": "http502-html"}),
    )
    .await;
    env.clear_requests().await;
    // --force: no status check first, so the loop itself meets the failures.
    let out = env
        .run(&[
            "qr",
            &id,
            "--wait",
            "--force",
            "--status-every",
            "100ms",
            "--wait-max",
            "3s",
        ])
        .await;
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(out.stderr.contains("502"), "{}", out.stderr);
    let qr_requests = env
        .requests()
        .await
        .iter()
        .filter(|r| r["path"] == "/api/config/qr")
        .count();
    // At 0 s, then 2 s later (the pane's first backoff); the next would be at 6 s.
    assert!(
        (1..=3).contains(&qr_requests),
        "{qr_requests} QR requests in 3 s"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn qr_wait_refreshes_and_exits_0_after_the_scan() {
    let env = env_with(|o| o.qr_rotate = Duration::from_millis(300)).await;
    env.write_config("");
    let id = env.id(false);
    let child = env
        .command()
        .args([
            "qr",
            &id,
            "--wait",
            "--qr-refresh",
            "400ms",
            "--status-every",
            "150ms",
        ])
        .spawn()
        .unwrap();
    // Long enough for at least one refresh, then play the phone.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    env.post(&format!("/_sandbox/instances/{id}/scan"), json!({}))
        .await;
    let output = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("exits soon after the scan")
        .unwrap();
    let out = env.out(output);
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(out.stdout.contains("Connected after"), "{}", out.stdout);
    assert!(
        out.stdout.contains("--- new code ---"),
        "the code was refreshed: {}",
        out.stdout
    );
    let qr_requests = env
        .requests()
        .await
        .iter()
        .filter(|r| r["path"] == "/api/config/qr")
        .count();
    assert!(qr_requests >= 2, "{qr_requests} QR requests");
}

#[tokio::test(flavor = "multi_thread")]
async fn qr_wait_max_gives_up_with_exit_1() {
    let env = env().await;
    env.write_config("");
    let id = env.id(false);
    let out = env
        .run(&[
            "qr",
            &id,
            "--wait",
            "--status-every",
            "100ms",
            "--wait-max",
            "600ms",
        ])
        .await;
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(out.stderr.contains("gave up"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_add_list_remove_edit_the_config() {
    let env = env().await;
    env.write_config("");
    let before = env.sandbox.instances.len();

    let out = env
        .run(&[
            "instances",
            "add",
            "NEW-1",
            "--label",
            "Caja Lima",
            "--tag",
            "peru",
            "--tag",
            "caja",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(
        out.stdout.contains("added instance NEW-1"),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(text.starts_with("# my instances"), "comments kept");

    let out = env.run(&["instances", "list", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    let rows = parse_json(&out);
    assert_eq!(rows.len(), before + 1);
    let added = rows.iter().find(|r| r["id"] == "NEW-1").unwrap();
    assert_eq!(added["label"], "Caja Lima");
    assert_eq!(added["tags"], json!(["peru", "caja"]));

    let out = env.run(&["instances", "add", "NEW-1"]).await;
    assert_eq!(out.code, 2, "a duplicate is refused: {}", out.both());

    let out = env.run(&["instances", "remove", "NEW-1"]).await;
    assert_eq!(out.code, 0, "{}", out.both());
    let out = env.run(&["instances", "list"]).await;
    assert!(!out.stdout.contains("NEW-1"), "{}", out.stdout);
    let out = env.run(&["instances", "remove", "NEW-1"]).await;
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("NEW-1"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_64_and_config_errors_name_the_place() {
    let env = env().await;
    let out = env.run(&["status", "--no-such-flag"]).await;
    assert_eq!(out.code, 64, "{}", out.both());
    let out = env.run(&["set", "autoread", "X", "maybe"]).await;
    assert_eq!(out.code, 64, "{}", out.both());

    write_private(
        &env.config_path(),
        "[[account]]\nname = \"main\"\nbase_url = 42\n",
    );
    let out = env.run(&["status"]).await;
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("config.toml:3:"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_from_the_environment_works_and_stays_hidden() {
    let env = env().await;
    let id = env.id(true);
    let output = env
        .command()
        .env("WADASH_API_KEY", env.key())
        .env("WADASH_BASE_URL", env.sandbox.base_url())
        .args(["--instance", &id, "status", "--json"])
        .output()
        .await
        .unwrap();
    let out = env.out(output);
    assert_eq!(out.code, 0, "{}", out.both());

    // A usage error with the key in the environment: clap must not print it.
    let output = env
        .command()
        .env("WADASH_API_KEY", env.key())
        .args(["--help"])
        .output()
        .await
        .unwrap();
    let out = env.out(output);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("WADASH_API_KEY"));
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_status_runs_without_any_account() {
    let env = env().await;
    let out = env.run(&["--demo", "status", "--json"]).await;
    assert!(out.code == 0 || out.code == 1, "{}", out.both());
    let rows = parse_json(&out);
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().any(|r| r["label"] == "Tienda Lima"));
    assert!(rows.iter().all(|r| r["status"] != "error"));
}
