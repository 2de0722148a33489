//! `[[alerts.email]]` to a real SMTP server on loopback (Debian's
//! `python3-aiosmtpd`, with a login), and the masking of channel secrets:
//! an Apprise `tgram://BOTTOKEN/CHAT` URL and the SMTP password never show
//! in `config check`, in `watch`'s log lines or errors, or in any file it
//! writes (history, alert store, logs).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::channels::{shop_config, two_linked, wait_until};
use crate::common::debs::ensure_debs;
use crate::common::local_server::{ReadyChild, free_port, spawn_ready};
use crate::common::watch::{BIN, KEY_VAR, Watch};

const BOT_TOKEN: &str = "7312345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
/// Apprise names the chat in its warnings; it is masked as the token is.
const CHAT: &str = "-1001234567";
pub const SMTP_PASSWORD: &str = "smtp-Pa55word-9f3kq";
pub const SMTP_USER: &str = "alerts@example.com";
pub const PASSWORD_VAR: &str = "WADASH_TEST_SMTP_PASSWORD";

/// aiosmtpd with a login, writing each message it accepts to a folder.
const SERVER: &str = r#"
import os, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
out, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
class Handler:
    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(out, "msg-%d.eml" % len(os.listdir(out)))
        with open(path + ".part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)
        return "250 OK"
def login(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
    return AuthResult(success=ok)
c = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=login,
               auth_require_tls=False, auth_required=True)
c.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

pub struct Smtp {
    _server: ReadyChild,
    pub port: u16,
    pub inbox: tempfile::TempDir,
}

pub fn start_smtp() -> Smtp {
    ensure_debs(&["python3-aiosmtpd"]);
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = spawn_ready(
        Command::new("/usr/bin/python3")
            .args(["-c", SERVER])
            .arg(inbox.path())
            .arg(port.to_string())
            .args([SMTP_USER, SMTP_PASSWORD]),
        "aiosmtpd",
    );
    Smtp {
        _server: server,
        port,
        inbox,
    }
}

pub fn messages(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// A header's value, unfolded.
pub fn header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    })
}

