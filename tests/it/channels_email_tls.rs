//! `[[alerts.email]]` over TLS, end to end: a real `wadash watch` pages two
//! real aiosmtpd servers on loopback, one requiring STARTTLS and one behind
//! implicit TLS, each with a certificate for localhost/127.0.0.1 signed by
//! a CA this test makes with Debian's `openssl`, trusted through
//! `ca_file`; a login with the password from `password_env` and from
//! `password_cmd`; each message read back by Python's `email` parser.
//! The same run shows what goes wrong said clearly, per
//! channel, secrets masked: a wrong CA, no CA for a private server, and
//! plain text to a server that requires STARTTLS.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::channels::{shop_config, two_linked, wait_until};
use crate::channels_email::{header, messages};
use crate::channels_lang::parse_mail;
use crate::common::debs::ensure_debs;
use crate::common::local_server::{ReadyChild, free_port, spawn_ready};
use crate::common::watch::{BIN, KEY_VAR, Watch};

const USER: &str = "alerts@example.com";
const PASSWORD: &str = "tls-Pa55word-7hq2x";
const PASSWORD_VAR: &str = "WADASH_TEST_SMTP_TLS_PASSWORD";

/// aiosmtpd: `starttls` (STARTTLS required before anything, login only
/// over TLS) or `tls` (the socket wrapped from the first byte).
const SERVER: &str = r#"
import os, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
out, port, mode, cert, key, user, password = sys.argv[1:8]
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
if mode == "starttls":
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    c = Controller(Handler(), hostname="127.0.0.1", port=int(port), authenticator=login,
                   auth_required=True, tls_context=ctx, require_starttls=True)
else:
    # Also used by the controller's own start-up probe, as a client.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS)
    ctx.load_cert_chain(cert, key)
    c = Controller(Handler(), hostname="127.0.0.1", port=int(port), authenticator=login,
                   auth_required=True, auth_require_tls=False, ssl_context=ctx)
c.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"#;

struct Smtp {
    _server: ReadyChild,
    port: u16,
    inbox: tempfile::TempDir,
}

