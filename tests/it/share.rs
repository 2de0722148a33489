//! `wadash share` end to end: the real binary serves the page, headless
//! Chromium loads it (phone- and desktop-sized), zbar reads the screenshot
//! back to the pairing text the sandbox issued, the code follows a rotation,
//! the sandbox's scan route turns the page into "linked", and expired,
//! used, wrong and token-less URLs are 404. A real `apprise` pushes the link.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout};

use crate::common::browser::{dump_dom, ensure_browser, screenshot_with, zbar_codes};
use crate::common::sandbox::{Env, env_with};

const BIN: &str = env!("CARGO_BIN_EXE_wadash");
/// Recognisable, so a grep of every page and output finds it if it leaks.
const KEY: &str = "share-test-key-SECRET-7f3a9c";
const KEY_VAR: &str = "WADASH_TEST_SHARE_KEY";
const LABEL: &str = "Tienda <Lima> & Co";
const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 800);

pub(crate) struct Share {
    child: Child,
    stdout: BufReader<ChildStdout>,
    pub(crate) url: String,
    _dir: tempfile::TempDir,
}

/// A sandbox whose codes rotate only when the test says (a drop).
pub(crate) async fn sandbox() -> Env {
    env_with(|o| {
        o.api_key = Some(KEY.into());
        o.qr_rotate = Duration::from_secs(3600);
    })
    .await
}

/// `wadash share ID ARGS…` with a config naming every sandbox instance;
/// returns once it printed the link.
pub(crate) async fn start_share(env: &Env, id: &str, args: &[&str]) -> Share {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(env, &dir);
    let mut child = share_command(&config, &dir)
        .arg("share")
        .arg(id)
        .args(args)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    let url = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).await.unwrap() == 0 {
                return None;
            }
            seen.push_str(&line);
            if let Some(at) = line.find("http://") {
                return Some(line[at..].trim().to_string());
            }
        }
    })
    .await
    .expect("the link within 20 s")
    .unwrap_or_else(|| panic!("share ended before printing a link: {seen}"));
    Share {
        child,
        stdout,
        url,
        _dir: dir,
    }
}

fn config_file(env: &Env, dir: &tempfile::TempDir) -> PathBuf {
    let mut text = format!(
        "[[account]]\nname = \"sb\"\nbase_url = \"{}\"\napi_key_env = \"{KEY_VAR}\"\n",
        env.sandbox.base_url()
    );
    for inst in &env.sandbox.instances {
        let label = if inst.active {
            inst.label.clone()
        } else {
            LABEL.to_string()
        };
        text.push_str(&format!(
            "\n[[instance]]\nid = \"{}\"\nlabel = \"{label}\"\n",
            inst.id
        ));
    }
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

fn share_command(config: &std::path::Path, dir: &tempfile::TempDir) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("xdg-config"))
        .env("XDG_STATE_HOME", dir.path().join("xdg-state"))
        .env(KEY_VAR, KEY)
        .env("LANG", "en_US.UTF-8")
        .env_remove("WADASH_API_KEY")
        .env_remove("LC_ALL")
        .arg("--config")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

impl Share {
    /// Exit code and the rest of stdout and stderr, once it exits (within `max`).
    pub(crate) async fn finish(mut self, max: Duration) -> (i32, String) {
        let status = tokio::time::timeout(max, self.child.wait())
            .await
            .expect("share exits in time")
            .unwrap();
        let mut rest = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut self.stdout, &mut rest)
            .await
            .unwrap();
        let mut err = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut err)
                .await
                .unwrap();
        }
        let out = format!("{rest}\n{err}");
        assert!(!out.contains(KEY), "the key leaked: {out}");
        (status.code().unwrap_or(-1), out)
    }

    fn root(&self) -> String {
        let at = self.url.find("/s/").unwrap();
        self.url[..at].to_string()
    }
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

async fn share_state(url: &str) -> Value {
    get(&format!("{url}state")).await.json().await.unwrap()
}

