//! A password written into a URL (`http://user:pass@host/`, a proxy or a
//! reverse proxy with basic auth in front of the API) is a secret like a
//! key: it is masked wherever the URL is shown (header, details pane,
//! `config check`) and registered with [`crate::redact`] so that no error
//! or log line that quotes the URL carries it.

use std::borrow::Cow;

use crate::secret::Secret;

/// The `user:password` part of a URL's authority, as written.
fn userinfo(url: &str) -> Option<(usize, &str)> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let at = authority.rfind('@')?;
    Some((start, &authority[..at]))
}

/// The password in `url`, if it has one.
pub fn password(url: &str) -> Option<&str> {
    let (_, info) = userinfo(url)?;
    let (_, pass) = info.split_once(':')?;
    (!pass.is_empty()).then_some(pass)
}

/// `url` with its password masked as keys are (`http://user:••••@host/`).
pub fn masked(url: &str) -> Cow<'_, str> {
    let Some((start, info)) = userinfo(url) else {
        return Cow::Borrowed(url);
    };
    let Some((user, pass)) = info.split_once(':') else {
        return Cow::Borrowed(url);
    };
    if pass.is_empty() {
        return Cow::Borrowed(url);
    }
    let after = start + info.len();
    Cow::Owned(format!(
        "{}{user}:{}{}",
        &url[..start],
        Secret::mask(pass),
        &url[after..]
    ))
}

/// The host (and port) alone, for the header: no user, no password.
pub fn host(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

/// Registers the URL's password (and its percent-decoded form) with
/// [`crate::redact`], as a key is when it is read.
pub fn register(url: &str) {
    if let Some(pass) = password(url) {
        crate::redact::register(pass);
        if let Some(decoded) = percent_decode(pass) {
            crate::redact::register(&decoded);
        }
    }
}

/// `%40` → `@`; None for an invalid escape or a result that is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_and_hosts_stand_alone() {
        let url = "http://ops:hunter2-long-pass@127.0.0.1:8080/api?x=1";
        assert_eq!(password(url), Some("hunter2-long-pass"));
        assert_eq!(masked(url), "http://ops:••••pass@127.0.0.1:8080/api?x=1");
        assert_eq!(host(url), "127.0.0.1:8080");
        assert_eq!(masked("http://ops:pw@h/"), "http://ops:••••@h/");
        for plain in [
            "https://apiwhatsappweb.com",
            "http://user@h/",
            "http://h/a@b",
        ] {
            assert_eq!(masked(plain), plain);
            assert_eq!(password(plain), None);
        }
        assert_eq!(host("https://apiwhatsappweb.com/x"), "apiwhatsappweb.com");
    }

    #[test]
    fn a_registered_password_is_cut_from_any_text() {
        register("http://ops:s3cr%40t-pass-word@h/");
        let text =
            crate::redact::redact("GET http://ops:s3cr%40t-pass-word@h/ failed; s3cr@t-pass-word");
        assert!(!text.contains("s3cr"), "{text}");
    }
}
