//! Channel texts follow the language, as every face does: `config check`'s
//! channel lines (the locale), and the e-mail a real
//! `wadash watch` sends to a real aiosmtpd (`ui.lang` over the locale), read back with Python's own
//! `email` parser (the subject is RFC 2047 encoded, the body may be
//! quoted-printable): subject, body labels, the default runbook line and
//! the footer in Spanish (usted). Machine fields stay English.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::channels::{shop_config, two_linked, wait_until};
use crate::channels_email::{PASSWORD_VAR, SMTP_PASSWORD, SMTP_USER, messages, start_smtp};
use crate::common::debs::ensure_debs;
use crate::common::watch::{BIN, KEY_VAR, Watch};

/// A message's subject and its body as text, as a mail reader decodes them.
pub fn parse_mail(raw: &str) -> (String, String) {
    const PARSE: &str = "import email, email.policy, json, sys\n\
        m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)\n\
        print(json.dumps({'subject': str(m['subject']), 'body': m.get_body().get_content()}))\n";
    let mut child = Command::new("/usr/bin/python3")
        .args(["-c", PARSE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(raw.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("python parsed the message");
    (
        v["subject"].as_str().unwrap().to_string(),
        v["body"].as_str().unwrap().replace("\r\n", "\n"),
    )
}

fn alerts_text(port: u16) -> String {
    format!(
        r#"[alerts]
after = 2
resolve_after = 1
group_window = "1s"

[[alerts.email]]
name = "tienda"
server = "127.0.0.1"
port = {port}
tls = "none"
username = "{SMTP_USER}"
password_env = "{PASSWORD_VAR}"
from = "wadash <{SMTP_USER}>"
to = ["ops@example.com"]
match = "tag:lima"
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn channel_texts_and_checks_follow_the_language() {
    ensure_debs(&["python3-aiosmtpd"]);
    let smtp = start_smtp();
    let (env, id, _) = two_linked().await;
    let config = shop_config(
        &env.sandbox.base_url(),
        &[(&id, "Tienda Lima", "lima")],
        &alerts_text(smtp.port),
    );

    // config check: the locale, then `ui.lang` over it.
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.toml");
    let check = |config: &str, locale: &str| {
        std::fs::write(&path, config).unwrap();
        let out = Command::new(BIN)
            .args(["config", "check"])
            .env("WADASH_CONFIG", &path)
            .env("HOME", home.path())
            .env("LC_ALL", locale)
            .env("LANG", locale)
            .env(KEY_VAR, &env.sandbox.api_key)
            .env(PASSWORD_VAR, SMTP_PASSWORD)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let es = check(&config, "es_ES.UTF-8");
    assert!(
        es.contains(&format!(
            "ok: alertas: correo `tienda` smtp 127.0.0.1:{} (no tls) a 1 destinatario(s); usuario {SMTP_USER}, contraseña de password_env {PASSWORD_VAR}: ••••, filtro \"tag:lima\"",
            smtp.port
        )),
        "{es}"
    );
    let pt = check(&config, "pt_BR.UTF-8");
    assert!(
        pt.contains("ok: alertas: e-mail `tienda` smtp") && pt.contains("para 1 destinatário(s)"),
        "{pt}"
    );

    // watch: `ui.lang` over the locale, as every face.
    let config = format!("[ui]\nlang = \"es\"\n\n{config}");
    let mut w = Watch::spawn_env(
        &config,
        &env.sandbox.api_key,
        &["--interval", "1s"],
        &[
            (PASSWORD_VAR, SMTP_PASSWORD),
            ("LC_ALL", "pt_BR.UTF-8"),
            ("LANG", "pt_BR.UTF-8"),
        ],
    );
    w.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    wait_until("the down e-mail", Duration::from_secs(40), || {
        !messages(smtp.inbox.path()).is_empty()
    })
    .await;
    let (subject, body) = parse_mail(&messages(smtp.inbox.path())[0]);
    assert_eq!(subject, "wadash caída: Tienda Lima (inactiva)");
    assert!(
        body.starts_with("caída: Tienda Lima (inactiva)\n"),
        "{body}"
    );
    assert!(body.contains(&format!("id: {id}\n")), "{body}");
    assert!(body.contains("categorías: lima\n"), "{body}");
    assert!(body.contains("cuenta: sandbox\n"), "{body}");
    assert!(body.contains("desde: "), "{body}");
    assert!(
        body.contains(&format!(
            "qué hacer: vuelva a vincularla: wadash qr {id} --wait\n"
        )),
        "{body}"
    );
    assert!(body.contains(": correo de alerta"), "{body}");
    // The log line stays machine words.
    let sent = w.wait_line("alert_sent", Duration::from_secs(10), |l| {
        l.contains("alert_sent") && l.contains("channel=email")
    });
    assert!(sent.contains("alert=down"), "{sent}");

    env.control(&id, "scan").await;
    wait_until("the up e-mail", Duration::from_secs(30), || {
        messages(smtp.inbox.path()).len() == 2
    })
    .await;
    let (up, _) = parse_mail(&messages(smtp.inbox.path())[1]);
    assert!(
        up.starts_with("wadash activa de nuevo: Tienda Lima (caída durante "),
        "{up}"
    );
    w.signal(nix::sys::signal::Signal::SIGTERM);
    w.wait_exit(Duration::from_secs(10)).expect("watch exits");
}
