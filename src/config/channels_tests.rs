use std::path::Path;
use std::time::Duration;

use super::*;
use crate::config::Config;
use crate::config::alerts::WebhookFormat;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse_str(text, Path::new("wadash.toml")).map_err(|e| e.to_string())
}

#[test]
fn the_documented_channels_parse() {
    let config = parse(
        r#"
[alerts]
runbook = "call the owner of {label}"

[[alerts.apprise]]
name = "lima-telegram"
urls = ["tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-100123", "ntfy://ntfy.sh/lima"]
match = "tag:lima"
runbook = "the phone is at the Lima counter"

[[alerts.alertmanager]]
url = "http://127.0.0.1:9093"
resend = "30s"

[[alerts.email]]
server = "smtp.example.com"
username = "alerts@example.com"
password_env = "WADASH_SMTP_PASSWORD"
from = "wadash <alerts@example.com>"
to = ["ops@example.com"]

[[alerts.email]]
server = "localhost"
tls = "none"
from = "a@example.com"
to = ["b@example.com"]

[[alerts.webhook]]
url = "https://discord.com/api/webhooks/1/x"
format = "discord"
match = "tag:cusco"
name = "cusco-discord"

[[alerts.webhook]]
url = "https://ntfy.sh/wadash"
format = "ntfy"
"#,
    )
    .unwrap();
    let a = &config.alerts;
    assert_eq!(a.runbook, "call the owner of {label}");
    let ap = &a.apprise[0];
    assert_eq!(ap.meta.name.as_deref(), Some("lima-telegram"));
    assert_eq!(ap.only.as_ref().unwrap().text(), "tag:lima");
    assert_eq!(ap.shown(), "tgram://…, ntfy://…");
    assert!(!format!("{a:?}").contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
    assert_eq!(a.alertmanager[0].resend, Duration::from_secs(30));
    assert_eq!(a.alertmanager[0].shown(), "http://127.0.0.1:9093");
    let e = &a.email[0];
    assert_eq!((e.port, e.tls), (587, SmtpTls::StartTls));
    assert_eq!(
        e.password,
        Some(PasswordSource::Env("WADASH_SMTP_PASSWORD".into()))
    );
    assert_eq!((a.email[1].port, a.email[1].tls), (25, SmtpTls::None));
    assert_eq!(a.webhooks[0].format, WebhookFormat::Discord);
    assert_eq!(a.webhooks[0].only.as_ref().unwrap().text(), "tag:cusco");
    assert_eq!(a.webhooks[1].format, WebhookFormat::Ntfy);
    assert_eq!((a.apprise.len(), a.email.len()), (1, 2));
    assert_eq!(parse("").unwrap().alerts.runbook, DEFAULT_RUNBOOK);
}

#[test]
fn channel_mistakes_point_at_their_line_and_never_repeat_a_url() {
    let cases = [
        (
            "[[alerts.apprise]]\nurls = []\n",
            "wadash.toml:2:8",
            "urls is empty",
        ),
        (
            "[[alerts.apprise]]\nurls = [\"tgram:SECRETTOKEN123\"]\n",
            "wadash.toml:2:8",
            "not an Apprise URL",
        ),
        (
            "[[alerts.hook]]\ncommand = [\"x\"]\nonly = \"tag:a\"\nmatch = \"tag:b\"\n",
            "wadash.toml:4:9",
            "not both",
        ),
        (
            "[[alerts.apprise]]\nurls = [\"json://x\"]\nname = \"a\"\n[[alerts.webhook]]\nurl = \"http://x/\"\nname = \"a\"\n",
            // Hooks and webhooks are read first: the apprise is the second use.
            "wadash.toml:3:8",
            "already used",
        ),
        (
            "[[alerts.alertmanager]]\nurl = \"http://x\"\nresend = \"0s\"\n",
            "wadash.toml:3:10",
            "at least 1s",
        ),
        (
            "[[alerts.email]]\nserver = \"smtp.example.com\"\ntls = \"none\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\n",
            "wadash.toml:2:10",
            "only allowed for a server on this machine",
        ),
        (
            "[[alerts.email]]\nserver = \"smtp.example.com\"\nfrom = \"not an address\"\nto = [\"d@e.f\"]\n",
            "wadash.toml:3:8",
            "not an address",
        ),
        (
            "[[alerts.email]]\nserver = \"smtp.example.com\"\nusername = \"u\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\n",
            "wadash.toml:2:10",
            "go together",
        ),
        (
            "[[alerts.email]]\nserver = \"smtp.example.com\"\nca_file = \"certs/ca.pem\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\n",
            "wadash.toml:3:11",
            "ca_file must be an absolute path",
        ),
        (
            "[[alerts.email]]\nserver = \"localhost\"\ntls = \"none\"\nca_file = \"/etc/ca.pem\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\n",
            "wadash.toml:2:10",
            "ca_file needs tls",
        ),
        (
            "[[alerts.webhook]]\nurl = \"https://x.example/\"\nformat = \"teams\"\n",
            "wadash.toml:3:10",
            "\"discord\" or \"ntfy\"",
        ),
    ];
    for (text, place, words) in cases {
        let err = parse(text).unwrap_err();
        assert!(err.contains(place), "{text:?}: {err}");
        assert!(err.contains(words), "{text:?}: {err}");
        assert!(!err.contains("SECRETTOKEN123"), "the URL leaked: {err}");
    }
}