fn start(mode: &str, pki: &Path) -> Smtp {
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = spawn_ready(
        Command::new("/usr/bin/python3")
            .args(["-c", SERVER])
            .arg(inbox.path())
            .arg(port.to_string())
            .arg(mode)
            .arg(pki.join("server.pem"))
            .arg(pki.join("server.key"))
            .args([USER, PASSWORD]),
        &format!("aiosmtpd ({mode})"),
    );
    Smtp {
        _server: server,
        port,
        inbox,
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA (`ca.pem`) and a server certificate it signed for localhost and
/// 127.0.0.1 (`server.pem`, `server.key`); and a second, unrelated CA
/// (`other-ca.pem`).
fn make_pki(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    for (name, cn) in [("ca", "wadash test CA"), ("other-ca", "someone else's CA")] {
        let subj = format!("/CN={cn}");
        let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
        let mut args = vec!["req", "-x509"];
        args.extend(ec);
        args.extend([
            "-keyout",
            &key,
            "-out",
            &pem,
            "-days",
            "2",
            "-subj",
            &subj,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(dir, &args);
    }
    let mut args = vec!["req"];
    args.extend(ec);
    args.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(dir, &args);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

fn channel(name: &str, server: &str, port: u16, tls: &str, extra: &str) -> String {
    format!(
        r#"
[[alerts.email]]
name = "{name}"
server = "{server}"
port = {port}
tls = "{tls}"
username = "{USER}"
from = "wadash <{USER}>"
to = ["ops@example.com"]
{extra}
"#
    )
}

fn failure<'a>(lines: &'a [String], name: &str) -> Option<&'a String> {
    let named = format!("`{name}`");
    lines
        .iter()
        .find(|l| l.contains("alert_failed") && l.contains(&named))
}

#[tokio::test(flavor = "multi_thread")]
async fn email_over_starttls_and_tls_with_a_private_ca_and_clear_failures() {
    ensure_debs(&["python3-aiosmtpd", "openssl"]);
    let pki = tempfile::tempdir().unwrap();
    make_pki(pki.path());
    let ca = pki.path().join("ca.pem").display().to_string();
    let other_ca = pki.path().join("other-ca.pem").display().to_string();
    let password_file: PathBuf = pki.path().join("smtp-password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    let starttls = start("starttls", pki.path());
    let implicit = start("tls", pki.path());

    let runbook = "runbook = \"call the shop: wadash qr {id} --wait\"";
    let env_pw = format!("password_env = \"{PASSWORD_VAR}\"");
    let alerts = [
        "[alerts]\nafter = 2\nresolve_after = 1\ngroup_window = \"1s\"\n".to_string(),
        channel(
            "starttls-mail",
            "localhost",
            starttls.port,
            "starttls",
            &format!("ca_file = \"{ca}\"\n{env_pw}\n{runbook}"),
        ),
        channel(
            "tls-mail",
            "127.0.0.1",
            implicit.port,
            "tls",
            &format!(
                "ca_file = \"{ca}\"\npassword_cmd = \"cat '{}'\"\n{runbook}",
                password_file.display()
            ),
        ),
        channel(
            "wrong-ca",
            "localhost",
            starttls.port,
            "starttls",
            &format!("ca_file = \"{other_ca}\"\n{env_pw}"),
        ),
        channel("no-ca", "localhost", implicit.port, "tls", &env_pw),
        channel("plain-text", "127.0.0.1", starttls.port, "none", &env_pw),
    ]
    .concat();
    let (env, id, _) = two_linked().await;
    let config = shop_config(
        &env.sandbox.base_url(),
        &[(&id, "Tienda Lima", "lima")],
        &alerts,
    );

    // config check names the extra trust.
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.toml");
    std::fs::write(&path, &config).unwrap();
    let check = Command::new(BIN)
        .args(["config", "check"])
        .env("WADASH_CONFIG", &path)
        .env("HOME", home.path())
        .env(KEY_VAR, &env.sandbox.api_key)
        .env(PASSWORD_VAR, PASSWORD)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout).into_owned();
    assert_eq!(check.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "ok: alerts: email `tls-mail` smtp 127.0.0.1:{} (tls) to 1 recipient(s); login {USER}, password from password_cmd: ••••; also trusts 1 certificate(s) from {ca}",
            implicit.port
        )),
        "{said}"
    );
    assert!(!said.contains(PASSWORD), "{said}");

    let mut w = Watch::spawn_env(
        &config,
        &env.sandbox.api_key,
        &["--interval", "1s"],
        &[(PASSWORD_VAR, PASSWORD)],
    );
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    for (what, inbox) in [
        ("the STARTTLS e-mail", &starttls.inbox),
        ("the TLS e-mail", &implicit.inbox),
    ] {
        wait_until(what, Duration::from_secs(40), || {
            !messages(inbox.path()).is_empty()
        })
        .await;
        let m = &messages(inbox.path())[0];
        assert_eq!(header(m, "To").as_deref(), Some("ops@example.com"), "{m}");
        assert!(!m.contains(PASSWORD), "{m}");
        let (subject, body) = parse_mail(m);
        assert_eq!(subject, "wadash down: Tienda Lima (inactive)");
        assert!(body.starts_with("down: Tienda Lima (inactive)\n"), "{body}");
        assert!(body.contains(&format!("id: {id}\n")), "{body}");
        assert!(
            body.contains(&format!(
                "what to do: call the shop: wadash qr {id} --wait\n"
            )),
            "{body}"
        );
    }
    for name in ["wrong-ca", "no-ca", "plain-text"] {
        w.wait_line(name, Duration::from_secs(40), |l| {
            l.contains("alert_failed") && l.contains(&format!("`{name}`"))
        });
    }
    let lines: Vec<String> = w.lines.lock().unwrap().clone();
    let wrong = failure(&lines, "wrong-ca").unwrap();
    assert!(
        wrong.contains("signed neither by the CA in ca_file nor by a system root"),
        "{wrong}"
    );
    let none = failure(&lines, "no-ca").unwrap();
    assert!(
        none.contains("not trusted here; for a private CA set ca_file"),
        "{none}"
    );
    let plain = failure(&lines, "plain-text").unwrap();
    assert!(
        plain.contains("requires STARTTLS: set tls = \\\"starttls\\\""),
        "{plain}"
    );
    for ok in ["starttls-mail", "tls-mail"] {
        assert!(failure(&lines, ok).is_none(), "{ok}: {lines:#?}");
    }
    // Only the two channels that could deliver did.
    assert_eq!(messages(starttls.inbox.path()).len(), 1);
    assert_eq!(messages(implicit.inbox.path()).len(), 1);
    w.signal(nix::sys::signal::Signal::SIGTERM);
    w.wait_exit(Duration::from_secs(10)).expect("watch exits");
    let log = w.stderr();
    assert!(!log.contains(PASSWORD), "a password in the log: {log}");
}