/// Poll the share's state until `done` holds (or panic after `max`).
async fn wait_state(url: &str, max: Duration, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let state = share_state(url).await;
        if done(&state) {
            return state;
        }
        assert!(start.elapsed() < max, "gave up waiting; last state {state}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text a screenshot of the page at `size` decodes to (exactly one code).
fn code_on_screen(url: &str, size: (u32, u32)) -> String {
    code_on_screen_with(url, size, &[])
}

fn code_on_screen_with(url: &str, size: (u32, u32), flags: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let shot = dir.path().join("shot.png");
    screenshot_with(url, size, &shot, flags);
    let codes = zbar_codes(&shot);
    assert_eq!(
        codes.len(),
        1,
        "one QR code on the {size:?} page: {codes:?}"
    );
    codes[0].clone()
}

fn qr_text(state: &Value) -> String {
    state["qr_text"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_shows_the_live_code_follows_a_rotation_and_turns_linked() {
    ensure_browser();
    let env = sandbox().await;
    let id = env.id(false);
    let share = start_share(
        &env,
        &id,
        &["--qr-refresh", "1s", "--status-every", "300ms"],
    )
    .await;
    let url = share.url.clone();

    // Headers: no caching, a CSP with no outside source and a nonce'd script.
    let resp = get(&url).await;
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(csp.contains("script-src 'nonce-"), "{csp}");
    for loose in [
        "unsafe-inline",
        "unsafe-eval",
        "http:",
        "https:",
        "data:",
        "*",
    ] {
        assert!(!csp.contains(loose), "{loose} in {csp}");
    }
    let body = resp.text().await.unwrap();
    assert!(body.contains("Tienda &lt;Lima&gt; &amp; Co"), "{body}");
    assert!(!body.contains(KEY));
    for other in env.sandbox.instances.iter().filter(|i| i.id != id) {
        assert!(
            !body.contains(&other.id) && !body.contains(&other.label),
            "{body}"
        );
    }
    let png = get(&format!("{url}qr.png")).await;
    assert_eq!(png.headers()["cache-control"], "no-store");
    assert!(!String::from_utf8_lossy(&png.bytes().await.unwrap()).contains(KEY));

    // Wrong and token-less URLs: 404, with the same headers.
    let token = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let mut wrong = token.clone();
    wrong.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    for path in [
        "/".to_string(),
        "/s/".into(),
        "/s//".into(),
        format!("/s/{wrong}/"),
        format!("/s/{wrong}/qr.png"),
    ] {
        let resp = get(&format!("{}{path}", share.root())).await;
        assert_eq!(resp.status(), 404, "{path}");
        assert_eq!(resp.headers()["cache-control"], "no-store", "{path}");
    }

    // The code the sandbox issued, read off a phone-sized and a desktop browser.
    let first = qr_text(&env.state(&id).await);
    assert_eq!(code_on_screen(&url, PHONE), first);
    assert_eq!(code_on_screen(&url, DESKTOP), first);
    // Without JavaScript the page still shows the code (it reloads itself).
    let no_script = ["--disable-javascript"];
    assert_eq!(code_on_screen_with(&url, PHONE, &no_script), first);

    // Rotation: the sandbox issues a new code; the page follows.
    let n = share_state(&url).await["n"].as_u64().unwrap();
    let second = qr_text(&env.control(&id, "drop").await);
    assert_ne!(second, first);
    wait_state(&url, Duration::from_secs(10), |s| s["n"].as_u64() > Some(n)).await;
    assert_eq!(code_on_screen(&url, PHONE), second);

    // The phone scans: the page says linked and shows no code.
    env.control(&id, "scan").await;
    wait_state(&url, Duration::from_secs(10), |s| s["state"] == "linked").await;
    let dom = dump_dom(&url, 1000);
    assert!(dom.contains("Linked ✓"), "{dom}");
    assert!(!dom.contains("<img"), "{dom}");
    assert_eq!(get(&format!("{url}qr.png")).await.status(), 404);

    // Used: once the page had time to show it, the token is gone.
    let start = Instant::now();
    loop {
        match reqwest::get(&url).await {
            Ok(resp) if resp.status() == 404 => break,
            Ok(resp) => assert_eq!(resp.status(), 200),
            Err(e) => panic!("the server stopped before the used token answered 404: {e}"),
        }
        assert!(start.elapsed() < Duration::from_secs(20), "still served");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (code, out) = share.finish(Duration::from_secs(20)).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Linked after"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_link_is_404_and_exits_1() {
    let env = sandbox().await;
    let id = env.id(false);
    let share = start_share(&env, &id, &["--for", "2s"]).await;
    assert_eq!(get(&share.url).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    for path in ["", "state", "qr.png"] {
        assert_eq!(
            get(&format!("{}{path}", share.url)).await.status(),
            404,
            "{path}"
        );
    }
    let (code, out) = share.finish(Duration::from_secs(15)).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("expired"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_public_address_needs_the_flag() {
    let env = sandbox().await;
    let id = env.id(false);
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(&env, &dir);
    let out = share_command(&config, &dir)
        .args(["share", &id, "--listen", "0.0.0.0:0"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--listen-public"), "{err}");
    assert!(
        env.requests().await.is_empty(),
        "refused before any request"
    );
}

/// A local receiver for apprise's `json://` URLs: the bodies it was sent.
async fn json_receiver() -> (String, tokio::sync::mpsc::UnboundedReceiver<Value>) {
    use axum::routing::post;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        post(move |body: axum::Json<Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(body.0);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("json://{addr}/hook"), rx)
}

#[tokio::test(flavor = "multi_thread")]
async fn send_pushes_the_link_and_the_code_through_apprise() {
    crate::common::debs::ensure_debs(&["apprise"]);
    let env = sandbox().await;
    let id = env.id(false);
    let (target, mut received) = json_receiver().await;
    let mut share = start_share(&env, &id, &["--send", &target]).await;
    let body = tokio::time::timeout(Duration::from_secs(60), received.recv())
        .await
        .expect("apprise delivers within 60 s")
        .unwrap();
    assert!(body["title"].as_str().unwrap().contains(LABEL), "{body}");
    assert!(
        body["message"].as_str().unwrap().contains(&share.url),
        "{body}"
    );
    let attachment = &body["attachments"][0];
    let png = STANDARD
        .decode(attachment["base64"].as_str().unwrap())
        .unwrap();
    let expected = qr_text(&env.state(&id).await);
    assert_eq!(crate::common::sandbox::read_qr_png(&png), expected);
    share.child.start_kill().unwrap();
    let (_, out) = share.finish(Duration::from_secs(10)).await;
    assert!(
        !out.contains(&target[7..]),
        "the apprise URL is masked: {out}"
    );
}

/// `S` in the dashboard's QR pane: the real binary in a pty shows a link,
/// and that link serves the code the sandbox issued to a real browser.
#[tokio::test(flavor = "multi_thread")]
async fn s_in_the_dashboard_qr_pane_shows_a_working_link() {
    ensure_browser();
    let env = sandbox().await;
    let id = env.id(false);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[[account]]\nname = \"sb\"\nbase_url = \"{}\"\napi_key_env = \"{KEY_VAR}\"\n\n\
             [[instance]]\nid = \"{id}\"\nlabel = \"{LABEL}\"\n",
            env.sandbox.base_url()
        ),
    )
    .unwrap();
    let wait = Duration::from_secs(20);
    let (mut session, url, screen) = tokio::task::block_in_place(|| {
        let mut s = crate::common::pty::PtySession::spawn(
            &["--config", config.to_str().unwrap(), "--lang", "en"],
            &[(KEY_VAR, KEY)],
            200,
            50,
        );
        s.wait_for("the inactive row", wait, |sc| sc.contains("inactive"));
        s.send("c");
        s.wait_for("the QR pane", wait, |sc| sc.contains("New code in"));
        s.send("S");
        let screen = s.wait_for("the share link", wait, |sc| sc.contains("/s/"));
        assert!(!screen.contains(KEY), "{screen}");
        let at = screen.find("http://127.0.0.1:").expect("a loopback link");
        let url: String = screen[at..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '│')
            .collect();
        (s, url, screen)
    });
    assert!(url.ends_with('/'), "{url}\n{screen}");
    let body = get(&url).await.text().await.unwrap();
    assert!(body.contains("Tienda &lt;Lima&gt; &amp; Co"), "{body}");
    assert!(!body.contains(KEY));
    assert_eq!(
        code_on_screen(&url, DESKTOP),
        qr_text(&env.state(&id).await)
    );
    // `q` closes the pane, a second `q` the dashboard.
    tokio::task::block_in_place(|| {
        session.send("q");
        session.wait_for("the list", wait, |sc| !sc.contains("New code in"));
        session.send("q");
        session.wait_exit(wait)
    });
}
