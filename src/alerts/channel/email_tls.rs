//! How `[[alerts.email]]` secures its SMTP conversation: implicit TLS
//! (`tls`, port 465) or a STARTTLS that is required, never skipped
//! (`starttls`), verified against the system's roots plus, with `ca_file`,
//! a private CA's certificates; or nothing at all for a loopback server
//! (`none`, which the config allows only there).

use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

use crate::config::channels::{EmailConfig, SmtpTls};

type Builder = lettre::transport::smtp::AsyncSmtpTransportBuilder;

/// The transport builder for `channel`, its TLS settled.
pub fn builder(channel: &EmailConfig) -> Result<Builder, String> {
    let host = channel.server.as_str();
    let plain = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host);
    Ok(match channel.tls {
        SmtpTls::Tls => plain.tls(Tls::Wrapper(parameters(channel)?)),
        SmtpTls::StartTls => plain.tls(Tls::Required(parameters(channel)?)),
        SmtpTls::None => plain,
    })
}

/// The server name checked against its certificate, and the roots.
fn parameters(channel: &EmailConfig) -> Result<TlsParameters, String> {
    let mut params = TlsParameters::builder(channel.server.clone());
    if let Some(path) = &channel.ca_file {
        params = params.add_root_certificate(ca_certificates(path)?.0);
    }
    params
        .build()
        .map_err(|e| crate::i18n::fill(t().tls_setup, &[("error", &e.to_string())]))
}

/// The certificates of a PEM file (a bundle may hold several), and how many.
pub fn ca_certificates(path: &std::path::Path) -> Result<(Certificate, usize), String> {
    let shown = path.display().to_string();
    let pem = std::fs::read(path).map_err(|e| {
        crate::i18n::fill(
            t().ca_unreadable,
            &[("path", &shown), ("error", &e.to_string())],
        )
    })?;
    let count = String::from_utf8_lossy(&pem)
        .matches("-----BEGIN CERTIFICATE-----")
        .count();
    let not_pem =
        |error: &str| crate::i18n::fill(t().ca_not_pem, &[("path", &shown), ("error", error)]);
    if count == 0 {
        return Err(not_pem("no BEGIN CERTIFICATE"));
    }
    let cert = Certificate::from_pem(&pem).map_err(|e| not_pem(&e.to_string()))?;
    Ok((cert, count))
}

/// A failed conversation said for people: a certificate the roots do not
/// vouch for gets the hint that fixes it.
pub fn explain(channel: &EmailConfig, error: &lettre::transport::smtp::Error) -> String {
    let text = error.to_string();
    let untrusted = text.contains("certificate") || error.is_tls();
    if untrusted && channel.tls != SmtpTls::None {
        let hint = if channel.ca_file.is_some() {
            t().untrusted_with_ca
        } else {
            t().untrusted_no_ca
        };
        return format!("{text} ({hint})");
    }
    // A server that requires STARTTLS hides its login (aiosmtpd, Postfix
    // with smtpd_tls_auth_only) or refuses mail with a 530 in plain text.
    let refused = text.contains("No compatible authentication mechanism")
        || text.contains("STARTTLS")
        || text.contains("530");
    if channel.tls == SmtpTls::None && refused {
        return format!("{text} ({})", t().plain_refused);
    }
    text
}

fn t() -> &'static crate::i18n::mailtls::MailStrings {
    &crate::i18n::strings().mail
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTest\n-----END CERTIFICATE-----\n";

    #[test]
    fn a_ca_file_is_read_counted_and_its_faults_named() {
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("bundle.pem");
        std::fs::write(&bundle, format!("# two CAs\n{BLOCK}{BLOCK}")).unwrap();
        assert_eq!(ca_certificates(&bundle).unwrap().1, 2);
        let key = dir.path().join("key.pem");
        std::fs::write(
            &key,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let e = ca_certificates(&key).unwrap_err();
        assert!(e.contains("holds no PEM certificate"), "{e}");
        let e = ca_certificates(&dir.path().join("missing.pem")).unwrap_err();
        assert!(e.contains("cannot be read"), "{e}");
    }
}