/// Every file under `dir` except the config, as bytes made text.
fn files_text(dir: &Path, config: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p != config {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.push((
                    p.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
        }
    }
    out
}

fn alerts_text(smtp_port: u16) -> String {
    format!(
        r#"[alerts]
after = 2
resolve_after = 1
group_window = "1s"

[[alerts.email]]
name = "ops-mail"
server = "127.0.0.1"
port = {smtp_port}
tls = "none"
username = "{SMTP_USER}"
password_env = "{PASSWORD_VAR}"
from = "wadash <{SMTP_USER}>"
to = ["ops@example.com", "ana@example.com"]
runbook = "call Ana, then: wadash qr {{id}} --wait"

[[alerts.apprise]]
urls = ["tgram://{BOT_TOKEN}/{CHAT}"]
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_email_reaches_a_real_smtp_server_and_no_channel_secret_shows_anywhere() {
    ensure_debs(&["apprise"]);
    let smtp = start_smtp();
    let (env, id, _) = two_linked().await;
    let config = shop_config(
        &env.sandbox.base_url(),
        &[(&id, "Tienda Lima", "lima")],
        &alerts_text(smtp.port),
    );

    // config check: every channel said, masked.
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.toml");
    std::fs::write(&path, &config).unwrap();
    let check = Command::new(BIN)
        .args(["config", "check"])
        .env("WADASH_CONFIG", &path)
        .env("HOME", home.path())
        .env(KEY_VAR, &env.sandbox.api_key)
        .env(PASSWORD_VAR, SMTP_PASSWORD)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(check.status.code(), Some(0), "{said}");
    assert!(said.contains("ok: alerts: apprise tgram://…"), "{said}");
    assert!(
        said.contains(&format!(
            "ok: alerts: email `ops-mail` smtp 127.0.0.1:{} (no tls) to 2 recipient(s); login {SMTP_USER}, password from password_env {PASSWORD_VAR}: ••••",
            smtp.port
        )),
        "{said}"
    );
    assert!(
        !said.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") && !said.contains(SMTP_PASSWORD),
        "{said}"
    );

    let mut w = Watch::spawn_env(
        &config,
        &env.sandbox.api_key,
        &["--interval", "1s"],
        &[(PASSWORD_VAR, SMTP_PASSWORD)],
    );
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    wait_until("the down e-mail", Duration::from_secs(40), || {
        !messages(smtp.inbox.path()).is_empty()
    })
    .await;
    let m = &messages(smtp.inbox.path())[0];
    assert_eq!(
        header(m, "Subject").as_deref(),
        Some("wadash down: Tienda Lima (inactive)"),
        "{m}"
    );
    assert_eq!(
        header(m, "To").as_deref(),
        Some("ops@example.com, ana@example.com"),
        "{m}"
    );
    assert!(m.contains(&format!("id: {id}")), "{m}");
    assert!(
        m.contains(&format!(
            "what to do: call Ana, then: wadash qr {id} --wait"
        )),
        "{m}"
    );
    for secret in [env.sandbox.api_key.as_str(), SMTP_PASSWORD, BOT_TOKEN] {
        assert!(!m.contains(secret), "a secret in the e-mail: {m}");
    }
    w.wait_line("the email alert_sent line", Duration::from_secs(10), |l| {
        l.contains("alert_sent") && l.contains("email")
    });
    // Telegram is out of reach here: the failure is reported, the token is not.
    let failed = w.wait_line("the apprise failure", Duration::from_secs(40), |l| {
        l.contains("alert_failed") && l.contains("apprise")
    });
    assert!(
        failed.contains("connection error"),
        "apprise's reason: {failed}"
    );
    assert!(
        failed.contains("tgram://…") && !failed.contains(CHAT),
        "{failed}"
    );

    env.control(&id, "scan").await;
    wait_until("the up e-mail", Duration::from_secs(30), || {
        messages(smtp.inbox.path()).len() == 2
    })
    .await;
    let up = &messages(smtp.inbox.path())[1];
    assert!(
        header(up, "Subject")
            .unwrap()
            .starts_with("wadash up: Tienda Lima"),
        "{up}"
    );
    w.signal(nix::sys::signal::Signal::SIGTERM);
    w.wait_exit(Duration::from_secs(10)).expect("watch exits");

    let log = w.stderr();
    for secret in [
        "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        CHAT,
        SMTP_PASSWORD,
        &env.sandbox.api_key,
    ] {
        assert!(!log.contains(secret), "a secret in the log: {log}");
        for (file, text) in files_text(w.home.path(), &w.config) {
            assert!(!text.contains(secret), "a secret in {file}");
        }
    }
}

#[test]
fn config_check_says_when_apprise_is_missing() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.toml");
    std::fs::write(
        &path,
        format!("[[alerts.apprise]]\nurls = [\"tgram://{BOT_TOKEN}/-100\"]\n"),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["config", "check"])
        .env("WADASH_CONFIG", &path)
        .env("HOME", home.path())
        .env("PATH", home.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains(
            "error: [[alerts.apprise]] needs the `apprise` command, which is not on PATH"
        ),
        "{said}"
    );
    assert!(
        !said.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_warns_at_start_when_apprise_is_missing() {
    let (env, id, _) = two_linked().await;
    let config = shop_config(
        &env.sandbox.base_url(),
        &[(&id, "Tienda Lima", "lima")],
        &format!("[[alerts.apprise]]\nurls = [\"tgram://{BOT_TOKEN}/{CHAT}\"]\n"),
    );
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().display().to_string();
    let mut w = Watch::spawn_env(&config, &env.sandbox.api_key, &[], &[("PATH", &path)]);
    let line = w.wait_line("the warning", Duration::from_secs(20), |l| {
        l.contains("config_warning")
    });
    assert!(line.contains("needs the `apprise` command"), "{line}");
    assert!(!line.contains(CHAT), "{line}");
    w.signal(nix::sys::signal::Signal::SIGTERM);
    w.wait_exit(Duration::from_secs(10)).expect("watch exits");
}
