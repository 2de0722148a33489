//! Where a share is served and the link people open: loopback unless the
//! operator says otherwise (as `watch --metrics-public`), and behind a
//! reverse proxy the proxy's address (`--public-url`).

use std::net::SocketAddr;

use super::token::Token;

/// Refuse a non-loopback address without the explicit flag: the page is a
/// key to the WhatsApp number for whoever reaches it first.
pub fn check_listen(addr: SocketAddr, public: bool) -> Result<(), String> {
    if addr.ip().to_canonical().is_loopback() || public {
        Ok(())
    } else {
        Err(format!(
            "{addr} is reachable from other machines: add --listen-public to serve the share there \
             (anyone who gets the link can link the number)"
        ))
    }
}

/// The base people open: `--public-url` (http or https, no query or
/// fragment), else the local address.
pub fn base_url(public_url: Option<&str>, local: SocketAddr) -> Result<String, String> {
    let Some(raw) = public_url else {
        return Ok(format!("http://{local}/"));
    };
    let url = url::Url::parse(raw.trim())
        .map_err(|e| format!("--public-url {raw:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(format!(
            "--public-url must be an http(s) address without ? or #, e.g. https://example.com/wadash/ (got {raw:?})"
        ));
    }
    let mut text = url.to_string();
    if !text.ends_with('/') {
        text.push('/');
    }
    Ok(text)
}

/// The link for `token` under `base` (which ends in `/`).
pub fn link(base: &str, token: &Token) -> String {
    format!("{base}s/{}/", token.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_without_the_flag() {
        assert!(check_listen("127.0.0.1:0".parse().unwrap(), false).is_ok());
        assert!(check_listen("[::1]:8080".parse().unwrap(), false).is_ok());
        assert!(check_listen("0.0.0.0:8080".parse().unwrap(), false).is_err());
        assert!(check_listen("192.168.1.4:8080".parse().unwrap(), false).is_err());
        assert!(check_listen("0.0.0.0:8080".parse().unwrap(), true).is_ok());
    }

    #[test]
    fn public_urls_get_one_trailing_slash() {
        let local = "127.0.0.1:9000".parse().unwrap();
        assert_eq!(base_url(None, local).unwrap(), "http://127.0.0.1:9000/");
        assert_eq!(
            base_url(Some("https://example.com/wadash"), local).unwrap(),
            "https://example.com/wadash/"
        );
        assert_eq!(
            base_url(Some("https://example.com/"), local).unwrap(),
            "https://example.com/"
        );
        assert!(base_url(Some("ftp://example.com/"), local).is_err());
        assert!(base_url(Some("https://example.com/?a=1"), local).is_err());
        assert!(base_url(Some("not a url"), local).is_err());
    }
}
