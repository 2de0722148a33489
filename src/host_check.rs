//! Which `Host` values the metrics listener answers. A web page can make a
//! browser on the watcher's machine (or network) fetch `/metrics` through
//! DNS rebinding: the page's own name is pointed at 127.0.0.1, so the
//! browser treats the answer as same-origin and the page reads every id
//! and label. The browser still sends the page's name as `Host`, so
//! answering only the names the operator meant shuts that door: the
//! address listened on, any IP literal when listening on all addresses
//! (a rebinding page always has a name, never an IP), `localhost` on
//! loopback, and the names given with `--metrics-host`.

use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone)]
pub struct HostPolicy {
    listen: IpAddr,
    /// Lower case, without a port.
    names: Vec<String>,
}

impl HostPolicy {
    pub fn new(listen: SocketAddr, names: &[String]) -> HostPolicy {
        HostPolicy {
            listen: listen.ip().to_canonical(),
            names: names
                .iter()
                .map(|n| strip_port(n.trim()).to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether a request with this `Host` header is answered. No header at
    /// all is answered: browsers always send one, so its absence is a
    /// plain tool, not a page.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return true };
        let name = strip_port(host.trim()).to_ascii_lowercase();
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = literal.parse::<IpAddr>() {
            let ip = ip.to_canonical();
            // An address named on purpose (a NAT's, in `--public-url`) is
            // as safe as the listen address: rebinding pages have names.
            let named = self.names.iter().any(|n| {
                n.trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .ok()
                    .map(|a| a.to_canonical())
                    == Some(ip)
            });
            return ip == self.listen || self.listen.is_unspecified() || named;
        }
        if name == "localhost" && self.listen.is_loopback() {
            return true;
        }
        self.names.iter().any(|n| *n == name.trim_end_matches('.'))
    }
}

/// `host:port`, `[v6]:port`, `[v6]` or `host` → the host part.
fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        // A bare IPv6 address has several colons and no port.
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(listen: &str, names: &[&str]) -> HostPolicy {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        HostPolicy::new(listen.parse().unwrap(), &names)
    }

    #[test]
    fn loopback_answers_its_address_and_localhost_only() {
        let p = policy("127.0.0.1:9469", &[]);
        for ok in ["127.0.0.1:9469", "127.0.0.1", "localhost:9469", "LOCALHOST"] {
            assert!(p.allows(Some(ok)), "{ok}");
        }
        assert!(p.allows(None));
        for bad in [
            "evil.example:9469",
            "evil.example",
            "10.0.0.1:9469",
            "127.0.0.2",
            "",
        ] {
            assert!(!p.allows(Some(bad)), "{bad}");
        }
    }

    #[test]
    fn configured_names_are_answered() {
        let p = policy("0.0.0.0:9469", &["wadash", "Mon.Example.org:9469"]);
        for ok in [
            "wadash:9469",
            "mon.example.org",
            "mon.example.org.",
            "10.1.2.3:9469",
            "[::1]:9469",
        ] {
            assert!(p.allows(Some(ok)), "{ok}");
        }
        for bad in ["localhost", "evil.example", "wadash.evil.example"] {
            assert!(!p.allows(Some(bad)), "{bad}");
        }
    }

    #[test]
    fn an_address_given_as_a_name_is_answered() {
        let p = policy("127.0.0.1:9469", &["203.0.113.5", "[2001:db8::1]"]);
        for ok in ["203.0.113.5:8080", "[2001:db8::1]:443", "127.0.0.1"] {
            assert!(p.allows(Some(ok)), "{ok}");
        }
        assert!(!p.allows(Some("203.0.113.6")));
    }

    #[test]
    fn v6_loopback() {
        let p = policy("[::1]:9469", &[]);
        assert!(p.allows(Some("[::1]:9469")));
        assert!(p.allows(Some("localhost")));
        assert!(!p.allows(Some("127.0.0.1:9469")));
    }
}
